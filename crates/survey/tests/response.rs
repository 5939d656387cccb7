//! `check_response` rejects payloads that do not match the survey version they name, each
//! problem at its path.

use rapport_survey::{load, Response, ValidSurvey};
use serde_json::{json, Value};

fn survey() -> ValidSurvey {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/post-purchase.json"
    );
    load(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_else(|p| panic!("{p:?}"))
}

fn valid() -> Value {
    json!({
        "payload_version": 1,
        "response_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "survey_id": "post-purchase",
        "survey_version": 1,
        "status": "complete",
        "sequence": 2,
        "relationship": { "type": "colleagues", "source": "explicit" },
        "price_band": "low",
        "purchase": "repeat",
        "context": { "order": { "id": "A-9", "total": 30 }, "customer": { "earlier_orders": 1 }, "relationship": "colleagues" },
        "answers": {
            "nps": { "kind": "nps", "value": 8 },
            "info_useful": { "kind": "csat", "value": 5 }
        },
        "scores": { "nps": { "score": 8, "category": "passive" }, "csat": 5 },
        "locale": "en",
        "started_at": "2026-11-25T08:30:00Z",
        "submitted_at": "2026-11-25T08:31:00+01:00",
        "widget_version": "0.1.0"
    })
}

fn problems(value: Value) -> Vec<String> {
    let response: Response = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
    survey()
        .check_response(&response)
        .into_iter()
        .map(|p| p.path)
        .collect()
}

#[test]
fn a_matching_payload_has_no_problems() {
    assert_eq!(problems(valid()), Vec::<String>::new());
}

/// A change to a valid payload and the paths it must be reported at.
type Case = (fn(&mut Value), &'static [&'static str]);

#[test]
fn each_mismatch_is_reported_at_its_path() {
    let cases: Vec<Case> = vec![
        (|v| v["survey_version"] = json!(2), &["$.survey_id"]),
        (
            |v| v["response_id"] = json!("not-a-uuid"),
            &["$.response_id"],
        ),
        (
            |v| v["answers"]["nps"]["value"] = json!(11),
            &["$.answers.nps", "$.scores"],
        ),
        (
            |v| v["answers"]["satisfaction"] = json!({"kind": "csat", "value": 3}),
            &["$.answers.satisfaction"],
        ),
        (
            |v| v["answers"]["bogus"] = json!({"kind": "text", "value": "x"}),
            &["$.answers.bogus"],
        ),
        (
            |v| {
                v["answers"]
                    .as_object_mut()
                    .map(|a| a.remove("info_useful"));
                v["scores"]["csat"] = Value::Null;
            },
            &["$.answers.info_useful"],
        ),
        (
            |v| v["relationship"] = json!({"type": "fling", "source": "explicit"}),
            &["$.relationship"],
        ),
        (
            |v| v["relationship"]["source"] = json!("screener"),
            &["$.relationship"],
        ),
        (|v| v["price_band"] = json!("high"), &["$.price_band"]),
        (|v| v["purchase"] = json!("first"), &["$.purchase"]),
        (
            |v| v["scores"]["nps"]["category"] = json!("promoter"),
            &["$.scores"],
        ),
        (
            |v| v["submitted_at"] = json!("yesterday"),
            &["$.submitted_at"],
        ),
        (|v| v["sequence"] = json!(0), &["$.sequence"]),
    ];
    for (i, (tamper, expected)) in cases.into_iter().enumerate() {
        let mut value = valid();
        tamper(&mut value);
        if value["scores"]["csat"].is_null() {
            value["scores"].as_object_mut().map(|s| s.remove("csat"));
        }
        assert_eq!(problems(value), expected, "case {i}");
    }
}

#[test]
fn a_partial_response_may_lack_required_answers() {
    let mut value = valid();
    value["status"] = json!("partial");
    value["answers"]
        .as_object_mut()
        .map(|a| a.remove("info_useful"));
    value["scores"].as_object_mut().map(|s| s.remove("csat"));
    assert_eq!(problems(value), Vec::<String>::new());
}

#[test]
fn the_locale_condition_reads_the_locale_shown_in_the_widget_and_in_the_check() {
    let survey = rapport_survey::load(
        r#"{
          "id": "lang", "version": 1, "default_locale": "en", "locales": ["en", "de"],
          "steps": [
            {"id": "nps", "kind": "nps", "title": {"en": "Recommend?", "de": "Empfehlen?"}},
            {"id": "german", "kind": "csat", "when": "locale == de",
             "title": {"en": "German only", "de": "Nur deutsch"}}
          ]
        }"#,
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    // The shop passed no locale; the widget showed the survey in German (from the page).
    let mut context = rapport_survey::Context::default();
    assert_eq!(survey.visible_steps(&context, &Default::default()), [0]);
    context.shown_locale = Some("de".into());
    assert_eq!(survey.visible_steps(&context, &Default::default()), [0, 1]);
    // The payload carries the shop's context (no locale) and the locale shown.
    let payload = json!({
        "payload_version": 1,
        "response_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "survey_id": "lang", "survey_version": 1, "status": "complete", "sequence": 1,
        "relationship": { "type": "just_buying", "source": "default" },
        "context": {},
        "answers": {
            "nps": { "kind": "nps", "value": 9 },
            "german": { "kind": "csat", "value": 4 }
        },
        "scores": { "nps": { "score": 9, "category": "promoter" }, "csat": 4 },
        "locale": "de",
        "started_at": "2026-11-25T08:30:00Z", "submitted_at": "2026-11-25T08:31:00Z",
        "widget_version": "0.1.0"
    });
    let response: Response =
        serde_json::from_value(payload.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(survey.check_response(&response), []);
    assert_eq!(
        serde_json::to_value(&response.context).ok(),
        Some(json!({}))
    );
    // Shown in English, the German step's answer is one the customer could not have given.
    let mut english = payload;
    english["locale"] = json!("en");
    let response: Response = serde_json::from_value(english).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<String> = survey
        .check_response(&response)
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert!(paths.contains(&"$.answers.german".to_owned()), "{paths:?}");
}
