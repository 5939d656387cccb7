//! The thin yew adapter over the model's engine: [`Run`] holds the engine's [`RunState`] plus
//! what only the screen needs (the answer being given, a hint), and [`Msg`] maps each thing
//! the customer does to one engine call.

use std::rc::Rc;

use rapport_survey::{
    Action, AnswerProblem, AnswerValue, Context, EngineError, RunState, Step, StepKind, ValidSurvey,
};
use yew::Reducible;

/// What the customer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// Picks or types an answer to the current step, without going on yet.
    Draft(AnswerValue),
    /// Ticks or unticks an option of a multiple choice.
    Toggle(String),
    /// Continue (or Submit): answers the current step with the draft and goes on.
    Continue,
    /// Skips an optional step.
    Skip,
    /// Goes back one step.
    Back,
}

/// Why the customer cannot go on yet. [`crate::i18n::Words::hint`] gives the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// A required step has no answer.
    Required,
    /// The text is longer than this many characters.
    TooLong(u32),
    /// The step does not accept the answer (a bug; the engine's message is for the console).
    Invalid,
}

impl Hint {
    /// The hint for an engine error; `None` for errors the customer cannot fix.
    #[must_use]
    pub fn from_error(error: &EngineError) -> Option<Self> {
        match error {
            EngineError::Required(_) | EngineError::Answer(AnswerProblem::Required { .. }) => {
                Some(Self::Required)
            }
            EngineError::Answer(AnswerProblem::TooLong { limit, .. }) => {
                Some(Self::TooLong(*limit))
            }
            EngineError::Answer(_) => Some(Self::Invalid),
            EngineError::Finished | EngineError::AtStart | EngineError::UnknownStep(_) => None,
        }
    }
}

/// A survey run as the widget shows it.
#[derive(Debug, Clone)]
pub struct Run {
    /// The survey.
    pub survey: Rc<ValidSurvey>,
    /// The purchase context.
    pub context: Rc<Context>,
    /// The engine's state.
    pub state: RunState,
    /// The answer being given to the current step, before Continue.
    pub draft: Option<AnswerValue>,
    /// Why the last Continue did not go on.
    pub hint: Option<Hint>,
    /// How many times Continue was refused; lets a repeated hint be announced again.
    pub refusals: u32,
    /// How many times the step changed; the first render (0) moves no focus.
    pub moves: u32,
}

impl Run {
    /// The run at the survey's first visible step.
    #[must_use]
    pub fn start(survey: Rc<ValidSurvey>, context: Rc<Context>) -> Self {
        let state = survey.start(&context);
        let draft = draft_of(&survey, &state);
        Self {
            survey,
            context,
            state,
            draft,
            hint: None,
            refusals: 0,
            moves: 0,
        }
    }

    /// The step shown now; `None` when done.
    #[must_use]
    pub fn current(&self) -> Option<&Step> {
        self.survey.current(&self.state)
    }

    /// Whether the customer went past the last step.
    #[must_use]
    pub fn done(&self) -> bool {
        self.state.done
    }

    /// Whether the survey had nothing to show for this context from the start.
    #[must_use]
    pub fn empty(&self) -> bool {
        self.state.done && self.state.path.is_empty()
    }

    /// Applies one message.
    #[must_use]
    pub fn update(&self, msg: Msg) -> Option<Self> {
        match msg {
            Msg::Draft(answer) => Some(self.with_draft(Some(answer))),
            Msg::Toggle(option) => self.toggled(&option),
            Msg::Continue => self.go_on(),
            Msg::Skip => self.apply(Action::Next),
            Msg::Back => self.apply(Action::Back),
        }
    }

    fn with_draft(&self, draft: Option<AnswerValue>) -> Self {
        Self {
            draft,
            hint: None,
            ..self.clone()
        }
    }

    fn toggled(&self, option: &str) -> Option<Self> {
        let step = self.current()?;
        let mut chosen = match &self.draft {
            Some(AnswerValue::MultiChoice(chosen)) => chosen.clone(),
            _ => Vec::new(),
        };
        if chosen.iter().any(|c| c == option) {
            chosen.retain(|c| c != option);
        } else {
            chosen.push(option.to_owned());
        }
        // Keep the definition's order, so the same choice always gives the same answer.
        let ordered = step
            .options
            .iter()
            .filter(|o| chosen.contains(&o.id))
            .map(|o| o.id.clone())
            .collect();
        Some(self.with_draft(Some(AnswerValue::MultiChoice(ordered))))
    }

    /// Continue: a message goes on; an answer is given; no answer skips (refused when required).
    fn go_on(&self) -> Option<Self> {
        let step = self.current()?;
        let action = if step.kind == StepKind::Reassurance {
            Action::Next
        } else {
            match answer_of(self.draft.as_ref()) {
                Some(answer) => Action::Answer(answer),
                // An unticked consent box is an answer too: "no".
                None if step.kind == StepKind::Consent => {
                    Action::Answer(AnswerValue::Consent(false))
                }
                None => Action::Next,
            }
        };
        self.apply(action)
    }

    fn apply(&self, action: Action) -> Option<Self> {
        match self.survey.apply(&self.context, &self.state, action) {
            Ok(state) => {
                let draft = draft_of(&self.survey, &state);
                Some(Self {
                    state,
                    draft,
                    hint: None,
                    moves: self.moves + 1,
                    ..self.clone()
                })
            }
            Err(error) => Hint::from_error(&error).map(|hint| Self {
                hint: Some(hint),
                refusals: self.refusals + 1,
                ..self.clone()
            }),
        }
    }
}

/// The answer given earlier to the state's current step (after Back), as the new draft.
fn draft_of(survey: &ValidSurvey, state: &RunState) -> Option<AnswerValue> {
    let step = survey.current(state)?;
    state.answers.get(&step.id).cloned()
}

/// The draft as an answer: blank text and an empty selection count as no answer.
fn answer_of(draft: Option<&AnswerValue>) -> Option<AnswerValue> {
    match draft? {
        AnswerValue::Text(text) if text.trim().is_empty() => None,
        AnswerValue::Text(text) => Some(AnswerValue::Text(text.trim().to_owned())),
        AnswerValue::MultiChoice(chosen) if chosen.is_empty() => None,
        other => Some(other.clone()),
    }
}

impl Reducible for Run {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match self.update(msg) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST_PURCHASE: &str = include_str!("../surveys/post-purchase.json");

    fn run(context: &str) -> Run {
        let survey = rapport_survey::load(POST_PURCHASE).unwrap_or_else(|p| panic!("{p:?}"));
        let context: Context = serde_json::from_str(context).unwrap_or_else(|e| panic!("{e}"));
        Run::start(Rc::new(survey), Rc::new(context))
    }

    fn just_buying() -> Run {
        run(
            r#"{"relationship":"just_buying","order":{"id":"A-1","total":40},"customer":{"earlier_orders":3}}"#,
        )
    }

    fn step_id(run: &Run) -> &str {
        run.current().map_or("(done)", |s| s.id.as_str())
    }

    fn send(run: &Run, msg: Msg) -> Run {
        run.update(msg.clone())
            .unwrap_or_else(|| panic!("{msg:?} changed nothing at {}", step_id(run)))
    }

    #[test]
    fn a_message_goes_on_with_continue() {
        let start = just_buying();
        assert_eq!(step_id(&start), "reassure");
        assert_eq!(start.moves, 0);
        let next = send(&start, Msg::Continue);
        assert_eq!(step_id(&next), "satisfaction");
        assert_eq!(next.moves, 1);
    }

    #[test]
    fn a_required_step_refuses_continue_without_an_answer() {
        let csat = send(&just_buying(), Msg::Continue);
        let refused = send(&csat, Msg::Continue);
        assert_eq!(step_id(&refused), "satisfaction");
        assert_eq!(refused.hint, Some(Hint::Required));
        assert_eq!(refused.refusals, 1);
        assert_eq!(refused.moves, csat.moves);
        assert_eq!(send(&refused, Msg::Continue).refusals, 2);
        // Picking an answer clears the hint; Continue then finishes.
        let picked = send(&refused, Msg::Draft(AnswerValue::Csat(4)));
        assert_eq!(picked.hint, None);
        let done = send(&picked, Msg::Continue);
        assert!(done.done());
        assert_eq!(
            done.state.answers.get("satisfaction"),
            Some(&AnswerValue::Csat(4))
        );
    }

    #[test]
    fn back_restores_the_earlier_answer_as_the_draft() {
        let csat = send(&just_buying(), Msg::Continue);
        let done = send(
            &send(&csat, Msg::Draft(AnswerValue::Csat(2))),
            Msg::Continue,
        );
        let back = send(&done, Msg::Back);
        assert_eq!(step_id(&back), "satisfaction");
        assert_eq!(back.draft, Some(AnswerValue::Csat(2)));
        let first = send(&back, Msg::Back);
        assert_eq!(step_id(&first), "reassure");
        assert!(
            first.update(Msg::Back).is_none(),
            "back on the first step changes nothing"
        );
    }

    #[test]
    fn blank_text_and_empty_choices_are_no_answer() {
        assert_eq!(answer_of(Some(&AnswerValue::Text("  ".into()))), None);
        assert_eq!(
            answer_of(Some(&AnswerValue::Text(" idea ".into()))),
            Some(AnswerValue::Text("idea".into()))
        );
        assert_eq!(answer_of(Some(&AnswerValue::MultiChoice(vec![]))), None);
    }

    #[test]
    fn toggling_keeps_the_definitions_order() {
        let fling = run(r#"{"relationship":"fling","order":{"id":"A-2","total":40}}"#);
        let fling = send(&fling, Msg::Continue);
        assert_eq!(step_id(&fling), "excitement");
        let fling = send(
            &send(
                &fling,
                Msg::Draft(AnswerValue::SingleChoice("happy".into())),
            ),
            Msg::Continue,
        );
        assert_eq!(step_id(&fling), "inspiration");
        let picked = send(
            &send(&fling, Msg::Toggle("share".into())),
            Msg::Toggle("styling".into()),
        );
        assert_eq!(
            picked.draft,
            Some(AnswerValue::MultiChoice(vec![
                "styling".into(),
                "share".into()
            ]))
        );
        let unpicked = send(&picked, Msg::Toggle("share".into()));
        assert_eq!(
            unpicked.draft,
            Some(AnswerValue::MultiChoice(vec!["styling".into()]))
        );
        // An optional step left empty is skipped by Continue.
        let none = send(
            &send(&unpicked, Msg::Toggle("styling".into())),
            Msg::Continue,
        );
        assert!(none.done());
        assert!(!none.state.answers.contains_key("inspiration"));
    }

    #[test]
    fn an_unticked_consent_is_a_no_and_skip_leaves_it_out() {
        let partner = run(r#"{"relationship":"business_partner"}"#);
        let mut at = partner;
        while step_id(&at) != "follow_up" {
            at = match step_id(&at) {
                "nps" => send(&send(&at, Msg::Draft(AnswerValue::Nps(9))), Msg::Continue),
                _ => send(&at, Msg::Continue),
            };
        }
        let said_no = send(&at, Msg::Continue);
        assert_eq!(
            said_no.state.answers.get("follow_up"),
            Some(&AnswerValue::Consent(false))
        );
        let skipped = send(&at, Msg::Skip);
        assert!(!skipped.state.answers.contains_key("follow_up"));
    }
}
