//! Browser tests of the widget in headless Chromium:
//! `cargo test -p rapport --target wasm32-unknown-unknown`.
//!
//! Each test mounts a survey into its own host element, acts through the shadow root as a
//! customer would (clicks, key presses) and asserts on what the customer sees and on the
//! response that leaves the widget.

#![cfg(target_arch = "wasm32")]

mod widget_support;

use rapport::{boot, mount};
use rapport_survey::{AnswerValue, Response, Status, TypeSource};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use widget_support::*;

wasm_bindgen_test_configure!(run_in_browser);

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
    let root = rendered(&host).await;

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

    // CSAT: a required 1–5 scale, the last step.
    shows(&root, "How satisfied are you with your order so far?").await;
    assert_eq!(text(&root, "[aria-live]"), "Step 2 of 2");
    // Focus follows a task after the step (see `App`).
    let heading = find(&root, "h2");
    wait_for("focus to move to the heading", || {
        root.active_element().as_ref() == Some(&heading)
    })
    .await;
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

    // The survey's ending, and the complete response.
    shows(&root, "Thank you!").await;
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

/// A survey whose message recalls the order total and a number the shop passed.
const RECALLS_NUMBERS: &str = r#"{
  "id": "numbers", "version": 1, "default_locale": "en", "locales": ["en", "de"],
  "steps": [
    {"id": "thanks", "kind": "reassurance",
     "title": {"en": "Your order of {order.total} is confirmed", "de": "Ihre Bestellung über {order.total} ist bestätigt"},
     "body": {"en": "{extra.weight} kg, order {customer.earlier_orders}", "de": "{extra.weight} kg, Bestellung {customer.earlier_orders}"}}
  ]
}"#;

/// What the message of [`RECALLS_NUMBERS`] says in `locale` with `context` (a locale other
/// than `en` takes the place of `de`).
async fn recalled(locale: &str, context_json: &str) -> (String, String) {
    let host = new_element(&format!("numbers-{locale}"));
    let options = rapport::Options::default()
        .with_context(context(context_json))
        .with_locale(locale);
    // The survey's second locale is the one asked for, unless that is English.
    let second = if locale == "en" { "de" } else { locale };
    let definition = RECALLS_NUMBERS.replace("\"de\"", &format!("\"{second}\""));
    let widget = match mount(&host, survey(&definition), options) {
        Ok(widget) => widget,
        Err(err) => panic!("mount: {err}"),
    };
    let root = rendered(&host).await;
    let said = (text(&root, "h2"), text(&root, ".body"));
    widget.unmount();
    host.remove();
    said
}

#[wasm_bindgen_test]
async fn numbers_in_texts_are_written_the_way_the_customers_language_writes_them() {
    let context = r#"{"order":{"total":1234.5,"currency":"EUR"},"customer":{"earlier_orders":1200},"extra":{"weight":2.75}}"#;
    assert_eq!(
        recalled("de", context).await,
        (
            "Ihre Bestellung über 1.234,50\u{a0}€ ist bestätigt".to_owned(),
            "2,75 kg, Bestellung 1.200".to_owned()
        )
    );
    assert_eq!(
        recalled("en", context).await,
        (
            "Your order of €1,234.50 is confirmed".to_owned(),
            "2.75 kg, order 1,200".to_owned()
        )
    );
    // Without a currency the total is a plain number; with a code Intl does not know, too.
    let no_currency =
        r#"{"order":{"total":1234.5},"customer":{"earlier_orders":0},"extra":{"weight":2.75}}"#;
    assert_eq!(
        recalled("de", no_currency).await.0,
        "Ihre Bestellung über 1.234,5 ist bestätigt"
    );
    let unknown = r#"{"order":{"total":1234.5,"currency":"EURO"},"customer":{"earlier_orders":0},"extra":{"weight":2.75}}"#;
    assert_eq!(
        recalled("de", unknown).await.0,
        "Ihre Bestellung über 1.234,5 ist bestätigt"
    );
    // A locale code the survey may declare but Intl rejects: Rust's own way.
    assert_eq!(
        recalled("de-ab1", context).await,
        (
            "Ihre Bestellung über 1234.5 ist bestätigt".to_owned(),
            "2.75 kg, Bestellung 1200".to_owned()
        )
    );
}

/// The NPS survey mounted into a new host `id`, once shown: the host, its shadow root and the
/// responses it hands on.
async fn show_nps(id: &str) -> (web_sys::Element, web_sys::ShadowRoot, Responses) {
    let host = new_element(id);
    let (options, responses) = collecting_options("{}");
    if let Err(err) = mount(&host, survey(NPS_SURVEY), options) {
        panic!("mount: {err}");
    }
    let root = rendered(&host).await;
    (host, root, responses)
}

/// The values of the scale that are checked.
fn checked_values(root: &web_sys::ShadowRoot) -> Vec<String> {
    find_all(root, "[role=radio][aria-checked=true]")
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn nps_radios_follow_the_arrow_keys() {
    let (host, root, _) = show_nps("nps-keys").await;
    let values = find_all(&root, "[role=radiogroup] [role=radio]");
    assert_eq!(values.len(), 11);
    let checked = || checked_values(&root);
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
async fn a_click_picks_the_value_clicked_and_the_space_between_the_values_picks_none() {
    let (host, root, _) = show_nps("nps-clicks").await;
    let values = find_all(&root, "[role=radiogroup] [role=radio]");
    let checked = || checked_values(&root);
    for (i, expected) in [(7, "7"), (0, "0"), (10, "10")] {
        click(&values[i]);
        sleep(20).await;
        assert_eq!(checked(), [expected], "after a click on {expected}");
    }
    // The group's own space and the scale's end labels are not values.
    let group = find(&root, "[role=radiogroup]");
    click(&group);
    press(&group, "ArrowLeft");
    click(&find(&root, ".scale-ends span"));
    sleep(20).await;
    assert_eq!(checked(), ["10"]);

    host.remove();
}

#[wasm_bindgen_test]
async fn a_step_change_is_shown_from_the_next_task_in_order_and_a_finish_is_stored_at_once() {
    let (host, root, responses) = show_nps("step-moves").await;
    let headings = Headings::watch(&root);
    click(&find_all(&root, "[role=radio]")[9]);
    click(&find(&root, ".button-primary"));
    microtasks().await;
    assert_eq!(
        text(&root, "h2"),
        "Would you recommend us?",
        "not yet in the click's task"
    );
    assert_eq!(headings.until(2).await[1], "Why?");

    // Back, then Continue on the last step, in one task: taken in that order (Back, then
    // Continue from the first step), so the survey is not finished.
    click(&find(&root, ".button-back"));
    click(&find(&root, ".button-primary"));
    assert_eq!(
        headings.until(4).await[2..],
        ["Would you recommend us?", "Why?"]
    );
    assert!(responses.borrow().is_empty(), "Back came first");

    // Continue on the last step finishes the survey: the response is handed on in the
    // click's own task, and the ending shown from the next.
    click(&find(&root, ".button-primary"));
    microtasks().await;
    assert_eq!(responses.borrow().len(), 1, "handed on in the click's task");
    assert_eq!(
        responses.borrow()[0].answers.get("nps"),
        Some(&AnswerValue::Nps(9))
    );
    assert_eq!(
        text(&root, "h2"),
        "Why?",
        "the ending is not in the click's task"
    );
    shows(&root, "Thank you!").await;
    sleep(50).await;
    assert_eq!(
        responses.borrow().len(),
        1,
        "the ending's render posts nothing again"
    );

    host.remove();
}

#[wasm_bindgen_test]
async fn a_required_step_cannot_be_passed_without_an_answer() {
    let (host, root, responses) = show_nps("required").await;
    assert!(
        find_all(&root, ".button-skip").is_empty(),
        "a required step has no Skip"
    );

    click(&find(&root, ".button-primary"));
    wait_for("the hint", || !find_all(&root, "[role=alert]").is_empty()).await;
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

    // The optional text step: a counter, Skip, Back.
    shows(&root, "Why?").await;
    assert_eq!(text(&root, ".counter"), "0 of 200 characters");
    assert!(!find(&root, ".counter").has_attribute("data-near-limit"));
    // Near the limit the counter says so (the style sheet marks it).
    let textarea: web_sys::HtmlTextAreaElement = find(&root, "textarea").unchecked_into();
    textarea.set_value(&"x".repeat(190));
    let input = web_sys::Event::new("input").unwrap_or_else(|err| panic!("{err:?}"));
    let _ = textarea.dispatch_event(&input);
    sleep(20).await;
    assert_eq!(text(&root, ".counter"), "190 of 200 characters");
    assert!(find(&root, ".counter").has_attribute("data-near-limit"));
    textarea.set_value("");
    let _ = textarea.dispatch_event(&input);
    sleep(20).await;
    assert_eq!(
        find(&root, "textarea")
            .get_attribute("maxlength")
            .as_deref(),
        Some("200")
    );
    assert!(!find_all(&root, ".button-skip").is_empty());
    click(&find(&root, ".button-back"));
    shows(&root, "Would you recommend us?").await;
    let checked = find(&root, "[role=radio][aria-checked=true]");
    assert_eq!(
        checked.text_content().as_deref(),
        Some("8"),
        "Back keeps the answer"
    );
    assert!(responses.borrow().is_empty());

    host.remove();
}

/// A survey of one required step of each kind that takes an answer (but NPS, see
/// [`NPS_SURVEY`]), single choice first.
const EVERY_KIND_REQUIRED: &str = r#"{
  "id": "every-kind", "version": 1, "default_locale": "en", "locales": ["en"],
  "steps": [
    {"id": "single", "kind": "single_choice", "required": true, "title": {"en": "One?"},
     "options": [{"id": "a", "label": {"en": "A"}}, {"id": "b", "label": {"en": "B"}}, {"id": "c", "label": {"en": "C"}}]},
    {"id": "csat", "kind": "csat", "required": true, "title": {"en": "Satisfied?"}},
    {"id": "ces", "kind": "ces", "required": true, "title": {"en": "Easy?"}},
    {"id": "multi", "kind": "multi_choice", "required": true, "title": {"en": "Several?"},
     "options": [{"id": "x", "label": {"en": "X"}}, {"id": "y", "label": {"en": "Y"}}]},
    {"id": "text", "kind": "text", "required": true, "max_length": 50, "title": {"en": "Say?"}},
    {"id": "consent", "kind": "consent", "required": true, "title": {"en": "Agree?"}}
  ]
}"#;

/// Presses Continue on a step left empty and waits for the hint.
async fn refused(root: &web_sys::ShadowRoot) {
    let before = find_all(root, "[role=alert]").len();
    click(&find(root, ".button-primary"));
    wait_for("the hint", || find_all(root, "[role=alert]").len() > before).await;
}

/// Waits for the answer's render (the hint gone), then checks that focus is still on
/// `control`: the element the customer was on, updated in place, not a copy put in its place.
async fn keeps_focus(root: &web_sys::ShadowRoot, control: &web_sys::Element, what: &str) {
    wait_for("the answer to clear the hint", || {
        find_all(root, "[role=alert]").is_empty()
    })
    .await;
    let active = root.active_element();
    assert!(
        active.is_some(),
        "{what}: focus fell out of the widget (to the page's body)"
    );
    assert_eq!(active.as_ref(), Some(control), "{what}: focus moved");
    assert!(control.is_connected(), "{what}: the control was replaced");
}

/// Focuses `element`, as Tab or Shift+Tab onto it does.
fn focus(element: &web_sys::Element) {
    match element.dyn_ref::<web_sys::HtmlElement>() {
        Some(element) => {
            let _ = element.focus();
        }
        None => panic!("not an HTML element"),
    }
}

#[wasm_bindgen_test]
async fn after_the_hint_the_arrow_keys_keep_focus_on_the_scale() {
    let (host, root, _) = show_nps("hint-scale").await;
    refused(&root).await;
    // Refused again: the hint is a new alert, announced again; the group is described by it.
    let first = find(&root, "[role=alert]");
    click(&find(&root, ".button-primary"));
    wait_for("the hint again", || {
        find_all(&root, "[role=alert]").first() != Some(&first)
    })
    .await;
    assert_eq!(find_all(&root, "[role=alert]").len(), 1);
    assert!(!first.is_connected());
    assert_eq!(
        find(&root, "[role=radiogroup]")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("rapport-hint")
    );
    let values = find_all(&root, "[role=radiogroup] [role=radio]");
    focus(&values[0]);
    press(&values[0], "ArrowRight");
    wait_for("the value picked", || checked_values(&root) == ["1"]).await;
    keeps_focus(&root, &values[1], "ArrowRight on the scale").await;
    let active = root.active_element();
    let checked = find(&root, "[role=radio][aria-checked=true]");
    assert_eq!(
        active.as_ref(),
        Some(&checked),
        "focus is on the value picked"
    );
    assert_eq!(checked.tag_name(), "BUTTON");
    assert_eq!(checked.get_attribute("tabindex").as_deref(), Some("0"));
    let group = find(&root, "[role=radiogroup]");
    assert!(!group.has_attribute("aria-invalid"));
    assert!(!group
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .contains("rapport-hint"));
    host.remove();
}

/// The survey of [`EVERY_KIND_REQUIRED`] mounted into a new host `id`, once shown.
async fn show_every_kind(id: &str) -> (web_sys::Element, web_sys::ShadowRoot) {
    let host = new_element(id);
    let (options, _) = collecting_options("{}");
    if let Err(err) = mount(&host, survey(EVERY_KIND_REQUIRED), options) {
        panic!("mount: {err}");
    }
    let root = rendered(&host).await;
    (host, root)
}

/// What the browser does on ArrowDown in a group of radio buttons (a synthetic key press
/// has no default action): focus and check the next one, and tell the page it changed.
fn arrow_down_onto(radio: &web_sys::Element) {
    focus(radio);
    radio
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .set_checked(true);
    change(radio);
}

fn change(element: &web_sys::Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init)
        .unwrap_or_else(|err| panic!("{err:?}"));
    let _ = element.dispatch_event(&event);
}

#[wasm_bindgen_test]
async fn after_the_hint_the_arrow_keys_keep_focus_on_the_radio_buttons() {
    let (host, root) = show_every_kind("hint-radios").await;
    refused(&root).await;
    let fieldset = find(&root, "fieldset");
    assert_eq!(
        fieldset.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let radios = find_all(&root, "input[type=radio]");
    assert_eq!(radios.len(), 3);
    focus(&radios[0]);
    press(&radios[0], "ArrowDown");
    arrow_down_onto(&radios[1]);
    keeps_focus(&root, &radios[1], "ArrowDown on the radio buttons").await;
    let active = root.active_element();
    let checked = find(&root, "input[type=radio]:checked");
    assert_eq!(
        active.as_ref(),
        Some(&checked),
        "focus is on the option picked"
    );
    assert_eq!(checked.tag_name(), "INPUT");
    assert_eq!(checked.get_attribute("value").as_deref(), Some("b"));
    assert!(!fieldset.has_attribute("aria-invalid"));
    host.remove();
}

#[wasm_bindgen_test]
async fn after_the_hint_every_kind_of_answer_keeps_focus() {
    let (host, root) = show_every_kind("hint-every-kind").await;
    click(&find_all(&root, "input[type=radio]")[0]);
    sleep(20).await;
    click(&find(&root, ".button-primary"));

    for (title, key) in [("Satisfied?", "End"), ("Easy?", "ArrowRight")] {
        shows(&root, title).await;
        refused(&root).await;
        let values = find_all(&root, "[role=radio]");
        focus(&values[0]);
        press(&values[0], key);
        let to = if key == "End" { values.len() - 1 } else { 1 };
        keeps_focus(&root, &values[to], &format!("{key} on {title}")).await;
        click(&find(&root, ".button-primary"));
    }

    shows(&root, "Several?").await;
    refused(&root).await;
    let boxes = find_all(&root, "input[type=checkbox]");
    focus(&boxes[1]);
    click(&boxes[1]);
    keeps_focus(&root, &boxes[1], "ticking a checkbox").await;
    click(&find(&root, ".button-primary"));

    shows(&root, "Say?").await;
    refused(&root).await;
    let textarea = find(&root, "textarea");
    focus(&textarea);
    textarea
        .unchecked_ref::<web_sys::HtmlTextAreaElement>()
        .set_value("O");
    let input = web_sys::Event::new("input").unwrap_or_else(|err| panic!("{err:?}"));
    let _ = textarea.dispatch_event(&input);
    keeps_focus(&root, &textarea, "typing into the text field").await;
    click(&find(&root, ".button-primary"));

    shows(&root, "Agree?").await;
    refused(&root).await;
    let consent = find(&root, "input[type=checkbox]");
    focus(&consent);
    click(&consent);
    keeps_focus(&root, &consent, "ticking the consent box").await;

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
    assert!(messages[2].starts_with("[rapport] the configuration needs `survey`"));
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
    wait_for("the second step", || {
        find_all(&root, "[role=radio]").len() == 5
    })
    .await;
    click(&find_all(&root, "[role=radio]")[4]);
    sleep(20).await;
    click(&find(&root, ".button-primary"));
    wait_for("the post", || !fetch.posts.borrow().is_empty()).await;
    shows(&root, "Vielen Dank!").await;

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

    rapport::display::close();
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

/// The wasm module's memory in bytes (it grows by 64 KiB pages and never shrinks).
fn wasm_memory_bytes() -> u32 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
}

#[wasm_bindgen_test]
async fn showing_and_removing_the_survey_again_and_again_frees_what_it_used() {
    // As on a single-page shop that shows the survey after each order. Measured here:
    // ~0.65 KB a round stays (yew 0.23 keeps each app root's event-handler closures for the
    // page's life, by design; attaching without rendering keeps nothing). Everything else a
    // round used — the survey, its run, its DOM's data — must be freed and reused: kept, it
    // would be ~35 KB a round (a round that forgets its widget instead of unmounting it).
    const ROUNDS: u32 = 200;
    const KEPT_PER_ROUND: u32 = 2 * 1024;
    async fn round() {
        let host = new_element("again");
        let (options, _) = collecting_options(JUST_BUYING);
        let widget = match mount(&host, survey(POST_PURCHASE), options) {
            Ok(widget) => widget,
            Err(err) => panic!("mount: {err}"),
        };
        let root = rendered(&host).await;
        click(&find(&root, ".button-primary"));
        shows(&root, "How satisfied are you with your order so far?").await;
        widget.unmount();
        host.remove();
    }
    for _ in 0..10 {
        round().await;
    }
    let settled = wasm_memory_bytes();
    for _ in 0..ROUNDS {
        round().await;
    }
    let grown = wasm_memory_bytes() - settled;
    assert!(
        grown <= ROUNDS * KEPT_PER_ROUND,
        "the wasm memory grew by {grown} B over {ROUNDS} rounds, more than {KEPT_PER_ROUND} B a round"
    );
}

/// A survey with a step only for German: `locale == de`.
const GERMAN_STEP: &str = r#"{
  "id": "lang", "version": 1, "default_locale": "en", "locales": ["en", "de"],
  "steps": [
    {"id": "german", "kind": "csat", "when": "locale == de",
     "title": {"en": "German only", "de": "Nur auf Deutsch"}},
    {"id": "nps", "kind": "nps", "title": {"en": "Recommend us?", "de": "Empfehlen Sie uns?"}}
  ]
}"#;

#[wasm_bindgen_test]
async fn the_locale_condition_reads_the_locale_the_survey_is_shown_in() {
    // The shop passes no locale in the context; the survey is shown in German (the option
    // here; the page's language alike) and English.
    for (locale, first) in [("de", "Nur auf Deutsch"), ("en", "Recommend us?")] {
        let host = new_element(&format!("lang-{locale}"));
        let (options, responses) = collecting_options("{}");
        let widget = match mount(&host, survey(GERMAN_STEP), options.with_locale(locale)) {
            Ok(widget) => widget,
            Err(err) => panic!("mount: {err}"),
        };
        let root = rendered(&host).await;
        assert_eq!(text(&root, "h2"), first, "shown in {locale}");
        assert!(responses.borrow().is_empty());
        widget.unmount();
        host.remove();
    }
}

/// A Swiss shop's survey in French and Italian (no English): an NPS step without end labels.
const SWISS: &str = r#"{
  "id": "swiss", "version": 1, "default_locale": "fr", "locales": ["fr", "it"],
  "steps": [
    {"id": "nps", "kind": "nps", "title": {"fr": "Nous recommanderiez-vous ?", "it": "Ci consiglierebbe?"}},
    {"id": "why", "kind": "text", "max_length": 200, "title": {"fr": "Pourquoi ?", "it": "Perché?"}}
  ]
}"#;

#[wasm_bindgen_test]
async fn the_widgets_own_words_are_in_the_language_the_survey_is_shown_in() {
    for (locale, words) in [
        (
            "fr-CH",
            [
                "Continuer",
                "Peu probable",
                "Très probable",
                "Passer",
                "Étape 1 sur 2",
            ],
        ),
        (
            "it-CH",
            [
                "Continua",
                "Poco probabile",
                "Molto probabile",
                "Salta",
                "Passo 1 di 2",
            ],
        ),
    ] {
        let host = new_element(&format!("words-{locale}"));
        let (options, _responses) = collecting_options("{}");
        let widget = match mount(&host, survey(SWISS), options.with_locale(locale)) {
            Ok(widget) => widget,
            Err(err) => panic!("mount: {err}"),
        };
        let root = rendered(&host).await;
        let ends: Vec<String> = find_all(&root, ".scale-ends span")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect();
        let shown = [
            text(&root, ".button-primary"),
            ends.first().cloned().unwrap_or_default(),
            ends.get(1).cloned().unwrap_or_default(),
            text(&root, ".button-skip"),
            root.text_content().unwrap_or_default(),
        ];
        assert_eq!(shown[..4], words[..4], "shown in {locale}");
        assert!(
            shown[4].contains(words[4]),
            "{locale}: the progress in {}",
            shown[4]
        );
        widget.unmount();
        host.remove();
    }
}
