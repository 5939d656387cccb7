//! Finding where a JSON path (`$.steps[2].options[0].label`) starts in a JSON text, so that
//! the editor can say on which line a problem is. A scanner, not a parser: it only skips what
//! is not on the path, and gives up (`None`) on anything it does not understand.

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A field of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// The segments of a validator path; `None` when it does not start with `$`.
#[must_use]
pub fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(Segment::Key(after[..end].to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            out.push(Segment::Index(after[..end].parse().ok()?));
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// The byte offset in `text` where the value at `path` starts.
#[must_use]
pub fn offset_of(text: &str, path: &[Segment]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for segment in path {
        pos = match segment {
            Segment::Key(key) => field(text, pos, key)?,
            Segment::Index(index) => element(bytes, pos, *index)?,
        };
    }
    (pos < bytes.len()).then_some(pos)
}

/// The offset of the value of field `key` of the object at `pos`.
fn field(text: &str, pos: usize, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(pos) != Some(&b'{') {
        return None;
    }
    let mut pos = pos + 1;
    loop {
        pos = skip_ws(bytes, pos);
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let end = skip_string(bytes, pos)?;
        let name: String = serde_json::from_str(&text[pos..end]).ok()?;
        pos = skip_ws(bytes, end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
        if name == key {
            return Some(pos);
        }
        pos = skip_ws(bytes, skip_value(bytes, pos)?);
        if bytes.get(pos) != Some(&b',') {
            return None;
        }
        pos += 1;
    }
}

/// The offset of element `index` of the array at `pos`.
fn element(bytes: &[u8], pos: usize, index: usize) -> Option<usize> {
    if bytes.get(pos) != Some(&b'[') {
        return None;
    }
    let mut pos = skip_ws(bytes, pos + 1);
    for _ in 0..index {
        if bytes.get(pos) == Some(&b']') {
            return None;
        }
        pos = skip_ws(bytes, skip_value(bytes, pos)?);
        if bytes.get(pos) != Some(&b',') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
    }
    (bytes.get(pos) != Some(&b']')).then_some(pos)
}

/// The offset just after the value at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut pos = pos;
            while let Some(&byte) = bytes.get(pos) {
                match byte {
                    b'"' => {
                        pos = skip_string(bytes, pos)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(pos + 1);
                        }
                    }
                    _ => {}
                }
                pos += 1;
            }
            None
        }
        _ => {
            let len = bytes[pos..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - pos);
            Some(pos + len)
        }
    }
}

/// The offset just after the string whose opening quote is at `pos`.
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut pos = pos + 1;
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments("$.steps[2].title.de-CH"),
            Some(vec![
                Segment::Key("steps".into()),
                Segment::Index(2),
                Segment::Key("title".into()),
                Segment::Key("de-CH".into()),
            ])
        );
        assert_eq!(segments("$"), Some(vec![]));
        assert_eq!(segments("steps"), None);
        assert_eq!(segments("$.steps[x]"), None);
    }

    #[test]
    fn values_are_found_past_strings_with_brackets_and_escapes() {
        let text = r#"{"a": "x]}\"{", "b": [1, {"c": [true]}, "d"], "e": {"f": null}}"#;
        let at = |path: &str| {
            segments(path)
                .and_then(|s| offset_of(text, &s))
                .map(|o| &text[o..o + 4])
        };
        assert_eq!(at("$.b[2]"), Some("\"d\"]"));
        assert_eq!(at("$.b[1].c[0]"), Some("true"));
        assert_eq!(at("$.e.f"), Some("null"));
        assert_eq!(at("$.b[3]"), None);
        assert_eq!(at("$.g"), None);
        assert_eq!(at("$.a.x"), None);
    }

    #[test]
    fn broken_text_gives_none_not_a_panic() {
        for text in [
            "",
            "{",
            "{\"a\"",
            "{\"a\": [1, 2",
            "[\"\\",
            "{\"a\": 1 \"b\": 2}",
        ] {
            let _ = segments("$.b[1]").and_then(|s| offset_of(text, &s));
        }
    }
}
