//! The audit trail: append-only JSON lines, each chained to the one before
//! by SHA-256 (SPEC §6.4).
//!
//! Every line carries `seq` (1, 2, ...), `prev` (the SHA-256 of the previous
//! line's exact bytes, or 64 zeros for the first) and `hash` (the SHA-256 of
//! the line's own fields without `hash`, keys sorted). `verify` therefore
//! names an edited line (its own hash no longer matches), a removed or
//! inserted line (`seq` or `prev` breaks), including an edit of the last line.
//! Values of secret-looking environment variables never reach the file.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Returns the lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn self_hash(map: &Map<String, Value>) -> String {
    let mut without = map.clone();
    without.remove("hash");
    sha256_hex(Value::Object(without).to_string().as_bytes())
}

pub use crate::domain::redact::{is_secret_name, redact};

fn redact_value(v: &mut Value, env: &[(String, String)]) {
    match v {
        Value::String(s) => *s = redact(s, env),
        Value::Array(items) => items.iter_mut().for_each(|i| redact_value(i, env)),
        Value::Object(map) => map.values_mut().for_each(|i| redact_value(i, env)),
        _ => {}
    }
}

/// Returns the next line to append after `existing` (the whole file) for
/// `entry`, a JSON object. Secrets from `env` are redacted first.
pub fn next_line(
    existing: &str,
    mut entry: Map<String, Value>,
    env: &[(String, String)],
) -> String {
    for v in entry.values_mut() {
        redact_value(v, env);
    }
    let last = existing.lines().rev().find(|l| !l.trim().is_empty());
    let seq = existing.lines().filter(|l| !l.trim().is_empty()).count() + 1;
    let prev = last.map_or_else(|| GENESIS.to_owned(), |l| sha256_hex(l.as_bytes()));
    let mut map = Map::new();
    map.insert("seq".into(), Value::from(seq));
    map.append(&mut entry);
    map.insert("prev".into(), Value::String(prev));
    let hash = self_hash(&map);
    map.insert("hash".into(), Value::String(hash));
    Value::Object(map).to_string()
}

/// Returns `existing` (the whole audit log) ready for one more line. A last
/// line without its newline is a complete record whose newline was lost (an
/// editor) and gets it back; a last line that is no complete record is a
/// torn write, which relman refuses to build on.
pub fn repair_tail(existing: &str, file: &str) -> Result<String> {
    if existing.is_empty() || existing.ends_with('\n') {
        return Ok(existing.to_owned());
    }
    let n = existing.lines().count();
    let last = existing.lines().last().unwrap_or_default();
    match serde_json::from_str::<Value>(last) {
        Ok(Value::Object(map)) if map.get("hash").and_then(Value::as_str) == Some(self_hash(&map).as_str()) => {
            Ok(format!("{existing}\n"))
        }
        _ => Err(Error::refused(format!(
            "line {n} is torn: the last record was cut off in the middle of a write"
        ))
        .at(Location::new(file, n as u64, 1))
        .hint(format!("remove that partial line (`{file}` is committed: `git checkout -- {file}` restores it), then run the command again"))),
    }
}

/// Checks the whole chain; returns the number of lines, or an error naming
/// the first line that was altered, removed or inserted.
pub fn verify(text: &str, file: &str) -> Result<usize> {
    let mut prev_line: Option<&str> = None;
    let mut count = 0;
    let total = text.lines().count();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let at = Location::new(file, n as u64, 1);
        let broken = |why: String| Error::rejected(why).at(at.clone());
        if n == total && !text.ends_with('\n') && serde_json::from_str::<Value>(line).is_err() {
            return Err(broken(format!(
                "line {n} is torn: the last record was cut off in the middle of a write"
            )));
        }
        if line.trim().is_empty() {
            return Err(broken(format!("line {n} is empty: a line was removed or altered")));
        }
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(line) else {
            return Err(broken(format!("line {n} is not a JSON object: it was altered")));
        };
        if map.get("hash").and_then(Value::as_str) != Some(self_hash(&map).as_str()) {
            return Err(broken(format!(
                "line {n} was altered: its content no longer matches its hash"
            )));
        }
        if map.get("seq").and_then(Value::as_u64) != Some(n as u64) {
            return Err(broken(format!(
                "line {n} has sequence number {}, expected {n}: a line before it was removed or inserted",
                map.get("seq").map_or_else(|| "none".to_owned(), ToString::to_string)
            )));
        }
        let expected = prev_line.map_or_else(|| GENESIS.to_owned(), |l| sha256_hex(l.as_bytes()));
        if map.get("prev").and_then(Value::as_str) != Some(expected.as_str()) {
            return Err(broken(format!(
                "line {n} does not chain to line {}: the line before it was altered or removed",
                n - 1
            )));
        }
        prev_line = Some(line);
        count = n;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("action".into(), Value::from(action));
        m
    }

    fn log(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            let line = next_line(&text, entry(&format!("a{i}")), &[]);
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    #[test]
    fn chain_verifies_and_names_edits() {
        let text = log(4);
        assert_eq!(verify(&text, "audit.log").unwrap(), 4);
        for target in 0..4 {
            let edited: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| if i == target { l.replace("\"a", "\"b") } else { l.to_owned() })
                .collect();
            let err = verify(&(edited.join("\n") + "\n"), "audit.log").unwrap_err();
            assert_eq!(err.problems[0].location.as_ref().unwrap().line, target as u64 + 1);
        }
        let removed: Vec<&str> =
            text.lines().enumerate().filter(|(i, _)| *i != 1).map(|(_, l)| l).collect();
        let err = verify(&removed.join("\n"), "audit.log").unwrap_err();
        assert_eq!(err.problems[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn secrets_are_redacted() {
        let env = vec![
            ("GITHUB_TOKEN".to_owned(), "ghp_abcdef".to_owned()),
            ("HOME".into(), "/root".into()),
        ];
        let line = next_line("", entry("token ghp_abcdef in /root"), &env);
        assert!(line.contains("token [REDACTED] in /root"), "{line}");
    }
}
