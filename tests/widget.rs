//! Browser tests of the widget in headless Chromium:
//! `cargo test -p rapport --target wasm32-unknown-unknown`.
//!
//! Each test mounts a survey into its own host element, acts through the shadow root as a
//! customer would (clicks, key presses) and asserts on what the customer sees and on the
//! response that leaves the widget.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rapport::{boot, mount, Options};
use rapport_survey::{AnswerValue, Context, Response, Status, TypeSource, ValidSurvey};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, KeyboardEventInit, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const POST_PURCHASE: &str = include_str!("../surveys/post-purchase.json");
const JUST_BUYING: &str = r#"{"relationship":"just_buying","order":{"id":"A-1","total":40},"customer":{"earlier_orders":3}}"#;

/// A survey whose first step is a required NPS question.
const NPS_SURVEY: &str = r#"{
  "id": "nps-only", "version": 1, "default_locale": "en", "locales": ["en"],
  "steps": [
    {"id": "nps", "kind": "nps", "required": true, "title": {"en": "Would you recommend us?"}},
    {"id": "why", "kind": "text", "max_length": 200, "title": {"en": "Why?"}}
  ]
}"#;

// ---- helpers -------------------------------------------------------------------------------

fn document() -> Document {
    match web_sys::window().and_then(|w| w.document()) {
        Some(document) => document,
        None => panic!("no document"),
    }
}

/// A fresh `<div>` at the end of the body.
fn new_element(id: &str) -> Element {
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

fn survey(json: &str) -> ValidSurvey {
    match rapport_survey::load(json) {
        Ok(survey) => survey,
        Err(problems) => panic!("invalid test survey: {problems:?}"),
    }
}

fn context(json: &str) -> Context {
    match serde_json::from_str(json) {
        Ok(context) => context,
        Err(err) => panic!("invalid test context: {err}"),
    }
}

fn shadow(host: &Element) -> ShadowRoot {
    match host.shadow_root() {
        Some(shadow) => shadow,
        None => panic!("the host has no shadow root"),
    }
}

fn find(shadow: &ShadowRoot, selector: &str) -> Element {
    match shadow.query_selector(selector) {
        Ok(Some(element)) => element,
        _ => panic!(
            "`{selector}` not found in: {}",
            shadow.inner_html().chars().take(2000).collect::<String>()
        ),
    }
}

fn find_all(shadow: &ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = shadow.query_selector_all(selector) else {
        panic!("bad selector `{selector}`");
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

fn text(shadow: &ShadowRoot, selector: &str) -> String {
    find(shadow, selector).text_content().unwrap_or_default()
}

fn click(element: &Element) {
    match element.dyn_ref::<HtmlElement>() {
        Some(element) => element.click(),
        None => panic!("not an HTML element"),
    }
}

fn press(element: &Element, key: &str) {
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
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until `done` holds, up to two seconds.
async fn wait_for(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// Collects the responses a mounted widget hands on.
fn collecting_options(context_json: &str) -> (Options, Rc<RefCell<Vec<Response>>>) {
    let responses = Rc::new(RefCell::new(Vec::new()));
    let sink = responses.clone();
    let options = Options::default()
        .with_context(context(context_json))
        .with_locale("en")
        .on_response(move |response| sink.borrow_mut().push(response.clone()));
    (options, responses)
}

/// Replaces `console.error` while alive, collecting the messages; restores it on drop.
struct ConsoleErrors {
    console: JsValue,
    original: JsValue,
    messages: Rc<RefCell<Vec<String>>>,
    _hook: Closure<dyn FnMut(JsValue)>,
}

impl ConsoleErrors {
    fn capture() -> Self {
        let Ok(console) = js_sys::Reflect::get(&js_sys::global(), &"console".into()) else {
            panic!("no console");
        };
        let original =
            js_sys::Reflect::get(&console, &"error".into()).unwrap_or(JsValue::UNDEFINED);
        let messages = Rc::new(RefCell::new(Vec::new()));
        let sink = messages.clone();
        let hook = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
            sink.borrow_mut()
                .push(message.as_string().unwrap_or_default());
        });
        let _ = js_sys::Reflect::set(&console, &"error".into(), hook.as_ref());
        Self {
            console,
            original,
            messages,
            _hook: hook,
        }
    }

    fn messages(&self) -> Vec<String> {
        self.messages.borrow().clone()
    }
}

impl Drop for ConsoleErrors {
    fn drop(&mut self) {
        let _ = js_sys::Reflect::set(&self.console, &"error".into(), &self.original);
    }
}

/// Replaces `window.fetch` while alive: GETs answer `survey_json`, POSTs are recorded and
/// answered with 200. Restores the real `fetch` on drop.
struct FakeFetch {
    window: JsValue,
    original: JsValue,
    posts: Rc<RefCell<Vec<web_sys::Request>>>,
    _hook: Closure<dyn FnMut(JsValue) -> js_sys::Promise>,
}

impl FakeFetch {
    fn install(survey_json: &'static str) -> Self {
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

// ---- tests ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn post_purchase_runs_from_reassurance_to_thanks() {
    let host = new_element("post-purchase");
    let (options, responses) = collecting_options(JUST_BUYING);
    let widget = match mount(&host, survey(POST_PURCHASE), options) {
        Ok(widget) => widget,
        Err(err) => panic!("mount: {err}"),
    };
    assert_eq!(widget.locale(), "en");
    sleep(20).await;
    let root = shadow(&host);

    // Reassurance, with the order id filled in; nothing announced or focused yet.
    assert_eq!(text(&root, "h2"), "Your order A-1 is confirmed");
    assert_eq!(text(&root, ".progress-text"), "Step 1 of 2");
    assert!(text(&root, ".bullets").contains("Welcome back"));
    assert_eq!(text(&root, "[aria-live]"), "");
    assert!(find_all(&root, ".button-back").is_empty());
    assert!(
        find_all(&root, ".button-skip").is_empty(),
        "a message cannot be skipped"
    );
    click(&find(&root, ".button-primary"));
    sleep(20).await;

    // CSAT: a required 1–5 scale, the last step.
    assert_eq!(
        text(&root, "h2"),
        "How satisfied are you with your order so far?"
    );
    assert_eq!(text(&root, "[aria-live]"), "Step 2 of 2");
    let heading = find(&root, "h2");
    assert_eq!(
        root.active_element().as_ref(),
        Some(&heading),
        "focus moves to the heading"
    );
    let values = find_all(&root, "[role=radiogroup] [role=radio]");
    assert_eq!(values.len(), 5);
    assert_eq!(
        values[0].get_attribute("aria-label").as_deref(),
        Some("1 – Not at all")
    );
    assert_eq!(text(&root, ".button-primary"), "Submit");
    click(&values[3]);
    sleep(20).await;
    assert_eq!(
        values[3].get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert!(responses.borrow().is_empty());
    click(&find(&root, ".button-primary"));
    sleep(20).await;

    // The survey's ending, and the complete response.
    assert_eq!(text(&root, "h2"), "Thank you!");
    assert_eq!(text(&root, ".ending .body"), "Enjoy your purchase.");
    assert_eq!(text(&root, "[aria-live]"), "Thank you!");
    assert!(find_all(&root, "form").is_empty());
    let responses = responses.borrow();
    assert_eq!(responses.len(), 1);
    let response = &responses[0];
    assert_eq!(response.status, Status::Complete);
    assert_eq!(response.sequence, 1);
    assert_eq!(response.locale, "en");
    assert_eq!(
        response.answers.get("satisfaction"),
        Some(&AnswerValue::Csat(4))
    );
    assert_eq!(response.scores.csat, Some(4));
    assert_eq!(response.relationship.type_id, "just_buying");
    assert_eq!(response.relationship.source, TypeSource::Explicit);
    assert_eq!(response.widget_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(response.response_id.len(), 36);
    let survey = survey(POST_PURCHASE);
    assert_eq!(
        survey.check_response(response),
        vec![],
        "the collector would accept it"
    );

    widget.unmount();
    host.remove();
}

#[wasm_bindgen_test]
async fn nps_radios_follow_the_arrow_keys() {
    let host = new_element("nps-keys");
    let (options, _) = collecting_options("{}");
    if let Err(err) = mount(&host, survey(NPS_SURVEY), options) {
        panic!("mount: {err}");
    }
    sleep(20).await;
    let root = shadow(&host);
    let values = find_all(&root, "[role=radiogroup] [role=radio]");
    assert_eq!(values.len(), 11);
    let checked = || -> Vec<String> {
        find_all(&root, "[role=radio][aria-checked=true]")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect()
    };
    let tab_stops = || find_all(&root, "[role=radio][tabindex='0']").len();
    assert!(checked().is_empty());
    assert_eq!(values[0].get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(tab_stops(), 1);

    press(&values[0], "ArrowRight");
    sleep(20).await;
    assert_eq!(checked(), ["1"]);
    assert_eq!(
        root.active_element().as_ref(),
        Some(&values[1]),
        "focus follows the check"
    );
    assert_eq!(values[1].get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(tab_stops(), 1);

    press(&values[1], "ArrowRight");
    sleep(20).await;
    assert_eq!(checked(), ["2"]);
    assert_eq!(root.active_element().as_ref(), Some(&values[2]));

    press(&values[2], "ArrowLeft");
    sleep(20).await;
    assert_eq!(checked(), ["1"]);

    press(&values[1], "End");
    sleep(20).await;
    assert_eq!(checked(), ["10"]);
    assert_eq!(root.active_element().as_ref(), Some(&values[10]));

    press(&values[10], "ArrowRight");
    sleep(20).await;
    assert_eq!(checked(), ["10"], "the scale does not wrap around");

    host.remove();
}

#[wasm_bindgen_test]
async fn a_required_step_cannot_be_passed_without_an_answer() {
    let host = new_element("required");
    let (options, responses) = collecting_options("{}");
    if let Err(err) = mount(&host, survey(NPS_SURVEY), options) {
        panic!("mount: {err}");
    }
    sleep(20).await;
    let root = shadow(&host);
    assert!(
        find_all(&root, ".button-skip").is_empty(),
        "a required step has no Skip"
    );

    click(&find(&root, ".button-primary"));
    sleep(20).await;
    assert_eq!(text(&root, "h2"), "Would you recommend us?");
    assert_eq!(text(&root, "[role=alert]"), "Please answer this question.");
    let group = find(&root, "[role=radiogroup]");
    assert_eq!(group.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(group
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .contains("rapport-hint"));

    // Still refused on a second try; then an answer lets the customer on.
    click(&find(&root, ".button-primary"));
    sleep(20).await;
    assert_eq!(text(&root, "h2"), "Would you recommend us?");
    click(&find_all(&root, "[role=radio]")[8]);
    sleep(20).await;
    assert!(
        find_all(&root, "[role=alert]").is_empty(),
        "an answer clears the hint"
    );
    click(&find(&root, ".button-primary"));
    sleep(20).await;

    // The optional text step: a counter, Skip, Back.
    assert_eq!(text(&root, "h2"), "Why?");
    assert_eq!(text(&root, ".counter"), "0 of 200 characters");
    assert_eq!(
        find(&root, "textarea")
            .get_attribute("maxlength")
            .as_deref(),
        Some("200")
    );
    assert!(!find_all(&root, ".button-skip").is_empty());
    click(&find(&root, ".button-back"));
    sleep(20).await;
    assert_eq!(text(&root, "h2"), "Would you recommend us?");
    let checked = find(&root, "[role=radio][aria-checked=true]");
    assert_eq!(
        checked.text_content().as_deref(),
        Some("8"),
        "Back keeps the answer"
    );
    assert!(responses.borrow().is_empty());

    host.remove();
}

#[wasm_bindgen_test]
async fn an_invalid_survey_shows_nothing_and_logs_every_problem() {
    let target = new_element("invalid-target");
    let errors = ConsoleErrors::capture();
    boot(
        r##"{"target": "#invalid-target", "survey": {
            "id": "Bad Id", "version": 0, "default_locale": "en", "locales": ["en"],
            "steps": [{"id": "a", "kind": "nps", "title": {"en": "?"}, "when": "answers.nope > 1"}]
        }}"##,
    );
    wait_for("the console error", || !errors.messages().is_empty()).await;
    sleep(20).await;
    let messages = errors.messages();
    drop(errors);

    assert_eq!(messages.len(), 1, "{messages:?}");
    let lines: Vec<&str> = messages[0].lines().collect();
    assert!(
        lines[0].starts_with("[rapport] the survey definition is not valid"),
        "{lines:?}"
    );
    assert!(lines.len() >= 3, "every problem on its own line: {lines:?}");
    assert!(
        lines[1..].iter().all(|line| line.starts_with('$')),
        "{lines:?}"
    );
    assert_eq!(target.child_element_count(), 0, "nothing is shown");
    assert!(matches!(
        document().query_selector("[data-rapport-survey]"),
        Ok(None)
    ));

    target.remove();
}

#[wasm_bindgen_test]
async fn a_bad_configuration_logs_one_error() {
    let errors = ConsoleErrors::capture();
    boot(r#"{"survey_url": "/s.json", "context": {"order": {"totl": 4}}}"#);
    boot("not json");
    boot("{}");
    sleep(20).await;
    let messages = errors.messages();
    drop(errors);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].starts_with(
        "[rapport] the configuration is not valid: context.order.totl: unknown field"
    ));
    assert!(messages[1].starts_with("[rapport] the configuration is not valid"));
    assert!(messages[2].starts_with("[rapport] the configuration needs `survey_url`"));
}

#[wasm_bindgen_test]
async fn boot_fetches_the_survey_and_posts_the_response() {
    let target = new_element("boot-target");
    let fetch = FakeFetch::install(POST_PURCHASE);
    boot(
        r##"{"survey_url": "https://shop.example/post-purchase.json",
             "endpoint": "https://collector.example/responses",
             "target": "#boot-target", "locale": "de-AT",
             "context": {"relationship": "just_buying", "order": {"id": "A-7", "total": 40}}}"##,
    );
    wait_for("the widget", || {
        target
            .query_selector("[data-rapport-survey]")
            .ok()
            .flatten()
            .and_then(|host| host.shadow_root())
            .is_some_and(|root| root.query_selector("h2").ok().flatten().is_some())
    })
    .await;
    let host = match target.query_selector("[data-rapport-survey]") {
        Ok(Some(host)) => host,
        _ => panic!("no host"),
    };
    assert_eq!(
        host.get_attribute("data-rapport-survey").as_deref(),
        Some("post-purchase")
    );
    let root = shadow(&host);
    assert_eq!(text(&root, "h2"), "Ihre Bestellung A-7 ist bestätigt");
    assert_eq!(text(&root, ".button-primary"), "Weiter");
    assert_eq!(
        find(&root, "section").get_attribute("lang").as_deref(),
        Some("de")
    );
    assert!(
        find_all(&root, "style, [style]").is_empty(),
        "no inline styles (strict CSP)"
    );
    assert_eq!(root.adopted_style_sheets().length(), 1);

    click(&find(&root, ".button-primary"));
    sleep(20).await;
    click(&find_all(&root, "[role=radio]")[4]);
    sleep(20).await;
    click(&find(&root, ".button-primary"));
    wait_for("the post", || !fetch.posts.borrow().is_empty()).await;
    assert_eq!(text(&root, "h2"), "Vielen Dank!");

    // `Request::clone` is the JS method (a copy of the request); clone the handle instead.
    let request = Clone::clone(&fetch.posts.borrow()[0]);
    drop(fetch);
    assert_eq!(request.url(), "https://collector.example/responses");
    let headers = request.headers();
    assert_eq!(
        headers.get("Content-Type").ok().flatten().as_deref(),
        Some("application/json")
    );
    let body = match request.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|b| b.as_string()),
        Err(_) => None,
    };
    let response: Response = match serde_json::from_str(&body.unwrap_or_default()) {
        Ok(response) => response,
        Err(err) => panic!("the body is not a response: {err}"),
    };
    assert_eq!(
        headers.get("Idempotency-Key").ok().flatten(),
        Some(format!("{}:1", response.response_id))
    );
    assert_eq!(response.status, Status::Complete);
    assert_eq!(response.locale, "de");
    assert_eq!(
        response.answers.get("satisfaction"),
        Some(&AnswerValue::Csat(5))
    );
    assert_eq!(response.context.order.id.as_deref(), Some("A-7"));

    target.remove();
}

#[wasm_bindgen_test]
async fn a_host_takes_only_one_widget() {
    let host = new_element("twice");
    let (options, _) = collecting_options("{}");
    if let Err(err) = mount(&host, survey(NPS_SURVEY), options.clone()) {
        panic!("mount: {err}");
    }
    let second = mount(&host, survey(NPS_SURVEY), options);
    assert!(matches!(second, Err(rapport::MountError::Shadow(_))));
    host.remove();
}
