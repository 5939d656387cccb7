//! The Rapport survey model: survey definitions, conditions, validation, the adaptive engine
//! and the response payload. Pure Rust without web dependencies, so the widget (compiled to
//! WebAssembly) and the collector (a server) agree on what a valid survey and response are.
//!
//! ```
//! use rapport_survey::{load, Action, AnswerValue, Context};
//!
//! let survey = load(r#"{
//!   "id": "mini", "version": 1, "default_locale": "en", "locales": ["en"],
//!   "steps": [
//!     {"id": "nps", "kind": "nps", "required": true, "title": {"en": "Would you recommend us?"}},
//!     {"id": "why", "kind": "text", "when": "answers.nps <= 6", "title": {"en": "What went wrong?"}}
//!   ]
//! }"#).map_err(|problems| problems[0].to_string())?;
//! let context = Context::default();
//! let state = survey.start(&context);
//! let state = survey.apply(&context, &state, Action::Answer(AnswerValue::Nps(10)))?;
//! assert!(state.done); // a promoter is not asked what went wrong
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod answer;
pub mod condition;
pub mod context;
pub mod definition;
pub mod engine;
pub mod load;
pub mod map;
pub mod relationship;
pub mod response;
#[cfg(feature = "results")]
pub mod results;
#[cfg(feature = "schema")]
pub mod schema;
pub mod text;
pub mod validate;

pub use answer::{check_answer, AnswerProblem, AnswerValue, Answers};
pub use context::{Business, Context, Customer, ExtraValue, Order, RelationshipMode};
pub use definition::{Bullet, ChoiceOption, Delivery, Ending, HelpLink, Step, StepKind, Survey};
pub use engine::{Action, EngineError, Progress, Recalled, RunState};
pub use load::{load, load_value, parse, read_value};
pub use relationship::{Relationship, TypeSource};
pub use response::{
    uuid_v4, NpsCategory, Purchase, Response, ResponseMeta, Scores, Status, PAYLOAD_VERSION,
};
pub use text::Text;
pub use validate::{validate, Problem, ProblemCode, ValidSurvey};
