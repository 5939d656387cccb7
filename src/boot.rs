//! [`boot`]: starts the widget from a JSON configuration (the form the first loader used;
//! the loader now calls [`crate::api`]).

use wasm_bindgen::prelude::wasm_bindgen;

use crate::callbacks::Callbacks;
use crate::config::Config;
use crate::console;
use crate::display;
use crate::panic;

/// Shows a survey from its JSON configuration (see [`Config`]) without callbacks: fetches
/// the survey (or takes the inline one), validates it and shows it.
///
/// Never throws into the page: every failure is one `console.error` starting with
/// `[rapport]`; an invalid survey lists all its problems, one `path: message` a line, and
/// nothing is shown.
#[wasm_bindgen]
pub fn boot(config_json: &str) {
    panic::install();
    crate::delivery::start();
    if panic::is_dead() {
        return;
    }
    match Config::parse(config_json) {
        Ok(config) => display::show(config, Callbacks::default()),
        Err(err) => console::error(&err.to_string()),
    }
}
