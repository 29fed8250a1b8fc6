//! YAML in, with line and column on every error, inside tight budgets.
//!
//! serde-saphyr refuses YAML bombs (nested aliases, deep nesting) within
//! the budget below; the byte cap in `files.rs` covers huge inputs, which
//! budgets do not see for in-memory text (research/reliability.md §4.4).

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

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

/// Parses `text` (the contents of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str) -> Result<T> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| to_error(&e, file))
}

fn to_error(e: &serde_saphyr::Error, file: &str) -> Error {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
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
    let mut err = Error::input(message.clone()).at(Location::new(file, line, column));
    if let Some(hint) = unknown_field_hint(&message) {
        err = err.hint(hint);
    }
    err
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

#[cfg(test)]
mod tests {
    use super::*;

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
