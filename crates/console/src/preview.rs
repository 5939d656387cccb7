//! The live preview: the real widget (`/rapport.js`, loaded by the console's page) showing the
//! draft inline, as a customer of a chosen relationship type, price and locale would see it.
//! Nothing is posted (no endpoint), and every preview is a new order, so the widget's capping
//! and resuming never hide it.

use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::api::describe;

/// Who the preview's customer is.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// An explicit relationship type id, or `None` for what the survey's rules (or screener,
    /// or default) decide.
    pub relationship: Option<String>,
    /// The order total.
    pub total: f64,
    /// Whether this is the customer's first order.
    pub first_purchase: bool,
    /// The locale shown, or `None` for the survey's default.
    pub locale: Option<String>,
}

impl Default for Customer {
    fn default() -> Self {
        Self {
            relationship: None,
            total: 89.0,
            first_purchase: true,
            locale: None,
        }
    }
}

thread_local! {
    static ORDER: Cell<u32> = const { Cell::new(0) };
}

/// Shows `survey` (a valid definition, as JSON text) in the element matching `target`,
/// replacing the preview shown before.
///
/// # Errors
/// A message when the page has no `window.rapport` or the text is not JSON.
pub fn show(survey: &str, target: &str, customer: &Customer) -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let queue = Reflect::get(&window, &"rapport".into()).map_err(|err| describe(&err))?;
    if queue.is_undefined() {
        return Err("the widget's rapport.js is not on this page".into());
    }
    let definition = js_sys::JSON::parse(survey).map_err(|err| describe(&err))?;
    let order = ORDER.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let options = object(&[
        ("survey", definition),
        ("target", target.into()),
        ("mode", "inline".into()),
        ("trigger", "immediately".into()),
        (
            "frequency",
            object(&[("once_per_order", false.into()), ("days", 0.into())])?,
        ),
        ("context", context(customer, order)?),
    ])?;
    if let Some(locale) = &customer.locale {
        set(&options, "locale", locale.into())?;
    }
    push(&queue, &["close".into()])?;
    push(&queue, &["show".into(), options])
}

/// Removes the preview.
pub fn close() {
    if let Some(queue) = web_sys::window().and_then(|w| Reflect::get(&w, &"rapport".into()).ok()) {
        if !queue.is_undefined() {
            let _ = push(&queue, &["close".into()]);
        }
    }
}

fn context(customer: &Customer, order: u32) -> Result<JsValue, String> {
    let context = object(&[
        (
            "order",
            object(&[
                ("id", format!("console-preview-{order}").into()),
                ("total", customer.total.into()),
            ])?,
        ),
        (
            "customer",
            object(&[(
                "earlier_orders",
                if customer.first_purchase { 0 } else { 3 }.into(),
            )])?,
        ),
    ])?;
    if let Some(relationship) = &customer.relationship {
        set(&context, "relationship", relationship.into())?;
    }
    Ok(context)
}

/// `queue.push(command)`: the command queue works before and after the widget has loaded.
fn push(queue: &JsValue, command: &[JsValue]) -> Result<(), String> {
    let push = Reflect::get(queue, &"push".into()).map_err(|err| describe(&err))?;
    let push: js_sys::Function = push
        .dyn_into()
        .map_err(|_| "window.rapport has no push()".to_owned())?;
    let command: Array = command.iter().collect();
    push.call1(queue, &command)
        .map(|_| ())
        .map_err(|err| describe(&err))
}

fn object(entries: &[(&str, JsValue)]) -> Result<JsValue, String> {
    let object: JsValue = Object::new().into();
    for (key, value) in entries {
        set(&object, key, value.clone())?;
    }
    Ok(object)
}

fn set(object: &JsValue, key: &str, value: JsValue) -> Result<(), String> {
    Reflect::set(object, &key.into(), &value)
        .map(|_| ())
        .map_err(|err| describe(&err))
}
