//! The view: one part a file. The parts get plain texts from [`crate::view`] and send
//! [`crate::state::Msg`]s; they hold no survey logic. Apart from [`frame`] (which has hooks),
//! they are plain functions from their props to [`yew::Html`], not components: stateless,
//! they would pay for a component's lifecycle code (≈0.7 KB gzip each in the shop bundle)
//! without using it.

pub mod choice;
pub mod consent;
pub mod ending;
pub mod frame;
pub mod links;
pub mod navigation;
pub mod progress;
pub mod rating;
pub mod reassurance;
pub mod screener;
pub mod step;
pub mod text;

/// Id of the current step's (or the ending's) heading; focus moves there on each step change.
pub const HEADING_ID: &str = "rapport-heading";
/// Id of the text under the heading.
pub const BODY_ID: &str = "rapport-body";
/// Id of the hint under a step ("Please answer this question").
pub const HINT_ID: &str = "rapport-hint";
