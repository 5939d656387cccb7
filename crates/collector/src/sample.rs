//! Valid sample responses, made by running the survey engine like a customer would: for the
//! tests and the load generator (`rapport-bench`).

use rand::Rng;
use rapport_survey::{
    Action, AnswerValue, Context, Response, ResponseMeta, RunState, StepKind, ValidSurvey,
};

/// How the simulated customer answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The type picked in a screener step (the survey's first type when `None`).
    pub screener: Option<String>,
    /// NPS answer.
    pub nps: u8,
    /// CSAT answers.
    pub csat: u8,
    /// CES answers.
    pub ces: u8,
    /// Free-text answers.
    pub text: String,
}

impl Default for Customer {
    fn default() -> Self {
        Self {
            screener: None,
            nps: 9,
            csat: 4,
            ces: 6,
            text: "Fast delivery, thank you".into(),
        }
    }
}

/// A random UUID v4.
#[must_use]
pub fn uuid() -> String {
    rapport_survey::uuid_v4(rand::thread_rng().gen())
}

/// The run after the customer answered (up to) `steps` steps; `None` = to the end.
#[must_use]
pub fn run(
    survey: &ValidSurvey,
    context: &Context,
    customer: &Customer,
    steps: Option<usize>,
) -> RunState {
    let mut state = survey.start(context);
    let mut taken = 0;
    while !state.done && steps.is_none_or(|limit| taken < limit) {
        let Some(step) = survey.current(&state) else {
            break;
        };
        let action = match step.kind {
            StepKind::Reassurance => Action::Next,
            StepKind::Nps => Action::Answer(AnswerValue::Nps(customer.nps)),
            StepKind::Csat => Action::Answer(AnswerValue::Csat(customer.csat)),
            StepKind::Ces => Action::Answer(AnswerValue::Ces(customer.ces)),
            StepKind::SingleChoice => match step.options.first() {
                Some(option) => Action::Answer(AnswerValue::SingleChoice(option.id.clone())),
                None => Action::Next,
            },
            StepKind::MultiChoice => Action::Answer(AnswerValue::MultiChoice(
                step.options.iter().take(1).map(|o| o.id.clone()).collect(),
            )),
            StepKind::Text => Action::Answer(AnswerValue::Text(customer.text.clone())),
            StepKind::Consent => Action::Answer(AnswerValue::Consent(true)),
            StepKind::RelationshipScreener => {
                let pick = customer
                    .screener
                    .clone()
                    .or_else(|| survey.relationship_types().first().map(|t| t.id.clone()));
                match pick {
                    Some(pick) => Action::Answer(AnswerValue::RelationshipScreener(pick)),
                    None => Action::Next,
                }
            }
        };
        match survey.apply(context, &state, action) {
            Ok(next) => state = next,
            Err(_) => break,
        }
        taken += 1;
    }
    state
}

/// A valid payload for `response_id` after `steps` steps (`None` = complete).
#[must_use]
pub fn response(
    survey: &ValidSurvey,
    context: &Context,
    customer: &Customer,
    response_id: &str,
    sequence: u32,
    steps: Option<usize>,
) -> Response {
    let state = run(survey, context, customer, steps);
    survey.response(
        context,
        &state,
        ResponseMeta {
            response_id: response_id.to_owned(),
            sequence,
            locale: survey.default_locale.clone(),
            started_at: "2026-11-25T08:30:00Z".into(),
            submitted_at: "2026-11-25T08:31:00Z".into(),
            widget_version: "0.1.0".into(),
        },
    )
}
