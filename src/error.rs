//! The errors of the widget's two boundaries: starting it ([`BootError`]) and mounting it into
//! an element ([`MountError`]). Their `Display` texts are for the shop developer's console;
//! the customer never sees them.

use rapport_survey::Problem;
use wasm_bindgen::JsValue;

use crate::http::HttpError;

/// Why [`crate::boot`] could not show the survey.
#[derive(Debug, thiserror::Error)]
pub enum BootError {
    /// The configuration is not the expected JSON object.
    #[error("the configuration is not valid: {0}")]
    Config(String),
    /// Neither `survey_url` nor `survey` was given.
    #[error("the configuration needs `survey`: the URL of the survey definition, or the definition itself")]
    NoSurvey,
    /// Both `survey_url` and `survey` were given.
    #[error("the configuration has both `survey_url` and `survey`; give only one")]
    TwoSurveys,
    /// The survey could not be fetched.
    #[error("could not load the survey from {url}: {source}")]
    Fetch {
        /// The survey URL.
        url: String,
        /// What went wrong.
        source: HttpError,
    },
    /// The survey definition has problems; each is listed on its own line as `path: message`.
    #[error("the survey definition is not valid ({} problem{}):\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, problem_lines(.0))]
    InvalidSurvey(Vec<Problem>),
    /// There is no document to show the survey in.
    #[error("there is no document to show the survey in")]
    NoDocument,
    /// The host element could not be created or inserted.
    #[error("cannot place the survey on the page: {0}")]
    Host(String),
    /// Mounting into the host element failed.
    #[error(transparent)]
    Mount(#[from] MountError),
}

impl BootError {
    /// A stable code for the shop's `onError` callback.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Config(_) | Self::NoSurvey | Self::TwoSurveys => "config",
            Self::Fetch { .. } => "survey_unavailable",
            Self::InvalidSurvey(_) => "invalid_survey",
            Self::NoDocument | Self::Host(_) | Self::Mount(_) => "mount",
        }
    }
}

/// A `Result` whose error is a [`BootError`].
pub type BootResult<T> = Result<T, BootError>;

/// Why [`crate::mount`] could not render into the host element.
#[derive(Debug, thiserror::Error)]
pub enum MountError {
    /// The host already has a shadow root or cannot have one.
    #[error("cannot attach a shadow root to the host element: {0}")]
    Shadow(String),
    /// The browser has no constructable style sheets.
    #[error("cannot create the widget's style sheet (this browser may not support constructable style sheets): {0}")]
    Styles(String),
    /// The element inside the shadow root could not be created.
    #[error("cannot create the widget's root element: {0}")]
    Root(String),
}

fn problem_lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A readable description of a JavaScript exception or value.
#[must_use]
pub fn describe(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(error) = value.dyn_ref::<js_sys::Error>() {
            return format!(
                "{}: {}",
                String::from(error.name()),
                String::from(error.message())
            );
        }
    }
    format!("{value:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_survey_lists_every_problem_on_its_own_line() {
        let problems = match rapport_survey::load(
            r#"{"id": "Bad Id", "version": 0, "default_locale": "en", "locales": ["en"], "steps": []}"#,
        ) {
            Ok(_) => panic!("the survey should be invalid"),
            Err(problems) => problems,
        };
        assert!(problems.len() >= 2, "{problems:?}");
        let message = BootError::InvalidSurvey(problems.clone()).to_string();
        let lines: Vec<&str> = message.lines().collect();
        assert!(
            lines[0].starts_with("the survey definition is not valid ("),
            "{message}"
        );
        assert_eq!(lines.len(), problems.len() + 1, "{message}");
        for (line, problem) in lines[1..].iter().zip(&problems) {
            assert_eq!(*line, problem.line());
            assert!(line.contains(" ["), "{line}");
            assert!(line.starts_with("$"), "{line}");
        }
    }
}
