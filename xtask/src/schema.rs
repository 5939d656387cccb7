//! `cargo xtask schema`: writes the published JSON Schemas in `schema/`.
//!
//! The schemas are generated from the Rust types in `rapport-survey`; the model's test
//! `published_schemas_are_current` fails when the committed files are stale.

use std::path::Path;

use anyhow::{Context, Result};

/// Folder of the published schemas, relative to the workspace root.
pub const SCHEMA_DIR: &str = "schema";

/// Writes the schemas into `schema/`.
pub fn run(root: &Path) -> Result<()> {
    let dir = root.join(SCHEMA_DIR);
    rapport_survey::schema::write_schemas(&dir)
        .with_context(|| format!("failed to write schemas into {}", dir.display()))?;
    for (name, _) in rapport_survey::schema::schemas() {
        println!("[xtask] wrote {}", dir.join(name).display());
    }
    Ok(())
}
