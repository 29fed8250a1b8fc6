//! The `relman.create/1` document and its human rendering.

use std::io::{self, Write};

use serde::Serialize;

use crate::domain::change_control;
use crate::domain::commit::ReleaseType;
use crate::domain::gates::GateResult;
use crate::domain::policy::Urgency;
use crate::domain::train::Approval;
use crate::domain::version::{Level, Version};
use crate::error::Error;
use crate::output::{Report, Style};

/// One file the release changes.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    /// Path relative to the repository root.
    pub path: String,
    /// What changes: `version`, `changelog` or `audit`.
    pub role: &'static str,
    /// The unified diff (only in `--dry-run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// `relman create` result (schema `relman.create/1`).
#[derive(Debug, Serialize)]
pub struct CreateReport {
    /// The service, or the project name.
    pub service: String,
    /// The version before.
    pub previous: Version,
    /// The new version.
    pub version: Version,
    /// The level used (`null` with `--version`).
    pub level: Option<Level>,
    /// The release type, when computed from commits.
    pub release_type: Option<ReleaseType>,
    /// The new tag.
    pub tag: String,
    /// Files changed.
    pub files: Vec<FileChange>,
    /// The `hotfix/<tag>` branch created (or that would be) for a hotfix.
    pub branch_created: Option<String>,
    /// The release commit, `null` with `--no-commit` or `--dry-run`.
    pub commit: Option<String>,
    /// The commit message.
    pub commit_message: String,
    /// Whether the tag was (or would be) created.
    pub tagged: bool,
    /// Whether the tag is signed.
    pub signed: bool,
    /// The release notes (the tag's message).
    pub notes: String,
    /// Nothing was changed.
    pub dry_run: bool,
    /// What to run to publish, `null` when nothing was committed.
    pub push: Option<String>,
    /// This run only tagged a release commit an interrupted run had made
    /// (nothing else was written).
    pub completed_interrupted: bool,
    /// A hotfix's urgency (`--urgency`), `null` otherwise.
    pub urgency: Option<Urgency>,
    /// The approvals given (`--approved-by`), each with its time.
    pub approvals: Vec<Approval>,
    /// The urgency's gates, when it has any, evaluated for the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gates: Option<Vec<GateResult>>,
    /// With `--dry-run`: why the real run would refuse (exit 3).
    #[serde(skip)]
    pub refusal: Option<Error>,
}

impl Report for CreateReport {
    const SCHEMA: &'static str = "relman.create/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let would = if self.dry_run { "would " } else { "" };
        if self.completed_interrupted {
            writeln!(
                w,
                "{}completed the interrupted release {}: {} tag {} on its release commit {}",
                if self.dry_run { "dry run: " } else { "" },
                st.bold(&self.version.to_string()),
                if self.dry_run { "would create" } else { "created" },
                self.tag,
                self.commit.as_deref().map_or("", |c| &c[..7.min(c.len())])
            )?;
            if let Some(push) = &self.push {
                writeln!(w, "publish with: {push}")?;
            }
            return Ok(());
        }
        writeln!(
            w,
            "{}{} {} → {}{}",
            if self.dry_run { "dry run: " } else { "" },
            st.bold(&self.service),
            self.previous,
            st.green(&self.version.to_string()),
            self.level.map(|l| format!(" ({l})")).unwrap_or_default()
        )?;
        if let Some(b) = &self.branch_created {
            let verb = if self.dry_run { "would create" } else { "created" };
            writeln!(w, "  {verb} branch {b} at the last release and switched to it")?;
        }
        for f in &self.files {
            let what = match f.role {
                "version" => format!("set version in {}", f.path),
                "changelog" => format!("add a {} section to {}", self.version, f.path),
                _ => format!("append the release record to {}", f.path),
            };
            writeln!(w, "  {would}{what}")?;
        }
        if !self.commit_message.is_empty() {
            match &self.commit {
                Some(id) => writeln!(
                    w,
                    "  committed `{}` ({})",
                    self.commit_message,
                    &id[..7.min(id.len())]
                )?,
                None if self.dry_run => writeln!(w, "  would commit `{}`", self.commit_message)?,
                None => writeln!(w, "  left the changes uncommitted (--no-commit)")?,
            }
        }
        if let Some(u) = self.urgency {
            writeln!(w, "  urgency: {}", change_control::urgency_name(u))?;
        }
        for a in &self.approvals {
            writeln!(w, "  approved by {} as {} ({})", a.by, a.role, a.at)?;
        }
        for g in self.gates.iter().flatten() {
            write_gate(w, st, g)?;
        }
        if self.tagged {
            let kind = if self.signed { "signed annotated" } else { "annotated" };
            writeln!(
                w,
                "  {}{kind} tag {}",
                if self.dry_run { "would create " } else { "created " },
                self.tag
            )?;
        }
        if self.dry_run {
            for f in &self.files {
                if let Some(diff) = &f.diff {
                    writeln!(w)?;
                    w.write_all(diff.as_bytes())?;
                }
            }
            writeln!(w, "\n{}", st.dim("notes:"))?;
            w.write_all(self.notes.as_bytes())?;
        }
        if let Some(push) = &self.push {
            writeln!(w, "publish with: {push}")?;
        }
        Ok(())
    }
}

/// One gate's result, as `train validate` shows it.
fn write_gate(w: &mut dyn Write, st: &Style, g: &GateResult) -> io::Result<()> {
    let mark = st.verdict(g.passed, g.blocking);
    writeln!(w, "  {mark}  gate {}", g.gate)?;
    for f in &g.failures {
        let who = f.service.as_deref().unwrap_or("release");
        match &f.value {
            Some(seen) => writeln!(w, "          {who}: {seen} (needs {})", f.required)?,
            None => writeln!(w, "          {who}: no data (needs {})", f.required)?,
        }
    }
    Ok(())
}
