//! What the console adds to the collector's results (`rapport_survey::results`, the shape the
//! collector writes): how they are split, and how figures read.

use indexmap::IndexMap;
use rapport_survey::results::{Results, Summary};

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

    /// The groups of `results` by this split, in the collector's order.
    #[must_use]
    pub fn groups(self, results: &Results) -> &IndexMap<String, Summary> {
        match self {
            Self::Relationship => &results.by_relationship,
            Self::PriceBand => &results.by_price_band,
            Self::Purchase => &results.by_purchase,
        }
    }
}

/// A figure with `decimals` decimals, or `–` when there is none.
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

    #[test]
    fn each_split_reads_its_groups_from_the_collectors_answer() -> Result<(), serde_json::Error> {
        let empty = r#"{"count": 0, "complete": 0, "verified": 0,
            "nps": {"responses": 0, "promoters": 0, "passives": 0, "detractors": 0, "score": null},
            "csat": {"responses": 0, "mean": null, "satisfied_percent": null},
            "ces": {"responses": 0, "mean": null}, "questions": {}}"#;
        let text = format!(
            r#"{{"survey_id": "s", "version": 2, "total": {empty},
              "by_relationship": {{"just_buying": {empty}, "fling": {empty}}},
              "by_price_band": {{"low": {empty}, "none": {empty}}},
              "by_purchase": {{"first": {empty}, "repeat": {empty}, "unknown": {empty}}}}}"#
        );
        let results: Results = serde_json::from_str(&text)?;
        let ids =
            |split: Split| -> Vec<String> { split.groups(&results).keys().cloned().collect() };
        assert_eq!(ids(Split::Relationship), ["just_buying", "fling"]);
        assert_eq!(ids(Split::PriceBand), ["low", "none"]);
        assert_eq!(ids(Split::Purchase), ["first", "repeat", "unknown"]);
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
