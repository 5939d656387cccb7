//! The JavaScript API behind `window.rapport`, called by the loader (`loader/rapport.js`):
//!
//! - [`begin`] once, with the script tag's options and the loader's panic listener, then in a
//!   later task [`replay`] with the commands queued before the widget loaded
//!   (`rapport.push([...])`) — or both at once through [`connect`] (from Rust);
//! - [`command`] for every later `rapport.push([name, options])`, `rapport.show(options)`
//!   and `rapport.close()`.
//!
//! Commands: `['show', options]` (options merged key by key over the script tag's) and
//! `['close']`. None of them throws into the page.

use std::cell::RefCell;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::callbacks::Callbacks;
use crate::config::Config;
use crate::console;
use crate::display;
use crate::error::{describe, BootError};
use crate::panic;

thread_local! {
    /// The script tag's options (its `data-*` attributes).
    static BASE: RefCell<Option<Object>> = const { RefCell::new(None) };
}

/// Starts the API: keeps `base` (the script tag's options), hands `on_panic` to the panic
/// hook, replays the `queue` of commands made before the widget loaded, and shows the
/// script tag's survey unless the queue showed one or the tag says `data-trigger="manual"`.
/// [`begin`] and then [`replay`] in one call (the loader makes the two calls in separate
/// tasks; this one is for Rust callers such as the browser tests).
pub fn connect(base: JsValue, on_panic: JsValue, queue: JsValue) {
    begin(base, on_panic);
    replay(queue);
}

/// The first half of [`connect`]: keeps `base` (the script tag's options), hands
/// `on_panic` to the panic hook and starts delivery. The loader calls [`replay`] in a later
/// task, keeping the page's commands queued until then, so that reading the first
/// configuration is not part of the task that starts the widget (on a slow phone the two
/// together are a long task).
#[wasm_bindgen]
pub fn begin(base: JsValue, on_panic: JsValue) {
    panic::install();
    crate::delivery::start();
    panic::set_listener(on_panic.dyn_into().ok());
    let base = base.dyn_into::<Object>().unwrap_or_else(|_| Object::new());
    BASE.with(|b| *b.borrow_mut() = Some(base));
}

/// The second half of [`connect`]: runs the `queue` of commands made before the widget
/// loaded, in order, then shows the script tag's survey unless the queue showed one or the
/// tag says `data-trigger="manual"`.
#[wasm_bindgen]
pub fn replay(queue: JsValue) {
    let (auto, manual) = BASE.with(|base| {
        let base = base.borrow();
        let Some(base) = base.as_ref() else {
            return (false, false);
        };
        let auto = has(base, "survey") || has(base, "survey_url");
        let manual = js_sys::Reflect::get(base, &"trigger".into())
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == "manual");
        (auto, manual)
    });
    let mut showed = false;
    if let Some(queue) = queue.dyn_ref::<Array>() {
        for item in queue.iter() {
            showed |= command_name(&item).as_deref() == Some("show");
            command(item);
        }
    }
    if auto && !manual && !showed {
        show(JsValue::UNDEFINED);
    }
}

/// Hands over the loader's early `fetch(url)` of the script tag's survey, started while the
/// widget was downloading; the survey download takes it instead of fetching `url` again.
/// Anything but a promise is ignored.
#[wasm_bindgen]
pub fn prefetched(url: String, response: JsValue) {
    if let Ok(response) = response.dyn_into::<js_sys::Promise>() {
        crate::http::prefetched(url, response);
    }
}

/// Runs one command: `['show', options]`, `['close']`.
#[wasm_bindgen]
pub fn command(command: JsValue) {
    if panic::is_dead() {
        return;
    }
    let Some(list) = command.dyn_ref::<Array>() else {
        console::error("rapport.push expects a command such as ['show', {...}] or ['close']");
        return;
    };
    match command_name(&command).as_deref() {
        Some("show") => show(list.get(1)),
        Some("close") => display::close(),
        Some("_panic") => panic::request(),
        Some(other) => console::error(&format!("unknown command `{other}`; known: show, close")),
        None => console::error("a command starts with its name, e.g. ['show', {...}]"),
    }
}

/// `rapport.show(options)`: shows a survey with `options` merged over the script tag's.
#[wasm_bindgen]
pub fn show(options: JsValue) {
    panic::install();
    if panic::is_dead() {
        return;
    }
    let merged = Object::new();
    BASE.with(|base| {
        if let Some(base) = &*base.borrow() {
            Object::assign(&merged, base);
        }
    });
    if let Some(options) = options.dyn_ref::<Object>() {
        Object::assign(&merged, options);
    } else if !options.is_undefined() && !options.is_null() {
        let err = BootError::Config("rapport.show expects an options object".into());
        console::error(&err.to_string());
        return;
    }
    let callbacks = match Callbacks::read(&merged) {
        Ok(callbacks) => callbacks,
        Err(err) => {
            console::error(&err.to_string());
            return;
        }
    };
    let parsed = js_sys::JSON::stringify(&merged)
        .map_err(|err| {
            BootError::Config(format!(
                "the options cannot be read as JSON ({})",
                describe(&err)
            ))
        })
        .and_then(|json| Config::parse(&String::from(json)));
    match parsed {
        Ok(config) => display::show(config, callbacks),
        Err(err) => {
            console::error(&err.to_string());
            callbacks.error(&err);
        }
    }
}

/// `rapport.close()`: closes the survey shown, or stops waiting for its trigger.
#[wasm_bindgen]
pub fn close() {
    if !panic::is_dead() {
        display::close();
    }
}

fn command_name(command: &JsValue) -> Option<String> {
    command.dyn_ref::<Array>()?.get(0).as_string()
}

fn has(object: &Object, key: &str) -> bool {
    js_sys::Reflect::get(object, &key.into()).is_ok_and(|v| !v.is_undefined() && !v.is_null())
}
