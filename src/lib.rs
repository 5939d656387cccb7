//! Rapport, the browser widget: a post-purchase reassurance and satisfaction survey that adapts
//! to the customer's relationship type, rendered with yew inside a Shadow DOM on a shop's page.
//!
//! Entry points:
//! - [`api`], called by the loader (`loader/rapport.js`) for the page's `window.rapport`:
//!   the command queue, `rapport.show({...})`, `rapport.close()`. It never throws into the
//!   page; every failure is one `console.error` that starts with `[rapport]`.
//! - [`boot`], the same from a JSON configuration, without callbacks.
//! - [`mount`], for Rust callers (and the browser tests): renders a valid survey into a host
//!   element you choose.
//!
//! The survey logic lives in the model crate [`rapport_survey`]; this crate only shows it
//! ([`components`]), adapts its engine to yew ([`state`]) and talks to the browser.

#![warn(missing_docs)]

/// The allocator of the shop bundle: talc instead of std's dlmalloc, for a smaller module
/// (−3.0 KB gzip). Single-threaded wasm (no `atomics`), as wasm-bindgen builds it.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod api;
mod app;
pub mod boot;
pub mod callbacks;
pub mod components;
pub mod config;
pub mod console;
pub mod delivery;
pub mod display;
pub mod error;
pub mod frequency;
pub mod http;
pub mod i18n;
pub mod json;
pub mod locale;
mod locate;
pub mod mount;
pub mod number;
pub mod panic;
pub mod session;
pub mod state;
pub mod theme;
pub mod trigger;
pub mod view;

pub use boot::boot;
pub use config::{Config, Mode, Trigger};
pub use error::{BootError, MountError};
pub use mount::{mount, Options, ResponseCallback, StepInfo, Widget};
