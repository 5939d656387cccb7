//! Getting the survey over the browser's `fetch` (posting responses is the outbox's, in
//! `delivery`). No HTTP client crate: each one adds bytes to every shop page.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::error::describe;

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// There is no `window` (e.g. inside a worker).
    #[error("there is no window to make the request from")]
    NoWindow,
    /// The request could not be built.
    #[error("the request could not be made: {0}")]
    Request(String),
    /// The request never got an answer: offline, DNS, CORS, blocked by the CSP, …
    #[error("the request failed ({0}); check the URL, the network, CORS and the page's Content-Security-Policy")]
    Network(String),
    /// The server answered with a status outside 200–299.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// The answer's body could not be read.
    #[error("the answer could not be read: {0}")]
    Body(String),
}

thread_local! {
    /// A `fetch(url)` the loader started early, with its URL: see [`prefetched`].
    static PREFETCHED: RefCell<Option<(String, Promise)>> = const { RefCell::new(None) };
}

/// Keeps `response`, the promise of a `fetch(url)` the loader started while the widget itself
/// was still downloading: the next [`get_text`] of exactly `url` takes it instead of fetching
/// again, so the survey's round trip overlaps the widget's download and compilation.
pub fn prefetched(url: String, response: Promise) {
    PREFETCHED.with(|slot| *slot.borrow_mut() = Some((url, response)));
}

/// Takes the early fetch of `url`, if the loader started one.
fn take_prefetched(url: &str) -> Option<Promise> {
    PREFETCHED.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.take() {
            Some((kept, response)) if kept == url => Some(response),
            other => {
                *slot = other;
                None
            }
        }
    })
}

/// GETs `url` (or takes the loader's early fetch of it) and returns the body as text.
///
/// # Errors
/// Any [`HttpError`]; statuses outside 200–299 are [`HttpError::Status`].
pub async fn get_text(url: &str) -> Result<String, HttpError> {
    let init = RequestInit::new();
    init.set_method("GET");
    let response = send(url, &init).await?;
    let text = response
        .text()
        .map_err(|err| HttpError::Body(describe(&err)))?;
    let text = JsFuture::from(text)
        .await
        .map_err(|err| HttpError::Body(describe(&err)))?;
    text.as_string()
        .ok_or_else(|| HttpError::Body("the body is not text".into()))
}

async fn send(url: &str, init: &RequestInit) -> Result<Response, HttpError> {
    let pending = match take_prefetched(url) {
        Some(pending) => pending,
        None => {
            let window = web_sys::window().ok_or(HttpError::NoWindow)?;
            let request = Request::new_with_str_and_init(url, init)
                .map_err(|err| HttpError::Request(describe(&err)))?;
            window.fetch_with_request(&request)
        }
    };
    let response = JsFuture::from(pending)
        .await
        .map_err(|err| HttpError::Network(describe(&err)))?;
    let response: Response = response
        .dyn_into()
        .map_err(|err| HttpError::Network(describe(&err)))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(HttpError::Status(response.status()))
    }
}
