//! The published JSON Schemas in `schema/` are generated from the Rust types; this test fails
//! when they are stale (regenerate them with `cargo xtask schema`),
//! and checks that the example surveys and a real response validate against them.

use std::path::PathBuf;

use rapport_survey::{load, schema::schemas, Action, AnswerValue, Context, ResponseMeta};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &PathBuf) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema = read_json(&root().join("schema").join(name));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn published_schemas_are_current() {
    let dir = root().join("schema");
    for (name, generated) in schemas() {
        let path = dir.join(name);
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == generated,
            "schema/{name} is stale; regenerate it with `cargo xtask schema`"
        );
    }
}

#[test]
fn every_example_survey_matches_the_schema() {
    let validator = validator("survey.schema.json");
    let mut checked = 0;
    for entry in
        std::fs::read_dir(root().join("surveys")).unwrap_or_else(|e| panic!("surveys/: {e}"))
    {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.extension().is_some_and(|x| x == "json") {
            let errors = schema_errors(&validator, &read_json(&path));
            assert!(
                errors.is_empty(),
                "{}:\n{}",
                path.display(),
                errors.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "expected the example surveys in surveys/");
}

#[test]
fn the_schema_rejects_what_serde_rejects() {
    let validator = validator("survey.schema.json");
    let mut survey = read_json(&root().join("surveys/post-purchase.json"));
    survey["steps"][0]["kind"] = Value::from("slider");
    survey["colour"] = Value::from("red");
    let errors = schema_errors(&validator, &survey);
    assert!(errors.len() >= 2, "{errors:?}");
}

#[test]
fn a_response_matches_the_response_schema() {
    let text =
        std::fs::read_to_string(root().join("surveys/post-purchase.json")).unwrap_or_default();
    let survey = load(&text).unwrap_or_else(|p| panic!("{p:?}"));
    let ctx: Context = serde_json::from_str(
        r#"{"order":{"id":"A-7","total":649,"currency":"EUR"},"customer":{"earlier_orders":0},"relationship":"best_friends","extra":{"gift":true}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut state = survey.start(&ctx);
    while let Some(step) = survey.current(&state) {
        let action = match step.kind {
            rapport_survey::StepKind::Nps => Action::Answer(AnswerValue::Nps(4)),
            rapport_survey::StepKind::Consent => Action::Answer(AnswerValue::Consent(true)),
            rapport_survey::StepKind::SingleChoice => {
                Action::Answer(AnswerValue::SingleChoice("call".into()))
            }
            _ => Action::Next,
        };
        state = survey
            .apply(&ctx, &state, action)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let response = survey.response(
        &ctx,
        &state,
        ResponseMeta {
            response_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            sequence: 1,
            locale: "de".into(),
            started_at: "2026-11-25T08:30:00.000Z".into(),
            submitted_at: "2026-11-25T08:31:12.000Z".into(),
            widget_version: "0.1.0".into(),
        },
    );
    assert!(
        survey.check_response(&response).is_empty(),
        "{:?}",
        survey.check_response(&response)
    );
    let json = serde_json::to_value(&response).unwrap_or_default();
    let errors = schema_errors(&validator("response.schema.json"), &json);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(
        json["answers"]["nps"],
        serde_json::json!({"kind": "nps", "value": 4})
    );
    assert_eq!(
        json["scores"]["nps"],
        serde_json::json!({"score": 4, "category": "detractor"})
    );
    assert_eq!(
        json["relationship"],
        serde_json::json!({"type": "best_friends", "source": "explicit"})
    );
    assert_eq!(json["price_band"], "high");
    assert_eq!(json["purchase"], "first");
    assert_eq!(json["status"], "complete");
}

#[test]
fn the_loaders_list_of_definition_fields_is_the_schemas() {
    // `load` reports an unknown field of the definition itself and reads on without it; its
    // list of fields must be the definition's.
    let schema = read_json(&root().join("schema").join("survey.schema.json"));
    let mut properties: Vec<&str> = schema["properties"]
        .as_object()
        .map(|map| map.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut fields = rapport_survey::load::FIELDS.to_vec();
    properties.sort_unstable();
    fields.sort_unstable();
    assert_eq!(fields, properties);
}
