//! [`SmallMap`]: the model's maps (texts by locale, answers by step id, extra context
//! attributes) as sorted vectors instead of `BTreeMap`s.
//!
//! They hold a handful of entries each, so a binary search over a vector is as fast as a
//! B-tree, and every `BTreeMap<K, V>` type the widget used cost its own copy of the B-tree
//! code in the shop bundle (together ≈13 KB gzip). Iteration stays in key order and the JSON
//! form is the same object.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use litemap::LiteMap;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map kept as a vector sorted by key ([`LiteMap`], whose methods it derefs to: `get`,
/// `insert`, `remove`, `iter`, `len`, …). In JSON it is an object, like a `BTreeMap`: always
/// written as one (`{}` when empty), and only an object is read, a repeated key keeping its
/// last value.
#[derive(Clone, PartialEq, Eq)]
pub struct SmallMap<K, V>(LiteMap<K, V>);

impl<K, V> SmallMap<K, V> {
    /// An empty map; `const`, for statics.
    #[must_use]
    pub const fn new() -> Self {
        Self(LiteMap::new_vec())
    }

    /// Whether the map has no entry (also for `skip_serializing_if`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> Deref for SmallMap<K, V> {
    type Target = LiteMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K, V> DerefMut for SmallMap<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    /// A repeated key keeps its last value. Inserts one by one (see the note in
    /// `visit_map`) instead of `LiteMap`'s sort, a stable sort's code per entry type.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut map = LiteMap::with_capacity(iter.size_hint().0);
        for (key, value) in iter {
            map.insert(key, value);
        }
        Self(map)
    }
}

impl<K, V> IntoIterator for SmallMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_tuple_vec().into_iter()
    }
}

impl<'a, K: 'a, V: 'a> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = <&'a LiteMap<K, V> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (&self.0).into_iter()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K, V> Deserialize<'de> for SmallMap<K, V>
where
    K: Ord + Deserialize<'de>,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K, V> Visitor<'de> for ObjectVisitor<K, V>
where
    K: Ord + Deserialize<'de>,
    V: Deserialize<'de>,
{
    type Value = SmallMap<K, V>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        // A binary search and a shift per entry: sorted input (what this type writes) only
        // appends; the worst case, a large object in reverse key order, is quadratic — about
        // 1 ms for the most answers a response within the collector's default body limit can
        // carry. Sorting once instead cost the widget 3.4 KB gzip of code.
        // The hint comes from the input: bounded, as serde's own collections do.
        let mut map = LiteMap::with_capacity(access.size_hint().unwrap_or(0).min(1024));
        while let Some((key, value)) = access.next_entry()? {
            map.insert(key, value);
        }
        Ok(SmallMap(map))
    }
}

/// The JSON Schema of a `BTreeMap<K, V>`: an object.
#[cfg(feature = "schema")]
impl<K: schemars::JsonSchema, V: schemars::JsonSchema> schemars::JsonSchema for SmallMap<K, V> {
    fn inline_schema() -> bool {
        <std::collections::BTreeMap<K, V>>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<K, V>>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<K, V>>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<K, V>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Vec<(String, u32)>, String> {
        serde_json::from_str::<SmallMap<String, u32>>(json)
            .map(|map| map.into_iter().collect())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn an_object_is_read_in_key_order_and_a_repeated_key_keeps_its_last_value() {
        assert_eq!(
            read(r#"{"b": 2, "a": 1, "b": 3}"#),
            Ok(vec![("a".to_owned(), 1), ("b".to_owned(), 3)])
        );
        assert_eq!(read("{}"), Ok(vec![]));
    }

    #[test]
    fn a_large_object_in_reverse_order_is_read_like_a_btree_map() {
        let keys: Vec<String> = (0..5000).rev().map(|i| format!("k{i:05}")).collect();
        let mut json = String::from("{");
        for (n, key) in keys.iter().chain(keys.iter().take(10)).enumerate() {
            if n > 0 {
                json.push(',');
            }
            json.push_str(&format!("\"{key}\": {n}"));
        }
        json.push('}');
        let small = serde_json::from_str::<SmallMap<String, u32>>(&json)
            .map(|m| m.into_iter().collect::<Vec<_>>());
        let btree = serde_json::from_str::<std::collections::BTreeMap<String, u32>>(&json)
            .map(|m| m.into_iter().collect::<Vec<_>>());
        assert_eq!(
            small.map_err(|e| e.to_string()),
            btree.map_err(|e| e.to_string())
        );
    }

    #[test]
    fn collected_pairs_are_in_key_order_and_a_repeated_key_keeps_its_last_value() {
        let map: SmallMap<&str, u32> = [("b", 1), ("a", 2), ("c", 3), ("a", 4)]
            .into_iter()
            .collect();
        assert_eq!(
            map.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
            [("a", 4), ("b", 1), ("c", 3)]
        );
    }

    #[test]
    fn a_list_of_pairs_is_not_a_map() {
        let read = read(r#"[["a", 1]]"#);
        assert!(
            read.as_ref()
                .is_err_and(|err| err.contains("expected a map")),
            "{read:?}"
        );
    }

    #[test]
    fn it_is_written_as_an_object_in_key_order_even_when_empty() {
        let mut map = SmallMap::<String, u32>::new();
        assert_eq!(serde_json::to_string(&map).ok().as_deref(), Some("{}"));
        map.insert("b".to_owned(), 2);
        map.insert("a".to_owned(), 1);
        assert_eq!(
            serde_json::to_string(&map).ok().as_deref(),
            Some(r#"{"a":1,"b":2}"#)
        );
    }
}
