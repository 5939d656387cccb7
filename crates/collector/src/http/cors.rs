//! CORS per site. Preflights (which name no survey) are answered for origins that any site
//! allows; posts are then checked against the survey's own site by the handler, which refuses
//! other origins with 403. Same-origin pages (the demo page, the hosted page) need no entry.

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, HOST, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppError;
use crate::state::AppState;

/// The `Origin` header, if any and readable.
pub fn origin(headers: &HeaderMap) -> Option<&str> {
    headers.get(ORIGIN).and_then(|value| value.to_str().ok())
}

/// Whether `origin` is the collector's own (the page was served by it).
pub fn is_same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|rest| rest == host)
}

fn allowed(state: &AppState, origin: &str, headers: &HeaderMap) -> bool {
    state.sites().knows_origin(origin) || is_same_origin(origin, headers)
}

/// Adds `Access-Control-Allow-Origin` to answers for allowed origins.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let allow = origin(request.headers())
        .filter(|origin| allowed(&state, origin, request.headers()))
        .and_then(|origin| HeaderValue::from_str(origin).ok());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.append(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allow {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("ETag, Retry-After"),
        );
    }
    response
}

/// `OPTIONS`: the CORS preflight. Allows `POST`/`GET` with `Content-Type` and
/// `Idempotency-Key` for allowed origins; 403 for others.
pub async fn preflight(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(origin) = origin(&headers) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    if !allowed(&state, origin, &headers) {
        return AppError::OriginUnknown(origin.to_owned()).into_response();
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let out = response.headers_mut();
    out.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    out.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type, idempotency-key, if-none-match"),
    );
    out.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    response
}
