//! HTTP-level tests of every endpoint and error, through the router (no server): status and
//! body of each answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use rapport_collector::signing;
use rapport_collector::store::SaveOutcome;
use serde_json::{json, Value};

fn codes(body: &Value) -> (String, Vec<String>) {
    let error = &body["error"];
    let paths = error["problems"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|p| p["path"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (error["code"].as_str().unwrap_or_default().to_owned(), paths)
}

fn raw_post(body: impl Into<Body>) -> Request<Body> {
    Request::post("/v1/responses")
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn health_reports_the_backend() {
    let app = TestApp::new().await;
    let (status, body) = app
        .json(Request::get("/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "backend": "sqlite"}));
}

#[tokio::test]
async fn a_valid_response_is_stored_once_and_acknowledged_again() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let response = complete(&survey, "just_buying", 9);
    let (status, body) = app.post(&response).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body,
        json!({"response_id": response.response_id, "sequence": 1, "outcome": "created", "context_verified": false})
    );
    let (status, body) = app.post(&response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["outcome"], "duplicate");
    assert_eq!(app.store().count_responses().await.unwrap(), 1);
    let row = app
        .store()
        .response(&response.response_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.relationship_type.as_str(),
            row.relationship_source.as_str()
        ),
        ("just_buying", "screener")
    );
    assert_eq!(row.price_band.as_deref(), Some("high"));
    assert_eq!(row.purchase.as_deref(), Some("first"));
    assert_eq!(row.status, "complete");
    let stored: rapport_survey::Response = serde_json::from_str(&row.payload).unwrap();
    assert_eq!(stored, response);
}

#[tokio::test]
async fn a_higher_sequence_replaces_a_lower_one_never_the_reverse() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let id = rapport_collector::sample::uuid();
    let customer = rapport_collector::sample::Customer::default();
    let ctx = demo_context();
    let first = rapport_collector::sample::response(&survey, &ctx, &customer, &id, 1, Some(2));
    let second = rapport_collector::sample::response(&survey, &ctx, &customer, &id, 2, None);
    assert_eq!(first.status, rapport_survey::Status::Partial);
    assert_eq!(app.post(&first).await.1["outcome"], "created");
    assert_eq!(app.post(&second).await.1["outcome"], "updated");
    let (status, body) = app.post(&first).await;
    assert_eq!(
        (status, &body["outcome"]),
        (StatusCode::OK, &json!("stale"))
    );
    let row = app.store().response(&id).await.unwrap().unwrap();
    assert_eq!((row.sequence, row.status.as_str()), (2, "complete"));
    assert_eq!(app.store().count_responses().await.unwrap(), 1);
}

#[tokio::test]
async fn malformed_bodies_get_422_with_the_json_path() {
    let app = TestApp::new().await;
    let (status, body) = app.json(raw_post("{not json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body), ("invalid_body".into(), vec!["$".into()]));
    assert_eq!(body["error"]["problems"][0]["code"], "syntax");

    let survey = survey("post-purchase");
    let mut value = serde_json::to_value(complete(&survey, "just_buying", 9)).unwrap();
    value["sequence"] = json!("two");
    let (status, body) = app.json(raw_post(value.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&body),
        ("invalid_body".into(), vec!["$.sequence".into()])
    );
    // In JSON's words, not Rust's (`expected u32`).
    assert!(body["error"]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with(
            "invalid type: string \"two\", expected a whole number of at least 0 at line 1"
        ));

    value["sequence"] = json!(1);
    value["context"]["order"]["totl"] = json!(5);
    let (_, body) = app.json(raw_post(value.to_string())).await;
    assert_eq!(codes(&body).1, vec!["$.context.order.totl".to_owned()]);
    assert!(body["error"]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown field `totl`"));

    let (status, body) = app.json(raw_post("{} {}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body).0, "invalid_body");
}

#[tokio::test]
async fn a_response_that_does_not_fit_its_survey_gets_every_problem() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let mut value = serde_json::to_value(complete(&survey, "just_buying", 9)).unwrap();
    value["answers"]["satisfaction"] = json!({"kind": "csat", "value": 9});
    value["answers"]["nps"] = json!({"kind": "nps", "value": 10});
    value["price_band"] = json!("low");
    let (status, body) = app.json(raw_post(value.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, paths) = codes(&body);
    assert_eq!(code, "invalid_response");
    for path in [
        "$.answers.satisfaction",
        "$.answers.nps",
        "$.price_band",
        "$.scores",
    ] {
        assert!(
            paths.contains(&path.to_owned()),
            "{path} missing in {paths:?}"
        );
    }
    assert_eq!(
        body["error"]["message"],
        "the response does not match survey `post-purchase` version 1"
    );
    assert_eq!(app.store().count_responses().await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_surveys_and_versions_are_404() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let mut response = complete(&survey, "just_buying", 9);
    response.survey_version = 7;
    let (status, body) = app.post(&response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(codes(&body).0, "unknown_survey_version");
    response.survey_id = "nope".into();
    let (status, body) = app.post(&response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"]["message"],
        "there is no published survey `nope`"
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            max_body_bytes: 1000,
            ..settings()
        },
    )
    .await
    .unwrap();
    let (status, body) = app.json(raw_post(vec![b' '; 2000])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        body["error"],
        json!({"code": "payload_too_large", "message": "the request body is larger than the limit of 1000 bytes", "problems": []})
    );
}

#[tokio::test]
async fn too_many_posts_from_one_client_are_429_with_retry_after() {
    let app = TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            rate_limit_per_minute: 6,
            rate_limit_burst: 2,
            ..settings()
        },
    )
    .await
    .unwrap();
    let survey = survey("post-purchase");
    for _ in 0..2 {
        let request = from_client(
            post_response(&complete(&survey, "fling", 9)),
            "192.0.2.1:5000",
        );
        assert_eq!(app.send(request).await.0, StatusCode::CREATED);
    }
    let request = from_client(
        post_response(&complete(&survey, "fling", 9)),
        "192.0.2.1:5001",
    );
    let (status, headers, body) = app.send(request).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "10");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "rate_limited");
    // The message says the same as the header.
    assert_eq!(
        body["error"]["message"],
        "too many requests; retry after 10 second(s)"
    );
    // Another client is not affected.
    let request = from_client(
        post_response(&complete(&survey, "fling", 9)),
        "192.0.2.2:5000",
    );
    assert_eq!(app.send(request).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_post_trickled_in_slower_than_the_deadline_gets_408_and_frees_the_connection() {
    use futures_util::StreamExt;
    let app = TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            request_deadline: std::time::Duration::from_millis(300),
            ..settings()
        },
    )
    .await
    .unwrap();
    let survey = survey("post-purchase");
    let response = complete(&survey, "fling", 9);
    let body = serde_json::to_vec(&response).unwrap();
    // Half of the body, and then nothing more, ever.
    let half = axum::body::Bytes::copy_from_slice(&body[..body.len() / 2]);
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(half)])
        .chain(futures_util::stream::pending());
    let mut request = post_response(&response);
    *request.body_mut() = Body::from_stream(stream);
    let started = std::time::Instant::now();
    let (status, headers, bytes) =
        tokio::time::timeout(std::time::Duration::from_secs(10), app.send(request))
            .await
            .expect("the collector answers the stalled post");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(codes(&body).0, "request_timeout");
    assert_eq!(
        body["error"]["message"],
        "the request took longer than 300ms to arrive; send it again"
    );
    // Nothing was stored; the whole post, sent again, is.
    assert_eq!(app.post(&response).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn behind_a_proxy_the_rate_limit_keys_on_the_address_the_proxy_appended() {
    let app = TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            rate_limit_per_minute: 6,
            rate_limit_burst: 1,
            trust_forwarded_for: true,
            ..settings()
        },
    )
    .await
    .unwrap();
    let survey = survey("post-purchase");
    let via_proxy = |forwarded_for: &str| {
        let mut request = from_client(
            post_response(&complete(&survey, "fling", 9)),
            "10.1.1.1:5000",
        );
        request
            .headers_mut()
            .insert("x-forwarded-for", forwarded_for.parse().unwrap());
        request
    };
    // The client writes whatever it likes on the left; the proxy appended 1.2.3.4.
    let (status, _, _) = app.send(via_proxy("10.0.0.1, 1.2.3.4")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = app.send(via_proxy("10.0.0.9, 1.2.3.4")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another address seen by the proxy has its own limit.
    let (status, _, _) = app.send(via_proxy("10.0.0.1, 5.6.7.8")).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_idempotency_key_must_name_the_posted_response() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let response = complete(&survey, "just_buying", 9);
    let request = Request::post("/v1/responses")
        .header("idempotency-key", "other:1")
        .body(Body::from(serde_json::to_vec(&response).unwrap()))
        .unwrap();
    let (status, body) = app.json(request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body).0, "idempotency_key_mismatch");
    // Without the header the body's id is the key.
    let request = raw_post(serde_json::to_vec(&response).unwrap());
    assert_eq!(app.json(request).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_response_id_reused_for_another_survey_is_409() {
    let app = TestApp::new().await;
    let response = complete(&survey("post-purchase"), "just_buying", 9);
    assert_eq!(app.post(&response).await.0, StatusCode::CREATED);
    let other = rapport_collector::sample::response(
        &survey("fournier-forms"),
        &rapport_survey::Context::default(),
        &rapport_collector::sample::Customer::default(),
        &response.response_id,
        2,
        None,
    );
    let (status, body) = app.post(&other).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(codes(&body).0, "response_id_conflict");
}

#[tokio::test]
async fn the_demo_endpoint_is_an_alias() {
    let app = TestApp::new().await;
    let response = complete(&survey("post-purchase"), "colleagues", 8);
    let request = Request::post("/demo/responses")
        .body(Body::from(serde_json::to_vec(&response).unwrap()))
        .unwrap();
    assert_eq!(app.json(request).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn cors_allows_the_sites_origins_only() {
    let app = TestApp::new().await;
    let preflight = |origin: &str| {
        Request::options("/v1/responses")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = app.send(preflight("https://shop.example")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert!(headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("idempotency-key"));
    let (status, headers, body) = app.send(preflight("https://evil.example")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!headers.contains_key("access-control-allow-origin"));
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "origin_not_allowed");

    let survey = survey("post-purchase");
    let post_from = |origin: &str, host: &str| {
        let mut request = post_response(&complete(&survey, "just_buying", 9));
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        request.headers_mut().insert("host", host.parse().unwrap());
        request
    };
    let (status, headers, _) = app
        .send(post_from("https://shop.example", "collector.example"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    // Another site's origin may not post to this survey.
    let (status, _, body) = app
        .send(post_from("https://other.example", "collector.example"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["message"], "origin `https://other.example` may not post responses to survey `post-purchase`; add it to the survey's site in the sites file");
    // The collector's own pages (demo page, hosted page) may.
    let (status, _, _) = app
        .send(post_from("http://127.0.0.1:8080", "127.0.0.1:8080"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn behind_a_proxy_that_rewrites_host_the_public_origin_is_the_collectors_own() {
    // nginx's default `proxy_set_header Host $proxy_host`: the hosted page at
    // https://collector.example posts with that origin, but Host is the upstream's.
    let survey = survey("post-purchase");
    let from_hosted_page = || {
        let mut request = post_response(&complete(&survey, "just_buying", 9));
        let headers = request.headers_mut();
        headers.insert("origin", "https://collector.example".parse().unwrap());
        headers.insert("host", "127.0.0.1:8080".parse().unwrap());
        request
    };
    let app = TestApp::new().await;
    let (status, body) = app.json(from_hosted_page()).await;
    assert_eq!(
        (status, codes(&body).0.as_str()),
        (StatusCode::FORBIDDEN, "origin_not_allowed")
    );
    let app = TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            public_origin: Some("https://collector.example".into()),
            ..settings()
        },
    )
    .await
    .unwrap();
    let (status, body) = app.json(from_hosted_page()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Other origins are still refused.
    let mut request = from_hosted_page();
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(app.json(request).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_preflight_allows_the_extra_headers_a_shop_sends() {
    // The widget's `headers` option, e.g. `{"X-Shop": "kaffeewerk"}`: the browser asks for
    // them in the preflight and sends the post only if they are allowed.
    let app = TestApp::new().await;
    let preflight = |origin: &str, asked: Option<&str>| {
        let mut request = Request::options("/v1/responses")
            .header("origin", origin)
            .header("access-control-request-method", "POST");
        if let Some(asked) = asked {
            request = request.header("access-control-request-headers", asked);
        }
        request.body(Body::empty()).unwrap()
    };
    let (status, headers, _) = app
        .send(preflight(
            "https://shop.example",
            Some("content-type, idempotency-key, X-Shop, authorization"),
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let allowed: Vec<&str> = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .split(',')
        .map(str::trim)
        .collect();
    for name in ["content-type", "idempotency-key", "x-shop", "authorization"] {
        assert!(allowed.contains(&name), "{name} not in {allowed:?}");
    }
    let vary: Vec<&str> = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(vary.contains(&"Origin"), "{vary:?}");
    assert!(vary.contains(&"Access-Control-Request-Headers"), "{vary:?}");
    // Asking for nothing: the widget's own headers.
    let (_, headers, _) = app.send(preflight("https://shop.example", None)).await;
    assert_eq!(
        headers["access-control-allow-headers"],
        "content-type, idempotency-key, if-none-match"
    );
    // An origin no site lists is still refused, whatever it asks for.
    let (status, headers, body) = app
        .send(preflight("https://evil.example", Some("x-shop")))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!headers.contains_key("access-control-allow-headers"));
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "origin_not_allowed");
}

#[tokio::test]
async fn survey_definitions_have_etags_and_cache_headers() {
    let app = TestApp::new().await;
    let get = |uri: &str, etag: Option<&str>| {
        let mut request = Request::get(uri);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.body(Body::empty()).unwrap()
    };
    let (status, headers, body) = app.send(get("/v1/surveys/post-purchase", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=60, must-revalidate"
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("\"sha256-"));
    let definition = rapport_survey::load(std::str::from_utf8(&body).unwrap()).unwrap();
    let mut expected = survey("post-purchase").into_survey();
    expected.schema = None; // the editor's hint is not published
    assert_eq!(definition.survey(), &expected);

    let (status, headers, body) = app
        .send(get("/v1/surveys/post-purchase", Some(&etag)))
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers["etag"].to_str().unwrap(), etag);
    // Weak comparison (RFC 9110): a weak tag (proxies that compress turn ETags weak), a list,
    // `*`.
    for if_none_match in [
        format!("W/{etag}"),
        format!("\"sha256-other\", W/{etag}"),
        "*".to_owned(),
    ] {
        let (status, _, _) = app
            .send(get("/v1/surveys/post-purchase", Some(&if_none_match)))
            .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{if_none_match}");
    }
    let (status, _, _) = app
        .send(get("/v1/surveys/post-purchase", Some("W/\"sha256-other\"")))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, headers, _) = app
        .send(get("/v1/surveys/post-purchase/versions/1", None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["etag"].to_str().unwrap(), etag);

    let (status, _, body) = app
        .send(get("/v1/surveys/post-purchase/versions/2", None))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "unknown_survey_version");
    let (status, _, _) = app.send(get("/v1/surveys/nope", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, body) = app
        .send(get("/v1/surveys/post-purchase/versions/x", None))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "invalid_query");
}

#[tokio::test]
async fn researcher_endpoints_need_a_valid_token() {
    let app = TestApp::new().await;
    let (status, headers, body) = app
        .send(Request::get("/v1/surveys").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], "Bearer realm=\"rapport\"");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(codes(&body).0, "unauthorized");
    let wrong = Request::get("/v1/surveys")
        .header("authorization", "Bearer rpt_wrong")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.json(wrong).await.0, StatusCode::UNAUTHORIZED);

    // A token created in the database works until it is revoked.
    let token = rapport_collector::tokens::generate();
    let hash = rapport_collector::tokens::hash(&token);
    assert!(app
        .store()
        .create_token("ana", &hash, "2026-11-25T00:00:00Z")
        .await
        .unwrap());
    let with_token = || {
        Request::get("/v1/surveys")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, body) = app.json(with_token()).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fournier-forms", "post-purchase"]);
    // The scheme is case-insensitive.
    for scheme in ["bearer", "BEARER", "BeArEr"] {
        let request = Request::get("/v1/surveys")
            .header("authorization", format!("{scheme} {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.json(request).await.0, StatusCode::OK, "{scheme}");
    }
    let basic = Request::get("/v1/surveys")
        .header("authorization", format!("Basic {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.json(basic).await.0, StatusCode::UNAUTHORIZED);
    assert!(app.store().revoke_token("ana").await.unwrap());
    assert_eq!(app.json(with_token()).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn publishing_validates_and_versions_are_immutable() {
    let app = TestApp::new().await;
    let publish = |body: String| {
        Request::post("/v1/surveys")
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(Body::from(body))
            .unwrap()
    };
    let mut definition = serde_json::to_value(survey("post-purchase").survey()).unwrap();
    definition["version"] = json!(2);
    let (status, body) = app.json(publish(definition.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["url"], "/v1/surveys/post-purchase/versions/2");
    let (status, body) = app.json(publish(definition.to_string())).await;
    assert_eq!((status, &body["version"]), (StatusCode::OK, &json!(2)));
    let latest = Request::get("/v1/surveys/post-purchase")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.json(latest).await.1["version"], 2);

    definition["title"]["en"] = json!("Changed");
    let (status, body) = app.json(publish(definition.to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(codes(&body).0, "version_published");

    definition["version"] = json!(0);
    definition["steps"][0]["when"] = json!("answers.nope == 1");
    let (status, body) = app.json(publish(definition.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, paths) = codes(&body);
    assert_eq!(code, "invalid_survey");
    assert_eq!(paths, ["$.version", "$.steps[0].when"]);

    let (status, body) = app
        .json(researcher_get("/v1/surveys/post-purchase/versions"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["versions"].as_array().unwrap().len(), 2);
    let (status, _) = app.json(researcher_get("/v1/surveys/nope/versions")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn schema_is_no_part_of_a_published_version() {
    // `surveys/fournier-forms.json` was published at start-up with its
    // `"$schema": "../schema/survey.schema.json"` line.
    let app = TestApp::new().await;
    let publish = |body: &str| {
        Request::post("/v1/surveys")
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let text = std::fs::read_to_string(surveys_dir().join("fournier-forms.json")).unwrap();
    let line = "  \"$schema\": \"../schema/survey.schema.json\",\n";
    assert!(text.contains(line), "the file's $schema line moved");
    let without = text.replace(line, "");
    let elsewhere = text.replace(
        "../schema/survey.schema.json",
        "/home/colleague/rapport/schema/survey.schema.json",
    );
    let (status, first) = app.json(publish(&without)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, body) = app.json(publish(&elsewhere)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["etag"], first["etag"]);

    // Served without it (it would show the author's path), under the ETag of what is served.
    let (status, headers, body) = app.get("/v1/surveys/fournier-forms").await;
    assert_eq!(status, StatusCode::OK);
    let served: Value = serde_json::from_slice(&body).unwrap();
    assert!(served.get("$schema").is_none(), "{served}");
    assert_eq!(headers["etag"].to_str().unwrap(), first["etag"]);

    // A new version with a `$schema`: the same as without.
    let v2 = elsewhere.replace("\"version\": 1", "\"version\": 2");
    let (status, body) = app.json(publish(&v2)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .json(publish(
            &without.replace("\"version\": 1", "\"version\": 2"),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let served = app
        .json(
            Request::get("/v1/surveys/fournier-forms/versions/2")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .1;
    assert!(served.get("$schema").is_none(), "{served}");

    // A row stored with its `$schema` (published before it was left out) is served without it,
    // and publishing the file again, with or without it, is the same version.
    let mut old = survey("fournier-forms").into_survey();
    old.version = 3;
    let definition = serde_json::to_string(&old).unwrap();
    assert!(definition.contains("\"$schema\""));
    let stored = rapport_collector::store::StoredSurvey {
        survey_id: old.id.clone(),
        version: 3,
        etag: "\"sha256-old\"".into(),
        published_at: rapport_collector::now_rfc3339(),
        definition,
    };
    app.store().publish_survey(&stored).await.unwrap();
    let (status, headers, body) = app.get("/v1/surveys/fournier-forms/versions/3").await;
    assert_eq!(status, StatusCode::OK);
    let served: Value = serde_json::from_slice(&body).unwrap();
    assert!(served.get("$schema").is_none(), "{served}");
    assert_eq!(served["version"], 3);
    assert_ne!(headers["etag"], "\"sha256-old\"");
    for text in [&without, &text] {
        let (status, body) = app
            .json(publish(&text.replace("\"version\": 1", "\"version\": 3")))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // Anything else still changes the version.
    let (status, body) = app
        .json(publish(
            &without
                .replace("\"version\": 1", "\"version\": 3")
                .replace("Free returns", "Returns"),
        ))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(codes(&body).0, "version_published");
}

#[tokio::test]
async fn an_order_in_another_currency_than_the_bands_is_in_no_band() {
    // post-purchase.json's bands are in EUR (`price_currency`): 649 JPY is no high price.
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let context: rapport_survey::Context = serde_json::from_str(
        r#"{"order":{"id":"A-2002","total":649.0,"currency":"JPY"},"customer":{"earlier_orders":0}}"#,
    )
    .unwrap();
    let customer = rapport_collector::sample::Customer {
        screener: Some("just_buying".into()),
        nps: 9,
        ..Default::default()
    };
    let id = rapport_collector::sample::uuid();
    let yen = rapport_collector::sample::response(&survey, &context, &customer, &id, 1, None);
    assert_eq!(yen.price_band, None);
    // A payload that claims the band anyway is refused at `$.price_band`.
    let mut claimed = serde_json::to_value(&yen).unwrap();
    claimed["price_band"] = json!("high");
    let (status, body) = app.json(raw_post(claimed.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&body),
        ("invalid_response".into(), vec!["$.price_band".into()])
    );

    assert_eq!(app.post(&yen).await.0, StatusCode::CREATED);
    assert_eq!(
        app.post(&complete(&survey, "just_buying", 9)).await.0,
        StatusCode::CREATED
    );
    let (status, body) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/versions/1/results",
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["by_price_band"]["high"]["count"], 1, "{body}");
    assert_eq!(body["by_price_band"]["none"]["count"], 1, "{body}");
}

#[tokio::test]
async fn results_split_by_relationship_price_band_and_purchase() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let mut partner = complete(&survey, "business_partner", 10);
    assert!(partner.answers.contains_key("improvement"));
    for response in [
        complete(&survey, "just_buying", 9),
        complete(&survey, "just_buying", 9),
        partner.clone(),
        complete(&survey, "best_friends", 3),
    ] {
        assert_eq!(app.post(&response).await.0, StatusCode::CREATED);
    }
    partner.sequence = 2;
    assert_eq!(app.post(&partner).await.0, StatusCode::OK);
    let (status, body) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/versions/1/results",
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"]["count"], 4);
    assert_eq!(
        body["total"]["nps"],
        json!({"responses": 2, "promoters": 1, "passives": 0, "detractors": 1, "score": 0.0})
    );
    let just_buying = &body["by_relationship"]["just_buying"];
    assert_eq!(just_buying["count"], 2);
    assert_eq!(
        just_buying["csat"],
        json!({"responses": 2, "mean": 4.0, "satisfied_percent": 100.0})
    );
    assert_eq!(
        just_buying["questions"]["satisfaction"]["distribution"]["4"],
        2
    );
    assert_eq!(
        just_buying["questions"]["satisfaction"]["distribution"]["1"],
        0
    );
    assert_eq!(
        body["by_relationship"]["business_partner"]["nps"]["score"],
        100.0
    );
    assert_eq!(body["by_relationship"]["fling"]["count"], 0);
    assert_eq!(
        body["by_relationship"]["business_partner"]["questions"]["improvement"]["texts"][0]["text"],
        "Fast delivery, thank you"
    );
    assert_eq!(body["by_price_band"]["high"]["count"], 4);
    assert_eq!(body["by_price_band"]["low"]["count"], 0);
    assert_eq!(body["by_purchase"]["first"]["count"], 4);
    assert_eq!(body["by_purchase"]["repeat"]["count"], 0);
    // In the survey's order, as a researcher reads them: 0…10, the bands, the steps.
    #[derive(serde::Deserialize)]
    struct Ordered {
        by_price_band: indexmap::IndexMap<String, serde::de::IgnoredAny>,
        by_purchase: indexmap::IndexMap<String, serde::de::IgnoredAny>,
        total: OrderedSummary,
    }
    #[derive(serde::Deserialize)]
    struct OrderedSummary {
        questions: indexmap::IndexMap<String, OrderedQuestion>,
    }
    #[derive(serde::Deserialize)]
    struct OrderedQuestion {
        distribution: indexmap::IndexMap<String, u64>,
    }
    let (_, _, raw) = app
        .send(researcher_get(
            "/v1/surveys/post-purchase/versions/1/results",
        ))
        .await;
    let ordered: Ordered = serde_json::from_slice(&raw).unwrap();
    let keys = |map: &indexmap::IndexMap<String, serde::de::IgnoredAny>| {
        map.keys().cloned().collect::<Vec<_>>()
    };
    assert_eq!(keys(&ordered.by_price_band), ["low", "mid", "high"]);
    assert_eq!(keys(&ordered.by_purchase), ["first", "repeat"]);
    let nps: Vec<&str> = ordered.total.questions["nps"]
        .distribution
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        nps,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
    );
    let steps: Vec<&String> = ordered.total.questions.keys().collect();
    // (Reassurance steps ask nothing.)
    let defined: Vec<&String> = survey
        .steps
        .iter()
        .map(|step| &step.id)
        .filter(|id| ordered.total.questions.contains_key(*id))
        .collect();
    assert_eq!(steps.len(), 14);
    assert_eq!(steps, defined);
    assert_eq!(
        body["total"]["questions"]["screener"]["distribution"]["just_buying"],
        2
    );
    let (status, _) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/versions/9/results",
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn exports_stream_csv_and_json_lines() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let mut partner = complete(&survey, "business_partner", 10);
    partner.answers.insert(
        "improvement".into(),
        rapport_survey::AnswerValue::Text("=HYPERLINK(\"x\"), \"quoted\"".into()),
    );
    let responses = [complete(&survey, "just_buying", 9), partner];
    for response in &responses {
        assert_eq!(app.post(response).await.0, StatusCode::CREATED);
    }
    let (status, headers, body) = app
        .send(researcher_get("/v1/surveys/post-purchase/export.csv"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"post-purchase.csv\""
    );
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0]
        .starts_with("response_id,survey_id,survey_version,sequence,status,relationship_type"));
    assert!(lines[0].contains("answer.screener,answer.satisfaction"));
    assert!(lines[0].contains("answer.improvement"));
    assert!(
        text.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\""),
        "{text}"
    );

    let (status, headers, body) = app
        .send(researcher_get(
            "/v1/surveys/post-purchase/export.jsonl?version=1",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/x-ndjson");
    let rows: Vec<Value> = String::from_utf8(body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["relationship_type"], "just_buying");
    assert_eq!(
        serde_json::from_value::<rapport_survey::Response>(rows[1]["response"].clone()).unwrap(),
        responses[1]
    );
    let (status, _) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/export.jsonl?version=x",
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/export.csv?versoin=1",
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .json(researcher_get("/v1/surveys/nope/export.csv"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_with_german_settings() {
    let app = TestApp::new().await;
    let survey = survey("post-purchase");
    let mut context = demo_context();
    context.order.total = Some(49.95);
    let customer = rapport_collector::sample::Customer {
        screener: Some("business_partner".to_owned()),
        nps: 6,
        ..Default::default()
    };
    let mut response = rapport_collector::sample::response(
        &survey,
        &context,
        &customer,
        &rapport_collector::sample::uuid(),
        1,
        None,
    );
    response.answers.insert(
        "improvement".into(),
        rapport_survey::AnswerValue::Text("Größere Auswahl; schnellere Lieferung".into()),
    );
    assert_eq!(app.post(&response).await.0, StatusCode::CREATED);

    let (status, headers, body) = app
        .send(researcher_get(
            "/v1/surveys/post-purchase/export.csv?dialect=excel-de",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("no byte order mark: {text}"));
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{text}");
    let header: Vec<&str> = lines[0].split(';').collect();
    assert_eq!(header[..3], ["response_id", "survey_id", "survey_version"]);
    let total = header.iter().position(|c| *c == "order_total").unwrap();
    let row: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(row[total], "49,95", "{}", lines[1]);
    assert!(
        lines[1].ends_with("\"Größere Auswahl; schnellere Lieferung\"")
            || lines[1].contains(";\"Größere Auswahl; schnellere Lieferung\";"),
        "{}",
        lines[1]
    );

    let (_, _, body) = app
        .send(researcher_get(
            "/v1/surveys/post-purchase/export.csv?dialect=excel&version=1",
        ))
        .await;
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with("\u{feff}response_id,survey_id,"), "{text}");
    assert!(text.contains(",49.95,"), "{text}");

    let (_, _, body) = app
        .send(researcher_get("/v1/surveys/post-purchase/export.csv"))
        .await;
    assert!(String::from_utf8(body).unwrap().starts_with("response_id,"));

    let (status, body) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/export.csv?dialect=excel-fr",
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_query");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("excel-fr") && message.contains("excel-de"),
        "{message}"
    );
}

fn signed_query(expires: i64) -> String {
    let query = format!(
        "order_id=A-1001&total=649&currency=EUR&earlier_orders=0&locale=de&expires={expires}"
    );
    format!(
        "{query}&sig={}",
        signing::sign(SECRET, "post-purchase", &query)
    )
}

#[tokio::test]
async fn the_hosted_page_runs_the_widget_with_the_signed_context() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("rapport.js"), b"/* the loader */").unwrap();
    let app = serving(dist.path()).await;
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let query = signed_query(later);
    let (status, headers, body) = app.get(format!("/s/post-purchase?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
    );
    // It holds the order's context: no shared cache keeps it.
    assert_eq!(headers["cache-control"], "private, no-store");
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("data-survey=\"/v1/surveys/post-purchase\""),
        "{html}"
    );
    assert!(html.contains(
        "data-context=\"{&quot;order&quot;:{&quot;id&quot;:&quot;A-1001&quot;,&quot;total&quot;:649.0,&quot;currency&quot;:&quot;EUR&quot;},&quot;customer&quot;:{&quot;earlier_orders&quot;:0},&quot;locale&quot;:&quot;de&quot;}\""
    ), "{html}");
    assert!(html.contains("data-endpoint=\"/v1/responses?ctx="));

    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains("<title>Umfrage</title>"), "{html}");

    // The link says `locale=de`: what went wrong is said in German.
    let tampered = query.replace("total=649", "total=6");
    let (status, _, body) = app.get(format!("/s/post-purchase?{tampered}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Dieser Umfrage-Link ist ungültig"), "{html}");
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    let expired = signed_query(1000);
    let (status, _, body) = app.get(format!("/s/post-purchase?{expired}")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("Dieser Umfrage-Link ist abgelaufen"));
    let (status, _, body) = app.get("/s/fournier-forms?expires=1&sig=00").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("Survey not found"));
}

#[tokio::test]
async fn a_link_without_a_locale_is_answered_in_the_browsers_language() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("rapport.js"), b"/* the loader */").unwrap();
    let app = serving(dist.path()).await;
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let query = format!("order_id=A-1001&total=649&currency=EUR&expires={later}");
    let signed = format!(
        "{query}&sig={}",
        signing::sign(SECRET, "post-purchase", &query)
    );
    let get = |query: String, languages: &'static str| {
        Request::get(format!("/s/post-purchase?{query}"))
            .header("accept-language", languages)
            .body(Body::empty())
            .unwrap()
    };
    // The page: in the browser's language, which the widget reads from <html lang>.
    let (status, _, body) = app.send(get(signed.clone(), "fr-CH, de;q=0.8")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("<title>Questionnaire</title>"), "{html}");
    assert!(!html.contains("data-locale"), "{html}");
    // An expired link, for a browser that prefers Italian over English.
    let old = "order_id=A-1001&expires=1000".to_owned();
    let expired = format!("{old}&sig={}", signing::sign(SECRET, "post-purchase", &old));
    let (status, _, body) = app.send(get(expired, "en;q=0.4, it")).await;
    assert_eq!(status, StatusCode::GONE);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("Questo link del sondaggio è scaduto"),
        "{html}"
    );
    // A language without words: English.
    let (status, _, body) = app
        .send(get(signed.replace("total=649", "total=6"), "pl"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("This survey link is not valid"), "{html}");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
}

#[tokio::test]
async fn tracking_parameters_an_email_tool_appends_after_sig_are_ignored() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("rapport.js"), b"/* the loader */").unwrap();
    let app = serving(dist.path()).await;
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let tracked = format!(
        "{}&utm_source=x&utm_medium=email&order_id=EVIL",
        signed_query(later)
    );
    let (status, _, body) = app.get(format!("/s/post-purchase?{tracked}")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("{&quot;order&quot;:{&quot;id&quot;:&quot;A-1001&quot;"),
        "{html}"
    );
    assert!(!html.contains("EVIL"), "{html}");
    assert!(!html.contains("utm_source"), "{html}");
    // A post from that page is verified, with the signed context.
    let mut context = demo_context();
    context.locale = Some("de".into());
    let response = rapport_collector::sample::response(
        &survey("post-purchase"),
        &context,
        &rapport_collector::sample::Customer::default(),
        &rapport_collector::sample::uuid(),
        1,
        None,
    );
    let ctx = form_urlencoded::Serializer::new(String::new())
        .append_pair("ctx", &tracked)
        .finish();
    let (status, body) = app
        .json(
            Request::post(format!("/v1/responses?{ctx}"))
                .body(Body::from(serde_json::to_vec(&response).unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (status, &body["context_verified"]),
        (StatusCode::CREATED, &json!(true)),
        "{body}"
    );
    let row = app
        .store()
        .response(&response.response_id)
        .await
        .unwrap()
        .unwrap();
    let stored: rapport_survey::Response = serde_json::from_str(&row.payload).unwrap();
    assert_eq!(stored.context.order.id.as_deref(), Some("A-1001"));
    // Changing a signed parameter (before sig) is still refused.
    let tampered = tracked.replacen("order_id=A-1001", "order_id=EVIL", 1);
    let (status, _, _) = app.get(format!("/s/post-purchase?{tampered}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_dist_the_hosted_page_says_so_instead_of_a_blank_page() {
    // The page loads /rapport.js from --dist: without it, a page would stay blank.
    let app = TestApp::new().await;
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let (status, headers, body) = app
        .send(
            Request::get(format!("/s/post-purchase?{}", signed_query(later)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("this collector was started without --dist"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    // A --dist folder without the widget (not built yet) is no better.
    let dist = tempfile::tempdir().unwrap();
    let built = serving(dist.path()).await;
    let (status, _, body) = built
        .send(
            Request::get(format!("/s/post-purchase?{}", signed_query(later)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("its folder has no rapport.js"), "{html}");
    // A survey without a hosted page is still not found.
    let (status, _, _) = app.get("/s/fournier-forms?expires=1&sig=00").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn responses_from_a_signed_link_are_stored_as_verified() {
    let app = TestApp::new().await;
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let ctx = form_urlencoded::Serializer::new(String::new())
        .append_pair("ctx", &signed_query(later))
        .finish();
    let survey = survey("post-purchase");
    let mut context = demo_context();
    context.locale = Some("de".into());
    let make = |context: &rapport_survey::Context| {
        rapport_collector::sample::response(
            &survey,
            context,
            &rapport_collector::sample::Customer::default(),
            &rapport_collector::sample::uuid(),
            1,
            None,
        )
    };
    let post = |response: &rapport_survey::Response, query: &str| {
        Request::post(format!("/v1/responses?{query}"))
            .body(Body::from(serde_json::to_vec(response).unwrap()))
            .unwrap()
    };
    let verified = make(&context);
    let (status, body) = app.json(post(&verified, &ctx)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["context_verified"], true);
    let row = app
        .store()
        .response(&verified.response_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.context_verified, 1);
    // The same response's next post keeps it verified.
    let mut later_post = verified.clone();
    later_post.sequence = 2;
    let (status, body) = app.json(post(&later_post, &ctx)).await;
    assert_eq!(
        (status, &body["context_verified"]),
        (StatusCode::OK, &json!(true)),
        "{body}"
    );
    // Another response with the same link and the signed context: stored, not verified — one
    // emailed link vouches for one response, however often it is used (also with the
    // signature written in capitals).
    let (unsigned, sig) = ctx.split_once("sig%3D").unwrap();
    let capitals = format!("{unsigned}sig%3D{}", sig.to_uppercase());
    for link in [ctx.clone(), capitals] {
        let (status, body) = app.json(post(&make(&context), &link)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["context_verified"], false, "{link}");
    }
    // Another context than the signed one: stored, but not verified.
    context.order.total = Some(10.0);
    let (status, body) = app.json(post(&make(&context), &ctx)).await;
    assert_eq!(
        (status, &body["context_verified"]),
        (StatusCode::CREATED, &json!(false))
    );
    // A tampered link: stored, not verified.
    let tampered = ctx.replace("A-1001", "A-1002");
    let (_, body) = app.json(post(&make(&demo_context()), &tampered)).await;
    assert_eq!(body["context_verified"], false);
}

/// A collector (SQLite) that serves `dist` as its static files.
async fn serving(dist: &std::path::Path) -> TestApp {
    TestApp::with(
        Backend::Sqlite,
        rapport_collector::Settings {
            dist: Some(dist.to_owned()),
            ..settings()
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn dist_files_are_sent_precompressed_to_browsers_that_accept_it() {
    let dist = tempfile::tempdir().unwrap();
    let wasm = dist.path().join("rapport_bg-0a1b2c.wasm");
    std::fs::write(&wasm, b"\0asm the module").unwrap();
    // The siblings `cargo xtask dist` writes; their bytes stand in for the compressed ones.
    std::fs::write(
        dist.path().join("rapport_bg-0a1b2c.wasm.br"),
        b"brotli bytes",
    )
    .unwrap();
    std::fs::write(dist.path().join("rapport_bg-0a1b2c.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(dist.path().join("demo.js"), b"console.log(1)").unwrap();
    let app = serving(dist.path()).await;
    let get = |path: &str, accept: Option<&str>| {
        let mut request = Request::get(path);
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        request.body(Body::empty()).unwrap()
    };

    let (status, headers, body) = app
        .send(get("/rapport_bg-0a1b2c.wasm", Some("gzip, deflate, br")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(body, b"brotli bytes");

    let (_, headers, body) = app.send(get("/rapport_bg-0a1b2c.wasm", Some("gzip"))).await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(body, b"gzip bytes");

    // No Accept-Encoding, or a file without siblings: the file itself.
    let (_, headers, body) = app.send(get("/rapport_bg-0a1b2c.wasm", None)).await;
    assert!(!headers.contains_key("content-encoding"), "{headers:?}");
    assert_eq!(body, b"\0asm the module");
    let (status, headers, body) = app.send(get("/demo.js", Some("br, gzip"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key("content-encoding"), "{headers:?}");
    assert_eq!(body, b"console.log(1)");
}

#[tokio::test]
async fn the_widget_files_may_be_loaded_by_a_shop_page_of_any_origin() {
    // A shop page on another origin embeds `rapport.js`; the loader then `import()`s the glue
    // and `fetch`es the wasm: CORS requests the browser blocks without
    // `Access-Control-Allow-Origin`.
    let dist = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("rapport.js", &b"/* the loader */"[..]),
        ("rapport-0a1b2c.js", b"export {}"),
        ("rapport-0a1b2c.js.br", b"brotli glue"),
        ("rapport-0a1b2c.js.gz", b"gzip glue"),
        ("rapport_bg-0a1b2c.wasm", b"\0asm the module"),
        ("rapport_bg-0a1b2c.wasm.br", b"brotli bytes"),
        ("rapport_bg-0a1b2c.wasm.gz", b"gzip bytes"),
    ] {
        std::fs::write(dist.path().join(name), bytes).unwrap();
    }
    let app = serving(dist.path()).await;
    let get = |path: &str, accept: Option<&str>| {
        let mut request = Request::get(path).header("origin", "https://shop.elsewhere.example");
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        request.body(Body::empty()).unwrap()
    };
    for (path, accept, encoding, expected) in [
        ("/rapport.js", None, None, &b"/* the loader */"[..]),
        ("/rapport-0a1b2c.js", None, None, b"export {}"),
        (
            "/rapport-0a1b2c.js",
            Some("br, gzip"),
            Some("br"),
            b"brotli glue",
        ),
        (
            "/rapport-0a1b2c.js",
            Some("gzip"),
            Some("gzip"),
            b"gzip glue",
        ),
        ("/rapport_bg-0a1b2c.wasm", None, None, b"\0asm the module"),
        (
            "/rapport_bg-0a1b2c.wasm",
            Some("gzip, deflate, br"),
            Some("br"),
            b"brotli bytes",
        ),
        (
            "/rapport_bg-0a1b2c.wasm",
            Some("gzip"),
            Some("gzip"),
            b"gzip bytes",
        ),
    ] {
        let (status, headers, body) = app.send(get(path, accept)).await;
        assert_eq!(status, StatusCode::OK, "{path} {accept:?}");
        assert_eq!(
            headers
                .get("access-control-allow-origin")
                .map(|v| v.as_bytes()),
            Some(&b"*"[..]),
            "{path} {accept:?}: {headers:?}"
        );
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{path} {accept:?}"
        );
        assert_eq!(body, expected, "{path} {accept:?}");
    }
    // The API keeps its per-site CORS: an origin no site lists gets no allowance there.
    let (status, headers, _) = app
        .send(
            Request::get("/v1/surveys/post-purchase")
                .header("origin", "https://shop.elsewhere.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !headers.contains_key("access-control-allow-origin"),
        "{headers:?}"
    );
}

#[tokio::test]
async fn favicon_requests_get_no_content_instead_of_a_404() {
    // Browsers ask every page that names no icon (the hosted page, its error pages) for
    // `/favicon.ico`; a 404 is an error in their console.
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("rapport.js"), b"/* the loader */").unwrap();
    let with_dist = serving(dist.path()).await;
    let without_dist = TestApp::new().await;
    for app in [&with_dist, &without_dist] {
        let (status, headers, body) = app
            .send(Request::get("/favicon.ico").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(body.is_empty());
        assert_eq!(headers["cache-control"], "public, max-age=86400");
        let (status, body) = app
            .json(Request::get("/favicon.png").body(Body::empty()).unwrap())
            .await;
        assert_eq!(
            (status, codes(&body).0.as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
    // A `favicon.ico` in `--dist` is served as it is.
    std::fs::write(dist.path().join("favicon.ico"), b"icon bytes").unwrap();
    let (status, _, body) = with_dist
        .send(Request::get("/favicon.ico").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, &b"icon bytes"[..])
    );
}

#[tokio::test]
async fn dist_is_served_with_the_csp_and_unknown_paths_are_404() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><p>shop</p>").unwrap();
    std::fs::write(dist.path().join("rapport-0a1b2c.js"), "export {}").unwrap();
    let app = serving(dist.path()).await;
    let (status, headers, _) = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-security-policy"],
        rapport_collector::http::CSP
    );
    let (_, headers, _) = app.get("/rapport-0a1b2c.js").await;
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let (status, body) = app
        .json(Request::get("/missing.txt").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(codes(&body).0, "not_found");

    let app = TestApp::new().await;
    let (status, body) = app
        .json(
            Request::delete("/v1/responses")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        (status, codes(&body).0.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let (status, body) = app
        .json(Request::get("/anything").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (status, codes(&body).0.as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn save_outcomes_serialize_as_snake_case() {
    assert_eq!(
        serde_json::to_value(SaveOutcome::Duplicate).unwrap(),
        json!("duplicate")
    );
}
