//! A consent checkbox: the step's heading says what is asked, the box says "Yes, I agree".

use rapport_survey::AnswerValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::HEADING_ID;
use crate::i18n::Words;
use crate::state::Msg;

/// Id of the checkbox's visible label.
const LABEL_ID: &str = "rapport-consent-label";

/// What [`consent`] shows.
pub struct ConsentProps {
    /// Whether the box is ticked.
    pub given: bool,
    /// Whether consent is needed to go on.
    pub required: bool,
    /// Whether the "please answer" hint is shown.
    pub invalid: bool,
    /// Ids of the elements that describe the box.
    pub described_by: Option<AttrValue>,
    /// The widget's words.
    pub words: &'static Words,
    /// Receives the box's state as a draft answer.
    pub on_msg: Callback<Msg>,
}

/// The checkbox.
pub fn consent(props: &ConsentProps) -> Html {
    let onchange = props.on_msg.reform(|event: Event| {
        let given = event
            .target_dyn_into::<HtmlInputElement>()
            .is_some_and(|input| input.checked());
        Msg::Draft(AnswerValue::Consent(given))
    });
    html! {
        <label class="option consent">
            <input
                type="checkbox"
                checked={props.given}
                aria-labelledby={format!("{HEADING_ID} {LABEL_ID}")}
                aria-describedby={props.described_by.clone()}
                aria-required={props.required.then_some("true")}
                aria-invalid={props.invalid.then_some("true")}
                {onchange}
            />
            <span id={LABEL_ID}>{ props.words.consent_yes }</span>
        </label>
    }
}
