//! `relman train plan NAME [--out FILE]`: participants in dependency order,
//! grouped in waves, each with `from`, `to`, `action` and the reason.
//!
//! `--out` saves the plan with the SHA-256 of every input file and the HEAD
//! commit it was computed from, so a later `train run --plan FILE` can refuse
//! to apply a plan whose inputs changed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::super::Context;
use super::super::target::{Pending, Target};
use super::majors::MajorApprovals;
use crate::cli::TrainPlanArgs;
use crate::domain::calendar;
use crate::domain::catalog::{Catalog, Train, VersionRule};
use crate::domain::plan::{self, Action, Decision, Refusal, Step};
use crate::domain::train::Status;
use crate::domain::version::Version;
use crate::error::{Error, Location, Result};
use crate::output::{Report, Style, table};
use crate::repo::{Repo, audit};

/// A dependency outside the train, satisfied by its released version.
#[derive(Debug, Clone, Serialize)]
pub struct External {
    /// The service.
    pub service: String,
    /// Its released (current) version.
    pub version: Version,
    /// Participants that depend on it.
    pub needed_by: Vec<String>,
}

/// What a saved plan was computed from.
#[derive(Debug, Clone, Serialize)]
pub struct PlanInputs {
    /// HEAD commit.
    pub head: Option<String>,
    /// SHA-256 of each input file (absent files are left out).
    pub files: BTreeMap<String, String>,
}

/// `relman train plan` result (schema `relman.train.plan/1`).
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    /// Train name.
    pub train: String,
    /// Train status.
    pub status: Status,
    /// Participants by wave.
    pub waves: Vec<Vec<String>>,
    /// Every participant in order.
    pub sequence: Vec<Step>,
    /// Dependencies outside the train.
    pub external: Vec<External>,
    /// The `release_types.major` approvals the plan needs before staging:
    /// `null` when it releases no major version (or the policy asks for
    /// none).
    pub major_approvals: Option<MajorApprovals>,
    /// Inputs digest (present with `--out`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<PlanInputs>,
    /// Where the plan was saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_to: Option<String>,
}

impl Report for PlanReport {
    const SCHEMA: &'static str = "relman.train.plan/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        writeln!(
            w,
            "{} ({}): {} participants in {} waves",
            st.bold(&self.train),
            self.status,
            self.sequence.len(),
            self.waves.len()
        )?;
        w.write_all(steps_table(&self.sequence, st.width).as_bytes())?;
        if !self.external.is_empty() {
            writeln!(w, "\noutside the train (released versions used):")?;
            for e in &self.external {
                writeln!(
                    w,
                    "  {} {} (needed by {})",
                    e.service,
                    e.version,
                    e.needed_by.join(", ")
                )?;
            }
        }
        if let Some(m) = &self.major_approvals {
            writeln!(
                w,
                "\nmajor release ({}): needs approval from {} before staging",
                m.releases(),
                m.required.join(", ")
            )?;
            if m.is_met() {
                writeln!(w, "  {} every one given", st.green("approved:"))?;
            } else {
                writeln!(
                    w,
                    "  {} {} (record it with `relman approve {} --role ROLE`)",
                    st.red("missing:"),
                    m.missing.join(", "),
                    self.train
                )?;
            }
        }
        if let Some(path) = &self.saved_to {
            writeln!(w, "\nsaved to {path}")?;
        }
        Ok(())
    }
}

/// Renders steps as the plan's table (wave, service, versions, action, reason, dependencies).
pub fn steps_table(steps: &[Step], width: Option<u16>) -> String {
    let rows = steps
        .iter()
        .map(|s| {
            vec![
                s.wave.to_string(),
                s.service.clone(),
                s.from.to_string(),
                s.to.to_string(),
                if s.releases() { "release" } else { "skip" }.to_owned(),
                s.reason.clone(),
                if s.depends_on.is_empty() { "-".to_owned() } else { s.depends_on.join(", ") },
            ]
        })
        .collect();
    table::render(&["wave", "service", "from", "to", "action", "reason", "depends on"], rows, width)
}

/// Computes the plan of `train`.
/// `today` is the staging day: a train with `target_version: calendar`
/// and no `schedule.start_time` gets the calendar version of it.
pub fn compute(
    repo: &Repo,
    catalog: &Catalog,
    train: &Train,
    trains_file: &str,
    today: NaiveDate,
) -> Result<PlanReport> {
    let calendar = calendar::train_version(train.start_time.as_deref(), today);
    let names: Vec<&str> = train.participants.iter().map(|p| p.service.as_str()).collect();
    let depends =
        |name: &str| catalog.service(name).map(|s| s.depends_on.as_slice()).unwrap_or_default();
    let waves = plan::waves(&names, depends);
    let members: std::collections::HashMap<&str, &crate::domain::catalog::Participant> =
        train.participants.iter().map(|p| (p.service.as_str(), p)).collect();
    let mut external: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &name in &names {
        for d in depends(name) {
            if !members.contains_key(d.as_str()) {
                external.entry(d.clone()).or_default().push(name.to_owned());
            }
        }
    }
    // One walk of the history for every participant and outside dependency.
    let ordered: Vec<&str> = waves.iter().flatten().copied().collect();
    let mut targets = Vec::with_capacity(ordered.len() + external.len());
    for name in ordered.iter().copied().chain(external.keys().map(String::as_str)) {
        let Some(service) = catalog.service(name) else { continue };
        targets.push(Target::from_service(service)?);
    }
    let pending = Pending::read_many(repo, &targets)?;
    let by_name: BTreeMap<&str, (&Target, &Pending)> =
        targets.iter().zip(&pending).map(|(t, p)| (t.name.as_str(), (t, p))).collect();
    let mut sequence = Vec::new();
    for (i, wave) in waves.iter().enumerate() {
        for &name in wave {
            let (Some(service), Some(participant), Some((target, pending))) =
                (catalog.service(name), members.get(name), by_name.get(name))
            else {
                continue;
            };
            let from = pending.current.clone();
            // A dependent of a service this train releases gets at least a
            // patch when relman.yaml asks (`release.dependents: patch`).
            let released: Vec<&str> = service
                .depends_on
                .iter()
                .filter(|d| sequence.iter().any(|s: &Step| s.service == **d && s.releases()))
                .map(String::as_str)
                .collect();
            let from_commits = pending.next().zip(pending.bump());
            let dependents_patch = repo.config.dependents.value == crate::config::Dependents::Patch;
            let Decision { to, action, reason } = plan::decide(
                &participant.rule,
                calendar.as_ref(),
                &from,
                from_commits,
                &released,
                dependents_patch,
            )
            .map_err(|refusal| match refusal {
                Refusal::Down(to) => Error::input(format!(
                    "train `{}`: `{name}` would go from {from} down to {to}",
                    train.name
                ))
                .at(match &participant.rule_at {
                    at if at.line > 0 => at.clone(),
                    _ => Location::file(trains_file),
                })
                .hint(if participant.rule == VersionRule::Calendar {
                    "the calendar version of the train's start is below: write the version out"
                } else {
                    "raise the train's target, or remove the pin"
                }),
                Refusal::Version(e) => e.into(),
            })?;
            sequence.push(Step {
                service: name.to_owned(),
                tag: (action == Action::Release).then(|| target.tags.render(&to)),
                from,
                to,
                wave: i + 1,
                depends_on: service.depends_on.clone(),
                action,
                reason,
            });
        }
    }
    let external = external
        .into_iter()
        .map(|(service, needed_by)| {
            let version = by_name
                .get(service.as_str())
                .map_or_else(|| Version::new(0, 0, 0), |(_, p)| p.current.clone());
            External { service, version, needed_by }
        })
        .collect();
    Ok(PlanReport {
        train: train.name.clone(),
        status: train.status,
        waves: waves.iter().map(|w| w.iter().map(|s| (*s).to_owned()).collect()).collect(),
        sequence,
        external,
        major_approvals: None,
        inputs: None,
        saved_to: None,
    })
}

/// Returns the digest of every input a plan of `train` depends on: the
/// configuration and its participants' metrics (the gates read them). The
/// trains file is digested with every train's `status:` value masked:
/// relman edits those as trains move, and a plan does not depend on them.
pub fn inputs(repo: &Repo, catalog: &Catalog, train: &Train) -> Result<PlanInputs> {
    let trains_file = repo.trains_file();
    let mut names = vec![
        crate::config::CONFIG_FILE.to_owned(),
        repo.catalog_file("services.yaml"),
        trains_file.clone(),
        repo.catalog_file("specs.yaml"),
    ];
    if let Some(p) = repo.policies_file()? {
        names.push(p);
    }
    for p in &train.participants {
        names.push(repo.catalog_file(&format!("metrics/{}.yaml", p.service)));
    }
    let mut files = BTreeMap::new();
    for name in names {
        if let Some(mut text) = repo.read(&name)? {
            if name == trains_file {
                for train in &catalog.trains {
                    let Some(p) = &train.status_pos else { continue };
                    if let Ok(masked) =
                        crate::yaml::replace_scalar(&text, &name, p.line, p.column, "-")
                    {
                        text = masked;
                    }
                }
            }
            files.insert(name, audit::sha256_hex(text.as_bytes()));
        }
    }
    Ok(PlanInputs { head: repo.git.head()?, files })
}

/// Returns the first input whose digest differs between `then` and `now`
/// (changed, added or removed), if any.
pub fn changed_input<'a>(
    then: &'a BTreeMap<String, String>,
    now: &'a BTreeMap<String, String>,
) -> Option<&'a str> {
    then.keys().chain(now.keys()).find(|f| then.get(*f) != now.get(*f)).map(String::as_str)
}

/// Prints (and with `--out` saves) the plan.
pub fn run(cx: &Context, args: &TrainPlanArgs) -> Result<PlanReport> {
    let repo = cx.repo()?;
    // Saving writes, so the plan is then computed with the lock held.
    let tx = args.out.as_ref().map(|_| cx.transaction(repo)).transpose()?;
    let catalog = repo.catalog()?;
    let train = super::find(&catalog, &args.name)?;
    let trains_file = repo.trains_file();
    let mut report = compute(repo, &catalog, train, &trains_file, cx.global.now.date_naive())?;
    report.major_approvals = super::majors::of(repo, train, &report.sequence)?;
    if let (Some(out), Some((mut tx, _))) = (&args.out, tx) {
        report.inputs = Some(inputs(repo, &catalog, train)?);
        let path = if out.is_absolute() { out.clone() } else { cx.global.dir.join(out) };
        let doc = crate::output::envelope(<PlanReport as Report>::SCHEMA, &report)
            .and_then(|doc| serde_json::to_string_pretty(&doc))
            .map_err(|e| Error::input(format!("cannot serialize the plan: {e}")))?;
        tx.export(path, doc + "\n")?;
        if tx.can_write() {
            tx.finish()?;
            report.saved_to = Some(out.display().to_string());
        }
    }
    Ok(report)
}
