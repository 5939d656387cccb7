//! `rapport-bench`: the collector's load benchmark (not a test).
//!
//! ```text
//! cargo run --release -p rapport-collector --bin rapport-bench -- [--seconds 10] [--connections 64]
//! scripts/pg-test.sh cargo run --release -p rapport-collector --bin rapport-bench   # + PostgreSQL
//! ```
//!
//! Starts a collector in this process (its own runtime, on 127.0.0.1 at a free port) on a
//! fresh SQLite file, and on a fresh PostgreSQL database when `--pg-url` / `RAPPORT_PG_URL` is
//! set; posts valid `post-purchase` responses (each a new response id, so each one is a
//! durable insert) over loopback from a load generator with keep-alive connections for a
//! fixed time after a warm-up; prints acknowledged responses per second and p50/p99 latency,
//! with the machine's core count. Afterwards it checks that the database holds exactly the
//! acknowledged responses.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use rapport_collector::config::SitesFile;
use rapport_collector::{sample, store, AppState, Settings};

/// Command line of the benchmark.
#[derive(Debug, Parser)]
#[command(
    name = "rapport-bench",
    about = "Load benchmark of the collector over loopback"
)]
struct Args {
    /// Measured seconds per backend (after a 1 s warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent keep-alive connections of the load generator.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// PostgreSQL server to benchmark too (a database is created on it and dropped after).
    #[arg(long, env = "RAPPORT_PG_URL")]
    pg_url: Option<String>,
    /// The survey folder (defaults to the repository's `surveys/`).
    #[arg(long)]
    surveys: Option<PathBuf>,
}

/// Results of one backend.
struct Figures {
    backend: &'static str,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    errors: u64,
    acknowledged: u64,
    stored: i64,
}

/// A placeholder response id replaced in each posted body.
const PLACEHOLDER: &str = "00000000-0000-4000-8000-000000000000";

fn main() -> Result<(), String> {
    let args = Args::parse();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let surveys = args
        .surveys
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../surveys"));
    println!(
        "rapport-bench: {cores} cores, {} connections, {} s per backend after a 1 s warm-up; each post a new response, acknowledged only after a durable commit",
        args.connections, args.seconds
    );
    let mut results = Vec::new();
    let dir = tempfile_dir()?;
    let sqlite_url = format!("sqlite://{}", dir.join("bench.db").display());
    results.push(bench("sqlite", &sqlite_url, &surveys, &args)?);
    if let Some(pg) = &args.pg_url {
        let database = format!("rapport_bench_{}", sample::uuid().replace('-', ""));
        let url = admin(pg, &format!("CREATE DATABASE {database}")).map(|()| {
            format!(
                "{}/{database}",
                pg.rsplit_once('/').map_or(pg.as_str(), |(b, _)| b)
            )
        })?;
        let figures = bench("postgres", &url, &surveys, &args);
        admin(pg, &format!("DROP DATABASE IF EXISTS {database}"))?;
        results.push(figures?);
    } else {
        println!(
            "(PostgreSQL skipped: set RAPPORT_PG_URL or --pg-url, e.g. via scripts/pg-test.sh)"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!();
    println!("| backend | cores | connections | responses/s | p50 ms | p99 ms | max ms | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    for f in &results {
        println!(
            "| {} | {cores} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {} |",
            f.backend,
            args.connections,
            f.per_second,
            f.p50.as_secs_f64() * 1000.0,
            f.p99.as_secs_f64() * 1000.0,
            f.max.as_secs_f64() * 1000.0,
            f.errors
        );
    }
    for f in &results {
        if f.stored < i64::try_from(f.acknowledged).unwrap_or(i64::MAX) {
            return Err(format!(
                "{}: {} responses acknowledged but only {} stored",
                f.backend, f.acknowledged, f.stored
            ));
        }
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("rapport-bench-{}", sample::uuid()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn admin(url: &str, statement: &str) -> Result<(), String> {
    use sqlx::Connection;
    let runtime = runtime(1)?;
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .map_err(|e| format!("cannot connect to {url}: {e}"))?;
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("{statement}: {e}"))?;
        Ok(())
    })
}

fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))
}

fn bench(
    backend: &'static str,
    url: &str,
    surveys: &std::path::Path,
    args: &Args,
) -> Result<Figures, String> {
    // The collector: its own runtime on its own threads, as in production.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let server_runtime = runtime(cores)?;
    let (state, writers, listener) = server_runtime.block_on(async {
        let store = store::open(url).await.map_err(|e| e.to_string())?;
        let settings = Settings {
            rate_limit_per_minute: 0,
            sites: SitesFile::default(),
            ..Settings::default()
        };
        let (state, writers) = AppState::start(store, settings, Some(surveys))
            .await
            .map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((state, writers, listener))
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let store = state.store().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = server_runtime.spawn(rapport_collector::serve_until(
        state,
        writers,
        listener,
        async {
            let _ = stopped.await;
        },
    ));

    // Request bodies: one valid response per relationship type, with a placeholder id.
    let text = std::fs::read_to_string(surveys.join("post-purchase.json"))
        .map_err(|e| format!("cannot read post-purchase.json: {e}"))?;
    let survey = rapport_survey::load(&text).map_err(|p| format!("{p:?}"))?;
    let context = serde_json::from_str(
        r#"{"order":{"id":"A-1001","total":649.0,"currency":"EUR"},"customer":{"earlier_orders":0}}"#,
    )
    .map_err(|e| e.to_string())?;
    let templates: Arc<Vec<String>> = Arc::new(
        [
            "just_buying",
            "business_partner",
            "fling",
            "best_friends",
            "colleagues",
            "master_servant",
        ]
        .iter()
        .map(|t| {
            let customer = sample::Customer {
                screener: Some((*t).to_owned()),
                ..Default::default()
            };
            let response = sample::response(&survey, &context, &customer, PLACEHOLDER, 1, None);
            serde_json::to_string(&response).unwrap_or_default()
        })
        .collect(),
    );

    let client_runtime = runtime(cores)?;
    let endpoint = format!("http://{addr}/v1/responses");
    let connections = args.connections;
    let measured = Duration::from_secs(args.seconds);
    let (latencies, errors, acknowledged) = client_runtime.block_on(async move {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(connections)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let start = Instant::now();
        let warm = start + Duration::from_secs(1);
        let end = warm + measured;
        let mut tasks = Vec::new();
        for worker in 0..connections {
            let (http, endpoint, templates) = (http.clone(), endpoint.clone(), templates.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut errors, mut acknowledged) = (0u64, 0u64);
                let mut n = worker;
                loop {
                    let now = Instant::now();
                    if now >= end {
                        break;
                    }
                    n += 1;
                    let id = sample::uuid();
                    let body = templates[n % templates.len()].replace(PLACEHOLDER, &id);
                    let sent = Instant::now();
                    let result = http
                        .post(&endpoint)
                        .header("content-type", "application/json")
                        .header("idempotency-key", format!("{id}:1"))
                        .body(body)
                        .send()
                        .await;
                    let took = sent.elapsed();
                    let ok = matches!(&result, Ok(r) if r.status().is_success());
                    if ok {
                        acknowledged += 1;
                    }
                    if sent >= warm {
                        if ok {
                            latencies.push(took);
                        } else {
                            errors += 1;
                        }
                    }
                }
                (latencies, errors, acknowledged)
            }));
        }
        let mut all = Vec::new();
        let (mut errors, mut acknowledged) = (0, 0);
        for task in tasks {
            let (l, e, a) = task.await.map_err(|e| e.to_string())?;
            all.extend(l);
            errors += e;
            acknowledged += a;
        }
        Ok::<_, String>((all, errors, acknowledged))
    })?;
    let _ = stop.send(());
    server_runtime
        .block_on(server)
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let stored = server_runtime
        .block_on(store.count_responses())
        .map_err(|e| e.to_string())?;
    let mut latencies = latencies;
    latencies.sort_unstable();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let figures = Figures {
        backend,
        per_second: latencies.len() as f64 / measured.as_secs_f64(),
        p50: pick(0.50),
        p99: pick(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        errors,
        acknowledged,
        stored,
    };
    println!(
        "{backend}: {:.0} responses/s, p50 {:.2} ms, p99 {:.2} ms ({} acknowledged, {} stored, {} errors)",
        figures.per_second,
        figures.p50.as_secs_f64() * 1000.0,
        figures.p99.as_secs_f64() * 1000.0,
        figures.acknowledged,
        figures.stored,
        figures.errors
    );
    Ok(figures)
}
