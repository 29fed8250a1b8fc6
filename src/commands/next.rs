//! `relman next [SERVICE]`: the next version and why.

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::target::{CommitView, CurrentSource, Pending, Target};
use crate::cli::NextArgs;
use crate::domain::commit::ReleaseType;
use crate::domain::rules::Rules;
use crate::domain::version::{Level, Version};
use crate::error::Result;
use crate::output::{Report, Style};

/// `relman next` result (schema `relman.next/1`).
#[derive(Debug, Serialize)]
pub struct NextReport {
    /// The service, or the project name for a single project.
    pub service: String,
    /// The current version.
    pub current: Version,
    /// Where the current version came from.
    pub current_source: CurrentSource,
    /// The last release tag, if any.
    pub last_tag: Option<String>,
    /// The next version; `null` when nothing is releasable.
    pub next: Option<Version>,
    /// The bump level; `null` when nothing is releasable.
    pub bump: Option<Level>,
    /// The release type; `null` when nothing is releasable.
    pub release_type: Option<ReleaseType>,
    /// Whether anything is releasable.
    pub releasable: bool,
    /// The commits behind it, newest first.
    pub commits: Vec<CommitView>,
    /// What relman noticed while reading (also printed on stderr): tags
    /// passed over, a tag convention the pattern does not match.
    pub warnings: Vec<String>,
    /// A catalog service (the finalise hint names it).
    #[serde(skip)]
    pub is_service: bool,
    /// What each commit does to the version (`minor`, `no release`), as
    /// the rules in force say.
    #[serde(skip)]
    pub effects: Vec<String>,
    /// When nothing is releasable: the types seen and the setting that
    /// would count them.
    #[serde(skip)]
    pub why_nothing: Option<String>,
    /// With `--calendar`: why there is no next version although commits
    /// are releasable (the train's calendar version is released already).
    #[serde(skip)]
    pub calendar_taken: Option<String>,
}

impl NextReport {
    /// Builds the report from what is pending for `target`.
    pub fn new(target: &Target, pending: &Pending, rules: &Rules) -> Self {
        let effects = pending
            .commits
            .iter()
            .map(|c| {
                let bump = rules.bump_of(c.conventional.as_ref());
                match (&c.conventional, bump) {
                    (Some(cc), _) if cc.breaking => "breaking".to_owned(),
                    (Some(_), Some(level)) => level.to_string(),
                    (Some(_), None) => "no release".to_owned(),
                    (None, Some(level)) => format!("{level}, not conventional"),
                    (None, None) => "not conventional".to_owned(),
                }
            })
            .collect();
        let why_nothing = if pending.bump().is_none() {
            rules.nothing_released(pending.commits.iter().map(|c| c.conventional.as_ref()))
        } else {
            None
        };
        Self {
            service: target.name.clone(),
            current: pending.current.clone(),
            current_source: pending.current_source,
            last_tag: pending.last.as_ref().map(|l| l.tag.clone()),
            next: pending.next(),
            bump: pending.bump(),
            release_type: pending.release_type(),
            releasable: pending.bump().is_some(),
            commits: pending.commits.iter().map(CommitView::from).collect(),
            warnings: Vec::new(),
            is_service: false,
            effects,
            why_nothing,
            calendar_taken: None,
        }
    }
}

impl Report for NextReport {
    const SCHEMA: &'static str = "relman.next/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let since = self
            .last_tag
            .as_deref()
            .map_or_else(|| "the first commit".to_owned(), |t| format!("`{t}`"));
        if let Some(why) = &self.calendar_taken {
            writeln!(w, "{} {}: {why}", st.bold(&self.service), self.current)?;
        }
        match (&self.next, self.bump, self.release_type) {
            _ if self.calendar_taken.is_some() => {}
            (Some(next), Some(bump), Some(rt)) => writeln!(
                w,
                "{} {} → {} ({bump}, {})",
                st.bold(&self.service),
                self.current,
                st.green(&next.to_string()),
                rt.as_str()
            )?,
            _ => writeln!(
                w,
                "{} {}: nothing to release since {since}",
                st.bold(&self.service),
                self.current
            )?,
        }
        if self.next.is_none() && !self.current.pre.is_empty() {
            writeln!(
                w,
                "{} is a prerelease: `relman create release{}` finalises it as {}",
                self.current,
                if self.is_service { format!(" {}", self.service) } else { String::new() },
                self.current.bump(Level::Release, None).unwrap_or_else(|_| self.current.clone())
            )?;
        }
        let n = self.commits.len();
        writeln!(w, "{n} commit{} since {since}", if n == 1 { "" } else { "s" })?;
        if let Some(why) = &self.why_nothing {
            writeln!(w, "{why}")?;
        }
        for (c, effect) in self.commits.iter().zip(&self.effects) {
            let short = c.id.get(..7).unwrap_or(&c.id);
            let header = match (&c.kind, &c.scope) {
                (Some(k), Some(s)) => {
                    format!("{k}({s}){}: {}", if c.breaking { "!" } else { "" }, c.summary)
                }
                (Some(k), None) => {
                    format!("{k}{}: {}", if c.breaking { "!" } else { "" }, c.summary)
                }
                _ => c.summary.clone(),
            };
            writeln!(w, "  {} {header}  {}", st.dim(short), st.dim(&format!("[{effect}]")))?;
        }
        Ok(())
    }
}

/// Computes the next version for the project or `args.service`.
pub fn run(cx: &Context, args: &NextArgs) -> Result<NextReport> {
    let repo = cx.repo()?;
    let target = Target::resolve_with(repo, args.service.as_deref(), &args.one_off)?;
    let pending = Pending::read(repo, &target)?;
    let mut report = NextReport::new(&target, &pending, &repo.config.rules());
    report.warnings = repo.warnings();
    report.is_service = args.service.is_some();
    if args.calendar && report.releasable {
        // What `relman create auto --calendar` would cut (SPEC 9).
        let today = cx.global.now.date_naive();
        match crate::domain::calendar::version_of(today) {
            Some(v) if v > report.current => report.next = Some(v),
            Some(v) => {
                let why = format!(
                    "the calendar version {v} is not greater than the current {}: this train is released already (`relman create patch` for a fix)",
                    report.current
                );
                report.next = None;
                report.warnings.push(why.clone());
                report.calendar_taken = Some(why);
            }
            None => report.next = None,
        }
    }
    Ok(report)
}
