//! Mounting the widget into a host element: a Shadow DOM root (so the page's styles and the
//! widget's never meet), the widget's style sheet adopted into it (no `<style>` element and no
//! `style=` attribute, so a strict Content-Security-Policy works), and the yew app inside.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use rapport_survey::{Context, Response, ValidSurvey};
use serde::Serialize;
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use crate::app::{App, AppProps, Setup};
use crate::config::Mode;
use crate::delivery::{Courier, DeliveryConfig};
use crate::error::{describe, MountError};
use crate::locale;

/// The widget's styles (`styles/widget.css`, minified by `build.rs`), compiled in.
pub const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

/// A callback that receives the finished response.
pub type ResponseCallback = Rc<dyn Fn(&Response)>;

/// A callback that learns of every step shown.
pub type StepCallback = Rc<dyn Fn(&StepInfo)>;

/// A callback for the customer closing the survey; `true` if they had finished it.
pub type CloseCallback = Rc<dyn Fn(bool)>;

/// A step being shown, as `onStep` receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepInfo {
    /// The survey's id.
    pub survey_id: String,
    /// The step's id.
    pub step_id: String,
    /// The step's kind (`nps`, `reassurance`, …).
    pub kind: &'static str,
    /// 1-based number of the step among those shown.
    pub position: usize,
    /// Steps shown so far plus those expected to follow.
    pub total: usize,
}

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
    /// Extra request headers for the POST.
    pub headers: Vec<(String, String)>,
    /// Delivery callbacks and resuming (see [`DeliveryConfig`]).
    pub delivery: DeliveryConfig,
    /// How the survey appears: in place (`Inline`, the default), as a modal dialog, or as a
    /// slide-in card.
    pub mode: Mode,
    /// Called with the finished response (before it is posted).
    pub on_response: Option<ResponseCallback>,
    /// Called with every step shown.
    pub on_step: Option<StepCallback>,
    /// Called when the customer closes a modal or slide-in survey. The survey has already
    /// disappeared then; remove the host (or [`Widget::unmount`]) to clean up.
    pub on_close: Option<CloseCallback>,
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

    /// Sets the extra request headers.
    #[must_use]
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the display mode.
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the callback for the finished response.
    #[must_use]
    pub fn on_response(mut self, callback: impl Fn(&Response) + 'static) -> Self {
        self.on_response = Some(Rc::new(callback));
        self
    }

    /// Sets the callback for every step shown.
    #[must_use]
    pub fn on_step(mut self, callback: impl Fn(&StepInfo) + 'static) -> Self {
        self.on_step = Some(Rc::new(callback));
        self
    }

    /// Sets the callback for the customer closing the survey.
    #[must_use]
    pub fn on_close(mut self, callback: impl Fn(bool) + 'static) -> Self {
        self.on_close = Some(Rc::new(callback));
        self
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("context", &self.context)
            .field("locale", &self.locale)
            .field("endpoint", &self.endpoint)
            .field("headers", &self.headers)
            .field("delivery", &self.delivery)
            .field("mode", &self.mode)
            .field(
                "on_response",
                &self.on_response.as_ref().map(|_| "Fn(&Response)"),
            )
            .field("on_step", &self.on_step.as_ref().map(|_| "Fn(&StepInfo)"))
            .field("on_close", &self.on_close.as_ref().map(|_| "Fn(bool)"))
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
    attach(host, survey, options).map(Attached::render)
}

/// A survey attached to its host by [`attach`] (shadow root, style sheet, delivery), not yet
/// rendered: [`Attached::render`] does that. Dropping it renders nothing; the host keeps its
/// empty shadow root.
pub struct Attached {
    root: Element,
    props: AppProps,
    locale: String,
}

impl Attached {
    /// The first render of the survey (yew's), into the shadow root made by [`attach`].
    #[must_use]
    pub fn render(self) -> Widget {
        let Self {
            root,
            props,
            locale,
        } = self;
        let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
        Widget { app, root, locale }
    }
}

impl fmt::Debug for Attached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attached")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

/// The first half of [`mount`]: gives `host` its shadow root with the widget's style sheet
/// and sets up the survey's delivery, without rendering. The script tag's survey renders in
/// the next task ([`Attached::render`]): on a slow phone the two together are a long task.
///
/// # Errors
/// As [`mount`].
pub fn attach(
    host: &Element,
    survey: ValidSurvey,
    options: Options,
) -> Result<Attached, MountError> {
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
        mut context,
        locale: wanted,
        endpoint,
        headers,
        delivery,
        mode,
        on_response,
        on_step,
        on_close,
    } = options;
    let locale = locale::shown(wanted.as_deref(), &context, &survey);
    // The `locale` condition reads the locale shown (the payload's context stays the shop's).
    context.shown_locale = Some(locale.clone());
    let (survey, context) = (Rc::new(survey), Rc::new(context));
    let delivery = Courier::new(
        survey.clone(),
        context.clone(),
        locale.clone(),
        endpoint,
        headers,
        &delivery,
    );
    let setup = Setup {
        survey,
        context,
        session: delivery.session().clone(),
        delivery,
        mode,
        on_response,
        on_step,
        on_close,
        deferred: std::cell::Cell::new(0),
    };
    let props = AppProps {
        setup: Rc::new(setup),
    };
    Ok(Attached {
        root,
        props,
        locale,
    })
}

/// Creates the widget's style sheet ahead of [`mount`], so that parsing it is not part of
/// the task that mounts (on a slow phone that task is long enough). A failure is left for
/// [`mount`] to report.
pub fn prepare() {
    let _ = style_sheet();
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

#[cfg(test)]
mod tests {
    use super::STYLES;

    /// `styles/widget.css` without its comments.
    fn source_rules() -> String {
        let source = include_str!("../styles/widget.css");
        let mut out = String::new();
        let mut rest = source;
        while let Some(start) = rest.find("/*") {
            out.push_str(&rest[..start]);
            rest = rest[start..]
                .find("*/")
                .map_or("", |end| &rest[start + end + 2..]);
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn shipped_styles_are_minified_but_keep_every_rule() {
        let source = source_rules();
        assert!(!STYLES.contains("/*"), "comments left in the shipped CSS");
        assert!(
            STYLES.len() * 10 < source.len() * 9,
            "not minified: {} bytes",
            STYLES.len()
        );
        for brace in ['{', '}', '(', ')', '"'] {
            assert_eq!(
                STYLES.matches(brace).count(),
                source.matches(brace).count(),
                "{brace}"
            );
        }
        // Whitespace that means something stays: inside calc() and between selector parts.
        assert!(STYLES.contains("calc(100% - 2em)"));
        let words = |css: &str| {
            css.split_whitespace()
                .flat_map(|w| w.split([';', ',', '{', '}']))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(words(STYLES), words(&source));
    }
}
