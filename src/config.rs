//! The configuration of one survey display, as the shop gives it: the `data-*` attributes of
//! the script tag, merged key by key with the options of `rapport.show({...})`. The loader
//! hands it over as a JavaScript object; [`Config::parse`] reads its JSON form:
//!
//! ```json
//! { "survey": "https://shop.example/surveys/post-purchase.json",
//!   "endpoint": "https://collector.example/responses",
//!   "headers": { "X-Shop": "kaffeewerk" },
//!   "mode": "modal", "target": "#rapport-survey",
//!   "trigger": "delay", "delay": 3000,
//!   "frequency": { "once_per_order": true, "days": 30 }, "sampling": 25,
//!   "theme": { "brand": "#5b3a29", "radius": "12px" },
//!   "locale": "de",
//!   "context": { "order": { "id": "A-1001", "total": 649.0 } } }
//! ```
//!
//! Every key is optional except the survey (`survey`: a URL or the definition itself; or
//! `survey_url`). Unknown keys are rejected, so a typo does not go unnoticed. The callbacks
//! (`onStep`, …) are functions and travel separately ([`crate::callbacks`]).

use rapport_survey::map::SmallMap;
use rapport_survey::Context;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{BootError, BootResult};
use crate::frequency::Rules;
use crate::theme;

/// The widget configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The survey: a URL to fetch the definition from (a string), or the definition itself
    /// (an object).
    #[serde(default)]
    pub survey: Option<Value>,
    /// Where to fetch the survey definition; the same as a string `survey`.
    #[serde(default)]
    pub survey_url: Option<String>,
    /// Where to POST the response; without one, nothing is sent.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Extra request headers for the POST to the endpoint (e.g. an API key of the shop's
    /// collector).
    #[serde(default)]
    pub headers: SmallMap<String, String>,
    /// How the survey appears; default: `inline` with a `target`, else `slide_in`.
    #[serde(default)]
    pub mode: Option<Mode>,
    /// CSS selector of the element to show an inline survey in (and, with the `scroll`
    /// trigger, the element whose appearance on screen shows the survey).
    #[serde(default)]
    pub target: Option<String>,
    /// When the survey appears.
    #[serde(default)]
    pub trigger: Trigger,
    /// Milliseconds to wait with the `delay` trigger (default 3000).
    #[serde(default)]
    pub delay: Option<f64>,
    /// Frequency capping per survey and browser.
    #[serde(default)]
    pub frequency: Frequency,
    /// Percentage (0–100) of browsers that see the survey at all; default 100.
    #[serde(default)]
    pub sampling: Option<f64>,
    /// Values of the widget's CSS custom properties, by name without `--rapport-`
    /// (`brand`, `radius`, `font`, …; see [`theme::PROPERTIES`]).
    #[serde(default)]
    pub theme: SmallMap<String, String>,
    /// The locale to show, e.g. `de`; else the page's `<html lang>`, the browser's language,
    /// and the survey's default, in that order.
    #[serde(default)]
    pub locale: Option<String>,
    /// What the shop knows about the purchase.
    #[serde(default)]
    pub context: Context,
}

/// How the survey appears on the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Inside the page, in the `target` element.
    #[default]
    Inline,
    /// A dialog over the page, with a backdrop; the page waits until it is closed.
    Modal,
    /// A card in the bottom corner; the page stays usable.
    SlideIn,
}

impl Mode {
    /// The mode's name in the configuration.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Inline => "inline",
            Self::Modal => "modal",
            Self::SlideIn => "slide_in",
        }
    }

    /// Whether the customer can close the survey (a close button, Escape).
    #[must_use]
    pub fn closable(self) -> bool {
        self != Self::Inline
    }
}

/// When the survey appears.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// As soon as it is loaded.
    #[default]
    Immediately,
    /// `delay` milliseconds after it is loaded.
    Delay,
    /// When the `target` element scrolls into view.
    Scroll,
    /// Only when the page calls `rapport.show()`; the script tag alone shows nothing.
    Manual,
}

/// Frequency capping, per survey and browser.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frequency {
    /// Show the survey at most once per order id (default: yes).
    #[serde(default = "yes")]
    pub once_per_order: bool,
    /// After the survey was shown, do not show it again for this many days (default 0: no
    /// such pause).
    #[serde(default)]
    pub days: f64,
}

impl Default for Frequency {
    fn default() -> Self {
        Self {
            once_per_order: true,
            days: 0.0,
        }
    }
}

fn yes() -> bool {
    true
}

/// The default wait of the `delay` trigger, in milliseconds.
pub const DEFAULT_DELAY_MS: f64 = 3000.0;

/// Where the survey definition comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveySource {
    /// Fetch it from this URL.
    Url(String),
    /// It was given inline.
    Inline(Value),
}

impl Config {
    /// Parses and checks the configuration JSON.
    ///
    /// # Errors
    /// [`BootError::Config`] naming the offending key, e.g.
    /// `context.order.totl: unknown field `totl`, expected one of …`, or a value out of range.
    pub fn parse(json: &str) -> BootResult<Self> {
        let value = crate::json::parse(json).map_err(BootError::Config)?;
        let config = Self::from_value(value).map_err(|err| {
            let message = err.to_string();
            // Only after a failure: the text is read again rather than the value kept (a
            // copy of every configuration, inline survey included, on the happy path).
            let value = crate::json::parse(json).unwrap_or(Value::Null);
            let path = crate::locate::error_path(&value, |candidate| {
                Self::from_value(candidate).is_err_and(|other| other.to_string() == message)
            });
            if path.is_empty() {
                BootError::Config(message)
            } else {
                BootError::Config(format!("{path}: {message}"))
            }
        })?;
        config.check()?;
        Ok(config)
    }

    /// Deserializes without checks; one instance of serde's generic code for both the first
    /// try and the retries of [`crate::locate::error_path`].
    #[inline(never)]
    fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(value)
    }

    /// Checks the values serde cannot: ranges and theme names.
    fn check(&self) -> BootResult<()> {
        let bad = |key: &str, message: String| Err(BootError::Config(format!("{key}: {message}")));
        if let Some(sampling) = self.sampling {
            if !(0.0..=100.0).contains(&sampling) {
                return bad(
                    "sampling",
                    format!("must be a percentage from 0 to 100, not {sampling}"),
                );
            }
        }
        if let Some(delay) = self.delay {
            if !(delay.is_finite() && delay >= 0.0) {
                return bad(
                    "delay",
                    format!("must be a number of milliseconds (0 or more), not {delay}"),
                );
            }
        }
        let days = self.frequency.days;
        if !(days.is_finite() && days >= 0.0) {
            return bad(
                "frequency.days",
                format!("must be a number of days (0 or more), not {days}"),
            );
        }
        if let Some(survey) = &self.survey {
            if !(survey.is_string() || survey.is_object()) {
                return bad(
                    "survey",
                    "must be a URL (a string) or a survey definition (an object)".into(),
                );
            }
        }
        // What the browser would refuse only when the answers are posted: the browser's
        // own check of names and values.
        #[cfg(target_arch = "wasm32")]
        if let Ok(probe) = web_sys::Headers::new() {
            for (name, value) in &self.headers {
                if let Err(err) = probe.append(name, value) {
                    return bad(
                        &format!("headers.{name}"),
                        format!(
                            "not a valid request header ({})",
                            crate::error::describe(&err)
                        ),
                    );
                }
            }
        }
        for (name, value) in &self.theme {
            if theme::property(name).is_none() {
                return bad(
                    &format!("theme.{name}"),
                    format!(
                        "unknown theme property; known: {}",
                        theme::PROPERTIES.join(", ")
                    ),
                );
            }
            // Only a browser can tell which CSS values it takes.
            #[cfg(target_arch = "wasm32")]
            if let Err(message) = theme::check(name, value) {
                return bad(&format!("theme.{name}"), message);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = value;
        }
        Ok(())
    }

    /// Takes the survey source out of the configuration.
    ///
    /// # Errors
    /// [`BootError::NoSurvey`] or [`BootError::TwoSurveys`].
    pub fn take_survey(&mut self) -> BootResult<SurveySource> {
        let url = self.survey_url.take().filter(|url| !url.trim().is_empty());
        let survey = match self.survey.take() {
            Some(Value::String(url)) if url.trim().is_empty() => None,
            Some(Value::String(url)) => Some(SurveySource::Url(url)),
            Some(Value::Null) | None => None,
            Some(definition) => Some(SurveySource::Inline(definition)),
        };
        match (url, survey) {
            (Some(url), None) => Ok(SurveySource::Url(url)),
            (None, Some(survey)) => Ok(survey),
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

    /// The display mode: as configured, else `inline` with a target and `slide_in` without.
    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(if self.target().is_some() {
            Mode::Inline
        } else {
            Mode::SlideIn
        })
    }

    /// The wait of the `delay` trigger, in milliseconds.
    #[must_use]
    pub fn delay_ms(&self) -> f64 {
        self.delay.unwrap_or(DEFAULT_DELAY_MS)
    }

    /// The capping and sampling rules.
    #[must_use]
    pub fn rules(&self) -> Rules {
        Rules {
            once_per_order: self.frequency.once_per_order,
            days: self.frequency.days,
            sampling: self.sampling.unwrap_or(100.0),
        }
    }

    /// The extra request headers, as name–value pairs.
    #[must_use]
    pub fn headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
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
            r##"{"survey": "/s.json", "endpoint": "/r", "target": "#t", "locale": "de",
                "headers": {"X-Shop": "k"}, "mode": "modal", "trigger": "delay", "delay": 500,
                "frequency": {"once_per_order": false, "days": 30}, "sampling": 25,
                "theme": {"brand": "#123456", "font-size": "18px"},
                "context": {"order": {"id": "A-1", "total": 40}, "customer": {"earlier_orders": 3}}}"##,
        )?;
        assert_eq!(config.endpoint(), Some("/r"));
        assert_eq!(config.target(), Some("#t"));
        assert_eq!(config.locale(), Some("de"));
        assert_eq!(config.mode(), Mode::Modal);
        assert_eq!(config.trigger, Trigger::Delay);
        assert_eq!(config.delay_ms(), 500.0);
        assert_eq!(config.headers(), [("X-Shop".to_owned(), "k".to_owned())]);
        assert_eq!(
            config.rules(),
            Rules {
                once_per_order: false,
                days: 30.0,
                sampling: 25.0
            }
        );
        assert_eq!(config.context.order.id.as_deref(), Some("A-1"));
        assert_eq!(config.take_survey()?, SurveySource::Url("/s.json".into()));
        Ok(())
    }

    #[test]
    fn defaults_fit_a_thank_you_page() -> BootResult<()> {
        let config = Config::parse(r#"{"survey": "/s.json"}"#)?;
        assert_eq!(config.mode(), Mode::SlideIn, "no target: a corner card");
        assert_eq!(config.trigger, Trigger::Immediately);
        assert_eq!(config.delay_ms(), DEFAULT_DELAY_MS);
        assert_eq!(
            config.rules(),
            Rules {
                once_per_order: true,
                days: 0.0,
                sampling: 100.0
            }
        );
        let config = Config::parse(r##"{"survey": "/s.json", "target": "#slot"}"##)?;
        assert_eq!(config.mode(), Mode::Inline);
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
        let mut config = Config::parse(r#"{"survey_url": "/s.json"}"#)?;
        assert_eq!(config.take_survey()?, SurveySource::Url("/s.json".into()));
        Ok(())
    }

    #[test]
    fn names_the_offending_key() {
        let message = config_error(r#"{"survey": "/s.json", "context": {"order": {"totl": 4}}}"#);
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
        let message = config_error(r#"{"mode": "popup"}"#);
        assert!(
            message.contains("mode: unknown variant `popup`"),
            "{message}"
        );
        let message = config_error(r#"{"context": {"order": {"id": "A", "total": "12,50"}}}"#);
        assert!(
            message.contains("context.order.total: invalid type: string \"12,50\""),
            "{message}"
        );
        let message = config_error(r#"{"frequency": {"once_per_order": true, "dayz": 3}}"#);
        assert!(
            message.contains("frequency.dayz: unknown field"),
            "{message}"
        );
    }

    #[test]
    fn checks_ranges_and_theme_names() {
        assert_eq!(
            config_error(r#"{"sampling": 120}"#),
            "the configuration is not valid: sampling: must be a percentage from 0 to 100, not 120"
        );
        assert!(config_error(r#"{"delay": -1}"#).contains("delay: must be a number"));
        assert!(config_error(r#"{"frequency": {"days": -2}}"#).contains("frequency.days"));
        assert!(config_error(r#"{"survey": 7}"#).contains("survey: must be a URL"));
        let message = config_error(r##"{"theme": {"brnd": "#fff"}}"##);
        assert!(
            message.contains("theme.brnd: unknown theme property; known: brand, "),
            "{message}"
        );
    }
}
