//! The view: one part a file. The parts get plain texts from [`crate::view`] and send
//! [`crate::state::Msg`]s; they hold no survey logic. They are plain functions from their
//! props to [`yew::Html`], not components: a component type would bring its own copy of
//! yew's lifecycle code into the shop bundle (≈0.7 KB gzip stateless, more with hooks); the
//! frame's one hook ([`frame::use_frame`]) is called by the root component.

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
