//! Progress kept per survey and order id, so that a customer who leaves in the middle of a
//! survey and comes back to a page with the same order continues where they were: the
//! engine's [`RunState`] (steps shown, answers), the response id and start time, and how far
//! delivery got (the last sequence number posted).
//!
//! Kept in `localStorage` under `rapport-run:<survey id>:<order id>`, for at most
//! [`MAX_AGE_MS`] and for at most [`MAX_RUNS`] orders (the most recent).

use std::cell::RefCell;

use rapport_survey::{AnswerValue, RunState, ValidSurvey};
use serde::Serialize;
use serde_json::Value;

use super::{json, storage};

/// The prefix of the storage keys.
pub const PREFIX: &str = "rapport-run:";
/// How many runs are kept (the most recently saved).
pub const MAX_RUNS: usize = 20;
/// How long a run is kept after it was last saved: a week.
pub const MAX_AGE_MS: u64 = 7 * 24 * 60 * 60_000;

/// One run as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    /// The survey version the run is for; another version starts afresh.
    pub survey_version: i64,
    /// The response id of the run.
    pub response_id: String,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// The sequence number of the last payload built.
    pub sequence: u32,
    /// What that payload said ([`super::fingerprint`]).
    pub last: String,
    /// The engine's state.
    pub state: RunState,
    /// What the customer picked or typed on the current step and has not sent on with
    /// Continue yet (a page closed in the middle of a comment keeps the comment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<AnswerValue>,
    /// When this was saved (milliseconds since 1970).
    pub saved: u64,
}

thread_local! {
    /// The keys this page saved under (and pruned the others at, the first time).
    static PRUNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The storage key of a survey's run for an order.
#[must_use]
pub fn key(survey_id: &str, order_id: &str) -> String {
    format!("{PREFIX}{survey_id}:{order_id}")
}

/// The run saved under `key`, if it is recent and fits `survey`; a run that does not is
/// removed.
#[must_use]
pub fn load(key: &str, survey: &ValidSurvey, now: u64) -> Option<Saved> {
    let json = storage::get(key)?;
    match read(&json) {
        Some(saved) if fits(&saved, survey, now) => Some(saved),
        _ => {
            storage::remove(key);
            None
        }
    }
}

/// Whether an unfinished run of `survey_id` is saved for `order_id` (such a survey should
/// be shown again, to be finished, whatever the frequency capping says).
#[must_use]
pub fn unfinished(survey_id: &str, order_id: &str) -> bool {
    storage::get(&key(survey_id, order_id))
        .and_then(|json| read(&json))
        .is_some_and(|saved| !saved.state.done)
}

/// Saves `run` under `key`. The first time this page saves under `key`, it also forgets the
/// runs that are too old or too many, in the next task (reading them all back would lengthen
/// the click that gave the first answer); after that the set of runs does not grow, and
/// saving again (after every answer) reads none of them back.
pub fn save(key: &str, run: &Saved) {
    if let Ok(json) = serde_json::to_string(run) {
        storage::set(key, &json);
    }
    let first = PRUNED.with(|pruned| {
        let mut pruned = pruned.borrow_mut();
        let first = !pruned.iter().any(|k| k == key);
        if first {
            pruned.push(key.to_owned());
        }
        first
    });
    if first {
        let (key, now) = (key.to_owned(), run.saved);
        crate::trigger::later(move || prune(&key, now));
    }
}

/// Forgets the runs that are too old or too many, `written` (just saved at `now`) aside.
fn prune(written: &str, now: u64) {
    let runs: Vec<(String, u64)> = storage::keys(PREFIX)
        .into_iter()
        .map(|key| {
            let saved = if key == written {
                now
            } else {
                storage::get(&key)
                    .and_then(|text| json::parse(&text))
                    .and_then(|value| json::number(&value, "saved"))
                    .unwrap_or(0)
            };
            (key, saved)
        })
        .collect();
    for stale in stale(&runs, now) {
        storage::remove(&stale);
    }
}

/// A run as saved.
#[must_use]
pub fn read(text: &str) -> Option<Saved> {
    let value: Value = json::parse(text)?;
    Some(Saved {
        survey_version: value.get("survey_version")?.as_i64()?,
        response_id: json::text(&value, "response_id")?,
        started_at: json::text(&value, "started_at")?,
        sequence: u32::try_from(json::number(&value, "sequence")?).ok()?,
        last: json::text(&value, "last")?,
        state: json::run_state(value.get("state")?)?,
        draft: value.get("draft").and_then(json::answer),
        saved: json::number(&value, "saved")?,
    })
}

/// Whether a saved run can be continued with `survey`: the same version, recent, and every
/// step it names still there.
#[must_use]
pub fn fits(saved: &Saved, survey: &ValidSurvey, now: u64) -> bool {
    let known = |id: &String| survey.steps.iter().any(|step| &step.id == id);
    saved.survey_version == survey.version
        && saved.saved.saturating_add(MAX_AGE_MS) > now
        && !saved.state.path.is_empty()
        && saved.state.path.iter().all(known)
        && saved.state.answers.keys().all(known)
        && (saved.state.done || survey.current(&saved.state).is_some())
}

/// The keys of runs to forget: older than [`MAX_AGE_MS`], or beyond the [`MAX_RUNS`] most
/// recently saved. `runs` are `(key, saved)`.
#[must_use]
pub fn stale(runs: &[(String, u64)], now: u64) -> Vec<String> {
    let expired = |saved: u64| saved.saturating_add(MAX_AGE_MS) <= now;
    let recent: Vec<(String, u64)> = runs.iter().filter(|r| !expired(r.1)).cloned().collect();
    runs.iter()
        .filter(|r| expired(r.1))
        .map(|(key, _)| key.clone())
        .chain(super::outbox::oldest_beyond(&recent, MAX_RUNS))
        .collect()
}

#[cfg(test)]
mod tests {
    use rapport_survey::{Action, AnswerValue, Context};

    use super::*;

    const SURVEY: &str = r#"{
      "id": "resume", "version": 3, "default_locale": "en", "locales": ["en"],
      "steps": [
        {"id": "nps", "kind": "nps", "required": true, "title": {"en": "Recommend us?"}},
        {"id": "why", "kind": "text", "title": {"en": "Why?"}}
      ]
    }"#;

    fn survey() -> ValidSurvey {
        rapport_survey::load(SURVEY).unwrap_or_else(|p| panic!("{p:?}"))
    }

    fn saved_at(state: RunState, saved: u64) -> Saved {
        Saved {
            survey_version: 3,
            response_id: "r".into(),
            started_at: "2026-11-25T08:30:00.000Z".into(),
            sequence: 1,
            last: String::new(),
            state,
            draft: None,
            saved,
        }
    }

    #[test]
    fn a_run_fits_its_survey_version_while_recent() {
        let survey = survey();
        let context = Context::default();
        let start = survey.start(&context);
        let second = survey
            .apply(&context, &start, Action::Answer(AnswerValue::Nps(4)))
            .unwrap_or_else(|e| panic!("{e}"));
        let run = saved_at(second.clone(), 1_000);
        assert!(fits(&run, &survey, 1_000));
        assert!(fits(&run, &survey, 1_000 + MAX_AGE_MS - 1));
        assert!(!fits(&run, &survey, 1_000 + MAX_AGE_MS));
        let other_version = Saved {
            survey_version: 2,
            ..run.clone()
        };
        assert!(!fits(&other_version, &survey, 1_000));
        let mut unknown_step = second.clone();
        unknown_step.path.push("gone".into());
        assert!(!fits(&saved_at(unknown_step, 1_000), &survey, 1_000));
        let mut unknown_answer = second;
        unknown_answer
            .answers
            .insert("gone".into(), AnswerValue::Nps(1));
        assert!(!fits(&saved_at(unknown_answer, 1_000), &survey, 1_000));
        assert!(!fits(&saved_at(RunState::default(), 1_000), &survey, 1_000));
    }

    #[test]
    fn reads_back_what_it_saves() {
        let survey = survey();
        let context = Context::default();
        let state = survey
            .apply(
                &context,
                &survey.start(&context),
                Action::Answer(AnswerValue::Nps(4)),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let run = Saved {
            survey_version: -2,
            draft: Some(AnswerValue::Text("Half a \"thought\"".into())),
            ..saved_at(state, 1_000)
        };
        let text = serde_json::to_string(&run).unwrap_or_default();
        assert_eq!(read(&text), Some(run));
        assert_eq!(read("{}"), None);
        assert_eq!(read("not json"), None);
    }

    #[test]
    fn old_and_surplus_runs_are_forgotten_oldest_first() {
        let now = 100 * MAX_AGE_MS;
        let mut runs: Vec<(String, u64)> = (0..MAX_RUNS as u64 + 3)
            .map(|i| (format!("{PREFIX}s:{i}"), now - 1_000 * i))
            .collect();
        runs.push((format!("{PREFIX}s:old"), now - MAX_AGE_MS));
        let mut forgotten = stale(&runs, now);
        forgotten.sort();
        let mut expected: Vec<String> = (MAX_RUNS as u64..MAX_RUNS as u64 + 3)
            .map(|i| format!("{PREFIX}s:{i}"))
            .chain([format!("{PREFIX}s:old")])
            .collect();
        expected.sort();
        assert_eq!(forgotten, expected);
        assert!(stale(&runs[..3], now).is_empty());
    }
}
