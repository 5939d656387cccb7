//! The collector's results of one survey version (`GET …/versions/{n}/results`), as the
//! console reads them: every group in the collector's order (the survey's), and the figures the
//! tables and charts show.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// Entries of a JSON object in the order the collector wrote them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

/// The results of one version.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Results {
    /// The survey.
    pub survey_id: String,
    /// The version.
    pub version: i64,
    /// Every response.
    pub total: Summary,
    /// By relationship type, every type of the survey's taxonomy.
    pub by_relationship: Ordered<Summary>,
    /// By price band, then `none`.
    pub by_price_band: Ordered<Summary>,
    /// `first`, `repeat`, then `unknown`.
    pub by_purchase: Ordered<Summary>,
}

/// How the results are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// By relationship type.
    Relationship,
    /// By price band.
    PriceBand,
    /// By first or repeat purchase.
    Purchase,
}

impl Split {
    /// Every split, in the console's order.
    pub const ALL: [Self; 3] = [Self::Relationship, Self::PriceBand, Self::Purchase];

    /// Its id, for `<select>` values.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Relationship => "relationship",
            Self::PriceBand => "price_band",
            Self::Purchase => "purchase",
        }
    }

    /// Its name, for people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Relationship => "relationship type",
            Self::PriceBand => "price band",
            Self::Purchase => "first or repeat purchase",
        }
    }

    /// The split with this id.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|split| split.id() == id)
    }
}

impl Results {
    /// The groups of `split`, in order.
    #[must_use]
    pub fn groups(&self, split: Split) -> &[(String, Summary)] {
        match split {
            Split::Relationship => &self.by_relationship.0,
            Split::PriceBand => &self.by_price_band.0,
            Split::Purchase => &self.by_purchase.0,
        }
    }
}

/// Figures of a group of responses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Summary {
    /// Responses, partial and complete.
    pub count: u64,
    /// Complete responses.
    pub complete: u64,
    /// Responses from a signed link.
    pub verified: u64,
    /// Net Promoter Score.
    pub nps: Nps,
    /// Satisfaction, 1–5.
    pub csat: Csat,
    /// Effort, 1–7.
    pub ces: Ces,
    /// Every question by step id, in the survey's order.
    pub questions: Ordered<Question>,
}

/// NPS figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Nps {
    /// Responses with an NPS answer.
    pub responses: u64,
    /// 9–10.
    pub promoters: u64,
    /// 7–8.
    pub passives: u64,
    /// 0–6.
    pub detractors: u64,
    /// −100…100; `None` without answers.
    pub score: Option<f64>,
}

/// CSAT figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Csat {
    /// Responses with a CSAT answer.
    pub responses: u64,
    /// Mean, 1–5.
    pub mean: Option<f64>,
    /// % answering 4 or 5.
    pub satisfied_percent: Option<f64>,
}

/// CES figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ces {
    /// Responses with a CES answer.
    pub responses: u64,
    /// Mean, 1–7.
    pub mean: Option<f64>,
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Question {
    /// The step kind.
    pub kind: String,
    /// Responses answering it.
    pub answered: u64,
    /// Count per value, in order.
    pub distribution: Ordered<u64>,
    /// Free-text answers.
    #[serde(default)]
    pub texts: Vec<TextAnswer>,
}

/// One free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TextAnswer {
    /// The response.
    pub response_id: String,
    /// The customer's relationship type.
    pub relationship_type: String,
    /// The text, shown as text (yew escapes it).
    pub text: String,
}

/// A figure with one decimal, or `–` when there is none.
#[must_use]
pub fn figure(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |value| format!("{value:.decimals$}"))
}

/// The share `part / whole` in percent, 0 when `whole` is 0.
#[must_use]
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(count: u64, score: Option<f64>) -> serde_json::Value {
        serde_json::json!({
            "count": count, "complete": count, "verified": 0,
            "nps": {"responses": count, "promoters": count, "passives": 0, "detractors": 0, "score": score},
            "csat": {"responses": 0, "mean": null, "satisfied_percent": null},
            "ces": {"responses": 0, "mean": null},
            "questions": {}
        })
    }

    #[test]
    fn groups_keep_the_collectors_order() -> Result<(), serde_json::Error> {
        // serde_json's own map would sort these alphabetically.
        let text = format!(
            r#"{{"survey_id": "s", "version": 2, "total": {t},
              "by_relationship": {{"just_buying": {a}, "business_partner": {b}, "fling": {b}}},
              "by_price_band": {{"low": {b}, "high": {b}, "none": {b}}},
              "by_purchase": {{"first": {a}, "repeat": {b}}}}}"#,
            t = summary(1, Some(100.0)),
            a = summary(1, Some(100.0)),
            b = summary(0, None),
        );
        let results: Results = serde_json::from_str(&text)?;
        let ids = |split| -> Vec<&str> {
            results
                .groups(split)
                .iter()
                .map(|(id, _)| id.as_str())
                .collect()
        };
        assert_eq!(
            ids(Split::Relationship),
            ["just_buying", "business_partner", "fling"]
        );
        assert_eq!(ids(Split::PriceBand), ["low", "high", "none"]);
        let question: Question = serde_json::from_str(
            r#"{"kind": "nps", "answered": 1, "distribution": {"9": 0, "10": 1}}"#,
        )?;
        assert_eq!(question.distribution.0[1], ("10".to_owned(), 1));
        Ok(())
    }

    #[test]
    fn figures_and_shares_read_as_numbers() {
        assert_eq!(figure(Some(42.456), 1), "42.5");
        assert_eq!(figure(None, 2), "–");
        assert!((percent(1, 4) - 25.0).abs() < 1e-9);
        assert!(percent(3, 0).abs() < 1e-9);
        assert_eq!(Split::from_id("price_band"), Some(Split::PriceBand));
        assert_eq!(Split::from_id("x"), None);
    }
}
