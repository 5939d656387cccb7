//! `localStorage` that never fails the caller.
//!
//! A write that the browser refuses (quota exceeded, storage disabled, a sandboxed frame
//! without storage) first makes room by dropping what matters least — payloads kept aside
//! after a rejection, then saved survey progress — and is retried; if it still fails, the
//! value is kept in memory for the life of the page. Reads see memory first, so the widget
//! keeps working on the values it wrote either way; only persistence across pages is lost.

use std::cell::RefCell;

use rapport_survey::map::SmallMap;
use web_sys::Storage;

/// Prefixes of the keys [`set`] may drop to make room, least important first.
const EXPENDABLE: [&str; 2] = [super::outbox::KEPT_PREFIX, super::resume::PREFIX];

thread_local! {
    /// Values the browser would not store.
    static MEMORY: RefCell<SmallMap<String, String>> = const { RefCell::new(SmallMap::new()) };
}

/// Where a value ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// In `localStorage`: it outlives the page.
    Persisted,
    /// Only in memory: it is gone when the page is.
    MemoryOnly,
}

/// The page's `localStorage`, if it has one it may use.
fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value stored under `key`.
#[must_use]
pub fn get(key: &str) -> Option<String> {
    if let Some(value) = MEMORY.with(|m| m.borrow().get(key).cloned()) {
        return Some(value);
    }
    local()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`: in `localStorage` if at all possible, else in memory.
pub fn set(key: &str, value: &str) -> Saved {
    let saved = local().is_some_and(|storage| {
        if storage.set_item(key, value).is_ok() {
            return true;
        }
        EXPENDABLE.iter().any(|prefix| {
            for other in keys(prefix) {
                if other != key {
                    let _ = storage.remove_item(&other);
                }
            }
            storage.set_item(key, value).is_ok()
        })
    });
    MEMORY.with(|m| {
        let mut memory = m.borrow_mut();
        if saved {
            memory.remove(key);
        } else {
            memory.insert(key.to_owned(), value.to_owned());
        }
    });
    if saved {
        Saved::Persisted
    } else {
        Saved::MemoryOnly
    }
}

/// Removes `key`.
pub fn remove(key: &str) {
    MEMORY.with(|m| m.borrow_mut().remove(key));
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// Every key that starts with `prefix` (in no particular order).
#[must_use]
pub fn keys(prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = MEMORY.with(|m| {
        m.borrow()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect()
    });
    if let Some(storage) = local() {
        for i in 0..storage.length().unwrap_or(0) {
            if let Some(key) = storage.key(i).ok().flatten() {
                if key.starts_with(prefix) && !found.contains(&key) {
                    found.push(key);
                }
            }
        }
    }
    found
}
