//! Checks a parsed condition against the survey: known fields, steps asked earlier, value types.

use crate::condition::{CompareOp, Expr, Field, Literal, Spanned};
use crate::context::RelationshipMode;
use crate::definition::{StepKind, Survey};

/// Where a condition (or placeholder) stands, which decides what it may read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reader {
    /// A relationship rule: only the context.
    Rule,
    /// Something on step `index` (its condition, bullets, links, texts): answers of earlier steps.
    Step(usize),
    /// An ending: any answer.
    Ending,
}

/// What a field holds, for type checks.
enum FieldType {
    Number,
    Text,
    Bool,
    OneOf(Vec<String>, &'static str),
    List(Vec<String>),
    Any,
}

/// A problem in a condition: column (0 = the whole condition), whether it is about reading the
/// wrong thing (unknown/forward) or about types, and the message.
pub(crate) struct ConditionProblem {
    pub column: usize,
    pub kind: ConditionProblemKind,
    pub message: String,
}

/// The kind of a [`ConditionProblem`].
pub(crate) enum ConditionProblemKind {
    Unknown,
    Forward,
    Type,
}

/// Checks whether `reader` may read `field`, and returns its type when it may.
pub(crate) fn field_access(
    survey: &Survey,
    reader: Reader,
    field: &Field,
) -> Result<(), (ConditionProblemKind, String)> {
    field_type(survey, reader, field).map(|_| ())
}

fn field_type(
    survey: &Survey,
    reader: Reader,
    field: &Field,
) -> Result<FieldType, (ConditionProblemKind, String)> {
    use ConditionProblemKind::{Forward, Unknown};
    let screener = survey
        .steps
        .iter()
        .position(|s| s.kind == StepKind::RelationshipScreener);
    Ok(match field {
        Field::Relationship => {
            match (reader, screener) {
                (Reader::Rule, _) => {
                    return Err((
                        Unknown,
                        "a relationship rule cannot read `relationship`: it decides it".into(),
                    ))
                }
                (Reader::Step(i), Some(s)) if i <= s => {
                    return Err((
                        Forward,
                        format!(
                            "reads `relationship` before the screener step `{}` (steps[{s}]) decides it; move this after the screener",
                            survey.steps[s].id
                        ),
                    ))
                }
                _ => {}
            }
            let ids = survey
                .relationship_types()
                .iter()
                .map(|t| t.id.clone())
                .collect();
            FieldType::OneOf(ids, "relationship type")
        }
        Field::PriceBand => {
            if survey.price_bands.is_empty() {
                return Err((
                    Unknown,
                    "reads `price_band`, but the survey defines no `price_bands`".into(),
                ));
            }
            let ids = survey.price_bands.iter().map(|b| b.id.clone()).collect();
            FieldType::OneOf(ids, "price band")
        }
        Field::OrderTotal | Field::EarlierOrders => FieldType::Number,
        Field::OrderId | Field::OrderCurrency | Field::Segment | Field::Channel | Field::Locale => {
            FieldType::Text
        }
        Field::FirstPurchase | Field::RepeatPurchase | Field::AccountManager => FieldType::Bool,
        Field::BusinessMode => FieldType::OneOf(
            RelationshipMode::ALL
                .iter()
                .map(|m| m.id().to_owned())
                .collect(),
            "relationship mode",
        ),
        Field::Extra(_) => FieldType::Any,
        Field::Answer(step_id) => {
            let Some(index) = survey.steps.iter().position(|s| &s.id == step_id) else {
                return Err((Unknown, format!("there is no step `{step_id}`")));
            };
            match reader {
                Reader::Rule => {
                    return Err((
                        Unknown,
                        format!("a relationship rule cannot read answers (`answers.{step_id}`): it is decided before the survey starts"),
                    ))
                }
                Reader::Step(i) if index >= i => {
                    let which = if index == i { "this step itself" } else { "a later step" };
                    return Err((
                        Forward,
                        format!("reads `answers.{step_id}`, the answer of {which} (steps[{index}]); only earlier answers are known here"),
                    ));
                }
                _ => {}
            }
            let step = &survey.steps[index];
            let options = || step.options.iter().map(|o| o.id.clone()).collect();
            match step.kind {
                StepKind::Nps | StepKind::Csat | StepKind::Ces => FieldType::Number,
                StepKind::SingleChoice => FieldType::OneOf(options(), "option"),
                StepKind::MultiChoice => FieldType::List(options()),
                StepKind::Text => FieldType::Text,
                StepKind::Consent => FieldType::Bool,
                StepKind::RelationshipScreener => FieldType::OneOf(
                    survey
                        .relationship_types()
                        .iter()
                        .map(|t| t.id.clone())
                        .collect(),
                    "relationship type",
                ),
                StepKind::Reassurance => {
                    return Err((
                        Unknown,
                        format!("step `{step_id}` is a message and has no answer"),
                    ))
                }
            }
        }
    })
}

/// Every problem of `expr` read from `reader`.
pub(crate) fn check_expr(survey: &Survey, reader: Reader, expr: &Expr) -> Vec<ConditionProblem> {
    let mut out = Vec::new();
    walk(survey, reader, expr, &mut out);
    out
}

fn walk(survey: &Survey, reader: Reader, expr: &Expr, out: &mut Vec<ConditionProblem>) {
    let typed = |field: &Spanned<Field>, out: &mut Vec<ConditionProblem>| match field_type(
        survey,
        reader,
        &field.value,
    ) {
        Ok(t) => Some(t),
        Err((kind, message)) => {
            out.push(ConditionProblem {
                column: field.column,
                kind,
                message,
            });
            None
        }
    };
    match expr {
        Expr::Or(items) | Expr::And(items) => {
            for item in items {
                walk(survey, reader, item, out);
            }
        }
        Expr::Not(inner) => walk(survey, reader, inner, out),
        Expr::Const(_) => {}
        Expr::Truthy(field) => {
            if let Some(t) = typed(field, out) {
                if !matches!(t, FieldType::Bool | FieldType::Any) {
                    out.push(type_problem(
                        field.column,
                        format!(
                            "`{}` is not a yes/no value; compare it with a value, e.g. `{} == …`",
                            field.value.name(),
                            field.value.name()
                        ),
                    ));
                }
            }
        }
        Expr::Compare { field, op, value } => {
            if let Some(t) = typed(field, out) {
                check_value(&t, &field.value, *op, value, out);
            }
        }
        Expr::In { field, values, .. } => {
            if let Some(t) = typed(field, out) {
                for value in values {
                    check_value(&t, &field.value, CompareOp::Eq, value, out);
                }
            }
        }
        Expr::Contains { field, value } => {
            if let Some(t) = typed(field, out) {
                match (&t, &value.value) {
                    (FieldType::List(options), Literal::Text(wanted)) => {
                        if !options.contains(wanted) {
                            out.push(type_problem(
                                value.column,
                                format!(
                                    "`{wanted}` is not an option of `{}`; options are {}",
                                    field.value.name(),
                                    options.join(", ")
                                ),
                            ));
                        }
                    }
                    (FieldType::Text | FieldType::Any, Literal::Text(_)) => {}
                    _ => out.push(type_problem(
                        field.column,
                        format!(
                            "`contains` needs a multiple-choice answer or text and a text value; `{}` does not fit",
                            field.value.name()
                        ),
                    )),
                }
            }
        }
    }
}

fn type_problem(column: usize, message: String) -> ConditionProblem {
    ConditionProblem {
        column,
        kind: ConditionProblemKind::Type,
        message,
    }
}

fn check_value(
    t: &FieldType,
    field: &Field,
    op: CompareOp,
    value: &Spanned<Literal>,
    out: &mut Vec<ConditionProblem>,
) {
    let name = field.name();
    let problem = match (t, &value.value) {
        (FieldType::Any, _) => None,
        (FieldType::Number, Literal::Number(_)) => None,
        (FieldType::Number, _) => Some(format!("`{name}` is a number; compare it with a number")),
        (FieldType::Text | FieldType::OneOf(..) | FieldType::Bool, _) if op.is_ordering() => Some(
            format!("`{name}` is not a number; only `==`, `!=` and `in` apply to it"),
        ),
        (FieldType::Text, Literal::Text(_)) => None,
        (FieldType::Text, _) => Some(format!("`{name}` is text; compare it with \"quoted text\"")),
        (FieldType::Bool, Literal::Bool(_)) => None,
        (FieldType::Bool, _) => Some(format!("`{name}` is yes/no; compare it with true or false")),
        (FieldType::OneOf(ids, what), Literal::Text(id)) => (!ids.contains(id)).then(|| {
            format!(
                "`{id}` is not a known {what} for `{name}`; known: {}",
                ids.join(", ")
            )
        }),
        (FieldType::OneOf(ids, what), _) => Some(format!(
            "`{name}` is a {what}; compare it with one of {}",
            ids.join(", ")
        )),
        (FieldType::List(_), _) => Some(format!(
            "`{name}` holds several options; test it with `{name} contains <option>`"
        )),
    };
    if let Some(message) = problem {
        out.push(type_problem(value.column, message));
    }
}
