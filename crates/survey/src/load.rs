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
    let mut lists = Vec::new();
    if let Value::Object(map) = &mut value {
        for key in ["steps", "endings"] {
            if let Some(Value::Array(items)) = map.get_mut(key) {
                let items = std::mem::take(items);
                let parsed: Vec<Option<Value>> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let path = format!("$.{key}[{i}]");
                        match key {
                            "steps" => check_item::<crate::definition::Step>(&path, &item),
                            _ => check_item::<crate::definition::Ending>(&path, &item),
                        }
                        .map_err(|p| problems.push(p))
                        .ok()
                        .map(|()| item)
                    })
                    .collect();
                lists.push((key, parsed));
            }
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
    for (key, items) in lists {
        let items: Vec<Value> = items.into_iter().flatten().collect();
        let result = match key {
            "steps" => {
                from_value_at("$.steps", Value::Array(items)).map(|steps| survey.steps = steps)
            }
            _ => from_value_at("$.endings", Value::Array(items)).map(|e| survey.endings = e),
        };
        if let Err(problem) = result {
            return Err(vec![problem]);
        }
    }
    validate(survey)
}

fn check_item<T: DeserializeOwned>(path: &str, item: &Value) -> Result<(), Problem> {
    from_value_at::<T>(path, item.clone()).map(|_| ())
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
