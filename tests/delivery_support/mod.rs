//! Helpers shared by delivery's browser tests (`tests/delivery*.rs`): a scripted endpoint in
//! place of `window.fetch` that records every request and answers as told (a status,
//! `Retry-After`, or no answer at all), letters, waiting, recording callbacks.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use rapport::delivery::outbox::{self, Letter};
use rapport::delivery::storage;
use rapport_survey::{Action, Context, RunState, ValidSurvey};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, ResponseInit};

pub const ENDPOINT: &str = "https://collector.example/responses";

/// Two answerable steps, a partial post after each with `per_step`.
pub const PER_STEP: &str = r#"{
  "id": "steps", "version": 1, "default_locale": "en", "locales": ["en"], "delivery": "per_step",
  "steps": [
    {"id": "nps", "kind": "nps", "required": true, "title": {"en": "Recommend us?"}},
    {"id": "why", "kind": "text", "title": {"en": "Why?"}}
  ]
}"#;

/// What the scripted endpoint does with one request.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Status(u16),
    RetryAfter(u16, &'static str),
    /// No answer: `fetch` rejects, as with a refused connection.
    Down,
}

/// One request the endpoint received.
pub struct Call {
    pub request: Request,
    pub at: f64,
    /// The outbox keys in storage when the request was made.
    pub stored: Vec<String>,
}

/// Replaces `window.fetch` (for good: see `Drop`).
pub struct Endpoint {
    window: JsValue,
    pub calls: Rc<RefCell<Vec<Call>>>,
    fallback: Rc<RefCell<Answer>>,
    _hook: Closure<dyn FnMut(JsValue) -> Promise>,
}

impl Endpoint {
    /// Answers as `script` says, in order, then 200.
    pub fn install(script: &[Answer]) -> Self {
        let window: JsValue = js_sys::global().into();
        let calls = Rc::new(RefCell::new(Vec::new()));
        let fallback = Rc::new(RefCell::new(Answer::Status(200)));
        let mut script: VecDeque<Answer> = script.iter().copied().collect();
        let (sink, default) = (calls.clone(), fallback.clone());
        let hook = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |input: JsValue| {
            let Ok(request) = input.dyn_into::<Request>() else {
                return Promise::reject(&"delivery should fetch a Request".into());
            };
            sink.borrow_mut().push(Call {
                request,
                at: js_sys::Date::now(),
                stored: storage::keys(outbox::QUEUE_PREFIX),
            });
            let answer = script.pop_front().unwrap_or_else(|| *default.borrow());
            match answer {
                Answer::Down => Promise::reject(&js_sys::TypeError::new("Failed to fetch").into()),
                Answer::Status(status) => answer_with(status, None),
                Answer::RetryAfter(status, after) => answer_with(status, Some(after)),
            }
        });
        let _ = Reflect::set(&window, &"fetch".into(), hook.as_ref());
        Self {
            window,
            calls,
            fallback,
            _hook: hook,
        }
    }

    pub fn count(&self) -> usize {
        self.calls.borrow().len()
    }

    /// From now on, answer this once the script is used up.
    pub fn then_answer(&self, answer: Answer) {
        *self.fallback.borrow_mut() = answer;
    }

    pub fn header(&self, i: usize, name: &str) -> Option<String> {
        self.calls.borrow()[i]
            .request
            .headers()
            .get(name)
            .ok()
            .flatten()
    }

    pub fn keys(&self) -> Vec<String> {
        (0..self.count())
            .map(|i| self.header(i, "Idempotency-Key").unwrap_or_default())
            .collect()
    }

    pub fn times(&self) -> Vec<f64> {
        self.calls.borrow().iter().map(|c| c.at).collect()
    }

    pub async fn body(&self, i: usize) -> String {
        let request = Clone::clone(&self.calls.borrow()[i].request);
        match request.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|b| b.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

impl Drop for Endpoint {
    /// Leaves a `fetch` that fails at once: whatever is still in flight from one test must not
    /// reach the network (or wait for its timeout) while the next one runs.
    fn drop(&mut self) {
        let offline = Function::new_no_args("return Promise.reject(new TypeError('offline'))");
        let _ = Reflect::set(&self.window, &"fetch".into(), &offline);
    }
}

pub fn answer_with(status: u16, retry_after: Option<&str>) -> Promise {
    let init = ResponseInit::new();
    init.set_status(status);
    if let (Some(value), Ok(headers)) = (retry_after, Headers::new()) {
        let _ = headers.set("Retry-After", value);
        init.set_headers(&headers);
    }
    match web_sys::Response::new_with_opt_str_and_init(None, &init) {
        Ok(response) => Promise::resolve(&JsValue::from(response)),
        Err(err) => Promise::reject(&err),
    }
}

/// Empties delivery's storage (outbox, attempts, kept aside, runs, lock).
pub fn clear() {
    for key in storage::keys("rapport-") {
        storage::remove(&key);
    }
}

/// A clean start for a test: storage emptied, and no flush of an earlier test still running
/// (the first flush of the page, which ignores backoff, is over).
pub async fn quiet() {
    clear();
    outbox::start();
    wait_for("the flushes of earlier tests", 12_000, outbox::idle).await;
    outbox::flush().await;
    clear();
}

pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

pub async fn wait_for(what: &str, timeout_ms: i32, done: impl Fn() -> bool) {
    for _ in 0..timeout_ms / 20 {
        if done() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

pub fn now() -> u64 {
    rapport::delivery::send::now_ms()
}

pub fn letter(response_id: &str, sequence: u32, complete: bool) -> Letter {
    Letter {
        endpoint: ENDPOINT.into(),
        headers: vec![("X-Shop".into(), "kaffeewerk".into())],
        response_id: response_id.into(),
        sequence,
        complete,
        created: now(),
        body: format!(r#"{{"response_id":"{response_id}","sequence":{sequence}}}"#),
    }
}

pub fn waiting() -> Vec<String> {
    outbox::letters()
        .iter()
        .map(|(l, _)| l.idempotency_key())
        .collect()
}

/// What a recording JS function was called with.
pub type Seen = Rc<RefCell<Vec<JsValue>>>;

/// A JS function that records its argument, and what it recorded (keep the closure alive).
pub fn recorder() -> (Function, Seen, Closure<dyn FnMut(JsValue)>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |value| sink.borrow_mut().push(value));
    let function: Function = closure.as_ref().unchecked_ref::<Function>().clone();
    (function, seen, closure)
}

pub fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn survey(json: &str) -> Rc<ValidSurvey> {
    match rapport_survey::load(json) {
        Ok(survey) => Rc::new(survey),
        Err(problems) => panic!("invalid test survey: {problems:?}"),
    }
}

pub fn context(order: &str) -> Rc<Context> {
    let mut context = Context::default();
    context.order.id = Some(order.into());
    Rc::new(context)
}

pub fn apply(
    survey: &ValidSurvey,
    context: &Context,
    state: &RunState,
    action: Action,
) -> RunState {
    match survey.apply(context, state, action) {
        Ok(state) => state,
        Err(err) => panic!("{err}"),
    }
}

/// Stores `letter` as an earlier page would have left it: waiting, not in flight.
pub fn leave_behind(letter: &Letter) {
    let json = serde_json::to_string(letter).unwrap_or_default();
    storage::set(
        &format!("{}{}", outbox::QUEUE_PREFIX, letter.idempotency_key()),
        &json,
    );
}

/// Counts the calls of the browser's `Class.prototype.method` whose first argument passes
/// `filter` (a JavaScript expression over `arg`, e.g. `String(arg).startsWith('rapport-run:')`;
/// `true` for every call), until [`Calls::stop`] puts the original back.
pub fn count_calls(class: &str, method: &'static str, filter: &str) -> Calls {
    let prototype = Reflect::get(&js_sys::global(), &class.into())
        .and_then(|c| Reflect::get(&c, &"prototype".into()))
        .unwrap_or_default();
    let original = Reflect::get(&prototype, &method.into()).unwrap_or_default();
    let counter = format!("__calls_{class}_{method}");
    let counting = Function::new_with_args(
        "original",
        &format!(
            "globalThis.{counter} = 0; return function (...args) {{ const arg = args[0]; \
             if ({filter}) globalThis.{counter}++; return original.apply(this, args); }}"
        ),
    )
    .call1(&JsValue::UNDEFINED, &original)
    .unwrap_or_default();
    assert!(
        Reflect::set(&prototype, &method.into(), &counting).unwrap_or(false),
        "this browser has no {class}.prototype.{method} to count"
    );
    Calls {
        prototype,
        method,
        original,
        counter,
    }
}

/// Calls counted by [`count_calls`].
pub struct Calls {
    prototype: JsValue,
    method: &'static str,
    original: JsValue,
    counter: String,
}

impl Calls {
    /// How many so far.
    pub fn count(&self) -> f64 {
        Reflect::get(&js_sys::global(), &self.counter.as_str().into())
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(f64::NAN)
    }

    /// Puts the original method back; how many there were.
    pub fn stop(self) -> f64 {
        let _ = Reflect::set(&self.prototype, &self.method.into(), &self.original);
        self.count()
    }
}
