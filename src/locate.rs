//! Where in a JSON value a deserialization error lies, found after the fact.
//!
//! Tracking the key path while deserializing (`serde_path_to_error`) wraps every visitor of
//! every configuration type and cost ≈12 KB gzip of the shop bundle. Errors are rare and the
//! configuration is small, so instead [`error_path`] narrows the error down when it happens:
//! it removes one key (or array element) at a time and descends into the first one whose
//! removal makes that error go away. Every key of the configuration is optional, so removing
//! the culprit always changes the outcome.

use serde_json::Value;

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path (`context.order.totl`, `items[2]`; empty for the root) of the deepest key or
/// element of `value` whose removal makes `still_fails` false, i.e. the place the error lies.
///
/// `still_fails(candidate)` tells whether deserializing `candidate` still gives the same error.
pub fn error_path(value: &Value, still_fails: impl Fn(Value) -> bool) -> String {
    let mut path: Vec<Step> = Vec::new();
    while let Some(node) = lookup(value, &path) {
        let culprit = children(node).into_iter().find(|child| {
            let mut candidate = value.clone();
            remove(&mut candidate, &path, child);
            !still_fails(candidate)
        });
        match culprit {
            Some(child) => path.push(child),
            None => break,
        }
    }
    render(&path)
}

fn children(node: &Value) -> Vec<Step> {
    match node {
        Value::Object(map) => map.keys().cloned().map(Step::Key).collect(),
        Value::Array(items) => (0..items.len()).map(Step::Index).collect(),
        _ => Vec::new(),
    }
}

fn lookup<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get(key),
            (Value::Array(items), Step::Index(i)) => items.get(*i),
            _ => None,
        })
}

fn remove(value: &mut Value, path: &[Step], child: &Step) {
    let mut node = value;
    for step in path {
        let next = match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key),
            (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    match (node, child) {
        (Value::Object(map), Step::Key(key)) => {
            // Rebuilt rather than `map.remove(key)`: the B-tree's removal code (rebalancing)
            // would be ~1.5 KB gzip of the bundle for a path found only after an error.
            let mut kept = serde_json::Map::new();
            for (name, item) in std::mem::take(map) {
                if name != *key {
                    kept.insert(name, item);
                }
            }
            *map = kept;
        }
        (Value::Array(items), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Fails while any object anywhere has the key `bad`.
    fn has_bad(value: Value) -> bool {
        contains_bad(&value)
    }

    fn contains_bad(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.contains_key("bad") || map.values().any(contains_bad),
            Value::Array(items) => items.iter().any(contains_bad),
            _ => false,
        }
    }

    #[test]
    fn finds_the_deepest_culprit() {
        let value = json!({"a": 1, "b": {"c": [0, {"bad": 2}], "d": 3}});
        assert_eq!(error_path(&value, has_bad), "b.c[1].bad");
        assert_eq!(error_path(&json!({"bad": {"x": 1}}), has_bad), "bad");
    }

    #[test]
    fn root_when_no_removal_helps() {
        assert_eq!(error_path(&json!({"a": 1}), |_| true), "");
        assert_eq!(error_path(&json!(5), |_| true), "");
    }
}
