//! Containing a bug in the widget: a panic becomes one `[rapport]` console error, the
//! widget's elements are removed from the page, and the widget stops answering calls.
//!
//! A panic in WebAssembly ends in a trap (`RuntimeError: unreachable`) that unwinds into
//! whatever JavaScript called the widget; the loader (`loader/rapport.js`) keeps that error
//! from reaching the page's own error handlers. The loader also hands in a listener
//! ([`set_listener`]) that learns of the panic, to tell the shop's `onError`.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use wasm_bindgen::JsValue;

/// Set once the widget has panicked; from then on it does nothing.
static DEAD: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LISTENER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static REQUESTED: Cell<bool> = const { Cell::new(false) };
}

/// Installs the hook once (through yew, which would otherwise install its own on render).
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        yew::set_custom_panic_hook(Box::new(|info| {
            let first = !DEAD.swap(true, Ordering::SeqCst);
            if !first {
                return;
            }
            let payload = info.payload();
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            let at = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            let message = format!(
                "internal error, the survey stopped{at}: {what}. Please report this to the survey's provider."
            );
            crate::console::error(&message);
            remove_widgets();
            // `try_*`: the panic may have happened while the listener was being set.
            let listener = LISTENER
                .try_with(|l| l.try_borrow().ok().and_then(|l| l.clone()))
                .ok()
                .flatten();
            if let Some(listener) = listener {
                let _ = listener.call1(&JsValue::UNDEFINED, &JsValue::from_str(&message));
            }
        }));
    });
}

/// Whether the widget has panicked.
#[must_use]
pub fn is_dead() -> bool {
    DEAD.load(Ordering::SeqCst)
}

/// Sets the function the panic hook calls with the error message.
pub fn set_listener(listener: Option<js_sys::Function>) {
    LISTENER.with(|l| *l.borrow_mut() = listener);
}

/// Asks for a panic at the customer's next action (the `_panic` command), so the browser
/// tests can check that a bug in the widget stays contained.
pub fn request() {
    REQUESTED.with(|r| r.set(true));
}

/// Panics if [`request`] asked for it.
pub fn on_request() {
    if REQUESTED.with(|r| r.replace(false)) {
        // allow: a deliberate panic, asked for by the browser tests of panic containment.
        panic!("a panic was requested with the `_panic` command");
    }
}

/// Removes every widget host (`[data-rapport-survey]`) from the page.
fn remove_widgets() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    while let Ok(Some(host)) = document.query_selector("[data-rapport-survey]") {
        host.remove();
    }
}
