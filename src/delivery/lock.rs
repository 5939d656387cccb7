//! One sender at a time across the tabs of a shop.
//!
//! - [`exclusive`] runs a flush only if no other tab (or frame) of the same origin is
//!   flushing. With the Web Locks API (`navigator.locks`, every current browser on HTTPS
//!   pages) the lock is the browser's. Without it, a lease in `localStorage` stands in:
//!   written, read back after a pause (so that a competing tab's write has arrived), held only
//!   by the tab that still finds its own name there, and kept fresh while the flush lasts
//!   ([`refresh`]).
//! - [`claim`] takes a letter's own Web Lock before it is sent. A tab that delivered a letter
//!   keeps its lock for as long as the page lives ([`Claim::keep`]): another tab whose view of
//!   `localStorage` still shows the letter (other tabs' writes reach a tab a little later)
//!   finds the lock taken and leaves the letter alone.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::send::{now_ms, sleep};
use super::storage;

/// The lock's name (Web Locks) and storage key (fallback).
const NAME: &str = "rapport-outbox";
/// The pause before trusting what storage says: other tabs' writes reach this one within a
/// few milliseconds.
const SETTLE_MS: u64 = 50;
/// How long the fallback lease lasts unless refreshed.
const LEASE_MS: u64 = 30_000;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind `web_sys_unstable_apis`).
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &JsValue,
    ) -> Result<Promise, JsValue>;
}

thread_local! {
    /// This tab's name in the fallback lease.
    static OWNER: String = crate::session::new_response_id();
}

/// Whether this tab holds the fallback lease.
static HOLDING: AtomicBool = AtomicBool::new(false);
/// Whether to use the Web Locks API (tests switch it off).
static WEB_LOCKS: AtomicBool = AtomicBool::new(true);

/// Runs `work` if this tab gets the lock; returns whether it did.
pub async fn exclusive<F: Future<Output = ()> + 'static>(work: F) -> bool {
    match web_locks() {
        Some(locks) => with_web_lock(&locks, work).await,
        None => with_lease(work).await,
    }
}

/// A letter's lock, or what stands in for it.
#[derive(Debug)]
pub enum Claim {
    /// Held by this tab until released (or the page is gone).
    Held(js_sys::Function),
    /// Held by another tab: leave the letter alone.
    Taken,
    /// No Web Locks: the letter's lease in storage is all there is.
    Unsupported,
}

impl Claim {
    /// Whether the letter may be sent.
    #[must_use]
    pub fn granted(&self) -> bool {
        !matches!(self, Self::Taken)
    }

    /// Lets other tabs have the letter (after a failed attempt).
    pub fn release(self) {
        if let Self::Held(release) = self {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }

    /// Keeps the lock until the page is gone (after the letter was delivered or refused).
    pub fn keep(self) {
        // The promise the lock waits for is never settled now.
    }
}

/// Takes the Web Lock `name` if no other tab holds it.
pub async fn claim(name: &str) -> Claim {
    ask(name).claim().await
}

/// A request for a letter's lock, made ([`ask`]) but not yet answered.
#[derive(Debug)]
pub struct Asked(Option<Promise>);

impl Asked {
    /// The answer.
    pub async fn claim(self) -> Claim {
        let Some(answered) = self.0 else {
            return Claim::Unsupported;
        };
        match JsFuture::from(answered).await {
            Ok(release) => match release.dyn_into::<js_sys::Function>() {
                Ok(release) => Claim::Held(release),
                Err(_) => Claim::Taken,
            },
            Err(_) => Claim::Unsupported,
        }
    }
}

/// Asks for the Web Lock `name` now, to learn the answer later ([`Asked::claim`]).
#[must_use]
pub fn ask(name: &str) -> Asked {
    let Some(locks) = web_locks() else {
        return Asked(None);
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let mut answer = None;
    let answered = Promise::new(&mut |resolve, _| answer = Some(resolve));
    let Some(answer) = answer else {
        return Asked(None);
    };
    // The callback tells `answered` the release function (or `null`: taken), and returns
    // the promise the lock is held until.
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| {
        if lock.is_null() {
            let _ = answer.call1(&JsValue::UNDEFINED, &JsValue::NULL);
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        Promise::new(&mut |release, _| {
            let _ = answer.call1(&JsValue::UNDEFINED, &release);
        })
    });
    match locks.request(name, &options, &callback) {
        Ok(_) => Asked(Some(answered)),
        Err(_) => Asked(None),
    }
}

/// Keeps the fallback lease fresh during a long flush (nothing to do with Web Locks).
pub fn refresh() {
    if HOLDING.load(Ordering::Relaxed) {
        write_lease();
    }
}

/// Makes [`exclusive`] use the `localStorage` lease even where Web Locks exist (for tests).
#[doc(hidden)]
pub fn use_web_locks(yes: bool) {
    WEB_LOCKS.store(yes, Ordering::Relaxed);
}

fn web_locks() -> Option<LockManager> {
    if !WEB_LOCKS.load(Ordering::Relaxed) {
        return None;
    }
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    locks.is_object().then(|| locks.unchecked_into())
}

async fn with_web_lock<F: Future<Output = ()> + 'static>(locks: &LockManager, work: F) -> bool {
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    // The lock is held until the promise the callback returns settles; `null` means
    // another tab holds it.
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        future_to_promise(async move {
            sleep(SETTLE_MS).await;
            work.await;
            Ok(JsValue::TRUE)
        })
    });
    match locks.request(NAME, &options, &callback) {
        Ok(promise) => JsFuture::from(promise)
            .await
            .is_ok_and(|held| held.is_truthy()),
        Err(_) => false,
    }
}

async fn with_lease<F: Future<Output = ()>>(work: F) -> bool {
    if HOLDING.load(Ordering::Relaxed)
        || lease_holder(now_ms()).is_some_and(|holder| !is_me(&holder))
    {
        return false;
    }
    write_lease();
    sleep(SETTLE_MS).await;
    if !lease_holder(now_ms()).is_some_and(|holder| is_me(&holder)) {
        return false;
    }
    HOLDING.store(true, Ordering::Relaxed);
    work.await;
    HOLDING.store(false, Ordering::Relaxed);
    if lease_holder(now_ms()).is_some_and(|holder| is_me(&holder)) {
        storage::remove(NAME);
    }
    true
}

/// The tab holding an unexpired lease.
fn lease_holder(now: u64) -> Option<String> {
    let lease = storage::get(NAME)?;
    let (owner, until) = lease.split_once(' ')?;
    let until: u64 = until.parse().ok()?;
    (until > now).then(|| owner.to_owned())
}

fn is_me(owner: &str) -> bool {
    OWNER.with(|me| me == owner)
}

fn write_lease() {
    let lease = OWNER.with(|me| format!("{me} {}", now_ms() + LEASE_MS));
    storage::set(NAME, &lease);
}
