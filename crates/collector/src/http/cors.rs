//! CORS per site. Preflights (which name no survey) are answered for origins that any site
//! allows; posts are then checked against the survey's own site by the handler, which refuses
//! other origins with 403. Same-origin pages (the demo page, the hosted page) need no entry.

use axum::extract::{Request, State};
use axum::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, HOST, ORIGIN, VARY,
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

/// Whether `origin` is the collector's own (the page was served by it): its host is the
/// request's `Host`, or it is the `--public-origin` (for proxies that rewrite `Host`).
pub fn is_same_origin(state: &AppState, origin: &str, headers: &HeaderMap) -> bool {
    if state
        .settings()
        .public_origin
        .as_deref()
        .is_some_and(|public| public.eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let Some(host) = headers.get(HOST).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|rest| rest == host)
}

fn allowed(state: &AppState, origin: &str, headers: &HeaderMap) -> bool {
    state.sites().knows_origin(origin) || is_same_origin(state, origin, headers)
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

/// The request headers a preflight allows when it asks for none.
const DEFAULT_ALLOW_HEADERS: &str = "content-type, idempotency-key, if-none-match";

/// `OPTIONS`: the CORS preflight. For allowed origins, allows `POST`/`GET` with the headers
/// the preflight asks for (`Access-Control-Request-Headers`: the widget's own, and any the shop
/// adds with the widget's `headers` option), or `Content-Type`, `Idempotency-Key` and
/// `If-None-Match` when it asks for none; 403 for other origins.
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
    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, allow_headers(&headers));
    out.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    out.append(
        VARY,
        HeaderValue::from_static("Access-Control-Request-Headers"),
    );
    response
}

/// The headers asked for by `Access-Control-Request-Headers` that are valid header names
/// (lowercase, comma-separated), or [`DEFAULT_ALLOW_HEADERS`] when none is asked for.
fn allow_headers(headers: &HeaderMap) -> HeaderValue {
    let asked: Vec<String> = headers
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .map(|name| name.as_str().to_owned())
        .collect();
    if asked.is_empty() {
        return HeaderValue::from_static(DEFAULT_ALLOW_HEADERS);
    }
    HeaderValue::from_str(&asked.join(", "))
        .unwrap_or_else(|_| HeaderValue::from_static(DEFAULT_ALLOW_HEADERS))
}
