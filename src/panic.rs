//! The panic hook: a bug in the widget becomes one `[rapport]` console error instead of
//! yew's default multi-line report.

use std::sync::Once;

/// Installs the hook once (through yew, which would otherwise install its own on render).
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        yew::set_custom_panic_hook(Box::new(|info| {
            crate::console::error(&format!(
                "internal error, the survey stopped: {info}. Please report this to the survey's provider."
            ));
        }));
    });
}
