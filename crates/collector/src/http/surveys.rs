//! Published survey definitions for the widget: latest and by version, with ETags.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{AppError, AppResult};
use crate::registry::PublishedSurvey;
use crate::state::AppState;

/// Caching of the latest version: short, since a new version may be published.
const LATEST_CACHE: &str = "public, max-age=60, must-revalidate";
/// Caching of a fixed version: forever, since published versions never change.
const VERSION_CACHE: &str = "public, max-age=31536000, immutable";

/// `GET /v1/surveys/{survey_id}`: the latest published version.
pub async fn survey_latest(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state
        .latest_survey(&survey_id)
        .await?
        .ok_or(AppError::UnknownSurvey(survey_id))?;
    Ok(definition(&survey, &headers, LATEST_CACHE))
}

/// `GET /v1/surveys/{survey_id}/versions/{version}`: one published version.
pub async fn survey_version(
    State(state): State<AppState>,
    Path((survey_id, version)): Path<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let version = parse_version(&version)?;
    let survey = find_version(&state, &survey_id, version).await?;
    Ok(definition(&survey, &headers, VERSION_CACHE))
}

/// A version number from a path segment.
///
/// # Errors
/// [`AppError::InvalidQuery`] if it is not a positive whole number.
pub fn parse_version(version: &str) -> AppResult<i64> {
    version
        .parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| {
            AppError::InvalidQuery(format!(
                "`{version}` is not a survey version; versions are whole numbers from 1"
            ))
        })
}

/// A published version, or 404 for an unknown survey or version.
///
/// # Errors
/// [`AppError::UnknownSurvey`], [`AppError::UnknownSurveyVersion`], database errors.
pub async fn find_version(
    state: &AppState,
    survey_id: &str,
    version: i64,
) -> AppResult<Arc<PublishedSurvey>> {
    if let Some(survey) = state.survey(survey_id, version).await? {
        return Ok(survey);
    }
    Err(
        if state.store().latest_version(survey_id).await?.is_none() {
            AppError::UnknownSurvey(survey_id.to_owned())
        } else {
            AppError::UnknownSurveyVersion {
                survey_id: survey_id.to_owned(),
                version,
            }
        },
    )
}

/// The definition with its ETag; 304 when the client has it.
fn definition(survey: &PublishedSurvey, headers: &HeaderMap, cache: &'static str) -> Response {
    let etag = HeaderValue::from_str(&survey.etag).ok();
    let fresh = headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|tags| if_none_match_matches(tags, &survey.etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = survey.json.clone().into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    };
    let out = response.headers_mut();
    out.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(etag) = etag {
        out.insert(ETAG, etag);
    }
    response
}

/// Whether an `If-None-Match` value (`*` or a list of tags) matches `etag` by the weak
/// comparison of RFC 9110 §13.1.2: `W/"x"` matches `"x"`, so the client has it.
fn if_none_match_matches(tags: &str, etag: &str) -> bool {
    let opaque = |tag: &str| {
        let tag = tag.trim();
        tag.strip_prefix("W/").unwrap_or(tag).to_owned()
    };
    let etag = opaque(etag);
    tags.trim() == "*" || tags.split(',').any(|tag| opaque(tag) == etag)
}
