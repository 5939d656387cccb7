//! A rating scale (NPS 0–10, CSAT 1–5, CES 1–7): a radio group of buttons with labelled ends,
//! operated by click, or by arrow keys, Home and End as the WAI-ARIA radio group pattern says.

use rapport_survey::{AnswerValue, StepKind};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::HEADING_ID;
use crate::state::Msg;
use crate::view::ScaleView;

/// What [`rating`] shows.
pub struct RatingProps {
    /// NPS, CSAT or CES.
    pub kind: StepKind,
    /// The scale.
    pub scale: ScaleView,
    /// The value picked, if any.
    pub value: Option<u8>,
    /// Whether an answer is needed.
    pub required: bool,
    /// Whether the "please answer" hint is shown.
    pub invalid: bool,
    /// Ids of the elements that describe the group.
    pub described_by: Option<AttrValue>,
    /// Receives the picked value as a draft answer.
    pub on_msg: Callback<Msg>,
}

/// The rating scale.
pub fn rating(props: &RatingProps) -> Html {
    let RatingProps {
        kind,
        scale,
        value,
        required,
        invalid,
        described_by,
        on_msg,
    } = props;
    let (kind, min, max) = (*kind, scale.min, scale.max);
    // Roving tab stop: the picked value, else the first.
    let tab_stop = value.filter(|v| (min..=max).contains(v)).unwrap_or(min);
    let buttons = (min..=max).map(|v| {
        let label = if v == min {
            Some(format!("{v} – {}", scale.low))
        } else if v == max {
            Some(format!("{v} – {}", scale.high))
        } else {
            None
        };
        let onclick = {
            let on_msg = on_msg.clone();
            Callback::from(move |_: MouseEvent| on_msg.emit(Msg::Draft(answer(kind, v))))
        };
        let onkeydown = {
            let on_msg = on_msg.clone();
            Callback::from(move |event: KeyboardEvent| {
                let Some(to) = key_target(&event.key(), v, min, max) else {
                    return;
                };
                event.prevent_default();
                on_msg.emit(Msg::Draft(answer(kind, to)));
                focus_sibling(&event, usize::from(to - min));
            })
        };
        let checked = *value == Some(v);
        html! {
            <button
                type="button"
                role="radio"
                class="scale-value"
                aria-checked={if checked { "true" } else { "false" }}
                aria-label={label}
                tabindex={if v == tab_stop { "0" } else { "-1" }}
                {onclick}
                {onkeydown}
            >
                { v }
            </button>
        }
    });
    html! {
        <div class="scale" data-scale={kind.id()}>
            <div
                role="radiogroup"
                class="scale-values"
                aria-labelledby={HEADING_ID}
                aria-describedby={described_by.clone()}
                aria-required={required.then_some("true")}
                aria-invalid={invalid.then_some("true")}
            >
                { for buttons }
            </div>
            <div class="scale-ends" aria-hidden="true">
                <span>{ scale.low.clone() }</span>
                <span>{ scale.high.clone() }</span>
            </div>
        </div>
    }
}

/// The answer for value `v` of a scale of this kind.
fn answer(kind: StepKind, v: u8) -> AnswerValue {
    match kind {
        StepKind::Csat => AnswerValue::Csat(v),
        StepKind::Ces => AnswerValue::Ces(v),
        _ => AnswerValue::Nps(v),
    }
}

/// The value a key moves to from `from`; `None` for keys the scale does not handle.
/// The ends stop the movement instead of wrapping, so a slip cannot turn 10 into 0.
#[must_use]
pub fn key_target(key: &str, from: u8, min: u8, max: u8) -> Option<u8> {
    match key {
        "ArrowRight" | "ArrowDown" => Some(from.saturating_add(1).min(max)),
        "ArrowLeft" | "ArrowUp" => Some(from.saturating_sub(1).max(min)),
        "Home" => Some(min),
        "End" => Some(max),
        _ => None,
    }
}

/// Moves focus to the `index`th button of the group the event happened in.
fn focus_sibling(event: &KeyboardEvent, index: usize) {
    let sibling = event
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|button| button.parent_element())
        .and_then(|group| group.children().item(u32::try_from(index).ok()?))
        .and_then(|button| button.dyn_into::<HtmlElement>().ok());
    if let Some(button) = sibling {
        // Focus can fail only on a detached element; nothing to do then.
        let _ = button.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_by_one_and_stop_at_the_ends() {
        assert_eq!(key_target("ArrowRight", 3, 0, 10), Some(4));
        assert_eq!(key_target("ArrowDown", 10, 0, 10), Some(10));
        assert_eq!(key_target("ArrowLeft", 1, 1, 5), Some(1));
        assert_eq!(key_target("ArrowUp", 0, 0, 10), Some(0));
        assert_eq!(key_target("Home", 7, 1, 7), Some(1));
        assert_eq!(key_target("End", 1, 1, 7), Some(7));
        assert_eq!(key_target("Tab", 1, 1, 7), None);
    }
}
