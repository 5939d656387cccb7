//! Conditions: one readable expression syntax for step conditions, bullet and link conditions,
//! endings and relationship rules.
//!
//! ```text
//! relationship in [best_friends, fling] and answers.nps <= 6
//! order.total >= 500
//! customer.first_purchase and not (price_band == low)
//! answers.topics contains delivery
//! ```
//!
//! Grammar (keywords are lowercase):
//! ```text
//! expr    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | test
//! test    := field [ op literal | ["not"] "in" "[" literal ("," literal)* "]" | "contains" literal ]
//!          | "true" | "false"
//! op      := "==" | "!=" | "<" | "<=" | ">" | ">="
//! literal := number | "quoted text" | 'quoted text' | bare_word | true | false
//! ```
//! A comparison with a value that is missing (no answer yet, no order total) is false.

mod eval;
mod parse;

pub use eval::{Scope, Value};
pub use parse::{parse, ParseError};

/// A field a condition can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `relationship`: the relationship type id.
    Relationship,
    /// `price_band`: the id of the order's price band.
    PriceBand,
    /// `order.id`.
    OrderId,
    /// `order.total`.
    OrderTotal,
    /// `order.currency`.
    OrderCurrency,
    /// `customer.earlier_orders`.
    EarlierOrders,
    /// `customer.first_purchase`: no earlier orders.
    FirstPurchase,
    /// `customer.repeat_purchase`: at least one earlier order.
    RepeatPurchase,
    /// `customer.segment`.
    Segment,
    /// `customer.account_manager`.
    AccountManager,
    /// `business.mode`.
    BusinessMode,
    /// `channel`.
    Channel,
    /// `locale`.
    Locale,
    /// `answers.<step id>`.
    Answer(String),
    /// `extra.<name>`.
    Extra(String),
}

impl Field {
    /// Every fixed field name, for error messages.
    pub const NAMES: [&'static str; 13] = [
        "relationship",
        "price_band",
        "order.id",
        "order.total",
        "order.currency",
        "customer.earlier_orders",
        "customer.first_purchase",
        "customer.repeat_purchase",
        "customer.segment",
        "customer.account_manager",
        "business.mode",
        "channel",
        "locale",
    ];

    /// Resolves a dotted name; `None` when no field has that name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let field = match name {
            "relationship" => Self::Relationship,
            "price_band" => Self::PriceBand,
            "order.id" => Self::OrderId,
            "order.total" => Self::OrderTotal,
            "order.currency" => Self::OrderCurrency,
            "customer.earlier_orders" => Self::EarlierOrders,
            "customer.first_purchase" => Self::FirstPurchase,
            "customer.repeat_purchase" => Self::RepeatPurchase,
            "customer.segment" => Self::Segment,
            "customer.account_manager" => Self::AccountManager,
            "business.mode" => Self::BusinessMode,
            "channel" => Self::Channel,
            "locale" => Self::Locale,
            _ => {
                if let Some(step) = name.strip_prefix("answers.").filter(|s| !s.is_empty()) {
                    Self::Answer(step.to_owned())
                } else if let Some(key) = name.strip_prefix("extra.").filter(|s| !s.is_empty()) {
                    Self::Extra(key.to_owned())
                } else {
                    return None;
                }
            }
        };
        Some(field)
    }

    /// The name as written in conditions.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Answer(step) => format!("answers.{step}"),
            Self::Extra(key) => format!("extra.{key}"),
            Self::Relationship => "relationship".into(),
            Self::PriceBand => "price_band".into(),
            Self::OrderId => "order.id".into(),
            Self::OrderTotal => "order.total".into(),
            Self::OrderCurrency => "order.currency".into(),
            Self::EarlierOrders => "customer.earlier_orders".into(),
            Self::FirstPurchase => "customer.first_purchase".into(),
            Self::RepeatPurchase => "customer.repeat_purchase".into(),
            Self::Segment => "customer.segment".into(),
            Self::AccountManager => "customer.account_manager".into(),
            Self::BusinessMode => "business.mode".into(),
            Self::Channel => "channel".into(),
            Self::Locale => "locale".into(),
        }
    }
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number.
    Number(f64),
    /// Quoted text or a bare word such as `best_friends`.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
}

/// A value with the character column (1-based) where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Column of its first character.
    pub column: usize,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// Whether the operator orders values (only numbers can be ordered).
    #[must_use]
    pub fn is_ordering(self) -> bool {
        matches!(self, Self::Lt | Self::Le | Self::Gt | Self::Ge)
    }
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// At least one holds.
    Or(Vec<Expr>),
    /// All hold.
    And(Vec<Expr>),
    /// Does not hold.
    Not(Box<Expr>),
    /// `field op literal`.
    Compare {
        /// The field read.
        field: Spanned<Field>,
        /// The operator.
        op: CompareOp,
        /// The value compared with.
        value: Spanned<Literal>,
    },
    /// `field in [..]` or `field not in [..]`.
    In {
        /// The field read.
        field: Spanned<Field>,
        /// The values.
        values: Vec<Spanned<Literal>>,
        /// `not in`.
        negated: bool,
    },
    /// `field contains literal`, for multiple-choice answers.
    Contains {
        /// The field read.
        field: Spanned<Field>,
        /// The value looked for.
        value: Spanned<Literal>,
    },
    /// A yes/no field on its own.
    Truthy(Spanned<Field>),
    /// `true` or `false`.
    Const(bool),
}

impl Expr {
    /// Every field the condition reads, with its column.
    #[must_use]
    pub fn fields(&self) -> Vec<&Spanned<Field>> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a Spanned<Field>>) {
        match self {
            Self::Or(items) | Self::And(items) => {
                for item in items {
                    item.collect_fields(out);
                }
            }
            Self::Not(inner) => inner.collect_fields(out),
            Self::Compare { field, .. }
            | Self::In { field, .. }
            | Self::Contains { field, .. }
            | Self::Truthy(field) => out.push(field),
            Self::Const(_) => {}
        }
    }
}
