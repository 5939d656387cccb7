//! Browser tests of the outbox in headless Chromium (`cargo test -p rapport --target
//! wasm32-unknown-unknown --test delivery`): stored before sending, removed after a 2xx,
//! retried with backoff or after `Retry-After`, refused payloads reported and kept aside,
//! newer sequences replacing waiting ones, a bounded queue.
//!
//! `window.fetch` is a scripted endpoint (`delivery_support`); the assertions are on what it
//! received and on what is left in storage. The end-to-end tests (`e2e/delivery.test.mjs`)
//! do the same with a real HTTP endpoint and real page loads.

#![cfg(target_arch = "wasm32")]

mod delivery_support;

use js_sys::Reflect;
use rapport::delivery::outbox::{self, Hooks, MAX_QUEUED};
use rapport::delivery::storage;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use delivery_support::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---- the outbox ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_payload_is_stored_before_it_is_sent_and_removed_after_a_2xx() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    outbox::enqueue(&letter("r-stored", 1, true));
    assert_eq!(waiting(), ["r-stored:1"], "written before any attempt");
    wait_for("the delivery", 3_000, || {
        endpoint.count() == 1 && waiting().is_empty()
    })
    .await;
    assert_eq!(
        endpoint.calls.borrow()[0].stored,
        [format!("{}r-stored:1", outbox::QUEUE_PREFIX)],
        "the payload was in storage while it was sent"
    );
    let request = Clone::clone(&endpoint.calls.borrow()[0].request);
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url(), ENDPOINT);
    assert_eq!(
        endpoint.header(0, "Idempotency-Key").as_deref(),
        Some("r-stored:1")
    );
    assert_eq!(
        endpoint.header(0, "Content-Type").as_deref(),
        Some("application/json")
    );
    assert_eq!(endpoint.header(0, "X-Shop").as_deref(), Some("kaffeewerk"));
    assert_eq!(
        Reflect::get(&request, &"keepalive".into())
            .ok()
            .and_then(|k| k.as_bool()),
        Some(true)
    );
    assert_eq!(
        endpoint.body(0).await,
        r#"{"response_id":"r-stored","sequence":1}"#
    );
    assert!(storage::keys("rapport-attempts:").is_empty());
}

#[wasm_bindgen_test]
async fn a_payload_is_sent_from_the_next_task_or_by_the_page_being_left_and_only_once() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    outbox::enqueue(&letter("r-next", 1, true));
    assert_eq!(waiting(), ["r-next:1"]);
    microtasks().await;
    assert_eq!(endpoint.count(), 0, "no request in the task that stored it");
    wait_for("the delivery", 3_000, || waiting().is_empty()).await;
    assert_eq!(endpoint.keys(), ["r-next:1"]);

    // Left before that next task: the page gets no more tasks, so `pagehide` sends it.
    outbox::enqueue(&letter("r-leaving", 1, true));
    page_event("pagehide");
    microtasks().await;
    assert_eq!(
        endpoint.keys(),
        ["r-next:1", "r-leaving:1"],
        "requested while the page was being left"
    );
    // The page stayed after all (back/forward cache): no second request.
    page_event("pageshow");
    wait_for("the delivery", 3_000, || waiting().is_empty()).await;
    sleep(300).await;
    assert_eq!(endpoint.keys(), ["r-next:1", "r-leaving:1"]);
}

#[wasm_bindgen_test]
async fn a_flush_of_an_empty_outbox_asks_for_no_lock_and_a_payload_left_behind_is_still_sent() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let requests = count_calls("LockManager", "request", "true");
    outbox::flush().await;
    assert_eq!(
        requests.count(),
        0.0,
        "nothing stored: no Web Lock asked for"
    );

    leave_behind(&letter("r-behind", 1, true));
    outbox::flush().await;
    wait_for("the delivery", 3_000, || waiting().is_empty()).await;
    let asked = requests.stop();
    assert_eq!(endpoint.keys(), ["r-behind:1"]);
    assert!(
        asked >= 1.0,
        "a stored payload is sent under the lock ({asked} requests)"
    );
}

/// Lets the microtasks queued so far run (the background work started by then).
async fn microtasks() {
    let _ =
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED)).await;
}

/// Dispatches `name` (e.g. `pagehide`) on the window, as the browser does.
fn page_event(name: &str) {
    let dispatched = web_sys::window()
        .zip(web_sys::Event::new(name).ok())
        .and_then(|(window, event)| window.dispatch_event(&event).ok());
    assert!(dispatched.is_some(), "could not dispatch `{name}`");
}

#[wasm_bindgen_test]
async fn server_and_network_errors_are_retried_with_growing_waits() {
    quiet().await;
    let endpoint = Endpoint::install(&[Answer::Status(500), Answer::Down]);
    outbox::enqueue(&letter("r-retry", 1, true));
    wait_for("the delivery", 5_000, || waiting().is_empty()).await;
    assert_eq!(
        endpoint.keys(),
        ["r-retry:1"; 3],
        "one payload, three attempts"
    );
    let times = endpoint.times();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Backoff with equal jitter: 0.5–1 s, then 1–2 s (plus timer slack).
    assert_eq!(gaps.len(), 2);
    for (gap, (low, high)) in gaps.iter().zip([(450.0, 1_300.0), (950.0, 2_300.0)]) {
        assert!((low..high).contains(gap), "waits {gaps:?}");
    }
    sleep(300).await;
    assert_eq!(endpoint.count(), 3, "nothing after the 2xx");
}

#[wasm_bindgen_test]
async fn retry_after_is_honoured() {
    quiet().await;
    let endpoint = Endpoint::install(&[Answer::RetryAfter(429, "2")]);
    outbox::enqueue(&letter("r-429", 1, true));
    wait_for("the delivery", 5_000, || waiting().is_empty()).await;
    let times = endpoint.times();
    assert_eq!(times.len(), 2);
    assert!(
        times[1] - times[0] >= 1_950.0,
        "waited {} ms",
        times[1] - times[0]
    );
}

#[wasm_bindgen_test]
async fn a_4xx_is_not_retried_but_reported_and_kept_aside_and_nothing_else_is_lost() {
    quiet().await;
    let endpoint = Endpoint::install(&[Answer::Status(400)]);
    let (on_error, errors, _keep) = recorder();
    outbox::register(
        "r-refused",
        Hooks {
            on_submit: None,
            on_error: Some(on_error),
        },
    );
    outbox::enqueue(&letter("r-refused", 1, true));
    outbox::enqueue(&letter("r-other", 1, true));
    wait_for("both attempts", 3_000, || {
        waiting().is_empty() && !errors.borrow().is_empty()
    })
    .await;
    assert_eq!(endpoint.keys(), ["r-refused:1", "r-other:1"]);
    let info = errors.borrow()[0].clone();
    assert_eq!(
        field(&info, "code").as_string().as_deref(),
        Some("delivery")
    );
    assert_eq!(
        field(&info, "reason").as_string().as_deref(),
        Some("rejected")
    );
    assert_eq!(field(&info, "status").as_f64(), Some(400.0));
    assert_eq!(
        field(&info, "response_id").as_string().as_deref(),
        Some("r-refused")
    );
    assert_eq!(field(&info, "sequence").as_f64(), Some(1.0));
    let kept = outbox::kept();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].letter.idempotency_key(), "r-refused:1");
    assert_eq!(kept[0].status, Some(400));
    sleep(1_500).await;
    assert_eq!(endpoint.count(), 2, "the refused payload is not sent again");
    assert_eq!(errors.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn the_payloads_kept_aside_are_bounded() {
    quiet().await;
    let _endpoint = Endpoint::install(&[Answer::Status(422); outbox::MAX_KEPT + 3]);
    for i in 0..outbox::MAX_KEPT + 3 {
        outbox::enqueue(&letter(&format!("r-kept-{i:02}"), 1, true));
    }
    wait_for("every attempt", 5_000, || waiting().is_empty()).await;
    assert_eq!(outbox::kept().len(), outbox::MAX_KEPT);
}

#[wasm_bindgen_test]
async fn a_newer_sequence_replaces_the_waiting_one() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    endpoint.then_answer(Answer::Status(503));
    outbox::enqueue(&letter("r-seq", 1, false));
    wait_for("the first attempt to fail", 3_000, || {
        outbox::letters()
            .first()
            .is_some_and(|(_, attempts)| attempts.failures == 1)
    })
    .await;
    // Sequence 1 waits for its next attempt; sequence 2 replaces it.
    outbox::enqueue(&letter("r-seq", 2, true));
    assert_eq!(waiting(), ["r-seq:2"]);
    // An older sequence arriving late is not queued again.
    outbox::enqueue(&letter("r-seq", 1, false));
    assert_eq!(waiting(), ["r-seq:2"]);
    endpoint.then_answer(Answer::Status(200));
    wait_for("the delivery", 5_000, || waiting().is_empty()).await;
    sleep(1_200).await;
    let keys = endpoint.keys();
    assert_eq!(
        keys.iter().filter(|k| *k == "r-seq:1").count(),
        1,
        "the replaced post is not tried again: {keys:?}"
    );
    assert_eq!(keys.last().map(String::as_str), Some("r-seq:2"));
}

#[wasm_bindgen_test]
async fn the_outbox_is_bounded() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    endpoint.then_answer(Answer::Down);
    let (on_error, errors, _keep) = recorder();
    outbox::register(
        "r-bound-000",
        Hooks {
            on_submit: None,
            on_error: Some(on_error),
        },
    );
    for i in 0..MAX_QUEUED + 5 {
        outbox::enqueue(&letter(&format!("r-bound-{i:03}"), 1, true));
    }
    let left = waiting();
    assert_eq!(left.len(), MAX_QUEUED);
    assert_eq!(left[0], "r-bound-005:1", "the oldest were given up");
    wait_for("onError for the dropped payload", 2_000, || {
        !errors.borrow().is_empty()
    })
    .await;
    let info = errors.borrow()[0].clone();
    assert_eq!(
        field(&info, "reason").as_string().as_deref(),
        Some("dropped")
    );
    clear();
}

#[wasm_bindgen_test]
async fn a_payload_older_than_30_days_is_given_up() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let mut old = letter("r-old", 1, true);
    old.created = now() - outbox::MAX_AGE_MS - 1;
    leave_behind(&old);
    outbox::flush().await;
    assert!(waiting().is_empty());
    assert_eq!(endpoint.count(), 0);
}
