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

use std::collections::BTreeMap;
use std::io::{self, Write};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use serde_json::Value;

use super::Context;
use super::calendar::{self, CalendarReport};
use super::metrics::{self, MetricsReport, TagRecord};
use super::train::plan;
use crate::cli::ReportArgs;
use crate::domain::audit::Verdict;
use crate::domain::catalog::{Catalog, Train};
use crate::domain::gates::{self, GateKind, Inputs};
use crate::domain::train::{Phase, Status};
use crate::error::{Error, Result};
use crate::output::{Report, Style};
use crate::repo::Repo;

/// The page's template.
const TEMPLATE: &str = include_str!("../output/templates/report.html.j2");

/// Slots of the calendar the page shows.
const SLOTS: usize = 6;

/// Releases shown per service.
const LATEST: usize = 3;

/// A participant of a train on the page.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// The service.
    pub service: String,
    /// Its wave, from 1.
    pub wave: usize,
    /// Its phase in the train's state.
    pub phase: Phase,
    /// Version before the train.
    pub from: String,
    /// Version after it.
    pub to: String,
    /// `release` or `skip`.
    pub action: String,
    /// The tag made, once made.
    pub tag: Option<String>,
    /// Its verdict on each gate the last time the train's gates were
    /// recorded (empty when none were).
    pub gates: Vec<ParticipantGate>,
}

/// A participant's verdict on one gate, as last recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantGate {
    /// The gate as written.
    pub gate: String,
    /// Whether this participant passed it.
    pub passed: bool,
}

/// When a train's gate verdicts were last recorded in the audit trail.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedGates {
    /// The time of the audit line.
    pub at: String,
    /// The move it recorded (`validating → staging`).
    pub transition: String,
}

/// A gate's verdict on the page.
#[derive(Debug, Clone, Serialize)]
pub struct GateView {
    /// The gate as written.
    pub gate: String,
    /// Whether it passes now; `null` for a command gate, which the page does not run.
    pub passed: Option<bool>,
    /// Whether a failure blocks the train.
    pub blocking: bool,
    /// The verdict's summary.
    pub message: String,
}

/// A train on the page.
#[derive(Debug, Clone, Serialize)]
pub struct TrainView {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its status.
    pub status: Status,
    /// Its scheduled start.
    pub start_time: Option<String>,
    /// Participants by wave (the recorded plan once staged, else the plan now).
    pub waves: Vec<Vec<String>>,
    /// Each participant.
    pub participants: Vec<ParticipantView>,
    /// Each gate's verdict.
    pub gates: Vec<GateView>,
    /// When the verdicts the participants show were recorded; `null` when
    /// the audit trail records none for this train.
    pub gates_recorded: Option<RecordedGates>,
    /// Why it failed, if it did.
    pub failure: Option<String>,
    /// Its approvals: role, who, when, note.
    pub approvals: Vec<crate::domain::train::Approval>,
    /// Its rollbacks: service, versions, when, why.
    pub rollbacks: Vec<crate::domain::train::RollbackRecord>,
}

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
    /// Each environment's live versions; `null` until environments exist.
    pub environments: Option<Vec<Value>>,
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
            "{verb} {} ({} bytes): {} trains, {} services, {} slots",
            st.bold(&self.out),
            self.bytes,
            self.model.trains.len(),
            self.model.services.len(),
            self.model.calendar.slots.len()
        )
    }
}

/// A train as the page shows it.
fn train_view(
    repo: &Repo,
    catalog: &Catalog,
    train: &Train,
    recorded: Option<&(RecordedGates, Vec<Verdict>)>,
) -> Result<TrainView> {
    let state = repo.train_state(train)?;
    let steps = match &state.plan {
        Some(p) => p.steps.clone(),
        None => plan::compute(repo, catalog, train, &repo.trains_file())?.sequence,
    };
    let mut waves: Vec<Vec<String>> = Vec::new();
    for s in &steps {
        if s.wave == 0 {
            continue;
        }
        if waves.len() < s.wave {
            waves.resize(s.wave, Vec::new());
        }
        waves[s.wave - 1].push(s.service.clone());
    }
    let participants = steps
        .iter()
        .map(|s| {
            let p = state.participant(&s.service);
            ParticipantView {
                service: s.service.clone(),
                wave: s.wave,
                phase: p.map(|p| p.phase).unwrap_or_default(),
                from: s.from.to_string(),
                to: s.to.to_string(),
                action: serde_json::to_value(s.action)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                tag: p.and_then(|p| p.tag.clone()).or_else(|| s.tag.clone()),
                gates: recorded
                    .map(|(_, verdicts)| {
                        verdicts
                            .iter()
                            .map(|v| ParticipantGate {
                                gate: v.gate.clone(),
                                passed: v.passed_by(&s.service),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    // The verdicts each gate gives now; a command gate is not run here.
    let policies = repo.policies()?;
    let mut read = Vec::new();
    if train.gates.iter().any(|g| !matches!(g.kind, GateKind::Command { .. })) {
        for p in &train.participants {
            read.push((p.service.clone(), repo.metrics(&p.service)?));
        }
    }
    let approved: Vec<String> = state.approvals.iter().map(|a| a.role.clone()).collect();
    let inputs =
        Inputs { participants: &read, policy: &policies.quality_gates, approved_roles: &approved };
    let gates = train
        .gates
        .iter()
        .map(|g| match g.kind {
            GateKind::Command { .. } => GateView {
                gate: g.text.clone(),
                passed: None,
                blocking: g.blocking,
                message: "a command gate: `relman train validate` runs it".into(),
            },
            _ => {
                let r = gates::evaluate(g, &inputs, None);
                GateView {
                    gate: r.gate,
                    passed: Some(r.passed),
                    blocking: r.blocking,
                    message: r.message,
                }
            }
        })
        .collect();
    Ok(TrainView {
        name: train.name.clone(),
        description: train.description.clone(),
        status: train.status,
        start_time: train.start_time.clone(),
        waves,
        participants,
        gates,
        gates_recorded: recorded.map(|(r, _)| r.clone()),
        failure: state.failure.as_ref().map(|f| match &f.service {
            Some(s) => format!("{s}: {}", f.reason),
            None => f.reason.clone(),
        }),
        approvals: state.approvals.clone(),
        rollbacks: state.rollbacks.clone(),
    })
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Each train's last gate verdicts the audit trail records (in a
/// transition's line), with when and at which move.
fn last_verdicts(records: &[Value]) -> BTreeMap<&str, (RecordedGates, Vec<Verdict>)> {
    let mut out = BTreeMap::new();
    for r in records {
        let get = |k: &str| r.get(k).and_then(Value::as_str);
        let (Some("transition"), Some(train), Some(gates)) =
            (get("action"), get("train"), r.get("gates"))
        else {
            continue;
        };
        let Ok(verdicts) = serde_json::from_value::<Vec<Verdict>>(gates.clone()) else {
            continue;
        };
        let at = RecordedGates {
            at: get("time").unwrap_or_default().to_owned(),
            transition: format!(
                "{} → {}",
                get("from").unwrap_or_default(),
                get("to").unwrap_or_default()
            ),
        };
        out.insert(train, (at, verdicts));
    }
    out
}

/// Builds the model the page and the JSON document render.
pub fn model(cx: &Context, repo: &Repo) -> Result<ReportModel> {
    let catalog = repo.catalog_optional()?;
    let entries = match &catalog {
        Some(c) if !c.trains.is_empty() => repo.audit_entries()?,
        _ => Vec::new(),
    };
    let recorded = last_verdicts(&entries);
    let trains = catalog
        .as_ref()
        .map(|c| {
            c.trains
                .iter()
                .map(|t| train_view(repo, c, t, recorded.get(t.name.as_str())))
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
    Ok(ReportModel {
        project: repo.config.name.value.clone(),
        generated: cx.global.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        trains,
        services,
        environments: None,
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
