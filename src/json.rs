//! JSON text to a [`serde_json::Value`] through the browser's own parser.
//!
//! Everything the widget reads — the survey definition, the configuration, what it stored in
//! `localStorage` — is JSON text read into a `Value` first. In the browser `JSON.parse` reads
//! it and [`from_js`] copies the result, so the bundle carries no JSON text parser of its own
//! (serde_json's, with its tables, is ~6 KB gzip of every shop page's WebAssembly). Outside a
//! browser (the native unit tests) serde_json reads the text.

use serde_json::Value;

/// How many levels arrays and objects may nest (serde_json's own limit is about the same):
/// deeper JSON is refused rather than copied recursively.
pub const MAX_DEPTH: usize = 128;

/// Reads JSON `text`.
///
/// # Errors
/// What is wrong with the text, in the parser's words (e.g. `Unexpected token '}', "{"a":}"
/// is not valid JSON`), or that it nests deeper than [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<Value, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let parsed = js_sys::JSON::parse(text).map_err(|thrown| {
            js_sys::Error::from(thrown)
                .message()
                .as_string()
                .unwrap_or_default()
        })?;
        from_js(&parsed)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).map_err(|err| err.to_string())
    }
}

/// Copies what `JSON.parse` made (plain objects, arrays, strings, numbers, booleans, null)
/// into a `Value`. Whole numbers become integers, so that they read as integer fields; an
/// `undefined`, a function or a symbol is an error.
///
/// # Errors
/// The first value that is not JSON, or nesting deeper than [`MAX_DEPTH`].
#[cfg(target_arch = "wasm32")]
pub fn from_js(value: &wasm_bindgen::JsValue) -> Result<Value, String> {
    copy(value, 0)
}

#[cfg(target_arch = "wasm32")]
fn copy(value: &wasm_bindgen::JsValue, depth: usize) -> Result<Value, String> {
    use wasm_bindgen::JsCast;

    /// 2^53: below it every whole number is exact in a JavaScript number.
    const EXACT: f64 = 9_007_199_254_740_992.0;

    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(n) = value.as_f64() {
        return Ok(if n.fract() == 0.0 && n.abs() < EXACT {
            // Exact conversions: whole and below 2^53.
            if n >= 0.0 {
                Value::from(n as u64)
            } else {
                Value::from(n as i64)
            }
        } else {
            // JSON has no NaN or infinity; `JSON.parse` makes none.
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
        });
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    // An array or an object opens one more level.
    if depth >= MAX_DEPTH && value.is_object() {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    if js_sys::Array::is_array(value) {
        let array: &js_sys::Array = value.unchecked_ref();
        return array
            .iter()
            .map(|item| copy(&item, depth + 1))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if value.is_object() {
        let object: &js_sys::Object = value.unchecked_ref();
        let mut map = serde_json::Map::new();
        for key in js_sys::Object::keys(object).iter() {
            let item = js_sys::Reflect::get(object, &key).map_err(|_| "an unreadable property")?;
            map.insert(key.as_string().unwrap_or_default(), copy(&item, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    Err("a value that is not JSON".into())
}
