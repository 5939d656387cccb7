//! Reading a survey definition from JSON, reporting structural problems per step before
//! the semantic checks of [`crate::validate`].

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::definition::Survey;
use crate::validate::{validate, Problem, ProblemCode, ValidSurvey};

/// Parses and validates a survey definition from JSON text: [`parse`], [`read_value`] and
/// [`validate`] in one go.
///
/// # Errors
/// Every problem found: a JSON syntax error; otherwise every structural problem (one per
/// step or ending, plus one for the rest); otherwise every semantic problem.
pub fn load(json: &str) -> Result<ValidSurvey, Vec<Problem>> {
    load_value(parse(json)?)
}

/// Parses and validates a survey definition from a JSON value: [`read_value`], then
/// [`validate`].
///
/// # Errors
/// As [`load`].
pub fn load_value(value: Value) -> Result<ValidSurvey, Vec<Problem>> {
    validate(read_value(value)?)
}

/// The first of [`load`]'s three parts: the JSON text as a value.
///
/// # Errors
/// A JSON syntax error, as one problem at `$`.
pub fn parse(json: &str) -> Result<Value, Vec<Problem>> {
    serde_json::from_str(json).map_err(|err| syntax_error(&err))
}

/// The one problem of a definition that is not JSON, with the parser's `message` (for a
/// reader that parses the text elsewhere, as the widget does with the browser's parser).
#[must_use]
pub fn syntax_error(message: &dyn std::fmt::Display) -> Vec<Problem> {
    vec![Problem::new(
        "$",
        ProblemCode::Syntax,
        format!("not valid JSON: {message}"),
    )]
}

/// The second of [`load`]'s three parts: the definition's structure read from a JSON value,
/// not yet checked by [`validate`]. The widget runs the parts in separate tasks of the page,
/// so that none of them grows into a long task on a slow phone.
///
/// # Errors
/// Every structural problem: one per broken step or ending, plus one for the rest.
pub fn read_value(mut value: Value) -> Result<Survey, Vec<Problem>> {
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
    // An unknown field of the definition itself is reported and left out, so that the rest
    // can still be read and checked (in serde's words, as for the fields of a step).
    if let Value::Object(map) = &mut value {
        if map.keys().any(|key| !FIELDS.contains(&key.as_str())) {
            // Rebuilt by insertion: `BTreeMap::remove` and `collect` each bring their own
            // B-tree code into the widget (kilobytes).
            let mut kept = serde_json::Map::new();
            for (key, item) in std::mem::take(map) {
                if FIELDS.contains(&key.as_str()) {
                    kept.insert(key, item);
                } else {
                    problems.push(Problem::new(
                        format!("$.{key}"),
                        ProblemCode::Structure,
                        format!(
                            "unknown field `{key}`, expected one of `{}`",
                            FIELDS.join("`, `")
                        ),
                    ));
                }
            }
            *map = kept;
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
        // What reads no step or ending can be checked all the same; the rest once the
        // structure is fixed.
        let mut all = crate::validate::top_level_problems(&survey);
        all.append(&mut problems);
        return Err(all);
    }
    if let Some(steps) = steps {
        survey.steps = steps;
    }
    if let Some(endings) = endings {
        survey.endings = endings;
    }
    Ok(survey)
}

/// serde's message about a value of the wrong shape, in the words of JSON rather than of
/// Rust: `expected i64` → `expected a whole number`, `expected struct Text` →
/// `expected an object`, `expected a map` → `expected an object`, `expected a sequence` →
/// `expected a list`. serde_json's text positions (`at line 3 column 7`) stay.
#[must_use]
pub fn plain(message: &str) -> String {
    const WORDS: [(&str, &str); 12] = [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number of at least 0"),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a map", "expected an object"),
        ("expected map", "expected an object"),
        ("expected a sequence", "expected a list"),
        ("expected string or map", "expected a string or an object"),
        ("expected a boolean", "expected true or false"),
    ];
    let Some(at) = message.find("expected ") else {
        return message.to_owned();
    };
    let (head, tail) = message.split_at(at);
    // `expected struct Name` and `expected enum Name`: the name is Rust's.
    for (rust, json) in [
        ("expected struct ", "an object"),
        ("expected enum ", "a value"),
    ] {
        if let Some(rest) = tail.strip_prefix(rust) {
            let after = rest
                .find(|c: char| !c.is_alphanumeric())
                .map_or("", |i| &rest[i..]);
            return format!("{head}expected {json}{after}");
        }
    }
    for (rust, json) in WORDS {
        if let Some(rest) = tail.strip_prefix(rust) {
            // Only a whole word: `expected u8` but not `expected u80`.
            if !rest.starts_with(|c: char| c.is_alphanumeric()) {
                return format!("{head}{json}{rest}");
            }
        }
    }
    message.to_owned()
}

/// The fields of a survey definition (of [`Survey`]; a test checks them against the JSON
/// Schema).
pub const FIELDS: [&str; 12] = [
    "$schema",
    "id",
    "version",
    "default_locale",
    "locales",
    "title",
    "relationship",
    "price_bands",
    "price_currency",
    "steps",
    "endings",
    "delivery",
];

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
        Problem::new(
            path,
            ProblemCode::Structure,
            plain(&err.into_inner().to_string()),
        )
    })
}

/// Deserializes `value`, locating an error at `prefix` (e.g. `$.steps[2]`); serde's message
/// names the field. (The widget's build: serde's words as they are, since [`plain`] would cost
/// every shop page ~2.7 KB of string searching.)
#[cfg(not(feature = "exact-paths"))]
pub(crate) fn from_value_at<T: DeserializeOwned>(prefix: &str, value: Value) -> Result<T, Problem> {
    serde_json::from_value(value)
        .map_err(|err| Problem::new(prefix, ProblemCode::Structure, err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn serde_messages_speak_json_not_rust() {
        for (serde, json) in [
            (
                "invalid type: floating point `1.5`, expected i64",
                "invalid type: floating point `1.5`, expected a whole number",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "invalid value: integer `300`, expected a whole number from 0 to 255",
            ),
            (
                "invalid type: null, expected struct RelationshipSettings",
                "invalid type: null, expected an object",
            ),
            (
                "invalid type: string \"A\", expected a map",
                "invalid type: string \"A\", expected an object",
            ),
            (
                "invalid type: map, expected a sequence at line 2 column 3",
                "invalid type: map, expected a list at line 2 column 3",
            ),
            (
                "invalid type: null, expected string or map",
                "invalid type: null, expected a string or an object",
            ),
            // Messages that name no Rust type stay as they are.
            (
                "unknown variant `slider`, expected one of `nps`, `csat`",
                "unknown variant `slider`, expected one of `nps`, `csat`",
            ),
            ("missing field `title`", "missing field `title`"),
            (
                "invalid type: integer `5`, expected u80",
                "invalid type: integer `5`, expected u80",
            ),
        ] {
            assert_eq!(plain(serde), json);
        }
    }
}
