//! `relman init [--example platform]`: write starter files, or the
//! reference catalog. Never overwrites: files that exist are left alone and
//! reported as skipped.

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::target::{Pending, Target};
use crate::cli::{Example, InitArgs};
use crate::domain::rules::KNOWN_TYPES;
use crate::error::Result;
use crate::output::{Report, Style};
use crate::repo::Repo;

/// The reference catalog (SPEC §1.6), embedded from the source tree's `catalog/`.
pub const PLATFORM: &[(&str, &str)] = &[
    ("catalog/services.yaml", include_str!("../../catalog/services.yaml")),
    ("catalog/release-trains.yaml", include_str!("../../catalog/release-trains.yaml")),
    ("catalog/specs.yaml", include_str!("../../catalog/specs.yaml")),
    ("catalog/upgrade-policies.yaml", include_str!("../../catalog/upgrade-policies.yaml")),
    ("catalog/metrics/market-data.yaml", include_str!("../../catalog/metrics/market-data.yaml")),
    ("catalog/metrics/curve.yaml", include_str!("../../catalog/metrics/curve.yaml")),
    ("catalog/metrics/backtesting.yaml", include_str!("../../catalog/metrics/backtesting.yaml")),
    ("catalog/metrics/scenario.yaml", include_str!("../../catalog/metrics/scenario.yaml")),
    ("catalog/metrics/pricing.yaml", include_str!("../../catalog/metrics/pricing.yaml")),
    ("catalog/metrics/risk.yaml", include_str!("../../catalog/metrics/risk.yaml")),
    ("catalog/metrics/reporting.yaml", include_str!("../../catalog/metrics/reporting.yaml")),
    ("catalog/metrics/gateway.yaml", include_str!("../../catalog/metrics/gateway.yaml")),
    ("catalog/scripts/release.sh", include_str!("../../catalog/scripts/release.sh")),
    ("catalog/scripts/health.sh", include_str!("../../catalog/scripts/health.sh")),
    ("catalog/scripts/rollback.sh", include_str!("../../catalog/scripts/rollback.sh")),
    ("catalog/scripts/deploy.sh", include_str!("../../catalog/scripts/deploy.sh")),
];

/// Commented starter files.
pub const STARTER: &[(&str, &str)] = &[
    ("relman.yaml", include_str!("../../examples/starter/relman.yaml")),
    ("catalog/services.yaml", include_str!("../../examples/starter/services.yaml")),
    ("catalog/release-trains.yaml", include_str!("../../examples/starter/release-trains.yaml")),
    ("catalog/upgrade-policies.yaml", include_str!("../../catalog/upgrade-policies.yaml")),
];

/// The line `init` adds to `.gitignore` (hook logs are not history).
pub const GITIGNORE_LINE: &str = ".relman/logs/";

/// `relman init` result (schema `relman.init/1`).
#[derive(Debug, Serialize)]
pub struct InitReport {
    /// Files written (or that would be, with `--dry-run`).
    pub written: Vec<String>,
    /// Files that exist and were left alone.
    pub skipped: Vec<String>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl Report for InitReport {
    const SCHEMA: &'static str = "relman.init/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let verb = if self.dry_run { "would write" } else { "wrote" };
        for f in &self.written {
            writeln!(w, "{verb} {f}")?;
        }
        for f in &self.skipped {
            writeln!(w, "{} {f} (exists; left alone)", st.dim("skipped"))?;
        }
        if !self.dry_run && !self.written.is_empty() {
            writeln!(w, "review the files, then commit them")?;
        }
        Ok(())
    }
}

/// Returns the starter `relman.yaml` with `project.tag` set to the
/// convention the repository's tags follow, when it is not the default,
/// and `project.version_files` set when detection alone would miss them.
fn with_detected(
    text: &str,
    convention: Option<(String, usize, String)>,
    version_files: Option<Vec<String>>,
    unlisted: Option<Vec<String>>,
) -> String {
    let tag = convention.filter(|c| c.0 != "v{version}");
    if tag.is_none() && version_files.is_none() && unlisted.is_none() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 160);
    for line in text.split_inclusive('\n') {
        if line.starts_with("# project:") && (tag.is_some() || version_files.is_some()) {
            out.push_str(&line.replacen("# project:", "project:  ", 1));
        } else if line.starts_with("# commits:") && unlisted.is_some() {
            out.push_str(&line.replacen("# commits:", "commits:  ", 1));
        } else if let (true, Some(types)) = (line.starts_with("#   default_bump:"), &unlisted) {
            out.push_str(&format!(
                "  default_bump: {{conventional: patch}}  # detected: commits typed {} release nothing otherwise\n",
                types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            ));
        } else if let (true, Some((pattern, count, example))) = (line.starts_with("#   tag:"), &tag)
        {
            out.push_str(&format!(
                "  tag: \"{pattern}\"  # detected: {count} tags follow it, such as `{example}`\n"
            ));
        } else if let (true, Some(files)) = (line.starts_with("#   version_files:"), &version_files)
        {
            out.push_str(&format!("  version_files: [{}]  # detected\n", files.join(", ")));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Returns the unlisted types (`rt`, `sync`) of the project's pending
/// commits when nothing else in them releases: a history typed by module,
/// which `commits.default_bump` counts. `None` otherwise, or when the
/// history cannot be read (init writes the starter files regardless).
fn unlisted_types(repo: &Repo) -> Option<Vec<String>> {
    // Reading the history warns as `next` does; init's own files answer
    // those warnings, so only the ones from before are kept.
    let before = repo.take_warnings();
    let pending = Target::resolve(repo, None).and_then(|t| Pending::read(repo, &t)).ok();
    drop(repo.take_warnings());
    for w in before {
        repo.warn(w);
    }
    let pending = pending.filter(|p| p.bump().is_none())?;
    let mut types: Vec<String> = Vec::new();
    for c in pending.commits.iter().filter_map(|c| c.conventional.as_ref()) {
        if !KNOWN_TYPES.contains(&c.kind.as_str()) && !types.contains(&c.kind) {
            types.push(c.kind.clone());
        }
    }
    types.sort();
    (!types.is_empty()).then_some(types)
}

/// Writes the starter files or the example, skipping those that exist.
pub fn run(cx: &Context, args: &InitArgs) -> Result<InitReport> {
    let repo = cx.repo()?;
    let set = match args.example {
        Some(Example::Platform) => PLATFORM,
        None => STARTER,
    };
    let (mut tx, _) = cx.transaction(repo)?;
    let mut report =
        InitReport { written: Vec::new(), skipped: Vec::new(), dry_run: !tx.can_write() };
    for (path, text) in set {
        if tx.read(path, "file")?.is_some() {
            report.skipped.push((*path).to_owned());
            continue;
        }
        let text = if *path == crate::config::CONFIG_FILE {
            with_detected(
                text,
                repo.tag_convention()?,
                repo.suggested_version_files(),
                unlisted_types(repo),
            )
        } else {
            (*text).to_owned()
        };
        tx.write(path, "file", "file", text)?;
        report.written.push((*path).to_owned());
    }
    let old = tx.read(".gitignore", "file")?.unwrap_or_default();
    if !old.lines().any(|l| l.trim() == GITIGNORE_LINE) {
        let sep = if old.is_empty() || old.ends_with('\n') { "" } else { "\n" };
        tx.write(".gitignore", "file", "file", format!("{old}{sep}{GITIGNORE_LINE}\n"))?;
        report.written.push(".gitignore".to_owned());
    }
    if tx.can_write() {
        tx.finish()?;
    }
    Ok(report)
}
