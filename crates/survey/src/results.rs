//! The results of one survey version as the collector's researcher API answers them
//! (`GET /v1/surveys/{id}/versions/{n}/results`): in total and split by relationship type,
//! price band and first/repeat purchase. The collector builds them; the console reads them.
//! Maps keep their order through JSON (the survey's: types, bands, steps, scale values).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The results of one survey version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Csat {
    /// Responses with a CSAT answer.
    pub responses: u64,
    /// Mean, 1–5.
    pub mean: Option<f64>,
    /// % answering 4 or 5.
    pub satisfied_percent: Option<f64>,
}

/// CES figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ces {
    /// Responses with a CES answer.
    pub responses: u64,
    /// Mean, 1–7.
    pub mean: Option<f64>,
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The step kind (`nps`, `single_choice`, …).
    pub kind: String,
    /// Responses answering it.
    pub answered: u64,
    /// Count per value (scale value, option id, type id, `true`/`false`); every possible value
    /// is listed, in order (0…10, the options as defined). Empty for free text.
    pub distribution: IndexMap<String, u64>,
    /// Free-text answers (text steps only), as data — never rendered as HTML here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<TextAnswer>,
}

/// One free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    /// The response it belongs to.
    pub response_id: String,
    /// The customer's relationship type.
    pub relationship_type: String,
    /// The text.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_values_keep_their_order_through_json() -> Result<(), serde_json::Error> {
        // serde_json's own map would sort these: `business_partner` before `just_buying`,
        // `10` before `9`.
        let question: Question = serde_json::from_str(
            r#"{"kind": "nps", "answered": 1, "distribution": {"9": 0, "10": 1}}"#,
        )?;
        let keys: Vec<_> = question.distribution.keys().collect();
        assert_eq!(keys, ["9", "10"]);
        assert!(question.texts.is_empty());
        let summary = Summary {
            count: 1,
            complete: 1,
            verified: 0,
            nps: Nps::default(),
            csat: Csat::default(),
            ces: Ces::default(),
            questions: IndexMap::from([("nps".to_owned(), question)]),
        };
        let results = Results {
            survey_id: "s".into(),
            version: 2,
            total: summary.clone(),
            by_relationship: IndexMap::from([
                ("just_buying".to_owned(), summary.clone()),
                ("business_partner".to_owned(), summary.clone()),
            ]),
            by_price_band: IndexMap::new(),
            by_purchase: IndexMap::from([("first".to_owned(), summary)]),
        };
        let text = serde_json::to_string(&results)?;
        assert!(!text.contains("texts"), "empty texts are left out: {text}");
        let back: Results = serde_json::from_str(&text)?;
        assert_eq!(back, results);
        let types: Vec<_> = back.by_relationship.keys().collect();
        assert_eq!(types, ["just_buying", "business_partner"]);
        Ok(())
    }
}
