//! Reading back what delivery stored, by hand from a [`serde_json::Value`].
//!
//! The bundle already parses JSON into `Value` (survey definitions); derived `Deserialize`
//! impls for the stored records, the engine's state and the answers would add about 40 KB
//! of WebAssembly to every shop page. Writing uses the derived `Serialize` impls, whose
//! machinery the payload already needs; every reader here is tested against them.

use rapport_survey::{AnswerValue, Answers, RunState};
use serde_json::Value;

/// Parses stored JSON (`None` for text that is not JSON).
#[must_use]
pub fn parse(text: &str) -> Option<Value> {
    crate::json::parse(text).ok()
}

/// The text at `key`.
#[must_use]
pub fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_owned)
}

/// The non-negative integer at `key`.
#[must_use]
pub fn number(value: &Value, key: &str) -> Option<u64> {
    value.get(key)?.as_u64()
}

/// The yes/no at `key`.
#[must_use]
pub fn flag(value: &Value, key: &str) -> Option<bool> {
    value.get(key)?.as_bool()
}

/// A list of texts.
#[must_use]
pub fn texts(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|item| item.as_str().map(str::to_owned))
        .collect()
}

/// An answer as the model writes it: `{"kind": "nps", "value": 9}`.
#[must_use]
pub fn answer(value: &Value) -> Option<AnswerValue> {
    let content = value.get("value")?;
    let scale = || content.as_u64().and_then(|n| u8::try_from(n).ok());
    let word = || content.as_str().map(str::to_owned);
    Some(match value.get("kind")?.as_str()? {
        "nps" => AnswerValue::Nps(scale()?),
        "csat" => AnswerValue::Csat(scale()?),
        "ces" => AnswerValue::Ces(scale()?),
        "single_choice" => AnswerValue::SingleChoice(word()?),
        "multi_choice" => AnswerValue::MultiChoice(texts(content)?),
        "text" => AnswerValue::Text(word()?),
        "consent" => AnswerValue::Consent(content.as_bool()?),
        "relationship_screener" => AnswerValue::RelationshipScreener(word()?),
        _ => return None,
    })
}

/// The engine's state as the model writes it: `{"path": [...], "answers": {...}, "done": …}`.
#[must_use]
pub fn run_state(value: &Value) -> Option<RunState> {
    // One insert at a time: collecting into a map would bring a sort into the bundle.
    let mut answers = Answers::new();
    for (id, given) in value.get("answers")?.as_object()? {
        answers.insert(id.clone(), answer(given)?);
    }
    Some(RunState {
        path: texts(value.get("path")?)?,
        answers,
        done: flag(value, "done")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of answer; adding a kind to the model fails to compile here until the
    /// reader above knows it too.
    fn every_answer() -> Vec<AnswerValue> {
        let all = vec![
            AnswerValue::Nps(9),
            AnswerValue::Csat(1),
            AnswerValue::Ces(7),
            AnswerValue::SingleChoice("met".into()),
            AnswerValue::MultiChoice(vec!["a".into(), "b".into()]),
            AnswerValue::Text("Schnell \"und\" gut ✓".into()),
            AnswerValue::Consent(false),
            AnswerValue::RelationshipScreener("fling".into()),
        ];
        for answer in &all {
            match answer {
                AnswerValue::Nps(_)
                | AnswerValue::Csat(_)
                | AnswerValue::Ces(_)
                | AnswerValue::SingleChoice(_)
                | AnswerValue::MultiChoice(_)
                | AnswerValue::Text(_)
                | AnswerValue::Consent(_)
                | AnswerValue::RelationshipScreener(_) => {}
            }
        }
        all
    }

    #[test]
    fn reads_every_answer_the_model_writes() {
        for expected in every_answer() {
            let written = serde_json::to_value(&expected).unwrap_or_default();
            assert_eq!(answer(&written), Some(expected));
        }
        assert_eq!(
            answer(&serde_json::json!({"kind": "nps", "value": 300})),
            None
        );
        assert_eq!(
            answer(&serde_json::json!({"kind": "new_kind", "value": 1})),
            None
        );
        assert_eq!(answer(&serde_json::json!({"kind": "text"})), None);
    }

    #[test]
    fn reads_the_run_state_the_model_writes() {
        let state = RunState {
            path: vec!["reassure".into(), "nps".into()],
            answers: every_answer()
                .into_iter()
                .enumerate()
                .map(|(i, a)| (format!("step{i}"), a))
                .collect(),
            done: true,
        };
        let written = serde_json::to_string(&state).unwrap_or_default();
        assert_eq!(parse(&written).and_then(|v| run_state(&v)), Some(state));
        assert_eq!(
            run_state(&serde_json::json!({"path": [], "answers": {}})),
            None
        );
        assert_eq!(
            run_state(&serde_json::json!({"path": [1], "answers": {}, "done": false})),
            None
        );
    }
}
