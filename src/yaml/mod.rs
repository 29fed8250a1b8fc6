//! YAML in, with line and column on every error, inside tight budgets.
//!
//! serde-saphyr refuses YAML bombs (nested aliases, deep nesting) within
//! the budget below; the byte cap in `files.rs` covers huge inputs, which
//! budgets do not see for in-memory text (research/reliability.md §4.4).

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

mod duplicate;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: 1_000_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 64,
            max_documents: 1,
        },
        // Bombs are alias replays; real relman files use few aliases, so a
        // tight replay cap refuses them fast without capping honest size.
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
            max_replay_stack_depth: 16,
        },
        with_snippet: false,
    }
}

/// Parses `text` (the contents of `file`) into `T`. A text that is one
/// empty document (nothing, comments, a lone `---`) reads as an empty one.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str) -> Result<T> {
    let text = if is_blank(text) { "" } else { text };
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| to_error(&e, file, text))
}

/// Tells whether a YAML text holds no value: only blank lines, comments
/// and the markers of one document (`---` at its start, `...` at its end).
pub(crate) fn is_blank(text: &str) -> bool {
    let mut starts = 0;
    text.lines().all(|l| {
        let t = l.trim();
        starts += usize::from(t == "---");
        t.is_empty() || t.starts_with('#') || t == "..." || (t == "---" && starts == 1)
    })
}

fn to_error(e: &serde_saphyr::Error, file: &str, text: &str) -> Error {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let at = Location::new(file, line, column);
    if let Some(message) = own_words(e.without_snippet(), text) {
        return Error::input(message).at(at);
    }
    let mut message = e.without_snippet().to_string();
    // serde-saphyr prefixes its own "line L column C: "; we print file:line:col.
    if let Some(rest) = message.strip_prefix("error: ") {
        message = rest.to_owned();
    }
    let prefix = format!("line {line} column {column}: ");
    if let Some(rest) = message.strip_prefix(&prefix) {
        message = rest.to_owned();
    }
    let mut message = message.lines().next().unwrap_or("invalid YAML").trim().to_owned();
    // ... and sometimes a suffix "at line L, column C".
    if let Some(i) = message.rfind(" at line ")
        && message[i..].contains(", column ")
    {
        message.truncate(i);
    }
    let mut err = Error::input(message.clone()).at(at);
    if let Some(hint) = unknown_field_hint(&message) {
        err = err.hint(hint);
    }
    err
}

/// relman's words for the errors whose library text speaks of the
/// library's options rather than of the file.
fn own_words(e: &serde_saphyr::Error, text: &str) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    Some(match e {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => {
                "a second YAML document (`---`) is not allowed: relman reads one document a file"
                    .to_owned()
            }
            BudgetBreach::Depth { .. } => "nested more than 64 levels deep".to_owned(),
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
                "more than 1,000 anchors or aliases".to_owned()
            }
            _ => "too large: more than relman reads in one file".to_owned(),
        },
        serde_saphyr::Error::DuplicateMappingKey { key, location } => {
            let key = key.as_deref().map_or_else(String::new, |k| format!(" `{k}`"));
            match duplicate::first_at(text, options()) {
                Some((line, column)) if line == location.line() => {
                    format!("duplicate key{key} (first at column {column})")
                }
                Some((line, _)) => format!("duplicate key{key} (first at line {line})"),
                None => format!("duplicate key{key}"),
            }
        }
        serde_saphyr::Error::NonFiniteFloat { value, .. } => {
            format!("`{value}` is not a finite number")
        }
        _ => return None,
    })
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a hint
/// naming the closest known key.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, expected) = rest.split_once('`')?;
    let list =
        expected.split("expected one of ").nth(1).or_else(|| expected.split("expected ").nth(1))?;
    let known: Vec<&str> =
        list.split(", ").map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
    crate::domain::suggestion::hint(unknown, &known, "known keys")
}

/// Byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset(text: &str, line: u64, column: u64) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(usize::try_from(line).ok()? - 2).map(|(i, _)| i + 1)?
    };
    let rest = &text[start..];
    let col = usize::try_from(column.max(1) - 1).ok()?;
    rest.char_indices().nth(col).map(|(i, _)| start + i).or((col == 0).then_some(start))
}

/// Where a scalar value is written in a text: the bytes `start..end`,
/// quotes included. An empty value (`key:` with nothing after it) is the
/// empty span right after its colon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scalar {
    /// The first byte of the value (of its opening quote).
    pub start: usize,
    /// The byte after the value (after its closing quote).
    pub end: usize,
    /// The quote it is written in, if any.
    pub quote: Option<char>,
}

impl Scalar {
    /// The value as written, without its quotes.
    pub(crate) fn text<'t>(&self, text: &'t str) -> &'t str {
        let inner = self.quote.map_or(0, char::len_utf8);
        &text[self.start + inner..self.end - inner]
    }

    /// Returns `text` with this value replaced by `new`, written in the
    /// same quotes; an empty value gets a space before it.
    pub(crate) fn replace(&self, text: &str, new: &str) -> String {
        let value = match self.quote {
            Some(q) => format!("{q}{new}{q}"),
            None if self.start == self.end => format!(" {new}"),
            None => new.to_owned(),
        };
        format!("{}{value}{}", &text[..self.start], &text[self.end..])
    }
}

/// Finds the scalar value that the parser placed at `line`:`column` of
/// `file`: a plain value (up to a comment, or a `,`, `]` or `}` closing it
/// in a flow collection), a single- or double-quoted one on one line, or an
/// empty one (the parser marks those at their key's colon). An alias, an
/// anchored or tagged value, or a block scalar is refused (exit 2), since
/// replacing it would change more than that value.
pub(crate) fn scalar_at(text: &str, file: &str, line: u64, column: u64) -> Result<Scalar> {
    let at = Location::new(file, line, column);
    let refuse = |why: &str| {
        Error::input(format!("relman edits only plain or quoted values, and this one is {why}"))
            .at(at.clone())
            .hint("write the value plainly (`status: planning`), then run the command again")
    };
    let mut start = offset(text, line, column).ok_or_else(|| refuse("not where the file said"))?;
    let line_rest = |start: usize| {
        let rest = &text[start..];
        &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
    };
    if let Some(after) = line_rest(start).strip_prefix(':') {
        // An empty value is marked at its key's colon; a value written
        // there since (by an earlier transition of this run) follows it.
        let value = after.trim_start_matches([' ', '\t']);
        let spaced = value.len() < after.len();
        if value.is_empty()
            || value.starts_with([',', ']', '}'])
            || (spaced && value.starts_with('#'))
        {
            return Ok(Scalar { start: start + 1, end: start + 1, quote: None });
        }
        start += 1 + after.len() - value.len();
    }
    let rest = line_rest(start);
    let (len, quote) = match rest.chars().next() {
        Some('*') => return Err(refuse("an alias")),
        Some('&') => return Err(refuse("anchored")),
        Some('!') => return Err(refuse("tagged")),
        Some('|' | '>') => return Err(refuse("a block scalar")),
        Some('[' | '{') => return Err(refuse("a collection")),
        Some(q @ ('"' | '\'')) => {
            let close = rest[1..].find(q).ok_or_else(|| refuse("a quoted value over lines"))?;
            (close + 2, Some(q))
        }
        Some(_) => {
            // A comment starts at a `#` after a space; in a flow collection
            // (a `,`, `]` or `}`, never in a value relman writes) ends it too.
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                let comment = c == '#' && rest[..i].ends_with([' ', '\t']);
                if comment || matches!(c, ',' | ']' | '}') {
                    end = i;
                    break;
                }
            }
            (rest[..end].trim_end_matches([' ', '\t']).len(), None)
        }
        None => return Err(refuse("empty")),
    };
    Ok(Scalar { start, end: start + len, quote })
}

/// Returns `text` with the scalar at `line`:`column` of `file` replaced by
/// `new`, every other byte kept (comments, quoting style, CRLF); see
/// `scalar_at` for the values it can replace.
pub(crate) fn replace_scalar(
    text: &str,
    file: &str,
    line: u64,
    column: u64,
    new: &str,
) -> Result<String> {
    Ok(scalar_at(text, file, line, column)?.replace(text, new))
}

/// Returns `text` with a line `key: value` added below `line` (the line of
/// a mapping's key written at `column`), indented as that key, in the
/// file's line endings.
pub(crate) fn insert_key_below(
    text: &str,
    file: &str,
    line: u64,
    key_column: u64,
    entry: &str,
) -> Result<String> {
    let start = offset(text, line, 1).ok_or_else(|| {
        Error::input("the line to insert below is missing").at(Location::new(file, line, 1))
    })?;
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let indent = " ".repeat(usize::try_from(key_column.max(1) - 1).unwrap_or(0));
    let lead = if end == text.len() && !text.ends_with('\n') { nl } else { "" };
    Ok(format!("{}{lead}{indent}{entry}{nl}{}", &text[..end], &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scalar_is_replaced_and_nothing_else() {
        let text = "a: &x [1]\r\ntrains:\r\n  - name: t # the train\r\n    status: planning  # set by relman\r\n    b: *x\r\n";
        let new = replace_scalar(text, "f.yaml", 4, 13, "executing").unwrap();
        assert_eq!(new, text.replace("status: planning", "status: executing"));
        let quoted = "status: \"planning\"\n";
        assert_eq!(replace_scalar(quoted, "f", 1, 9, "staging").unwrap(), "status: \"staging\"\n");
        for (bad, why) in [
            ("status: *s\n", "alias"),
            ("status: &s planning\n", "anchored"),
            ("status: |\n  x\n", "block"),
        ] {
            let e = replace_scalar(bad, "f.yaml", 1, 9, "x").unwrap_err();
            assert!(e.to_string().contains(why), "{e}");
            assert_eq!(e.kind, crate::error::ErrorKind::Input);
        }
    }

    #[test]
    fn a_value_is_found_in_every_shape_and_only_its_bytes_change() {
        // (text, line, column the parser gives, the text after writing `x`)
        for (text, line, column, want) in [
            ("- {name: T, status: planning}\n", 1, 21, "- {name: T, status: x}\n"),
            ("- {status: planning, b: [1]}\n", 1, 12, "- {status: x, b: [1]}\n"),
            ("[a, planning]\n", 1, 5, "[a, x]\n"),
            ("status: planning\t# c\n", 1, 9, "status: x\t# c\n"),
            ("status: plan#ning\n", 1, 9, "status: x\n"),
            ("status: ~ # c\r\n", 1, 9, "status: x # c\r\n"),
            ("status: 'planning'\n", 1, 9, "status: 'x'\n"),
            // An empty value, placed at its key's colon.
            ("status:\n", 1, 7, "status: x\n"),
            ("status:\r\nb: 1\r\n", 1, 7, "status: x\r\nb: 1\r\n"),
            ("status:   # c\n", 1, 7, "status: x   # c\n"),
            ("{status: , b: 1}\n", 1, 8, "{status: x , b: 1}\n"),
            ("{status:}\n", 1, 8, "{status: x}\n"),
            // The value written since at a colon is the one replaced.
            ("status: planning # c\n", 1, 7, "status: x # c\n"),
            ("{status: planning}\n", 1, 8, "{status: x}\n"),
        ] {
            let got = replace_scalar(text, "f", line, column, "x").unwrap();
            assert_eq!(got, want, "{text:?}");
        }
        let e = replace_scalar("status: [a]\n", "f", 1, 9, "x").unwrap_err();
        assert!(e.to_string().contains("a collection"), "{e}");
    }

    #[test]
    fn a_key_is_inserted_below_with_the_same_indent() {
        let text = "trains:\r\n  - name: t\r\n    gates: []\r\n";
        let new = insert_key_below(text, "f", 2, 5, "status: validating").unwrap();
        assert_eq!(new, "trains:\r\n  - name: t\r\n    status: validating\r\n    gates: []\r\n");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields exist to be parsed")]
    struct Cfg {
        status: String,
        version: String,
    }

    #[test]
    fn versions_stay_text() {
        let c: Cfg = parse("status: planning\nversion: 2.10\n", "x.yaml").unwrap();
        assert_eq!(c.version, "2.10");
    }

    #[test]
    fn unknown_key_has_location_and_suggestion() {
        let e = parse::<Cfg>("stauts: planning\nversion: 1\n", "x.yaml").unwrap_err();
        let p = &e.problems[0];
        assert_eq!(p.location, Some(Location::new("x.yaml", 1, 1)));
        assert_eq!(p.hint.as_deref(), Some("did you mean `status`?"));
    }

    #[test]
    fn bombs_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 { "a".to_owned() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let start = std::time::Instant::now();
        assert!(parse::<serde_json::Value>(&bomb, "b.yaml").is_err());
        assert!(start.elapsed().as_secs() < 2);
    }
}
