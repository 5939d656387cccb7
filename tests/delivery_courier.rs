//! Browser tests of the courier: the delivery modes (`per_step`: partial posts with
//! increasing sequence numbers, then the complete one; `on_complete`: one post), `onSubmit`
//! after the acknowledgement, and resuming a run for the same survey and order.

#![cfg(target_arch = "wasm32")]

mod delivery_support;

use std::rc::Rc;

use rapport::delivery::{Courier, DeliveryConfig};
use rapport::state::Run;
use rapport_survey::{Action, AnswerValue, Context, Status};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use delivery_support::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---- the courier: delivery modes, sequence numbers, resume ----------------------------------

#[wasm_bindgen_test]
async fn per_step_posts_partials_with_increasing_sequences_then_the_complete_one() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let (on_submit, submitted, _keep) = recorder();
    let (survey, context) = (survey(PER_STEP), context("A-per-step"));
    let config = DeliveryConfig {
        on_submit: Some(on_submit),
        ..DeliveryConfig::default()
    };
    let courier = Courier::new(
        survey.clone(),
        context.clone(),
        "en".into(),
        Some(ENDPOINT.into()),
        vec![],
        &config,
    );
    let start = survey.start(&context);
    assert!(courier.record(&start).is_none(), "nothing answered yet");
    let answered = apply(
        &survey,
        &context,
        &start,
        Action::Answer(AnswerValue::Nps(9)),
    );
    let partial = courier.record(&answered).map(|r| (r.status, r.sequence));
    assert_eq!(partial, Some((Status::Partial, 1)));
    assert!(
        courier.record(&answered).is_none(),
        "the same state posts nothing again"
    );
    // (A newer post replaces one still waiting; here the first one goes out first.)
    wait_for("the partial post", 3_000, || endpoint.count() == 1).await;
    let back = apply(&survey, &context, &answered, Action::Back);
    assert!(
        courier.record(&back).is_none(),
        "going back changes no answer"
    );
    let done = apply(
        &survey,
        &context,
        &answered,
        Action::Answer(AnswerValue::Text("Fast".into())),
    );
    let complete = courier.record(&done).map(|r| (r.status, r.sequence));
    assert_eq!(complete, Some((Status::Complete, 2)));
    wait_for("both posts", 3_000, || {
        waiting().is_empty() && endpoint.count() == 2
    })
    .await;
    let id = &courier.session().response_id;
    assert_eq!(endpoint.keys(), [format!("{id}:1"), format!("{id}:2")]);
    let last: serde_json::Value = serde_json::from_str(&endpoint.body(1).await).unwrap_or_default();
    assert_eq!(last["status"], "complete");
    assert_eq!(last["answers"]["why"]["value"], "Fast");
    wait_for("onSubmit", 1_000, || submitted.borrow().len() == 1).await;
    assert_eq!(
        field(&submitted.borrow()[0], "sequence").as_f64(),
        Some(2.0),
        "onSubmit gets the acknowledged complete payload"
    );
}

#[wasm_bindgen_test]
async fn on_complete_posts_once_at_the_end() {
    quiet().await;
    let endpoint = Endpoint::install(&[]);
    let on_complete = PER_STEP.replace(r#""delivery": "per_step","#, "");
    let (survey, context) = (survey(&on_complete), context("A-once"));
    let courier = Courier::new(
        survey.clone(),
        context.clone(),
        "en".into(),
        Some(ENDPOINT.into()),
        vec![],
        &DeliveryConfig::default(),
    );
    let answered = apply(
        &survey,
        &context,
        &survey.start(&context),
        Action::Answer(AnswerValue::Nps(3)),
    );
    assert!(courier.record(&answered).is_none());
    let done = apply(&survey, &context, &answered, Action::Next);
    let response = courier.record(&done).map(|r| (r.status, r.sequence));
    assert_eq!(response, Some((Status::Complete, 1)));
    wait_for("the post", 3_000, || waiting().is_empty()).await;
    assert_eq!(endpoint.count(), 1);
}

#[wasm_bindgen_test]
async fn a_run_resumes_for_the_same_survey_and_order() {
    quiet().await;
    let _endpoint = Endpoint::install(&[]);
    let (survey, context) = (survey(PER_STEP), context("A-resume"));
    let config = DeliveryConfig {
        resume: true,
        ..DeliveryConfig::default()
    };
    let courier = |context: &Rc<Context>| {
        Courier::new(
            survey.clone(),
            context.clone(),
            "en".into(),
            Some(ENDPOINT.into()),
            vec![],
            &config,
        )
    };
    let first = courier(&context);
    let answered = apply(
        &survey,
        &context,
        &survey.start(&context),
        Action::Answer(AnswerValue::Nps(6)),
    );
    assert!(first.record(&answered).is_some());
    assert!(rapport::delivery::unfinished("steps", "A-resume"));
    // They start typing their comment, and leave without Continue.
    let posted = waiting().len();
    first.keep_draft(&answered, Some(&AnswerValue::Text("The box was".into())));
    assert_eq!(waiting().len(), posted, "a draft is kept, not posted");

    // The customer comes back: same response id, same step, same answers, the comment typed.
    let again = courier(&context);
    assert_eq!(again.session().response_id, first.session().response_id);
    assert_eq!(again.session().started_at, first.session().started_at);
    let run = again.resume(Run::start(survey.clone(), context.clone()));
    assert_eq!(run.state, answered);
    assert_eq!(run.current().map(|s| s.id.as_str()), Some("why"));
    assert_eq!(run.draft, Some(AnswerValue::Text("The box was".into())));
    // The page shows it and records the same state again (its first render): the comment is
    // still kept, for a third visit.
    assert!(again.record(&run.state).is_none(), "nothing new to post");
    let third = courier(&context).resume(Run::start(survey.clone(), context.clone()));
    assert_eq!(third.draft, Some(AnswerValue::Text("The box was".into())));
    let done = apply(&survey, &context, &run.state, Action::Next);
    let complete = again.record(&done).map(|r| (r.sequence, r.answers.len()));
    assert_eq!(
        complete,
        Some((2, 1)),
        "the sequence goes on, the answer is there"
    );
    assert!(!rapport::delivery::unfinished("steps", "A-resume"));

    // Another order starts afresh; so does a mount without resuming.
    let other = courier(&crate::context("A-other"));
    assert_ne!(other.session().response_id, first.session().response_id);
    let no_resume = Courier::new(
        survey.clone(),
        context.clone(),
        "en".into(),
        None,
        vec![],
        &DeliveryConfig::default(),
    );
    assert_ne!(no_resume.session().response_id, first.session().response_id);
    wait_for("the posts", 3_000, || waiting().is_empty()).await;
}

#[wasm_bindgen_test]
async fn saved_runs_are_pruned_when_a_new_one_is_saved_and_saving_again_reads_none_back() {
    use rapport::delivery::resume::{self, Saved, MAX_AGE_MS, MAX_RUNS};
    use rapport::delivery::storage;

    quiet().await;
    let now = now();
    // MAX_RUNS recent runs (o0 the newest) and one older than MAX_AGE_MS.
    for i in 0..MAX_RUNS as u64 {
        storage::set(
            &format!("{}s:o{i}", resume::PREFIX),
            &format!(r#"{{"saved":{}}}"#, now - 1_000 * (i + 1)),
        );
    }
    let expired = format!("{}s:expired", resume::PREFIX);
    storage::set(
        &expired,
        &format!(r#"{{"saved":{}}}"#, now - MAX_AGE_MS - 1),
    );
    let key = resume::key("s", "pruning");
    let run = Saved {
        survey_version: 1,
        response_id: "r-pruning".into(),
        started_at: "2026-12-02T07:00:00Z".into(),
        sequence: 0,
        last: String::new(),
        state: rapport_survey::RunState::default(),
        draft: None,
        saved: now,
    };
    let read = count_calls("Storage", "getItem", &run_keys());
    resume::save(&key, &run);
    assert_eq!(
        read.stop(),
        0.0,
        "no saved run read back in the task of the save (the answer's click)"
    );
    // Pruned in the task after it.
    sleep(20).await;
    let mut kept = storage::keys(resume::PREFIX);
    kept.sort();
    let mut expected: Vec<String> = (0..MAX_RUNS as u64 - 1)
        .map(|i| format!("{}s:o{i}", resume::PREFIX))
        .chain([key.clone()])
        .collect();
    expected.sort();
    assert_eq!(
        kept, expected,
        "the expired run and the oldest beyond {MAX_RUNS} are gone"
    );

    // After the next answer: saved again, and no other run read.
    let read = count_calls("Storage", "getItem", &run_keys());
    resume::save(&key, &Saved { sequence: 1, ..run });
    sleep(20).await;
    assert_eq!(read.stop(), 0.0, "saving again read no saved run back");
    assert!(storage::get(&key).is_some_and(|json| json.contains(r#""sequence":1"#)));
    assert_eq!(storage::keys(resume::PREFIX).len(), MAX_RUNS);
    clear();
}

/// Which `Storage.getItem` calls read a saved run.
fn run_keys() -> String {
    format!(
        "String(arg).startsWith('{}')",
        rapport::delivery::resume::PREFIX
    )
}
