//! One survey on the page, from `show` to `close`: load and validate the definition, check
//! frequency capping and sampling, wait for the trigger, create the host element for the
//! mode, mount, and tell the shop's callbacks what happens.
//!
//! At most one survey is shown (or waiting for its trigger) at a time; a second `show` is
//! refused with a warning until `close`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rapport_survey::ValidSurvey;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement};

use crate::callbacks::{Callbacks, Hook};
use crate::config::{Config, Mode, SurveySource};
use crate::console;
use crate::delivery::{self, DeliveryConfig};
use crate::error::{describe, BootError, BootResult};
use crate::frequency;
use crate::http;
use crate::mount::{attach, Options, Widget};
use crate::theme;
use crate::trigger::{self, Armed};

/// What `onClose` receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CloseInfo {
    /// The survey's id.
    pub survey_id: String,
    /// Whether the customer had finished the survey.
    pub completed: bool,
}

enum Slot {
    Idle,
    /// Loading, or waiting for the trigger.
    Pending {
        id: u32,
        armed: Option<Armed>,
    },
    Shown {
        id: u32,
        shown: Shown,
    },
}

struct Shown {
    widget: Widget,
    host: Element,
    survey_id: String,
    order: Option<String>,
    callbacks: Rc<Callbacks>,
    completed: Rc<Cell<bool>>,
}

impl Shown {
    /// Removes the survey; `dismissed`: the customer closed it (so an unfinished run is not
    /// offered again for this order).
    fn close(self, dismissed: bool) {
        let completed = self.completed.get();
        if let (true, false, Some(order)) = (dismissed, completed, &self.order) {
            frequency::note_dismissed(&self.survey_id, order);
        }
        let info = CloseInfo {
            survey_id: self.survey_id,
            completed,
        };
        self.widget.unmount();
        self.host.remove();
        self.callbacks.emit(Hook::Close, &info);
    }
}

thread_local! {
    static SLOT: RefCell<Slot> = const { RefCell::new(Slot::Idle) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Shows a survey as `config` says, reporting to `callbacks`. Returns at once; the work
/// goes on in the background. Never throws: failures are one console error and `onError`.
pub fn show(config: Config, callbacks: Callbacks) {
    let callbacks = Rc::new(callbacks);
    let Some(id) = reserve() else {
        console::warn(
            "a survey is already shown (or waiting for its trigger); call rapport.close() before showing another",
        );
        return;
    };
    // In a later task: the first step of `run` (most of it the browser compiling it on first
    // use) would otherwise add to the caller's, e.g. the one that read the configuration.
    trigger::later(move || {
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(err) = run(id, config, callbacks.clone()).await {
                release(id);
                console::error(&err.to_string());
                callbacks.error(&err);
            }
        });
    });
}

/// Closes the survey shown (with `onClose`) or stops waiting for its trigger.
pub fn close() {
    close_as(false);
}

fn close_as(dismissed: bool) {
    let slot = SLOT.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), Slot::Idle));
    match slot {
        Slot::Idle => {}
        Slot::Pending { armed, .. } => {
            if let Some(armed) = armed {
                armed.cancel();
            }
        }
        Slot::Shown { shown, .. } => shown.close(dismissed),
    }
}

/// Whether a survey is shown or waiting.
#[must_use]
pub fn busy() -> bool {
    SLOT.with(|slot| !matches!(*slot.borrow(), Slot::Idle))
}

/// Takes the slot for a new survey; `None` if another one holds it. A shown survey whose
/// host the page has removed (e.g. a single-page shop moved on) gives the slot up.
fn reserve() -> Option<u32> {
    let stale = SLOT.with(|slot| match &*slot.borrow() {
        Slot::Shown { shown, .. } => !shown.host.is_connected(),
        _ => false,
    });
    if stale {
        close();
    }
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if !matches!(*slot, Slot::Idle) {
            return None;
        }
        let id = NEXT_ID.with(|next| {
            let id = next.get().wrapping_add(1);
            next.set(id);
            id
        });
        *slot = Slot::Pending { id, armed: None };
        Some(id)
    })
}

fn slot_id(slot: &Slot) -> Option<u32> {
    match slot {
        Slot::Idle => None,
        Slot::Pending { id, .. } | Slot::Shown { id, .. } => Some(*id),
    }
}

/// Whether survey `id` still holds the slot (it was not closed meanwhile).
fn is_current(id: u32) -> bool {
    SLOT.with(|slot| slot_id(&slot.borrow()) == Some(id))
}

/// Frees the slot if survey `id` holds it.
fn release(id: u32) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot_id(&slot) == Some(id) {
            *slot = Slot::Idle;
        }
    });
}

/// Closes survey `id` if it is the one shown (the customer's close button).
fn close_shown(id: u32) {
    if is_current(id) {
        close_as(true);
    }
}

async fn run(id: u32, mut config: Config, callbacks: Rc<Callbacks>) -> BootResult<()> {
    let survey = load(&mut config).await?;
    // The checks below and the validation in `load` are two tasks.
    trigger::next_task().await;
    if !is_current(id) {
        return Ok(());
    }
    // As the survey will run: its `locale` condition reads the locale it is shown in.
    let shown = crate::locale::shown(config.locale(), &config.context, &survey);
    if let Some(wanted) = config
        .locale()
        .filter(|wanted| crate::locale::negotiate([*wanted], &survey.locales, "").is_empty())
    {
        console::warn(&format!(
            "locale `{wanted}` is not one of the survey's locales ({}); it is shown in `{shown}`",
            survey.locales.join(" ")
        ));
    }
    config.context.shown_locale = Some(shown);
    if survey.start(&config.context).done {
        console::info(&format!(
            "the survey `{}` has no step for this context; nothing to show",
            survey.id
        ));
        release(id);
        return Ok(());
    }
    if let Some(named) = config
        .context
        .relationship
        .as_deref()
        .filter(|id| !survey.has_type(id))
    {
        let mut message = format!(
            "context.relationship `{named}` is not a relationship type of the survey (known:"
        );
        for known in survey.relationship_types() {
            message.push(' ');
            message.push_str(&known.id);
        }
        message.push_str("); the type is decided as if none were given");
        console::warn(&message);
    }
    let order = config.context.order.id.clone();
    let verdict = frequency::check(&survey.id, config.rules(), order.as_deref());
    // An unfinished run for this order is shown again, to be finished, unless the customer
    // closed it.
    let unfinished = order.as_deref().is_some_and(|o| {
        delivery::unfinished(&survey.id, o) && !frequency::was_dismissed(&survey.id, o)
    });
    if let Some(reason) = verdict.reason().filter(|_| !unfinished) {
        console::info(&format!(
            "the survey `{}` is not shown: {reason}",
            survey.id
        ));
        release(id);
        return Ok(());
    }

    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or(BootError::NoDocument)?;
    let target = config
        .target()
        .and_then(|selector| find(&document, selector));
    let mode = match (config.mode(), &target) {
        (Mode::Inline, None) => {
            console::warn(
                "an inline survey needs a `target` element; showing a slide-in card instead",
            );
            Mode::SlideIn
        }
        (Mode::Inline, Some(element)) if !holds_content(element) => {
            console::warn(&format!(
                "target `{}` cannot show a survey inside it (an <input>, <img>, <svg>, <table>, …); showing a slide-in card instead",
                config.target().unwrap_or_default(),
            ));
            Mode::SlideIn
        }
        (mode, _) => mode,
    };

    // The style sheet in a task of its own, while the trigger is armed (see `mount::prepare`).
    trigger::next_task().await;
    crate::mount::prepare();
    let armed = trigger::arm(config.trigger, config.delay_ms(), target.as_ref());
    let fired = armed.promise();
    let waiting = SLOT.with(|slot| match &mut *slot.borrow_mut() {
        Slot::Pending {
            id: current,
            armed: place,
        } if *current == id => {
            *place = Some(armed);
            true
        }
        _ => false,
    });
    if !waiting {
        return Ok(());
    }
    let fired = JsFuture::from(fired)
        .await
        .is_ok_and(|value| value.as_bool() == Some(true));
    if !fired || !is_current(id) {
        return Ok(());
    }

    let parent = match (mode, target) {
        (Mode::Inline, Some(target)) => target,
        _ => document
            .body()
            .map(Element::from)
            .ok_or(BootError::NoDocument)?,
    };
    let host = create_host(&document, &survey, mode, &config)?;
    parent
        .append_child(&host)
        .map_err(|err| BootError::Host(describe(&err)))?;
    let completed = Rc::new(Cell::new(false));
    let options = options(id, &mut config, mode, &callbacks, &completed);
    let survey_id = survey.id.clone();
    let attached = match attach(&host, survey, options) {
        Ok(attached) => attached,
        Err(err) => {
            host.remove();
            return Err(err.into());
        }
    };
    // The first render in a task of its own (see `attach`).
    trigger::next_task().await;
    if !is_current(id) {
        host.remove();
        return Ok(());
    }
    let widget = attached.render();
    frequency::note_shown(&survey_id, order.as_deref());
    let shown = Shown {
        widget,
        host,
        survey_id,
        order,
        callbacks,
        completed,
    };
    SLOT.with(|slot| *slot.borrow_mut() = Slot::Shown { id, shown });
    Ok(())
}

/// Fetches (or takes) the survey definition and validates it. Parsing the JSON, reading the
/// definition's structure and validating it each run in a task of their own, and none in
/// the one that received the definition: on a slow phone each is a few tens of
/// milliseconds (most of it the browser compiling the code on its first call), and together
/// they would be a long task that holds up the page's input and painting.
async fn load(config: &mut Config) -> BootResult<ValidSurvey> {
    let value = match config.take_survey()? {
        SurveySource::Url(url) => {
            let json = match http::get_text(&url).await {
                Ok(json) => json,
                Err(source) => return Err(BootError::Fetch { url, source }),
            };
            trigger::next_task().await;
            crate::json::parse(&json).map_err(|message| {
                BootError::InvalidSurvey(rapport_survey::load::syntax_error(&message))
            })?
        }
        SurveySource::Inline(value) => value,
    };
    trigger::next_task().await;
    let survey = rapport_survey::read_value(value).map_err(BootError::InvalidSurvey)?;
    trigger::next_task().await;
    rapport_survey::validate(survey).map_err(BootError::InvalidSurvey)
}

/// The element `selector` names, with a warning if none does.
fn find(document: &Document, selector: &str) -> Option<Element> {
    match document.query_selector(selector) {
        Ok(Some(element)) => Some(element),
        Ok(None) => {
            console::warn(&format!("target `{selector}` matches no element"));
            None
        }
        Err(err) => {
            console::warn(&format!(
                "target `{selector}` is not a valid CSS selector ({})",
                describe(&err)
            ));
            None
        }
    }
}

/// Whether `element` lays out an element appended to it: not a void (`<input>`, `<img>`),
/// replaced (`<video>`, `<iframe>`) or form element, a table's inner structure, or SVG or
/// MathML. A survey inside `<svg>` or `<input>` would be shown to no one.
fn holds_content(element: &Element) -> bool {
    const CANNOT: &str = "input,img,br,hr,wbr,area,embed,source,track,textarea,select,option,\
        iframe,canvas,video,audio,object,picture,script,template,table,thead,tbody,tfoot,tr,\
        colgroup,svg,svg *,math,math *";
    !element.matches(CANNOT).unwrap_or(false)
}

/// The widget's host element: `<div data-rapport-survey="{id}" data-rapport-mode="{mode}">`
/// with the theme's custom properties.
fn create_host(
    document: &Document,
    survey: &ValidSurvey,
    mode: Mode,
    config: &Config,
) -> BootResult<Element> {
    let host_error = |err| BootError::Host(describe(&err));
    let host = document.create_element("div").map_err(host_error)?;
    host.set_attribute("data-rapport-survey", &survey.id)
        .map_err(host_error)?;
    host.set_attribute("data-rapport-mode", mode.id())
        .map_err(host_error)?;
    if let Some(host) = host.dyn_ref::<HtmlElement>() {
        theme::apply(host, &config.theme);
    }
    Ok(host)
}

/// The mount options: the configuration plus the callbacks wired to the shop's.
fn options(
    id: u32,
    config: &mut Config,
    mode: Mode,
    callbacks: &Rc<Callbacks>,
    completed: &Rc<Cell<bool>>,
) -> Options {
    let mut options = Options::default()
        .with_context(std::mem::take(&mut config.context))
        .with_headers(config.headers())
        .with_mode(mode);
    if let Some(locale) = config.locale() {
        options = options.with_locale(locale);
    }
    if let Some(endpoint) = config.endpoint() {
        options = options.with_endpoint(endpoint);
    }
    let on_step = callbacks.clone();
    // `onSubmit` and `onError` of deliveries are called by delivery (after the endpoint's 2xx).
    options.delivery = DeliveryConfig {
        on_submit: callbacks.function(Hook::Submit).cloned(),
        on_error: callbacks.function(Hook::Error).cloned(),
        resume: true,
    };
    let completed = completed.clone();
    options
        .on_step(move |info| on_step.emit(Hook::Step, info))
        .on_response(move |_| completed.set(true))
        // The customer's close button: close after the click has been handled.
        .on_close(move |_| wasm_bindgen_futures::spawn_local(async move { close_shown(id) }))
}
