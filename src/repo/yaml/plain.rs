//! A fast reader for the plain YAML that relman's files are written in.
//!
//! serde-saphyr reads all of YAML, at about 10 MB/s: a catalog of 10,000
//! services (1 MB) took 100 ms of CPU, more than `train validate` may take
//! in all. Catalogs use a small part of YAML: block mappings and sequences,
//! scalars on one line, flow lists on one line, comments. This module reads
//! that part only and answers `None` on anything else: an anchor, a tag, a
//! block scalar, a value over lines, a schema word (`null`, `yes`, `~`), a
//! number it cannot read exactly, a duplicate key, a tab, or a value the
//! target type refuses. The caller then parses with serde-saphyr, which
//! gives the exact answer or the exact error. So whatever this reader
//! answers, serde-saphyr answers too (a property test holds the two
//! together), and every error comes from serde-saphyr.

use std::fmt;
use std::slice;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// The name under which `serde_saphyr::Spanned` asks for a value with its
/// location, and the key that marks the map answering it (serde-saphyr's
/// `spanned.rs`). Should a version of serde-saphyr change them, `Spanned`
/// refuses this reader's map, and every file goes to serde-saphyr: slower,
/// never wrong. A test tells.
const SPANNED: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Half of serde-saphyr's budgets (`options()` in `mod.rs`), so that
/// whatever this reader takes, serde-saphyr would have taken too.
const MAX_DEPTH: usize = 32;
const MAX_NODES: usize = 500_000;

/// Reads `text` into `T` when it is plain YAML that `T` accepts.
pub(super) fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = Reader::new(text)?.document()?;
    T::deserialize(&root).ok()
}

/// A node with the line and column (1-based, in characters) where it starts.
#[derive(Debug)]
struct Node<'t> {
    line: u32,
    column: u32,
    kind: Kind<'t>,
}

#[derive(Debug)]
enum Kind<'t> {
    /// A scalar as written; quoted ones hold no escape.
    Text {
        text: &'t str,
        plain: bool,
    },
    Seq(Vec<Node<'t>>),
    Map(Vec<(Node<'t>, Node<'t>)>),
}

/// A line with content, or the part of one after `- `.
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    no: u32,
    /// The column (0-based) where `content` starts; what precedes it is
    /// spaces and dashes.
    indent: usize,
    content: &'t str,
    ascii: bool,
}

impl Line<'_> {
    /// The 1-based column of byte `at` of the content.
    fn column(&self, at: usize) -> u32 {
        let chars = if self.ascii { at } else { self.content[..at].chars().count() };
        u32::try_from(self.indent + chars + 1).unwrap_or(u32::MAX)
    }

    fn node<'t>(&self, at: usize, kind: Kind<'t>) -> Node<'t> {
        Node { line: self.no, column: self.column(at), kind }
    }
}

struct Reader<'t> {
    rest: &'t str,
    no: u32,
    /// The line being read; `None` at the end.
    next: Option<Line<'t>>,
    nodes: usize,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Option<Self> {
        let mut reader = Reader { rest: text, no: 0, next: None, nodes: 0 };
        reader.advance()?;
        Some(reader)
    }

    /// Moves to the next line with content, past blank lines and comments.
    /// `None` on a character this reader leaves to serde-saphyr: a tab, a
    /// control character, a byte order mark, a line break other than LF or
    /// CRLF.
    fn advance(&mut self) -> Option<()> {
        self.next = None;
        while !self.rest.is_empty() {
            let (line, rest) = match self.rest.find('\n') {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
            self.no = self.no.checked_add(1)?;
            let line = line.strip_suffix('\r').unwrap_or(line);
            let ascii = line.is_ascii();
            let odd = if ascii {
                line.bytes().any(|b| b < b' ' || b == 0x7f)
            } else {
                line.chars()
                    .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'))
            };
            if odd {
                return None;
            }
            let content = line.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            self.next =
                Some(Line { no: self.no, indent: line.len() - content.len(), content, ascii });
            break;
        }
        Some(())
    }

    fn count(&mut self, nodes: usize) -> Option<()> {
        self.nodes += nodes;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// A mapping or a sequence starting at column 1 of the first line, and
    /// nothing after it.
    fn document(mut self) -> Option<Node<'t>> {
        if self.next?.indent != 0 {
            return None;
        }
        let root = self.block(0)?;
        self.next.is_none().then_some(root)
    }

    /// The block collection whose first line is the current one.
    fn block(&mut self, depth: usize) -> Option<Node<'t>> {
        let line = self.next?;
        if line.content.starts_with('-') { self.seq(line, depth) } else { self.map(line, depth) }
    }

    /// A block sequence: lines `- ITEM` at the indentation of `first`.
    fn seq(&mut self, first: Line<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let indent = first.indent;
        let mut items = Vec::new();
        while let Some(line) = self.next {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let Some(rest) = line.content.strip_prefix("- ") else {
                if line.content.starts_with('-') {
                    // An empty item, or a dash that does not open one.
                    return None;
                }
                // A key after a sequence written at its key's indentation.
                break;
            };
            let item = rest.trim_start_matches(' ');
            if item.is_empty() || item.starts_with('#') {
                return None;
            }
            let at = line.content.len() - item.len();
            let inner =
                Line { no: line.no, indent: line.indent + at, content: item, ascii: line.ascii };
            items.push(self.item(inner, depth + 1)?);
        }
        self.count(items.len() + 1)?;
        Some(first.node(0, Kind::Seq(items)))
    }

    /// The item of `- ITEM`: a mapping or a sequence opened on its line
    /// (read on as if the line began there), or a value that ends the line.
    fn item(&mut self, line: Line<'t>, depth: usize) -> Option<Node<'t>> {
        if line.content.starts_with("- ") {
            self.next = Some(line);
            return self.seq(line, depth);
        }
        if key_end(line.content).is_some() {
            self.next = Some(line);
            return self.map(line, depth);
        }
        let value = self.value(line, 0)?;
        self.advance()?;
        Some(value)
    }

    /// A block mapping: lines `KEY: VALUE` at the indentation of `first`.
    fn map(&mut self, first: Line<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let indent = first.indent;
        let mut entries: Vec<(Node<'t>, Node<'t>)> = Vec::new();
        while let Some(line) = self.next {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let end = key_end(line.content)?;
            let key = line.node(0, Kind::Text { text: &line.content[..end], plain: true });
            let after = line.content[end + 1..].trim_start_matches(' ');
            let value = if after.is_empty() || after.starts_with('#') {
                // The value is below: indented further, or a sequence at
                // the key's indentation. Nothing there is a null: left to
                // serde-saphyr.
                self.advance()?;
                let below = self.next?;
                let nested = below.indent > indent
                    || (below.indent == indent && below.content.starts_with("- "));
                if !nested {
                    return None;
                }
                self.block(depth + 1)?
            } else {
                let value = self.value(line, line.content.len() - after.len())?;
                self.advance()?;
                value
            };
            entries.push((key, value));
        }
        if duplicates(&entries) {
            return None;
        }
        self.count(2 * entries.len() + 1)?;
        Some(first.node(0, Kind::Map(entries)))
    }

    /// A scalar or a flow sequence at byte `at` of `line`, then at most a
    /// comment.
    fn value(&mut self, line: Line<'t>, at: usize) -> Option<Node<'t>> {
        let (node, end) = match line.content.as_bytes()[at] {
            b'[' => self.flow(line, at)?,
            b'"' | b'\'' => quoted(line, at)?,
            _ => plain(line, at, false)?,
        };
        let rest = &line.content[end..];
        let comment = rest.trim_start_matches(' ');
        (comment.is_empty() || (comment.starts_with('#') && comment.len() < rest.len()))
            .then_some(node)
    }

    /// `[a, "b", c]` on one line, scalars only; with the byte after `]`.
    fn flow(&mut self, line: Line<'t>, at: usize) -> Option<(Node<'t>, usize)> {
        let c = line.content.as_bytes();
        let skip = |mut i: usize| {
            while c.get(i) == Some(&b' ') {
                i += 1;
            }
            i
        };
        let mut items = Vec::new();
        let mut i = skip(at + 1);
        if c.get(i) == Some(&b']') {
            i += 1;
        } else {
            loop {
                let (item, end) = match c.get(i)? {
                    b'"' | b'\'' => quoted(line, i)?,
                    _ => plain(line, i, true)?,
                };
                items.push(item);
                i = skip(end);
                match c.get(i)? {
                    b',' => {
                        i = skip(i + 1);
                        if c.get(i) == Some(&b']') {
                            // A trailing comma: left to serde-saphyr.
                            return None;
                        }
                    }
                    b']' => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.count(items.len() + 1)?;
        Some((line.node(at, Kind::Seq(items)), i))
    }
}

/// The byte index of the `:` ending a key at the start of `content`: a
/// plain word (letters, digits, `_ - . /`, not starting with a sign or a
/// dot; any letter beyond ASCII) followed by `: ` or by `:` at the end of
/// the line.
fn key_end(content: &str) -> Option<usize> {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || !c.is_ascii();
    let b = content.as_bytes();
    if !word(*b.first()?) {
        return None;
    }
    let end = b.iter().position(|&c| !(word(c) || matches!(c, b'-' | b'.' | b'/')))?;
    (b[end] == b':' && b.get(end + 1).is_none_or(|&c| c == b' ')).then_some(end)
}

/// A quoted scalar on one line, without escapes; with the byte after it.
fn quoted(line: Line<'_>, at: usize) -> Option<(Node<'_>, usize)> {
    let quote = line.content.as_bytes()[at];
    let body = &line.content[at + 1..];
    let close = body.bytes().position(|b| b == quote)?;
    let text = &body[..close];
    let escaped = if quote == b'"' {
        text.contains('\\')
    } else {
        body.as_bytes().get(close + 1) == Some(&b'\'')
    };
    if escaped {
        return None;
    }
    Some((line.node(at, Kind::Text { text, plain: false }), at + close + 2))
}

/// A plain scalar at byte `at`, ending before a comment (or, in a flow,
/// before `,` or `]`); with the byte after it.
fn plain(line: Line<'_>, at: usize, flow: bool) -> Option<(Node<'_>, usize)> {
    let b = &line.content.as_bytes()[at..];
    // A dash starts a plain scalar when a letter, a digit, a dot or a dash
    // follows (`-0.25`, `--fast`); `- ` opens a sequence item.
    let sign = b[0] == b'-'
        && b.get(1).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'));
    if !sign
        && matches!(
            b[0],
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b' '
        )
    {
        return None;
    }
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'#' if b[i - 1] == b' ' => {
                end = i;
                break;
            }
            b',' | b']' if flow => {
                end = i;
                break;
            }
            b'[' | b'{' | b'}' | b':' if flow => return None,
            // `KEY: VALUE` where a value belongs.
            b':' if b.get(i + 1).is_none_or(|&n| n == b' ') => return None,
            _ => {}
        }
    }
    let text = line.content[at..at + end].trim_end_matches(' ');
    Some((line.node(at, Kind::Text { text, plain: true }), at + text.len()))
}

fn duplicates<'t>(entries: &[(Node<'t>, Node<'t>)]) -> bool {
    fn key<'t>((k, _): &(Node<'t>, Node<'t>)) -> &'t str {
        match k.kind {
            Kind::Text { text, .. } => text,
            _ => "",
        }
    }
    if entries.len() <= 16 {
        entries.iter().enumerate().any(|(i, a)| entries[..i].iter().any(|b| key(a) == key(b)))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        !entries.iter().all(|e| seen.insert(key(e)))
    }
}

/// Plain scalars whose meaning depends on the YAML schema: left to
/// serde-saphyr wherever they appear.
fn schema_word(text: &str) -> bool {
    text.len() <= 6
        && [
            "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf",
            "+.inf", ".nan",
        ]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w))
}

/// What a plain scalar means to a target that takes any type.
enum Typed {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str,
}

/// `None` for what this reader does not decide: other spellings of
/// booleans, null, numbers other than plain decimals.
fn typed(text: &str) -> Option<Typed> {
    match text {
        "true" => return Some(Typed::Bool(true)),
        "false" => return Some(Typed::Bool(false)),
        _ if schema_word(text) => return None,
        _ => {}
    }
    if !matches!(text.as_bytes()[0], b'0'..=b'9' | b'-' | b'+' | b'.') {
        return Some(Typed::Str);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, fraction) = match unsigned.split_once('.') {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) || text == "-0" {
        return None;
    }
    match fraction {
        None => text.parse().ok().map(Typed::Int),
        Some(f) if digits(f) => text.parse().ok().map(Typed::Float),
        Some(_) => None,
    }
}

/// Any refusal: the caller goes to serde-saphyr.
#[derive(Debug)]
struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not read by the plain reader")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self
    }
}

impl Node<'_> {
    /// The text of a scalar read as a string.
    fn text(&self) -> Result<&str, Bail> {
        match self.kind {
            Kind::Text { text, plain: false } => Ok(text),
            Kind::Text { text, plain: true } if !schema_word(text) => Ok(text),
            _ => Err(Bail),
        }
    }
}

/// `deserialize_*` methods for what no relman file holds: left to
/// serde-saphyr.
macro_rules! refuse {
    ($($method:ident($($arg:ident: $type:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $type,)* _v: V) -> Result<V::Value, Bail> {
            Err(Bail)
        }
    )*};
}

impl<'de> Deserializer<'de> for &Node<'_> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        match &self.kind {
            Kind::Text { text, plain: true } => match typed(text).ok_or(Bail)? {
                Typed::Int(i) => match u64::try_from(i) {
                    Ok(u) => v.visit_u64(u),
                    Err(_) => v.visit_i64(i),
                },
                Typed::Float(f) => v.visit_f64(f),
                Typed::Bool(b) => v.visit_bool(b),
                Typed::Str => v.visit_str(text),
            },
            Kind::Text { text, plain: false } => v.visit_str(text),
            Kind::Seq(items) => v.visit_seq(Items(items.iter())),
            Kind::Map(entries) => v.visit_map(Entries { entries: entries.iter(), value: None }),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        v.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        self.deserialize_str(v)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        self.deserialize_str(v)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Text { text: "true", plain: true } => v.visit_bool(true),
            Kind::Text { text: "false", plain: true } => v.visit_bool(false),
            _ => Err(Bail),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        // This reader has no null: an empty value or `null` is left to
        // serde-saphyr.
        v.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Bail> {
        if name == SPANNED {
            v.visit_newtype_struct(Located(self))
        } else {
            v.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        match &self.kind {
            Kind::Seq(items) => v.visit_seq(Items(items.iter())),
            _ => Err(Bail),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Bail> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        match &self.kind {
            Kind::Map(entries) => v.visit_map(Entries { entries: entries.iter(), value: None }),
            _ => Err(Bail),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_map(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        v.visit_unit()
    }

    refuse! {
        deserialize_unit();
        deserialize_char();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_unit_struct(_name: &'static str);
        deserialize_tuple_struct(_name: &'static str, _len: usize);
        deserialize_enum(_name: &'static str, _variants: &'static [&'static str]);
    }

    serde::forward_to_deserialize_any! { i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 }
}

struct Items<'a, 't>(slice::Iter<'a, Node<'t>>);

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Bail;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Bail> {
        self.0.next().map(|n| seed.deserialize(n)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a, 't> {
    entries: slice::Iter<'a, (Node<'t>, Node<'t>)>,
    value: Option<&'a Node<'t>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Bail;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Bail> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Bail> {
        seed.deserialize(self.value.take().ok_or(Bail)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A node as `Spanned` asks for it: a map of the marker, the value, and
/// where it is referenced and defined (the same place: this reader has no
/// aliases).
struct Located<'a, 't>(&'a Node<'t>);

impl<'de> Deserializer<'de> for Located<'_, '_> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Bail> {
        v.visit_map(LocatedFields { node: self.0, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct LocatedFields<'a, 't> {
    node: &'a Node<'t>,
    next: usize,
}

const LOCATED_FIELDS: [&str; 4] = [SPANNED_MARKER, "value", "referenced", "defined"];

impl<'de> MapAccess<'de> for LocatedFields<'_, '_> {
    type Error = Bail;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Bail> {
        let Some(&key) = LOCATED_FIELDS.get(self.next) else { return Ok(None) };
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Bail> {
        self.next += 1;
        match self.next {
            1 => seed.deserialize(().into_deserializer()),
            2 => seed.deserialize(self.node),
            _ => seed.deserialize(de::value::MapDeserializer::new(
                [("line", self.node.line), ("column", self.node.column)].into_iter(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;

    use serde::Deserialize;
    use serde_saphyr::Spanned;

    use super::*;

    /// A target with every shape relman's files use.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        items: Vec<Spanned<Item>>,
        #[serde(default)]
        table: BTreeMap<String, Vec<Spanned<String>>>,
        note: Option<Spanned<String>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: Spanned<String>,
        #[serde(default)]
        list: Vec<Spanned<String>>,
        version: Option<Spanned<String>>,
        score: Option<Any>,
        flag: Option<bool>,
        count: Option<u32>,
        hook: Option<Any>,
    }

    /// What a target taking any type sees.
    #[derive(Debug, PartialEq)]
    enum Any {
        Int(i128),
        Float(f64),
        Bool(bool),
        Str(String),
        Seq(Vec<Self>),
    }

    impl<'de> Deserialize<'de> for Any {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Any;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("anything")
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Any, E> {
                    Ok(Any::Bool(v))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Any, E> {
                    Ok(Any::Int(v.into()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Any, E> {
                    Ok(Any::Int(v.into()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Any, E> {
                    Ok(Any::Float(v))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Any, E> {
                    Ok(Any::Str(v.to_owned()))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
                    let mut all = Vec::new();
                    while let Some(x) = seq.next_element()? {
                        all.push(x);
                    }
                    Ok(Any::Seq(all))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// Every value with where it is referenced and defined.
    fn show(doc: &Doc) -> String {
        fn at<T: fmt::Debug>(out: &mut String, s: &Spanned<T>) {
            let (r, d) = (&s.referenced, &s.defined);
            let _ = write!(
                out,
                "{:?}@{}:{}/{}:{} ",
                s.value,
                r.line(),
                r.column(),
                d.line(),
                d.column()
            );
        }
        let mut out = String::new();
        for item in &doc.items {
            let i = &item.value;
            let _ = write!(out, "\nitem@{}:{} ", item.referenced.line(), item.referenced.column());
            at(&mut out, &i.name);
            i.list.iter().for_each(|s| at(&mut out, s));
            i.version.iter().for_each(|s| at(&mut out, s));
            let _ = write!(out, "{:?} {:?} {:?} {:?}", i.score, i.flag, i.count, i.hook);
        }
        for (k, v) in &doc.table {
            let _ = write!(out, "\n{k}: ");
            v.iter().for_each(|s| at(&mut out, s));
        }
        doc.note.iter().for_each(|s| at(&mut out, s));
        out
    }

    /// The plain reader's answer, which must be serde-saphyr's.
    fn both(text: &str) -> Option<String> {
        let mine = parse::<Doc>(text).map(|d| show(&d));
        if let Some(mine) = &mine {
            let theirs = serde_saphyr::from_str::<Doc>(text).unwrap_or_else(|e| {
                panic!("serde-saphyr refuses what the plain reader read: {e}\n{text}")
            });
            assert_eq!(mine, &show(&theirs), "\n{text}");
        }
        mine
    }

    const CATALOG: &str = "\
# services
items:
  - name: svc-a  # the first
    list: [b, \"c d\", 'e#f', g.h/i]
    version: 2.10
    score: 87
    flag: true
    count: 3
  - name: \"quoted: # name\"\x20\x20
    list: # a comment after the key\x20
      - one
      - 'two'
    hook: [a, b]
  -   name: far
      list:
      - indentless
      version: '1.0'
      score: -0.25
      hook: run ./x.sh --y=z
  # between items
  - name: nested
    hook:
      - - a
        - [b, c]
      - d
table:
  payments-api: [1.0.0, 1.1.0]
  é: []

note: \"x\"
";

    #[test]
    fn answers_as_serde_saphyr_does() {
        for text in
            [CATALOG.to_owned(), CATALOG.replace('\n', "\r\n"), CATALOG.trim_end().to_owned()]
        {
            assert!(both(&text).is_some(), "the plain reader answers:\n{text}");
        }
    }

    #[test]
    fn leaves_the_rest_of_yaml_to_serde_saphyr() {
        for (what, from, to) in [
            ("an anchor", "version: 2.10", "version: &v 2.10"),
            ("an alias", "name: far", "name: *n"),
            ("a tag", "score: 87", "score: !!str 87"),
            ("a null", "version: 2.10", "version: null"),
            ("an empty value", "version: 2.10", "version:"),
            ("a schema word", "flag: true", "flag: yes"),
            ("an octal-looking number", "score: 87", "score: 087"),
            ("a float with an exponent", "score: 87", "score: 8.7e1"),
            ("a block scalar", "version: 2.10", "version: |\n      2.10"),
            ("a value over lines", "version: 2.10", "version: 2.\n      10"),
            ("an escape", "name: far", "name: \"f\\u0061r\""),
            ("an escaped quote", "- 'two'", "- 'it''s'"),
            ("a flow over lines", "[a, b]", "[a,\n      b]"),
            ("a flow mapping", "[a, b]", "{a: b}"),
            ("a trailing comma", "[a, b]", "[a, b,]"),
            ("a tab", "count: 3", "count:\t3"),
            ("a duplicate key", "count: 3", "count: 3\n    count: 4"),
            ("an unknown key", "count: 3", "cuont: 3"),
            ("a document marker", "# services", "---"),
            ("a key in quotes", "note: \"x\"", "\"note\": x"),
            ("a misplaced line", "    flag: true", "     flag: true"),
        ] {
            assert!(CATALOG.contains(from), "{what}");
            let text = CATALOG.replacen(from, to, 1);
            assert_eq!(both(&text), None, "{what}:\n{text}");
        }
        assert!(parse::<Doc>("").is_none() && parse::<Doc>("# nothing\n").is_none());
    }

    /// Every YAML file of this repository (the reference catalog, the
    /// examples, the test fixtures, valid or not) reads as serde-saphyr
    /// reads it, as plain values; and the reference catalog's files, read
    /// as the types relman reads them into, are plain enough for this
    /// reader to answer.
    #[test]
    fn the_repositorys_own_files_read_as_serde_saphyr_reads_them() {
        fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    yaml_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["catalog", "examples", "tests/fixtures"] {
            yaml_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 40, "{} files", files.len());
        let mut answered = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            if let Some(mine) = parse::<serde_json::Value>(&text) {
                let theirs: serde_json::Value = serde_saphyr::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                assert_eq!(mine, theirs, "{}", file.display());
                answered += 1;
            }
        }
        assert!(answered > files.len() / 2, "{answered} of {} files", files.len());
        let text = |file: &str| std::fs::read_to_string(root.join(file)).unwrap();
        use crate::domain::catalog::{RawServices, RawSpecs, RawTrains};
        assert!(parse::<RawServices>(&text("catalog/services.yaml")).is_some());
        assert!(parse::<RawTrains>(&text("catalog/release-trains.yaml")).is_some());
        assert!(parse::<RawSpecs>(&text("catalog/specs.yaml")).is_some());
        for metrics in std::fs::read_dir(root.join("catalog/metrics")).unwrap().flatten() {
            let text = std::fs::read_to_string(metrics.path()).unwrap();
            let read = parse::<BTreeMap<String, crate::domain::gates::MetricValue>>(&text);
            assert!(read.is_some(), "{}", metrics.path().display());
        }
    }

    /// A small deterministic generator (xorshift), so that every run tries
    /// the same documents and a failure can be replayed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
        fn one_in(&mut self, n: usize) -> bool {
            self.below(n) == 0
        }
    }

    /// Scalars the plain reader reads, and odd ones.
    const GOOD: &[&str] = &[
        "svc-a",
        "svc_b.c/d",
        "2.10",
        "1.0.0",
        "87",
        "-3",
        "0",
        "1.5",
        "-0.25",
        "a b  c",
        "x:y",
        "a#b",
        "é ü",
        "\"quoted # : text\"",
        "'single'",
        "\"{name}-v{version}\"",
        "http://x.y/z",
        "2026-12-01T09:00:00Z",
        "10m",
        "90%",
        "pricing-lib >=1.4, <2",
        "run ./x.sh --y=z",
        "0.1",
        "true",
        "false",
        "\"\"",
        "''",
    ];
    const SCALARS: &[&str] = &[
        "svc-a",
        "svc_b.c/d",
        "2.10",
        "1.0.0",
        "87",
        "-3",
        "0",
        "-0",
        "007",
        "1.5",
        "-0.25",
        "1e3",
        "0x1F",
        "+4",
        ".5",
        "1_000",
        "true",
        "false",
        "True",
        "FALSE",
        "null",
        "Null",
        "~",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        ".inf",
        ".NaN",
        "a b  c",
        "x:y",
        "x: y",
        "a#b",
        "a #b",
        "a:",
        "é ü",
        "日本",
        "\"quoted # : text\"",
        "\"\"",
        "''",
        "'single'",
        "'it''s'",
        "\"esc\\n\"",
        "\"{name}-v{version}\"",
        "{name}",
        "[a]",
        "http://x.y/z",
        "*alias",
        "&anchor v",
        "!tag v",
        "-",
        "- a",
        "-a",
        "|",
        ">",
        "%x",
        "@x",
        "`x`",
        "? x",
        ": x",
        "\"open",
        "'x' y",
        "\"x\"#c",
        "\"x\" #c",
        "a,b",
        "a]b",
        "a}b",
        "99999999999999999999",
        "-9223372036854775808",
        "3.14159265358979323846",
        "0.1",
    ];

    const FLOW_ITEMS: &[&str] = &[
        "a", "b c", "2.10", "\"q, ]\"", "'s'", "x:y", "true", "null", "[x]", "", "é", "-", "a #b",
    ];

    fn scalar<'a>(rng: &mut Rng) -> &'a str {
        if rng.one_in(8) { rng.pick(SCALARS) } else { rng.pick(GOOD) }
    }

    fn flow(rng: &mut Rng) -> String {
        let n = rng.below(4);
        let sep = rng.pick(&[", ", ",", " , ", ",  "]);
        let items: Vec<&str> = (0..n)
            .map(|_| if rng.one_in(8) { rng.pick(FLOW_ITEMS) } else { rng.pick(&FLOW_ITEMS[..5]) })
            .collect();
        let (open, close) = if rng.one_in(8) { ("[ ", " ]") } else { ("[", "]") };
        format!("{open}{}{close}", items.join(sep))
    }

    /// A value for `key` at indentation `indent`: inline, or lines below.
    fn value(rng: &mut Rng, key: &str, indent: usize) -> String {
        let list = matches!(key, "list" | "hook") || rng.one_in(12);
        if list && rng.one_in(2) {
            let at =
                if rng.one_in(3) { indent } else { indent + rng.pick(&["2", "4", "1"]).len() * 2 };
            let mut text = String::new();
            for _ in 0..=rng.below(3) {
                let item = if rng.one_in(6) { flow(rng) } else { scalar(rng).to_owned() };
                let _ = write!(text, "\n{}- {item}", " ".repeat(at));
            }
            text
        } else if list {
            format!(" {}", flow(rng))
        } else {
            format!("{}{}", rng.pick(&[" ", " ", "  "]), scalar(rng))
        }
    }

    fn document(rng: &mut Rng) -> String {
        const KEYS: &[&str] =
            &["list", "version", "score", "flag", "count", "hook", "name", "nmae", "score"];
        let step = [2, 4, 3][rng.below(3)];
        let mut text = String::new();
        if rng.one_in(4) {
            text.push_str("# header\n");
        }
        text.push_str("items:");
        let base = if rng.one_in(4) { 0 } else { step };
        for _ in 0..=rng.below(3) {
            let pad = if rng.one_in(6) { 3 } else { 1 };
            let key_at = base + 1 + pad;
            let mut keys = vec!["name"];
            keys.extend(
                (0..rng.below(5)).map(|_| {
                    if rng.one_in(10) { rng.pick(&KEYS[6..]) } else { rng.pick(&KEYS[..6]) }
                }),
            );
            keys.dedup();
            if rng.one_in(3) {
                let other = rng.below(keys.len());
                keys.swap(0, other);
            }
            for (i, key) in keys.iter().enumerate() {
                let mut at = key_at;
                if rng.one_in(40) {
                    at = at + 1 - 2 * rng.below(2);
                }
                if i == 0 {
                    let _ = write!(text, "\n{}-{}", " ".repeat(base), " ".repeat(pad));
                } else {
                    let _ = write!(text, "\n{}", " ".repeat(at));
                }
                let _ = write!(text, "{key}:{}", value(rng, key, at));
                if rng.one_in(5) {
                    text.push_str(rng.pick(&[" # c", "  #c", "#c", " #"]));
                }
                if rng.one_in(10) {
                    text.push_str(rng.pick(&["\n", "\n# x", "\n  # y", "\n   "]));
                }
            }
        }
        if rng.one_in(3) {
            let key = scalar(rng).replace(' ', "-");
            let _ =
                write!(text, "\ntable:\n{}{key}:{}", " ".repeat(step), value(rng, "list", step));
        }
        if rng.one_in(3) {
            let _ = write!(text, "\nnote:{}", value(rng, "note", 0));
        }
        if !rng.one_in(5) {
            text.push('\n');
        }
        if rng.one_in(5) {
            text = text.replace('\n', "\r\n");
        }
        text
    }

    #[test]
    fn every_answer_is_serde_saphyrs_on_random_documents() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (tries, mut read, mut answered) = (4_000, 0, 0);
        for _ in 0..tries {
            let text = document(&mut rng);
            if serde_saphyr::from_str::<Doc>(&text).is_ok() {
                read += 1;
            }
            if both(&text).is_some() {
                answered += 1;
            }
        }
        // Enough documents read, and enough of them by the plain reader, for
        // the comparison to mean something; and some left to serde-saphyr
        // (schema words, escapes), so that odd cases were tried.
        assert!(read > tries / 10, "serde-saphyr read {read} of {tries}");
        assert!(answered > read / 2 && answered < read, "{answered} of {read}");
    }
}
