//! When the survey appears ([`Trigger`]): at once, after a delay, or when an element scrolls
//! into view. [`arm`] starts waiting; the returned [`Armed`] resolves its promise with
//! `true` when the trigger fires, or with `false` when [`Armed::cancel`] is called first.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};

use crate::config::Trigger;
use crate::console;

/// A trigger that is waiting.
pub struct Armed {
    promise: Promise,
    resolve: Function,
    timer: Option<i32>,
    observer: Option<IntersectionObserver>,
    _on_intersect: Option<Closure<dyn FnMut(Array, IntersectionObserver)>>,
}

impl Armed {
    /// Resolves with `true` when the trigger fires, `false` when cancelled.
    pub fn promise(&self) -> Promise {
        self.promise.clone()
    }

    /// Stops waiting; the promise resolves with `false` (unless it already fired).
    pub fn cancel(&self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        let _ = self.resolve.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

/// Starts waiting for `trigger`. `delay_ms` is the wait of [`Trigger::Delay`]; `watch` the
/// element [`Trigger::Scroll`] waits for (without one, it fires at once, with a warning).
/// [`Trigger::Manual`] fires at once: it only keeps the script tag from showing the survey
/// by itself, and a `show` call means now.
#[must_use]
pub fn arm(trigger: Trigger, delay_ms: f64, watch: Option<&Element>) -> Armed {
    let mut resolve = None;
    let promise = Promise::new(&mut |yes, _no| resolve = Some(yes));
    // The executor runs at once, so `resolve` is set; the fallback (calling it throws, which
    // `call1` catches) only keeps this free of a panic path.
    let resolve = resolve.unwrap_or_else(|| JsValue::UNDEFINED.unchecked_into());
    let mut armed = Armed {
        promise,
        resolve,
        timer: None,
        observer: None,
        _on_intersect: None,
    };
    let fire_now = |armed: &Armed| {
        let _ = armed.resolve.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
    };
    match trigger {
        // "At once" is a zero-delay timer: the survey then renders in a task of its own, after
        // the task that fetched and validated it, so neither blocks the page for long.
        Trigger::Immediately | Trigger::Manual | Trigger::Delay => {
            let delay_ms = if trigger == Trigger::Delay {
                delay_ms
            } else {
                0.0
            };
            // Whole milliseconds; beyond `i32::MAX` (24 days) is never in practice.
            #[allow(clippy::cast_possible_truncation)]
            let ms = delay_ms.clamp(0.0, f64::from(i32::MAX)) as i32;
            let timer = web_sys::window().and_then(|window| {
                window
                    .set_timeout_with_callback_and_timeout_and_arguments_1(
                        &armed.resolve,
                        ms,
                        &JsValue::TRUE,
                    )
                    .ok()
            });
            match timer {
                Some(timer) => armed.timer = Some(timer),
                None => fire_now(&armed),
            }
        }
        Trigger::Scroll => match watch.map(|element| observe(&armed.resolve, element)) {
            Some(Ok((observer, closure))) => {
                armed.observer = Some(observer);
                armed._on_intersect = Some(closure);
            }
            Some(Err(err)) => {
                console::warn(&format!(
                    "the scroll trigger cannot watch the target ({}); showing the survey now",
                    crate::error::describe(&err)
                ));
                fire_now(&armed);
            }
            None => {
                console::warn(
                    "the scroll trigger needs a `target` element to watch; showing the survey now",
                );
                fire_now(&armed);
            }
        },
    }
    armed
}

/// Resolves in a later task of the page's event loop (a zero-delay timer), so that the work
/// before and after it are two tasks: the page can handle input and paint in between, and
/// neither grows into a long task on a slow device.
pub async fn next_task() {
    let promise = Promise::new(&mut |resolve, _reject| {
        let timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .ok()
        });
        if timer.is_none() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Calls `work` in a later task of the page's event loop ([`next_task`]); without a window to
/// set a timer on, right after the caller's work.
pub fn later(work: impl FnOnce() + 'static) {
    later_boxed(Box::new(work));
}

/// [`later`] for every kind of work: one copy of the waiting code in the bundle rather than
/// one per caller.
fn later_boxed(work: Box<dyn FnOnce()>) {
    wasm_bindgen_futures::spawn_local(async move {
        next_task().await;
        work();
    });
}

type Observed = (
    IntersectionObserver,
    Closure<dyn FnMut(Array, IntersectionObserver)>,
);

/// Watches `element`; `resolve(true)` once any part of it is on screen.
fn observe(resolve: &Function, element: &Element) -> Result<Observed, JsValue> {
    let resolve = resolve.clone();
    let closure = Closure::<dyn FnMut(Array, IntersectionObserver)>::new(
        move |entries: Array, observer: IntersectionObserver| {
            let visible = entries.iter().any(|entry| {
                entry
                    .dyn_into::<IntersectionObserverEntry>()
                    .is_ok_and(|entry| entry.is_intersecting())
            });
            if visible {
                observer.disconnect();
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
            }
        },
    );
    let observer = IntersectionObserver::new(closure.as_ref().unchecked_ref())?;
    observer.observe(element);
    Ok((observer, closure))
}
