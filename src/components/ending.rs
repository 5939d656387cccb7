//! The thank-you screen.

use yew::prelude::*;

use super::links::{links, LinksProps};
use super::{BODY_ID, HEADING_ID};
use crate::i18n::Words;
use crate::view::EndingView;

/// What [`ending`] shows.
pub struct EndingProps {
    /// What to show.
    pub view: EndingView,
    /// The widget's words.
    pub words: &'static Words,
    /// Closes the survey; given for modal and slide-in surveys, which then show a Close
    /// button under the thanks.
    pub on_close: Option<Callback<()>>,
}

/// Title, text and help links of the ending.
pub fn ending(props: &EndingProps) -> Html {
    let view = &props.view;
    let close = props.on_close.as_ref().map(|on_close| {
        let onclick = on_close.reform(|_: MouseEvent| ());
        html! {
            <div class="nav">
                <span class="nav-spacer"></span>
                <button type="button" class="button button-primary button-done" {onclick}>
                    { props.words.close }
                </button>
            </div>
        }
    });
    html! {
        <div class="ending">
            <h2 id={HEADING_ID} class="heading" tabindex="-1">{ view.title.clone() }</h2>
            if let Some(body) = &view.body {
                <p id={BODY_ID} class="body">{ body.clone() }</p>
            }
            { links(&LinksProps { links: view.links.clone(), words: props.words }) }
            { close }
        </div>
    }
}
