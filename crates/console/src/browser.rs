//! The browser's storage and downloads, each failing quietly into `None`/an error message:
//! a console in private mode still works, it only forgets more.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlAnchorElement, Storage, Url};

use crate::api::describe;

/// `sessionStorage` key of the researcher's token: gone with the tab.
const TOKEN_KEY: &str = "rapport-console:token";
/// `localStorage` key of the editor's text: a reload or a closed tab keeps the draft.
const DRAFT_KEY: &str = "rapport-console:draft";

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The token kept for this tab.
#[must_use]
pub fn token() -> Option<String> {
    session()?.get_item(TOKEN_KEY).ok()?
}

/// Keeps `token` for this tab, or forgets it.
pub fn keep_token(token: Option<&str>) {
    if let Some(storage) = session() {
        let _ = match token {
            Some(token) => storage.set_item(TOKEN_KEY, token),
            None => storage.remove_item(TOKEN_KEY),
        };
    }
}

/// The draft kept from an earlier visit.
#[must_use]
pub fn draft() -> Option<String> {
    local()?.get_item(DRAFT_KEY).ok()?
}

/// Keeps the editor's text.
pub fn keep_draft(text: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(DRAFT_KEY, text);
    }
}

/// Offers `blob` as a file download named `name`.
///
/// # Errors
/// A message when the browser refuses the link.
pub fn download(name: &str, blob: &Blob) -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let document = window.document().ok_or("there is no document")?;
    let url = Url::create_object_url_with_blob(blob).map_err(|e| describe(&e))?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "no link element".to_owned())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started from the click; the URL is let go in a later task.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000);
    Ok(())
}
