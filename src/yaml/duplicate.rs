//! Where a key written twice in one mapping was first written.
//!
//! serde-saphyr names the second key only. On that error (never on the
//! way to a good file) the text is read again with every entry passed
//! through, by a visitor that keeps each mapping's keys with their lines.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Options, Spanned};

/// The line and column of the first of the first key written twice in a
/// mapping.
pub(super) fn first_at(text: &str, mut options: Options) -> Option<(u64, u64)> {
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    serde_saphyr::from_str_with_options::<Node>(text, options).ok()?.0
}

/// A node of the document; holds the first repeat's first line, if any.
struct Node(Option<(u64, u64)>);

/// A key, as text when it is a scalar.
struct Key(Option<String>);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut seen: HashMap<String, (u64, u64)> = HashMap::new();
        let mut found = None;
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let inner = map.next_value::<Node>()?;
            if found.is_none()
                && let Some(text) = key.value.0
            {
                match seen.get(&text) {
                    Some(&at) => found = Some(at),
                    None => {
                        seen.insert(text, (key.referenced.line(), key.referenced.column()));
                    }
                }
            }
            found = found.or(inner.0);
        }
        Ok(Node(found))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut found = None;
        while let Some(item) = seq.next_element::<Node>()? {
            found = found.or(item.0);
        }
        Ok(Node(found))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key(Some(v.to_owned())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key(Some(String::new())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Key(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Key(None))
    }
}
