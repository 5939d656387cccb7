//! Which of the survey's locales to show.
//!
//! The wishes, in order: the configured locale, the shop's `context.locale`, the page's
//! `<html lang>`, the browser's language. The first wish the survey has (exactly, or by its
//! primary subtag: `de-AT` → `de`, `en` → `en-GB`) wins; else the survey's default locale.

/// Picks the locale to show from `wishes` (most wanted first) among the survey's `available`
/// locales, falling back to `default`.
#[must_use]
pub fn negotiate<'a>(
    wishes: impl IntoIterator<Item = &'a str>,
    available: &[String],
    default: &str,
) -> String {
    for wish in wishes {
        let wish = wish.trim();
        if wish.is_empty() {
            continue;
        }
        if let Some(exact) = available.iter().find(|a| a.eq_ignore_ascii_case(wish)) {
            return exact.clone();
        }
        let primary = primary_subtag(wish);
        if let Some(close) = available
            .iter()
            .find(|a| primary_subtag(a).eq_ignore_ascii_case(primary))
        {
            return close.clone();
        }
    }
    default.to_owned()
}

/// The locale `survey` is shown in on this page: [`negotiate`] over the `wanted` locale (the
/// configuration's), the context's, then the page's ([`page_wishes`]).
#[must_use]
#[inline(never)]
pub fn shown(
    wanted: Option<&str>,
    context: &rapport_survey::Context,
    survey: &rapport_survey::Survey,
) -> String {
    let page = page_wishes();
    let wishes = wanted
        .into_iter()
        .chain(context.locale.as_deref())
        .chain(page.iter().map(String::as_str));
    negotiate(wishes, &survey.locales, &survey.default_locale)
}

/// The language part of a locale code: `de` for `de-AT` or `de_AT`.
#[must_use]
pub fn primary_subtag(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or(locale)
}

/// The page's language wishes: `<html lang>`, then `navigator.language`.
#[must_use]
pub fn page_wishes() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let html_lang = window
        .document()
        .and_then(|document| document.document_element())
        .and_then(|html| html.get_attribute("lang"));
    let browser = window.navigator().language();
    html_lang.into_iter().chain(browser).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales(list: &[&str]) -> Vec<String> {
        list.iter().map(|l| (*l).to_owned()).collect()
    }

    #[test]
    fn the_first_wish_the_survey_has_wins() {
        let available = locales(&["en", "de"]);
        assert_eq!(negotiate(["fr", "de", "en"], &available, "en"), "de");
        assert_eq!(negotiate(["", "en"], &available, "de"), "en");
    }

    #[test]
    fn matches_by_primary_subtag_both_ways() {
        assert_eq!(negotiate(["de-AT"], &locales(&["en", "de"]), "en"), "de");
        assert_eq!(negotiate(["EN_us"], &locales(&["de", "en"]), "de"), "en");
        assert_eq!(
            negotiate(["en"], &locales(&["de-DE", "en-GB"]), "de-DE"),
            "en-GB"
        );
        assert_eq!(
            negotiate(["en-gb"], &locales(&["en-US", "en-GB"]), "en-US"),
            "en-GB"
        );
    }

    #[test]
    fn falls_back_to_the_default() {
        assert_eq!(negotiate(["fr", "it"], &locales(&["en", "de"]), "de"), "de");
        assert_eq!(negotiate([], &locales(&["en"]), "en"), "en");
    }
}
