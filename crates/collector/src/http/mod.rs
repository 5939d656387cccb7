//! The HTTP interface: routes, middleware (CORS per site, security and cache headers) and the
//! static files of `dist/`.
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET /health` | operators | 200 when the database answers |
//! | `POST /v1/responses` (alias `/demo/responses`) | the widget | store a response |
//! | `GET /v1/surveys/{id}` | the widget | latest published version |
//! | `GET /v1/surveys/{id}/versions/{n}` | the widget | one version (immutable) |
//! | `POST /v1/surveys` | researchers | publish a version |
//! | `GET /v1/surveys` | researchers | surveys and versions |
//! | `GET /v1/surveys/{id}/versions` | researchers | versions of a survey |
//! | `GET /v1/surveys/{id}/versions/{n}/results` | researchers | aggregates |
//! | `GET /v1/surveys/{id}/export.csv`, `export.jsonl` | researchers | raw responses |
//! | `GET /s/{id}?…&sig=…` | customers | hosted survey page from a signed link |
//! | `GET /…` (any other path) | browsers | a file of `--dist` (the widget, the demo page), with `Access-Control-Allow-Origin: *` |

mod cors;
pub mod error;
mod hosted;
mod page_words;
mod researcher;
mod responses;
mod surveys;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::{AppError, AppResult};

use crate::state::AppState;

/// How long a request to the widget's routes may take, its body included, by default.
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

/// The policy of every HTML page the collector serves: the widget works under it.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// The router of the collector.
pub fn app(state: AppState) -> Router {
    let limit = state.settings().max_body_bytes;
    let public = Router::new()
        .route(
            "/v1/responses",
            post(responses::responses_create).options(cors::preflight),
        )
        .route(
            "/demo/responses",
            post(responses::responses_create).options(cors::preflight),
        )
        .route(
            "/v1/surveys/{survey_id}",
            get(surveys::survey_latest).options(cors::preflight),
        )
        .route(
            "/v1/surveys/{survey_id}/versions/{version}",
            get(surveys::survey_version).options(cors::preflight),
        )
        // Inside the CORS layer, so that the page can read a 408 too.
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(state.clone(), cors::cors));
    let researcher = Router::new()
        .route(
            "/v1/surveys",
            get(researcher::surveys_list).post(researcher::surveys_publish),
        )
        .route(
            "/v1/surveys/{survey_id}/versions",
            get(researcher::versions_list),
        )
        .route(
            "/v1/surveys/{survey_id}/versions/{version}/results",
            get(researcher::results_get),
        )
        .route(
            "/v1/surveys/{survey_id}/export.csv",
            get(researcher::export_csv),
        )
        .route(
            "/v1/surveys/{survey_id}/export.jsonl",
            get(researcher::export_jsonl),
        )
        .layer(DefaultBodyLimit::max(researcher::MAX_SURVEY_BYTES));
    let mut router = Router::new()
        .route("/health", get(health_get))
        // The hosted page holds the order's context: kept by no cache, the browser's aside.
        .route(
            "/s/{survey_id}",
            get(hosted::hosted_page).layer(SetResponseHeaderLayer::overriding(
                CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            )),
        )
        .merge(public)
        .merge(researcher)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit));
    router = match state.settings().dist.clone() {
        // The `.br`/`.gz` siblings `cargo xtask dist` writes are sent to browsers that accept
        // them (with `Content-Encoding` and `Vary: Accept-Encoding`): the widget travels
        // compressed without being compressed on every request.
        //
        // Every file of `dist/` is public, and a shop page of another origin embeds the widget
        // from here: its loader `import()`s the hashed glue and `fetch`es the wasm, both CORS
        // requests, which the browser blocks without `Access-Control-Allow-Origin`. `*` (no
        // credentials are involved) lets any page load them.
        Some(dist) => router.fallback_service(
            SetResponseHeaderLayer::overriding(
                ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            )
            .layer(
                ServeDir::new(dist)
                    .precompressed_br()
                    .precompressed_gzip()
                    .fallback(axum::routing::any(not_found_or_no_icon).with_state(())),
            ),
        ),
        None => router.fallback(not_found_or_no_icon),
    };
    router
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `GET /health`: 200 `{"status":"ok"}` when the database answers, else 503.
async fn health_get(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => Json(json!({"status": "ok", "backend": state.store().backend()})).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "backend": state.store().backend()})),
            )
                .into_response()
        }
    }
}

/// 404 `not_found`, except for `GET /favicon.ico` when `--dist` has none: browsers ask for
/// it on every page that names no icon (the hosted page, its error pages), and a 404 shows as
/// an error in their console. 204 says "no icon" without one, and is cached for a day.
async fn not_found_or_no_icon(method: Method, uri: Uri) -> Response {
    if uri.path() == "/favicon.ico" && (method == Method::GET || method == Method::HEAD) {
        return (
            StatusCode::NO_CONTENT,
            [(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            )],
        )
            .into_response();
    }
    AppError::NotFound.into_response()
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// Answers 408 `request_timeout` when a request (its body included) takes longer than
/// [`crate::state::Settings::request_deadline`]: a client trickling its post in one byte at a
/// time would otherwise hold its connection and a task for as long as it likes. The widget
/// sends a 408'd post again.
async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.settings().request_deadline;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::RequestTimeout(limit).into_response(),
    }
}

/// Adds the CSP to HTML, `nosniff` everywhere, and cache headers to static files.
async fn security_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let headers = response.headers_mut();
    if content_type.starts_with("text/html") {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if !headers.contains_key(CACHE_CONTROL) {
        let cache = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// Whether `path` names a content-hashed build output (`rapport-<hash>.js`, `rapport_bg-<hash>.wasm`).
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let hashed = |prefix: &str, suffix: &str| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|hash| !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit()))
    };
    hashed("rapport-", ".js") || hashed("rapport_bg-", ".wasm")
}

/// The client's address: the connection's peer, or, when `--trust-forwarded-for` is set, the
/// last (rightmost) `X-Forwarded-For` entry — the one the proxy in front of the collector
/// appended. Entries left of it are written by the client and cannot be trusted. `None` when
/// neither is known (tests without a socket).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.settings().trust_forwarded_for {
            // A proxy appends to the last `X-Forwarded-For` line, so the last entry of the
            // last line is the address it saw.
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.rsplit(',').next())
                .and_then(forwarded_address);
            if forwarded.is_some() {
                return Ok(Self(forwarded));
            }
        }
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// An `X-Forwarded-For` entry as an address: `203.0.113.7` and `2001:db8::1`, and the forms
/// some proxies write with the client's port, `203.0.113.7:51234` and `[2001:db8::1]:51234`
/// (or bracketed without a port). Without this, such a proxy's entries would all be read as
/// the proxy's own address, and one client's burst would rate-limit every customer.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn forwarded_entries_with_a_port_or_brackets_are_read_as_the_address() {
        use super::forwarded_address;
        use std::net::IpAddr;
        let v4: Option<IpAddr> = Some([203, 0, 113, 7].into());
        assert_eq!(forwarded_address(" 203.0.113.7"), v4);
        assert_eq!(forwarded_address("203.0.113.7:51234"), v4);
        let v6 = "2001:db8::1".parse::<IpAddr>().ok();
        assert!(v6.is_some());
        assert_eq!(forwarded_address("2001:db8::1"), v6);
        assert_eq!(forwarded_address("[2001:db8::1]:51234"), v6);
        assert_eq!(forwarded_address("[2001:db8::1]"), v6);
        assert_eq!(forwarded_address("unknown"), None);
        assert_eq!(forwarded_address(""), None);
    }

    #[test]
    fn recognises_hashed_assets_only() {
        assert!(is_hashed_asset("/rapport-0a1b2c3d4e.js"));
        assert!(is_hashed_asset("/x/rapport_bg-0a1b2c3d4e.wasm"));
        assert!(!is_hashed_asset("/rapport.js"));
        assert!(!is_hashed_asset("/index.html"));
    }
}
