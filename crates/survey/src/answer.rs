//! Typed answers and the check of an answer against its step.

use serde::{Deserialize, Serialize};

use crate::definition::{Step, StepKind, Survey};

/// A customer's answer to one step, tagged with the step's kind.
///
/// In JSON: `{"kind": "nps", "value": 9}`, `{"kind": "multi_choice", "value": ["a", "b"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// Net Promoter Score, 0–10.
    Nps(u8),
    /// Satisfaction, 1–5.
    Csat(u8),
    /// Effort, 1–7.
    Ces(u8),
    /// The id of the chosen option.
    SingleChoice(String),
    /// The ids of the chosen options.
    MultiChoice(Vec<String>),
    /// Free text.
    Text(String),
    /// Whether the customer consented.
    Consent(bool),
    /// The relationship type id the customer picked in the screener.
    RelationshipScreener(String),
}

/// Answers by step id.
pub type Answers = crate::map::SmallMap<String, AnswerValue>;

impl AnswerValue {
    /// The step kind this answer belongs to.
    #[must_use]
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Nps(_) => StepKind::Nps,
            Self::Csat(_) => StepKind::Csat,
            Self::Ces(_) => StepKind::Ces,
            Self::SingleChoice(_) => StepKind::SingleChoice,
            Self::MultiChoice(_) => StepKind::MultiChoice,
            Self::Text(_) => StepKind::Text,
            Self::Consent(_) => StepKind::Consent,
            Self::RelationshipScreener(_) => StepKind::RelationshipScreener,
        }
    }

    /// The answer as plain text, for placeholders such as `{answers.nps}`.
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Self::Nps(n) | Self::Csat(n) | Self::Ces(n) => n.to_string(),
            Self::SingleChoice(s) | Self::Text(s) | Self::RelationshipScreener(s) => s.clone(),
            Self::MultiChoice(list) => list.join(", "),
            Self::Consent(b) => b.to_string(),
        }
    }
}

/// Why an answer does not fit its step. The `Display` text is for researchers and logs; the
/// widget shows its own localized words for the [`AnswerProblem::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerProblem {
    /// The answer is for another kind of step.
    #[error("step `{step}` is a {expected} step, but the answer is a {got} answer")]
    WrongKind {
        /// The step id.
        step: String,
        /// The step's kind.
        expected: &'static str,
        /// The answer's kind.
        got: &'static str,
    },
    /// A rating outside the scale.
    #[error("{value} is outside the scale {min}–{max} of step `{step}`")]
    OutOfRange {
        /// The step id.
        step: String,
        /// The rating given.
        value: u8,
        /// Lowest allowed.
        min: u8,
        /// Highest allowed.
        max: u8,
    },
    /// A choice id the step does not offer.
    #[error("`{option}` is not an option of step `{step}`")]
    UnknownOption {
        /// The step id.
        step: String,
        /// The offending option id.
        option: String,
    },
    /// The same option twice in a multiple choice.
    #[error("option `{option}` is chosen twice in step `{step}`")]
    DuplicateOption {
        /// The step id.
        step: String,
        /// The repeated option id.
        option: String,
    },
    /// Text longer than allowed.
    #[error("the text of step `{step}` has {length} characters, more than the {limit} allowed")]
    TooLong {
        /// The step id.
        step: String,
        /// Characters given.
        length: usize,
        /// Characters allowed.
        limit: u32,
    },
    /// A required step left empty (no option, empty text, consent not given).
    #[error("step `{step}` is required")]
    Required {
        /// The step id.
        step: String,
    },
    /// A relationship type that is not in the survey's taxonomy.
    #[error("`{type_id}` is not a relationship type of this survey")]
    UnknownType {
        /// The step id.
        step: String,
        /// The offending type id.
        type_id: String,
    },
    /// A reassurance step takes no answer.
    #[error("step `{step}` is a message and takes no answer")]
    NoAnswerExpected {
        /// The step id.
        step: String,
    },
}

impl AnswerProblem {
    /// A stable machine id for this problem.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongKind { .. } => "wrong_kind",
            Self::OutOfRange { .. } => "out_of_range",
            Self::UnknownOption { .. } => "unknown_option",
            Self::DuplicateOption { .. } => "duplicate_option",
            Self::TooLong { .. } => "too_long",
            Self::Required { .. } => "required",
            Self::UnknownType { .. } => "unknown_type",
            Self::NoAnswerExpected { .. } => "no_answer_expected",
        }
    }
}

/// Checks an answer against its step: kind, range, options, length, and required-ness.
///
/// # Errors
/// The first problem found.
pub fn check_answer(
    survey: &Survey,
    step: &Step,
    answer: &AnswerValue,
) -> Result<(), AnswerProblem> {
    let id = || step.id.clone();
    if step.kind == StepKind::Reassurance {
        return Err(AnswerProblem::NoAnswerExpected { step: id() });
    }
    if answer.kind() != step.kind {
        return Err(AnswerProblem::WrongKind {
            step: id(),
            expected: step.kind.id(),
            got: answer.kind().id(),
        });
    }
    let has_option = |option: &str| step.options.iter().any(|o| o.id == option);
    match answer {
        AnswerValue::Nps(v) | AnswerValue::Csat(v) | AnswerValue::Ces(v) => {
            let (min, max) = step.kind.scale().unwrap_or((0, 0));
            if *v < min || *v > max {
                return Err(AnswerProblem::OutOfRange {
                    step: id(),
                    value: *v,
                    min,
                    max,
                });
            }
        }
        AnswerValue::SingleChoice(option) => {
            if !has_option(option) {
                return Err(AnswerProblem::UnknownOption {
                    step: id(),
                    option: option.clone(),
                });
            }
        }
        AnswerValue::MultiChoice(options) => {
            for (i, option) in options.iter().enumerate() {
                if !has_option(option) {
                    return Err(AnswerProblem::UnknownOption {
                        step: id(),
                        option: option.clone(),
                    });
                }
                if options[..i].contains(option) {
                    return Err(AnswerProblem::DuplicateOption {
                        step: id(),
                        option: option.clone(),
                    });
                }
            }
            if step.required && options.is_empty() {
                return Err(AnswerProblem::Required { step: id() });
            }
        }
        AnswerValue::Text(text) => {
            let length = text.chars().count();
            if length > step.text_limit() as usize {
                return Err(AnswerProblem::TooLong {
                    step: id(),
                    length,
                    limit: step.text_limit(),
                });
            }
            if step.required && text.trim().is_empty() {
                return Err(AnswerProblem::Required { step: id() });
            }
        }
        AnswerValue::Consent(given) => {
            if step.required && !given {
                return Err(AnswerProblem::Required { step: id() });
            }
        }
        AnswerValue::RelationshipScreener(type_id) => {
            if !survey.has_type(type_id) {
                return Err(AnswerProblem::UnknownType {
                    step: id(),
                    type_id: type_id.clone(),
                });
            }
        }
    }
    Ok(())
}
