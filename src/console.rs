//! Messages for the shop developer in the browser console, each starting with [`PREFIX`].
//!
//! Outside the browser (native unit tests) the messages go to standard error instead.

/// The start of every message the widget writes to the console.
pub const PREFIX: &str = "[rapport]";

/// Logs one error: `[rapport] {message}`.
pub fn error(message: &str) {
    write(Level::Error, message);
}

/// Logs one warning: `[rapport] {message}`.
pub fn warn(message: &str) {
    write(Level::Warn, message);
}

/// Logs one note for the shop developer, e.g. why a survey is not shown: `[rapport] {message}`.
pub fn info(message: &str) {
    write(Level::Info, message);
}

enum Level {
    Error,
    Warn,
    Info,
}

#[cfg(target_arch = "wasm32")]
fn write(level: Level, message: &str) {
    let line = wasm_bindgen::JsValue::from_str(&format!("{PREFIX} {message}"));
    match level {
        Level::Error => web_sys::console::error_1(&line),
        Level::Warn => web_sys::console::warn_1(&line),
        Level::Info => web_sys::console::info_1(&line),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn write(level: Level, message: &str) {
    let level = match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "info",
    };
    eprintln!("{PREFIX} {level}: {message}");
}
