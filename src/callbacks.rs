//! The shop's callbacks (`onStep`, `onSubmit`, `onError`, `onClose`): JavaScript functions
//! from the options of `rapport.show({...})`.
//!
//! Each is called later, never in the middle of the widget's own work (so a callback may
//! call `rapport.close()`), and a callback that throws is reported with one console error
//! and changes nothing else.

use std::rc::Rc;

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::console;
use crate::error::{describe, BootError, BootResult};

/// Which callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// A step is shown: `{survey_id, step_id, kind, position, total}`.
    Step,
    /// The customer finished the survey: the response payload.
    Submit,
    /// Something went wrong: `{code, message}`.
    Error,
    /// The survey was closed: `{survey_id, completed}`.
    Close,
}

impl Hook {
    /// Every hook.
    pub const ALL: [Self; 4] = [Self::Step, Self::Submit, Self::Error, Self::Close];

    /// The option's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Step => "onStep",
            Self::Submit => "onSubmit",
            Self::Error => "onError",
            Self::Close => "onClose",
        }
    }
}

/// The callbacks given; each may be absent.
#[derive(Debug, Clone, Default)]
pub struct Callbacks {
    functions: [Option<Function>; 4],
}

/// What `onError` receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// A stable code: `config`, `survey_unavailable`, `invalid_survey`, `mount`, `delivery`,
    /// `internal`.
    pub code: &'static str,
    /// The same text as the console error.
    pub message: String,
}

impl From<&BootError> for ErrorInfo {
    fn from(error: &BootError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl Callbacks {
    /// No callbacks.
    #[must_use]
    pub fn none() -> Rc<Self> {
        Rc::new(Self::default())
    }

    /// Reads `onStep`, `onSubmit`, `onError` and `onClose` from an options object.
    ///
    /// # Errors
    /// [`BootError::Config`] when one is present but not a function.
    pub fn read(options: &JsValue) -> BootResult<Self> {
        let mut callbacks = Self::default();
        if !options.is_object() {
            return Ok(callbacks);
        }
        for (slot, hook) in callbacks.functions.iter_mut().zip(Hook::ALL) {
            let value = js_sys::Reflect::get(options, &JsValue::from_str(hook.name()))
                .unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() || value.is_null() {
                continue;
            }
            match value.dyn_into::<Function>() {
                Ok(function) => *slot = Some(function),
                Err(_) => {
                    return Err(BootError::Config(format!(
                        "{}: must be a function",
                        hook.name()
                    )))
                }
            }
        }
        Ok(callbacks)
    }

    /// Whether the callback for `hook` was given.
    #[must_use]
    pub fn has(&self, hook: Hook) -> bool {
        self.function(hook).is_some()
    }

    /// The callback for `hook`, if given.
    #[must_use]
    pub fn function(&self, hook: Hook) -> Option<&Function> {
        let index = Hook::ALL.iter().position(|h| *h == hook)?;
        self.functions.get(index)?.as_ref()
    }

    /// Calls the callback for `hook` (if given) with `payload` as its one argument, soon:
    /// after the widget's current work is done.
    pub fn emit<T: Serialize>(&self, hook: Hook, payload: &T) {
        let Some(function) = self.function(hook).cloned() else {
            return;
        };
        let argument = match serde_json::to_string(payload) {
            Ok(json) => js_sys::JSON::parse(&json).unwrap_or(JsValue::UNDEFINED),
            Err(_) => JsValue::UNDEFINED,
        };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(thrown) = function.call1(&JsValue::UNDEFINED, &argument) {
                console::error(&format!(
                    "the {} callback threw: {}",
                    hook.name(),
                    describe(&thrown)
                ));
            }
        });
    }

    /// Reports `error` to `onError`.
    pub fn error(&self, error: &BootError) {
        self.emit(Hook::Error, &ErrorInfo::from(error));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_names_are_the_option_names() {
        let names: Vec<&str> = Hook::ALL.iter().map(|h| h.name()).collect();
        assert_eq!(names, ["onStep", "onSubmit", "onError", "onClose"]);
    }

    #[test]
    fn error_info_carries_code_and_message() {
        let info = ErrorInfo::from(&BootError::NoSurvey);
        assert_eq!(info.code, "config");
        assert!(info.message.contains("`survey`"));
    }
}
