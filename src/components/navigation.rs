//! Back, Skip and Continue (Submit on the last step).

use yew::prelude::*;

use crate::i18n::Words;
use crate::state::Msg;

/// What [`navigation`] shows.
pub struct NavigationProps {
    /// Whether there is a step to go back to.
    pub can_back: bool,
    /// Whether the step may be skipped (optional questions only).
    pub can_skip: bool,
    /// Whether this is the last step (the main button then says Submit).
    pub last: bool,
    /// The widget's words.
    pub words: &'static Words,
    /// Receives Back and Skip. Continue submits the surrounding form.
    pub on_msg: Callback<Msg>,
}

/// The buttons under a step.
pub fn navigation(props: &NavigationProps) -> Html {
    let words = props.words;
    let on_back = props.on_msg.reform(|_: MouseEvent| Msg::Back);
    let on_skip = props.on_msg.reform(|_: MouseEvent| Msg::Skip);
    // Keyed, as each child of the step's form is (see `App`); no step id is capitalised.
    html! {
        <div key="Nav" class="nav">
            if props.can_back {
                <button type="button" class="button button-back" onclick={on_back}>
                    { words.back }
                </button>
            }
            <span class="nav-spacer"></span>
            if props.can_skip {
                <button type="button" class="button button-skip" onclick={on_skip}>
                    { words.skip }
                </button>
            }
            <button type="submit" class="button button-primary">
                { if props.last { words.submit } else { words.continue_label } }
            </button>
        </div>
    }
}
