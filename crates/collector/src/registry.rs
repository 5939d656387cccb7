//! Published survey versions in memory: validated once, served and used to check responses
//! without a database round trip. The database is the source of truth; a version another
//! instance published is loaded on first use.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use rapport_survey::{Problem, ProblemCode, Survey, ValidSurvey};
use sha2::{Digest, Sha256};

use crate::store::StoredSurvey;

/// Loads a definition to publish: [`rapport_survey::load`], but without its `$schema`.
///
/// `$schema` only points the author's editor at the JSON Schema — often by a path relative to
/// their checkout — and has no effect on the survey. So it is no part of what is published:
/// not stored, not served (it would show the author's local path), not hashed into the ETag
/// and not compared, so the same definition with another `$schema`, or none, is the same
/// version.
///
/// # Errors
/// Every problem, as [`rapport_survey::load`] (a `$schema` that is not a string is one).
pub fn load_definition(text: &str) -> Result<ValidSurvey, Vec<Problem>> {
    let mut survey = read_definition(text)?;
    survey.schema = None;
    rapport_survey::validate(survey)
}

/// The definition's structure (as [`rapport_survey::read_value`]), `$schema` still in it.
fn read_definition(text: &str) -> Result<Survey, Vec<Problem>> {
    rapport_survey::read_value(rapport_survey::parse(text)?)
}

/// Whether two stored definitions are the same version's content: equal, or equal but for
/// `$schema` (rows published before it was left out kept it).
#[must_use]
pub fn same_content(stored: &str, published: &str) -> bool {
    if stored == published {
        return true;
    }
    let without_schema = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
        value.as_object_mut()?.remove("$schema");
        Some(value)
    };
    match (without_schema(stored), without_schema(published)) {
        (Some(stored), Some(published)) => stored == published,
        _ => false,
    }
}

/// A published, validated survey version.
#[derive(Debug)]
pub struct PublishedSurvey {
    /// The validated definition.
    pub survey: ValidSurvey,
    /// Its canonical JSON, as served.
    pub json: Bytes,
    /// Strong ETag of `json`.
    pub etag: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

impl PublishedSurvey {
    /// Wraps a validated survey, computing its canonical JSON and ETag (`$schema` is left out
    /// of both; see [`load_definition`]).
    ///
    /// # Errors
    /// The survey cannot be serialized (never for a validated survey).
    pub fn new(survey: ValidSurvey, published_at: String) -> Result<Self, serde_json::Error> {
        let json = if survey.schema.is_some() {
            let mut definition = survey.survey().clone();
            definition.schema = None;
            serde_json::to_vec(&definition)?
        } else {
            serde_json::to_vec(survey.survey())?
        };
        let etag = format!("\"sha256-{}\"", hex::encode(Sha256::digest(&json)));
        Ok(Self {
            survey,
            json: Bytes::from(json),
            etag,
            published_at,
        })
    }

    /// Validates a stored version. A row stored with a `$schema` (published before it was left
    /// out) is served without it, with the ETag of what is served.
    ///
    /// # Errors
    /// Every problem, if the stored definition no longer validates (a newer model version
    /// with stricter rules).
    pub fn from_stored(stored: &StoredSurvey) -> Result<Self, Vec<Problem>> {
        let mut definition = read_definition(&stored.definition)?;
        if definition.schema.take().is_some() {
            let survey = rapport_survey::validate(definition)?;
            return Self::new(survey, stored.published_at.clone())
                .map_err(|err| vec![Problem::new("$", ProblemCode::Structure, err.to_string())]);
        }
        let survey = rapport_survey::validate(definition)?;
        Ok(Self {
            survey,
            json: Bytes::from(stored.definition.clone()),
            etag: stored.etag.clone(),
            published_at: stored.published_at.clone(),
        })
    }

    /// The row to store.
    #[must_use]
    pub fn to_stored(&self) -> StoredSurvey {
        StoredSurvey {
            survey_id: self.survey.id.clone(),
            version: self.survey.version,
            definition: String::from_utf8_lossy(&self.json).into_owned(),
            etag: self.etag.clone(),
            published_at: self.published_at.clone(),
        }
    }
}

/// One version in a listing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionInfo {
    /// The version.
    pub version: i64,
    /// Its ETag.
    pub etag: String,
    /// When it was published.
    pub published_at: String,
}

/// The published versions by survey id and version.
#[derive(Debug, Default)]
pub struct Registry {
    surveys: RwLock<HashMap<String, BTreeMap<i64, Arc<PublishedSurvey>>>>,
}

impl Registry {
    /// Adds a version (replacing nothing that is there: versions are immutable).
    pub fn insert(&self, survey: PublishedSurvey) -> Arc<PublishedSurvey> {
        let mut surveys = self
            .surveys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let versions = surveys.entry(survey.survey.id.clone()).or_default();
        Arc::clone(
            versions
                .entry(survey.survey.version)
                .or_insert_with(|| Arc::new(survey)),
        )
    }

    /// One version, if loaded.
    #[must_use]
    pub fn get(&self, survey_id: &str, version: i64) -> Option<Arc<PublishedSurvey>> {
        self.read()
            .get(survey_id)
            .and_then(|versions| versions.get(&version))
            .cloned()
    }

    /// Every loaded version of a survey, oldest first.
    #[must_use]
    pub fn versions(&self, survey_id: &str) -> Vec<Arc<PublishedSurvey>> {
        self.read()
            .get(survey_id)
            .map(|versions| versions.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Every loaded survey id with its versions.
    #[must_use]
    pub fn list(&self) -> BTreeMap<String, Vec<VersionInfo>> {
        self.read()
            .iter()
            .map(|(id, versions)| {
                let infos = versions
                    .values()
                    .map(|s| VersionInfo {
                        version: s.survey.version,
                        etag: s.etag.clone(),
                        published_at: s.published_at.clone(),
                    })
                    .collect();
                (id.clone(), infos)
            })
            .collect()
    }

    fn read(
        &self,
    ) -> std::sync::RwLockReadGuard<'_, HashMap<String, BTreeMap<i64, Arc<PublishedSurvey>>>> {
        self.surveys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
