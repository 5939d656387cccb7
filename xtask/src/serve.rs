//! `cargo xtask serve`: a local web server for `dist/` and the demo shop page.
//!
//! Serves the static files with the strict Content-Security-Policy the widget
//! must work under, and a stand-in response endpoint `POST /demo/responses`
//! that prints each received JSON body as one line on stdout.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;

use anyhow::{bail, Context, Result};
use axum::extract::Json;
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tower_http::services::ServeDir;

/// The policy a strict shop would use; the demo page and the widget must work under it.
pub const DEMO_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// Serves `dist` on `addr` until Ctrl-C.
pub fn run(dist: &Path, addr: SocketAddr) -> Result<()> {
    if !dist.join("index.html").is_file() {
        bail!(
            "{} has no index.html; run `cargo xtask dist` first",
            dist.display()
        );
    }
    if !addr.ip().is_loopback() {
        println!("[xtask] warning: listening on non-loopback address {addr}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(serve(app(dist), addr))
}

/// The router: the demo endpoint, then static files from `dist`.
fn app(dist: &Path) -> Router {
    Router::new()
        .route("/demo/responses", post(receive_response))
        .fallback_service(ServeDir::new(dist))
        .layer(middleware::from_fn(add_headers))
}

/// Binds `addr` and serves `app` until Ctrl-C.
async fn serve(app: Router, addr: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("failed to listen on {addr}"))?;
    let local = listener.local_addr().context("listener has no address")?;
    println!("[xtask] serving dist/ — demo shop page: http://{local}/");
    println!("[xtask] responses posted to /demo/responses are printed below, one per line");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal handler cannot be installed, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .context("server error")
}

/// Stand-in collector: prints the JSON body as one line and acknowledges it.
async fn receive_response(Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let mut stdout = std::io::stdout().lock();
    // A closed stdout must not fail the request; the body was received either way.
    let _ = writeln!(stdout, "{body}").and_then(|()| stdout.flush());
    (StatusCode::CREATED, Json(json!({ "ok": true })))
}

/// Adds the demo CSP to HTML responses and cache headers suited to hashed files.
async fn add_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    if is_html {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEMO_CSP));
    }
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
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

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_hashed_assets_only() {
        assert!(is_hashed_asset("/rapport-0a1b2c3d4e.js"));
        assert!(is_hashed_asset("/x/rapport_bg-0a1b2c3d4e.wasm"));
        assert!(!is_hashed_asset("/rapport.js"));
        assert!(!is_hashed_asset("/rapport-.js"));
        assert!(!is_hashed_asset("/index.html"));
    }
}
