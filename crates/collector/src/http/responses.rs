//! `POST /v1/responses`: receive, check and durably store one response post.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use rapport_survey::{Problem, ProblemCode, Purchase, Response, Status};
use serde::Serialize;

use super::cors::{is_same_origin, origin};
use super::surveys::find_version;
use super::{AppError, AppResult, ClientIp};
use crate::signing;
use crate::state::AppState;
use crate::store::{NewResponse, SaveOutcome};
use crate::tokens;

/// The acknowledgement of a stored (or already stored) post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ack {
    /// The response id.
    pub response_id: String,
    /// The sequence of this post.
    pub sequence: u32,
    /// What happened: `created`, `updated`, `duplicate` or `stale`.
    pub outcome: SaveOutcome,
    /// Whether the context was verified by a signed link.
    pub context_verified: bool,
}

/// `POST /v1/responses`: 201 for a new response, 200 for a replaced, repeated or older post
/// (all acknowledged — nothing to retry), each only after the commit.
pub async fn responses_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<(StatusCode, Json<Ack>)> {
    if let (Some(limiter), Some(client)) = (state.limiter(), client) {
        limiter
            .check(client, Instant::now())
            .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge {
                limit: state.settings().max_body_bytes,
            }
        } else {
            AppError::UnreadableBody
        }
    })?;
    let response = parse(&body)?;
    if let Some(key) = headers.get("idempotency-key") {
        let expected = format!("{}:{}", response.response_id, response.sequence);
        if key.as_bytes() != expected.as_bytes() {
            return Err(AppError::IdempotencyKeyMismatch {
                header: String::from_utf8_lossy(key.as_bytes()).into_owned(),
                expected,
            });
        }
    }
    let (survey_id, version) = (response.survey_id.clone(), response.survey_version);
    let survey = find_version(&state, &survey_id, version).await?;
    if let Some(origin) = origin(&headers) {
        if !is_same_origin(&state, origin, &headers) && !state.sites().allows(&survey_id, origin) {
            return Err(AppError::OriginNotAllowed {
                origin: origin.to_owned(),
                survey_id,
            });
        }
    }
    let problems = survey.survey.check_response(&response);
    if !problems.is_empty() {
        return Err(AppError::InvalidResponse {
            survey_id,
            version,
            problems,
        });
    }
    let context_verified = verified(&state, &response, query.as_deref()).await?;
    let new = to_row(&response, context_verified);
    let outcome = state.writer().save(new).await?;
    let status = match outcome {
        SaveOutcome::Created => StatusCode::CREATED,
        SaveOutcome::Updated | SaveOutcome::Duplicate | SaveOutcome::Stale => StatusCode::OK,
        SaveOutcome::Conflict => {
            return Err(AppError::ResponseIdConflict(response.response_id));
        }
    };
    Ok((
        status,
        Json(Ack {
            response_id: response.response_id,
            sequence: response.sequence,
            outcome,
            context_verified,
        }),
    ))
}

/// Parses the payload; every error is located by its JSON path.
fn parse(body: &[u8]) -> AppResult<Response> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed: Result<Response, _> = serde_path_to_error::deserialize(&mut deserializer);
    let invalid = |problem: Problem| AppError::InvalidBody {
        what: "response",
        problems: vec![problem],
    };
    let response = parsed.map_err(|err| {
        let inner = err.inner();
        let (code, path) = if inner.is_syntax() || inner.is_eof() {
            (ProblemCode::Syntax, "$".to_owned())
        } else {
            (ProblemCode::Structure, crate::json_path(err.path()))
        };
        invalid(Problem::new(
            path,
            code,
            rapport_survey::load::plain(&inner.to_string()),
        ))
    })?;
    deserializer.end().map_err(|err| {
        invalid(Problem::new(
            "$",
            ProblemCode::Syntax,
            format!("trailing characters after the JSON value: {err}"),
        ))
    })?;
    Ok(response)
}

/// Whether the post came from a valid signed link (`?ctx=<the link's query>`) whose context
/// is exactly the response's, and the link verifies no other response: the first response
/// posted with a link claims it (its later posts keep it), so that one emailed link cannot
/// vouch for any number of responses.
///
/// # Errors
/// The database cannot record the claim (the widget posts again).
async fn verified(state: &AppState, response: &Response, query: Option<&str>) -> AppResult<bool> {
    let Some(sig) = signed_by_link(state, response, query) else {
        return Ok(false);
    };
    let link = tokens::hash(&sig.to_ascii_lowercase());
    let owner = state
        .store()
        .claim_link(&link, &response.response_id, &crate::now_rfc3339())
        .await?;
    if !owner {
        tracing::info!(response_id = %response.response_id, "response from a survey link that already verified another response; stored as unverified");
    }
    Ok(owner)
}

/// The signature of the valid signed link the post came from, when its context is the
/// response's.
fn signed_by_link(state: &AppState, response: &Response, query: Option<&str>) -> Option<String> {
    let link_query = query.and_then(|query| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "ctx")
            .map(|(_, value)| value.into_owned())
    })?;
    let secret = state
        .sites()
        .site_of(&response.survey_id)
        .and_then(|site| site.signing_secret.as_deref())?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match signing::verify(
        secret,
        &response.survey_id,
        &link_query,
        now,
        signing::ANSWER_GRACE_SECS,
    ) {
        Ok(signed) => {
            if !signed.matches(response) {
                tracing::info!(response_id = %response.response_id, "response from a valid survey link with another context than the signed one; stored as unverified");
                return None;
            }
            signing::split_signature(&link_query).map(|(_, sig)| sig.to_owned())
        }
        Err(err) => {
            tracing::info!(error = %err, response_id = %response.response_id, "response from an invalid survey link; stored as unverified");
            None
        }
    }
}

/// The row for a checked response.
fn to_row(response: &Response, context_verified: bool) -> NewResponse {
    NewResponse {
        response_id: response.response_id.clone(),
        survey_id: response.survey_id.clone(),
        survey_version: response.survey_version,
        sequence: i64::from(response.sequence),
        status: status_id(response.status).to_owned(),
        relationship_type: response.relationship.type_id.clone(),
        relationship_source: response.relationship.source.id().to_owned(),
        price_band: response.price_band.clone(),
        purchase: response.purchase.map(|p| purchase_id(p).to_owned()),
        context_verified,
        received_at: crate::now_rfc3339(),
        // A checked `Response` always serializes; fall back to an empty object just in case.
        payload: serde_json::to_string(response).unwrap_or_else(|_| "{}".to_owned()),
    }
}

/// The JSON id of a status.
fn status_id(status: Status) -> &'static str {
    match status {
        Status::Partial => "partial",
        Status::Complete => "complete",
    }
}

/// The JSON id of first/repeat purchase.
fn purchase_id(purchase: Purchase) -> &'static str {
    match purchase {
        Purchase::First => "first",
        Purchase::Repeat => "repeat",
    }
}
