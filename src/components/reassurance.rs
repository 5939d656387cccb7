//! A reassurance step's content under its heading: what happens next, guarantees, help.

use yew::prelude::*;

use super::links::{links, LinksProps};
use crate::i18n::Words;
use crate::view::LinkView;

/// What [`reassurance`] shows.
pub struct ReassuranceProps {
    /// Bullet points that apply.
    pub bullets: Vec<String>,
    /// Help links that apply.
    pub links: Vec<LinkView>,
    /// The widget's words.
    pub words: &'static Words,
}

/// Bullets and help links.
pub fn reassurance(props: &ReassuranceProps) -> Html {
    let bullets = (!props.bullets.is_empty()).then(|| {
        html! {
            <ul class="bullets">
                { for props.bullets.iter().map(|bullet| html! { <li>{ bullet.clone() }</li> }) }
            </ul>
        }
    });
    html! {
        <>
            { bullets }
            { links(&LinksProps { links: props.links.clone(), words: props.words }) }
        </>
    }
}
