//! The browser's `JSON.parse` as the widget's JSON reader (`rapport::json`), in headless
//! Chromium: what it reads must be what serde_json reads from the same text.

#![cfg(target_arch = "wasm32")]

use rapport::json::{parse, MAX_DEPTH};
use serde_json::{json, Value};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn serde_json_reads(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("serde_json: {err}"))
}

#[wasm_bindgen_test]
fn reads_the_example_surveys_and_a_context_as_serde_json_does() {
    for text in [
        include_str!("../surveys/post-purchase.json"),
        include_str!("../surveys/fournier-forms.json"),
        r#"{"order":{"id":"A-1001","total":653.9,"currency":"EUR"},"customer":{"earlier_orders":0},"extra":{"delta":-3,"ratio":0.125,"vip":true,"note":null,"tags":["a","ü\"\\\n"]}}"#,
    ] {
        assert_eq!(parse(text), Ok(serde_json_reads(text)));
    }
}

#[wasm_bindgen_test]
fn whole_numbers_are_integers_and_the_rest_floats() {
    let value = parse(r#"[7, -7, 0, 7.5, 9007199254740993, 1e300]"#).unwrap_or_default();
    assert!(value[0].is_u64() && value[1].is_i64() && value[2].is_u64());
    assert_eq!(value[3].as_f64(), Some(7.5));
    assert!(
        value[4].is_f64(),
        "beyond 2^53 a JavaScript number is not exact"
    );
    assert_eq!(value[5].as_f64(), Some(1e300));
    // So an integer field reads it.
    assert_eq!(
        serde_json::from_value::<u32>(value[0].clone()).ok(),
        Some(7)
    );
}

#[wasm_bindgen_test]
fn a_proto_key_is_a_key_like_any_other() {
    assert_eq!(
        parse(r#"{"__proto__": {"x": 1}, "constructor": 2}"#),
        Ok(json!({"__proto__": {"x": 1}, "constructor": 2}))
    );
}

#[wasm_bindgen_test]
fn text_that_is_not_json_is_an_error_in_the_parsers_words() {
    for text in ["", "{\"a\":}", "[1,]", "{'a': 1}", "NaN", "undefined"] {
        let err = parse(text).err().unwrap_or_default();
        assert!(err.contains("JSON"), "{text:?}: {err:?}");
    }
}

#[wasm_bindgen_test]
fn nesting_deeper_than_the_limit_is_refused() {
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(parse(&nested(MAX_DEPTH)).is_ok());
    assert!(parse(&format!(r#"{{"a":{}}}"#, nested(MAX_DEPTH - 1))).is_ok());
    for depth in [MAX_DEPTH + 1, 10_000] {
        assert_eq!(
            parse(&nested(depth)),
            Err(format!("nested deeper than {MAX_DEPTH} levels")),
            "{depth}"
        );
    }
}
