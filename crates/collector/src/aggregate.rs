//! Aggregates of one survey version for researchers: count, NPS, CSAT, CES, the distribution
//! of every question and the free-text answers — in total and split by relationship type,
//! price band and first/repeat purchase.

use std::collections::BTreeMap;

use rapport_survey::results::{Ces, Csat, Nps, Question, Results, Summary, TextAnswer};
use rapport_survey::{AnswerValue, NpsCategory, Response, StepKind, Survey};

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
                    kind: step.kind.id().to_owned(),
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
