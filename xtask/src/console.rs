//! The researcher console (`crates/console`) into `dist/console/`, which the collector serves
//! at `/console/`. It is not part of the shop bundle: nothing a shop page loads refers to it,
//! and the size budget does not count it.
//!
//! Pipeline: `cargo build --profile wasm-release` → `wasm-bindgen --target web` → the page,
//! its stylesheet and start script from `crates/console/static/`. No `wasm-opt` or minifying:
//! the console is loaded by researchers, not on every order-confirmation page, and the
//! collector sends it compressed.

use std::path::Path;

use anyhow::Result;

use crate::dist::{build_wasm, copy_file, recreate_dir, run_wasm_bindgen, step, target_dir};
use crate::tools::Tools;

/// The console's folder inside `dist/`.
pub const DIR: &str = "console";
/// The console package.
const PACKAGE: &str = "rapport-console";
/// The glue's and the module's base name (`console.js`, `console_bg.wasm`).
const OUT_NAME: &str = "console";
/// The files of `crates/console/static/` that are served.
const STATIC: &[&str] = &["index.html", "console.css", "start.js"];

/// Builds the console into `out`.
pub fn build(root: &Path, tools: &Tools, out: &Path) -> Result<()> {
    let wasm = build_wasm(root, PACKAGE)?;
    let staging = target_dir(root).join("rapport-console-dist");
    recreate_dir(&staging)?;
    run_wasm_bindgen(tools, &wasm, &staging, OUT_NAME)?;
    recreate_dir(out)?;
    for name in [format!("{OUT_NAME}.js"), format!("{OUT_NAME}_bg.wasm")] {
        copy_file(&staging.join(&name), &out.join(&name))?;
    }
    let sources = root.join("crates").join("console").join("static");
    for name in STATIC {
        copy_file(&sources.join(name), &out.join(name))?;
    }
    step(&format!("console ready: {}", out.display()));
    Ok(())
}
