//! The storage suite, run against SQLite and against PostgreSQL (`RAPPORT_PG_URL`, set by
//! `scripts/test-collector.sh`): the same assertions for both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use rapport_collector::store::{
    self, NewResponse, PublishOutcome, SaveOutcome, Store, StoredSurvey,
};
use rapport_collector::writer::Writer;

/// Runs each test function on both backends.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if super::pg_url().is_none() {
                        super::skip_pg(stringify!($name));
                        return;
                    }
                    super::$name(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

both_backends!(
    migrations_apply_once_and_data_survives_reopening,
    batches_insert_replace_and_ignore_by_sequence,
    pages_are_in_order_and_filtered_by_version,
    published_versions_are_immutable,
    tokens_are_created_revoked_and_listed,
    concurrent_posts_through_the_writer_are_stored_once,
    the_http_flow_works_end_to_end,
    a_link_is_claimed_by_one_response_even_when_two_post_at_once,
);

async fn open(backend: Backend) -> (tempfile::TempDir, String, Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, dir.path()).await.unwrap();
    let store = store::open(&url).await.unwrap();
    (dir, url, store)
}

fn row(id: &str, survey: &str, sequence: i64) -> NewResponse {
    NewResponse {
        response_id: id.to_owned(),
        survey_id: survey.to_owned(),
        survey_version: 1,
        sequence,
        status: if sequence >= 3 { "complete" } else { "partial" }.to_owned(),
        relationship_type: "just_buying".into(),
        relationship_source: "default".into(),
        price_band: Some("high".into()),
        purchase: None,
        context_verified: sequence == 2,
        received_at: format!("2026-11-25T08:00:0{sequence}Z"),
        payload: format!("{{\"sequence\":{sequence}}}"),
    }
}

async fn migrations_apply_once_and_data_survives_reopening(backend: Backend) {
    let (_dir, url, store) = open(backend).await;
    assert_eq!(
        store.backend(),
        match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    );
    store.ping().await.unwrap();
    store.save_batch(&[row("a", "s", 1)]).await.unwrap();
    drop(store);
    let again = store::open(&url).await.unwrap();
    assert_eq!(again.count_responses().await.unwrap(), 1);
    assert_eq!(
        again.response("a").await.unwrap().unwrap().payload,
        "{\"sequence\":1}"
    );
}

async fn batches_insert_replace_and_ignore_by_sequence(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    let outcomes = store
        .save_batch(&[
            row("b", "s", 2),
            row("a", "s", 1),
            row("a", "s", 2),
            row("b", "s", 1),
        ])
        .await
        .unwrap();
    // Written in id order: a1 (new), a2 (replaces), b2 (new), b1 (older: ignored).
    assert_eq!(
        outcomes,
        [
            SaveOutcome::Created,
            SaveOutcome::Created,
            SaveOutcome::Updated,
            SaveOutcome::Stale
        ]
    );
    let outcomes = store
        .save_batch(&[
            row("a", "s", 2),
            row("a", "s", 1),
            row("a", "other", 9),
            row("b", "s", 3),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [
            SaveOutcome::Duplicate,
            SaveOutcome::Stale,
            SaveOutcome::Conflict,
            SaveOutcome::Updated
        ]
    );
    let a = store.response("a").await.unwrap().unwrap();
    assert_eq!(
        (a.sequence, a.context_verified, a.payload.as_str()),
        (2, 1, "{\"sequence\":2}")
    );
    assert_eq!(
        (a.received_at.as_str(), a.updated_at.as_str()),
        ("2026-11-25T08:00:01Z", "2026-11-25T08:00:02Z")
    );
    let b = store.response("b").await.unwrap().unwrap();
    assert_eq!(
        (b.sequence, b.status.as_str(), b.context_verified),
        (3, "complete", 0)
    );
    assert_eq!(store.count_responses().await.unwrap(), 2);
    assert!(store.response("c").await.unwrap().is_none());
}

async fn pages_are_in_order_and_filtered_by_version(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    let mut batch: Vec<NewResponse> = (0..25).map(|i| row(&format!("r{i:02}"), "s", 1)).collect();
    batch[3].survey_version = 2;
    batch.push(row("x", "other", 1));
    store.save_batch(&batch).await.unwrap();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store.responses_page("s", None, after, 10).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        seen.extend(page.into_iter().map(|r| r.response_id));
    }
    let expected: Vec<String> = (0..25).map(|i| format!("r{i:02}")).collect();
    assert_eq!(seen, expected);
    let v2 = store.responses_page("s", Some(2), 0, 100).await.unwrap();
    assert_eq!(v2.len(), 1);
    assert_eq!(v2[0].response_id, "r03");
    assert_eq!(
        store
            .responses_page("s", Some(1), 0, 100)
            .await
            .unwrap()
            .len(),
        24
    );
}

async fn published_versions_are_immutable(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    let survey = |version: i64, definition: &str| StoredSurvey {
        survey_id: "s".into(),
        version,
        definition: definition.into(),
        etag: format!("\"{definition}\""),
        published_at: "2026-11-25T08:00:00Z".into(),
    };
    assert_eq!(store.latest_version("s").await.unwrap(), None);
    assert_eq!(
        store.publish_survey(&survey(1, "one")).await.unwrap(),
        PublishOutcome::Published
    );
    assert_eq!(
        store.publish_survey(&survey(1, "one")).await.unwrap(),
        PublishOutcome::Unchanged
    );
    assert_eq!(
        store.publish_survey(&survey(1, "changed")).await.unwrap(),
        PublishOutcome::Conflict
    );
    assert_eq!(
        store.publish_survey(&survey(2, "two")).await.unwrap(),
        PublishOutcome::Published
    );
    assert_eq!(store.latest_version("s").await.unwrap(), Some(2));
    assert_eq!(
        store.survey("s", 1).await.unwrap().unwrap().definition,
        "one"
    );
    assert!(store.survey("s", 3).await.unwrap().is_none());
    let all: Vec<(String, i64)> = store
        .surveys()
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.survey_id, s.version))
        .collect();
    assert_eq!(all, [("s".to_owned(), 1), ("s".to_owned(), 2)]);
}

async fn tokens_are_created_revoked_and_listed(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    assert!(store
        .create_token("ana", "h1", "2026-11-25T08:00:00Z")
        .await
        .unwrap());
    assert!(!store
        .create_token("ana", "h2", "2026-11-25T08:00:00Z")
        .await
        .unwrap());
    assert!(store.token_exists("h1").await.unwrap());
    assert!(!store.token_exists("h2").await.unwrap());
    assert!(store
        .create_token("ben", "h3", "2026-11-25T09:00:00Z")
        .await
        .unwrap());
    let names: Vec<String> = store
        .tokens()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["ana", "ben"]);
    assert!(store.revoke_token("ana").await.unwrap());
    assert!(!store.revoke_token("ana").await.unwrap());
    assert!(!store.token_exists("h1").await.unwrap());
}

async fn concurrent_posts_through_the_writer_are_stored_once(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    let (writer, tasks) = Writer::spawn(Arc::clone(&store));
    let mut handles = Vec::new();
    for i in 0..300 {
        let writer = writer.clone();
        // 100 ids, each posted three times with sequences 1..=3 in scrambled order.
        let (id, sequence) = (format!("id{:03}", i % 100), [2, 3, 1][i / 100]);
        handles.push(tokio::spawn(async move {
            writer.save(row(&id, "s", sequence)).await
        }));
    }
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.unwrap().unwrap());
    }
    drop(writer);
    tasks.join().await;
    assert_eq!(store.count_responses().await.unwrap(), 100);
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == SaveOutcome::Created)
            .count(),
        100
    );
    for i in 0..100 {
        let stored = store.response(&format!("id{i:03}")).await.unwrap().unwrap();
        assert_eq!(stored.sequence, 3, "the highest sequence wins");
    }
}

async fn the_http_flow_works_end_to_end(backend: Backend) {
    let app = TestApp::with(backend, settings()).await.unwrap();
    let survey = survey("post-purchase");
    let response = complete(&survey, "best_friends", 10);
    assert_eq!(app.post(&response).await.0, StatusCode::CREATED);
    assert_eq!(app.post(&response).await.0, StatusCode::OK);
    let (status, body) = app
        .json(researcher_get(
            "/v1/surveys/post-purchase/versions/1/results",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["by_relationship"]["best_friends"]["count"], 1);
    assert_eq!(
        body["by_relationship"]["best_friends"]["nps"]["score"],
        100.0
    );
}

async fn a_link_is_claimed_by_one_response_even_when_two_post_at_once(backend: Backend) {
    let (_dir, _url, store) = open(backend).await;
    let at = "2026-12-07T12:00:00Z";
    assert!(store.claim_link("link-a", "r-1", at).await.unwrap());
    // Its own later posts keep it; another response does not get it.
    assert!(store.claim_link("link-a", "r-1", at).await.unwrap());
    assert!(!store.claim_link("link-a", "r-2", at).await.unwrap());
    // Ten responses claim one new link at once: exactly one gets it.
    let claims = (0..10).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .claim_link("link-b", &format!("r-b{i}"), "2026-12-07T12:00:01Z")
                .await
                .unwrap()
        })
    });
    let mut owners = 0;
    for claim in claims.collect::<Vec<_>>() {
        owners += usize::from(claim.await.unwrap());
    }
    assert_eq!(owners, 1);
}
