//! Shared test helpers: collectors on a temporary SQLite file or a fresh PostgreSQL database,
//! requests through the router without a server, sample responses.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rapport_collector::config::SitesFile;
use rapport_collector::store::{self, Store};
use rapport_collector::writer::WriterTasks;
use rapport_collector::{app, AppState, Settings};
use rapport_survey::{Context, Response, ValidSurvey};
use serde_json::Value;
use tower::ServiceExt;

/// The repository's `surveys/` folder.
pub fn surveys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../surveys")
}

/// A survey of the repository.
pub fn survey(name: &str) -> ValidSurvey {
    let text = std::fs::read_to_string(surveys_dir().join(format!("{name}.json"))).unwrap();
    rapport_survey::load(&text).unwrap()
}

/// The PostgreSQL server of the test set-up (`scripts/pg-test.sh` sets `RAPPORT_PG_URL`).
pub fn pg_url() -> Option<String> {
    std::env::var("RAPPORT_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Says a PostgreSQL test is skipped (and why) — only when `RAPPORT_PG_URL` is unset; fails
/// instead when `RAPPORT_REQUIRE_PG` is set (as `scripts/test-collector.sh` does).
pub fn skip_pg(test: &str) {
    assert!(
        std::env::var_os("RAPPORT_REQUIRE_PG").is_none(),
        "{test}: RAPPORT_REQUIRE_PG is set but RAPPORT_PG_URL is not"
    );
    eprintln!("SKIPPED {test}: RAPPORT_PG_URL is not set (scripts/test-collector.sh starts PostgreSQL and sets it)");
}

/// A new, empty PostgreSQL database on the test server; its URL.
pub async fn pg_database() -> Option<String> {
    use sqlx::Connection;
    let url = pg_url()?;
    let name = format!(
        "rapport_t_{}",
        rapport_collector::sample::uuid().replace('-', "")
    );
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .expect("connect to RAPPORT_PG_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}

/// A database for one test: a SQLite file in `dir`, or a new PostgreSQL database.
pub async fn database_url(backend: Backend, dir: &Path) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!("sqlite://{}", dir.join("test.db").display())),
        Backend::Postgres => pg_database().await,
    }
}

/// The two backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in a temporary file.
    Sqlite,
    /// PostgreSQL from `RAPPORT_PG_URL`.
    Postgres,
}

/// A collector driven through its router.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub writers: Option<WriterTasks>,
    pub dir: tempfile::TempDir,
    pub url: String,
}

/// The sites file of the tests: `https://shop.example` may post to `post-purchase`, whose
/// links are signed with `SECRET`.
pub const SITES: &str = r#"{"sites": [
  {"id": "kaffeewerk", "origins": ["https://shop.example"], "surveys": ["post-purchase"],
   "signing_secret": "kaffeewerk-secret-0123456789"},
  {"id": "other", "origins": ["https://other.example"], "surveys": ["fournier-forms"]}
]}"#;

/// The link secret of `post-purchase` in [`SITES`].
pub const SECRET: &[u8] = b"kaffeewerk-secret-0123456789";

/// The raw researcher token the test apps accept (its hash is configured).
pub const TOKEN: &str = "rpt_test-token";

/// Settings for tests: the test sites, a researcher token, no rate limit.
pub fn settings() -> Settings {
    Settings {
        rate_limit_per_minute: 0,
        sites: SitesFile::parse(SITES).unwrap(),
        token_sha256: vec![rapport_collector::tokens::hash(TOKEN)],
        ..Settings::default()
    }
}

impl TestApp {
    /// A collector on SQLite with the repository's surveys and the test settings.
    pub async fn new() -> Self {
        Self::with(Backend::Sqlite, settings()).await.unwrap()
    }

    /// A collector on `backend` (`None` when PostgreSQL is not set up).
    pub async fn with(backend: Backend, settings: Settings) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let url = database_url(backend, dir.path()).await?;
        let store = store::open(&url).await.unwrap();
        let (state, writers) = AppState::start(store, settings, Some(&surveys_dir()))
            .await
            .unwrap();
        Some(Self {
            router: app(state.clone()),
            state,
            writers: Some(writers),
            dir,
            url,
        })
    }

    /// The store.
    pub fn store(&self) -> Arc<dyn Store> {
        self.state.store().clone()
    }

    /// `GET uri` without headers; returns status, headers and body bytes.
    pub async fn get(&self, uri: impl AsRef<str>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let request = Request::get(uri.as_ref()).body(Body::empty());
        self.send(request.unwrap()).await
    }

    /// Sends a request; returns status, headers and body bytes.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        (parts.status, parts.headers, bytes)
    }

    /// Sends a request; returns status and the JSON body (`Null` if not JSON).
    pub async fn json(&self, request: Request<Body>) -> (StatusCode, Value) {
        let (status, _, body) = self.send(request).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// Posts a response payload with its idempotency key.
    pub async fn post(&self, response: &Response) -> (StatusCode, Value) {
        self.json(post_response(response)).await
    }
}

/// `POST /v1/responses` with the payload and its `Idempotency-Key`.
pub fn post_response(response: &Response) -> Request<Body> {
    Request::post("/v1/responses")
        .header("content-type", "application/json")
        .header(
            "idempotency-key",
            format!("{}:{}", response.response_id, response.sequence),
        )
        .body(Body::from(serde_json::to_vec(response).unwrap()))
        .unwrap()
}

/// A request from a client address (for the rate limit).
pub fn from_client(mut request: Request<Body>, addr: &str) -> Request<Body> {
    let addr: SocketAddr = addr.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

/// A GET with the researcher token.
pub fn researcher_get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap()
}

/// The context of the demo page: a first purchase of 649 EUR.
pub fn demo_context() -> Context {
    serde_json::from_str(
        r#"{"order":{"id":"A-1001","total":649.0,"currency":"EUR"},"customer":{"earlier_orders":0}}"#,
    )
    .unwrap()
}

/// A complete, valid `post-purchase` response from a customer picking `screener`.
pub fn complete(survey: &ValidSurvey, screener: &str, nps: u8) -> Response {
    let customer = rapport_collector::sample::Customer {
        screener: Some(screener.to_owned()),
        nps,
        ..Default::default()
    };
    rapport_collector::sample::response(
        survey,
        &demo_context(),
        &customer,
        &rapport_collector::sample::uuid(),
        1,
        None,
    )
}
