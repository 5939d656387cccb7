//! Relationship types (how the customer sees their relationship with the shop) and how a
//! customer's type is determined: explicit → rule → screener → default.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::context::Order;
use crate::definition::{RelationshipType, Survey};
use crate::text::Text;

/// Where a customer's relationship type came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TypeSource {
    /// The shop passed it in the context.
    Explicit,
    /// A researcher rule over the context matched.
    Rule,
    /// The customer picked it in the screener step.
    Screener,
    /// Nothing else decided; the survey's default.
    Default,
}

impl TypeSource {
    /// The id used in JSON.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Explicit => "explicit",
            Self::Rule => "rule",
            Self::Screener => "screener",
            Self::Default => "default",
        }
    }
}

/// A customer's relationship type and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// The type id, e.g. `best_friends`.
    #[serde(rename = "type")]
    pub type_id: String,
    /// Where it came from.
    pub source: TypeSource,
}

/// The built-in taxonomy: Avery, Fournier & Wittenbraker (HBR 2014), in English and German,
/// built once on first use.
#[must_use]
pub fn builtin_types() -> &'static [RelationshipType] {
    static TYPES: OnceLock<Vec<RelationshipType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        BUILTIN
            .iter()
            .map(
                |(id, en, de, en_statement, de_statement)| RelationshipType {
                    id: (*id).to_owned(),
                    label: Text::from_pairs(&[("en", en), ("de", de)]),
                    statement: Text::from_pairs(&[("en", en_statement), ("de", de_statement)]),
                },
            )
            .collect()
    })
}

/// Ids of the built-in types, in order.
pub const BUILTIN_IDS: [&str; 6] = [
    "just_buying",
    "business_partner",
    "fling",
    "best_friends",
    "colleagues",
    "master_servant",
];

type BuiltinType = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const BUILTIN: [BuiltinType; 6] = [
    (
        "just_buying",
        "Just buying",
        "Nur-Käufer",
        "I want a good product at a fair price, and no extra effort.",
        "Ich will ein gutes Produkt zu einem fairen Preis – ohne zusätzlichen Aufwand.",
    ),
    (
        "business_partner",
        "Business partner",
        "Geschäftliche Partnerschaft",
        "I like to help improve your products and solve problems together.",
        "Ich helfe gern mit, Ihre Produkte zu verbessern und Probleme gemeinsam zu lösen.",
    ),
    (
        "fling",
        "Fling",
        "Affäre",
        "I buy what excites me – it should feel special.",
        "Ich kaufe, was mich begeistert – es soll etwas Besonderes sein.",
    ),
    (
        "best_friends",
        "Best friends",
        "Gute Freunde",
        "I want to be taken seriously and trust you with my data.",
        "Ich möchte ernst genommen werden und Ihnen meine Daten anvertrauen können.",
    ),
    (
        "colleagues",
        "Colleagues",
        "Kollegen",
        "I like to stay informed, but I keep my freedom to buy elsewhere.",
        "Ich bleibe gern informiert, kaufe aber auch woanders.",
    ),
    (
        "master_servant",
        "Master and servant",
        "Persönlicher Sklave",
        "I expect my requirements to be met – quickly and exactly.",
        "Ich erwarte, dass meine Anforderungen erfüllt werden – schnell und genau.",
    ),
];

impl Survey {
    /// The survey's taxonomy: its own types, or the built-in six.
    #[must_use]
    pub fn relationship_types(&self) -> &[RelationshipType] {
        self.relationship
            .types
            .as_deref()
            .unwrap_or_else(|| builtin_types())
    }

    /// Whether `id` names a type of this survey's taxonomy.
    #[must_use]
    pub fn has_type(&self, id: &str) -> bool {
        match &self.relationship.types {
            Some(types) => types.iter().any(|t| t.id == id),
            None => BUILTIN_IDS.contains(&id),
        }
    }

    /// The band of an order: the band with the highest `from` not above its total; none
    /// without a total, or when the order's currency is not the survey's `price_currency`.
    #[must_use]
    pub fn price_band(&self, order: &Order) -> Option<&str> {
        let total = order.total?;
        if let (Some(bands), Some(paid)) = (&self.price_currency, &order.currency) {
            if !bands.eq_ignore_ascii_case(paid.trim()) {
                return None;
            }
        }
        self.price_bands
            .iter()
            .filter(|band| band.from <= total)
            .max_by(|a, b| a.from.total_cmp(&b.from))
            .map(|band| band.id.as_str())
    }
}
