//! Browser tests of delivery when storage fails: a full `localStorage` (quota exceeded), room
//! made by dropping what matters least, no `localStorage` at all; and a shop callback that
//! throws.

#![cfg(target_arch = "wasm32")]

mod delivery_support;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use rapport::delivery::outbox::{self, Hooks};
use rapport::delivery::storage::{self, Saved};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use delivery_support::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---- storage trouble -----------------------------------------------------------------------

/// Makes `Storage.prototype.setItem` throw (as when the quota is exceeded) while alive.
struct FullStorage {
    prototype: JsValue,
    original: JsValue,
}

impl FullStorage {
    fn install() -> Self {
        let storage_class = Reflect::get(&js_sys::global(), &"Storage".into()).unwrap_or_default();
        let prototype = Reflect::get(&storage_class, &"prototype".into()).unwrap_or_default();
        let original = Reflect::get(&prototype, &"setItem".into()).unwrap_or_default();
        let full = Function::new_no_args(
            "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');",
        );
        let _ = Reflect::set(&prototype, &"setItem".into(), &full);
        Self {
            prototype,
            original,
        }
    }
}

impl Drop for FullStorage {
    fn drop(&mut self) {
        let _ = Reflect::set(&self.prototype, &"setItem".into(), &self.original);
    }
}

#[wasm_bindgen_test]
async fn a_full_storage_keeps_payloads_in_memory_and_still_delivers() {
    quiet().await;
    let full = FullStorage::install();
    assert_eq!(storage::set("rapport-probe", "kept"), Saved::MemoryOnly);
    assert_eq!(storage::get("rapport-probe").as_deref(), Some("kept"));
    assert_eq!(storage::keys("rapport-probe"), ["rapport-probe"]);
    storage::remove("rapport-probe");
    assert_eq!(storage::get("rapport-probe"), None);

    let endpoint = Endpoint::install(&[Answer::Status(503)]);
    outbox::enqueue(&letter("r-full", 1, true));
    assert_eq!(waiting(), ["r-full:1"]);
    wait_for("the delivery", 4_000, || waiting().is_empty()).await;
    assert_eq!(endpoint.keys(), ["r-full:1", "r-full:1"]);
    drop(full);
    // Once storage works again, values go there.
    assert_eq!(storage::set("rapport-probe", "v"), Saved::Persisted);
    storage::remove("rapport-probe");
}

#[wasm_bindgen_test]
async fn a_full_storage_makes_room_by_dropping_what_matters_least() {
    quiet().await;
    let local = match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(local))) => local,
        _ => panic!("no localStorage"),
    };
    let _ = local.set_item("rapport-rejected:old:1", "{}");
    let _ = local.set_item("rapport-run:s:o", "{}");
    // Refuse every write while a payload kept aside is there.
    let prototype = Reflect::get(&js_sys::global(), &"Storage".into())
        .and_then(|s| Reflect::get(&s, &"prototype".into()))
        .unwrap_or_default();
    let original: Function = field(&prototype, "setItem").unchecked_into();
    let picky = Function::new_with_args(
        "original",
        "return function (key, value) { \
           if (localStorage.getItem('rapport-rejected:old:1') !== null) \
             throw new DOMException('full', 'QuotaExceededError'); \
           return original.call(this, key, value); }",
    )
    .call1(&JsValue::UNDEFINED, &original)
    .unwrap_or_default();
    let _ = Reflect::set(&prototype, &"setItem".into(), &picky);
    let saved = storage::set("rapport-outbox:new:1", "{}");
    let _ = Reflect::set(&prototype, &"setItem".into(), &original);
    assert_eq!(saved, Saved::Persisted);
    assert_eq!(
        local.get_item("rapport-rejected:old:1").ok().flatten(),
        None
    );
    assert_eq!(
        local.get_item("rapport-run:s:o").ok().flatten().as_deref(),
        Some("{}"),
        "saved progress stays when dropping the rejected payloads was enough"
    );
    clear();
}

#[wasm_bindgen_test]
async fn without_local_storage_everything_works_in_memory() {
    quiet().await;
    let window: JsValue = js_sys::global().into();
    let object = Reflect::get(&window, &"Object".into()).unwrap_or_default();
    let descriptor = js_sys::Object::get_own_property_descriptor::<JsValue>(
        window.unchecked_ref(),
        &"localStorage".into(),
    );
    let blocked = js_sys::Object::new();
    let _ = Reflect::set(
        &blocked,
        &"get".into(),
        &Function::new_no_args("throw new DOMException('denied', 'SecurityError');"),
    );
    let _ = Reflect::set(&blocked, &"configurable".into(), &JsValue::TRUE);
    let define: Function = field(&object, "defineProperty").unchecked_into();
    let _ = define.call3(&object, &window, &"localStorage".into(), &blocked);
    let blocked_now = web_sys::window().is_some_and(|w| w.local_storage().is_err());

    let endpoint = Endpoint::install(&[]);
    let memory_only = storage::set("rapport-probe", "v");
    outbox::enqueue(&letter("r-nostorage", 1, true));
    wait_for("the delivery", 3_000, || waiting().is_empty()).await;
    storage::remove("rapport-probe");
    let _ = define.call3(&object, &window, &"localStorage".into(), &descriptor);
    assert!(
        blocked_now,
        "localStorage could not be blocked for the test"
    );
    assert_eq!(memory_only, Saved::MemoryOnly);
    assert_eq!(endpoint.keys(), ["r-nostorage:1"]);
}

#[wasm_bindgen_test]
async fn a_throwing_callback_changes_nothing() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let errors = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = errors.clone();
    let console = Reflect::get(&js_sys::global(), &"console".into()).unwrap_or_default();
    let original = field(&console, "error");
    let capture = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| {
        sink.borrow_mut().push(m.as_string().unwrap_or_default());
    });
    let _ = Reflect::set(&console, &"error".into(), capture.as_ref());
    outbox::register(
        "r-throws",
        Hooks {
            on_submit: Some(Function::new_no_args("throw new Error('shop bug')")),
            on_error: None,
        },
    );
    outbox::enqueue(&letter("r-throws", 1, true));
    outbox::enqueue(&letter("r-after", 1, true));
    wait_for("the deliveries", 3_000, || {
        waiting().is_empty() && !errors.borrow().is_empty()
    })
    .await;
    let _ = Reflect::set(&console, &"error".into(), &original);
    assert_eq!(endpoint.keys(), ["r-throws:1", "r-after:1"]);
    let logged = errors.borrow().clone();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].starts_with("[rapport] the onSubmit callback threw: Error: shop bug"),
        "{logged:?}"
    );
}
