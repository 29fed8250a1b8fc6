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

use super::Repo;
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

/// Returns the next line of the trail after its last line `last` (`None`:
/// the trail is empty) for `entry`, a JSON object. Secrets from `env` are
/// redacted first.
pub fn next_line(
    last: Option<&str>,
    mut entry: Map<String, Value>,
    env: &[(String, String)],
) -> String {
    for v in entry.values_mut() {
        redact_value(v, env);
    }
    let seq = last
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
        .and_then(|v| v.get("seq").and_then(Value::as_u64))
        .unwrap_or(0)
        + 1;
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

/// The last non-empty line of a segment's text.
pub fn last_line(text: &str) -> Option<&str> {
    text.lines().rev().find(|l| !l.trim().is_empty())
}

/// Where a chain stands after the segments read so far.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The SHA-256 of the last line read (the genesis before any).
    prev: String,
    /// The sequence number of the last line read.
    seq: u64,
    /// The segment that line is in.
    file: Option<String>,
}

impl Default for Chain {
    fn default() -> Self {
        Self { prev: GENESIS.to_owned(), seq: 0, file: None }
    }
}

impl Chain {
    /// Lines read so far.
    pub fn lines(&self) -> u64 {
        self.seq
    }

    /// Checks one segment of the trail, in order after those read before;
    /// returns an error naming the first line (file and line) that was
    /// altered, removed or inserted, or that does not continue the
    /// segment before it (a segment missing or out of order).
    pub fn verify(&mut self, text: &str, file: &str) -> Result<()> {
        let total = text.lines().count();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            self.line(line, n, total, text.ends_with('\n'), file)?;
        }
        self.file = Some(file.to_owned());
        Ok(())
    }

    fn line(&mut self, line: &str, n: usize, total: usize, closed: bool, file: &str) -> Result<()> {
        let at = Location::new(file, n as u64, 1);
        let broken = |why: String| Error::rejected(why).at(at.clone());
        let after = || match &self.file {
            Some(before) => format!("the end of `{before}`"),
            None => "the start of the trail".to_owned(),
        };
        if n == total && !closed && serde_json::from_str::<Value>(line).is_err() {
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
        let expected = self.seq + 1;
        if map.get("seq").and_then(Value::as_u64) != Some(expected) {
            let seen = map.get("seq").map_or_else(|| "none".to_owned(), ToString::to_string);
            return Err(broken(if n == 1 {
                format!(
                    "line 1 has sequence number {seen}, expected {expected} after {}: a segment is missing or the segments are out of order",
                    after()
                )
            } else {
                format!(
                    "line {n} has sequence number {seen}, expected {expected}: a line before it was removed or inserted"
                )
            }));
        }
        if map.get("prev").and_then(Value::as_str) != Some(self.prev.as_str()) {
            return Err(broken(if n == 1 {
                format!(
                    "line 1 does not chain to {}: a segment is missing or the segments are out of order",
                    after()
                )
            } else {
                format!(
                    "line {n} does not chain to line {}: the line before it was altered or removed",
                    n - 1
                )
            }));
        }
        self.prev = sha256_hex(line.as_bytes());
        self.seq = expected;
        Ok(())
    }
}

/// The bytes at which the open segment is sealed (SPEC §6.4).
pub const SEGMENT_BYTES: usize = 64 * 1024;

/// The name of sealed segment `n` of the open segment `open`:
/// `audit.log` → `audit.000001.log`.
pub fn sealed_name(open: &str, n: u32) -> String {
    let (dir, name) = open.rsplit_once('/').map_or(("", open), |(d, f)| (d, f));
    let (stem, ext) = name.rsplit_once('.').map_or((name, ""), |(s, e)| (s, e));
    let dot = if ext.is_empty() { "" } else { "." };
    let slash = if dir.is_empty() { "" } else { "/" };
    format!("{dir}{slash}{stem}.{n:06}{dot}{ext}")
}

/// The number of `file` if it is a sealed segment of `open`.
pub fn sealed_number(open: &str, file: &str) -> Option<u32> {
    let zero = sealed_name(open, 0);
    let (prefix, suffix) = zero.rsplit_once("000000")?;
    let digits = file.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|n| *n > 0)
}

impl Repo {
    /// The sealed segments of the audit trail, beside its open one, in
    /// order of their numbers: number and path.
    pub fn sealed_segments(&self) -> Result<Vec<(u32, String)>> {
        let open = self.config.audit_log.value.clone();
        let dir = open.rsplit_once('/').map_or("", |(d, _)| d);
        let full = if dir.is_empty() {
            self.root().to_path_buf()
        } else {
            self.path(dir, "`paths.audit_log`")?
        };
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir(&full) else { return Ok(found) };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if dir.is_empty() { name } else { format!("{dir}/{name}") };
            if let Some(n) = sealed_number(&open, &path) {
                found.push((n, path));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Every segment of the audit trail in order, the open one last:
    /// path and text (the open one may not exist yet).
    pub fn audit_trail(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for (_, path) in self.sealed_segments()? {
            let text = self.read(&path)?.unwrap_or_default();
            out.push((path, text));
        }
        let open = self.config.audit_log.value.clone();
        let text = self.read(&open)?.unwrap_or_default();
        out.push((open, text));
        Ok(out)
    }

    /// Every record of the trail, every segment in order, oldest first; a
    /// line that is not JSON is an error naming its file and line. The one
    /// reader of the trail's records (`audit`, metrics, rollback, trains).
    pub fn audit_entries(&self) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for (path, text) in self.audit_trail()? {
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let value: Value = serde_json::from_str(line).map_err(|e| {
                    Error::input(format!("line {} is not JSON: {e}", i + 1))
                        .at(Location::new(path.clone(), i as u64 + 1, 1))
                        .hint("`relman audit verify` checks the whole trail")
                })?;
                out.push(value);
            }
        }
        Ok(out)
    }

    /// The records of the trail with this `action` for `train`, oldest
    /// first.
    pub fn audit_records(&self, action: &str, train: &str) -> Result<Vec<Value>> {
        let mut out = self.audit_entries()?;
        out.retain(|v| {
            v.get("action").and_then(Value::as_str) == Some(action)
                && v.get("train").and_then(Value::as_str) == Some(train)
        });
        Ok(out)
    }

    /// Checks the whole trail, every segment in order: a sealed segment
    /// missing from the numbering is named; one out of order breaks the
    /// chain at its first line. Returns the number of lines.
    pub fn verify_audit_trail(&self) -> Result<u64> {
        let open = self.config.audit_log.value.clone();
        let mut chain = Chain::default();
        for (expected, (n, path)) in (1..).zip(self.sealed_segments()?) {
            if n != expected {
                let missing = sealed_name(&open, expected);
                return Err(Error::rejected(format!(
                    "segment `{missing}` of the audit trail is missing (the next one is `{path}`)"
                ))
                .at(Location::file(missing)));
            }
            let text = self.read(&path)?.unwrap_or_default();
            if text.trim().is_empty() {
                return Err(Error::rejected("a sealed segment of the audit trail is empty")
                    .at(Location::file(path)));
            }
            chain.verify(&text, &path)?;
        }
        let text = self.read(&open)?.unwrap_or_default();
        chain.verify(&text, &open)?;
        Ok(chain.lines())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a trail held in one file; returns its number of lines.
    fn verify(text: &str, file: &str) -> Result<usize> {
        let mut chain = Chain::default();
        chain.verify(text, file)?;
        Ok(chain.lines() as usize)
    }

    fn entry(action: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("action".into(), Value::from(action));
        m
    }

    fn log(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            let line = next_line(last_line(&text), entry(&format!("a{i}")), &[]);
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
    fn sealed_segments_are_numbered_beside_the_open_one() {
        assert_eq!(
            sealed_name("analysis/reports/audit.log", 1),
            "analysis/reports/audit.000001.log"
        );
        assert_eq!(sealed_name("audit", 12), "audit.000012");
        assert_eq!(sealed_name("a.b/trail.jsonl", 3), "a.b/trail.000003.jsonl");
        let open = "analysis/reports/audit.log";
        assert_eq!(sealed_number(open, "analysis/reports/audit.000042.log"), Some(42));
        for other in [
            "analysis/reports/audit.log",
            "analysis/reports/audit.000000.log",
            "analysis/reports/audit.00001.log",
            "analysis/reports/audit.00000x.log",
            "analysis/reports/other.000001.log",
        ] {
            assert_eq!(sealed_number(open, other), None, "{other}");
        }
    }

    /// A trail cut into segments verifies across them, and a missing or
    /// swapped segment breaks the chain at its first line.
    #[test]
    fn the_chain_runs_across_segments() {
        let text = log(6);
        let lines: Vec<&str> = text.lines().collect();
        let seg = |r: std::ops::Range<usize>| lines[r].join("\n") + "\n";
        let (a, b, c) = (seg(0..2), seg(2..4), seg(4..6));
        let mut chain = Chain::default();
        for (t, f) in [(&a, "1"), (&b, "2"), (&c, "open")] {
            chain.verify(t, f).unwrap();
        }
        assert_eq!(chain.lines(), 6);
        let mut chain = Chain::default();
        chain.verify(&a, "1").unwrap();
        let err = chain.verify(&c, "open").unwrap_err();
        let at = err.problems[0].location.clone().unwrap();
        assert_eq!((at.file.as_str(), at.line), ("open", 1));
        assert!(err.to_string().contains("after the end of `1`"), "{err}");
        let err = Chain::default().verify(&b, "1").unwrap_err();
        assert!(err.to_string().contains("expected 1 after the start of the trail"), "{err}");
    }

    #[test]
    fn secrets_are_redacted() {
        let env = vec![
            ("GITHUB_TOKEN".to_owned(), "ghp_abcdef".to_owned()),
            ("HOME".into(), "/root".into()),
        ];
        let line = next_line(None, entry("token ghp_abcdef in /root"), &env);
        assert!(line.contains("token [REDACTED] in /root"), "{line}");
    }
}
