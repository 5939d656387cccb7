//! Options to pick: radio buttons for one, checkboxes for several. The surrounding fieldset
//! and its legend (the question) come from [`super::step::Step`].

use yew::prelude::*;

use crate::view::OptionView;

/// What [`choice`] shows.
pub struct ChoiceProps {
    /// Name of the input group (the step id).
    pub name: String,
    /// The options.
    pub options: Vec<OptionView>,
    /// Checkboxes (several) instead of radio buttons (one).
    pub multiple: bool,
    /// Ids of the options picked.
    pub chosen: Vec<String>,
    /// Receives the id of the option picked (or, with checkboxes, toggled).
    pub on_pick: Callback<String>,
}

/// The option list.
pub fn choice(props: &ChoiceProps) -> Html {
    let kind = if props.multiple { "checkbox" } else { "radio" };
    let options = props.options.iter().map(|option| {
        let onchange = {
            let (on_pick, id) = (props.on_pick.clone(), option.id.clone());
            Callback::from(move |_: Event| on_pick.emit(id.clone()))
        };
        html! {
            <li>
                <label class="option">
                    <input
                        type={kind}
                        name={props.name.clone()}
                        value={option.id.clone()}
                        checked={props.chosen.contains(&option.id)}
                        {onchange}
                    />
                    <span>{ option.label.clone() }</span>
                </label>
            </li>
        }
    });
    html! {
        <ul class="options" role="list">
            { for options }
        </ul>
    }
}
