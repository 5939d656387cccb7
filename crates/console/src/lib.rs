//! The Rapport researcher console: a web page, served by the collector at `/console/`, to
//! author a survey with inline validation and a live preview in the real widget, publish it as
//! a version, and read the results per relationship type (NPS, CSAT, CES, every question's
//! answers, the free-text answers) with charts and exports.
//!
//! It talks to the collector's researcher API with the researcher's bearer token; it is never
//! part of what a shop page loads.

#![warn(missing_docs)]

pub mod api;
pub mod browser;
pub mod components;
pub mod draft;
pub mod error;
pub mod locate;
pub mod preview;
pub mod results;
pub mod surveys;

/// Starts the console in the page's `#console` element (or `<body>` without one).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("console"));
    match root {
        Some(root) => {
            yew::Renderer::<components::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<components::App>::new().render();
        }
    }
}
