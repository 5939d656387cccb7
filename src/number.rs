//! Numbers in the survey's texts, written the way the customer's language writes them: `653,9`
//! in German, `653.9` in English, and the order total as money in the order's currency
//! (`653,90 €`, `€653.90`). The browser's `Intl` does the writing, so the bundle carries no
//! number formats of its own.

use rapport_survey::Recalled;

/// `number` as `locale` writes it: money as a plain number when the browser does not know the
/// currency code, and in Rust's own way (`1234.5`) when it does not know the locale or outside
/// a browser.
#[must_use]
pub fn write(number: Recalled<'_>, locale: &str) -> String {
    let (Recalled::Number(n) | Recalled::Money { amount: n, .. }) = number;
    local(number, locale).unwrap_or_else(|| n.to_string())
}

#[cfg(target_arch = "wasm32")]
fn local(number: Recalled<'_>, locale: &str) -> Option<String> {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsValue;

    #[wasm_bindgen]
    extern "C" {
        /// `Number.prototype.toLocaleString`, which throws a `RangeError` for a malformed
        /// locale or currency code.
        #[wasm_bindgen(catch, js_namespace = ["Number", "prototype", "toLocaleString"], js_name = call)]
        fn to_locale_string(
            number: f64,
            locale: &str,
            options: &JsValue,
        ) -> Result<String, JsValue>;
    }

    match number {
        Recalled::Number(n) => to_locale_string(n, locale, &JsValue::UNDEFINED).ok(),
        Recalled::Money { amount, currency } => {
            let options = js_sys::Object::new();
            let set = |key: &str, value: &str| {
                js_sys::Reflect::set(&options, &key.into(), &value.into()).is_ok()
            };
            if !(set("style", "currency") && set("currency", currency)) {
                return None;
            }
            to_locale_string(amount, locale, &options)
                .ok()
                .or_else(|| to_locale_string(amount, locale, &JsValue::UNDEFINED).ok())
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn local(_: Recalled<'_>, _: &str) -> Option<String> {
    None
}
