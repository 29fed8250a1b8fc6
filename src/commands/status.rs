//! `relman status`: current and next versions of the project or of every
//! service, and the trains; `--show-settings` prints the effective settings.

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::target::{Pending, Target};
use crate::cli::StatusArgs;
use crate::config::{Config, Source};
use crate::domain::commit::ReleaseType;
use crate::domain::deploy::{Entry, Ledger, Live};
use crate::domain::version::{Level, Version};
use crate::error::Result;
use crate::output::{Report, Style, table};

/// One project or service line of the status.
#[derive(Debug, Serialize)]
pub struct UnitStatus {
    /// Project or service name.
    pub name: String,
    /// Current version.
    pub current: Version,
    /// The last release tag.
    pub last_tag: Option<String>,
    /// Commits since the last release that count for it.
    pub commits_since: usize,
    /// Next version, `null` when nothing is releasable.
    pub next: Option<Version>,
    /// Bump level.
    pub bump: Option<Level>,
    /// Release type.
    pub release_type: Option<ReleaseType>,
}

impl UnitStatus {
    /// Builds a line from what is pending.
    pub fn new(name: &str, pending: &Pending) -> Self {
        Self {
            name: name.to_owned(),
            current: pending.current.clone(),
            last_tag: pending.last.as_ref().map(|l| l.tag.clone()),
            commits_since: pending.commits.len(),
            next: pending.next(),
            bump: pending.bump(),
            release_type: pending.release_type(),
        }
    }
}

/// A train's line in the status.
#[derive(Debug, Serialize)]
pub struct TrainStatus {
    /// Train name.
    pub name: String,
    /// Its status.
    pub status: crate::domain::train::Status,
}

/// `relman status` result (schema `relman.status/1`).
#[derive(Debug, Serialize)]
pub struct StatusReport {
    /// `project` for a single project, `services` for a catalog.
    pub mode: &'static str,
    /// The project or every service.
    pub units: Vec<UnitStatus>,
    /// Every train.
    pub trains: Vec<TrainStatus>,
    /// Each environment of the policy's order with what is live there
    /// (empty until something is deployed).
    pub environments: Vec<EnvStatus>,
}

/// An environment's line in the status: what is live per service.
#[derive(Debug, Clone, Serialize)]
pub struct EnvStatus {
    /// The environment.
    pub name: String,
    /// What runs there, per service.
    pub live: Vec<LiveView>,
}

/// One service's live version in an environment.
#[derive(Debug, Clone, Serialize)]
pub struct LiveView {
    /// The service (the project's name for a single project).
    pub service: String,
    #[serde(flatten)]
    /// What is live.
    pub live: Live,
}

impl EnvStatus {
    /// What `ledger` says is live, per service.
    pub fn of(ledger: Ledger) -> Self {
        let live =
            ledger.live.into_iter().map(|(service, live)| LiveView { service, live }).collect();
        Self { name: ledger.environment, live }
    }
}

/// The ledger of each environment of the policy's order, in that order
/// (empty ledgers for environments nothing was deployed to): what
/// `relman status` and `relman report` show.
pub fn ledgers(repo: &crate::repo::Repo) -> Result<Vec<Ledger>> {
    repo.policies()?.environments.iter().map(|env| repo.ledger(&env.name)).collect()
}

/// `relman status --env ENV` result (schema `relman.status.env/1`).
#[derive(Debug, Serialize)]
pub struct EnvHistoryReport {
    /// The environment.
    pub env: String,
    /// What is live there, per service.
    pub live: Vec<LiveView>,
    /// Its history, oldest first.
    pub history: Vec<Entry>,
}

impl Report for EnvHistoryReport {
    const SCHEMA: &'static str = "relman.status.env/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        writeln!(w, "{}", st.bold(&self.env))?;
        w.write_all(live_table(self.live.iter().map(|l| (&self.env, l)), st).as_bytes())?;
        if self.history.is_empty() {
            return writeln!(w, "nothing deployed yet");
        }
        writeln!(w)?;
        let rows = self
            .history
            .iter()
            .map(|e| {
                vec![
                    e.n.to_string(),
                    e.at.clone(),
                    format!("{:?}", e.kind).to_lowercase(),
                    e.service.clone(),
                    e.version.clone(),
                    e.previous.clone().unwrap_or_else(|| "-".into()),
                    e.strategy.to_string(),
                    e.result.as_str().to_owned(),
                    e.by.clone(),
                    e.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let head =
            ["#", "at", "what", "service", "version", "from", "strategy", "result", "by", "why"];
        w.write_all(table::render(&head, rows, st.width).as_bytes())
    }
}

fn live_table<'a>(rows: impl Iterator<Item = (&'a String, &'a LiveView)>, st: &Style) -> String {
    let rows = rows
        .map(|(env, l)| {
            vec![
                env.clone(),
                l.service.clone(),
                l.live.version.clone(),
                l.live.previous.clone().unwrap_or_else(|| "-".into()),
                l.live.strategy.to_string(),
                l.live.slot.clone().unwrap_or_else(|| "-".into()),
                format!("{}%", l.live.traffic),
                l.live.at.clone(),
            ]
        })
        .collect();
    let head = ["environment", "service", "live", "before", "strategy", "slot", "traffic", "since"];
    table::render(&head, rows, st.width)
}

impl Report for StatusReport {
    const SCHEMA: &'static str = "relman.status/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let dash = || "-".to_owned();
        let rows = self
            .units
            .iter()
            .map(|u| {
                vec![
                    u.name.clone(),
                    u.current.to_string(),
                    u.last_tag.clone().unwrap_or_else(dash),
                    u.commits_since.to_string(),
                    u.next.as_ref().map_or_else(dash, ToString::to_string),
                    u.bump.map_or_else(dash, |b| b.to_string()),
                ]
            })
            .collect();
        let first = if self.mode == "project" { "project" } else { "service" };
        w.write_all(
            table::render(
                &[first, "current", "last tag", "commits", "next", "bump"],
                rows,
                st.width,
            )
            .as_bytes(),
        )?;
        if !self.trains.is_empty() {
            writeln!(w)?;
            let rows =
                self.trains.iter().map(|t| vec![t.name.clone(), t.status.to_string()]).collect();
            w.write_all(table::render(&["train", "status"], rows, st.width).as_bytes())?;
        }
        if self.environments.iter().any(|e| !e.live.is_empty()) {
            writeln!(w)?;
            let rows =
                self.environments.iter().flat_map(|e| e.live.iter().map(move |l| (&e.name, l)));
            w.write_all(live_table(rows, st).as_bytes())?;
        }
        Ok(())
    }
}

/// One effective setting.
#[derive(Debug, Serialize)]
pub struct SettingView {
    /// Its key, as in relman.yaml.
    pub key: String,
    /// Its value, as text.
    pub value: String,
    /// Where it came from.
    pub source: Source,
}

/// `relman status --show-settings` result (schema `relman.settings/1`).
#[derive(Debug, Serialize)]
pub struct SettingsReport {
    /// Every setting.
    pub settings: Vec<SettingView>,
}

impl Report for SettingsReport {
    const SCHEMA: &'static str = "relman.settings/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let rows = self
            .settings
            .iter()
            .map(|s| vec![s.key.clone(), s.value.clone(), format!("{:?}", s.source).to_lowercase()])
            .collect();
        w.write_all(table::render(&["setting", "value", "source"], rows, st.width).as_bytes())
    }
}

fn settings_report(cx: &Context, c: &Config) -> SettingsReport {
    let mut s = Vec::new();
    let mut add = |key: &str, value: String, source: Source| {
        s.push(SettingView { key: key.into(), value, source });
    };
    add("project.name", c.name.value.clone(), c.name.source);
    add("project.tag", c.tag.value.clone(), c.tag.source);
    add("project.version_files", c.version_files.value.join(", "), c.version_files.source);
    add("project.changelog", c.changelog.value.clone(), c.changelog.source);
    add("release.branches", c.branches.value.join(", "), c.branches.source);
    let history = match c.history.value {
        crate::config::History::Full => "full",
        crate::config::History::FirstParent => "first-parent",
    };
    add("release.history", history.into(), c.history.source);
    add("release.commit_message", c.commit_message.value.clone(), c.commit_message.source);
    add("release.sign", c.sign.value.to_string(), c.sign.source);
    add("release.push", c.push.value.to_string(), c.push.source);
    add("ci", c.ci.value.to_string(), c.ci.source);
    let dependents = match c.dependents.value {
        crate::config::Dependents::None => "none",
        crate::config::Dependents::Patch => "patch",
    };
    add("release.dependents", dependents.into(), c.dependents.source);
    add("release.ignore_tags", c.ignore_tags.value.join(", "), c.ignore_tags.source);
    add("paths.catalog", c.catalog.value.clone(), c.catalog.source);
    let policies = if c.policies.value.is_empty() {
        format!("{}/upgrade-policies.yaml (or config/upgrade-policies.yaml)", c.catalog.value)
    } else {
        c.policies.value.clone()
    };
    add("paths.policies", policies, c.policies.source);
    add("paths.state", c.state.value.clone(), c.state.source);
    add("paths.audit_log", c.audit_log.value.clone(), c.audit_log.source);
    let initial = c.initial_development.value;
    add(
        "commits.initial_development.breaking",
        initial.breaking.to_string(),
        c.initial_development.source,
    );
    add("commits.initial_development.feat", initial.feat.to_string(), c.initial_development.source);
    let skip: Vec<String> = c
        .skip
        .value
        .iter()
        .map(|s| {
            let parts = [("subject", &s.subject), ("author", &s.author)];
            let parts: Vec<String> =
                parts.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}"))).collect();
            parts.join(" and ")
        })
        .collect();
    add("commits.skip", skip.join("; "), c.skip.source);
    let types: Vec<String> = c
        .types
        .value
        .iter()
        .map(|t| {
            let section = t.section.as_deref().map(|s| format!("section {s}"));
            let bump = t.bump.map(|b| format!("bump {}", format!("{b:?}").to_lowercase()));
            let rest: Vec<String> = section.into_iter().chain(bump).collect();
            format!("{}: {}", t.name, rest.join(", "))
        })
        .collect();
    add("commits.types", types.join("; "), c.types.source);
    let bump = |b: crate::domain::rules::Bump| format!("{b:?}").to_lowercase();
    let d = c.default_bump.value;
    add("commits.default_bump.conventional", bump(d.conventional), c.default_bump.source);
    add("commits.default_bump.other", bump(d.other), c.default_bump.source);
    add("commits.omit_from_notes", c.omit_from_notes.value.join(", "), c.omit_from_notes.source);
    let g = &cx.global;
    let flag = |set: bool| if set { Source::Flag } else { Source::Default };
    add(
        "format",
        format!("{:?}", g.format).to_lowercase(),
        flag(g.format != crate::cli::Format::Human),
    );
    add("dry_run", g.dry_run.to_string(), flag(g.dry_run));
    add("yes", g.yes.to_string(), flag(g.yes));
    add("now", g.now.to_rfc3339(), g.now_source);
    SettingsReport { settings: s }
}

/// Prints the status, or the settings.
pub fn run(cx: &Context, args: &StatusArgs) -> Result<u8> {
    let repo = cx.repo()?;
    if args.show_settings {
        return cx.emit(settings_report(cx, &repo.config));
    }
    if let Some(env) = &args.env {
        let env = super::deploy::environment(repo, env)?;
        let ledger = repo.ledger_history(&env.name)?;
        let history = ledger.history.clone();
        let live = EnvStatus::of(ledger).live;
        return cx.emit(EnvHistoryReport { env: env.name, live, history });
    }
    let catalog = repo.catalog_optional()?;
    let one_off = args.one_off.tag_pattern.is_some() || args.one_off.path.is_some();
    let (mode, units) = match &catalog {
        Some(_) if one_off => {
            return Err(crate::error::Error::input(
                "`--tag-pattern` and `--path` apply to a single project, and this repository has a catalog of services",
            )
            .hint("`relman next SERVICE --tag-pattern …` reads one service that way"));
        }
        Some(catalog) => ("services", service_statuses(repo, catalog)?),
        None => {
            let target = Target::resolve_with(repo, None, &args.one_off)?;
            let pending = Pending::read(repo, &target)?;
            ("project", vec![UnitStatus::new(&target.name, &pending)])
        }
    };
    let trains = catalog
        .iter()
        .flat_map(|c| c.trains.iter())
        .map(|t| TrainStatus { name: t.name.clone(), status: t.status })
        .collect();
    let mut environments: Vec<EnvStatus> = ledgers(repo)?.into_iter().map(EnvStatus::of).collect();
    if environments.iter().all(|e| e.live.is_empty()) {
        environments.clear();
    }
    cx.emit(StatusReport { mode, units, trains, environments })
}

/// Returns the status line of every service in the catalog.
fn service_statuses(
    repo: &crate::repo::Repo,
    catalog: &crate::domain::catalog::Catalog,
) -> Result<Vec<UnitStatus>> {
    let targets = catalog.services.iter().map(Target::from_service).collect::<Result<Vec<_>>>()?;
    let pending = Pending::read_many(repo, &targets)?;
    Ok(targets.iter().zip(&pending).map(|(t, p)| UnitStatus::new(&t.name, p)).collect())
}
