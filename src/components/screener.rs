//! The relationship screener: the customer picks the statement about the shop that fits them,
//! which decides their relationship type.

use rapport_survey::AnswerValue;
use yew::prelude::*;

use super::choice::{choice, ChoiceProps};
use crate::state::Msg;
use crate::view::OptionView;

/// What [`screener`] shows.
pub struct ScreenerProps {
    /// Name of the radio group (the step id).
    pub name: String,
    /// One statement per relationship type (`id` is the type id).
    pub statements: Vec<OptionView>,
    /// The type picked, if any.
    pub chosen: Option<String>,
    /// Receives the pick as a draft answer.
    pub on_msg: Callback<Msg>,
}

/// The statement list.
pub fn screener(props: &ScreenerProps) -> Html {
    let on_pick = props
        .on_msg
        .reform(|type_id| Msg::Draft(AnswerValue::RelationshipScreener(type_id)));
    choice(&ChoiceProps {
        name: props.name.clone(),
        options: props.statements.clone(),
        multiple: false,
        chosen: props.chosen.clone().into_iter().collect(),
        on_pick,
    })
}
