//! Rapport, the browser widget: a post-purchase reassurance and satisfaction survey that adapts
//! to the customer's relationship type, rendered with yew inside a Shadow DOM on a shop's page.
//!
//! Two entry points:
//! - [`boot`], called by the loader (`loader/rapport.js`) with the JSON configuration from the
//!   embed snippet. It never throws into the page; every failure is one `console.error` that
//!   starts with `[rapport]`.
//! - [`mount`], for Rust callers (and the browser tests): renders a valid survey into a host
//!   element you choose.
//!
//! The survey logic lives in the model crate [`rapport_survey`]; this crate only shows it
//! ([`components`]), adapts its engine to yew ([`state`]) and talks to the browser.

#![warn(missing_docs)]

mod app;
pub mod boot;
pub mod components;
pub mod config;
pub mod console;
pub mod delivery;
pub mod error;
pub mod http;
pub mod i18n;
pub mod locale;
pub mod mount;
pub mod panic;
pub mod session;
pub mod state;
pub mod view;

pub use boot::boot;
pub use config::Config;
pub use error::{BootError, MountError};
pub use mount::{mount, Options, ResponseCallback, Widget};
