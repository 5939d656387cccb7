//! The published JSON Schemas, generated from the Rust types.

use std::path::Path;

use crate::definition::Survey;
use crate::response::Response;

/// Leaves out schemars' `format` of numbers (`int64`, `uint32`, `double`): annotations no
/// validator knows, which a strict one (ajv's default) refuses to compile.
fn without_number_formats(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut() {
        let numeric = |t: &serde_json::Value| matches!(t.as_str(), Some("integer" | "number"));
        let is_number = object.get("type").is_some_and(|t| match t {
            serde_json::Value::Array(types) => types.iter().any(numeric),
            one => numeric(one),
        });
        if is_number {
            object.remove("format");
        }
    }
    schemars::transform::transform_subschemas(&mut without_number_formats, schema);
}

/// File names and contents of the published schemas.
#[must_use]
pub fn schemas() -> Vec<(&'static str, String)> {
    let generator = || {
        schemars::generate::SchemaSettings::draft2020_12()
            .with_transform(without_number_formats)
            .into_generator()
    };
    let survey = generator().into_root_schema_for::<Survey>();
    let response = generator().into_root_schema_for::<Response>();
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
