//! Tests of the `rapport-collector` binary from outside, over loopback: the crash test
//! (SIGKILL under load, restart, nothing acknowledged lost, nothing twice), two instances on
//! one PostgreSQL, graceful shutdown, and the `validate` and `token` subcommands. Every
//! server binds 127.0.0.1 on a port the OS picks; every load loop is bounded in time and count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use common::*;
use rapport_collector::sample;
use rapport_collector::store;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_rapport-collector");

/// A running collector process.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts the binary on `database_url` with the repository's surveys and waits (≤ 60 s)
    /// until it listens.
    async fn start(database_url: &str, extra: &[&str]) -> Self {
        Self::start_with(database_url, &surveys_dir(), extra).await
    }

    /// Starts the binary with the surveys of `surveys`.
    async fn start_with(database_url: &str, surveys: &Path, extra: &[&str]) -> Self {
        let mut args = vec!["--rate-limit-per-minute", "0"];
        args.extend_from_slice(extra);
        Self::spawn(database_url, surveys, &args, &[], Stdio::inherit()).await
    }

    /// Starts the binary with `args` and `env` (no rate limit unless `args` set one), its
    /// stderr to `stderr`.
    async fn spawn(
        database_url: &str,
        surveys: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        stderr: Stdio,
    ) -> Self {
        let mut child = Command::new(BIN)
            .arg("--database-url")
            .arg(database_url)
            .args(["--listen", "127.0.0.1:0"])
            .arg("--surveys")
            .arg(surveys)
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .expect("start rapport-collector");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("the collector did not start within 60 s")
            .unwrap()
            .expect("the collector exited before listening");
        let base = line
            .strip_prefix("rapport-collector listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned();
        Self { child, base }
    }

    /// SIGKILL (by this child's id), then waits for it to be gone.
    async fn kill(mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM (by this child's id) and waits up to 30 s for a clean exit.
    async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the collector did not stop within 30 s of SIGTERM")
            .unwrap()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// What the load saw acknowledged: response id → highest acknowledged sequence.
type Acked = Arc<Mutex<HashMap<String, u32>>>;

/// Posts responses (partial then complete, so sequences are replaced) from `clients` tasks
/// until `stop` is set, to whatever server `base` currently names. Bounded by `deadline`.
async fn load(
    base: Arc<RwLock<String>>,
    acked: Acked,
    stop: Arc<tokio::sync::Notify>,
    deadline: Instant,
) {
    let survey = Arc::new(survey("post-purchase"));
    let http = client();
    let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for worker in 0..8u32 {
        let (base, acked, survey, http, stopped) = (
            base.clone(),
            acked.clone(),
            survey.clone(),
            http.clone(),
            stopped.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let types = [
                "just_buying",
                "business_partner",
                "fling",
                "best_friends",
                "colleagues",
                "master_servant",
            ];
            let mut n = 0u32;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) && Instant::now() < deadline {
                n += 1;
                let id = sample::uuid();
                let customer = sample::Customer {
                    screener: Some(types[((worker + n) % 6) as usize].to_owned()),
                    ..Default::default()
                };
                for (sequence, steps) in [(1, Some(2)), (2, None)] {
                    let response =
                        sample::response(&survey, &demo_context(), &customer, &id, sequence, steps);
                    let url = format!("{}/v1/responses", base.read().unwrap());
                    let result = http
                        .post(url)
                        .header("idempotency-key", format!("{id}:{sequence}"))
                        .json(&response)
                        .send()
                        .await;
                    match result {
                        Ok(answer) if answer.status().is_success() => {
                            let mut acked = acked.lock().unwrap();
                            let seen = acked.entry(id.clone()).or_insert(0);
                            *seen = (*seen).max(sequence);
                        }
                        Ok(answer) => {
                            assert!(
                                !answer.status().is_client_error(),
                                "a valid post was refused: {}",
                                answer.status()
                            );
                        }
                        // The server is down (killed): wait for the restart.
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            }
        }));
    }
    stop.notified().await;
    stopped.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
}

/// Checks that every acknowledged response is stored, at least at its acknowledged
/// sequence, exactly once.
async fn assert_all_stored(database_url: &str, acked: &HashMap<String, u32>) {
    let store = store::open(database_url).await.unwrap();
    let mut stored: HashMap<String, i64> = HashMap::new();
    let mut after = 0;
    loop {
        let page = store
            .responses_page("post-purchase", None, after, 1000)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in page {
            assert!(
                stored
                    .insert(row.response_id.clone(), row.sequence)
                    .is_none(),
                "response {} is stored twice",
                row.response_id
            );
        }
    }
    for (id, sequence) in acked {
        let got = stored
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged response {id} is lost"));
        assert!(
            *got >= i64::from(*sequence),
            "response {id}: sequence {sequence} was acknowledged but {got} is stored"
        );
    }
    assert_eq!(
        store.count_responses().await.unwrap() as usize,
        stored.len()
    );
}

/// The crash test on one backend: load, SIGKILL, restart — four times.
async fn crash_test(database_url: &str) {
    let server = Server::start(database_url, &[]).await;
    let base = Arc::new(RwLock::new(server.base.clone()));
    let acked: Acked = Arc::default();
    let stop = Arc::new(tokio::sync::Notify::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    let load = tokio::spawn(load(base.clone(), acked.clone(), stop.clone(), deadline));
    let mut server = server;
    for round in 0..4u64 {
        tokio::time::sleep(Duration::from_millis(400 + 150 * round)).await;
        server.kill().await;
        server = Server::start(database_url, &[]).await;
        *base.write().unwrap() = server.base.clone();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.notify_one();
    load.await.unwrap();
    server.kill().await;
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "the load got only {} acknowledgements",
        acked.len()
    );
    eprintln!(
        "crash test: {} responses acknowledged across 4 SIGKILLs",
        acked.len()
    );
    assert_all_stored(database_url, &acked).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_acknowledged_response_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_test(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_acknowledged_response_postgres() {
    let Some(url) = pg_database().await else {
        skip_pg("sigkill_under_load_loses_no_acknowledged_response_postgres");
        return;
    };
    crash_test(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_store_a_response_once() {
    let Some(url) = pg_database().await else {
        skip_pg("two_instances_on_one_postgres_store_a_response_once");
        return;
    };
    let (a, b) = tokio::join!(Server::start(&url, &[]), Server::start(&url, &[]));
    let survey = survey("post-purchase");
    let http = client();
    let mut ids = HashSet::new();
    for round in 0..40u32 {
        let response = complete(&survey, "colleagues", 7);
        ids.insert(response.response_id.clone());
        let post = |base: &str| {
            http.post(format!("{base}/v1/responses"))
                .header("idempotency-key", format!("{}:1", response.response_id))
                .json(&response)
                .send()
        };
        // The same post to both instances at once (and twice to one of them).
        let (x, y, z) = tokio::join!(
            post(&a.base),
            post(&b.base),
            post(if round % 2 == 0 { &a.base } else { &b.base })
        );
        let statuses: Vec<u16> = [x, y, z]
            .into_iter()
            .map(|r| r.unwrap().status().as_u16())
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "exactly one instance creates the row: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            2,
            "{statuses:?}"
        );
    }
    let store = store::open(&url).await.unwrap();
    assert_eq!(store.count_responses().await.unwrap() as usize, ids.len());
    a.kill().await;
    b.kill().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("term.db").display());
    let server = Server::start(&url, &[]).await;
    let health = client()
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let base = Arc::new(RwLock::new(server.base.clone()));
    let acked: Acked = Arc::default();
    let stop = Arc::new(tokio::sync::Notify::new());
    let load = tokio::spawn(load(
        base,
        acked.clone(),
        stop.clone(),
        Instant::now() + Duration::from_secs(30),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = server.terminate().await;
    assert!(status.success(), "exit status {status}");
    stop.notify_one();
    load.await.unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(!acked.is_empty());
    assert_all_stored(&url, &acked).await;
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off_and_sigterm_does_not_wait_for_it() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("slow.db").display());
    let server = Server::start(&url, &[]).await;
    let address = server.base.trim_start_matches("http://").to_owned();
    // Half a request head, then one more header byte every second: never finished.
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"POST /v1/responses HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let trickle = async {
        let mut answer = Vec::new();
        loop {
            let mut buf = [0u8; 256];
            tokio::select! {
                read = slow.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return answer,
                    Ok(n) => answer.extend_from_slice(&buf[..n]),
                },
                () = tokio::time::sleep(Duration::from_secs(1)) => {
                    if slow.write_all(b"a").await.is_err() {
                        return answer;
                    }
                }
            }
        }
    };
    // Meanwhile the collector answers others.
    let health = client()
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let answer = tokio::time::timeout(Duration::from_secs(30), trickle)
        .await
        .expect("the trickling connection was still open after 30 s");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(8) && waited < Duration::from_secs(20),
        "cut off after {waited:?}"
    );
    assert!(
        !String::from_utf8_lossy(&answer).contains("201"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    // A second trickler is open when SIGTERM comes: the collector still stops promptly.
    let mut second = tokio::net::TcpStream::connect(&address).await.unwrap();
    second.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    let stopping = Instant::now();
    let status = server.terminate().await;
    assert!(status.success(), "exit status {status}");
    assert!(
        stopping.elapsed() < Duration::from_secs(15),
        "{:?}",
        stopping.elapsed()
    );
}

fn run_cli(args: &[&str], database: Option<&Path>) -> (bool, String, String) {
    let mut command = std::process::Command::new(BIN);
    if let Some(db) = database {
        command
            .arg("--database-url")
            .arg(format!("sqlite://{}", db.display()));
    }
    let output = command.args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn validate_prints_every_problem_with_its_path_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let good = surveys_dir().join("post-purchase.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"id": "Bad Id", "version": 0, "default_locale": "en", "locales": ["en"],
            "steps": [{"id": "q", "kind": "nps", "when": "answers.zz > 1", "title": {"en": "?"}}]}"#,
    )
    .unwrap();
    let (ok, out, _) = run_cli(&["validate", good.to_str().unwrap()], None);
    assert!(ok, "{out}");
    assert!(out.contains("ok (survey `post-purchase` version 1)"));
    let (ok, out, _) = run_cli(
        &["validate", good.to_str().unwrap(), bad.to_str().unwrap()],
        None,
    );
    assert!(!ok);
    let bad_lines: Vec<&str> = out.lines().filter(|l| l.contains("bad.json")).collect();
    assert!(bad_lines.len() >= 3, "{out}");
    for path in [
        "$.id [invalid_id]",
        "$.version [invalid_version]",
        "$.steps[0].when [unknown_field]",
    ] {
        let prefix = format!("{}: {path}: ", bad.display());
        assert!(
            out.lines().any(|l| l.starts_with(&prefix)),
            "{prefix} missing in\n{out}"
        );
    }
    // Each line is `file: ` and then the line of the main README's Validation section and of
    // tests/broken/*.expected.txt: `$.path [code]: message`, the code as serialized.
    let text = std::fs::read_to_string(&bad).unwrap();
    let expected: Vec<String> = rapport_survey::load(&text)
        .unwrap_err()
        .iter()
        .map(|p| {
            let code = serde_json::to_value(p.code).unwrap();
            format!(
                "{}: {} [{}]: {}",
                bad.display(),
                p.path,
                code.as_str().unwrap(),
                p.message
            )
        })
        .collect();
    assert_eq!(bad_lines, expected);
    let (ok, out, _) = run_cli(&["validate", "/nonexistent.json"], None);
    assert!(!ok);
    assert!(out.starts_with("/nonexistent.json: $: cannot read the file"));
}

#[test]
fn tokens_are_created_once_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tokens.db");
    let (ok, token, _) = run_cli(&["token", "create", "ana"], Some(&db));
    assert!(ok);
    assert!(token.trim().starts_with("rpt_"));
    let (ok, _, err) = run_cli(&["token", "create", "ana"], Some(&db));
    assert!(!ok);
    assert!(err.contains("a token named `ana` exists"));
    let (ok, list, _) = run_cli(&["token", "list"], Some(&db));
    assert!(ok);
    assert!(list.starts_with("ana\t"));
    assert!(!list.contains(token.trim()), "only the hash is stored");
    assert!(run_cli(&["token", "revoke", "ana"], Some(&db)).0);
    let (ok, _, err) = run_cli(&["token", "revoke", "ana"], Some(&db));
    assert!(!ok);
    assert!(err.contains("there is no token named `ana`"));
}

/// A database in `dir` where a collector started with `--surveys` (a folder with a copy of
/// the Fournier survey as `f.json`) published it, and stopped: its URL, the folder and the
/// file's text.
async fn published_once(dir: &std::path::Path) -> (String, std::path::PathBuf, String) {
    let url = format!("sqlite://{}", dir.join("published.db").display());
    let surveys = dir.join("surveys");
    std::fs::create_dir(&surveys).unwrap();
    let text = std::fs::read_to_string(surveys_dir().join("fournier-forms.json")).unwrap();
    std::fs::write(surveys.join("f.json"), &text).unwrap();
    Server::start_with(&url, &surveys, &[]).await.kill().await;
    (url, surveys, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refuses_a_changed_published_version() {
    let dir = tempfile::tempdir().unwrap();
    let (url, surveys, text) = published_once(dir.path()).await;
    // The file changed but kept its version: the collector refuses to start, and says why.
    std::fs::write(
        surveys.join("f.json"),
        text.replace("Free returns", "Returns"),
    )
    .unwrap();
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        Command::new(BIN)
            .args([
                "--database-url",
                &url,
                "--listen",
                "127.0.0.1:0",
                "--surveys",
            ])
            .arg(&surveys)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the collector should exit at once")
    .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains("f.json: survey `fournier-forms` version 1 is already published with different content; published versions never change, so give the file a new version number"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_accepts_a_published_version_whose_schema_line_differs() {
    // `$schema` only points an editor at the JSON Schema, often by a path relative to the
    // author's checkout: a colleague's checkout, or a file without the line, is the same version.
    let dir = tempfile::tempdir().unwrap();
    let (url, surveys, text) = published_once(dir.path()).await;
    for changed in [
        text.replace(
            "../schema/survey.schema.json",
            "../../rapport/schema/survey.schema.json",
        ),
        text.replace("  \"$schema\": \"../schema/survey.schema.json\",\n", ""),
    ] {
        assert_ne!(changed, text);
        std::fs::write(surveys.join("f.json"), &changed).unwrap();
        let server = Server::start_with(&url, &surveys, &[]).await;
        let served: serde_json::Value = client()
            .get(format!("{}/v1/surveys/fournier-forms", server.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(served["version"], 1);
        assert!(served.get("$schema").is_none(), "{served}");
        server.kill().await;
    }
}

/// Runs the server binary with `args` (on a SQLite file in `dir`) and `env`, expecting it to
/// refuse to start; its stderr.
async fn refused_start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let url = format!("sqlite://{}", dir.join("refused.db").display());
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        Command::new(BIN)
            .args(["--database-url", &url, "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the collector should exit at once")
    .unwrap();
    assert!(!output.status.success());
    String::from_utf8(output.stderr).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refuses_a_public_origin_that_is_not_an_origin() {
    let dir = tempfile::tempdir().unwrap();
    for (args, env) in [
        (&["--public-origin", "collector.example"][..], &[][..]),
        (
            &[][..],
            &[("RAPPORT_PUBLIC_ORIGIN", "https://collector.example/")][..],
        ),
    ] {
        let err = refused_start(dir.path(), args, env).await;
        assert!(
            err.contains("is not an origin: give the scheme and host"),
            "{err}"
        );
    }
    // Refused before the database is created.
    assert!(!dir.path().join("refused.db").exists());
}

/// Starts the server binary with `args` (on a SQLite file in `dir`, the repository's
/// surveys, `RUST_LOG=warn`), waits until it listens, stops it; its stderr.
async fn start_and_stop(dir: &Path, args: &[&str]) -> String {
    let url = format!("sqlite://{}", dir.join("started.db").display());
    let server = Server::spawn(&url, &surveys_dir(), args, &[], Stdio::piped()).await;
    let mut child = server.child;
    child.kill().await.unwrap();
    let output = child.wait_with_output().await.unwrap();
    String::from_utf8(output.stderr).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_warns_when_sites_have_hosted_pages_but_there_is_no_dist() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.json");
    std::fs::write(&sites, SITES).unwrap();
    let sites = sites.to_str().unwrap();
    let err = start_and_stop(dir.path(), &["--sites", sites]).await;
    assert!(
        err.contains("sites have signing secrets, but there is no --dist"),
        "{err}"
    );
    assert!(err.contains("kaffeewerk"), "{err}");
    let dist = dir.path().to_str().unwrap();
    let err = start_and_stop(dir.path(), &["--sites", sites, "--dist", dist]).await;
    assert!(!err.contains("no --dist"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_forwarded_for_takes_the_usual_boolean_values() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let survey = survey("post-purchase");
    let http = client();
    let limit = ["--rate-limit-per-minute", "6", "--rate-limit-burst", "1"];
    let flag = [&limit[..], &["--trust-forwarded-for"]].concat();
    for (args, value, trusted) in [
        (&limit[..], Some("1"), true),
        (&limit[..], Some("yes"), true),
        (&limit[..], Some("on"), true),
        (&limit[..], Some("0"), false),
        (&limit[..], Some("off"), false),
        (&flag[..], None, true),
    ] {
        let env: Vec<(&str, &str)> = value
            .map(|v| ("RAPPORT_TRUST_FORWARDED_FOR", v))
            .into_iter()
            .collect();
        let server = Server::spawn(&url, &surveys_dir(), args, &env, Stdio::inherit()).await;
        let mut statuses = Vec::new();
        // Two clients behind one proxy: one limit each only if X-Forwarded-For is trusted.
        for forwarded_for in ["192.0.2.1", "192.0.2.2"] {
            let response = http
                .post(format!("{}/v1/responses", server.base))
                .header("x-forwarded-for", forwarded_for)
                .json(&complete(&survey, "fling", 9))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
        let expected = if trusted { [201, 201] } else { [201, 429] };
        assert_eq!(statuses, expected, "{args:?} {value:?}");
        server.kill().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refuses_the_placeholder_secret_of_the_example_sites_file() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("sites.example.json");
    let err = refused_start(dir.path(), &["--sites", example.to_str().unwrap()], &[]).await;
    assert!(
        err.contains("$.sites[0].signing_secret: site `kaffeewerk` still has the placeholder secret of sites.example.json"),
        "{err}"
    );
}
