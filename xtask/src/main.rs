//! Rapport's build and development tasks, run as `cargo xtask <command>`.
//!
//! * `cargo xtask dist` builds the widget for `wasm32-unknown-unknown`, runs
//!   `wasm-bindgen` and `wasm-opt`, and writes a deployable `dist/` folder.
//! * `cargo xtask schema` writes the JSON Schemas in `schema/`.

mod compress;
mod console;
mod dist;
mod schema;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// Command line of `cargo xtask`.
#[derive(Debug, Parser)]
#[command(name = "xtask", about = "Rapport build and development tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The available tasks.
#[derive(Debug, Subcommand)]
enum Command {
    /// Build the release widget into `dist/` (wasm-bindgen + wasm-opt, hashed file names).
    Dist,
    /// Write the JSON Schemas generated from the survey model into `schema/`.
    Schema,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the whole context chain on one line, without a backtrace.
            eprintln!("[xtask] error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the chosen task.
fn run(cli: Cli) -> Result<()> {
    let root = workspace_root()?;
    match cli.command {
        Command::Dist => dist::run(&root).map(|_| ()),
        Command::Schema => schema::run(&root),
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("xtask must live one level below the workspace root")
}
