//! Browser tests of the page-level JS API (`window.rapport` → [`rapport::api`]): the command
//! queue, options and callbacks, the three modes, triggers, frequency capping and sampling.
//! `cargo test -p rapport --target wasm32-unknown-unknown`.
//!
//! One survey is shown at a time on a page, and the tests share one page: each test closes
//! what it showed.

#![cfg(target_arch = "wasm32")]

mod widget_support;

use std::cell::RefCell;
use std::rc::Rc;

use rapport::api;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use widget_support::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---- helpers -------------------------------------------------------------------------------

/// A JS function that records its argument on every call (and throws, if asked to).
struct Recorder {
    calls: Rc<RefCell<Vec<JsValue>>>,
    closure: Closure<dyn FnMut(JsValue) -> Result<(), JsValue>>,
}

impl Recorder {
    fn new() -> Self {
        Self::build(false)
    }

    fn throwing() -> Self {
        Self::build(true)
    }

    fn build(throws: bool) -> Self {
        let calls = Rc::new(RefCell::new(Vec::new()));
        let sink = calls.clone();
        let closure =
            Closure::<dyn FnMut(JsValue) -> Result<(), JsValue>>::new(move |argument: JsValue| {
                sink.borrow_mut().push(argument);
                if throws {
                    Err(js_sys::Error::new("the shop's callback is broken").into())
                } else {
                    Ok(())
                }
            });
        Self { calls, closure }
    }

    fn function(&self) -> &JsValue {
        self.closure.as_ref()
    }

    fn calls(&self) -> Vec<JsValue> {
        self.calls.borrow().clone()
    }
}

/// An options object: `json` plus the given callbacks.
fn options(json: &str, callbacks: &[(&str, &Recorder)]) -> JsValue {
    let object = match js_sys::JSON::parse(json) {
        Ok(object) => object,
        Err(err) => panic!("bad test options {json}: {err:?}"),
    };
    for (name, recorder) in callbacks {
        let _ = js_sys::Reflect::set(&object, &(*name).into(), recorder.function());
    }
    object
}

/// `value.a.b.c` as a JS value.
fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |value, key| {
        js_sys::Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED)
    })
}

/// The survey's host element on the page, if one is shown.
fn page_host() -> Option<Element> {
    document()
        .query_selector("[data-rapport-survey]")
        .ok()
        .flatten()
}

/// Waits until a survey with a heading is on the page and returns its host.
async fn shown_host() -> Element {
    wait_for("a survey on the page", || {
        page_host()
            .and_then(|host| host.shadow_root())
            .is_some_and(|root| root.query_selector("h2").ok().flatten().is_some())
    })
    .await;
    match page_host() {
        Some(host) => host,
        None => panic!("no host"),
    }
}

/// The NPS survey inline, with `extra` options (a JSON object's members, or empty).
fn nps_options(extra: &str) -> String {
    let separator = if extra.is_empty() { "" } else { ", " };
    format!(r#"{{"survey": {NPS_SURVEY}, "locale": "en"{separator}{extra}}}"#)
}

/// Answers the NPS survey: 9, then skips the text; waits for each screen.
async fn answer_nps(root: &web_sys::ShadowRoot) {
    let heading = || text(root, "h2");
    click(&find_all(root, "[role=radio]")[9]);
    wait_for("the pick", || {
        !find_all(root, "[role=radio][aria-checked=true]").is_empty()
    })
    .await;
    click(&find(root, ".button-primary"));
    wait_for("the text step", || heading() == "Why?").await;
    click(&find(root, ".button-skip"));
    wait_for("the thanks", || heading() == "Thank you!").await;
}

/// Waits until a survey that is not to be shown (capped, sampled out) has been turned away
/// and its slot is free again; one that is shown keeps the slot, and this times out. A fixed
/// wait can be outrun on a busy machine, and the next `show` would then find the slot taken.
async fn decided() {
    wait_for("the survey's slot to be free", || !rapport::display::busy()).await;
}

/// Waits until `host` has left the page.
async fn gone(host: &Element) {
    wait_for("the survey to close", || !host.is_connected()).await;
}

/// Waits until `recorder` has been called `n` times.
async fn calls(recorder: &Recorder, n: usize) -> Vec<JsValue> {
    wait_for("the callback", || recorder.calls().len() >= n).await;
    recorder.calls()
}

fn html_button(id: &str) -> HtmlElement {
    let button = match document().create_element("button") {
        Ok(button) => button,
        Err(err) => panic!("create_element: {err:?}"),
    };
    button.set_id(id);
    button.set_text_content(Some("Host page button"));
    if let Some(body) = document().body() {
        let _ = body.append_child(&button);
    }
    match button.dyn_into::<HtmlElement>() {
        Ok(button) => button,
        Err(_) => panic!("not an HTML element"),
    }
}

fn clear_storage() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
    }
}

// ---- callbacks and options -----------------------------------------------------------------

#[wasm_bindgen_test]
async fn show_runs_the_callbacks_and_applies_the_theme() {
    clear_storage();
    let target = new_element("api-inline");
    let (on_step, on_submit, on_close) = (Recorder::new(), Recorder::new(), Recorder::new());
    api::show(options(
        &nps_options(
            r##""target": "#api-inline", "theme": {"brand": "#112233", "radius": "2px"},
                "context": {"order": {"id": "API-1"}}"##,
        ),
        &[
            ("onStep", &on_step),
            ("onSubmit", &on_submit),
            ("onClose", &on_close),
        ],
    ));
    let host = shown_host().await;
    assert_eq!(
        host.parent_element().as_ref(),
        Some(&target),
        "inline: in the target"
    );
    assert_eq!(
        host.get_attribute("data-rapport-mode").as_deref(),
        Some("inline")
    );
    let style = match host.dyn_ref::<HtmlElement>() {
        Some(host) => host.style(),
        None => panic!("the host is not an HTML element"),
    };
    assert_eq!(
        style.get_property_value("--rapport-brand").ok().as_deref(),
        Some("#112233")
    );
    assert_eq!(
        style.get_property_value("--rapport-radius").ok().as_deref(),
        Some("2px")
    );
    let root = shadow(&host);
    assert!(
        find_all(&root, ".close, dialog").is_empty(),
        "inline has no frame"
    );
    let first = calls(&on_step, 1).await;
    assert_eq!(first.len(), 1);
    assert_eq!(
        get(&first[0], "step_id").as_string().as_deref(),
        Some("nps")
    );
    assert_eq!(get(&first[0], "kind").as_string().as_deref(), Some("nps"));
    assert_eq!(
        get(&first[0], "survey_id").as_string().as_deref(),
        Some("nps-only")
    );
    assert_eq!(get(&first[0], "position").as_f64(), Some(1.0));

    answer_nps(&root).await;
    let steps: Vec<Option<String>> = on_step
        .calls()
        .iter()
        .map(|info| get(info, "step_id").as_string())
        .collect();
    assert_eq!(steps, [Some("nps".into()), Some("why".into())]);
    let submitted = on_submit.calls();
    assert_eq!(submitted.len(), 1, "onSubmit once");
    assert_eq!(
        get(&submitted[0], "survey_id").as_string().as_deref(),
        Some("nps-only")
    );
    assert_eq!(get(&submitted[0], "answers.nps.value").as_f64(), Some(9.0));
    assert_eq!(
        get(&submitted[0], "status").as_string().as_deref(),
        Some("complete")
    );
    assert!(on_close.calls().is_empty());

    api::close();
    gone(&host).await;
    assert!(page_host().is_none(), "close removes the survey");
    let closed = calls(&on_close, 1).await;
    assert_eq!(closed.len(), 1);
    assert_eq!(get(&closed[0], "completed").as_bool(), Some(true));
    target.remove();
}

#[wasm_bindgen_test]
async fn a_throwing_callback_is_reported_and_changes_nothing() {
    clear_storage();
    let errors = ConsoleErrors::capture();
    let (on_step, on_submit) = (Recorder::throwing(), Recorder::new());
    api::show(options(
        &nps_options(r#""mode": "inline", "target": "body""#),
        &[("onStep", &on_step), ("onSubmit", &on_submit)],
    ));
    let host = shown_host().await;
    let root = shadow(&host);
    answer_nps(&root).await;
    assert_eq!(calls(&on_submit, 1).await.len(), 1, "the survey went on");
    wait_for("both errors", || errors.messages().len() >= 2).await;
    let messages = errors.messages();
    drop(errors);
    assert_eq!(on_step.calls().len(), 2);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "[rapport] the onStep callback threw: Error: the shop's callback is broken"
        ),
        "{messages:?}"
    );
    assert_eq!(text(&root, "h2"), "Thank you!");
    api::close();
}

#[wasm_bindgen_test]
async fn errors_reach_on_error_with_a_code() {
    let errors = ConsoleErrors::capture();
    let on_error = Recorder::new();
    api::show(options(r#"{"survey": 7}"#, &[("onError", &on_error)]));
    api::show(options(
        r#"{"survey": {"id": "Bad Id", "version": 0, "default_locale": "en", "locales": ["en"], "steps": []}}"#,
        &[("onError", &on_error)],
    ));
    wait_for("two errors", || on_error.calls().len() == 2).await;
    let messages = errors.messages();
    drop(errors);
    let codes: Vec<Option<String>> = on_error
        .calls()
        .iter()
        .map(|e| get(e, "code").as_string())
        .collect();
    assert_eq!(
        codes,
        [Some("config".into()), Some("invalid_survey".into())]
    );
    assert_eq!(messages.len(), 2, "one console error each: {messages:?}");
    assert_eq!(
        get(&on_error.calls()[1], "message").as_string(),
        messages[1].strip_prefix("[rapport] ").map(str::to_owned)
    );
    assert!(page_host().is_none());
    // A callback that is not a function is a configuration error too.
    let errors = ConsoleErrors::capture();
    let bad = options(r#"{"survey": "/s.json", "onSubmit": "thanks"}"#, &[]);
    api::show(bad);
    let messages = errors.messages();
    drop(errors);
    assert_eq!(
        messages,
        ["[rapport] the configuration is not valid: onSubmit: must be a function"]
    );
    assert!(!rapport::display::busy());
}

#[wasm_bindgen_test]
async fn the_loaders_early_fetch_of_the_survey_is_taken_once() {
    clear_storage();
    let target = new_element("prefetch-target");
    // Nothing serves this URL: only the handed-over response can provide the survey.
    let url = "/nothing-here/prefetched-survey.json";
    let init = web_sys::ResponseInit::new();
    init.set_status(200);
    let response = match web_sys::Response::new_with_opt_str_and_init(Some(NPS_SURVEY), &init) {
        Ok(response) => response,
        Err(err) => panic!("Response: {err:?}"),
    };
    api::prefetched(url.into(), js_sys::Promise::resolve(&response).into());
    let show = format!(r##"{{"survey": "{url}", "locale": "en", "target": "#prefetch-target"}}"##);
    api::show(options(&show, &[]));
    let host = shown_host().await;
    assert_eq!(host.parent_element().as_ref(), Some(&target));
    api::close();
    gone(&host).await;

    // Taken once: the next show of that URL fetches it, which fails here.
    let errors = ConsoleErrors::capture();
    let on_error = Recorder::new();
    api::show(options(&show, &[("onError", &on_error)]));
    let error = calls(&on_error, 1).await.remove(0);
    drop(errors);
    assert_eq!(
        get(&error, "code").as_string().as_deref(),
        Some("survey_unavailable")
    );
    assert!(page_host().is_none());
    target.remove();
}

// ---- modes ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_modal_traps_focus_closes_on_escape_and_returns_focus() {
    clear_storage();
    let button = html_button("before-modal");
    let _ = button.focus();
    let on_close = Recorder::new();
    api::show(options(
        &nps_options(r#""mode": "modal""#),
        &[("onClose", &on_close)],
    ));
    let host = shown_host().await;
    wait_for("the focus", || {
        document().active_element().as_ref() == Some(&host)
    })
    .await;
    assert_eq!(
        host.get_attribute("data-rapport-mode").as_deref(),
        Some("modal")
    );
    assert_eq!(
        host.parent_element(),
        document().body().map(Element::from),
        "a modal lives at the end of the body"
    );
    let root = shadow(&host);
    let dialog = find(&root, "dialog.frame-modal");
    assert_eq!(
        dialog.matches(":modal").ok(),
        Some(true),
        "opened with showModal()"
    );
    assert_eq!(
        dialog.get_attribute("aria-label").as_deref(),
        Some("Survey"),
        "named (the survey has no title)"
    );
    let close = find(&root, "dialog > button.close");
    assert_eq!(
        close.get_attribute("aria-label").as_deref(),
        Some("Close survey")
    );
    assert_eq!(
        document().active_element().as_ref(),
        Some(&host),
        "focus moved in"
    );
    assert_eq!(
        root.active_element(),
        Some(find(&root, "h2")),
        "to the heading"
    );

    // Escape: the dialog's `cancel` event.
    let cancel = web_sys::EventInit::new();
    cancel.set_cancelable(true);
    let event = match web_sys::Event::new_with_event_init_dict("cancel", &cancel) {
        Ok(event) => event,
        Err(err) => panic!("Event: {err:?}"),
    };
    let _ = dialog.dispatch_event(&event);
    gone(&host).await;
    assert_eq!(
        document().active_element(),
        Some(Element::from(button.clone())),
        "focus is back where it was"
    );
    let closed = on_close.calls();
    assert_eq!(closed.len(), 1);
    assert_eq!(get(&closed[0], "completed").as_bool(), Some(false));
    button.remove();
}

#[wasm_bindgen_test]
async fn the_thanks_of_a_modal_can_be_closed() {
    clear_storage();
    let on_close = Recorder::new();
    api::show(options(
        &nps_options(r#""mode": "modal""#),
        &[("onClose", &on_close)],
    ));
    let host = shown_host().await;
    let root = shadow(&host);
    answer_nps(&root).await;
    assert_eq!(text(&root, "h2"), "Thank you!");
    click(&find(&root, ".button-done"));
    gone(&host).await;
    let closed = calls(&on_close, 1).await;
    assert_eq!(closed.len(), 1);
    assert_eq!(get(&closed[0], "completed").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn a_slide_in_is_a_corner_card_that_leaves_the_page_alone() {
    clear_storage();
    let button = html_button("before-slide-in");
    let _ = button.focus();
    let on_close = Recorder::new();
    // No target and no mode: a slide-in.
    api::show(options(&nps_options(""), &[("onClose", &on_close)]));
    let host = shown_host().await;
    wait_for("the card to open", || {
        shadow(&host)
            .query_selector(".frame-slide-in:popover-open")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert_eq!(
        host.get_attribute("data-rapport-mode").as_deref(),
        Some("slide_in")
    );
    let root = shadow(&host);
    let card = find(&root, ".frame-slide-in");
    assert_eq!(
        card.matches(":popover-open").ok(),
        Some(true),
        "in the top layer"
    );
    assert_eq!(card.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(card.get_attribute("aria-modal").as_deref(), Some("false"));
    assert_eq!(
        document().active_element(),
        Some(Element::from(button.clone())),
        "a slide-in does not take the focus"
    );
    click(&find(&root, "button.close"));
    gone(&host).await;
    assert_eq!(calls(&on_close, 1).await.len(), 1);
    button.remove();
}

#[wasm_bindgen_test]
async fn closing_a_slide_in_the_customer_tabbed_into_returns_focus_to_where_they_came_from() {
    clear_storage();
    // Nothing has focus when the card opens; the customer then tabs from a page link into it.
    if let Some(active) = document()
        .active_element()
        .and_then(|a| a.dyn_into::<HtmlElement>().ok())
    {
        let _ = active.blur();
    }
    api::show(options(&nps_options(""), &[]));
    let host = shown_host().await;
    let root = shadow(&host);
    wait_for("the card to open", || {
        root.query_selector(".frame-slide-in:popover-open")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let card = find(&root, ".frame-slide-in");
    let link = html_button("page-link");
    let _ = link.focus();
    let first = match find(&root, "button.close").dyn_into::<HtmlElement>() {
        Ok(button) => button,
        Err(_) => panic!("not an HTML element"),
    };
    let _ = first.focus();
    assert_eq!(root.active_element(), Some(Element::from(first)));
    press(&card, "Escape");
    gone(&host).await;
    assert_eq!(
        document().active_element(),
        Some(Element::from(link.clone())),
        "focus back on the page's link, not on <body>"
    );
    link.remove();
}

/// Shows the NPS survey inline into `target`, which cannot take it: the survey is shown as a
/// slide-in card; returns the warnings logged on the way. Closes it.
async fn inline_falls_back_to_a_slide_in(target: &str) -> Vec<String> {
    clear_storage();
    let warnings = ConsoleErrors::capture_level("warn");
    api::show(options(
        &nps_options(&format!(r#""mode": "inline", "target": "{target}""#)),
        &[],
    ));
    let host = shown_host().await;
    let messages = warnings.messages();
    drop(warnings);
    assert_eq!(
        host.get_attribute("data-rapport-mode").as_deref(),
        Some("slide_in")
    );
    assert_eq!(host.parent_element(), document().body().map(Element::from));
    api::close();
    gone(&host).await;
    messages
}

#[wasm_bindgen_test]
async fn an_inline_survey_without_its_target_becomes_a_slide_in() {
    assert_eq!(
        inline_falls_back_to_a_slide_in("#missing").await,
        [
            "[rapport] target `#missing` matches no element",
            "[rapport] an inline survey needs a `target` element; showing a slide-in card instead"
        ]
    );
}

#[wasm_bindgen_test]
async fn an_inline_target_that_cannot_show_content_gives_a_slide_in() {
    let input = match document().create_element("input") {
        Ok(input) => input,
        Err(err) => panic!("create_element: {err:?}"),
    };
    input.set_id("not-a-box");
    if let Some(body) = document().body() {
        let _ = body.append_child(&input);
    }
    assert_eq!(
        inline_falls_back_to_a_slide_in("#not-a-box").await,
        ["[rapport] target `#not-a-box` cannot show a survey inside it (an <input>, <img>, <svg>, <table>, …); showing a slide-in card instead"]
    );
    input.remove();
}

#[wasm_bindgen_test]
async fn a_theme_value_or_header_the_browser_refuses_is_a_configuration_error() {
    clear_storage();
    for (option, expected) in [
        (
            r#""headers": {"Bad Header": "x"}"#,
            "headers.Bad Header: not a valid request header (TypeError: Failed to execute 'append' on 'Headers': Invalid name)",
        ),
        (
            r#""headers": {"X-Shop": "a\nb"}"#,
            "headers.X-Shop: not a valid request header (TypeError: Failed to execute 'append' on 'Headers': Invalid value)",
        ),
        (
            r#""theme": {"radius": "4"}"#,
            "theme.radius: `4` is not a value this browser takes for `border-radius`",
        ),
        (
            r#""theme": {"brand": "notacolour; background: red"}"#,
            "theme.brand: `notacolour; background: red` is not a value this browser takes for `color`",
        ),
    ] {
        let errors = ConsoleErrors::capture();
        let on_error = Recorder::new();
        api::show(options(
            &nps_options(option),
            &[("onError", &on_error)],
        ));
        let calls = calls(&on_error, 1).await;
        let messages = errors.messages();
        drop(errors);
        assert_eq!(
            messages,
            [format!("[rapport] the configuration is not valid: {expected}")]
        );
        assert_eq!(get(&calls[0], "code").as_string().as_deref(), Some("config"));
        assert!(page_host().is_none());
    }
    // Values the browser takes, including a shop's own custom property, pass.
    api::show(options(
        &nps_options(
            r#""headers": {"Authorization": "Bearer a.b", "X-Shop": "kaffeewerk"}, "theme": {"radius": "4px", "brand": "var(--shop-brand, #123)", "font": "Georgia, serif", "backdrop": "rgb(0 0 0 / 0.3)"}"#,
        ),
        &[],
    ));
    let host = shown_host().await;
    api::close();
    gone(&host).await;
}

#[wasm_bindgen_test]
async fn an_unknown_explicit_relationship_type_is_named_in_a_warning() {
    clear_storage();
    let warnings = ConsoleErrors::capture_level("warn");
    api::show(options(
        &nps_options(r#""context": {"relationship": "bestfriends"}"#),
        &[],
    ));
    let host = shown_host().await;
    let messages = warnings.messages();
    drop(warnings);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "[rapport] context.relationship `bestfriends` is not a relationship type of the survey"
        ) && messages[0].contains("best_friends"),
        "{messages:?}"
    );
    api::close();
    gone(&host).await;
}

#[wasm_bindgen_test]
async fn a_locale_option_the_survey_lacks_is_named_in_a_warning() {
    clear_storage();
    let warnings = ConsoleErrors::capture_level("warn");
    api::show(options(&nps_options(r#""locale": "fr""#), &[]));
    let host = shown_host().await;
    let messages = warnings.messages();
    drop(warnings);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("[rapport] locale `fr` is not one of the survey's locales (")
            && messages[0].contains("it is shown in `"),
        "{messages:?}"
    );
    api::close();
    gone(&host).await;
    // A regional variant of a locale the survey has is fine.
    let warnings = ConsoleErrors::capture_level("warn");
    api::show(options(&nps_options(r#""locale": "en-GB""#), &[]));
    let host = shown_host().await;
    let messages = warnings.messages();
    drop(warnings);
    assert!(messages.is_empty(), "{messages:?}");
    api::close();
    gone(&host).await;
}

#[wasm_bindgen_test]
async fn a_survey_only_for_german_is_shown_when_the_page_shows_it_in_german() {
    clear_storage();
    // No `context.locale`: the `locale` option (like the page's language) decides.
    let german_only = r#"{"id": "de-only", "version": 1, "default_locale": "en", "locales": ["en", "de"],
      "steps": [{"id": "csat", "kind": "csat", "when": "locale == de",
                 "title": {"en": "German only", "de": "Nur auf Deutsch"}}]}"#;
    let infos = ConsoleErrors::capture_level("info");
    api::show(options(
        &format!(r#"{{"survey": {german_only}, "locale": "en"}}"#),
        &[],
    ));
    decided().await;
    let said = infos.messages();
    drop(infos);
    assert!(page_host().is_none());
    assert!(
        said.iter()
            .any(|m| m.contains("has no step for this context")),
        "{said:?}"
    );
    api::show(options(
        &format!(r#"{{"survey": {german_only}, "locale": "de"}}"#),
        &[],
    ));
    let host = shown_host().await;
    let root = match host.shadow_root() {
        Some(root) => root,
        None => panic!("no shadow root"),
    };
    assert_eq!(text(&root, "h2"), "Nur auf Deutsch");
    api::close();
    gone(&host).await;
}

/// A move's new state is saved for resuming in the click's own task, though the step changes
/// a task later: a customer who leaves right after Continue comes back to the next step.
#[wasm_bindgen_test]
async fn a_move_is_saved_for_resuming_in_the_clicks_task() {
    clear_storage();
    api::show(options(
        &nps_options(r#""context": {"order": {"id": "R-1"}}"#),
        &[],
    ));
    let root = shadow(&shown_host().await);
    // The saved run's state: its path and answers.
    let saved = || {
        let text = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item("rapport-run:nps-only:R-1").ok().flatten())
            .unwrap_or_default();
        serde_json::from_str::<serde_json::Value>(&text).map_or(serde_json::Value::Null, |run| {
            serde_json::json!([
                run["state"]["path"],
                run["state"]["answers"]["nps"]["value"]
            ])
        })
    };
    click(&find_all(&root, "[role=radio]")[9]);
    wait_for("the pick", || {
        !find_all(&root, "[role=radio][aria-checked=true]").is_empty()
    })
    .await;
    assert_eq!(
        saved(),
        serde_json::json!([["nps"], null]),
        "a pick alone is not a move"
    );
    click(&find(&root, ".button-primary"));
    microtasks().await;
    assert_eq!(
        text(&root, "h2"),
        "Would you recommend us?",
        "the step changes later"
    );
    assert_eq!(
        saved(),
        serde_json::json!([["nps", "why"], 9]),
        "saved in the click's task"
    );
    wait_for("the next step", || text(&root, "h2") == "Why?").await;
    api::close();
    clear_storage();
}

// ---- one at a time, triggers ---------------------------------------------------------------

#[wasm_bindgen_test]
async fn one_survey_at_a_time() {
    clear_storage();
    api::show(options(&nps_options(""), &[]));
    let host = shown_host().await;
    let warnings = ConsoleErrors::capture_level("warn");
    api::show(options(&nps_options(r#""mode": "modal""#), &[]));
    sleep(20).await;
    let messages = warnings.messages();
    drop(warnings);
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("already shown"), "{messages:?}");
    assert!(host.is_connected());
    api::close();
    // Once closed, another may come.
    api::show(options(&nps_options(r#""mode": "modal""#), &[]));
    let second = shown_host().await;
    assert_eq!(
        second.get_attribute("data-rapport-mode").as_deref(),
        Some("modal")
    );
    api::close();
    // A survey the page removed itself frees its place, too.
    api::show(options(&nps_options(""), &[]));
    shown_host().await.remove();
    api::show(options(&nps_options(""), &[]));
    shown_host().await;
    api::close();
}

#[wasm_bindgen_test]
async fn the_delay_trigger_waits_and_close_cancels_it() {
    clear_storage();
    api::show(options(
        &nps_options(r#""trigger": "delay", "delay": 200"#),
        &[],
    ));
    sleep(80).await;
    assert!(page_host().is_none(), "not yet");
    shown_host().await;
    api::close();

    api::show(options(
        &nps_options(r#""trigger": "delay", "delay": 150"#),
        &[],
    ));
    sleep(30).await;
    assert!(rapport::display::busy());
    api::close();
    assert!(!rapport::display::busy());
    sleep(300).await;
    assert!(page_host().is_none(), "a closed survey never appears");
}

#[wasm_bindgen_test]
async fn the_scroll_trigger_waits_for_the_target() {
    clear_storage();
    let spacer = new_element("spacer");
    // A tall block pushes the target below the fold.
    spacer.set_inner_html(&"<p>filler</p>".repeat(400));
    let target = new_element("scroll-target");
    api::show(options(
        &nps_options(r##""trigger": "scroll", "target": "#scroll-target""##),
        &[],
    ));
    sleep(200).await;
    assert!(page_host().is_none(), "the target is not on screen yet");
    target.scroll_into_view();
    let host = shown_host().await;
    assert_eq!(host.parent_element().as_ref(), Some(&target));
    api::close();
    spacer.remove();
    target.remove();
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

// ---- frequency and sampling ----------------------------------------------------------------

#[wasm_bindgen_test]
async fn capping_per_order_and_days_and_sampling() {
    clear_storage();
    let order = |id: &str, extra: &str| {
        nps_options(&format!(
            r#""context": {{"order": {{"id": "{id}"}}}}{extra}"#
        ))
    };
    // Shown and finished for order F-1.
    api::show(options(&order("F-1", ""), &[]));
    answer_nps(&shadow(&shown_host().await)).await;
    api::close();

    let notes = ConsoleErrors::capture_level("info");
    api::show(options(&order("F-1", ""), &[]));
    decided().await;
    assert!(page_host().is_none(), "not twice for one order");
    api::show(options(
        &order("F-2", r#", "frequency": {"days": 30}"#),
        &[],
    ));
    decided().await;
    assert!(page_host().is_none(), "not again within 30 days");
    api::show(options(&order("F-2", r#", "sampling": 0"#), &[]));
    decided().await;
    assert!(page_host().is_none(), "0 % sampling shows nothing");
    let messages = notes.messages();
    drop(notes);
    assert_eq!(
        messages,
        [
            "[rapport] the survey `nps-only` is not shown: it was already shown for this order (`frequency.once_per_order`)",
            "[rapport] the survey `nps-only` is not shown: it was shown recently (`frequency.days`)",
            "[rapport] the survey `nps-only` is not shown: this browser is not in the sample (`sampling`)",
        ]
    );

    // A new order with no day limit and full sampling is shown. Left unfinished (the page
    // closed it), it comes back for the same order, to be finished…
    api::show(options(&order("F-2", ""), &[]));
    shown_host().await;
    api::close();
    api::show(options(&order("F-2", ""), &[]));
    let host = shown_host().await;
    // … unless the customer closed it.
    click(&find(&shadow(&host), "button.close"));
    gone(&host).await;
    wait_for("the slot", || !rapport::display::busy()).await;
    api::show(options(&order("F-2", ""), &[]));
    decided().await;
    assert!(
        page_host().is_none(),
        "a dismissed survey does not come back"
    );
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("rapport:nps-only").ok().flatten())
        .unwrap_or_default();
    assert!(
        stored.contains("\"F-1\"") && stored.contains("\"F-2\""),
        "{stored}"
    );
    clear_storage();
}

#[wasm_bindgen_test]
async fn without_storage_nothing_is_capped() {
    clear_storage();
    let window: js_sys::Object = js_sys::global();
    let original = js_sys::Object::get_own_property_descriptor(&window, &"localStorage".into());
    let thrower = Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
        Err(js_sys::Error::new("SecurityError: storage is disabled").into())
    });
    let descriptor = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&descriptor, &"get".into(), thrower.as_ref());
    let _ = js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
    js_sys::Object::define_property(&window, &"localStorage".into(), &descriptor);
    assert!(
        web_sys::window().is_some_and(|w| w.local_storage().is_err()),
        "could not replace localStorage"
    );

    for _ in 0..2 {
        api::show(options(
            &nps_options(
                r#""context": {"order": {"id": "NO-STORAGE"}}, "frequency": {"days": 30}"#,
            ),
            &[],
        ));
        shown_host().await;
        api::close();
    }

    if let Some(original) = original.dyn_ref::<js_sys::Object>() {
        js_sys::Object::define_property(&window, &"localStorage".into(), original);
    } else {
        let _ = js_sys::Reflect::delete_property(&window, &"localStorage".into());
    }
    assert!(web_sys::window().is_some_and(|w| w.local_storage().is_ok()));
}

// ---- the loader's entry point ---------------------------------------------------------------

#[wasm_bindgen_test]
async fn connect_replays_the_queue_and_shows_the_tags_survey() {
    clear_storage();
    let target = new_element("tag-target");
    let base = options(&nps_options(r##""target": "#tag-target""##), &[]);

    // The tag alone shows its survey.
    api::connect(
        base.clone(),
        JsValue::UNDEFINED,
        js_sys::Array::new().into(),
    );
    let host = shown_host().await;
    assert_eq!(host.parent_element().as_ref(), Some(&target));
    api::close();

    // A queued `show` replaces the tag's own, with its options merged over the tag's.
    let on_submit = Recorder::new();
    let queued = js_sys::Array::of2(
        &js_sys::Array::of2(
            &"show".into(),
            &options(r#"{"mode": "modal"}"#, &[("onSubmit", &on_submit)]),
        ),
        &js_sys::Array::of1(&"bogus".into()),
    );
    let errors = ConsoleErrors::capture();
    api::connect(base.clone(), JsValue::UNDEFINED, queued.into());
    let host = shown_host().await;
    let messages = errors.messages();
    drop(errors);
    assert_eq!(
        messages,
        ["[rapport] unknown command `bogus`; known: show, close"]
    );
    assert_eq!(
        host.get_attribute("data-rapport-mode").as_deref(),
        Some("modal")
    );
    answer_nps(&shadow(&host)).await;
    assert_eq!(calls(&on_submit, 1).await.len(), 1);
    api::command(js_sys::Array::of1(&"close".into()).into());
    gone(&host).await;

    // `data-trigger="manual"`: nothing until `show`.
    let manual = options(
        &nps_options(r##""target": "#tag-target", "trigger": "manual""##),
        &[],
    );
    api::connect(manual, JsValue::UNDEFINED, js_sys::Array::new().into());
    sleep(50).await;
    assert!(page_host().is_none());
    api::command(js_sys::Array::of1(&"show".into()).into());
    shown_host().await;
    api::close();
    target.remove();
    // Forget the tag's options, for the other tests.
    api::connect(
        js_sys::Object::new().into(),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    );
}
