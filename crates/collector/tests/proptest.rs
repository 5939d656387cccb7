//! Property test: whatever body is posted — random bytes, random JSON, or a valid response
//! with one part replaced by random JSON — the collector never answers with a 5xx, and
//! every refusal has the JSON error body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::Request;
use common::*;
use proptest::prelude::*;
use serde_json::Value;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn app() -> &'static TestApp {
    static APP: OnceLock<TestApp> = OnceLock::new();
    APP.get_or_init(|| runtime().block_on(TestApp::new()))
}

fn valid() -> &'static Value {
    static VALID: OnceLock<Value> = OnceLock::new();
    VALID.get_or_init(|| {
        serde_json::to_value(complete(&survey("post-purchase"), "business_partner", 4)).unwrap()
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(Value::from("0f8fad5b-d9cb-469f-a165-70867728950e")),
        Just(Value::from("2026-11-25T08:30:00Z")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every value inside `value` (not the root).
fn pointers(value: &Value, prefix: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{prefix}/{key}");
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

/// A copy of `value` with the `pick`-th inner value replaced, or removed for `None`.
fn mutate(value: &Value, pick: usize, replacement: Option<Value>) -> Value {
    let mut all = Vec::new();
    pointers(value, "", &mut all);
    let mut out = value.clone();
    let pointer = &all[pick % all.len()];
    match replacement {
        Some(new) => {
            if let Some(slot) = out.pointer_mut(pointer) {
                *slot = new;
            }
        }
        None => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            match out.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    items.remove(key.parse::<usize>().unwrap());
                }
                _ => {}
            }
        }
    }
    out
}

fn post(body: Vec<u8>, key: Option<String>) {
    let mut request = Request::post("/v1/responses").header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let request = request.body(Body::from(body)).unwrap();
    let (status, headers, body) = runtime().block_on(app().send(request));
    assert!(
        !status.is_server_error(),
        "5xx: {status} {}",
        String::from_utf8_lossy(&body)
    );
    let body: Value = serde_json::from_slice(&body).expect("every answer is JSON");
    if status.is_success() {
        assert!(body["outcome"].is_string(), "{body}");
    } else {
        assert!(body["error"]["code"].is_string(), "{body}");
        assert_eq!(headers["content-type"], "application/json");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_give_a_5xx(body in prop::collection::vec(any::<u8>(), 0..512)) {
        post(body, None);
    }

    #[test]
    fn arbitrary_json_never_gives_a_5xx(value in json_value(), key in proptest::option::of("[ -~]{0,40}")) {
        post(value.to_string().into_bytes(), key);
    }

    #[test]
    fn mutated_valid_responses_never_give_a_5xx(
        pick in any::<usize>(),
        replacement in proptest::option::of(json_value()),
    ) {
        let mut value = mutate(valid(), pick, replacement);
        // A new id each time, so mutations are not shadowed by deduplication.
        if value.get("response_id").is_some_and(|id| id == &valid()["response_id"]) {
            value["response_id"] = Value::from(rapport_collector::sample::uuid());
        }
        post(value.to_string().into_bytes(), None);
    }
}
