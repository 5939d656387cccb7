//! Help channels: a list of links (phone, email, help centre, …).

use yew::prelude::*;

use crate::i18n::Words;
use crate::view::LinkView;

/// What [`links`] shows.
pub struct LinksProps {
    /// The links.
    pub links: Vec<LinkView>,
    /// The widget's words.
    pub words: &'static Words,
}

/// The link list; nothing when there are no links.
pub fn links(props: &LinksProps) -> Html {
    if props.links.is_empty() {
        return html! {};
    }
    let items = props.links.iter().map(|link| {
        let (target, rel) = if link.new_tab {
            (Some("_blank"), Some("noopener noreferrer"))
        } else {
            (None, None)
        };
        html! {
            <li>
                <a class="link" href={link.url.clone()} {target} {rel}>
                    { link.label.clone() }
                    if link.new_tab {
                        <span class="visually-hidden">{ " " }{ props.words.new_tab }</span>
                    }
                </a>
            </li>
        }
    });
    html! {
        <ul class="links" role="list">
            { for items }
        </ul>
    }
}
