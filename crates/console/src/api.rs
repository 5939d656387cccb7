//! The collector's researcher API over the browser's `fetch`, with the researcher's token.
//!
//! The console is served by the collector itself, so every path is relative to its origin.

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::error::ApiError;

/// One problem the collector found, as its error bodies carry them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RemoteProblem {
    /// Where, as a JSON path.
    pub path: String,
    /// The stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// The collector's error body: `{"error": {"code", "message", "problems"}}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    problems: Vec<RemoteProblem>,
}

/// A researcher's session: the bearer token every researcher route needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    token: String,
}

impl Client {
    /// A client sending `token`.
    #[must_use]
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
        }
    }

    /// GETs `path` and parses its JSON body as `T`.
    ///
    /// # Errors
    /// [`ApiError`]: the network, a status outside 2xx (with the collector's message), or a
    /// body that is not the expected JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ApiError> {
        let text = self.send("GET", path, None).await?.1;
        serde_json::from_str(&text).map_err(|err| ApiError::Unreadable(err.to_string()))
    }

    /// GETs `path` and returns its body as text (an export).
    ///
    /// # Errors
    /// As [`Client::get_json`].
    pub async fn get_text(&self, path: &str) -> Result<String, ApiError> {
        Ok(self.send("GET", path, None).await?.1)
    }

    /// GETs `path` and returns its body as it came, for a download: an export's bytes stay as
    /// the collector wrote them (`text()` would drop the byte order mark of the Excel dialects).
    ///
    /// # Errors
    /// As [`Client::get_json`].
    pub async fn get_blob(&self, path: &str) -> Result<web_sys::Blob, ApiError> {
        let response = self.fetch("GET", path, None).await?;
        let status = response.status();
        if !(200..300).contains(&status) {
            return Err(refusal(status, &body_text(&response).await?));
        }
        let blob = response
            .blob()
            .map_err(|err| ApiError::Unreadable(describe(&err)))?;
        JsFuture::from(blob)
            .await
            .map_err(|err| ApiError::Unreadable(describe(&err)))?
            .dyn_into()
            .map_err(|_| ApiError::Unreadable("the body is not a blob".into()))
    }

    /// POSTs `body` (JSON text) to `path`; returns the status and the answer's text.
    ///
    /// # Errors
    /// As [`Client::get_json`].
    pub async fn post_json(&self, path: &str, body: &str) -> Result<(u16, String), ApiError> {
        self.send("POST", path, Some(body)).await
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<(u16, String), ApiError> {
        let response = self.fetch(method, path, body).await?;
        let status = response.status();
        let text = body_text(&response).await?;
        if (200..300).contains(&status) {
            Ok((status, text))
        } else {
            Err(refusal(status, &text))
        }
    }

    async fn fetch(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<Response, ApiError> {
        let window = web_sys::window().ok_or(ApiError::NoWindow)?;
        let headers = Headers::new().map_err(|err| ApiError::Network(describe(&err)))?;
        let bearer = format!("Bearer {}", self.token);
        headers
            .set("Authorization", &bearer)
            .map_err(|_| ApiError::BadToken)?;
        let init = RequestInit::new();
        init.set_method(method);
        if let Some(body) = body {
            headers
                .set("Content-Type", "application/json")
                .map_err(|err| ApiError::Network(describe(&err)))?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let request = Request::new_with_str_and_init(path, &init)
            .map_err(|err| ApiError::Network(describe(&err)))?;
        JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|err| ApiError::Network(describe(&err)))?
            .dyn_into()
            .map_err(|_| ApiError::Network("fetch gave no response".into()))
    }
}

/// The body of `response` as text.
async fn body_text(response: &Response) -> Result<String, ApiError> {
    let text = response
        .text()
        .map_err(|err| ApiError::Unreadable(describe(&err)))?;
    Ok(JsFuture::from(text)
        .await
        .map_err(|err| ApiError::Unreadable(describe(&err)))?
        .as_string()
        .unwrap_or_default())
}

/// The error of a non-2xx answer, with the collector's code, message and problems when its
/// body is the collector's error JSON.
#[must_use]
pub fn refusal(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => ApiError::Refused {
            status,
            code: error.code,
            message: error.message,
            problems: error.problems,
        },
        Err(_) => ApiError::Refused {
            status,
            code: "http".into(),
            message: format!("the collector answered HTTP {status}"),
            problems: Vec::new(),
        },
    }
}

/// A thrown JS value as text.
#[must_use]
pub fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_carries_the_collectors_code_message_and_problems() {
        let body = r#"{"error":{"code":"invalid_survey","message":"the survey has 1 problem","problems":[{"path":"$.steps[0].id","code":"invalid_id","message":"bad id"}]}}"#;
        assert_eq!(
            refusal(422, body),
            ApiError::Refused {
                status: 422,
                code: "invalid_survey".into(),
                message: "the survey has 1 problem".into(),
                problems: vec![RemoteProblem {
                    path: "$.steps[0].id".into(),
                    code: "invalid_id".into(),
                    message: "bad id".into(),
                }],
            }
        );
    }

    #[test]
    fn a_refusal_without_the_collectors_body_names_the_status() {
        assert_eq!(
            refusal(502, "<html>Bad gateway</html>").to_string(),
            "the collector answered HTTP 502"
        );
    }
}
