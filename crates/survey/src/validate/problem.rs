//! A problem found in a survey definition or a response: where, what kind, and what to do.

use serde::{Deserialize, Serialize};

/// One problem, located by a JSON path such as `$.steps[2].when`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Where: a JSON path into the document, `$` for the whole document.
    pub path: String,
    /// What kind of problem (stable, for programs).
    pub code: ProblemCode,
    /// What is wrong and how to fix it (English, for people).
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Problem {
    /// The problem as `path [code]: message`, the form of the README's Validation section,
    /// of `tests/broken/*.expected.txt`, of the widget's console and of
    /// `rapport-collector validate`.
    #[must_use]
    pub fn line(&self) -> String {
        let code = serde_json::to_value(self.code)
            .ok()
            .and_then(|code| code.as_str().map(str::to_owned))
            .unwrap_or_default();
        format!("{} [{code}]: {}", self.path, self.message)
    }

    /// A problem at `path`.
    #[must_use]
    pub fn new(path: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

/// Stable machine ids of problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The document is not JSON.
    Syntax,
    /// A field is missing, unknown, or of the wrong type.
    Structure,
    /// An id has characters outside `a-z 0-9 _ -`, or is empty or too long.
    InvalidId,
    /// Two things share an id.
    DuplicateId,
    /// The version is not a positive integer.
    InvalidVersion,
    /// A locale is malformed, undeclared, or the default is not among the locales.
    InvalidLocale,
    /// A text lacks one of the declared locales.
    MissingTranslation,
    /// A placeholder is malformed or reads something it cannot.
    InvalidPlaceholder,
    /// A condition does not parse.
    ConditionSyntax,
    /// A condition reads an unknown field or step.
    UnknownField,
    /// A condition or text reads an answer of a later step (or of its own step).
    ForwardReference,
    /// A condition compares a field with a value of another type, or with an unknown value.
    TypeMismatch,
    /// A relationship type id that is not in the taxonomy.
    UnknownType,
    /// A field that has no meaning for the step's kind.
    NotApplicable,
    /// A choice step with too few options, a survey without steps, an empty taxonomy.
    Empty,
    /// A number outside its allowed range.
    OutOfRange,
    /// A URL with a scheme other than https, http, mailto or tel.
    InvalidUrl,
    /// A currency code that is not three capital letters (ISO 4217, e.g. `EUR`).
    InvalidCurrency,
    /// A response does not match the survey version it names.
    InvalidResponse,
}
