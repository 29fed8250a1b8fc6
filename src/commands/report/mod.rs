//! `relman report [--out FILE]`: one self-contained HTML page (SPEC §10):
//! the trains, each service's latest releases, the environments, the
//! metrics with their DORA bands and a weekly chart, the calendar's next
//! slots.
//!
//! One model, two renderings: `--format json` prints the model
//! (`relman.report/1`), the page is the same model through the
//! `report.html.j2` template, with HTML auto-escaping on (every text from
//! the repository — names, notes, commit subjects — is escaped). The page
//! holds inline CSS and inline SVG only: no script, no font, no URL.
//! Writing it goes through the transaction's export, so `--dry-run`
//! writes nothing.
//!
//! The trains' part of the model (views, recorded verdicts) is `trains`.

mod trains;

pub use trains::{GateView, ParticipantGate, ParticipantView, RecordedGates, TrainView};

use std::io::{self, Write};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::Context;
use super::calendar::{self, CalendarReport};
use super::metrics::{self, MetricsReport, TagRecord};
use super::status::{self, EnvStatus};
use crate::cli::ReportArgs;
use crate::domain::deploy::Entry;
use crate::error::{Error, Result};
use crate::output::{Report, Style};
use crate::repo::Repo;

/// The page's template.
const TEMPLATE: &str = include_str!("../../output/templates/report.html.j2");

/// Slots of the calendar the page shows.
const SLOTS: usize = 6;

/// Releases shown per service.
const LATEST: usize = 3;

/// Deployments shown per environment.
const RECENT: usize = 5;

/// A release on the page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    /// Its tag.
    pub tag: String,
    /// Its version.
    pub version: String,
    /// Its date (RFC 3339).
    pub date: String,
}

/// A service's latest releases.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// The service (or project).
    pub service: String,
    /// Its newest releases, newest first.
    pub releases: Vec<ReleaseView>,
    /// The newest release's tag message (its notes).
    pub notes: Option<String>,
}

/// An environment on the page: what is live there per service (as
/// `relman status` lists it) and its newest deployments.
#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentView {
    /// The environment, and what is live there per service.
    #[serde(flatten)]
    pub status: EnvStatus,
    /// Deployments and rollbacks recorded in all.
    pub deployments: u64,
    /// Its newest entries (at most five), newest first.
    pub recent: Vec<Entry>,
}

/// `relman report` model (schema `relman.report/1`).
#[derive(Debug, Clone, Serialize)]
pub struct ReportModel {
    /// The project's name.
    pub project: String,
    /// When it was made (RFC 3339).
    pub generated: String,
    /// Every train of the catalog.
    pub trains: Vec<TrainView>,
    /// Every service's (or the project's) latest releases.
    pub services: Vec<ServiceView>,
    /// Each environment of the policy's order, in that order, with its
    /// live versions and newest deployments (empty without environments).
    pub environments: Vec<EnvironmentView>,
    /// The metrics (as `relman metrics`).
    pub metrics: MetricsReport,
    /// The calendar's next slots (as `relman calendar`).
    pub calendar: CalendarReport,
}

/// `relman report` result.
#[derive(Debug, Serialize)]
pub struct PageReport {
    /// Where the page was (or would be) written; `-` for stdout.
    pub out: String,
    /// Whether it was written (`false` with `--dry-run`).
    pub written: bool,
    /// The page's size in bytes.
    pub bytes: usize,
    /// The model it renders.
    pub model: ReportModel,
    /// The page, when it goes to stdout.
    #[serde(skip)]
    pub page: Option<String>,
}

impl Report for PageReport {
    const SCHEMA: &'static str = "relman.report/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        if let Some(page) = &self.page {
            return w.write_all(page.as_bytes());
        }
        let verb = if self.written { "wrote" } else { "would write" };
        writeln!(
            w,
            "{verb} {} ({} bytes): {} trains, {} services, {} environments, {} slots",
            st.bold(&self.out),
            self.bytes,
            self.model.trains.len(),
            self.model.services.len(),
            self.model.environments.len(),
            self.model.calendar.slots.len()
        )
    }
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Builds the model the page and the JSON document render.
pub fn model(cx: &Context, repo: &Repo) -> Result<ReportModel> {
    let catalog = repo.catalog_optional()?;
    let entries = match &catalog {
        Some(c) if !c.trains.is_empty() => repo.audit_entries()?,
        _ => Vec::new(),
    };
    let recorded = trains::last_verdicts(&entries);
    let trains = catalog
        .as_ref()
        .map(|c| {
            c.trains
                .iter()
                .map(|t| {
                    let recorded = recorded.get(t.name.as_str());
                    trains::train_view(repo, c, t, recorded, cx.global.now.date_naive())
                })
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let tags: Vec<TagRecord> = metrics::read_tags(repo)?;
    let units = metrics::units(repo, catalog.as_ref(), None)?;
    let services = units
        .iter()
        .map(|u| {
            let mut list = metrics::pattern_tags(&tags, &u.tags);
            list.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.name.cmp(&a.name)));
            list.truncate(LATEST);
            ServiceView {
                service: u.name.clone(),
                notes: list.first().and_then(|t| repo.git.tag_message(&t.name)),
                releases: list
                    .iter()
                    .map(|t| ReleaseView {
                        tag: t.name.clone(),
                        version: u.tags.parse(&t.name).map(|v| v.to_string()).unwrap_or_default(),
                        date: rfc3339(t.time),
                    })
                    .collect(),
            }
        })
        .collect();
    let window = metrics::window(cx, None, None)?;
    let metrics = metrics::compute_with(repo, catalog.as_ref(), &units, &tags, None, None, window)?;
    let calendar = calendar::compute(catalog.as_ref(), cx.global.now.date_naive(), SLOTS);
    let environments = status::ledgers(repo)?
        .into_iter()
        .map(|mut ledger| {
            // The open part of the ledger always holds the newest entries.
            let recent = ledger.history.drain(..).rev().take(RECENT).collect();
            let deployments = ledger.count;
            EnvironmentView { status: EnvStatus::of(ledger), deployments, recent }
        })
        .collect();
    Ok(ReportModel {
        project: repo.config.name.value.clone(),
        generated: cx.global.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        trains,
        services,
        environments,
        metrics,
        calendar,
    })
}

/// Renders the page from the model.
pub fn render(model: &ReportModel) -> Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| Error::input(format!("report template: {e}")))?;
    let template = env
        .get_template("report.html")
        .map_err(|e| Error::input(format!("report template: {e}")))?;
    template
        .render(minijinja::Value::from(minijinja::value::Serde(model)))
        .map_err(|e| Error::input(format!("cannot render the report: {e:#}")))
}

/// Builds and writes the page.
pub fn run(cx: &Context, args: &ReportArgs) -> Result<PageReport> {
    let repo = cx.repo()?;
    let to_stdout = args.out.as_os_str() == "-";
    // Writing a file takes the lock first, so the page is one state.
    let tx = if to_stdout { None } else { Some(cx.transaction(repo)?) };
    let model = model(cx, repo)?;
    let page = render(&model)?;
    let bytes = page.len();
    let out = args.out.display().to_string();
    if to_stdout {
        let page = (cx.global.format != crate::cli::Format::Json).then_some(page);
        return Ok(PageReport { out, written: false, bytes, model, page });
    }
    let mut written = false;
    if let Some((mut tx, _)) = tx {
        let path =
            if args.out.is_absolute() { args.out.clone() } else { cx.global.dir.join(&args.out) };
        tx.export(path, page)?;
        if tx.can_write() {
            tx.finish()?;
            written = true;
        }
    }
    Ok(PageReport { out, written, bytes, model, page: None })
}
