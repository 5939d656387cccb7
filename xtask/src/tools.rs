//! Finding the external tools `dist` needs and checking their versions.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The external programs the release build runs.
#[derive(Debug)]
pub struct Tools {
    /// `wasm-bindgen` from `wasm-bindgen-cli`, at the Cargo.lock version.
    pub wasm_bindgen: PathBuf,
    /// `wasm-opt` from binaryen (the npm package in `tools/`, or PATH).
    pub wasm_opt: PathBuf,
    /// `esbuild` (the npm package in `tools/`, or PATH), the JavaScript minifier.
    pub esbuild: PathBuf,
}

impl Tools {
    /// Locates `wasm-bindgen` and `wasm-opt` and checks that `wasm-bindgen`
    /// matches the `wasm-bindgen` library version pinned in `Cargo.lock`.
    pub fn locate(root: &Path) -> Result<Self> {
        let cargo_bin = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .map(|dir| dir.join("bin"));
        let wasm_bindgen =
            find_program("wasm-bindgen", cargo_bin.as_deref()).with_context(|| {
                "`wasm-bindgen` not found on PATH or in ~/.cargo/bin; run scripts/setup.sh \
             (it installs wasm-bindgen-cli at the version in Cargo.lock)"
            })?;
        let node_bin = root.join("tools").join("node_modules").join(".bin");
        let wasm_opt = find_program("wasm-opt", Some(&node_bin)).with_context(|| {
            "`wasm-opt` not found in tools/node_modules/.bin or on PATH; run scripts/setup.sh \
             (it installs the pinned npm package `binaryen` into tools/)"
        })?;
        let esbuild = find_program("esbuild", Some(&node_bin)).with_context(|| {
            "`esbuild` not found in tools/node_modules/.bin or on PATH; run scripts/setup.sh \
             (it installs the pinned npm package `esbuild` into tools/)"
        })?;
        let tools = Self {
            wasm_bindgen,
            wasm_opt,
            esbuild,
        };
        tools.check_wasm_bindgen_version(&root.join("Cargo.lock"))?;
        Ok(tools)
    }

    /// Fails unless `wasm-bindgen --version` equals the locked library version;
    /// a mismatch produces glue that does not fit the compiled module.
    fn check_wasm_bindgen_version(&self, lock_file: &Path) -> Result<()> {
        let locked = locked_version(lock_file, "wasm-bindgen")?;
        let output = command_output(&self.wasm_bindgen, &["--version"])?;
        let installed = output
            .split_whitespace()
            .nth(1)
            .with_context(|| format!("unexpected `wasm-bindgen --version` output: {output:?}"))?;
        if installed != locked {
            bail!(
                "{} is version {installed}, but Cargo.lock pins wasm-bindgen {locked}; \
                 run `cargo install wasm-bindgen-cli --version ={locked}` (or scripts/setup.sh)",
                self.wasm_bindgen.display()
            );
        }
        Ok(())
    }

    /// One-line description of the tools, for the build log.
    pub fn describe(&self) -> String {
        let version = |path: &Path| {
            command_output(path, &["--version"]).unwrap_or_else(|err| format!("unknown ({err})"))
        };
        format!(
            "{} ({}), {} ({}), {} ({})",
            self.wasm_bindgen.display(),
            version(&self.wasm_bindgen),
            self.wasm_opt.display(),
            version(&self.wasm_opt),
            self.esbuild.display(),
            version(&self.esbuild)
        )
    }
}

/// Looks for `name` first in `preferred_dir`, then on PATH.
fn find_program(name: &str, preferred_dir: Option<&Path>) -> Option<PathBuf> {
    let path_dirs = env::var_os("PATH")
        .map(|paths| env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    preferred_dir
        .map(Path::to_path_buf)
        .into_iter()
        .chain(path_dirs)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Runs `program args…` and returns its trimmed standard output.
fn command_output(program: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(program)
        .args(args.iter().map(OsStr::new))
        .output()
        .with_context(|| format!("failed to run {}", program.display()))?;
    if !output.status.success() {
        bail!(
            "{} {} failed: {}",
            program.display(),
            args.join(" "),
            output.status
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The version of package `name` in a `Cargo.lock` file.
///
/// Fails when the package is missing or locked at more than one version.
pub fn locked_version(lock_file: &Path, name: &str) -> Result<String> {
    let text = std::fs::read_to_string(lock_file)
        .with_context(|| format!("failed to read {}", lock_file.display()))?;
    let versions = parse_locked_versions(&text, name);
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("{} has no package named {name:?}", lock_file.display()),
        many => bail!(
            "{} locks {name:?} at several versions ({}); pin one",
            lock_file.display(),
            many.join(", ")
        ),
    }
}

/// All versions of package `name` listed in the text of a `Cargo.lock`.
fn parse_locked_versions(lock_text: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut versions = Vec::new();
    let mut in_wanted_package = false;
    for line in lock_text.lines().map(str::trim) {
        if line == "[[package]]" {
            in_wanted_package = false;
        } else if line.starts_with("name = ") {
            in_wanted_package = line == wanted;
        } else if in_wanted_package {
            if let Some(version) = line
                .strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
            {
                versions.push(version.to_owned());
            }
        }
    }
    versions
}

#[cfg(test)]
mod tests {
    use super::parse_locked_versions;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
"#;

    #[test]
    fn finds_exact_package_version_only() {
        assert_eq!(parse_locked_versions(LOCK, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(
            parse_locked_versions(LOCK, "wasm-bindgen-macro"),
            vec!["0.2.130"]
        );
        assert!(parse_locked_versions(LOCK, "wasm").is_empty());
    }
}
