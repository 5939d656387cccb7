//! Helpers shared by the widget's browser tests (`tests/widget*.rs`): building elements and
//! surveys, acting like a customer, waiting, and capturing what leaves the widget.

#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use rapport::Options;
use rapport_survey::{Context, Response, ValidSurvey};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, KeyboardEventInit, ShadowRoot};

pub const POST_PURCHASE: &str = include_str!("../../surveys/post-purchase.json");
pub const JUST_BUYING: &str = r#"{"relationship":"just_buying","order":{"id":"A-1","total":40},"customer":{"earlier_orders":3}}"#;

/// A survey whose first step is a required NPS question.
pub const NPS_SURVEY: &str = r#"{
  "id": "nps-only", "version": 1, "default_locale": "en", "locales": ["en"],
  "steps": [
    {"id": "nps", "kind": "nps", "required": true, "title": {"en": "Would you recommend us?"}},
    {"id": "why", "kind": "text", "max_length": 200, "title": {"en": "Why?"}}
  ]
}"#;

// ---- helpers -------------------------------------------------------------------------------

pub fn document() -> Document {
    match web_sys::window().and_then(|w| w.document()) {
        Some(document) => document,
        None => panic!("no document"),
    }
}

/// A fresh `<div>` at the end of the body.
pub fn new_element(id: &str) -> Element {
    let document = document();
    let element = match document.create_element("div") {
        Ok(element) => element,
        Err(err) => panic!("create_element: {err:?}"),
    };
    element.set_id(id);
    match document.body() {
        Some(body) => {
            if let Err(err) = body.append_child(&element) {
                panic!("append_child: {err:?}");
            }
        }
        None => panic!("no body"),
    }
    element
}

pub fn survey(json: &str) -> ValidSurvey {
    match rapport_survey::load(json) {
        Ok(survey) => survey,
        Err(problems) => panic!("invalid test survey: {problems:?}"),
    }
}

pub fn context(json: &str) -> Context {
    match serde_json::from_str(json) {
        Ok(context) => context,
        Err(err) => panic!("invalid test context: {err}"),
    }
}

pub fn shadow(host: &Element) -> ShadowRoot {
    match host.shadow_root() {
        Some(shadow) => shadow,
        None => panic!("the host has no shadow root"),
    }
}

/// The text of the heading shown in `root`, if any.
pub fn heading_in(root: &ShadowRoot) -> Option<String> {
    root.query_selector("h2")
        .ok()
        .flatten()
        .and_then(|heading| heading.text_content())
}

/// The host's shadow root once the survey's first render is in it (a heading shown): `mount`
/// only asks yew to render, which it does from a microtask, in slices on a busy machine.
pub async fn rendered(host: &Element) -> ShadowRoot {
    wait_for("the survey's first render", || {
        host.shadow_root()
            .and_then(|root| heading_in(&root))
            .is_some()
    })
    .await;
    shadow(host)
}

/// Waits until the step (or ending) headed `title` is shown: a move is shown a task after
/// the click (see `App`), which a fixed wait can miss on a busy machine.
pub async fn shows(root: &ShadowRoot, title: &str) {
    wait_for(&format!("the heading {title:?}"), || {
        heading_in(root).as_deref() == Some(title)
    })
    .await;
}

pub fn find(shadow: &ShadowRoot, selector: &str) -> Element {
    match shadow.query_selector(selector) {
        Ok(Some(element)) => element,
        _ => panic!(
            "`{selector}` not found in: {}",
            shadow.inner_html().chars().take(2000).collect::<String>()
        ),
    }
}

pub fn find_all(shadow: &ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = shadow.query_selector_all(selector) else {
        panic!("bad selector `{selector}`");
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(shadow: &ShadowRoot, selector: &str) -> String {
    find(shadow, selector).text_content().unwrap_or_default()
}

pub fn click(element: &Element) {
    match element.dyn_ref::<HtmlElement>() {
        Some(element) => element.click(),
        None => panic!("not an HTML element"),
    }
}

pub fn press(element: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = match KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init) {
        Ok(event) => event,
        Err(err) => panic!("KeyboardEvent: {err:?}"),
    };
    if let Err(err) = element.dispatch_event(&event) {
        panic!("dispatch_event: {err:?}");
    }
}

/// Waits `ms` milliseconds (yew renders asynchronously).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until `done` holds, up to two seconds.
pub async fn wait_for(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// Lets the microtasks of this task run (a few rounds: yew renders from one), but no later
/// task.
pub async fn microtasks() {
    for _ in 0..10 {
        let _ = JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED)).await;
    }
}

/// The responses a widget handed on, in order.
pub type Responses = Rc<RefCell<Vec<Response>>>;

/// Collects the responses a mounted widget hands on.
pub fn collecting_options(context_json: &str) -> (Options, Responses) {
    let responses = Rc::new(RefCell::new(Vec::new()));
    let sink = responses.clone();
    let options = Options::default()
        .with_context(context(context_json))
        .with_locale("en")
        .on_response(move |response| sink.borrow_mut().push(response.clone()));
    (options, responses)
}

/// Replaces `console.error` (or another level) while alive, collecting the messages;
/// restores it on drop.
pub struct ConsoleErrors {
    console: JsValue,
    level: &'static str,
    original: JsValue,
    messages: Rc<RefCell<Vec<String>>>,
    _hook: Closure<dyn FnMut(JsValue)>,
}

impl ConsoleErrors {
    pub fn capture() -> Self {
        Self::capture_level("error")
    }

    /// Captures `console.{level}`: `error`, `warn`, `info`.
    pub fn capture_level(level: &'static str) -> Self {
        let Ok(console) = js_sys::Reflect::get(&js_sys::global(), &"console".into()) else {
            panic!("no console");
        };
        let original = js_sys::Reflect::get(&console, &level.into()).unwrap_or(JsValue::UNDEFINED);
        let messages = Rc::new(RefCell::new(Vec::new()));
        let sink = messages.clone();
        let hook = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
            sink.borrow_mut()
                .push(message.as_string().unwrap_or_default());
        });
        let _ = js_sys::Reflect::set(&console, &level.into(), hook.as_ref());
        Self {
            console,
            level,
            original,
            messages,
            _hook: hook,
        }
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.borrow().clone()
    }
}

impl Drop for ConsoleErrors {
    fn drop(&mut self) {
        let _ = js_sys::Reflect::set(&self.console, &self.level.into(), &self.original);
    }
}

/// Records each heading a widget shows, in order, as it is shown: a `MutationObserver` is
/// told of every render before the next task, so a step shown for a single task is seen
/// too. Stops on drop.
pub struct Headings {
    observer: web_sys::MutationObserver,
    seen: Rc<RefCell<Vec<String>>>,
    _callback: Closure<dyn FnMut()>,
}

impl Headings {
    /// Starts with the heading shown now.
    pub fn watch(root: &ShadowRoot) -> Self {
        let seen = Rc::new(RefCell::new(vec![text(root, "h2")]));
        let (sink, watched) = (seen.clone(), root.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            // No heading (the survey gone): nothing to record.
            let Some(now) = heading_in(&watched) else {
                return;
            };
            let mut seen = sink.borrow_mut();
            if seen.last() != Some(&now) {
                seen.push(now);
            }
        });
        let observer = match web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) {
            Ok(observer) => observer,
            Err(err) => panic!("MutationObserver: {err:?}"),
        };
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        init.set_character_data(true);
        if let Err(err) = observer.observe_with_options(root, &init) {
            panic!("observe: {err:?}");
        }
        Self {
            observer,
            seen,
            _callback: callback,
        }
    }

    /// The headings shown so far, the first one included.
    pub fn seen(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }

    /// Waits until `count` headings have been shown.
    pub async fn until(&self, count: usize) -> Vec<String> {
        wait_for(&format!("{count} headings"), || {
            self.seen.borrow().len() >= count
        })
        .await;
        self.seen()
    }
}

impl Drop for Headings {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Replaces `window.fetch` while alive: GETs answer `survey_json`, POSTs are recorded and
/// answered with 200. Restores the real `fetch` on drop.
pub struct FakeFetch {
    window: JsValue,
    original: JsValue,
    pub posts: Rc<RefCell<Vec<web_sys::Request>>>,
    _hook: Closure<dyn FnMut(JsValue) -> js_sys::Promise>,
}

impl FakeFetch {
    pub fn install(survey_json: &'static str) -> Self {
        let window: JsValue = js_sys::global().into();
        let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap_or(JsValue::UNDEFINED);
        let posts = Rc::new(RefCell::new(Vec::new()));
        let sink = posts.clone();
        let hook = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |input: JsValue| {
            let Ok(request) = input.dyn_into::<web_sys::Request>() else {
                return js_sys::Promise::reject(&"the widget should fetch a Request".into());
            };
            let body = if request.method() == "POST" {
                sink.borrow_mut().push(request);
                None
            } else {
                Some(survey_json)
            };
            match web_sys::Response::new_with_opt_str(body) {
                Ok(response) => js_sys::Promise::resolve(&JsValue::from(response)),
                Err(err) => js_sys::Promise::reject(&err),
            }
        });
        let _ = js_sys::Reflect::set(&window, &"fetch".into(), hook.as_ref());
        Self {
            window,
            original,
            posts,
            _hook: hook,
        }
    }
}

impl Drop for FakeFetch {
    fn drop(&mut self) {
        let _ = js_sys::Reflect::set(&self.window, &"fetch".into(), &self.original);
    }
}
