//! One step: its heading and text, and the control for its kind.

use rapport_survey::{AnswerValue, StepKind};
use yew::prelude::*;

use super::choice::{choice, ChoiceProps};
use super::consent::{consent, ConsentProps};
use super::rating::{rating, RatingProps};
use super::reassurance::{reassurance, ReassuranceProps};
use super::screener::{screener, ScreenerProps};
use super::text::{text_answer, TextAnswerProps};
use super::{BODY_ID, HEADING_ID, HINT_ID};
use crate::i18n::Words;
use crate::state::Msg;
use crate::view::StepView;

/// What [`step`] shows.
pub struct StepProps<'a> {
    /// The step to show.
    pub view: &'a StepView,
    /// The answer being given.
    pub draft: Option<AnswerValue>,
    /// Whether the hint under the step is shown (the control is then marked invalid).
    pub invalid: bool,
    /// The widget's words.
    pub words: &'static Words,
    /// Receives what the customer does.
    pub on_msg: Callback<Msg>,
}

/// The current step.
pub fn step(props: &StepProps) -> Html {
    let StepProps {
        view,
        draft,
        invalid,
        words,
        on_msg,
    } = props;
    let heading = html! {
        <h2 id={HEADING_ID} class="heading" tabindex="-1">{ view.title.clone() }</h2>
    };
    let body = view
        .body
        .as_ref()
        .map(|body| html! { <p id={BODY_ID} class="body">{ body.clone() }</p> });
    let described_by = describe(view.body.is_some(), *invalid);
    let pick = |wrap: fn(String) -> Msg| on_msg.reform(wrap);
    let control = match view.kind {
        StepKind::Reassurance => reassurance(&ReassuranceProps {
            bullets: view.bullets.clone(),
            links: view.links.clone(),
            words,
        }),
        StepKind::Nps | StepKind::Csat | StepKind::Ces => match &view.scale {
            Some(scale) => rating(&RatingProps {
                kind: view.kind,
                scale: scale.clone(),
                value: rating_of(draft.as_ref()),
                required: view.required,
                invalid: *invalid,
                described_by: described_by.clone(),
                on_msg: on_msg.clone(),
            }),
            None => html! {},
        },
        StepKind::SingleChoice => choice(&ChoiceProps {
            name: view.id.clone(),
            options: view.options.clone(),
            multiple: false,
            chosen: chosen_of(draft.as_ref()),
            on_pick: pick(|id| Msg::Draft(AnswerValue::SingleChoice(id))),
        }),
        StepKind::MultiChoice => choice(&ChoiceProps {
            name: view.id.clone(),
            options: view.options.clone(),
            multiple: true,
            chosen: chosen_of(draft.as_ref()),
            on_pick: pick(Msg::Toggle),
        }),
        StepKind::RelationshipScreener => screener(&ScreenerProps {
            name: view.id.clone(),
            statements: view.options.clone(),
            chosen: chosen_of(draft.as_ref()).into_iter().next(),
            on_msg: on_msg.clone(),
        }),
        StepKind::Text => text_answer(&TextAnswerProps {
            text: text_of(draft.as_ref()),
            limit: view.text_limit,
            placeholder: view.placeholder.clone(),
            required: view.required,
            invalid: *invalid,
            described_by: described_by.clone(),
            words,
            on_msg: on_msg.clone(),
        }),
        StepKind::Consent => consent(&ConsentProps {
            given: matches!(draft, Some(AnswerValue::Consent(true))),
            required: view.required,
            invalid: *invalid,
            described_by: described_by.clone(),
            words,
            on_msg: on_msg.clone(),
        }),
    };
    let grouped = matches!(
        view.kind,
        StepKind::SingleChoice | StepKind::MultiChoice | StepKind::RelationshipScreener
    );
    let kind = view.kind.id();
    let step_id = view.id.clone();
    if grouped {
        html! {
            <div key={step_id.clone()} class="step" data-kind={kind} data-step={step_id}>
                <fieldset
                    class="group"
                    aria-describedby={described_by}
                    aria-invalid={invalid.then_some("true")}
                >
                    <legend>{ heading }</legend>
                    { body }
                    { control }
                </fieldset>
            </div>
        }
    } else {
        html! {
            <div key={step_id.clone()} class="step" data-kind={kind} data-step={step_id}>
                { heading }
                { body }
                { control }
            </div>
        }
    }
}

/// The ids that describe the step's control: its text and the hint, if shown.
fn describe(body: bool, invalid: bool) -> Option<AttrValue> {
    let ids: Vec<&str> = [(body, BODY_ID), (invalid, HINT_ID)]
        .into_iter()
        .filter_map(|(on, id)| on.then_some(id))
        .collect();
    (!ids.is_empty()).then(|| AttrValue::from(ids.join(" ")))
}

fn rating_of(draft: Option<&AnswerValue>) -> Option<u8> {
    match draft? {
        AnswerValue::Nps(v) | AnswerValue::Csat(v) | AnswerValue::Ces(v) => Some(*v),
        _ => None,
    }
}

fn chosen_of(draft: Option<&AnswerValue>) -> Vec<String> {
    match draft {
        Some(AnswerValue::SingleChoice(id) | AnswerValue::RelationshipScreener(id)) => {
            vec![id.clone()]
        }
        Some(AnswerValue::MultiChoice(ids)) => ids.clone(),
        _ => Vec::new(),
    }
}

fn text_of(draft: Option<&AnswerValue>) -> String {
    match draft {
        Some(AnswerValue::Text(text)) => text.clone(),
        _ => String::new(),
    }
}
