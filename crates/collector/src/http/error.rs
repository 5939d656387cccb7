//! The one error type of the HTTP boundary. Each variant has a status code and a stable
//! machine code; the JSON body is `{"error": {"code", "message", "problems"}}`. Internal
//! errors are logged and answered with a generic message, never with their details.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_survey::Problem;
use serde_json::json;

use crate::store::StoreError;

/// A `Result` with an [`AppError`].
pub type AppResult<T> = Result<T, AppError>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON of the expected shape (every problem has a JSON path).
    #[error("the request body is not a valid {what}")]
    InvalidBody {
        /// What was expected, e.g. `response`.
        what: &'static str,
        /// Where and what.
        problems: Vec<Problem>,
    },
    /// A response that does not fit the survey version it names.
    #[error("the response does not match survey `{survey_id}` version {version}")]
    InvalidResponse {
        /// The survey.
        survey_id: String,
        /// Its version.
        version: i64,
        /// Every problem.
        problems: Vec<Problem>,
    },
    /// A survey definition that does not validate.
    #[error("the survey definition has {} problem(s)", problems.len())]
    InvalidSurvey {
        /// Every problem.
        problems: Vec<Problem>,
    },
    /// The `Idempotency-Key` header does not name the response posted.
    #[error("the Idempotency-Key header `{header}` does not match the body; send `{expected}`")]
    IdempotencyKeyMismatch {
        /// The header sent.
        header: String,
        /// What it should be.
        expected: String,
    },
    /// No survey with this id is published.
    #[error("there is no published survey `{0}`")]
    UnknownSurvey(String),
    /// The survey exists but not in this version.
    #[error("survey `{survey_id}` has no published version {version}")]
    UnknownSurveyVersion {
        /// The survey.
        survey_id: String,
        /// The version asked for.
        version: i64,
    },
    /// No such route or file.
    #[error("there is nothing at this address")]
    NotFound,
    /// The route exists, but not for this method.
    #[error("this address does not accept this method")]
    MethodNotAllowed,
    /// The body is larger than allowed.
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body could not be read.
    #[error("the request body could not be read")]
    UnreadableBody,
    /// Too many requests from this client.
    #[error("too many requests; retry after {} second(s)", retry_after_secs(*retry_after))]
    RateLimited {
        /// How long to wait.
        retry_after: Duration,
    },
    /// The page's origin may not post to this survey.
    #[error("origin `{origin}` may not post responses to survey `{survey_id}`; add it to the survey's site in the sites file")]
    OriginNotAllowed {
        /// The `Origin` header.
        origin: String,
        /// The survey.
        survey_id: String,
    },
    /// A CORS preflight from an origin no site allows.
    #[error("origin `{0}` is not allowed by any site; add it to a site in the sites file")]
    OriginUnknown(String),
    /// A researcher endpoint without a valid bearer token.
    #[error("this endpoint needs a researcher token: send `Authorization: Bearer <token>` (create one with `rapport-collector token create NAME`)")]
    Unauthorized,
    /// A published version cannot be changed.
    #[error("survey `{survey_id}` version {version} is already published with other content; published versions never change, so publish a new version number")]
    VersionPublished {
        /// The survey.
        survey_id: String,
        /// The version.
        version: i64,
    },
    /// The response id is stored for another survey or version.
    #[error("response `{0}` is already stored for another survey or version; a new response needs a new response_id")]
    ResponseIdConflict(String),
    /// A query parameter is malformed.
    #[error("{0}")]
    InvalidQuery(String),
    /// The request (its body included) took longer than the collector waits.
    #[error("the request took longer than {0:?} to arrive; send it again")]
    RequestTimeout(Duration),
    /// The collector is shutting down.
    #[error("the collector is shutting down; retry shortly")]
    Unavailable,
    /// The database failed (logged; not shown).
    #[error("something went wrong on our side; retry later")]
    Internal(#[source] StoreError),
}

/// Whole seconds to wait, rounded up and at least 1: the `Retry-After` header and the
/// message of a 429 say the same.
fn retry_after_secs(retry_after: Duration) -> u64 {
    let whole = retry_after.as_secs();
    let secs = if retry_after.subsec_nanos() > 0 {
        whole.saturating_add(1)
    } else {
        whole
    };
    secs.max(1)
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::WriterStopped => Self::Unavailable,
            other => Self::Internal(other),
        }
    }
}

impl AppError {
    /// The HTTP status.
    #[must_use]
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::InvalidBody { .. }
            | Self::InvalidResponse { .. }
            | Self::InvalidSurvey { .. }
            | Self::IdempotencyKeyMismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnknownSurvey(_) | Self::UnknownSurveyVersion { .. } | Self::NotFound => {
                StatusCode::NOT_FOUND
            }
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnreadableBody | Self::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::OriginNotAllowed { .. } | Self::OriginUnknown(_) => StatusCode::FORBIDDEN,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::VersionPublished { .. } | Self::ResponseIdConflict(_) => StatusCode::CONFLICT,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidBody { .. } => "invalid_body",
            Self::InvalidResponse { .. } => "invalid_response",
            Self::InvalidSurvey { .. } => "invalid_survey",
            Self::IdempotencyKeyMismatch { .. } => "idempotency_key_mismatch",
            Self::UnknownSurvey(_) => "unknown_survey",
            Self::UnknownSurveyVersion { .. } => "unknown_survey_version",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnreadableBody => "unreadable_body",
            Self::RateLimited { .. } => "rate_limited",
            Self::OriginNotAllowed { .. } | Self::OriginUnknown(_) => "origin_not_allowed",
            Self::Unauthorized => "unauthorized",
            Self::VersionPublished { .. } => "version_published",
            Self::ResponseIdConflict(_) => "response_id_conflict",
            Self::InvalidQuery(_) => "invalid_query",
            Self::RequestTimeout(_) => "request_timeout",
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn problems(&self) -> &[Problem] {
        match self {
            Self::InvalidBody { problems, .. }
            | Self::InvalidResponse { problems, .. }
            | Self::InvalidSurvey { problems } => problems,
            _ => &[],
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        match &self {
            Self::Internal(source) => tracing::error!(error = %source, "internal error"),
            Self::Unavailable => tracing::warn!("request refused during shutdown"),
            _ => tracing::debug!(code = self.code(), error = %self, "request refused"),
        }
        let body = json!({
            "error": {
                "code": self.code(),
                "message": self.to_string(),
                "problems": self.problems(),
            }
        });
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        match &self {
            Self::RateLimited { retry_after } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs(*retry_after)),
                );
            }
            Self::Unavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            Self::Unauthorized => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"rapport\""),
                );
            }
            _ => {}
        }
        response
    }
}
