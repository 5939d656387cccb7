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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
