//! Aggregates of one survey version for researchers: count, NPS, CSAT, CES, the distribution
//! of every question and the free-text answers — in total and split by relationship type,
//! price band and first/repeat purchase.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use rapport_survey::{AnswerValue, NpsCategory, Response, StepKind, Survey};
use serde::Serialize;

/// The results of one survey version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// The survey.
    pub survey_id: String,
    /// The version.
    pub version: i64,
    /// Every response.
    pub total: Summary,
    /// By relationship type id: every type of the survey's taxonomy, in its order, even
    /// without responses.
    pub by_relationship: IndexMap<String, Summary>,
    /// By price band id: every band of the survey, in its order, even without responses;
    /// then `none` when an order had no band.
    pub by_price_band: IndexMap<String, Summary>,
    /// By `first` / `repeat` purchase (both always), then `unknown` when the shop did not say.
    pub by_purchase: IndexMap<String, Summary>,
}

/// Figures of a group of responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Responses (partial and complete).
    pub count: u64,
    /// Complete responses.
    pub complete: u64,
    /// Responses whose context was verified by a signed link.
    pub verified: u64,
    /// Net Promoter Score.
    pub nps: Nps,
    /// Satisfaction (1–5).
    pub csat: Csat,
    /// Effort (1–7).
    pub ces: Ces,
    /// Every question by step id, in the survey's order.
    pub questions: IndexMap<String, Question>,
}

/// NPS figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Nps {
    /// Responses with an NPS answer.
    pub responses: u64,
    /// 9–10.
    pub promoters: u64,
    /// 7–8.
    pub passives: u64,
    /// 0–6.
    pub detractors: u64,
    /// % promoters − % detractors, −100 to 100; `null` without answers.
    pub score: Option<f64>,
}

/// CSAT figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Csat {
    /// Responses with a CSAT answer.
    pub responses: u64,
    /// Mean, 1–5.
    pub mean: Option<f64>,
    /// % answering 4 or 5.
    pub satisfied_percent: Option<f64>,
}

/// CES figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ces {
    /// Responses with a CES answer.
    pub responses: u64,
    /// Mean, 1–7.
    pub mean: Option<f64>,
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The step kind.
    pub kind: &'static str,
    /// Responses answering it.
    pub answered: u64,
    /// Count per value (scale value, option id, type id, `true`/`false`); every possible value
    /// is listed, in order (0…10, the options as defined). Empty for free text.
    pub distribution: IndexMap<String, u64>,
    /// Free-text answers (text steps only), as data — never rendered as HTML here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<TextAnswer>,
}

/// One free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextAnswer {
    /// The response it belongs to.
    pub response_id: String,
    /// The customer's relationship type.
    pub relationship_type: String,
    /// The text.
    pub text: String,
}

/// Builds results by feeding responses one at a time.
#[derive(Debug, Clone)]
pub struct Aggregator {
    results: Results,
    sums: BTreeMap<Group, Sums>,
    empty: Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Total,
    Relationship(String),
    PriceBand(String),
    Purchase(String),
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    csat: u64,
    csat_satisfied: u64,
    ces: u64,
}

impl Aggregator {
    /// An aggregator for a survey version (its steps decide the questions listed).
    #[must_use]
    pub fn new(survey: &Survey) -> Self {
        let questions = survey
            .steps
            .iter()
            .filter(|step| step.kind != StepKind::Reassurance)
            .map(|step| {
                let values: Vec<String> = match step.kind {
                    StepKind::SingleChoice | StepKind::MultiChoice => {
                        step.options.iter().map(|o| o.id.clone()).collect()
                    }
                    StepKind::RelationshipScreener => survey
                        .relationship_types()
                        .iter()
                        .map(|t| t.id.clone())
                        .collect(),
                    StepKind::Consent => vec!["false".into(), "true".into()],
                    kind => kind
                        .scale()
                        .map(|(min, max)| (min..=max).map(|v| v.to_string()).collect())
                        .unwrap_or_default(),
                };
                let question = Question {
                    kind: step.kind.id(),
                    answered: 0,
                    distribution: values.into_iter().map(|v| (v, 0)).collect(),
                    texts: Vec::new(),
                };
                (step.id.clone(), question)
            })
            .collect();
        let empty = Summary {
            count: 0,
            complete: 0,
            verified: 0,
            nps: Nps::default(),
            csat: Csat::default(),
            ces: Ces::default(),
            questions,
        };
        let by_relationship = survey
            .relationship_types()
            .iter()
            .map(|t| (t.id.clone(), empty.clone()))
            .collect();
        Self {
            results: Results {
                survey_id: survey.id.clone(),
                version: survey.version,
                total: empty.clone(),
                by_relationship,
                by_price_band: survey
                    .price_bands
                    .iter()
                    .map(|band| (band.id.clone(), empty.clone()))
                    .collect(),
                by_purchase: ["first", "repeat"]
                    .into_iter()
                    .map(|purchase| (purchase.to_owned(), empty.clone()))
                    .collect(),
            },
            sums: BTreeMap::new(),
            empty,
        }
    }

    /// Adds one stored response.
    pub fn add(&mut self, response: &Response, verified: bool) {
        let band = response.price_band.clone().unwrap_or_else(|| "none".into());
        let purchase = match response.purchase {
            Some(rapport_survey::Purchase::First) => "first",
            Some(rapport_survey::Purchase::Repeat) => "repeat",
            None => "unknown",
        };
        for group in [
            Group::Total,
            Group::Relationship(response.relationship.type_id.clone()),
            Group::PriceBand(band),
            Group::Purchase(purchase.to_owned()),
        ] {
            let sums = self.sums.entry(group.clone()).or_default();
            let summary = match group {
                Group::Total => &mut self.results.total,
                Group::Relationship(id) => self
                    .results
                    .by_relationship
                    .entry(id)
                    .or_insert_with(|| self.empty.clone()),
                Group::PriceBand(id) => self
                    .results
                    .by_price_band
                    .entry(id)
                    .or_insert_with(|| self.empty.clone()),
                Group::Purchase(id) => self
                    .results
                    .by_purchase
                    .entry(id)
                    .or_insert_with(|| self.empty.clone()),
            };
            add_to(summary, sums, response, verified);
        }
    }

    /// The results.
    #[must_use]
    pub fn finish(mut self) -> Results {
        let mut finish = |group: Group, summary: &mut Summary| {
            let sums = self.sums.remove(&group).unwrap_or_default();
            let n = |count: u64| count as f64;
            let nps = &mut summary.nps;
            if nps.responses > 0 {
                nps.score = Some(round1(
                    (n(nps.promoters) - n(nps.detractors)) * 100.0 / n(nps.responses),
                ));
            }
            let csat = &mut summary.csat;
            if csat.responses > 0 {
                csat.mean = Some(round2(n(sums.csat) / n(csat.responses)));
                csat.satisfied_percent =
                    Some(round1(n(sums.csat_satisfied) * 100.0 / n(csat.responses)));
            }
            if summary.ces.responses > 0 {
                summary.ces.mean = Some(round2(n(sums.ces) / n(summary.ces.responses)));
            }
        };
        finish(Group::Total, &mut self.results.total);
        for (id, summary) in &mut self.results.by_relationship {
            finish(Group::Relationship(id.clone()), summary);
        }
        for (id, summary) in &mut self.results.by_price_band {
            finish(Group::PriceBand(id.clone()), summary);
        }
        for (id, summary) in &mut self.results.by_purchase {
            finish(Group::Purchase(id.clone()), summary);
        }
        self.results
    }
}

fn add_to(summary: &mut Summary, sums: &mut Sums, response: &Response, verified: bool) {
    summary.count += 1;
    if response.status == rapport_survey::Status::Complete {
        summary.complete += 1;
    }
    if verified {
        summary.verified += 1;
    }
    if let Some(nps) = response.scores.nps {
        summary.nps.responses += 1;
        match NpsCategory::of(nps.score) {
            NpsCategory::Promoter => summary.nps.promoters += 1,
            NpsCategory::Passive => summary.nps.passives += 1,
            NpsCategory::Detractor => summary.nps.detractors += 1,
        }
    }
    if let Some(csat) = response.scores.csat {
        summary.csat.responses += 1;
        sums.csat += u64::from(csat);
        if csat >= 4 {
            sums.csat_satisfied += 1;
        }
    }
    if let Some(ces) = response.scores.ces {
        summary.ces.responses += 1;
        sums.ces += u64::from(ces);
    }
    for (step, answer) in &response.answers {
        let Some(question) = summary.questions.get_mut(step) else {
            continue;
        };
        question.answered += 1;
        let mut count = |value: String| *question.distribution.entry(value).or_insert(0) += 1;
        match answer {
            AnswerValue::Nps(v) | AnswerValue::Csat(v) | AnswerValue::Ces(v) => {
                count(v.to_string());
            }
            AnswerValue::SingleChoice(v) | AnswerValue::RelationshipScreener(v) => count(v.clone()),
            AnswerValue::MultiChoice(values) => values.iter().cloned().for_each(count),
            AnswerValue::Consent(given) => count(given.to_string()),
            AnswerValue::Text(text) => question.texts.push(TextAnswer {
                response_id: response.response_id.clone(),
                relationship_type: response.relationship.type_id.clone(),
                text: text.clone(),
            }),
        }
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
