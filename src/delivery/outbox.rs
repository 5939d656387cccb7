//! The outbox: every payload is written to `localStorage` before the first attempt to send
//! it, and removed only once the endpoint answered 2xx.
//!
//! - A [`Letter`] (the payload with its endpoint and headers) is kept under
//!   `rapport-outbox:<response id>:<sequence>`; what happened to it so far ([`Attempts`]:
//!   failures, next attempt, lease) under `rapport-attempts:<…>`, apart, so that bookkeeping
//!   never brings back a letter another tab has just delivered.
//! - A new letter is sent by the tab that wrote it, in the next task (a page left before then
//!   sends it from `pagehide`), under a lease (so no other tab sends it at the same time).
//!   [`flush`] sends what is due later, one letter after the other, in the order they were
//!   written, while holding the cross-tab lock ([`super::lock`]), each under a lease while
//!   in flight.
//! - Network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and
//!   jitter, or after the endpoint's `Retry-After`; any other status is final: the letter is
//!   kept aside (`rapport-rejected:<…>`, at most [`MAX_KEPT`]) and `onError` is called.
//! - On `pagehide` everything not in flight is handed to the browser with `keepalive`
//!   (backoff or not), under a lease ([`HANDOFF_MS`]) so the next page does not send
//!   it again while it is on its way. The next page that loads the script sends what is
//!   left, before anything else ([`start`]).
//! - At most [`MAX_QUEUED`] letters, none older than [`MAX_AGE_MS`]; a newer sequence of a
//!   response replaces the older ones still waiting ([`admit`]).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use js_sys::Function;
use rapport_survey::Response;
use serde::Serialize;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::json;
use super::lock;
use super::retry::{self, Verdict, TIMEOUT_MS};
use super::send::{self, now_ms, sleep, Sent};
use super::storage;
use crate::console;
use crate::error::describe;

/// Prefix of the letters' storage keys.
pub const QUEUE_PREFIX: &str = "rapport-outbox:";
/// Prefix of the attempts' storage keys.
pub const ATTEMPTS_PREFIX: &str = "rapport-attempts:";
/// Prefix of the storage keys of letters the endpoint refused.
pub const KEPT_PREFIX: &str = "rapport-rejected:";
/// The most letters waiting at once.
pub const MAX_QUEUED: usize = 50;
/// The most refused letters kept aside.
pub const MAX_KEPT: usize = 10;
/// How long a letter is tried before it is given up: 30 days.
pub const MAX_AGE_MS: u64 = 30 * 24 * 60 * 60_000;
/// The lease of a letter in flight: the request's timeout and some leeway.
pub const LEASE_MS: u64 = TIMEOUT_MS as u64 + 5_000;
/// The lease of a letter handed to the browser when the page is left: how long the next
/// page waits before it sends it again. The browser may still be delivering it (a busy
/// phone takes seconds just to open a connection), and no page is left to hear the answer;
/// sooner would mean a duplicate (harmless with the `Idempotency-Key`) for nothing.
pub const HANDOFF_MS: u64 = 15_000;
/// When another tab is flushing, try again after this long (plus jitter).
const LOCK_RETRY_MS: u64 = 2_000;
/// The shortest wait between two flushes.
const MIN_WAKE_MS: u64 = 250;
/// The most attempts in one flush.
const MAX_SENDS_PER_FLUSH: usize = 100;

/// One payload on its way: what to POST, where, with which headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The endpoint URL.
    pub endpoint: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// The response id.
    pub response_id: String,
    /// The sequence number.
    pub sequence: u32,
    /// Whether this is the `complete` payload (its delivery calls `onSubmit`).
    pub complete: bool,
    /// When it was written (milliseconds since 1970).
    pub created: u64,
    /// The payload, JSON.
    pub body: String,
}

impl Letter {
    /// The letter for `response`.
    ///
    /// # Errors
    /// When the response cannot be serialized (a bug).
    pub fn new(
        endpoint: &str,
        headers: &[(String, String)],
        response: &Response,
        now: u64,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self {
            endpoint: endpoint.to_owned(),
            headers: headers.to_vec(),
            response_id: response.response_id.clone(),
            sequence: response.sequence,
            complete: response.status == rapport_survey::Status::Complete,
            created: now,
            body: serde_json::to_string(response)?,
        })
    }

    /// A letter as stored.
    #[must_use]
    pub fn read(value: &Value) -> Option<Self> {
        let headers = value
            .get("headers")?
            .as_array()?
            .iter()
            .map(|pair| {
                let pair = json::texts(pair)?;
                match <[String; 2]>::try_from(pair) {
                    Ok([name, value]) => Some((name, value)),
                    Err(_) => None,
                }
            })
            .collect::<Option<_>>()?;
        Some(Self {
            endpoint: json::text(value, "endpoint")?,
            headers,
            response_id: json::text(value, "response_id")?,
            sequence: u32::try_from(json::number(value, "sequence")?).ok()?,
            complete: json::flag(value, "complete")?,
            created: json::number(value, "created")?,
            body: json::text(value, "body")?,
        })
    }

    /// The `Idempotency-Key` header: `<response id>:<sequence>`; also the letter's id.
    #[must_use]
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}", self.response_id, self.sequence)
    }

    fn queued(&self) -> Queued {
        Queued {
            id: self.idempotency_key(),
            response_id: self.response_id.clone(),
            sequence: self.sequence,
            complete: self.complete,
            created: self.created,
        }
    }
}

/// What happened to a letter so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Attempts {
    /// Failed attempts.
    pub failures: u32,
    /// Not before this time (milliseconds since 1970).
    pub next_at: u64,
    /// Whether `next_at` is the endpoint's `Retry-After` (kept even by a new page).
    pub hold: bool,
    /// In flight until this time: nobody else sends it before.
    pub lease: u64,
}

impl Attempts {
    /// Attempts as stored; what is missing counts as nothing happened.
    #[must_use]
    pub fn read(value: &Value) -> Self {
        Self {
            failures: json::number(value, "failures")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            next_at: json::number(value, "next_at").unwrap_or(0),
            hold: json::flag(value, "hold").unwrap_or(false),
            lease: json::number(value, "lease").unwrap_or(0),
        }
    }

    /// Whether the letter is to be sent at `now`. A `fresh` page (the first flush after the
    /// script loaded) does not wait for the backoff of earlier pages, only for the
    /// endpoint's `Retry-After` and for leases.
    #[must_use]
    pub fn due(&self, now: u64, fresh: bool) -> bool {
        self.lease <= now && (self.next_at <= now || (fresh && !self.hold))
    }

    /// When the letter may be due next.
    #[must_use]
    pub fn wake_at(&self) -> u64 {
        self.lease.max(self.next_at)
    }

    /// After a failed attempt at `now`: back off, or wait as long as the endpoint asked.
    #[must_use]
    pub fn failed(self, now: u64, retry_after: Option<u64>, random: f64) -> Self {
        let failures = self.failures.saturating_add(1);
        Self {
            failures,
            next_at: now + retry_after.unwrap_or_else(|| retry::backoff_ms(failures, random)),
            hold: retry_after.is_some(),
            lease: 0,
        }
    }
}

/// A waiting letter, as the queue policy ([`admit`]) sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// `<response id>:<sequence>`.
    pub id: String,
    /// The response id.
    pub response_id: String,
    /// The sequence number.
    pub sequence: u32,
    /// Whether it is a `complete` payload.
    pub complete: bool,
    /// When it was written.
    pub created: u64,
}

/// What to do to the queue to add a letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Admission {
    /// Whether to add it (not when the queue has the same or a newer post of the response).
    pub admit: bool,
    /// Older posts of the same response: replaced, nothing is lost.
    pub superseded: Vec<String>,
    /// Letters given up to make room or because they are too old: lost.
    pub dropped: Vec<String>,
}

/// The queue policy: adding `new` to `queued` at `now`. Older sequences of the same
/// response are superseded; letters older than [`MAX_AGE_MS`] are dropped; beyond
/// [`MAX_QUEUED`] the oldest partial posts go first, then the oldest complete ones.
#[must_use]
pub fn admit(queued: &[Queued], new: &Queued, now: u64) -> Admission {
    let same = |q: &&Queued| q.response_id == new.response_id;
    if queued
        .iter()
        .filter(same)
        .any(|q| q.sequence >= new.sequence)
    {
        return Admission::default();
    }
    let superseded: Vec<String> = queued.iter().filter(same).map(|q| q.id.clone()).collect();
    let mut rest: Vec<&Queued> = queued.iter().filter(|q| !same(q)).collect();
    let mut dropped = Vec::new();
    rest.retain(|q| {
        let expired = q.created.saturating_add(MAX_AGE_MS) <= now;
        if expired {
            dropped.push(q.id.clone());
        }
        !expired
    });
    while rest.len() >= MAX_QUEUED {
        let oldest = |partial_only: bool| {
            (0..rest.len())
                .filter(|&i| !(partial_only && rest[i].complete))
                .min_by_key(|&i| (rest[i].created, rest[i].sequence))
        };
        let Some(victim) = oldest(true).or_else(|| oldest(false)) else {
            break;
        };
        dropped.push(rest.remove(victim).id.clone());
    }
    Admission {
        admit: true,
        superseded,
        dropped,
    }
}

/// The keys among `items` (`(key, time)`) beyond the `keep` most recent.
#[must_use]
pub fn oldest_beyond(items: &[(String, u64)], keep: usize) -> Vec<String> {
    // A selection rather than a sort: a handful of items, and no sorting code in the bundle.
    let mut left: Vec<&(String, u64)> = items.iter().collect();
    let mut out = Vec::new();
    while left.len() > keep {
        let Some(oldest) = (0..left.len()).min_by_key(|&i| (left[i].1, &left[i].0)) else {
            break;
        };
        out.push(left.remove(oldest).0.clone());
    }
    out
}

/// The callbacks for a response's deliveries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hooks {
    /// Called with the payload once the endpoint acknowledged the `complete` one.
    pub on_submit: Option<Function>,
    /// Called with `{code: "delivery", reason, message, status, response_id, sequence}`
    /// when a payload is refused by the endpoint or given up.
    pub on_error: Option<Function>,
}

/// A letter kept aside after the endpoint refused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// The letter.
    pub letter: Letter,
    /// The endpoint's status (none: the request could not be made).
    pub status: Option<u16>,
    /// When it was refused.
    pub at: u64,
}

impl Kept {
    /// A kept letter as stored.
    #[must_use]
    pub fn read(value: &Value) -> Option<Self> {
        Some(Self {
            letter: Letter::read(value.get("letter")?)?,
            status: json::number(value, "status").and_then(|s| u16::try_from(s).ok()),
            at: json::number(value, "at")?,
        })
    }
}

// This tab's part (plain statics: the page has one thread).
static STARTED: AtomicBool = AtomicBool::new(false);
/// Between `pagehide` and `pageshow`: requests in flight may still be delivered by the
/// browser even though the page hears they failed.
static LEAVING: AtomicBool = AtomicBool::new(false);
static FLUSHING: AtomicBool = AtomicBool::new(false);
static AGAIN: AtomicBool = AtomicBool::new(false);
static FRESH: AtomicBool = AtomicBool::new(false);
static TIMER: AtomicU32 = AtomicU32::new(0);

thread_local! {
    static HOOKS: RefCell<Vec<(String, Hooks)>> = const { RefCell::new(Vec::new()) };
    /// Letters [`enqueue`]d by this page (born leased) whose first request is not made yet.
    static UNSENT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Whether letter `id` still waited for its first request; it no longer does.
fn take_unsent(id: &str) -> bool {
    UNSENT.with(|unsent| {
        let mut unsent = unsent.borrow_mut();
        let before = unsent.len();
        unsent.retain(|waiting| waiting != id);
        unsent.len() != before
    })
}

/// Runs `work` in the background (one instantiation of the executor for all of delivery).
fn spawn(work: impl Future<Output = ()> + 'static) {
    let work: Pin<Box<dyn Future<Output = ()>>> = Box::pin(work);
    wasm_bindgen_futures::spawn_local(work);
}

fn get(flag: &AtomicBool) -> bool {
    flag.load(Ordering::Relaxed)
}

fn set(flag: &AtomicBool, value: bool) -> bool {
    flag.swap(value, Ordering::Relaxed)
}

fn queue_key(id: &str) -> String {
    format!("{QUEUE_PREFIX}{id}")
}

fn attempts_key(id: &str) -> String {
    format!("{ATTEMPTS_PREFIX}{id}")
}

/// Starts the outbox on this page (once): listens for `pagehide` and `online`, and sends
/// what earlier pages left, ignoring their backoff.
pub fn start() {
    if set(&STARTED, true) {
        return;
    }
    set(&FRESH, true);
    if let Some(window) = web_sys::window() {
        let handlers = [
            ("pagehide", leave as fn()),
            ("pageshow", back),
            ("online", flush_soon),
        ];
        for (event, handler) in handlers {
            let closure = Closure::<dyn Fn()>::new(handler);
            let _ =
                window.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
            // Lives as long as the page.
            closure.forget();
        }
    }
    flush_soon();
}

/// Calls `hooks` for the deliveries of response `response_id` made from this page.
pub fn register(response_id: &str, hooks: Hooks) {
    if hooks == Hooks::default() {
        return;
    }
    HOOKS.with(|all| {
        let mut all = all.borrow_mut();
        all.retain(|(id, _)| id != response_id);
        all.push((response_id.to_owned(), hooks));
    });
}

/// Writes `letter` to the outbox and sends it as soon as it can.
pub fn enqueue(letter: &Letter) {
    start();
    let waiting = letters();
    let queued: Vec<Queued> = waiting.iter().map(|(l, _)| l.queued()).collect();
    let admission = admit(&queued, &letter.queued(), now_ms());
    for id in &admission.superseded {
        forget(id);
    }
    for id in &admission.dropped {
        if let Some((lost, _)) = waiting.iter().find(|(l, _)| &l.idempotency_key() == id) {
            let message = format!(
                "gave up response {id} for {}: the outbox is full or the payload is too old",
                lost.endpoint
            );
            console::warn(&message);
            report(lost, "dropped", &message, None);
        }
        forget(id);
    }
    if admission.admit {
        if let Ok(json) = serde_json::to_string(letter) {
            // Born leased (the lease written first, so any tab that sees the letter sees the
            // lease too) and sent at once, without waiting for the lock: the customer may be
            // about to leave the page.
            let id = letter.idempotency_key();
            let lease = Attempts {
                lease: now_ms() + LEASE_MS,
                ..Attempts::default()
            };
            set_attempts(&id, lease);
            storage::set(&queue_key(&id), &json);
            let letter = letter.clone();
            UNSENT.with(|unsent| unsent.borrow_mut().push(id.clone()));
            spawn(async move {
                // In the next task, not in the one of the click that gave the answer: making
                // the request (and asking for the lock) there would make it a long task on a
                // slow phone. A page left meanwhile sends it from `leave`.
                crate::trigger::next_task().await;
                if !take_unsent(&id) {
                    return;
                }
                // Nobody else can have it yet: send first (the customer may be leaving), and
                // take its lock meanwhile, to keep after the delivery.
                let asked = lock::ask(&letter_lock(&letter));
                let sent = send::send(&letter).await;
                let claim = asked.claim().await;
                settle(&letter, sent, claim);
                flush_soon();
            });
        }
    }
    flush_soon();
}

/// Every letter waiting, oldest first, with its attempts. Unreadable entries are removed.
#[must_use]
pub fn letters() -> Vec<(Letter, Attempts)> {
    let mut found: Vec<(Letter, Attempts)> = storage::keys(QUEUE_PREFIX)
        .into_iter()
        .filter_map(|key| {
            let letter = storage::get(&key)
                .and_then(|text| json::parse(&text))
                .and_then(|value| Letter::read(&value));
            if letter.is_none() {
                storage::remove(&key);
            }
            letter
        })
        .map(|letter: Letter| {
            let attempts = attempts_of(&letter.idempotency_key());
            (letter, attempts)
        })
        .collect();
    // Insertion sort: a handful of letters, and no sorting code in the bundle.
    for i in 1..found.len() {
        let mut j = i;
        while j > 0 && order(&found[j - 1].0) > order(&found[j].0) {
            found.swap(j - 1, j);
            j -= 1;
        }
    }
    found
}

fn order(letter: &Letter) -> (u64, u32) {
    (letter.created, letter.sequence)
}

/// Letters the endpoint refused, kept aside.
#[must_use]
pub fn kept() -> Vec<Kept> {
    storage::keys(KEPT_PREFIX)
        .iter()
        .filter_map(|key| storage::get(key))
        .filter_map(|text| json::parse(&text))
        .filter_map(|value| Kept::read(&value))
        .collect()
}

fn attempts_of(id: &str) -> Attempts {
    storage::get(&attempts_key(id))
        .and_then(|text| json::parse(&text))
        .map_or_else(Attempts::default, |value| Attempts::read(&value))
}

fn set_attempts(id: &str, attempts: Attempts) {
    if let Ok(json) = serde_json::to_string(&attempts) {
        storage::set(&attempts_key(id), &json);
    }
}

fn forget(id: &str) {
    take_unsent(id);
    storage::remove(&queue_key(id));
    storage::remove(&attempts_key(id));
}

/// Whether no flush is running in this tab.
#[must_use]
pub fn idle() -> bool {
    !get(&FLUSHING)
}

/// Flushes soon, in the background: in a later task than the caller's, which is the one
/// that starts the widget or handles the customer's click. What is sent is in the outbox
/// already; reading it, taking the lock and sending would otherwise add to that task, and on
/// a slow phone make it a long one.
pub fn flush_soon() {
    spawn(async {
        crate::trigger::next_task().await;
        flush().await;
    });
}

/// Sends every due letter, if no other tab is doing so; then plans the next flush.
pub async fn flush() {
    if set(&FLUSHING, true) {
        set(&AGAIN, true);
        return;
    }
    // Nothing stored, as on most pages (a customer's first order): nothing to send or plan,
    // and no Web Lock to ask for — asking is most of the work of a flush that finds nothing,
    // and the page's first flush runs while the survey starts.
    if storage::keys(QUEUE_PREFIX).is_empty() {
        set(&FRESH, false);
        set(&FLUSHING, false);
        schedule(None);
        return;
    }
    let held = loop {
        set(&AGAIN, false);
        let fresh = get(&FRESH);
        let held = lock::exclusive(send_due(fresh)).await;
        if held {
            set(&FRESH, false);
        }
        if !held || !get(&AGAIN) {
            break held;
        }
    };
    set(&FLUSHING, false);
    let now = now_ms();
    let waiting = letters();
    let wake = if held {
        waiting.iter().map(|(_, a)| a.wake_at()).min()
    } else {
        // Another tab is flushing: look again in a while, in case it goes away.
        let jitter = retry::backoff_ms(1, js_sys::Math::random());
        (!waiting.is_empty()).then_some(now + LOCK_RETRY_MS + jitter)
    };
    schedule(wake.map(|at| at.saturating_sub(now).max(MIN_WAKE_MS)));
}

/// Sends the due letters one after the other (each at most once).
async fn send_due(fresh: bool) {
    give_up_old(now_ms());
    let mut tried: Vec<String> = Vec::new();
    for _ in 0..MAX_SENDS_PER_FLUSH {
        let now = now_ms();
        let next = letters()
            .into_iter()
            .find(|(l, a)| a.due(now, fresh) && !tried.contains(&l.idempotency_key()));
        let Some((letter, attempts)) = next else {
            break;
        };
        let id = letter.idempotency_key();
        tried.push(id.clone());
        lock::refresh();
        let claim = lock::claim(&letter_lock(&letter)).await;
        if !claim.granted() {
            continue;
        }
        if storage::get(&queue_key(&id)).is_none() {
            claim.release();
            continue;
        }
        set_attempts(
            &id,
            Attempts {
                lease: now_ms() + LEASE_MS,
                ..attempts
            },
        );
        let sent = send::send(&letter).await;
        settle(&letter, sent, claim);
    }
}

/// Gives up letters older than [`MAX_AGE_MS`].
fn give_up_old(now: u64) {
    for (letter, _) in letters() {
        if letter.created.saturating_add(MAX_AGE_MS) <= now {
            let id = letter.idempotency_key();
            let message = format!(
                "gave up response {id} for {}: it could not be delivered in 30 days",
                letter.endpoint
            );
            console::warn(&message);
            report(&letter, "dropped", &message, None);
            forget(&id);
        }
    }
}

/// Plans a flush in `delay` milliseconds (replacing the one planned before).
fn schedule(delay: Option<u64>) {
    let generation = TIMER.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
    if let Some(delay) = delay {
        spawn(async move {
            sleep(delay).await;
            if TIMER.load(Ordering::Relaxed) == generation {
                flush().await;
            }
        });
    }
}

/// The name of a letter's own lock ([`lock::claim`]).
fn letter_lock(letter: &Letter) -> String {
    format!("rapport-letter:{}", letter.idempotency_key())
}

/// The page is back from the back/forward cache.
fn back() {
    set(&LEAVING, false);
    flush_soon();
}

/// The page is being left: hand everything not in flight to the browser with `keepalive`.
fn leave() {
    set(&LEAVING, true);
    let now = now_ms();
    for (letter, attempts) in letters() {
        // A letter of this page still waiting for its first request holds a lease, but is
        // not in flight.
        let unsent = take_unsent(&letter.idempotency_key());
        if !unsent && (attempts.lease > now || (attempts.hold && attempts.next_at > now)) {
            continue;
        }
        set_attempts(
            &letter.idempotency_key(),
            Attempts {
                lease: now + HANDOFF_MS,
                ..attempts
            },
        );
        // Runs before the page is gone (a microtask), so the request starts; its outcome
        // is only handled if the page stays (back/forward cache).
        spawn(async move {
            let sent = send::send(&letter).await;
            settle(&letter, sent, lock::Claim::Unsupported);
        });
    }
}

/// Acts on the outcome of an attempt, made under `claim`.
fn settle(letter: &Letter, sent: Sent, claim: lock::Claim) {
    let id = letter.idempotency_key();
    let (status, retry_after, problem) = match sent {
        Sent::Answered {
            status,
            retry_after,
        } => (Some(status), retry_after, format!("HTTP {status}")),
        // A page being left hears "failed" even while the browser goes on delivering the
        // request (`keepalive`): the letter keeps its lease, and the next page decides.
        Sent::NoAnswer(_) if get(&LEAVING) => return,
        // The browser says as little for a network error as for a request it blocked.
        Sent::NoAnswer(why) => (
            None,
            None,
            format!("{why}: offline, the endpoint unreachable, or the request refused by its CORS or the page's Content-Security-Policy (connect-src)"),
        ),
        Sent::Unsendable(why) => {
            let problem = format!("the request could not be made: {why}");
            reject(letter, None, &problem);
            claim.keep();
            return;
        }
    };
    match retry::classify(status) {
        Verdict::Delivered => {
            forget(&id);
            // Until this page is gone, no other tab sends the letter, whatever its view of
            // storage says.
            claim.keep();
            if letter.complete {
                submitted(&letter.response_id, &letter.body);
            }
        }
        Verdict::Retry => {
            // Delivered meanwhile by another tab, or replaced by a newer post: done.
            if storage::get(&queue_key(&id)).is_none() {
                claim.release();
                return;
            }
            let now = now_ms();
            let wait = retry_after
                .as_deref()
                .and_then(|value| retry::retry_after_ms(value, now, send::parse_date));
            let attempts = attempts_of(&id).failed(now, wait, js_sys::Math::random());
            set_attempts(&id, attempts);
            claim.release();
            if attempts.failures == 1 {
                console::warn(&format!(
                    "could not deliver response {id} to {} ({problem}); it stays in the outbox and is sent again",
                    letter.endpoint
                ));
            }
        }
        Verdict::Reject => {
            reject(letter, status, &problem);
            claim.keep();
        }
    }
}

/// The endpoint refused the letter: keep it aside, tell the shop.
fn reject(letter: &Letter, status: Option<u16>, problem: &str) {
    let id = letter.idempotency_key();
    forget(&id);
    let kept = Kept {
        letter: letter.clone(),
        status,
        at: now_ms(),
    };
    let aside: Vec<(String, u64)> = storage::keys(KEPT_PREFIX)
        .into_iter()
        .map(|key| {
            let at = storage::get(&key)
                .and_then(|text| json::parse(&text))
                .and_then(|value| json::number(&value, "at"))
                .unwrap_or(0);
            (key, at)
        })
        .collect();
    for old in oldest_beyond(&aside, MAX_KEPT.saturating_sub(1)) {
        storage::remove(&old);
    }
    if let Ok(json) = serde_json::to_string(&kept) {
        storage::set(&format!("{KEPT_PREFIX}{id}"), &json);
    }
    let message = format!(
        "{} refused response {id} ({problem}); it is not sent again (kept in localStorage under {KEPT_PREFIX}{id})",
        letter.endpoint
    );
    console::error(&message);
    report(letter, "rejected", &message, status);
}

/// Calls `onSubmit` with the complete payload `body` of response `response_id`.
pub fn submitted(response_id: &str, body: &str) {
    let payload = js_sys::JSON::parse(body).unwrap_or(JsValue::UNDEFINED);
    call(response_id, |h| h.on_submit.as_ref(), "onSubmit", &payload);
}

/// What `onError` receives about a payload.
#[derive(Serialize)]
struct ErrorInfo<'a> {
    code: &'static str,
    reason: &'a str,
    message: &'a str,
    status: Option<u16>,
    response_id: &'a str,
    sequence: u32,
}

/// Tells `onError` about a letter that will not be delivered.
fn report(letter: &Letter, reason: &str, message: &str, status: Option<u16>) {
    let info = ErrorInfo {
        code: "delivery",
        reason,
        message,
        status,
        response_id: &letter.response_id,
        sequence: letter.sequence,
    };
    let info = serde_json::to_string(&info)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::UNDEFINED);
    call(
        &letter.response_id,
        |h| h.on_error.as_ref(),
        "onError",
        &info,
    );
}

/// Calls one of the hooks registered for a response, soon (never in the middle of the
/// widget's own work, so the callback may call `rapport.close()`); a callback that throws
/// is reported on the console and changes nothing.
fn call(
    response_id: &str,
    pick: impl Fn(&Hooks) -> Option<&Function>,
    name: &str,
    argument: &JsValue,
) {
    let function = HOOKS.with(|all| {
        all.borrow()
            .iter()
            .find(|(r, _)| r == response_id)
            .and_then(|(_, hooks)| pick(hooks).cloned())
    });
    if let Some(function) = function {
        let (name, argument) = (name.to_owned(), argument.clone());
        spawn(async move {
            if let Err(thrown) = function.call1(&JsValue::UNDEFINED, &argument) {
                console::error(&format!("the {name} callback threw: {}", describe(&thrown)));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(response_id: &str, sequence: u32, complete: bool, created: u64) -> Queued {
        Queued {
            id: format!("{response_id}:{sequence}"),
            response_id: response_id.into(),
            sequence,
            complete,
            created,
        }
    }

    #[test]
    fn a_newer_post_of_a_response_supersedes_the_waiting_ones() {
        let waiting = [
            queued("a", 1, false, 10),
            queued("b", 1, false, 11),
            queued("a", 2, false, 12),
        ];
        let admission = admit(&waiting, &queued("a", 3, true, 13), 20);
        assert_eq!(
            admission,
            Admission {
                admit: true,
                superseded: vec!["a:1".into(), "a:2".into()],
                dropped: vec![],
            }
        );
        // An older or equal post is not added again.
        assert!(!admit(&waiting, &queued("a", 2, false, 13), 20).admit);
        assert!(!admit(&waiting, &queued("a", 1, true, 13), 20).admit);
    }

    #[test]
    fn the_queue_is_bounded_partial_posts_going_first() {
        let mut waiting: Vec<Queued> = (0..MAX_QUEUED as u64)
            .map(|i| queued(&format!("r{i}"), 1, i % 2 == 0, 100 + i))
            .collect();
        let admission = admit(&waiting, &queued("new", 1, true, 1_000), 1_000);
        assert!(admission.admit);
        // r1 is the oldest partial post.
        assert_eq!(admission.dropped, vec!["r1".to_owned() + ":1"]);
        // Only complete posts: the oldest goes.
        for q in &mut waiting {
            q.complete = true;
        }
        let admission = admit(&waiting, &queued("new", 1, true, 1_000), 1_000);
        assert_eq!(admission.dropped, vec!["r0:1".to_owned()]);
        // Below the bound nothing is dropped.
        assert!(admit(&waiting[1..], &queued("new", 1, true, 1_000), 1_000)
            .dropped
            .is_empty());
    }

    #[test]
    fn too_old_letters_are_dropped() {
        let waiting = [queued("old", 1, true, 0), queued("young", 1, true, 5)];
        let admission = admit(&waiting, &queued("new", 1, true, MAX_AGE_MS), MAX_AGE_MS);
        assert_eq!(admission.dropped, vec!["old:1".to_owned()]);
    }

    #[test]
    fn due_waits_for_leases_and_backoff_but_a_fresh_page_not_for_backoff() {
        let now = 10_000;
        let new = Attempts::default();
        assert!(new.due(now, false));
        let backing_off = new.failed(now, None, 0.0);
        assert_eq!(backing_off.failures, 1);
        assert_eq!(backing_off.next_at, now + 500);
        assert!(!backing_off.hold);
        assert!(!backing_off.due(now + 499, false));
        assert!(backing_off.due(now + 500, false));
        assert!(backing_off.due(now, true), "a new page does not wait");
        let told = new.failed(now, Some(30_000), 0.0);
        assert!(told.hold);
        assert!(!told.due(now, true), "the endpoint's Retry-After holds");
        assert!(told.due(now + 30_000, false));
        let leased = Attempts {
            lease: now + 1,
            ..new
        };
        assert!(!leased.due(now, true));
        assert_eq!(leased.wake_at(), now + 1);
        // Failures accumulate, and the wait with them.
        let third = backing_off.failed(now, None, 0.0).failed(now, None, 0.0);
        assert_eq!((third.failures, third.next_at), (3, now + 2_000));
    }

    #[test]
    fn reads_back_what_it_stores() {
        let letter = Letter {
            endpoint: "https://collector.example/r".into(),
            headers: vec![("X-Shop".into(), "k\"w".into())],
            response_id: "r".into(),
            sequence: 3,
            complete: true,
            created: 1_795_000_000_000,
            body: r#"{"a":"ü"}"#.into(),
        };
        assert_eq!(Letter::read(&stored(&letter)), Some(letter.clone()));
        let attempts = Attempts {
            failures: 2,
            next_at: 5,
            hold: true,
            lease: 7,
        };
        assert_eq!(Attempts::read(&stored(&attempts)), attempts);
        assert_eq!(Attempts::read(&Value::Null), Attempts::default());
        let kept = Kept {
            letter,
            status: Some(400),
            at: 9,
        };
        assert_eq!(Kept::read(&stored(&kept)), Some(kept.clone()));
        let unsendable = Kept {
            status: None,
            ..kept
        };
        assert_eq!(Kept::read(&stored(&unsendable)), Some(unsendable));
        assert_eq!(
            Letter::read(&json::parse(r#"{"endpoint": "x"}"#).unwrap_or(Value::Null)),
            None
        );
    }

    /// What `value` reads as once stored.
    fn stored<T: Serialize>(value: &T) -> Value {
        json::parse(&serde_json::to_string(value).unwrap_or_default()).unwrap_or(Value::Null)
    }

    #[test]
    fn oldest_beyond_keeps_the_most_recent() {
        let items: Vec<(String, u64)> = [("a", 3), ("b", 1), ("c", 2)]
            .iter()
            .map(|(k, t)| ((*k).to_owned(), *t))
            .collect();
        assert_eq!(oldest_beyond(&items, 2), vec!["b".to_owned()]);
        assert_eq!(oldest_beyond(&items, 0).len(), 3);
        assert!(oldest_beyond(&items, 5).is_empty());
    }
}
