//! The CI system's own outputs (SPEC §2, `--ci`, `RELMAN_CI=1`, `ci: true`):
//! a command's key results where the CI system reads them.
//!
//! - GitHub Actions: step outputs appended to `$GITHUB_OUTPUT` (`key=value`,
//!   or `key<<DELIMITER` … `DELIMITER` for a value over several lines, with
//!   a delimiter the value does not hold), and a Markdown summary appended
//!   to `$GITHUB_STEP_SUMMARY`;
//! - GitLab CI (`GITLAB_CI` set): the same keys upper-cased in a dotenv
//!   report for `artifacts:reports:dotenv` (`$RELMAN_CI_DOTENV`, default
//!   `relman.env` in the current directory), merged with what an earlier
//!   command of the job wrote there and replaced atomically, within
//!   GitLab's 5 KiB (the notes left out, the longest values cut).
//!
//! One entry point, [`write`], takes the keys and the summary; [`from_report`]
//! picks them out of a command's JSON document by its schema.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// What a command hands the CI system.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    /// The step outputs, in order: lower-case keys (`version`, `tag`, …).
    pub keys: Vec<(String, String)>,
    /// The Markdown summary (GitHub's job summary).
    pub summary: String,
}

impl Outputs {
    /// Adds a key; `null` is the empty string, a list its items one a line.
    pub fn set(&mut self, key: &str, value: &Value) {
        let text = match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join("\n"),
            other => other.to_string(),
        };
        self.keys.retain(|(k, _)| k != key);
        self.keys.push((key.to_owned(), text));
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Writes `outputs` where the CI system that `env` names reads them and
/// returns the files written: none when no CI system is found.
pub fn write(outputs: &Outputs, env: &[(String, String)]) -> Result<Vec<PathBuf>> {
    let var = |k: &str| {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
    };
    let mut written = Vec::new();
    if let Some(path) = var("GITHUB_OUTPUT").map(PathBuf::from) {
        append(&path, github_outputs(&outputs.keys).as_bytes())?;
        written.push(path);
    }
    if let Some(path) = var("GITHUB_STEP_SUMMARY").map(PathBuf::from)
        && !outputs.summary.is_empty()
    {
        append(&path, format!("{}\n\n", outputs.summary.trim_end()).as_bytes())?;
        written.push(path);
    }
    if var("GITLAB_CI").is_some() {
        let path = dotenv_file(env);
        let old = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read the dotenv report", &path, &e)),
        };
        replace(&path, dotenv(&old, &outputs.keys).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// The dotenv report's file: `$RELMAN_CI_DOTENV`, else `relman.env`, a
/// path from the current directory.
pub fn dotenv_file(env: &[(String, String)]) -> PathBuf {
    let set = env.iter().find(|(n, v)| n == "RELMAN_CI_DOTENV" && !v.is_empty());
    PathBuf::from(set.map_or("relman.env", |(_, v)| v.as_str()))
}

/// GitHub's `key=value` lines; a value over lines as `key<<DELIMITER`.
fn github_outputs(keys: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in keys {
        if value.contains(['\n', '\r']) {
            let delimiter = delimiter_for(value);
            out.push_str(&format!("{key}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            out.push_str(&format!("{key}={value}\n"));
        }
    }
    out
}

/// A delimiter that is none of `value`'s lines (GitHub ends the value at
/// the first line equal to it), and not guessable from outside either.
fn delimiter_for(value: &str) -> String {
    use sha2::Digest as _;
    let seed = format!("{value}{:?}{}", std::time::SystemTime::now(), std::process::id());
    let digest = sha2::Sha256::digest(seed.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let mut delimiter = format!("RELMAN_EOF_{hex}");
    while value.contains(&delimiter) {
        delimiter.push('_');
    }
    delimiter
}

/// GitLab's limit on a dotenv report: `dotenv_size`, 5 KiB on every plan
/// (a larger report fails the job's artifact upload).
const DOTENV_LIMIT: usize = 5 * 1024;

/// Keys left out of the dotenv report: prose over many lines, which GitLab
/// cannot carry (no value over lines) and which alone may pass the limit.
/// They are in `--format json` and in `relman notes`.
const NOT_IN_DOTENV: [&str; 1] = ["notes"];

/// The end of a value cut to keep the report within [`DOTENV_LIMIT`].
const CUT: &str = "…(cut)";

/// The dotenv report: `KEY=VALUE`, the keys upper-cased, a value on one
/// line (GitLab reads no value over lines: line breaks become spaces);
/// the keys of `old` that these do not replace stay, in their order. The
/// notes are left out; when the whole is still over GitLab's 5 KiB, the
/// longest values are cut, each ending in `…(cut)`.
fn dotenv(old: &str, keys: &[(String, String)]) -> String {
    let mut upper: Vec<(String, String)> = keys
        .iter()
        .filter(|(k, _)| !NOT_IN_DOTENV.contains(&k.as_str()))
        .map(|(k, v)| {
            let one_line: Vec<&str> = v.lines().filter(|l| !l.trim().is_empty()).collect();
            (k.to_ascii_uppercase().replace('-', "_"), one_line.join(" "))
        })
        .collect();
    let mut out = String::new();
    for line in old.lines() {
        let key = line.split_once('=').map_or(line, |(k, _)| k);
        if !line.trim().is_empty() && !upper.iter().any(|(k, _)| k == key) {
            out.push_str(line);
            out.push('\n');
        }
    }
    fit(out.len(), &mut upper);
    for (k, v) in &upper {
        out.push_str(&format!("{k}={v}\n"));
    }
    out
}

/// Cuts the longest of `keys`' values until they and the `kept` bytes
/// before them are within [`DOTENV_LIMIT`]; a value too short to hold the
/// marker is emptied.
fn fit(kept: usize, keys: &mut [(String, String)]) {
    loop {
        let total = kept + keys.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>();
        let Some(excess) = total.checked_sub(DOTENV_LIMIT).filter(|e| *e > 0) else { return };
        let Some((_, value)) =
            keys.iter_mut().filter(|(_, v)| !v.is_empty()).max_by_key(|(_, v)| v.len())
        else {
            return;
        };
        let mut keep = value.len().saturating_sub(excess + CUT.len());
        while !value.is_char_boundary(keep) {
            keep -= 1;
        }
        value.truncate(keep);
        if keep > 0 {
            value.push_str(CUT);
        }
    }
}

fn append(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| Error::io("write the CI outputs to", path, &e))
}

/// Replaces `path` by a complete new file (a temporary file renamed).
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.relman-{}", std::process::id()));
    std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path)).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io("write the dotenv report", path, &e)
    })
}

/// The key results of a command's JSON document (`schema` picks them):
/// `next`, `create`, `train run` (and the other train moves), `rollback`
/// and `deploy`. `None` for a document CI outputs do not cover.
pub fn from_report(doc: &Value) -> Option<Outputs> {
    let mut o = Outputs::default();
    let schema = doc["schema"].as_str()?;
    let s = |v: &Value| text_of(v);
    match schema {
        "relman.next/1" => {
            o.set("service", &doc["service"]);
            o.set("version", &doc["next"]);
            o.set("previous_version", &doc["current"]);
            o.set("previous_tag", &doc["last_tag"]);
            o.set("bump", &doc["bump"]);
            o.set("release_type", &doc["release_type"]);
            o.set("releasable", &doc["releasable"]);
            o.set("released", &Value::Bool(false));
            let commits = doc["commits"].as_array().map_or(&[][..], Vec::as_slice);
            o.set("commits", &Value::from(commits.len()));
            o.summary = format!(
                "### relman next{}\n\n{} → **{}** ({} bump, commits: {})\n\n{}",
                title_of(&doc["service"]),
                code(&s(&doc["current"])),
                escape(&s(&doc["next"])),
                escape(&s(&doc["bump"])),
                commits.len(),
                commits
                    .iter()
                    .map(|c| format!("- {} `{}`\n", escape(&s(&c["summary"])), short(&s(&c["id"]))))
                    .collect::<String>()
            );
        }
        "relman.create/1" => {
            let released =
                doc["tagged"] == Value::Bool(true) && doc["dry_run"] != Value::Bool(true);
            o.set("service", &doc["service"]);
            o.set("version", &doc["version"]);
            o.set("previous_version", &doc["previous"]);
            o.set("tag", &doc["tag"]);
            o.set("bump", &doc["level"]);
            o.set("release_type", &doc["release_type"]);
            o.set("released", &Value::Bool(released));
            o.set("commit", &doc["commit"]);
            o.set("branch", &doc["branch_created"]);
            o.set("notes", &doc["notes"]);
            o.summary = format!(
                "### relman create{}: {} → **{}**\n\n| key | value |\n| --- | --- |\n| tag | {} |\n| bump | {} |\n| commit | {} |\n\n{}",
                title_of(&doc["service"]),
                code(&s(&doc["previous"])),
                escape(&s(&doc["version"])),
                code(&s(&doc["tag"])),
                escape(&s(&doc["level"])),
                code(short(&s(&doc["commit"]))),
                escape(&s(&doc["notes"]))
            );
        }
        "relman.train.run/1" | "relman.train.transition/1" => {
            let parts = doc["participants"].as_array().map_or(&[][..], Vec::as_slice);
            let released: Vec<&Value> =
                parts.iter().filter(|p| !p["tag"].is_null() && !p["commit"].is_null()).collect();
            o.set("train", &doc["train"]);
            o.set("status", &doc["status"]);
            o.set("released", &Value::Bool(!released.is_empty()));
            let services: Vec<Value> = released
                .iter()
                .map(|p| Value::from(format!("{}@{}", s(&p["service"]), s(&p["to"]))))
                .collect();
            o.set("services", &Value::Array(services));
            o.set("tags", &Value::Array(released.iter().map(|p| p["tag"].clone()).collect()));
            o.set("failed", &doc["failure"]["service"]);
            let mut rows = String::new();
            for p in parts {
                rows.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    escape(&s(&p["service"])),
                    escape(&s(&p["from"])),
                    escape(&s(&p["to"])),
                    escape(&s(&p["phase"])),
                    code(&s(&p["tag"]))
                ));
            }
            o.summary = format!(
                "### relman train `{}`: {}\n\n| service | from | to | phase | tag |\n| --- | --- | --- | --- | --- |\n{rows}",
                escape(&s(&doc["train"])),
                escape(&s(&doc["status"]))
            );
        }
        "relman.rollback/1" => {
            let plan = doc["plan"].as_array().map_or(&[][..], Vec::as_slice);
            o.set("train", &doc["train"]);
            o.set("status", &doc["status"]);
            o.set("reason", &doc["reason"]);
            o.set("rolled_back", &doc["rolled_back"]);
            o.set("failed", &doc["failed"]);
            o.set("released", &Value::Bool(false));
            if let [one] = plan {
                o.set("service", &one["service"]);
                o.set("version", &one["to"]);
                o.set("previous_version", &one["from"]);
            }
            let mut rows = String::new();
            for p in plan {
                rows.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    escape(&s(&p["service"])),
                    escape(&s(&p["from"])),
                    escape(&s(&p["to"])),
                    if p["done"] == Value::Bool(true) { "yes" } else { "" }
                ));
            }
            o.summary = format!(
                "### relman rollback{}\n\nReason: {}\n\n| service | from | to | done before |\n| --- | --- | --- | --- |\n{rows}",
                title_of(&doc["train"]),
                escape(&s(&doc["reason"]))
            );
        }
        "relman.deploy/1" => deploy(&mut o, doc),
        _ => return None,
    }
    Some(o)
}

/// `deploy`'s keys and summary: the deployment and its hooks.
fn deploy(o: &mut Outputs, doc: &Value) {
    let s = |v: &Value| text_of(v);
    let done = doc["dry_run"] != Value::Bool(true);
    let result = s(&doc["result"]);
    o.set("environment", &doc["env"]);
    o.set("service", &doc["service"]);
    o.set("version", &doc["version"]);
    o.set("previous_version", &doc["previous"]);
    o.set("strategy", &doc["strategy"]);
    o.set("slot", &doc["slot"]);
    o.set("result", &doc["result"]);
    o.set("deployed", &Value::Bool(done && result == "succeeded"));
    o.set("rolled_back", &Value::Bool(done && result == "rolled_back"));
    o.set("rolled_back_to", &doc["rolled_back_to"]);
    o.set("commit", &doc["commit"]);
    let mut rows = String::new();
    for step in doc["steps"].as_array().map_or(&[][..], Vec::as_slice) {
        rows.push_str(&format!(
            "| {} | {}% | {} | {} | {} |\n",
            escape(&s(&step["hook"])),
            escape(&s(&step["traffic"])),
            escape(&s(&step["slot"])),
            escape(&s(&step["version"])),
            escape(&s(&step["result"]))
        ));
    }
    let steps = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "\n| hook | traffic | slot | version | result |\n| --- | --- | --- | --- | --- |\n{rows}"
        )
    };
    let rolled_back = match doc["rolled_back_to"].as_str() {
        Some(to) => format!("| rolled back to | {} |\n", escape(to)),
        None => String::new(),
    };
    o.summary = format!(
        "### relman deploy{} {} to `{}`: {}\n\n| key | value |\n| --- | --- |\n| previous version | {} |\n| strategy | {} |\n{rolled_back}| commit | {} |\n{steps}",
        title_of(&doc["service"]),
        escape(&s(&doc["version"])),
        s(&doc["env"]).replace('`', "'"),
        escape(&result),
        escape(&s(&doc["previous"])),
        escape(&s(&doc["strategy"])),
        code(short(&s(&doc["commit"])))
    );
}

fn title_of(v: &Value) -> String {
    match v.as_str() {
        Some(name) if !name.is_empty() => format!(" `{}`", name.replace('`', "'")),
        _ => String::new(),
    }
}

/// Text from the repository shown as Markdown text: no HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}

fn code(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("`{}`", text.replace('`', "'")) }
}

fn short(id: &str) -> &str {
    &id[..7.min(id.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_over_lines_gets_a_delimiter_none_of_its_lines_is() {
        let keys = vec![
            ("version".to_owned(), "1.2.0".to_owned()),
            ("notes".to_owned(), "a\nRELMAN_EOF_x\nb".to_owned()),
        ];
        let text = github_outputs(&keys);
        assert!(text.starts_with("version=1.2.0\nnotes<<RELMAN_EOF_"), "{text}");
        let delimiter = text.lines().nth(1).unwrap().trim_start_matches("notes<<");
        assert!(!"a\nRELMAN_EOF_x\nb".lines().any(|l| l == delimiter));
        assert!(text.ends_with(&format!("\n{delimiter}\n")));
    }

    #[test]
    fn the_dotenv_report_stays_within_gitlabs_limit() {
        let keys = vec![
            ("version".to_owned(), "2.0.0".to_owned()),
            ("notes".to_owned(), "### Fixes\n".repeat(1000)),
            ("tags".to_owned(), "é".repeat(2000)),
            ("services".to_owned(), "b".repeat(3000)),
        ];
        let text = dotenv(&format!("OTHER={}\n", "x".repeat(1000)), &keys);
        assert!(text.len() <= DOTENV_LIMIT, "{}", text.len());
        assert!(text.len() > DOTENV_LIMIT - 10, "no more is cut than needed: {}", text.len());
        assert!(!text.contains("NOTES"), "{text}");
        assert!(text.contains("\nVERSION=2.0.0\n"), "{text}");
        let line = |key: &str| text.lines().find(|l| l.starts_with(key)).unwrap().to_owned();
        // The longest value is cut (on a character's boundary), the rest kept.
        assert!(line("TAGS=").ends_with("é…(cut)"), "{text}");
        assert_eq!(line("SERVICES="), format!("SERVICES={}", "b".repeat(3000)));
        assert_eq!(line("OTHER="), format!("OTHER={}", "x".repeat(1000)));
    }

    #[test]
    fn the_dotenv_report_keeps_other_keys_and_replaces_its_own() {
        let keys = vec![
            ("version".to_owned(), "2.0.0".to_owned()),
            ("tags".to_owned(), "a\nb".to_owned()),
        ];
        let text = dotenv("OTHER=1\nVERSION=1.0.0\n", &keys);
        assert_eq!(text, "OTHER=1\nVERSION=2.0.0\nTAGS=a b\n");
    }
}
