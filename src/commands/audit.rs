//! `relman audit [--train NAME] [--since DATE]` and `relman audit verify`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::Context;
use crate::cli::{AuditArgs, AuditCommand};
use crate::error::{Error, Result};
use crate::output::{Report, Style};
use crate::settings::parse_time;

/// `relman audit` result (schema `relman.audit/1`).
#[derive(Debug, Serialize)]
pub struct AuditReport {
    /// The audit log read.
    pub file: String,
    /// Matching entries, oldest first, as recorded.
    pub entries: Vec<Value>,
}

impl Report for AuditReport {
    const SCHEMA: &'static str = "relman.audit/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        if self.entries.is_empty() {
            return writeln!(w, "no entries in {}", self.file);
        }
        for e in &self.entries {
            let get = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
            let seq = e.get("seq").and_then(Value::as_u64).unwrap_or(0);
            let subject = [get("train"), get("service")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let detail = [get("tag"), get("version"), get("status"), get("role")]
                .into_iter()
                .find(|s| !s.is_empty())
                .unwrap_or("");
            // An approval names its approver under `by`.
            let who = [get("who"), get("by")].into_iter().find(|s| !s.is_empty()).unwrap_or("");
            let urgency = match get("urgency") {
                "" => String::new(),
                u => format!(" (urgency {u})"),
            };
            writeln!(
                w,
                "{:>4}  {}  {:<10} {subject} {detail}{urgency}  {}",
                seq,
                get("time"),
                st.bold(get("action")),
                st.dim(who)
            )?;
            // A release's approvals: who gave which role, and when.
            for a in e.get("approvals").and_then(Value::as_array).into_iter().flatten() {
                let field = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or("");
                writeln!(
                    w,
                    "        approved as {} by {} at {}",
                    field("role"),
                    field("by"),
                    field("at")
                )?;
            }
        }
        Ok(())
    }
}

/// `relman audit verify` result (schema `relman.audit.verify/1`).
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    /// The audit log checked.
    pub file: String,
    /// Whether the chain is intact.
    pub intact: bool,
    /// Lines checked.
    pub lines: u64,
    /// Segments checked: the sealed ones and the open one.
    pub segments: usize,
}

impl Report for VerifyReport {
    const SCHEMA: &'static str = "relman.audit.verify/1";
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        writeln!(
            w,
            "{}: {} lines in {}{}, hash chain unbroken",
            st.green("intact"),
            self.lines,
            self.file,
            match self.segments {
                1 => String::new(),
                n => format!(" and {} sealed segments before it", n - 1),
            }
        )
    }
}

/// Lists or verifies the audit trail.
pub fn run(cx: &Context, args: &AuditArgs) -> Result<u8> {
    let repo = cx.repo()?;
    let file = repo.config.audit_log.value.clone();
    if let Some(AuditCommand::Verify) = args.action {
        let lines = repo.verify_audit_trail()?;
        let segments = repo.sealed_segments()?.len() + 1;
        return cx.emit(VerifyReport { file, intact: true, lines, segments });
    }
    let since = match &args.since {
        Some(s) => Some(parse_time(s).ok_or_else(|| {
            Error::input(format!("`--since {s}` is not a date"))
                .hint("write YYYY-MM-DD or an RFC 3339 time")
        })?),
        None => None,
    };
    let mut entries = Vec::new();
    for value in repo.audit_entries()? {
        if let Some(train) = &args.train
            && value.get("train").and_then(Value::as_str) != Some(train.as_str())
        {
            continue;
        }
        if let Some(since) = since {
            let at = value.get("time").and_then(Value::as_str).and_then(parse_time);
            if at.is_none_or(|t| t < since) {
                continue;
            }
        }
        entries.push(value);
    }
    cx.emit(AuditReport { file, entries })
}
