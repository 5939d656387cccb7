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

/// The CSS property whose values a theme name takes: `radius` takes what `border-radius`
/// does, `font` what `font-family` does, the colours what `color` does.
fn kind(name: &str) -> &'static str {
    match name {
        "radius" => "border-radius",
        "font" => "font-family",
        "font-size" => "font-size",
        "max-width" => "max-width",
        "backdrop" => "background",
        _ => "color",
    }
}

/// Whether the browser takes `value` for theme name `name` (by `CSS.supports` for the CSS
/// property it feeds). A value the browser refuses would leave the widget with its default
/// silently (`4` without a unit, `red; background: …`).
///
/// # Errors
/// What is wrong, naming the CSS property: ``"`4` is not a value this browser takes for
/// `border-radius`"``.
pub fn check(name: &str, value: &str) -> Result<(), String> {
    let kind = kind(name);
    if web_sys::css::supports_with_value(kind, value).unwrap_or(true) {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a value this browser takes for `{kind}`"
        ))
    }
}

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
