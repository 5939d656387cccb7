//! The engine: a pure, deterministic state machine over a valid survey.
//!
//! `(survey, context, state, action) → state`. The state is plain data ([`RunState`]) so a
//! widget can keep it, store it and resume it; every query is a function of the same inputs.

use serde::{Deserialize, Serialize};

use crate::answer::{check_answer, AnswerProblem, AnswerValue, Answers};
use crate::condition::{Expr, Field, Scope};
use crate::context::Context;
use crate::definition::{Bullet, Ending, HelpLink, Step, StepKind};
use crate::relationship::{Relationship, TypeSource};
use crate::text::{render, Text};
use crate::validate::ValidSurvey;

/// One customer's progress through a survey.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunState {
    /// Ids of the steps shown so far, in order; the last one is current unless `done`.
    pub path: Vec<String>,
    /// Answers given, by step id. Answers of steps that became hidden stay here (so they come
    /// back if the step does) but never reach the response.
    pub answers: Answers,
    /// Whether the customer went past the last step.
    pub done: bool,
}

/// What the customer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer the current step and go on.
    Answer(AnswerValue),
    /// Go on without an answer: past a message, or skipping an optional step (which clears
    /// an answer given to it before).
    Next,
    /// Go back to the previous step shown (or from the end to the last step).
    Back,
}

/// Why an action cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The survey is finished; only `Back` applies.
    #[error("the survey is finished")]
    Finished,
    /// `Back` on the first step.
    #[error("this is the first step")]
    AtStart,
    /// `Next` on a required step without an answer.
    #[error("step `{0}` is required")]
    Required(String),
    /// The answer does not fit the step.
    #[error(transparent)]
    Answer(#[from] AnswerProblem),
    /// The state names a step this survey version does not have (e.g. a stale stored state).
    #[error("the saved progress names step `{0}`, which this survey does not have")]
    UnknownStep(String),
}

/// Position of the current step among the steps shown and still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// 1-based number of the current step (or of the last step when done).
    pub position: usize,
    /// Steps shown so far plus those that would follow with the answers given so far.
    pub total: usize,
}

impl ValidSurvey {
    /// The state at the start: the first visible step, or done if none is visible.
    #[must_use]
    pub fn start(&self, context: &Context) -> RunState {
        let mut state = RunState::default();
        match self.visible_steps(context, &state.answers).first() {
            Some(&first) => state.path.push(self.steps[first].id.clone()),
            None => state.done = true,
        }
        state
    }

    /// Applies an action, giving the next state.
    ///
    /// # Errors
    /// When the action does not apply (see [`EngineError`]); the state is then unchanged.
    pub fn apply(
        &self,
        context: &Context,
        state: &RunState,
        action: Action,
    ) -> Result<RunState, EngineError> {
        let mut next = state.clone();
        if action == Action::Back {
            if next.done {
                next.done = false;
                if next.path.is_empty() {
                    return Err(EngineError::AtStart);
                }
            } else if next.path.len() > 1 {
                next.path.pop();
            } else {
                return Err(EngineError::AtStart);
            }
            return Ok(next);
        }
        if next.done {
            return Err(EngineError::Finished);
        }
        let (index, step) = self.current_indexed(state)?;
        match action {
            Action::Answer(value) => {
                check_answer(self, step, &value)?;
                next.answers.insert(step.id.clone(), value);
            }
            Action::Next => {
                if step.required {
                    return Err(EngineError::Required(step.id.clone()));
                }
                next.answers.remove(&step.id);
            }
            Action::Back => {}
        }
        let following = self
            .visible_steps(context, &next.answers)
            .into_iter()
            .find(|&j| j > index);
        match following {
            Some(j) => next.path.push(self.steps[j].id.clone()),
            None => next.done = true,
        }
        Ok(next)
    }

    fn current_indexed(&self, state: &RunState) -> Result<(usize, &Step), EngineError> {
        let id = state.path.last().ok_or(EngineError::Finished)?;
        self.steps
            .iter()
            .enumerate()
            .find(|(_, s)| &s.id == id)
            .ok_or_else(|| EngineError::UnknownStep(id.clone()))
    }

    /// The step to show now; `None` when done (or the state is stale).
    #[must_use]
    pub fn current(&self, state: &RunState) -> Option<&Step> {
        if state.done {
            return None;
        }
        self.current_indexed(state).ok().map(|(_, step)| step)
    }

    /// Indexes of the steps shown for this context and these answers, in order. A step is
    /// shown when its condition holds over the answers of the shown steps before it; the
    /// screener only when neither the shop nor a rule decided the relationship type.
    #[must_use]
    pub fn visible_steps(&self, context: &Context, answers: &Answers) -> Vec<usize> {
        let decided = self.decided_relationship(context);
        let mut shown = Answers::new();
        let mut out = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let relationship = self.relationship_with(decided.as_ref(), &shown);
            let scope = self.scope(context, &relationship.type_id, &shown);
            let screener_needed = step.kind != StepKind::RelationshipScreener || decided.is_none();
            let condition = self.compiled.steps.get(i).and_then(Option::as_ref);
            if screener_needed && holds(&scope, condition) {
                out.push(i);
                if let Some(answer) = answers.get(&step.id) {
                    shown.insert(step.id.clone(), answer.clone());
                }
            }
        }
        out
    }

    /// The answers that count: those of steps shown for these answers.
    #[must_use]
    pub fn counted_answers(&self, context: &Context, answers: &Answers) -> Answers {
        self.visible_steps(context, answers)
            .into_iter()
            .filter_map(|i| {
                let id = &self.steps[i].id;
                answers.get(id).map(|a| (id.clone(), a.clone()))
            })
            .collect()
    }

    /// The relationship type in force and its source.
    #[must_use]
    pub fn relationship(&self, context: &Context, answers: &Answers) -> Relationship {
        let decided = self.decided_relationship(context);
        let counted = self.counted_answers(context, answers);
        self.relationship_with(decided.as_ref(), &counted)
    }

    /// Explicit type or a matching rule, if either decides.
    fn decided_relationship(&self, context: &Context) -> Option<Relationship> {
        if let Some(explicit) = context.relationship.as_deref().filter(|t| self.has_type(t)) {
            return Some(Relationship {
                type_id: explicit.to_owned(),
                source: TypeSource::Explicit,
            });
        }
        let empty = Answers::new();
        let scope = self.scope(context, "", &empty);
        let scope = Scope {
            relationship: None,
            ..scope
        };
        self.relationship
            .rules
            .iter()
            .zip(&self.compiled.rules)
            .find(|(_, expr)| expr.as_ref().is_some_and(|e| scope.holds(e)))
            .map(|(rule, _)| Relationship {
                type_id: rule.type_id.clone(),
                source: TypeSource::Rule,
            })
    }

    fn relationship_with(&self, decided: Option<&Relationship>, shown: &Answers) -> Relationship {
        if let Some(decided) = decided {
            return decided.clone();
        }
        let picked = self
            .steps
            .iter()
            .find_map(|step| match shown.get(&step.id) {
                Some(AnswerValue::RelationshipScreener(t)) if self.has_type(t) => Some(t.clone()),
                _ => None,
            });
        match picked {
            Some(type_id) => Relationship {
                type_id,
                source: TypeSource::Screener,
            },
            None => Relationship {
                type_id: self.relationship.default.clone(),
                source: TypeSource::Default,
            },
        }
    }

    fn scope<'a>(
        &'a self,
        context: &'a Context,
        relationship: &'a str,
        answers: &'a Answers,
    ) -> Scope<'a> {
        Scope {
            survey: self,
            context,
            relationship: Some(relationship),
            answers,
        }
    }

    /// Where the customer stands.
    #[must_use]
    pub fn progress(&self, context: &Context, state: &RunState) -> Progress {
        let position = state.path.len();
        if state.done {
            return Progress {
                position,
                total: position,
            };
        }
        let index = self.current_indexed(state).map_or(usize::MAX, |(i, _)| i);
        let later = self
            .visible_steps(context, &state.answers)
            .into_iter()
            .filter(|&j| j > index && index != usize::MAX)
            .count();
        Progress {
            position,
            total: position + later,
        }
    }

    /// The bullets of a step that apply now.
    #[must_use]
    pub fn bullets<'a>(
        &'a self,
        context: &Context,
        state: &RunState,
        step: &'a Step,
    ) -> Vec<&'a Bullet> {
        let exprs = self.step_exprs(step, |c, i| c.bullets.get(i));
        self.filter(context, state, &step.bullets, exprs)
    }

    /// The help links of a step that apply now.
    #[must_use]
    pub fn links<'a>(
        &'a self,
        context: &Context,
        state: &RunState,
        step: &'a Step,
    ) -> Vec<&'a HelpLink> {
        let exprs = self.step_exprs(step, |c, i| c.links.get(i));
        self.filter(context, state, &step.links, exprs)
    }

    fn step_exprs<'a>(
        &'a self,
        step: &Step,
        pick: impl Fn(&'a crate::validate::Compiled, usize) -> Option<&'a Vec<Option<Expr>>>,
    ) -> &'a [Option<Expr>] {
        self.steps
            .iter()
            .position(|s| s.id == step.id)
            .and_then(|i| pick(&self.compiled, i))
            .map_or(&[], Vec::as_slice)
    }

    fn filter<'a, T>(
        &self,
        context: &Context,
        state: &RunState,
        items: &'a [T],
        exprs: &[Option<Expr>],
    ) -> Vec<&'a T> {
        let answers = self.counted_answers(context, &state.answers);
        let relationship = self.relationship(context, &state.answers);
        let scope = self.scope(context, &relationship.type_id, &answers);
        items
            .iter()
            .enumerate()
            .filter(|(i, _)| holds(&scope, exprs.get(*i).and_then(Option::as_ref)))
            .map(|(_, item)| item)
            .collect()
    }

    /// The ending to show: the first whose condition holds.
    #[must_use]
    pub fn ending(&self, context: &Context, state: &RunState) -> Option<&Ending> {
        let refs: Vec<&Ending> = self.filter(context, state, &self.endings, &self.compiled.endings);
        refs.first().copied()
    }

    /// The help links of an ending that apply now.
    #[must_use]
    pub fn ending_links<'a>(
        &'a self,
        context: &Context,
        state: &RunState,
        ending: &'a Ending,
    ) -> Vec<&'a HelpLink> {
        let index = self.endings.iter().position(|e| e == ending);
        let exprs = index
            .and_then(|i| self.compiled.ending_links.get(i))
            .map_or(&[][..], Vec::as_slice);
        self.filter(context, state, &ending.links, exprs)
    }

    /// A text in `locale` with its placeholders filled in, as plain text; numbers as Rust
    /// writes them (`653.9`). The widget uses [`Self::render_with`] to write them the way the
    /// customer's language does.
    #[must_use]
    pub fn render(&self, context: &Context, state: &RunState, text: &Text, locale: &str) -> String {
        self.render_with(context, state, text, locale, &|number| match number {
            Recalled::Number(n) | Recalled::Money { amount: n, .. } => n.to_string(),
        })
    }

    /// A text in `locale` with its placeholders filled in, as plain text, each number written
    /// by `write`: `order.total` as an amount of money when the context names its currency.
    #[must_use]
    pub fn render_with(
        &self,
        context: &Context,
        state: &RunState,
        text: &Text,
        locale: &str,
        write: &dyn Fn(Recalled<'_>) -> String,
    ) -> String {
        let answers = self.counted_answers(context, &state.answers);
        let relationship = self.relationship(context, &state.answers);
        let scope = self.scope(context, &relationship.type_id, &answers);
        render(text.get(locale, &self.default_locale), |name| {
            let field = Field::from_name(name)?;
            match scope.value(&field) {
                crate::condition::Value::Missing => None,
                crate::condition::Value::Number(n) => {
                    Some(write(match (&field, context.order.currency.as_deref()) {
                        (Field::OrderTotal, Some(currency)) => Recalled::Money {
                            amount: n,
                            currency,
                        },
                        _ => Recalled::Number(n),
                    }))
                }
                crate::condition::Value::Text(s) => Some(self.label(&field, s, locale)),
                crate::condition::Value::Bool(b) => Some(b.to_string()),
                crate::condition::Value::List(items) => Some(
                    items
                        .iter()
                        .map(|item| self.label(&field, item, locale))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            }
        })
    }

    /// What a placeholder shows for `value` of `field`: a choice's option by its label in
    /// `locale` (what the customer picked, in their words), anything else as it is.
    fn label(&self, field: &Field, value: &str, locale: &str) -> String {
        let Field::Answer(step) = field else {
            return value.to_owned();
        };
        self.steps
            .iter()
            .find(|s| &s.id == step)
            .and_then(|step| step.options.iter().find(|option| option.id == value))
            .map_or_else(
                || value.to_owned(),
                |option| option.label.get(locale, &self.default_locale).to_owned(),
            )
    }
}

/// A number a text recalls through a placeholder, for [`ValidSurvey::render_with`] to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Recalled<'a> {
    /// A plain number: an answer, the number of earlier orders, an extra attribute.
    Number(f64),
    /// The order total in the currency the context names (an ISO 4217 code such as `EUR`,
    /// as the shop wrote it).
    Money {
        /// The amount.
        amount: f64,
        /// The currency code.
        currency: &'a str,
    },
}

fn holds(scope: &Scope<'_>, condition: Option<&Expr>) -> bool {
    condition.is_none_or(|c| scope.holds(c))
}
