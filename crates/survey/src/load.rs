//! Reading a survey definition from JSON, reporting structural problems per step before
//! the semantic checks of [`crate::validate`].

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::definition::Survey;
use crate::validate::{validate, Problem, ProblemCode, ValidSurvey};

/// Parses and validates a survey definition from JSON text.
///
/// # Errors
/// Every problem found: a JSON syntax error; otherwise every structural problem (one per
/// step or ending, plus one for the rest); otherwise every semantic problem.
pub fn load(json: &str) -> Result<ValidSurvey, Vec<Problem>> {
    let value: Value = serde_json::from_str(json).map_err(|err| {
        vec![Problem::new(
            "$",
            ProblemCode::Syntax,
            format!("not valid JSON: {err}"),
        )]
    })?;
    load_value(value)
}

/// Parses and validates a survey definition from a JSON value.
///
/// # Errors
/// As [`load`].
pub fn load_value(mut value: Value) -> Result<ValidSurvey, Vec<Problem>> {
    let mut problems = Vec::new();
    // Steps and endings are read one by one, so that every broken one is reported; the rest
    // of the definition is read with empty lists in their place.
    let mut steps = None;
    let mut endings = None;
    if let Value::Object(map) = &mut value {
        if let Some(Value::Array(items)) = map.get_mut("steps") {
            steps = Some(each("steps", std::mem::take(items), &mut problems));
        }
        if let Some(Value::Array(items)) = map.get_mut("endings") {
            endings = Some(each("endings", std::mem::take(items), &mut problems));
        }
    }
    let mut survey: Survey = match from_value_at("$", value) {
        Ok(survey) => survey,
        Err(problem) => {
            problems.push(problem);
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(steps) = steps {
        survey.steps = steps;
    }
    if let Some(endings) = endings {
        survey.endings = endings;
    }
    validate(survey)
}

/// Reads each item of the list `key`; a broken one becomes a problem at `$.key[i]`.
fn each<T: DeserializeOwned>(key: &str, items: Vec<Value>, problems: &mut Vec<Problem>) -> Vec<T> {
    let mut parsed = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match from_value_at(&format!("$.{key}[{i}]"), item) {
            Ok(one) => parsed.push(one),
            Err(problem) => problems.push(problem),
        }
    }
    parsed
}

/// Deserializes `value`, locating an error under `prefix` (e.g. `$.steps[2]`).
#[cfg(feature = "exact-paths")]
pub(crate) fn from_value_at<T: DeserializeOwned>(prefix: &str, value: Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let inner = err.path().to_string();
        let path = if inner == "." || inner.is_empty() {
            prefix.to_owned()
        } else if inner.starts_with('[') {
            format!("{prefix}{inner}")
        } else {
            format!("{prefix}.{inner}")
        };
        Problem::new(path, ProblemCode::Structure, err.into_inner().to_string())
    })
}

/// Deserializes `value`, locating an error at `prefix` (e.g. `$.steps[2]`); serde's message
/// names the field.
#[cfg(not(feature = "exact-paths"))]
pub(crate) fn from_value_at<T: DeserializeOwned>(prefix: &str, value: Value) -> Result<T, Problem> {
    serde_json::from_value(value)
        .map_err(|err| Problem::new(prefix, ProblemCode::Structure, err.to_string()))
}
