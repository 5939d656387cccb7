//! What can go wrong between the console and the collector.

use crate::api::RemoteProblem;

/// What the sign-in page says after a route refused the token (it was revoked meanwhile).
pub const TOKEN_REFUSED: &str = "The collector no longer accepts your token; sign in again.";

/// Why a request to the collector did not give what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// There is no `window` (not a browser page).
    #[error("there is no window to make the request from")]
    NoWindow,
    /// The token has characters a header cannot carry.
    #[error("the token has characters an HTTP header cannot carry; paste it again")]
    BadToken,
    /// The request got no answer.
    #[error("the collector could not be reached ({0}); is it running?")]
    Network(String),
    /// The collector answered with an error.
    #[error("{message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The collector's error code (`unauthorized`, `invalid_survey`, …).
        code: String,
        /// The collector's message.
        message: String,
        /// Every problem it listed.
        problems: Vec<RemoteProblem>,
    },
    /// The answer was not what the console expects.
    #[error("the collector's answer could not be read: {0}")]
    Unreadable(String),
}

impl ApiError {
    /// Whether the token was refused (401): the console asks for another one.
    #[must_use]
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
    }
}
