//! Mounting the widget into a host element: a Shadow DOM root (so the page's styles and the
//! widget's never meet), the widget's style sheet adopted into it (no `<style>` element and no
//! `style=` attribute, so a strict Content-Security-Policy works), and the yew app inside.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use rapport_survey::{Context, Response, ValidSurvey};
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use crate::app::{App, AppProps, Setup};
use crate::error::{describe, MountError};
use crate::locale;
use crate::session::Session;

/// The widget's styles (`styles/widget.css`), compiled in.
pub const STYLES: &str = include_str!("../styles/widget.css");

/// A callback that receives the finished response.
pub type ResponseCallback = Rc<dyn Fn(&Response)>;

/// How to run a mounted survey.
#[derive(Clone, Default)]
pub struct Options {
    /// What the shop knows about the purchase.
    pub context: Context,
    /// The locale wanted; else `context.locale`, the page's `<html lang>`, the browser's
    /// language, and the survey's default, in that order (see [`crate::locale`]).
    pub locale: Option<String>,
    /// Where to POST the finished response; without one, nothing is sent.
    pub endpoint: Option<String>,
    /// Called with the finished response (before it is posted).
    pub on_response: Option<ResponseCallback>,
}

impl Options {
    /// Sets the purchase context.
    #[must_use]
    pub fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// Sets the wanted locale.
    #[must_use]
    pub fn with_locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// Sets the endpoint.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the callback for the finished response.
    #[must_use]
    pub fn on_response(mut self, callback: impl Fn(&Response) + 'static) -> Self {
        self.on_response = Some(Rc::new(callback));
        self
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("context", &self.context)
            .field("locale", &self.locale)
            .field("endpoint", &self.endpoint)
            .field(
                "on_response",
                &self.on_response.as_ref().map(|_| "Fn(&Response)"),
            )
            .finish()
    }
}

/// A mounted survey.
pub struct Widget {
    app: AppHandle<App>,
    root: Element,
    locale: String,
}

impl Widget {
    /// The locale the survey is shown in.
    #[must_use]
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Removes the survey. The host element keeps its (now empty) shadow root; remove the host
    /// to remove every trace.
    pub fn unmount(self) {
        self.app.destroy();
        self.root.remove();
    }
}

impl fmt::Debug for Widget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Widget")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

/// Renders `survey` into a new open shadow root of `host`.
///
/// # Errors
/// When `host` cannot have a shadow root (it already has one, or is an element such as
/// `<input>`), or the browser lacks constructable style sheets.
pub fn mount(host: &Element, survey: ValidSurvey, options: Options) -> Result<Widget, MountError> {
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|err| MountError::Shadow(describe(&err)))?;
    let sheet = wasm_bindgen::JsValue::from(style_sheet()?);
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let root = host
        .owner_document()
        .ok_or_else(|| MountError::Root("the host element has no document".into()))?
        .create_element("div")
        .map_err(|err| MountError::Root(describe(&err)))?;
    root.set_class_name("root");
    shadow
        .append_child(&root)
        .map_err(|err| MountError::Root(describe(&err)))?;

    let Options {
        context,
        locale: wanted,
        endpoint,
        on_response,
    } = options;
    let page = locale::page_wishes();
    let wishes = wanted
        .as_deref()
        .into_iter()
        .chain(context.locale.as_deref())
        .chain(page.iter().map(String::as_str));
    let locale = locale::negotiate(wishes, &survey.locales, &survey.default_locale);
    let setup = Setup {
        survey: Rc::new(survey),
        context: Rc::new(context),
        session: Session::begin(locale.clone()),
        endpoint: endpoint.filter(|e| !e.trim().is_empty()),
        on_response,
    };
    let props = AppProps {
        setup: Rc::new(setup),
    };
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    Ok(Widget { app, root, locale })
}

/// The widget's style sheet, created once and shared by every widget on the page.
fn style_sheet() -> Result<CssStyleSheet, MountError> {
    thread_local! {
        static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    }
    SHEET.with(|cell| {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let styles = |err| MountError::Styles(describe(&err));
        let sheet = CssStyleSheet::new().map_err(styles)?;
        sheet.replace_sync(STYLES).map_err(styles)?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })
}
