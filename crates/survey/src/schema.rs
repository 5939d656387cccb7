//! The published JSON Schemas, generated from the Rust types.

use std::path::Path;

use crate::definition::Survey;
use crate::response::Response;

/// File names and contents of the published schemas.
#[must_use]
pub fn schemas() -> Vec<(&'static str, String)> {
    let survey = schemars::schema_for!(Survey);
    let response = schemars::schema_for!(Response);
    [
        ("survey.schema.json", survey),
        ("response.schema.json", response),
    ]
    .into_iter()
    .map(|(name, schema)| {
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        (name, text + "\n")
    })
    .collect()
}

/// Writes the schemas into `dir`.
///
/// # Errors
/// When a file cannot be written.
pub fn write_schemas(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in schemas() {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}
