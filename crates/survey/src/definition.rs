//! The survey definition format: what a researcher writes (as JSON) and publishes.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A versioned survey definition. See `schema/survey.schema.json` for the published format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// Editors may point this at the published JSON Schema; it has no other effect.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable survey id: lowercase letters, digits, `-` and `_`.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z][a-z0-9_-]{0,63}$"))
    )]
    pub id: String,
    /// Version number, a positive integer; a published version never changes.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub version: i64,
    /// The locale used when the customer's locale has no text.
    pub default_locale: String,
    /// Every locale the texts are written in; must include `default_locale`.
    pub locales: Vec<String>,
    /// An optional title shown above the steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// How the customer's relationship type is determined, and which types exist.
    #[serde(default)]
    pub relationship: RelationshipSettings,
    /// Price bands over `order.total`, readable as `price_band` in conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub price_bands: Vec<PriceBand>,
    /// The currency the price bands' amounts are in (ISO 4217, e.g. `EUR`). An order in
    /// another currency (`order.currency`) is in no band; an order that names no currency is
    /// taken to be in this one. Without it, the bands apply to every order total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[A-Z]{3}$")))]
    pub price_currency: Option<String>,
    /// The steps, in the order they are shown (hidden ones are skipped).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub steps: Vec<Step>,
    /// Thank-you texts; the first whose condition holds is shown at the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endings: Vec<Ending>,
    /// When answers are posted to the endpoint.
    #[serde(default)]
    pub delivery: Delivery,
}

/// How the relationship type is determined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RelationshipSettings {
    /// The taxonomy; when absent, the six built-in types of Avery, Fournier & Wittenbraker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<RelationshipType>>,
    /// Rules over the context, tried in order after an explicit type: the first that holds wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<TypeRule>,
    /// The type used when nothing else decides.
    #[serde(default = "default_type_id")]
    pub default: String,
}

fn default_type_id() -> String {
    "just_buying".to_owned()
}

impl Default for RelationshipSettings {
    fn default() -> Self {
        Self {
            types: None,
            rules: Vec::new(),
            default: default_type_id(),
        }
    }
}

/// One relationship type of a taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RelationshipType {
    /// Id used in conditions and results, e.g. `best_friends`.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z][a-z0-9_-]{0,63}$"))
    )]
    pub id: String,
    /// Name for researchers, e.g. "Best friends".
    pub label: Text,
    /// First-person statement the customer may pick in the screener.
    pub statement: Text,
}

/// A researcher rule: when `when` holds over the context, the customer has type `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TypeRule {
    /// A condition over the context (not over answers or the relationship itself).
    pub when: String,
    /// The relationship type id it assigns.
    #[serde(rename = "type")]
    pub type_id: String,
}

/// A named price band: orders with `order.total >= from` (up to the next band) belong to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceBand {
    /// Id used in conditions, e.g. `high`.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z][a-z0-9_-]{0,63}$"))
    )]
    pub id: String,
    /// Lower bound (inclusive) of the order total.
    #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
    pub from: f64,
}

/// The kind of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A message: title, body, bullet points, help-channel links. Nothing to answer.
    Reassurance,
    /// Net Promoter Score, 0–10.
    Nps,
    /// Customer satisfaction, 1–5.
    Csat,
    /// Customer effort, 1–7.
    Ces,
    /// Pick one option.
    SingleChoice,
    /// Pick any number of options.
    MultiChoice,
    /// Free text with a maximum length.
    Text,
    /// A yes/no consent checkbox.
    Consent,
    /// The customer picks the statement about the shop that fits them; decides the type.
    RelationshipScreener,
}

impl StepKind {
    /// The id used in JSON.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Reassurance => "reassurance",
            Self::Nps => "nps",
            Self::Csat => "csat",
            Self::Ces => "ces",
            Self::SingleChoice => "single_choice",
            Self::MultiChoice => "multi_choice",
            Self::Text => "text",
            Self::Consent => "consent",
            Self::RelationshipScreener => "relationship_screener",
        }
    }

    /// The inclusive score range of a rating scale.
    #[must_use]
    pub fn scale(self) -> Option<(u8, u8)> {
        match self {
            Self::Nps => Some((0, 10)),
            Self::Csat => Some((1, 5)),
            Self::Ces => Some((1, 7)),
            _ => None,
        }
    }
}

/// One step of a survey. Which optional fields apply depends on `kind`; validation reports
/// fields that have no meaning for the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique id, used in conditions as `answers.<id>` and in the response.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z][a-z0-9_-]{0,63}$"))
    )]
    pub id: String,
    /// What the step shows and asks.
    pub kind: StepKind,
    /// Whether an answer is needed to go on. Reassurance steps are never required.
    #[serde(default)]
    pub required: bool,
    /// Condition under which the step is shown; always shown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The heading or question.
    pub title: Text,
    /// Further text under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Text>,
    /// Reassurance: bullet points, each with an optional condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bullets: Vec<Bullet>,
    /// Reassurance: help channels (links), each with an optional condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<HelpLink>,
    /// Single and multiple choice: the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Rating scales: label of the lowest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<Text>,
    /// Rating scales: label of the highest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<Text>,
    /// Text: the maximum number of characters (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 10000)))]
    pub max_length: Option<u32>,
    /// Text: a hint shown in the empty field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<Text>,
}

impl Step {
    /// The maximum length of a text answer.
    #[must_use]
    pub fn text_limit(&self) -> u32 {
        self.max_length.unwrap_or(DEFAULT_TEXT_LIMIT)
    }
}

/// Maximum length of a text answer when the step does not set one.
pub const DEFAULT_TEXT_LIMIT: u32 = 1000;

/// A bullet point of a reassurance step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bullet {
    /// The text.
    pub text: Text,
    /// Shown only when this condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A help channel offered by a reassurance step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HelpLink {
    /// The link text.
    pub label: Text,
    /// An `https:`, `http:`, `mailto:` or `tel:` URL, or a path on the shop.
    pub url: String,
    /// Shown only when this condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// An option of a choice step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Id stored in the answer and used in conditions.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z][a-z0-9_-]{0,63}$"))
    )]
    pub id: String,
    /// The label shown.
    pub label: Text,
}

/// A thank-you text shown at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// Shown only when this condition holds; the first ending that holds is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Heading.
    pub title: Text,
    /// Further text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Text>,
    /// Help channels offered with it (e.g. to a detractor).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<HelpLink>,
}

/// When responses are posted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// One post when the survey is complete.
    #[default]
    OnComplete,
    /// A `partial` post after each answered step and a `complete` one at the end.
    PerStep,
}
