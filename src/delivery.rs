//! Sending a finished response to the shop's endpoint.
//!
//! For now: one POST when the survey is complete, and one `[rapport]` console error if it
//! fails. The delivery issue replaces this module with a durable outbox (retries with
//! backoff, per-step posts), keeping [`submit`] as the entry point.

use rapport_survey::Response;

use crate::console;
use crate::http::{post_json, HttpError};

/// Why a response did not reach the endpoint.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The payload could not be serialized (a bug).
    #[error("could not serialize the response: {0}")]
    Serialize(#[from] serde_json::Error),
    /// The POST failed.
    #[error("could not send the response to {endpoint}: {source}")]
    Post {
        /// The endpoint.
        endpoint: String,
        /// What went wrong.
        source: HttpError,
    },
}

/// The `Idempotency-Key` header value: `{response_id}:{sequence}`.
#[must_use]
pub fn idempotency_key(response: &Response) -> String {
    format!("{}:{}", response.response_id, response.sequence)
}

/// Posts `response` to `endpoint` in the background; a failure is logged to the console.
pub fn submit(endpoint: &str, response: &Response) {
    let endpoint = endpoint.to_owned();
    let response = response.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = post(&endpoint, &response).await {
            console::error(&err.to_string());
        }
    });
}

/// Posts `response` to `endpoint` as JSON with an `Idempotency-Key` header.
///
/// # Errors
/// See [`DeliveryError`].
pub async fn post(endpoint: &str, response: &Response) -> Result<(), DeliveryError> {
    let body = serde_json::to_string(response)?;
    let key = idempotency_key(response);
    post_json(endpoint, &body, &[("Idempotency-Key", &key)])
        .await
        .map(|_| ())
        .map_err(|source| DeliveryError::Post {
            endpoint: endpoint.to_owned(),
            source,
        })
}
