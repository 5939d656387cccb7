//! [`boot`]: the entry point the loader calls with the embed snippet's configuration.

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::{Document, Element};

use crate::config::{Config, SurveySource};
use crate::console;
use crate::error::{describe, BootError, BootResult};
use crate::http;
use crate::mount::{mount, Options, Widget};
use crate::panic;

/// Starts the widget from its JSON configuration (see [`Config`]): fetches the survey (or
/// takes the inline one), validates it and shows it in a new element inside `target` (or at
/// the end of `document.body`).
///
/// Never throws into the page: every failure is one `console.error` starting with
/// `[rapport]`; an invalid survey lists all its problems, one `path: message` a line, and
/// nothing is shown.
#[wasm_bindgen]
pub fn boot(config_json: &str) {
    panic::install();
    match Config::parse(config_json) {
        Ok(config) => wasm_bindgen_futures::spawn_local(async move {
            if let Err(err) = start(config).await {
                console::error(&err.to_string());
            }
        }),
        Err(err) => console::error(&err.to_string()),
    }
}

/// Does what [`boot`] does and returns the mounted widget, or `None` when the survey has
/// nothing to show for this context.
///
/// # Errors
/// Any [`BootError`].
pub async fn start(mut config: Config) -> BootResult<Option<Widget>> {
    let survey = match config.take_survey()? {
        SurveySource::Url(url) => {
            let json = match http::get_text(&url).await {
                Ok(json) => json,
                Err(source) => return Err(BootError::Fetch { url, source }),
            };
            rapport_survey::load(&json)
        }
        SurveySource::Inline(value) => rapport_survey::load_value(value),
    }
    .map_err(BootError::InvalidSurvey)?;
    if survey.start(&config.context).done {
        return Ok(None);
    }
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or(BootError::NoDocument)?;
    let parent = place(&document, config.target())?;
    let host = document
        .create_element("div")
        .map_err(|err| BootError::Host(describe(&err)))?;
    host.set_attribute("data-rapport-survey", &survey.id)
        .map_err(|err| BootError::Host(describe(&err)))?;
    parent
        .append_child(&host)
        .map_err(|err| BootError::Host(describe(&err)))?;
    let options = Options {
        endpoint: config.endpoint().map(str::to_owned),
        locale: config.locale().map(str::to_owned),
        context: config.context,
        on_response: None,
    };
    match mount(&host, survey, options) {
        Ok(widget) => Ok(Some(widget)),
        Err(err) => {
            host.remove();
            Err(err.into())
        }
    }
}

/// The element to show the survey in: the `target` if given and found, else the body.
fn place(document: &Document, target: Option<&str>) -> BootResult<Element> {
    if let Some(selector) = target {
        match document.query_selector(selector) {
            Ok(Some(element)) => return Ok(element),
            Ok(None) => console::warn(&format!(
                "target `{selector}` matches no element; showing the survey at the end of the page"
            )),
            Err(err) => console::warn(&format!(
                "target `{selector}` is not a valid CSS selector ({}); showing the survey at the end of the page",
                describe(&err)
            )),
        }
    }
    document
        .body()
        .map(Element::from)
        .ok_or(BootError::NoDocument)
}
