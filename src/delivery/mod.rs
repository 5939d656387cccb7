//! Delivery: every answer reaches the shop's endpoint, once, through outages and closed tabs.
//!
//! - [`Courier`] follows one run: after every change of the run's state ([`Courier::record`])
//!   it keeps the progress for resuming ([`resume`]) and, as the survey's delivery mode says
//!   (`on_complete`: the `complete` payload at the end; `per_step`: a `partial` one after
//!   each answer, then the `complete` one, with increasing sequence numbers), builds the
//!   payload and puts it in the outbox.
//! - The [`outbox`] keeps every payload in `localStorage` until the endpoint answered 2xx,
//!   retries with backoff ([`retry`]), hands what is left to the browser when the page is
//!   left, and lets one tab at a time send ([`lock`]). [`start`] sends what earlier pages
//!   left, first thing on every page that loads the script.
//! - Storage problems (full, disabled) never stop the widget ([`storage`]).

pub mod json;
pub mod lock;
pub mod outbox;
pub mod resume;
pub mod retry;
pub mod send;
pub mod storage;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use rapport_survey::{
    AnswerValue, Answers, Context, Delivery, Response, RunState, Status, ValidSurvey,
};

use crate::console;
use crate::session::Session;
use crate::state::Run;
use outbox::{Hooks, Letter};
use resume::Saved;
use send::now_ms;

/// What the shop configured for delivery besides the endpoint and its headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryConfig {
    /// Called with the payload (a plain object) once the endpoint acknowledged the
    /// `complete` response (without an endpoint: once the customer finished).
    pub on_submit: Option<Function>,
    /// Called with `{code: "delivery", reason, message, status, response_id, sequence}` when
    /// the endpoint refuses a payload (`reason: "rejected"`, any 4xx but 408 and 429) or one
    /// is given up (`"dropped"`: the outbox was full or it waited 30 days).
    pub on_error: Option<Function>,
    /// Keep the run's progress per survey and order id, and continue it when the same
    /// survey is shown again for the same order (the script tag does; off by default for
    /// [`crate::mount`], so that separate mounts stay separate).
    pub resume: bool,
}

/// Starts delivery on this page: sends what earlier pages left in the outbox, and hands
/// what is still waiting to the browser when the page is left. Call it once, as early as
/// possible; it does not need a survey.
pub fn start() {
    outbox::start();
}

/// Whether the progress of an unfinished run of `survey_id` for `order_id` is kept: such a
/// survey should be shown again, to be finished.
#[must_use]
pub fn unfinished(survey_id: &str, order_id: &str) -> bool {
    resume::unfinished(survey_id, order_id)
}

/// The `Idempotency-Key` header value: `{response_id}:{sequence}`.
#[must_use]
pub fn idempotency_key(response: &Response) -> String {
    format!("{}:{}", response.response_id, response.sequence)
}

/// What a payload says, to tell whether a new one is needed: the status and the answers
/// that count.
#[must_use]
pub fn fingerprint(done: bool, answers: &Answers) -> String {
    serde_json::to_string(&(done, answers)).unwrap_or_default()
}

/// Delivery for one run of a survey.
pub struct Courier {
    survey: Rc<ValidSurvey>,
    context: Rc<Context>,
    session: Session,
    endpoint: Option<String>,
    headers: Vec<(String, String)>,
    /// Where the progress is kept, when resuming is on and the order has an id.
    saved_key: Option<String>,
    progress: RefCell<Progress>,
}

/// How far the run got.
struct Progress {
    /// The sequence number of the last payload built.
    sequence: u32,
    /// Its [`fingerprint`].
    last: String,
    /// The state to continue from, until [`Courier::resume`] takes it.
    resumed: Option<(RunState, Option<AnswerValue>)>,
    /// The state last kept for resuming and the draft kept with it.
    kept: Option<(RunState, Option<AnswerValue>)>,
}

impl Courier {
    /// Delivery for a run of `survey` shown in `locale`, posting to `endpoint` (nothing is
    /// sent without one). With `config.resume` and an order id, a kept unfinished run of
    /// this survey version is continued: same response id, same answers.
    #[must_use]
    pub fn new(
        survey: Rc<ValidSurvey>,
        context: Rc<Context>,
        locale: String,
        endpoint: Option<String>,
        headers: Vec<(String, String)>,
        config: &DeliveryConfig,
    ) -> Self {
        let saved_key = context
            .order
            .id
            .as_deref()
            .filter(|_| config.resume)
            .map(|order| resume::key(&survey.id, order));
        let saved = saved_key
            .as_deref()
            .and_then(|key| resume::load(key, &survey, now_ms()));
        let (session, progress) = match saved {
            Some(saved) => (
                Session {
                    response_id: saved.response_id,
                    started_at: saved.started_at,
                    locale,
                },
                Progress {
                    sequence: saved.sequence,
                    last: saved.last,
                    kept: Some((saved.state.clone(), saved.draft.clone())),
                    resumed: Some((saved.state, saved.draft)),
                },
            ),
            None => (
                Session::begin(locale),
                Progress {
                    sequence: 0,
                    last: fingerprint(false, &Answers::new()),
                    resumed: None,
                    kept: None,
                },
            ),
        };
        outbox::register(
            &session.response_id,
            Hooks {
                on_submit: config.on_submit.clone(),
                on_error: config.on_error.clone(),
            },
        );
        Self {
            survey,
            context,
            session,
            endpoint: endpoint.filter(|e| !e.trim().is_empty()),
            headers,
            saved_key,
            progress: RefCell::new(progress),
        }
    }

    /// The run's identity (resumed or new).
    #[must_use]
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// `run` (just started) continued from the kept progress, if there is any: the kept
    /// draft, or else the answer given earlier to the step it is at. Only the first call
    /// continues.
    #[must_use]
    pub fn resume(&self, run: Run) -> Run {
        let Some((state, kept)) = self.progress.borrow_mut().resumed.take() else {
            return run;
        };
        let draft = kept.or_else(|| {
            self.survey
                .current(&state)
                .and_then(|step| state.answers.get(&step.id).cloned())
        });
        Run {
            state,
            draft,
            ..run
        }
    }

    /// Takes note of the run's new `state`: keeps it for resuming and, when the delivery
    /// mode asks for a post now (`per_step`: the answers changed; both modes: the run is
    /// complete), builds the payload with the next sequence number, puts it in the outbox
    /// and returns it. Repeating a state posts nothing again.
    pub fn record(&self, state: &RunState) -> Option<Response> {
        let counted = self.survey.counted_answers(&self.context, &state.answers);
        let now = fingerprint(state.done, &counted);
        let (response, sequence, last) = {
            let mut progress = self.progress.borrow_mut();
            let post =
                now != progress.last && (state.done || self.survey.delivery == Delivery::PerStep);
            let response = post.then(|| {
                progress.sequence += 1;
                progress.last = now;
                self.survey
                    .response(&self.context, state, self.session.meta(progress.sequence))
            });
            (response, progress.sequence, progress.last.clone())
        };
        if let Some(response) = &response {
            self.post(response);
        }
        // The same state kept again (the first render of a resumed run) keeps its draft.
        let draft = match &self.progress.borrow().kept {
            Some((kept, draft)) if kept == state => draft.clone(),
            _ => None,
        };
        self.keep(state, sequence, last, draft);
        response
    }

    /// Keeps `draft`, what the customer picked or typed on the current step of `state`
    /// without going on, with the progress, so that it is there when they come back.
    pub fn keep_draft(&self, state: &RunState, draft: Option<&AnswerValue>) {
        if state.done {
            return;
        }
        let (sequence, last) = {
            let progress = self.progress.borrow();
            (progress.sequence, progress.last.clone())
        };
        self.keep(state, sequence, last, draft.cloned());
    }

    /// Saves the progress for resuming, when resuming is on.
    fn keep(&self, state: &RunState, sequence: u32, last: String, draft: Option<AnswerValue>) {
        if let Some(key) = &self.saved_key {
            self.progress.borrow_mut().kept = Some((state.clone(), draft.clone()));
            let saved = Saved {
                survey_version: self.survey.version,
                response_id: self.session.response_id.clone(),
                started_at: self.session.started_at.clone(),
                sequence,
                last,
                state: state.clone(),
                draft,
                saved: now_ms(),
            };
            resume::save(key, &saved);
        }
    }

    /// Puts `response` in the outbox; without an endpoint, a complete response goes
    /// straight to `onSubmit`.
    fn post(&self, response: &Response) {
        let Some(endpoint) = &self.endpoint else {
            if response.status == Status::Complete {
                if let Ok(body) = serde_json::to_string(response) {
                    outbox::submitted(&response.response_id, &body);
                }
            }
            return;
        };
        match Letter::new(endpoint, &self.headers, response, now_ms()) {
            Ok(letter) => outbox::enqueue(&letter),
            Err(err) => console::error(&format!("could not serialize the response: {err}")),
        }
    }
}
