//! Evaluation of conditions over a scope: context, relationship type and answers.

use super::{CompareOp, Expr, Field, Literal};
use crate::answer::{AnswerValue, Answers};
use crate::context::{Context, ExtraValue};
use crate::definition::Survey;

/// What a condition can see.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The survey (for price bands).
    pub survey: &'a Survey,
    /// The purchase context.
    pub context: &'a Context,
    /// The relationship type, once known.
    pub relationship: Option<&'a str>,
    /// Answers of the steps shown so far.
    pub answers: &'a Answers,
}

/// The value of a field in a scope.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Not known (no answer, no order total, …).
    Missing,
    /// A number.
    Number(f64),
    /// Text or an id.
    Text(&'a str),
    /// Yes or no.
    Bool(bool),
    /// Several ids (a multiple-choice answer).
    List(&'a [String]),
}

impl<'a> Scope<'a> {
    /// The value of `field`.
    #[must_use]
    pub fn value(&self, field: &Field) -> Value<'a> {
        let ctx = self.context;
        let text = |v: &'a Option<String>| v.as_deref().map_or(Value::Missing, Value::Text);
        let boolean = |v: Option<bool>| v.map_or(Value::Missing, Value::Bool);
        match field {
            Field::Relationship => self.relationship.map_or(Value::Missing, Value::Text),
            Field::PriceBand => self
                .survey
                .price_band(&ctx.order)
                .map_or(Value::Missing, Value::Text),
            Field::OrderId => text(&ctx.order.id),
            Field::OrderTotal => ctx.order.total.map_or(Value::Missing, Value::Number),
            Field::OrderCurrency => text(&ctx.order.currency),
            Field::EarlierOrders => ctx
                .customer
                .earlier_orders
                .map_or(Value::Missing, |n| Value::Number(f64::from(n))),
            Field::FirstPurchase => boolean(ctx.customer.first_purchase()),
            Field::RepeatPurchase => boolean(ctx.customer.first_purchase().map(|first| !first)),
            Field::Segment => text(&ctx.customer.segment),
            Field::AccountManager => boolean(ctx.customer.account_manager),
            Field::BusinessMode => ctx
                .business
                .mode
                .map_or(Value::Missing, |mode| Value::Text(mode.id())),
            Field::Channel => text(&ctx.channel),
            Field::Locale => text(if ctx.shown_locale.is_some() {
                &ctx.shown_locale
            } else {
                &ctx.locale
            }),
            Field::Answer(step) => match self.answers.get(step) {
                None => Value::Missing,
                Some(AnswerValue::Nps(n) | AnswerValue::Csat(n) | AnswerValue::Ces(n)) => {
                    Value::Number(f64::from(*n))
                }
                Some(
                    AnswerValue::SingleChoice(s)
                    | AnswerValue::Text(s)
                    | AnswerValue::RelationshipScreener(s),
                ) => Value::Text(s),
                Some(AnswerValue::MultiChoice(list)) => Value::List(list),
                Some(AnswerValue::Consent(b)) => Value::Bool(*b),
            },
            Field::Extra(key) => match ctx.extra.get(key) {
                None => Value::Missing,
                Some(ExtraValue::Bool(b)) => Value::Bool(*b),
                Some(ExtraValue::Number(n)) => Value::Number(*n),
                Some(ExtraValue::Text(s)) => Value::Text(s),
            },
        }
    }

    /// Whether `expr` holds in this scope.
    #[must_use]
    pub fn holds(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Or(items) => items.iter().any(|e| self.holds(e)),
            Expr::And(items) => items.iter().all(|e| self.holds(e)),
            Expr::Not(inner) => !self.holds(inner),
            Expr::Const(b) => *b,
            Expr::Truthy(field) => self.value(&field.value) == Value::Bool(true),
            Expr::Compare { field, op, value } => {
                compare(&self.value(&field.value), *op, &value.value)
            }
            Expr::In {
                field,
                values,
                negated,
            } => {
                let actual = self.value(&field.value);
                if actual == Value::Missing {
                    return false;
                }
                let found = values
                    .iter()
                    .any(|v| compare(&actual, CompareOp::Eq, &v.value));
                found != *negated
            }
            Expr::Contains { field, value } => match (self.value(&field.value), &value.value) {
                (Value::List(list), Literal::Text(wanted)) => list.iter().any(|s| s == wanted),
                (Value::Text(text), Literal::Text(wanted)) => text.contains(wanted.as_str()),
                _ => false,
            },
        }
    }
}

fn compare(actual: &Value<'_>, op: CompareOp, literal: &Literal) -> bool {
    let ordering = match (actual, literal) {
        (Value::Number(a), Literal::Number(b)) => a.partial_cmp(b),
        (Value::Text(a), Literal::Text(b)) if !op.is_ordering() => Some((*a).cmp(b.as_str())),
        (Value::Bool(a), Literal::Bool(b)) if !op.is_ordering() => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
    }
}
