//! A free-text answer: a text area with a live character counter.

use rapport_survey::AnswerValue;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::HEADING_ID;
use crate::i18n::Words;
use crate::state::Msg;

/// Id of the character counter.
pub const COUNTER_ID: &str = "rapport-counter";

/// What [`text_answer`] shows.
pub struct TextAnswerProps {
    /// The text typed so far.
    pub text: String,
    /// Maximum number of characters.
    pub limit: u32,
    /// Hint in the empty field.
    pub placeholder: Option<String>,
    /// Whether an answer is needed.
    pub required: bool,
    /// Whether the "please answer" hint is shown.
    pub invalid: bool,
    /// Ids of further elements that describe the field.
    pub described_by: Option<AttrValue>,
    /// The widget's words.
    pub words: &'static Words,
    /// Receives the text as a draft answer.
    pub on_msg: Callback<Msg>,
}

/// The text area and its counter.
pub fn text_answer(props: &TextAnswerProps) -> Html {
    let oninput = props.on_msg.reform(|event: InputEvent| {
        let text = event
            .target_dyn_into::<HtmlTextAreaElement>()
            .map(|area| area.value())
            .unwrap_or_default();
        Msg::Draft(AnswerValue::Text(text))
    });
    let count = props.text.chars().count();
    let described_by = match &props.described_by {
        Some(ids) => format!("{ids} {COUNTER_ID}"),
        None => COUNTER_ID.to_owned(),
    };
    let near_limit = count * 10 >= props.limit as usize * 9;
    html! {
        <div class="text-answer">
            <textarea
                class="text"
                rows="4"
                maxlength={props.limit.to_string()}
                placeholder={props.placeholder.clone()}
                aria-labelledby={HEADING_ID}
                aria-describedby={described_by}
                aria-required={props.required.then_some("true")}
                aria-invalid={props.invalid.then_some("true")}
                value={props.text.clone()}
                {oninput}
            />
            <p id={COUNTER_ID} class="counter" data-near-limit={near_limit.then_some("")}>
                { props.words.counter(count, props.limit) }
            </p>
        </div>
    }
}
