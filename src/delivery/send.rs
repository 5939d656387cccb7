//! One attempt to POST a payload: `fetch` with the payload's headers, an
//! `Idempotency-Key`, `keepalive` (so the request outlives the page) and a timeout
//! ([`super::retry::TIMEOUT_MS`], through an `AbortController`).
//!
//! Not `navigator.sendBeacon`: it can send neither the `Idempotency-Key` header nor, to
//! another origin, an `application/json` body, and `fetch` with `keepalive` does what it
//! does in every current browser.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

use super::outbox::Letter;
use super::retry::TIMEOUT_MS;
use crate::error::describe;

/// Browsers refuse `keepalive` requests whose bodies add up to more than 64 KiB; larger
/// payloads go without it.
const KEEPALIVE_LIMIT: usize = 60 * 1024;

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The endpoint answered with this status (and this `Retry-After`, if it sent one
    /// and let the page read it).
    Answered {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header.
        retry_after: Option<String>,
    },
    /// No answer: network error, connection refused, CORS refusal, timeout.
    NoAnswer(String),
    /// The request could not even be made (an invalid header or URL); it never will be.
    Unsendable(String),
}

/// POSTs `letter` once.
pub async fn send(letter: &Letter) -> Sent {
    let Some(window) = web_sys::window() else {
        return Sent::NoAnswer("there is no window".into());
    };
    let request = match request(letter) {
        Ok(request) => request,
        Err(err) => return Sent::Unsendable(describe(&err)),
    };
    let (request, abort) = request;
    let timer = abort.and_then(|abort| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&abort, TIMEOUT_MS as i32)
            .ok()
    });
    let outcome = JsFuture::from(window.fetch_with_request(&request)).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    match outcome.and_then(JsCast::dyn_into::<Response>) {
        Ok(response) => Sent::Answered {
            status: response.status(),
            retry_after: response.headers().get("Retry-After").ok().flatten(),
        },
        Err(err) => Sent::NoAnswer(describe(&err)),
    }
}

/// The request, and a function that aborts it (when `AbortController` exists).
fn request(letter: &Letter) -> Result<(Request, Option<Function>), JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &letter.headers {
        headers.set(name, value)?;
    }
    headers.set("Content-Type", "application/json")?;
    headers.set("Idempotency-Key", &letter.idempotency_key())?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&letter.body));
    if letter.body.len() <= KEEPALIVE_LIMIT {
        // `RequestInit::set_keepalive` is missing from web-sys; the field is standard.
        Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE)?;
    }
    let abort = AbortController::new().ok().map(|controller| {
        init.set_signal(Some(&controller.signal()));
        // `abort` bound to its controller: a plain JS function, nothing to free on the Rust
        // side if the timer is cleared.
        Reflect::get(&controller, &"abort".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|f| f.bind0(&controller))
    });
    let request = Request::new_with_str_and_init(&letter.endpoint, &init)?;
    Ok((request, abort.flatten()))
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    // At most ~24.8 days, the longest timeout browsers accept.
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since 1970.
#[must_use]
pub fn now_ms() -> u64 {
    // Non-negative and far below 2^53 for the next few hundred thousand years.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    {
        js_sys::Date::now().max(0.0) as u64
    }
}

/// Milliseconds since 1970 of an HTTP date (`Retry-After`).
#[must_use]
pub fn parse_date(value: &str) -> Option<u64> {
    let ms = js_sys::Date::parse(value);
    // Checked finite and non-negative above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (ms.is_finite() && ms >= 0.0).then_some(ms as u64)
}
