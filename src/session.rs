//! One customer's run of a survey as the receiver sees it: the response id, when it started,
//! the locale shown — what [`ResponseMeta`] needs besides the answers.

use rapport_survey::{uuid_v4, ResponseMeta};
use wasm_bindgen::JsValue;

/// The widget version written into every response.
pub const WIDGET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The identity of one run, fixed when the survey is first shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// UUID v4 of the response.
    pub response_id: String,
    /// When the first step was shown (RFC 3339).
    pub started_at: String,
    /// The locale shown.
    pub locale: String,
}

impl Session {
    /// Starts a session now, with a fresh response id.
    #[must_use]
    pub fn begin(locale: String) -> Self {
        Self {
            response_id: new_response_id(),
            started_at: now(),
            locale,
        }
    }

    /// The metadata of post number `sequence` (from 1), submitted now.
    #[must_use]
    pub fn meta(&self, sequence: u32) -> ResponseMeta {
        self.meta_at(sequence, now())
    }

    /// The metadata of post number `sequence`, submitted at `submitted_at`.
    #[must_use]
    pub fn meta_at(&self, sequence: u32, submitted_at: String) -> ResponseMeta {
        ResponseMeta {
            response_id: self.response_id.clone(),
            sequence,
            locale: self.locale.clone(),
            started_at: self.started_at.clone(),
            submitted_at,
            widget_version: WIDGET_VERSION.to_owned(),
        }
    }
}

/// The current time as RFC 3339 (`2026-11-25T08:30:00.000Z`).
#[must_use]
pub fn now() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// A fresh UUID v4: `crypto.randomUUID()` where the page allows it (secure contexts only),
/// else built from `crypto.getRandomValues()`.
#[must_use]
pub fn new_response_id() -> String {
    let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) else {
        return uuid_v4(fallback_bytes());
    };
    let has_random_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
        .is_ok_and(|f| f.is_function());
    if has_random_uuid {
        return crypto.random_uuid();
    }
    let mut bytes = [0u8; 16];
    match crypto.get_random_values_with_u8_array(&mut bytes) {
        Ok(_) => uuid_v4(bytes),
        Err(_) => uuid_v4(fallback_bytes()),
    }
}

/// Last resort without `window.crypto`: `Math.random`, good enough for an id that only
/// needs to be unique, not secret.
fn fallback_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    for byte in &mut bytes {
        // Truncation is the point: one random byte.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_carries_the_session() {
        let session = Session {
            response_id: uuid_v4([1; 16]),
            started_at: "2026-11-25T08:30:00.000Z".into(),
            locale: "de".into(),
        };
        let meta = session.meta_at(1, "2026-11-25T08:31:00.000Z".into());
        assert_eq!(meta.response_id, session.response_id);
        assert_eq!(meta.sequence, 1);
        assert_eq!(meta.locale, "de");
        assert_eq!(meta.widget_version, WIDGET_VERSION);
    }
}
