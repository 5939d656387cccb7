//! Browser tests of delivery across tabs: a letter another page handed to the browser waits
//! for its lease; only the tab holding the lock (Web Locks, or the `localStorage` lease
//! without them) sends.

#![cfg(target_arch = "wasm32")]

mod delivery_support;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use rapport::delivery::lock;
use rapport::delivery::outbox;
use rapport::delivery::storage;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use delivery_support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_letter_in_flight_elsewhere_waits_for_its_lease() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    // As a page that was left leaves it: the browser may still be delivering it.
    leave_behind(&letter("r-lease", 1, true));
    let lease = format!(r#"{{"lease":{}}}"#, now() + 3_000);
    storage::set("rapport-attempts:r-lease:1", &lease);
    outbox::flush_soon();
    sleep(1_000).await;
    assert_eq!(endpoint.count(), 0, "not sent while the lease lasts");
    wait_for("the delivery after the lease", 8_000, || {
        waiting().is_empty()
    })
    .await;
    assert_eq!(endpoint.keys(), ["r-lease:1"]);
}

#[wasm_bindgen_test]
async fn another_tab_holding_the_lock_sends_alone() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    // Another tab holds the Web Lock until `release` is called.
    let release: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let slot = release.clone();
    let hold = Closure::once_into_js(move |_lock: JsValue| {
        Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve))
    });
    let locks = web_sys::window().map(|w| Reflect::get(&w.navigator(), &"locks".into()));
    let Some(Ok(locks)) = locks else {
        panic!("no navigator.locks")
    };
    let request: Function = field(&locks, "request").unchecked_into();
    let _ = request.call2(&locks, &"rapport-outbox".into(), &hold);
    wait_for("the other tab's lock", 1_000, || release.borrow().is_some()).await;
    // A letter an earlier page left (a new letter is sent at once by its own tab).
    leave_behind(&letter("r-locked", 1, true));
    outbox::flush_soon();
    sleep(800).await;
    assert_eq!(
        endpoint.count(),
        0,
        "nothing sent while another tab flushes"
    );
    if let Some(release) = release.borrow_mut().take() {
        let _ = release.call0(&JsValue::UNDEFINED);
    }
    wait_for("the delivery", 6_000, || waiting().is_empty()).await;
    assert_eq!(endpoint.keys(), ["r-locked:1"]);
}

#[wasm_bindgen_test]
async fn without_web_locks_a_lease_in_storage_excludes_other_tabs() {
    quiet().await;
    lock::use_web_locks(false);
    let endpoint = Endpoint::install(&[]);
    storage::set("rapport-outbox", &format!("other-tab {}", now() + 1_000));
    leave_behind(&letter("r-lease-lock", 1, true));
    outbox::flush_soon();
    sleep(600).await;
    assert_eq!(endpoint.count(), 0, "another tab holds the lease");
    wait_for("the delivery", 6_000, || waiting().is_empty()).await;
    assert_eq!(endpoint.keys(), ["r-lease-lock:1"]);
    assert_eq!(
        storage::get("rapport-outbox"),
        None,
        "the lease is given back"
    );
    lock::use_web_locks(true);
}

#[wasm_bindgen_test]
async fn a_delivered_letter_seen_again_is_not_sent_again() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let sent = letter("r-stale", 1, true);
    outbox::enqueue(&sent);
    wait_for("the delivery", 3_000, || waiting().is_empty()).await;
    // A view of storage that has not caught up yet (another tab's, a moment later) still
    // shows the letter: the lock this tab keeps after delivering it says no.
    leave_behind(&sent);
    outbox::flush().await;
    sleep(300).await;
    assert_eq!(endpoint.keys(), ["r-stale:1"]);
    clear();
}
