//! The frame of a modal or slide-in survey: the dialog (or corner card) around the survey,
//! with a visible close button.
//!
//! - modal: a `<dialog>` opened with `showModal()`: the browser puts it above everything,
//!   draws the backdrop, makes the page inert (the focus trap) and sends Escape as `cancel`.
//! - slide-in: a card in the bottom corner, in the top layer where the browser has popovers
//!   (so no `z-index` of the page covers it), without blocking the page. Escape inside it
//!   closes it.
//!
//! Focus: a modal takes focus to its heading; when the frame goes away, focus returns to
//! where it was before — for a slide-in the customer tabbed into, to where they came from —
//! unless the customer has put it somewhere else meanwhile.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, ShadowRoot};
use yew::prelude::*;

use super::HEADING_ID;
use crate::config::Mode;
use crate::i18n::Words;

/// What [`frame`] shows.
pub struct FrameProps {
    /// Modal or slide-in (inline surveys have no frame).
    pub mode: Mode,
    /// Id of the element that names the frame, if any.
    pub labelled_by: Option<&'static str>,
    /// The frame's name when no element names it.
    pub label: Option<&'static str>,
    /// The widget's words.
    pub words: &'static Words,
    /// The customer wants to close the survey (close button, Escape).
    pub on_close: Callback<()>,
    /// The element of the frame, from [`use_frame`].
    pub node: NodeRef,
    /// Where keyboard focus came from into a slide-in, from [`use_frame`].
    pub came_from: CameFrom,
    /// The survey.
    pub children: Html,
}

/// The element of the page that keyboard focus last came from into a slide-in (which does not
/// take focus itself): where it returns when the card closes.
pub type CameFrom = Rc<RefCell<Option<Element>>>;

/// Opens the frame rendered into the returned node whenever `shown` turns true (focus to a
/// modal's heading), and when it turns false again, or the widget goes away, closes it and
/// returns focus: to where it was when the frame opened, or, for a slide-in the customer
/// tabbed into, to where they came from. A hook of the root component rather than a component
/// of its own: each component type brings its own copy of yew's lifecycle code (this one
/// ≈2.2 KB gzip).
#[hook]
pub fn use_frame(mode: Mode, shown: bool) -> (NodeRef, CameFrom) {
    let node = use_node_ref();
    let came_from: CameFrom = use_mut_ref(|| None);
    use_effect_with(shown, {
        let (node, came_from) = (node.clone(), came_from.clone());
        move |&shown| {
            let opened = shown.then(|| {
                let previous = active_element();
                let host = host_of(&node);
                open(&node, mode);
                let dialog = node
                    .get()
                    .and_then(|node| node.dyn_into::<HtmlDialogElement>().ok());
                (previous, host, dialog)
            });
            move || {
                if let Some((previous, host, dialog)) = opened {
                    // While the dialog is modal the page is inert and cannot take focus back.
                    if let Some(dialog) = dialog.filter(HtmlDialogElement::open) {
                        dialog.close();
                    }
                    restore_focus(came_from.take().or(previous), host);
                }
            }
        }
    });
    (node, came_from)
}

/// The dialog or card around the survey; opened by [`use_frame`].
pub fn frame(props: FrameProps) -> Html {
    let FrameProps {
        mode,
        labelled_by,
        label,
        words,
        on_close,
        node,
        came_from,
        children,
    } = props;
    let close_button = {
        let onclick = on_close.reform(|_: MouseEvent| ());
        html! {
            <button type="button" class="close" aria-label={words.close_survey} {onclick}>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                    <path d="M3 3 13 13M13 3 3 13" />
                </svg>
            </button>
        }
    };
    match mode {
        Mode::Modal => {
            // Escape: `cancel` (prevented, so the survey closes the same way as by button);
            // `close` if the browser closes the dialog anyway.
            let oncancel = on_close.reform(|event: Event| event.prevent_default());
            let onclose = on_close.reform(|_: Event| ());
            let onkeydown = {
                let node = node.clone();
                Callback::from(move |event: KeyboardEvent| wrap_focus(&node, &event))
            };
            html! {
                <dialog
                    ref={node}
                    class="frame frame-modal"
                    aria-labelledby={labelled_by}
                    aria-label={label}
                    {oncancel}
                    {onclose}
                    {onkeydown}
                >
                    { close_button }
                    { children }
                </dialog>
            }
        }
        Mode::SlideIn | Mode::Inline => {
            let onkeydown = Callback::from(move |event: KeyboardEvent| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    on_close.emit(());
                }
            });
            let onfocusin = {
                let node = node.clone();
                Callback::from(move |event: FocusEvent| {
                    let from = event
                        .related_target()
                        .and_then(|target| target.dyn_into::<Element>().ok());
                    let card = node.cast::<Element>();
                    // From the page, not from one control of the card to another.
                    if let (Some(from), Some(card)) = (from, card) {
                        if !card.contains(Some(&from)) {
                            *came_from.borrow_mut() = Some(from);
                        }
                    }
                })
            };
            html! {
                <div
                    ref={node}
                    class="frame frame-slide-in"
                    popover="manual"
                    role="dialog"
                    aria-modal="false"
                    aria-labelledby={labelled_by}
                    aria-label={label}
                    {onkeydown}
                    {onfocusin}
                >
                    { close_button }
                    { children }
                </div>
            }
        }
    }
}

/// Opens the frame: `showModal()` for a modal, `showPopover()` for a slide-in.
fn open(node: &NodeRef, mode: Mode) {
    match mode {
        Mode::Modal => {
            let Some(dialog) = node.cast::<HtmlDialogElement>() else {
                return;
            };
            if dialog.show_modal().is_err() {
                // Not connected, or no `<dialog>` support: show it in place.
                dialog.set_open(true);
            }
            let heading = dialog
                .query_selector(&format!("#{HEADING_ID}"))
                .ok()
                .flatten()
                .and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
            if let Some(heading) = heading {
                let _ = heading.focus();
            }
        }
        Mode::SlideIn | Mode::Inline => {
            if let Some(card) = node.cast::<HtmlElement>() {
                // Without popover support the card stays a fixed-position element.
                let _ = card.show_popover();
            }
        }
    }
}

/// What Tab can reach inside the dialog, in order (disabled and hidden controls aside, which
/// the widget does not render).
const TABBABLE: &str = "button:not([tabindex='-1']), a[href], input, textarea, [tabindex='0']";

/// The focus trap's edges: Tab on the dialog's last control goes to its first, Shift+Tab on
/// the first to the last. (A modal `<dialog>` already makes the page inert; without this,
/// Tab would leave for the browser's own controls.)
fn wrap_focus(node: &NodeRef, event: &KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let Some(dialog) = node.cast::<Element>() else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(TABBABLE) else {
        return;
    };
    let tabbable: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        // Of a group of radio buttons only the checked one (or, with none checked, each) is
        // a stop; the edges of the dialog are buttons, so this only has to be roughly right.
        .collect();
    let (Some(first), Some(last)) = (tabbable.first(), tabbable.last()) else {
        return;
    };
    let active = dialog
        .get_root_node()
        .dyn_into::<ShadowRoot>()
        .ok()
        .and_then(|root| root.active_element());
    let to = match (event.shift_key(), active) {
        (false, Some(active)) if active == **last => first,
        (true, Some(active)) if active == **first => last,
        _ => return,
    };
    event.prevent_default();
    let _ = to.focus();
}

/// The page's focused element (the widget's host when focus is inside the widget).
fn active_element() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

/// The element whose shadow root holds `node`: the widget's host.
fn host_of(node: &NodeRef) -> Option<Element> {
    let root = node.cast::<Element>()?.get_root_node();
    Some(root.dyn_into::<ShadowRoot>().ok()?.host())
}

/// Puts focus back on `previous` if it is lost (on the body or nowhere) or still inside the
/// widget, so a customer who moved on elsewhere is not pulled back.
fn restore_focus(previous: Option<Element>, host: Option<Element>) {
    let Some(previous) = previous.and_then(|p| p.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    if !previous.is_connected() {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let lost = match document.active_element() {
        None => true,
        Some(active) => {
            document
                .body()
                .is_some_and(|body| Element::from(body) == active)
                || host.is_some_and(|host| host == active)
        }
    };
    if lost {
        let _ = previous.focus();
    }
}
