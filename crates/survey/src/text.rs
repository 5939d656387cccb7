//! Localized texts and placeholder interpolation.
//!
//! A [`Text`] maps locale codes (`"en"`, `"de"`, …) to strings. Texts may recall the purchase
//! context and earlier answers with placeholders such as `{order.id}` or `{answers.nps}`; they
//! are always rendered to plain text, never to HTML. `{{` and `}}` stand for literal braces.

use serde::{Deserialize, Serialize};

use crate::map::SmallMap;

/// A text in several locales, e.g. `{"en": "Thank you!", "de": "Danke!"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Text(pub SmallMap<String, String>);

impl Text {
    /// The text in `locale`, else in `fallback`, else any text at all, else `""`.
    #[must_use]
    pub fn get<'a>(&'a self, locale: &str, fallback: &str) -> &'a str {
        self.0
            .get(locale)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// Builds a text from `(locale, text)` pairs.
    #[must_use]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self(
            pairs
                .iter()
                .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                .collect(),
        )
    }
}

/// One piece of a template: literal text or a placeholder path such as `order.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text shown as it is.
    Literal(String),
    /// A placeholder, by its path (without the braces).
    Placeholder(&'a str),
}

/// A template could not be split into segments.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A `{` without a matching `}`.
    #[error("`{{` at character {0} is never closed; write `{{{{` for a literal brace")]
    Unclosed(usize),
    /// A `}` without an opening `{`.
    #[error("`}}` at character {0} has no opening brace; write `}}}}` for a literal brace")]
    Stray(usize),
    /// `{}` with nothing inside.
    #[error("empty placeholder `{{}}` at character {0}")]
    Empty(usize),
}

/// Splits a template into literal text and placeholders.
///
/// # Errors
/// Returns the first unbalanced or empty brace, with its character position (1-based).
pub fn segments(template: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = template.char_indices().peekable();
    let mut position = 0usize;
    while let Some((at, c)) = chars.next() {
        position += 1;
        match c {
            '{' if chars.peek().map(|(_, n)| *n) == Some('{') => {
                chars.next();
                position += 1;
                literal.push('{');
            }
            '}' if chars.peek().map(|(_, n)| *n) == Some('}') => {
                chars.next();
                position += 1;
                literal.push('}');
            }
            '}' => return Err(TemplateError::Stray(position)),
            '{' => {
                let start = at + 1;
                let open = position;
                let mut end = None;
                for (i, inner) in chars.by_ref() {
                    position += 1;
                    if inner == '}' {
                        end = Some(i);
                        break;
                    }
                    if inner == '{' {
                        return Err(TemplateError::Unclosed(open));
                    }
                }
                let end = end.ok_or(TemplateError::Unclosed(open))?;
                let path = template[start..end].trim();
                if path.is_empty() {
                    return Err(TemplateError::Empty(open));
                }
                if !literal.is_empty() {
                    out.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                out.push(Segment::Placeholder(path));
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        out.push(Segment::Literal(literal));
    }
    Ok(out)
}

/// Renders a template to plain text, asking `lookup` for each placeholder's value.
///
/// A placeholder without a value renders as the empty string; a malformed template renders
/// as it is written (validation reports it to the researcher beforehand).
#[must_use]
pub fn render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    match segments(template) {
        Ok(parts) => parts
            .into_iter()
            .map(|part| match part {
                Segment::Literal(text) => text,
                Segment::Placeholder(path) => lookup(path).unwrap_or_default(),
            })
            .collect(),
        Err(_) => template.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_default_locale() {
        let text = Text::from_pairs(&[("en", "Thanks"), ("de", "Danke")]);
        assert_eq!(text.get("de", "en"), "Danke");
        assert_eq!(text.get("fr", "en"), "Thanks");
    }

    #[test]
    fn renders_placeholders_as_plain_text() {
        let out = render("Order {order.id}: {{ok}} <b>{answers.x}</b>", |p| match p {
            "order.id" => Some("A-1".into()),
            "answers.x" => Some("<script>".into()),
            _ => None,
        });
        assert_eq!(out, "Order A-1: {ok} <b><script></b>");
    }

    #[test]
    fn reports_unbalanced_braces_with_position() {
        assert_eq!(segments("ab {order.id"), Err(TemplateError::Unclosed(4)));
        assert_eq!(segments("ab }"), Err(TemplateError::Stray(4)));
        assert_eq!(segments("{ }"), Err(TemplateError::Empty(1)));
    }
}
