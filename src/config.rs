//! The configuration [`crate::boot`] receives from the loader, as JSON:
//!
//! ```json
//! { "survey_url": "https://shop.example/surveys/post-purchase.json",
//!   "endpoint": "https://collector.example/responses",
//!   "target": "#rapport-survey",
//!   "locale": "de",
//!   "context": { "order": { "id": "A-1001", "total": 649.0 } } }
//! ```
//!
//! Every key is optional, but one of `survey_url` and `survey` (an inline survey definition)
//! is needed. Unknown keys are rejected, so a typo does not go unnoticed.

use rapport_survey::Context;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{BootError, BootResult};

/// The widget configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where to fetch the survey definition (JSON).
    #[serde(default)]
    pub survey_url: Option<String>,
    /// The survey definition itself, instead of `survey_url`.
    #[serde(default)]
    pub survey: Option<Value>,
    /// Where to POST the response; without one, nothing is sent.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// CSS selector of the element to show the survey in; `document.body` when absent or
    /// not found.
    #[serde(default)]
    pub target: Option<String>,
    /// The locale to show, e.g. `de`; else the page's `<html lang>`, the browser's language,
    /// and the survey's default, in that order.
    #[serde(default)]
    pub locale: Option<String>,
    /// What the shop knows about the purchase.
    #[serde(default)]
    pub context: Context,
}

/// Where the survey definition comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveySource {
    /// Fetch it from this URL.
    Url(String),
    /// It was given inline.
    Inline(Value),
}

impl Config {
    /// Parses the configuration JSON.
    ///
    /// # Errors
    /// [`BootError::Config`] naming the offending key, e.g.
    /// `context.order.totl: unknown field `totl`, expected one of …`.
    pub fn parse(json: &str) -> BootResult<Self> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if path == "." || path.is_empty() {
                BootError::Config(inner.to_string())
            } else {
                BootError::Config(format!("{path}: {inner}"))
            }
        })
    }

    /// Takes the survey source out of the configuration.
    ///
    /// # Errors
    /// [`BootError::NoSurvey`] or [`BootError::TwoSurveys`].
    pub fn take_survey(&mut self) -> BootResult<SurveySource> {
        let url = self.survey_url.take().filter(|url| !url.trim().is_empty());
        match (url, self.survey.take()) {
            (Some(url), None) => Ok(SurveySource::Url(url)),
            (None, Some(survey)) => Ok(SurveySource::Inline(survey)),
            (None, None) => Err(BootError::NoSurvey),
            (Some(_), Some(_)) => Err(BootError::TwoSurveys),
        }
    }

    /// The endpoint, unless absent or blank.
    #[must_use]
    pub fn endpoint(&self) -> Option<&str> {
        non_blank(self.endpoint.as_deref())
    }

    /// The target selector, unless absent or blank.
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        non_blank(self.target.as_deref())
    }

    /// The requested locale, unless absent or blank.
    #[must_use]
    pub fn locale(&self) -> Option<&str> {
        non_blank(self.locale.as_deref())
    }
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(json: &str) -> String {
        match Config::parse(json) {
            Ok(config) => panic!("expected an error, got {config:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn reads_every_key() -> BootResult<()> {
        let mut config = Config::parse(
            r##"{"survey_url": "/s.json", "endpoint": "/r", "target": "#t", "locale": "de",
                "context": {"order": {"id": "A-1", "total": 40}, "customer": {"earlier_orders": 3}}}"##,
        )?;
        assert_eq!(config.endpoint(), Some("/r"));
        assert_eq!(config.target(), Some("#t"));
        assert_eq!(config.locale(), Some("de"));
        assert_eq!(config.context.order.id.as_deref(), Some("A-1"));
        assert_eq!(config.take_survey()?, SurveySource::Url("/s.json".into()));
        Ok(())
    }

    #[test]
    fn every_key_is_optional_but_a_survey_is_needed() -> BootResult<()> {
        let mut config = Config::parse("{}")?;
        assert!(matches!(config.take_survey(), Err(BootError::NoSurvey)));
        let mut config = Config::parse(r#"{"survey": {"id": "x"}, "survey_url": "/s.json"}"#)?;
        assert!(matches!(config.take_survey(), Err(BootError::TwoSurveys)));
        let mut config = Config::parse(r#"{"survey": {"id": "x"}, "endpoint": " "}"#)?;
        assert!(matches!(config.take_survey()?, SurveySource::Inline(_)));
        assert_eq!(config.endpoint(), None);
        Ok(())
    }

    #[test]
    fn names_the_offending_key() {
        let message =
            config_error(r#"{"survey_url": "/s.json", "context": {"order": {"totl": 4}}}"#);
        assert!(
            message.starts_with(
                "the configuration is not valid: context.order.totl: unknown field `totl`"
            ),
            "{message}"
        );
        let message = config_error(r#"{"surveyUrl": "/s.json"}"#);
        assert!(message.contains("unknown field `surveyUrl`"), "{message}");
        let message = config_error("not json");
        assert!(
            message.starts_with("the configuration is not valid: expected"),
            "{message}"
        );
        let message = config_error(r#"{"locale": 5}"#);
        assert!(message.contains("locale: invalid type"), "{message}");
    }
}
