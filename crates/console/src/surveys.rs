//! The published surveys (`GET /v1/surveys`), as the editor and the results list them.

use serde::Deserialize;

/// Every survey with its versions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SurveyList {
    /// The surveys, by id.
    pub surveys: Vec<SurveyEntry>,
}

/// One published survey.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SurveyEntry {
    /// Its id.
    pub id: String,
    /// Its latest version.
    pub latest: Option<i64>,
    /// Every version, oldest first.
    pub versions: Vec<VersionEntry>,
}

/// One published version.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VersionEntry {
    /// The version number.
    pub version: i64,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// The researcher route listing them.
pub const PATH: &str = "/v1/surveys";

/// The public route of one version's definition.
#[must_use]
pub fn version_path(id: &str, version: i64) -> String {
    format!("/v1/surveys/{}/versions/{version}", encode(id))
}

/// The results route of one version.
#[must_use]
pub fn results_path(id: &str, version: i64) -> String {
    format!("{}/results", version_path(id, version))
}

/// An export route: `format` is `csv` or `jsonl`, `dialect` one of the CSV dialects.
#[must_use]
pub fn export_path(id: &str, version: i64, format: &str, dialect: Option<&str>) -> String {
    let mut path = format!(
        "/v1/surveys/{}/export.{format}?version={version}",
        encode(id)
    );
    if let Some(dialect) = dialect {
        path.push_str("&dialect=");
        path.push_str(dialect);
    }
    path
}

/// `id` for a URL path. Survey ids are `a-z 0-9 _ -` (the validator's rule), so this only
/// guards against an id that is not.
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_the_survey_and_version() {
        assert_eq!(
            results_path("post-purchase", 3),
            "/v1/surveys/post-purchase/versions/3/results"
        );
        assert_eq!(
            export_path("post-purchase", 2, "csv", Some("excel-de")),
            "/v1/surveys/post-purchase/export.csv?version=2&dialect=excel-de"
        );
        assert_eq!(version_path("a/b", 1), "/v1/surveys/a%2Fb/versions/1");
    }

    #[test]
    fn the_list_reads_the_collectors_answer() -> Result<(), serde_json::Error> {
        let list: SurveyList = serde_json::from_str(
            r#"{"surveys":[{"id":"s","latest":2,"versions":[
              {"version":1,"etag":"\"a\"","published_at":"2026-12-01T10:00:00Z"},
              {"version":2,"etag":"\"b\"","published_at":"2026-12-02T10:00:00Z"}]}]}"#,
        )?;
        assert_eq!(list.surveys[0].latest, Some(2));
        assert_eq!(list.surveys[0].versions[1].version, 2);
        Ok(())
    }
}
