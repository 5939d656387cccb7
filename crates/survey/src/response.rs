//! The response payload posted to the shop's endpoint, how it is built from a run, and how a
//! receiver checks it against the survey version it names.

use serde::{Deserialize, Serialize};

use crate::answer::{check_answer, AnswerValue, Answers};
use crate::context::Context;
use crate::definition::StepKind;
use crate::engine::RunState;
use crate::relationship::Relationship;
use crate::validate::{Problem, ProblemCode, ValidSurvey};

/// Version of the payload format; raised on any incompatible change.
pub const PAYLOAD_VERSION: u32 = 1;

/// Formats 16 random bytes as a UUID v4 (RFC 9562: version and variant bits set): the
/// widget's response ids, the collector's sample and scratch ids.
#[must_use]
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The payload posted to the endpoint. See `schema/response.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Payload format version, currently 1.
    pub payload_version: u32,
    /// UUID v4 of this response; the same for every post of one run.
    pub response_id: String,
    /// The survey answered.
    pub survey_id: String,
    /// Its version.
    pub survey_version: i64,
    /// `partial` while the customer is still answering, `complete` at the end.
    pub status: Status,
    /// Increases with every post of the same response; receivers keep the highest.
    pub sequence: u32,
    /// The relationship type and where it came from.
    pub relationship: Relationship,
    /// The order's price band, if the survey has bands and the order a total (in the
    /// survey's `price_currency`, when it names one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_band: Option<String>,
    /// First or repeat purchase, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase: Option<Purchase>,
    /// The purchase context the shop passed.
    pub context: Context,
    /// Answers of the steps shown, by step id.
    pub answers: Answers,
    /// Scores derived from the answers.
    pub scores: Scores,
    /// The locale the survey was shown in.
    pub locale: String,
    /// When the customer saw the first step (RFC 3339).
    pub started_at: String,
    /// When this post was made (RFC 3339).
    pub submitted_at: String,
    /// Version of the widget that built the payload.
    pub widget_version: String,
}

/// Whether the customer has finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Still answering (per-step delivery).
    Partial,
    /// Went past the last step.
    Complete,
}

/// First or repeat purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    /// No earlier orders.
    First,
    /// At least one earlier order.
    Repeat,
}

/// Scores from the first answered step of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// NPS answer and category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<NpsScore>,
    /// Satisfaction, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<u8>,
    /// Effort, 1–7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces: Option<u8>,
}

/// An NPS answer with its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NpsScore {
    /// 0–10.
    pub score: u8,
    /// Promoter (9–10), passive (7–8) or detractor (0–6).
    pub category: NpsCategory,
}

/// NPS categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

impl NpsCategory {
    /// The category of a 0–10 score.
    #[must_use]
    pub fn of(score: u8) -> Self {
        match score {
            9.. => Self::Promoter,
            7 | 8 => Self::Passive,
            _ => Self::Detractor,
        }
    }
}

/// What the widget adds to a run to make a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// UUID v4 for the run.
    pub response_id: String,
    /// Post number, from 1.
    pub sequence: u32,
    /// Locale shown.
    pub locale: String,
    /// RFC 3339 time of the first step.
    pub started_at: String,
    /// RFC 3339 time of this post.
    pub submitted_at: String,
    /// Widget version.
    pub widget_version: String,
}

impl ValidSurvey {
    /// Builds the payload for a run: `complete` when the run is done, else `partial`.
    #[must_use]
    pub fn response(&self, context: &Context, state: &RunState, meta: ResponseMeta) -> Response {
        let answers = self.counted_answers(context, &state.answers);
        Response {
            payload_version: PAYLOAD_VERSION,
            response_id: meta.response_id,
            survey_id: self.id.clone(),
            survey_version: self.version,
            status: if state.done {
                Status::Complete
            } else {
                Status::Partial
            },
            sequence: meta.sequence,
            relationship: self.relationship(context, &state.answers),
            price_band: self.price_band(&context.order).map(str::to_owned),
            purchase: purchase(context),
            context: context.clone(),
            scores: self.scores(&answers),
            answers,
            locale: meta.locale,
            started_at: meta.started_at,
            submitted_at: meta.submitted_at,
            widget_version: meta.widget_version,
        }
    }

    /// Scores of the first answered NPS, CSAT and CES steps, in step order.
    #[must_use]
    pub fn scores(&self, answers: &Answers) -> Scores {
        let mut scores = Scores::default();
        for step in &self.steps {
            match answers.get(&step.id) {
                Some(AnswerValue::Nps(n)) if scores.nps.is_none() => {
                    scores.nps = Some(NpsScore {
                        score: *n,
                        category: NpsCategory::of(*n),
                    });
                }
                Some(AnswerValue::Csat(n)) if scores.csat.is_none() => scores.csat = Some(*n),
                Some(AnswerValue::Ces(n)) if scores.ces.is_none() => scores.ces = Some(*n),
                _ => {}
            }
        }
        scores
    }

    /// Checks a received payload against this survey version: every problem, with its path.
    #[must_use]
    pub fn check_response(&self, response: &Response) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut push = |path: String, message: String| {
            problems.push(Problem::new(path, ProblemCode::InvalidResponse, message));
        };
        if response.payload_version != PAYLOAD_VERSION {
            push(
                "$.payload_version".into(),
                format!(
                    "payload version {} is not supported; send {PAYLOAD_VERSION}",
                    response.payload_version
                ),
            );
        }
        if response.survey_id != self.id || response.survey_version != self.version {
            push(
                "$.survey_id".into(),
                format!(
                    "the response is for survey `{}` version {}, not `{}` version {}",
                    response.survey_id, response.survey_version, self.id, self.version
                ),
            );
        }
        if !is_uuid(&response.response_id) {
            push(
                "$.response_id".into(),
                "response_id must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            );
        }
        if response.sequence == 0 {
            push("$.sequence".into(), "sequence starts at 1".into());
        }
        for (name, value) in [
            ("started_at", &response.started_at),
            ("submitted_at", &response.submitted_at),
        ] {
            if !is_timestamp(value) {
                push(
                    format!("$.{name}"),
                    format!("`{value}` is not an RFC 3339 time such as 2026-11-25T08:30:00Z"),
                );
            }
        }
        if response.locale.is_empty() || response.locale.len() > 35 {
            push(
                "$.locale".into(),
                "locale must be a locale code such as `de`".into(),
            );
        }
        // The conditions as the widget evaluated them: `locale` is the one shown.
        let shown = Context {
            shown_locale: Some(response.locale.clone()),
            ..response.context.clone()
        };
        let ctx = &shown;
        let visible = self.visible_steps(ctx, &response.answers);
        for (id, answer) in &response.answers {
            let path = format!("$.answers.{id}");
            let Some(index) = self.steps.iter().position(|s| &s.id == id) else {
                push(
                    path,
                    format!(
                        "survey `{}` version {} has no step `{id}`",
                        self.id, self.version
                    ),
                );
                continue;
            };
            if let Err(problem) = check_answer(self, &self.steps[index], answer) {
                push(path.clone(), problem.to_string());
            }
            if !visible.contains(&index) {
                push(path, format!("step `{id}` is not shown for this context and these answers, so it cannot have an answer"));
            }
        }
        if response.status == Status::Complete {
            for &i in &visible {
                let step = &self.steps[i];
                if step.required
                    && step.kind != StepKind::Reassurance
                    && !response.answers.contains_key(&step.id)
                {
                    push(
                        format!("$.answers.{}", step.id),
                        format!(
                            "a complete response needs an answer to required step `{}`",
                            step.id
                        ),
                    );
                }
            }
        }
        let expected = self.relationship(ctx, &response.answers);
        if response.relationship != expected {
            push(
                "$.relationship".into(),
                format!(
                    "the relationship for this context and these answers is `{}` from {}, not `{}` from {}",
                    expected.type_id,
                    expected.source.id(),
                    response.relationship.type_id,
                    response.relationship.source.id()
                ),
            );
        }
        if response.price_band.as_deref() != self.price_band(&ctx.order) {
            push(
                "$.price_band".into(),
                "the price band does not match the order total and currency and the survey's price bands".into(),
            );
        }
        if response.purchase != purchase(ctx) {
            push(
                "$.purchase".into(),
                "`purchase` does not match customer.earlier_orders".into(),
            );
        }
        if response.scores != self.scores(&self.counted_answers(ctx, &response.answers)) {
            push(
                "$.scores".into(),
                "the scores do not match the answers".into(),
            );
        }
        problems
    }
}

fn purchase(context: &Context) -> Option<Purchase> {
    context.customer.first_purchase().map(|first| {
        if first {
            Purchase::First
        } else {
            Purchase::Repeat
        }
    })
}

fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range
            .into_iter()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    value.len() >= 20
        && value.len() <= 40
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (value.ends_with(['Z', 'z']) || value[19..].contains(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::uuid_v4;

    #[test]
    fn formats_a_version_4_uuid() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
