//! Theming: the shop's values for the widget's CSS custom properties (`styles/widget.css`),
//! set on the widget's host element through the CSS object model, which a strict
//! Content-Security-Policy allows (no `style` attribute is written).

use rapport_survey::map::SmallMap;

use web_sys::HtmlElement;

use crate::console;
use crate::error::describe;

/// The themeable properties, by name without the `--rapport-` prefix.
pub const PROPERTIES: [&str; 14] = [
    "brand",
    "brand-contrast",
    "text",
    "muted",
    "background",
    "surface",
    "border",
    "error",
    "focus",
    "radius",
    "font",
    "font-size",
    "max-width",
    "backdrop",
];

/// The custom property for a theme name (`brand` → `--rapport-brand`); `None` if unknown.
#[must_use]
pub fn property(name: &str) -> Option<String> {
    PROPERTIES
        .contains(&name)
        .then(|| format!("--rapport-{name}"))
}

/// Sets the theme's custom properties on `host`; unknown names are skipped (the
/// configuration check reports them).
pub fn apply(host: &HtmlElement, theme: &SmallMap<String, String>) {
    let style = host.style();
    for (name, value) in theme {
        let Some(property) = property(name) else {
            continue;
        };
        if let Err(err) = style.set_property(&property, value) {
            console::warn(&format!(
                "theme.{name}: the value `{value}` was not accepted ({})",
                describe(&err)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_custom_properties() {
        assert_eq!(property("brand").as_deref(), Some("--rapport-brand"));
        assert_eq!(
            property("font-size").as_deref(),
            Some("--rapport-font-size")
        );
        assert_eq!(property("--rapport-brand"), None);
        assert_eq!(property("colour"), None);
    }
}
