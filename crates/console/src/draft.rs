//! The survey being written: every problem of its text, and what the preview needs of it.

use rapport_survey::{Problem, Survey};

/// The editor's text, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The survey when the text is valid.
    pub survey: Option<Survey>,
    /// Every problem, each with its path (empty when valid).
    pub problems: Vec<Problem>,
}

impl Draft {
    /// Checks `text` with the same validator the widget and the collector use.
    #[must_use]
    pub fn check(text: &str) -> Self {
        match rapport_survey::load(text) {
            Ok(valid) => Self {
                survey: Some(valid.into_survey()),
                problems: Vec::new(),
            },
            Err(problems) => Self {
                survey: None,
                problems,
            },
        }
    }

    /// What the editor's status line says.
    #[must_use]
    pub fn summary(&self) -> String {
        match (&self.survey, self.problems.len()) {
            (Some(survey), _) => format!(
                "Valid: `{}` version {}, {} steps",
                survey.id,
                survey.version,
                survey.steps.len()
            ),
            (None, 1) => "1 problem".to_owned(),
            (None, n) => format!("{n} problems"),
        }
    }
}

/// `text` with its `version` set to `version`, pretty-printed: the start of the next version
/// of a published survey. `None` when `text` is not a JSON object.
#[must_use]
pub fn with_version(text: &str, version: i64) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    value
        .as_object_mut()?
        .insert("version".into(), serde_json::Value::from(version));
    serde_json::to_string_pretty(&value).ok()
}

/// The line (from 1) of `text` where the value at `path` (`$.steps[2].options[0].label`, as
/// the validator writes paths) starts, for the editor to point at. `None` when the path cannot
/// be followed (the text is no JSON, or the value is missing — then its parent's line is the
/// nearest, which the caller may try).
#[must_use]
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let offset = crate::locate::offset_of(text, &crate::locate::segments(path)?)?;
    Some(text[..offset].matches('\n').count() + 1)
}

/// The line of `path`, or of its nearest ancestor that exists in `text` (a missing field is
/// reported at the field's own path, which is not in the text).
#[must_use]
pub fn nearest_line(text: &str, path: &str) -> Option<usize> {
    let mut path = path;
    loop {
        if let Some(line) = line_of(text, path) {
            return Some(line);
        }
        let cut = path.rfind(['.', '['])?;
        path = &path[..cut];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"{
  "id": "mini", "version": 1, "default_locale": "en", "locales": ["en"],
  "steps": [
    {"id": "nps", "kind": "nps", "title": {"en": "Would you recommend us?"}}
  ]
}"#;

    #[test]
    fn a_valid_text_gives_its_survey() {
        let draft = Draft::check(VALID);
        assert!(draft.problems.is_empty());
        assert_eq!(draft.summary(), "Valid: `mini` version 1, 1 steps");
    }

    #[test]
    fn an_invalid_text_lists_every_problem_with_its_path() {
        let text = VALID
            .replace("\"nps\", \"kind\"", "\"NPS!\", \"kind\"")
            .replace("\"version\": 1", "\"version\": 0");
        let draft = Draft::check(&text);
        assert!(draft.survey.is_none());
        let paths: Vec<_> = draft.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"$.version"), "{paths:?}");
        assert!(paths.contains(&"$.steps[0].id"), "{paths:?}");
        assert_eq!(draft.summary(), format!("{} problems", paths.len()));
    }

    #[test]
    fn a_syntax_error_is_one_problem() {
        let draft = Draft::check("{\"id\": ");
        assert_eq!(draft.problems.len(), 1);
        assert_eq!(draft.summary(), "1 problem");
    }

    #[test]
    fn the_next_version_keeps_everything_else() -> Result<(), serde_json::Error> {
        let next = with_version(VALID, 2).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&next)?;
        assert_eq!(value["version"], 2);
        assert_eq!(value["steps"][0]["id"], "nps");
        assert_eq!(with_version("[1]", 2), None);
        Ok(())
    }

    #[test]
    fn a_problem_points_at_its_line() {
        assert_eq!(line_of(VALID, "$.steps[0].title"), Some(4));
        assert_eq!(line_of(VALID, "$.version"), Some(2));
        assert_eq!(line_of(VALID, "$"), Some(1));
        assert_eq!(line_of(VALID, "$.steps[3]"), None);
        // A missing field: the line of the step it is missing from.
        assert_eq!(nearest_line(VALID, "$.steps[0].required_text"), Some(4));
    }
}
