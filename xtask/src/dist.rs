//! `cargo xtask dist`: the release build of the widget into `dist/`.
//!
//! Pipeline: `cargo build --profile wasm-release` → `wasm-bindgen --target web`
//! → `wasm-opt -Os` → `esbuild --minify` of the glue → content-hashed file names → the stable loader
//! `rapport.js` (from `loader/rapport.js`, minified) → demo page and surveys → `.gz` and `.br`
//! siblings of every text and wasm file ([`crate::compress`]).

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::tools::Tools;

/// Output folder, relative to the workspace root.
pub const DIST_DIR: &str = "dist";
/// The widget package and library name.
const WIDGET: &str = "rapport";
/// Compilation target of the widget.
const TARGET: &str = "wasm32-unknown-unknown";
/// Size-optimised cargo profile defined in the root Cargo.toml.
const PROFILE: &str = "wasm-release";
/// Placeholder in `loader/rapport.js` for the hashed glue module file name.
const GLUE_PLACEHOLDER: &str = "__GLUE__";
/// Placeholder in `loader/rapport.js` for the hashed wasm file name.
const WASM_PLACEHOLDER: &str = "__WASM__";
/// WebAssembly features rustc enables by default for `wasm32-unknown-unknown`
/// (`rustc --print cfg --target wasm32-unknown-unknown`). wasm-bindgen drops the
/// module's `target_features` section, so `wasm-opt` must be told explicitly;
/// enabling more would let it emit instructions older browsers reject.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];
/// Number of hex digits of the content hash kept in file names.
const HASH_LEN: usize = 10;

/// Builds `dist/` and returns its path.
pub fn run(root: &Path) -> Result<PathBuf> {
    let tools = Tools::locate(root)?;
    step(&format!("tools: {}", tools.describe()));

    let wasm = build_wasm(root, WIDGET)?;
    let staging = target_dir(root).join("rapport-dist");
    recreate_dir(&staging)?;
    run_wasm_bindgen(&tools, &wasm, &staging, WIDGET)?;
    let optimized = staging.join("rapport_bg.opt.wasm");
    run_wasm_opt(&tools, &staging.join("rapport_bg.wasm"), &optimized)?;

    let dist = root.join(DIST_DIR);
    recreate_dir(&dist)?;
    let glue = staging.join("rapport.min.js");
    minify(&tools, &staging.join("rapport.js"), &glue, Some("esm"))?;
    let (glue_name, wasm_name) = write_hashed(&glue, &optimized, &dist)?;
    let loader = staging.join("loader.js");
    write_loader(root, &loader, &glue_name, &wasm_name)?;
    minify(&tools, &loader, &dist.join("rapport.js"), None)?;
    copy_site(root, &dist)?;
    crate::console::build(root, &tools, &dist.join(crate::console::DIR))?;
    print_sizes(&dist, &["rapport.js", &glue_name, &wasm_name])?;
    let siblings = crate::compress::precompress(&dist)?;
    step(&format!("precompressed: {siblings} .gz/.br siblings"));
    step(&format!("dist ready: {}", dist.display()));
    Ok(dist)
}

/// Prints one progress line.
pub(crate) fn step(message: &str) {
    println!("[xtask] {message}");
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// Runs a command, echoing it first, and fails on a non-zero exit.
pub(crate) fn run_command(command: &mut Command) -> Result<()> {
    step(&format!("$ {command:?}"));
    let status = command
        .status()
        .with_context(|| format!("failed to start {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{:?} failed: {status}", command.get_program());
    }
    Ok(())
}

/// Compiles `package` (the widget, the console) with the `wasm-release` profile and returns
/// the `.wasm` path.
pub(crate) fn build_wasm(root: &Path, package: &str) -> Result<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    run_command(
        Command::new(cargo)
            .current_dir(root)
            .args(["build", "-p", package, "--lib", "--target", TARGET])
            .args(["--profile", PROFILE]),
    )?;
    let wasm = target_dir(root)
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{}.wasm", package.replace('-', "_")));
    if !wasm.is_file() {
        bail!("cargo build succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}

/// Generates the ES-module glue (`{out_name}.js`) and `{out_name}_bg.wasm` in `out_dir`.
pub(crate) fn run_wasm_bindgen(
    tools: &Tools,
    wasm: &Path,
    out_dir: &Path,
    out_name: &str,
) -> Result<()> {
    run_command(
        Command::new(&tools.wasm_bindgen)
            .args(["--target", "web", "--no-typescript", "--out-name", out_name])
            .arg("--out-dir")
            .arg(out_dir)
            .arg(wasm),
    )
}

/// Shrinks the wasm module with `wasm-opt`. What is shipped is gzip bytes, and for those
/// (measured 2026-11-25 on this module) `-Os` beats `-Oz` by 0.9 KB: `-Oz` makes the raw
/// module smaller but less compressible. `--converge` repeats the passes until nothing
/// shrinks (−0.6 KB). `--low-memory-unused` lets it fold address arithmetic into load and
/// store offsets (−1.2 KB): true of Rust's wasm32 layout, whose stack grows down from 1 MiB
/// towards 0 and whose data begins at 1 MiB, so the lowest 1 KiB is only reached after a
/// stack overflow.
fn run_wasm_opt(tools: &Tools, input: &Path, output: &Path) -> Result<()> {
    run_command(
        Command::new(&tools.wasm_opt)
            .args(["-Os", "--converge", "--low-memory-unused"])
            .args(["--strip-debug", "--strip-producers"])
            .args(WASM_OPT_FEATURES)
            .arg(input)
            .arg("-o")
            .arg(output),
    )
}

/// Minifies a JavaScript file with esbuild: the wasm-bindgen glue (an ES module) and the
/// loader (a classic script). Comments go; a one-line banner names the product and licence.
fn minify(tools: &Tools, input: &Path, output: &Path, format: Option<&str>) -> Result<()> {
    let mut command = Command::new(&tools.esbuild);
    command
        .arg(input)
        .args([
            "--minify",
            "--target=es2017",
            "--legal-comments=none",
            "--log-level=warning",
        ])
        .arg("--banner:js=/*! Rapport survey widget · MIT licence */")
        .arg(format!("--outfile={}", output.display()));
    if let Some(format) = format {
        command.arg(format!("--format={format}"));
    }
    run_command(&mut command)
}

/// Short hex digest of `bytes`, for cache-busting file names.
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<String>()
        .chars()
        .take(HASH_LEN)
        .collect()
}

/// Writes the wasm module and the glue under content-hashed names into `dist`
/// and returns `(glue_name, wasm_name)`.
///
/// The glue's default wasm file name is rewritten to the hashed one, so the glue
/// hash changes whenever the wasm does.
fn write_hashed(glue: &Path, wasm: &Path, dist: &Path) -> Result<(String, String)> {
    let wasm_bytes = read(wasm)?;
    let wasm_name = format!("rapport_bg-{}.wasm", short_hash(&wasm_bytes));
    write(&dist.join(&wasm_name), &wasm_bytes)?;

    let glue_text = String::from_utf8(read(glue)?).context("wasm-bindgen glue is not UTF-8")?;
    let glue_text = glue_text.replace("rapport_bg.wasm", &wasm_name);
    let glue_name = format!("rapport-{}.js", short_hash(glue_text.as_bytes()));
    write(&dist.join(&glue_name), glue_text.as_bytes())?;
    Ok((glue_name, wasm_name))
}

/// Writes the loader (`output`, later minified to `dist/rapport.js`) from the template
/// `loader/rapport.js`.
fn write_loader(root: &Path, output: &Path, glue_name: &str, wasm_name: &str) -> Result<()> {
    let template_path = root.join("loader").join("rapport.js");
    let template = fs::read_to_string(&template_path)
        .with_context(|| format!("failed to read {}", template_path.display()))?;
    for placeholder in [GLUE_PLACEHOLDER, WASM_PLACEHOLDER] {
        if !template.contains(placeholder) {
            bail!(
                "{} lacks the placeholder {placeholder}",
                template_path.display()
            );
        }
    }
    let loader = template
        .replace(GLUE_PLACEHOLDER, glue_name)
        .replace(WASM_PLACEHOLDER, wasm_name);
    write(output, loader.as_bytes())
}

/// Copies the demo page (`index.html`, `demo/*`) and `surveys/*.json` into `dist`.
fn copy_site(root: &Path, dist: &Path) -> Result<()> {
    copy_file(&root.join("index.html"), &dist.join("index.html"))?;
    for file in files_in(&root.join("demo"), |_| true)? {
        copy_file(&file, &dist.join(file_name(&file)?))?;
    }
    let surveys = files_in(&root.join("surveys"), |path| {
        path.extension().is_some_and(|ext| ext == "json")
    })?;
    if surveys.is_empty() {
        step("warning: no surveys/*.json to copy; the demo page will not find its survey");
    }
    let survey_dir = dist.join("surveys");
    fs::create_dir_all(&survey_dir)
        .with_context(|| format!("failed to create {}", survey_dir.display()))?;
    for file in surveys {
        copy_file(&file, &survey_dir.join(file_name(&file)?))?;
    }
    Ok(())
}

/// The regular files directly inside `dir` accepted by `keep`, sorted; empty if `dir` is absent.
fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("failed to list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() && keep(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The final component of `path`.
fn file_name(path: &Path) -> Result<&std::ffi::OsStr> {
    path.file_name()
        .with_context(|| format!("{} has no file name", path.display()))
}

/// Prints raw and gzip sizes of every file in `dist`, and the widget's total.
fn print_sizes(dist: &Path, widget_files: &[&str]) -> Result<()> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    println!("{:<44} {:>10} {:>10}", "dist file", "bytes", "gzip");
    let (mut widget_raw, mut widget_gz) = (0, 0);
    for file in files {
        let bytes = read(&file)?;
        let gz = gzip_len(&bytes)?;
        let relative = file.strip_prefix(dist).unwrap_or(&file);
        println!("{:<44} {:>10} {:>10}", relative.display(), bytes.len(), gz);
        if widget_files.iter().any(|name| relative == Path::new(name)) {
            widget_raw += bytes.len();
            widget_gz += gz;
        }
    }
    println!(
        "{:<44} {widget_raw:>10} {widget_gz:>10}",
        "widget total (loader+glue+wasm)"
    );
    Ok(())
}

/// Appends every regular file below `dir` (recursively) to `out`.
pub(crate) fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("failed to list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Size of `bytes` after gzip at the best compression level.
fn gzip_len(bytes: &[u8]) -> Result<usize> {
    Ok(crate::compress::gzip(bytes)?.len())
}

/// Deletes `dir` if present and creates it empty.
pub(crate) fn recreate_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("failed to remove {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))
}

/// Reads a whole file, naming it on failure.
fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("failed to read {}", path.display()))
}

/// Writes a whole file, naming it on failure.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("failed to write {}", path.display()))
}

/// Copies one file, naming both ends on failure.
pub(crate) fn copy_file(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("failed to copy {} to {}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::{gzip_len, short_hash, HASH_LEN};

    #[test]
    fn hash_is_short_stable_hex() {
        let hash = short_hash(b"rapport");
        assert_eq!(hash.len(), HASH_LEN);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash, short_hash(b"rapport"));
        assert_ne!(hash, short_hash(b"rapport!"));
    }

    #[test]
    fn gzip_shrinks_repetitive_input() -> anyhow::Result<()> {
        let input = vec![b'a'; 10_000];
        assert!(gzip_len(&input)? < 100);
        Ok(())
    }
}
