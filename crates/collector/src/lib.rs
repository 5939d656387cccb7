//! Rapport's collector: the default endpoint of the widget.
//!
//! It receives response posts, validates each against the exact survey version it names
//! (with `rapport-survey`), deduplicates them by response id and stores them durably in SQLite
//! (default) or PostgreSQL; it serves published survey definitions, the widget bundle and a
//! hosted survey page, and gives researchers aggregates and exports.
//!
//! [`app`] builds the router from an [`AppState`] so that tests drive it without a server;
//! `main.rs` only parses the command line and calls [`serve`].

pub mod aggregate;
pub mod config;
pub mod http;
pub mod ratelimit;
pub mod registry;
pub mod sample;
pub mod signing;
pub mod sites;
pub mod state;
pub mod store;
pub mod tokens;
pub mod validate;
pub mod writer;

use std::net::SocketAddr;

pub use http::app;
pub use state::{AppState, Settings, StartError};

/// The current time as RFC 3339 (UTC, seconds).
#[must_use]
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// A JSON path (`$.context.order.total`) from a serde path (`context.order.total`).
#[must_use]
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    let inner = path.to_string();
    if inner == "." || inner.is_empty() {
        "$".to_owned()
    } else if inner.starts_with('[') {
        format!("${inner}")
    } else {
        format!("$.{inner}")
    }
}

/// How long a connection may take to send a request's headers: a client that trickles them
/// in (or sends none) holds a connection no longer than this. The body then has
/// [`http::REQUEST_DEADLINE`].
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Binds `addr` and serves `state` until Ctrl-C or SIGTERM; requests in flight are finished
/// and every queued response is written before it returns. Prints
/// `rapport-collector listening on http://ADDR` on stdout once it accepts connections.
///
/// # Errors
/// The address cannot be bound.
pub async fn serve(
    state: AppState,
    writers: writer::WriterTasks,
    addr: SocketAddr,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("rapport-collector listening on http://{local}");
    serve_until(state, writers, listener, shutdown_signal()).await
}

/// Serves `state` on `listener` until `shutdown` resolves, then finishes the requests in
/// flight and writes every queued response.
///
/// # Errors
/// The listener fails.
pub async fn serve_until(
    state: AppState,
    writers: writer::WriterTasks,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    tracing::info!(%local, backend = state.store().backend(), "listening");
    let router = app(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, say: wait a little instead of spinning.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::ServiceExt::oneshot(router.clone(), request)
            },
        );
        let connection =
            connections.watch(http.serve_connection(hyper_util::rt::TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection closed with an error");
            }
        });
    }
    // The router holds the writers' queue: with it and every connection's copy gone, the
    // writers see the queue closed and finish.
    drop((listener, router));
    tracing::info!("stopped accepting requests; finishing those in flight");
    connections.shutdown().await;
    tracing::info!("writing queued responses");
    writers.join().await;
    tracing::info!("shut down");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
