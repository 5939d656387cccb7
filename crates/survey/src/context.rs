//! The purchase context a shop passes to the widget: order, customer, business, extras.

use serde::{Deserialize, Serialize};

use crate::map::SmallMap;

/// What the shop knows about this purchase. Every field is optional.
///
/// ```json
/// { "order": { "id": "A-1001", "total": 649.0, "currency": "EUR" },
///   "customer": { "earlier_orders": 0, "segment": "consumer" },
///   "business": { "mode": "self_service" },
///   "relationship": "fling", "channel": "web", "locale": "de",
///   "extra": { "gift_wrap": true } }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The order just placed.
    #[serde(default, skip_serializing_if = "Order::is_empty")]
    pub order: Order,
    /// The customer who placed it.
    #[serde(default, skip_serializing_if = "Customer::is_empty")]
    pub customer: Customer,
    /// How the business relates to its customers.
    #[serde(default, skip_serializing_if = "Business::is_empty")]
    pub business: Business,
    /// An explicit relationship type id, when the shop knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// The sales channel, e.g. `web`, `app`, `store`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The customer's locale, e.g. `de` or `en-GB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Free attributes for researcher rules, readable as `extra.<name>`.
    #[serde(default, skip_serializing_if = "SmallMap::is_empty")]
    pub extra: SmallMap<String, ExtraValue>,
    /// The locale the survey is shown in, once chosen (the widget sets it; a response is
    /// checked with its `locale`): what the `locale` condition reads, before `locale`. Not
    /// part of the context a shop passes or a payload carries.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub shown_locale: Option<String>,
}

/// The order just placed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The shop's order id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The order total, in `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// ISO 4217 currency code, e.g. `EUR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl Order {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The customer who placed the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Orders this customer placed before this one (0 = first purchase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_orders: Option<u32>,
    /// The shop's customer segment, e.g. `consumer`, `key_account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Whether the customer has a personal account manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_manager: Option<bool>,
}

impl Customer {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// `Some(true)` for a first purchase, `Some(false)` for a repeat one, `None` if unknown.
    #[must_use]
    pub fn first_purchase(&self) -> Option<bool> {
        self.earlier_orders.map(|n| n == 0)
    }
}

/// The business side of the relationship.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Business {
    /// The business's customer relationship mode (Business Model Canvas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<RelationshipMode>,
}

impl Business {
    fn is_empty(&self) -> bool {
        self.mode.is_none()
    }
}

/// Customer relationship modes of the Business Model Canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RelationshipMode {
    /// Staff the customer can reach.
    PersonalAssistance,
    /// A named person for this customer.
    DedicatedPersonalAssistance,
    /// The customer helps themselves.
    SelfService,
    /// Automated, personalised services.
    AutomatedServices,
    /// Customers help each other.
    Communities,
    /// Customers shape the product.
    CoCreation,
}

impl RelationshipMode {
    /// Every mode, in canvas order.
    pub const ALL: [Self; 6] = [
        Self::PersonalAssistance,
        Self::DedicatedPersonalAssistance,
        Self::SelfService,
        Self::AutomatedServices,
        Self::Communities,
        Self::CoCreation,
    ];

    /// The id used in JSON and in conditions.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::PersonalAssistance => "personal_assistance",
            Self::DedicatedPersonalAssistance => "dedicated_personal_assistance",
            Self::SelfService => "self_service",
            Self::AutomatedServices => "automated_services",
            Self::Communities => "communities",
            Self::CoCreation => "co_creation",
        }
    }
}

/// A free attribute value: text, number or yes/no.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ExtraValue {
    /// Yes or no.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
}

// Read through `serde_json::Value` rather than derived with `#[serde(untagged)]`, whose
// buffering of the input (serde's `Content`) costs every shop page 1.6 KB gzip of wasm; the
// same three kinds, tried in the same order (JSON tells them apart).
impl<'de> Deserialize<'de> for ExtraValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Bool(b) => Ok(Self::Bool(b)),
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(Self::Number)
                .ok_or_else(|| D::Error::custom("the number is out of range")),
            serde_json::Value::String(s) => Ok(Self::Text(s)),
            _ => Err(D::Error::custom(
                "an extra value must be text, a number or true/false",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(json: &str) -> Result<SmallMap<String, ExtraValue>, String> {
        serde_json::from_str::<Context>(&format!(r#"{{"extra": {json}}}"#))
            .map(|context| context.extra)
            .map_err(|err| err.to_string())
    }

    #[test]
    fn extra_values_are_text_numbers_or_yes_no_and_written_back_as_they_came() -> Result<(), String>
    {
        let json = r#"{"plan":"pro","seats":12.5,"trial":false}"#;
        let read = extra(json)?;
        assert_eq!(read.get("plan"), Some(&ExtraValue::Text("pro".into())));
        assert_eq!(read.get("seats"), Some(&ExtraValue::Number(12.5)));
        assert_eq!(read.get("trial"), Some(&ExtraValue::Bool(false)));
        assert_eq!(serde_json::to_string(&read).ok().as_deref(), Some(json));
        Ok(())
    }

    #[test]
    fn an_extra_value_of_another_kind_is_an_error_that_names_the_kinds() {
        for json in [
            r#"{"tags":["a"]}"#,
            r#"{"tags":{"a":1}}"#,
            r#"{"tags":null}"#,
        ] {
            let err = extra(json).err();
            assert!(
                err.as_deref()
                    .is_some_and(|err| err.contains("must be text, a number or true/false")),
                "{json}: {err:?}"
            );
        }
    }
}
