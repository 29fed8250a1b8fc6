//! `relman metrics [--since DATE] [--until DATE] [--service S] [--env ENV]`:
//! release KPIs from the tags, the audit trail and (once environments
//! exist) the deployment ledger (SPEC §8).
//!
//! The reading is here; the arithmetic (bands, rates, medians, weekly
//! buckets, the commits of each release) is `domain::metrics`.
//!
//! Tags are read with one `git for-each-ref` (the tag's date: the tagger's
//! for an annotated tag, the commit's for a lightweight one) through
//! `Git::git_cli`, as relman has no other reader of tag dates; which tags
//! are releases is decided as everywhere else: the service's
//! `TagPattern`, the repository's ignored tags. Author times come from one
//! `git log` of the releases in the window, each pattern's last release
//! before the window hidden.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::Context;
use super::target::Target;
use crate::cli::MetricsArgs;
use crate::domain::audit::Verdict;
use crate::domain::catalog::Catalog;
use crate::domain::metrics::{
    self, Band, Deployment, GateVerdict, History, Week, change_failure_band,
    deployment_frequency_band, lead_time_band, recovery_band,
};
use crate::domain::tag::TagPattern;
use crate::error::{Error, Result};
use crate::output::{Report, Style};
use crate::repo::Repo;
use crate::settings::parse_time;

/// The window the figures are over.
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    /// Its start (RFC 3339).
    pub since: String,
    /// Its end (RFC 3339).
    pub until: String,
    /// Its length in weeks.
    pub weeks: f64,
}

/// One service's release count.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceReleases {
    /// The service (or project).
    pub service: String,
    /// Releases in the window.
    pub releases: usize,
    /// Releases a week.
    pub per_week: Option<f64>,
}

/// Release frequency.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseFrequency {
    /// Releases in the window, all services.
    pub releases: usize,
    /// Releases a week, all services; `null` without a release.
    pub per_week: Option<f64>,
    /// Each service with a release in the window.
    pub by_service: Vec<ServiceReleases>,
    /// Releases per ISO week.
    pub weekly: Vec<Week>,
}

/// A figure with its DORA band.
#[derive(Debug, Clone, Serialize)]
pub struct Banded {
    /// The figure; `null`: no data.
    pub value: Option<f64>,
    /// Its band; `null` without a figure.
    pub band: Option<Band>,
}

impl Banded {
    fn of(value: Option<f64>, band: fn(f64) -> Band) -> Self {
        Self { value, band: value.map(band) }
    }
}

/// Lead time for changes.
#[derive(Debug, Clone, Serialize)]
pub struct LeadTime {
    /// Releases in the window whose commits were counted.
    pub releases: usize,
    /// Commits counted (one per release that brought it).
    pub commits: usize,
    /// Median hours from a commit's author time to its release's tag.
    pub median_hours: Option<f64>,
    /// 90th percentile (nearest rank).
    pub p90_hours: Option<f64>,
    /// The band of the median.
    pub band: Option<Band>,
}

/// A count over a count.
#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    /// What happened.
    pub count: usize,
    /// Out of.
    pub of: usize,
    /// `count / of`; `null` when `of` is 0.
    pub rate: Option<f64>,
}

impl Rate {
    fn new(count: usize, of: usize) -> Self {
        Self { count, of, rate: metrics::ratio(count, of) }
    }
}

/// Rollback rates.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackRate {
    /// Trains rolled back over trains that reached `executing`.
    pub trains: Rate,
    /// Service rollbacks (not part of a train's) over releases.
    pub services: Rate,
}

/// One environment's deployment success rate.
#[derive(Debug, Clone, Serialize)]
pub struct EnvRate {
    /// The environment.
    pub env: String,
    /// Successful deployments over all; `null` without any.
    pub rate: Option<f64>,
}

/// Time to recovery.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    /// Mean hours.
    pub mean_hours: Option<f64>,
    /// Median hours.
    pub median_hours: Option<f64>,
    /// The band of the median.
    pub band: Option<Band>,
}

/// What the figures were read from.
#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    /// Release tags read (all times).
    pub release_tags: usize,
    /// Audit records read.
    pub audit_records: usize,
    /// Deployments read; `null`: no ledger yet.
    pub deployments: Option<usize>,
    /// Gate verdicts read; `null`: none recorded.
    pub gate_verdicts: Option<usize>,
}

/// `relman metrics` result (schema `relman.metrics/1`).
#[derive(Debug, Clone, Serialize)]
pub struct MetricsReport {
    /// The window.
    pub window: Window,
    /// `--service`, if given.
    pub service: Option<String>,
    /// `--env`, if given.
    pub env: Option<String>,
    /// Releases per week.
    pub release_frequency: ReleaseFrequency,
    /// DORA: successful deployments to the last environment a week.
    pub deployment_frequency: Banded,
    /// DORA: lead time for changes.
    pub lead_time: LeadTime,
    /// DORA: deployments to the last environment rolled back or failed, over all.
    pub change_failure_rate: Banded,
    /// Rollbacks.
    pub rollback_rate: RollbackRate,
    /// Per environment; `null` without a ledger.
    pub deployment_success_rate: Option<Vec<EnvRate>>,
    /// DORA: failed deployment recovery time.
    pub time_to_recovery: Recovery,
    /// Gates passed over gates evaluated at `validating`; `null` without verdicts.
    pub gate_pass_rate: Option<Rate>,
    /// What was read.
    pub sources: Sources,
}

fn no_data(st: &Style) -> String {
    st.dim("no data")
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "release" } else { "releases" }
}

fn pct(r: &Rate) -> String {
    r.rate.map_or_else(
        || format!("{}/{}", r.count, r.of),
        |v| format!("{}/{} ({}%)", r.count, r.of, num(v * 100.0)),
    )
}

fn band(st: &Style, b: Option<Band>) -> String {
    match b {
        Some(b @ (Band::Elite | Band::High)) => format!("  [{}]", st.green(b.as_str())),
        Some(b @ Band::Medium) => format!("  [{}]", st.yellow(b.as_str())),
        Some(b @ Band::Low) => format!("  [{}]", st.red(b.as_str())),
        None => String::new(),
    }
}

impl Report for MetricsReport {
    const SCHEMA: &'static str = "relman.metrics/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let day = |t: &str| t.get(..10).unwrap_or(t).to_owned();
        let mut scope = String::new();
        if let Some(s) = &self.service {
            scope.push_str(&format!(", service {s}"));
        }
        if let Some(e) = &self.env {
            scope.push_str(&format!(", environment {e}"));
        }
        writeln!(
            w,
            "{} {} → {} ({} weeks{scope})",
            st.bold("metrics"),
            day(&self.window.since),
            day(&self.window.until),
            num(self.window.weeks)
        )?;
        let row = |w: &mut dyn Write, name: &str, text: String| writeln!(w, "  {name:<25}{text}");
        let rf = &self.release_frequency;
        row(
            w,
            "release frequency",
            match rf.per_week {
                Some(v) => format!("{} a week ({} {})", num(v), rf.releases, plural(rf.releases)),
                None => no_data(st),
            },
        )?;
        if rf.by_service.len() > 1 {
            for s in &rf.by_service {
                row(
                    w,
                    &format!("  {}", s.service),
                    s.per_week.map_or_else(
                        || no_data(st),
                        |v| format!("{} a week ({} {})", num(v), s.releases, plural(s.releases)),
                    ),
                )?;
            }
        }
        if let (Some(first), Some(last)) = (rf.weekly.first(), rf.weekly.last()) {
            let counts: Vec<usize> = rf.weekly.iter().map(|w| w.count).collect();
            row(
                w,
                "releases a week",
                format!(
                    "{}{}{}  {} … {}",
                    st.dim("|"),
                    metrics::sparkline(&counts),
                    st.dim("|"),
                    first.week_start,
                    last.week_start
                ),
            )?;
        }
        let df = &self.deployment_frequency;
        row(
            w,
            "deployment frequency",
            df.value
                .map_or_else(|| no_data(st), |v| format!("{} a week{}", num(v), band(st, df.band))),
        )?;
        let lt = &self.lead_time;
        row(
            w,
            "lead time for changes",
            match (lt.median_hours, lt.p90_hours) {
                (Some(m), Some(p)) => format!(
                    "median {} h, p90 {} h ({} commits in {} releases){}",
                    num(m),
                    num(p),
                    lt.commits,
                    lt.releases,
                    band(st, lt.band)
                ),
                _ => no_data(st),
            },
        )?;
        let cf = &self.change_failure_rate;
        row(
            w,
            "change failure rate",
            cf.value.map_or_else(
                || no_data(st),
                |v| format!("{}%{}", num(v * 100.0), band(st, cf.band)),
            ),
        )?;
        let rr = &self.rollback_rate;
        let rate = |r: &Rate, what: &str| match r.rate {
            Some(_) => format!("{what} {}", pct(r)),
            None => format!("{what} {}", no_data(st)),
        };
        row(
            w,
            "rollback rate",
            format!("{}, {}", rate(&rr.trains, "trains"), rate(&rr.services, "services")),
        )?;
        row(
            w,
            "deployment success rate",
            match &self.deployment_success_rate {
                None => no_data(st),
                Some(envs) => envs
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e.env,
                            e.rate.map_or_else(|| no_data(st), |v| format!("{}%", num(v * 100.0)))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        )?;
        let tr = &self.time_to_recovery;
        row(
            w,
            "time to recovery",
            match (tr.mean_hours, tr.median_hours) {
                (Some(m), Some(md)) => {
                    format!("mean {} h, median {} h{}", num(m), num(md), band(st, tr.band))
                }
                _ => no_data(st),
            },
        )?;
        row(
            w,
            "gate pass rate",
            self.gate_pass_rate
                .as_ref()
                .filter(|r| r.rate.is_some())
                .map_or_else(|| no_data(st), pct),
        )
    }
}

/// A tag as `for-each-ref` gives it.
#[derive(Debug, Clone)]
pub struct TagRecord {
    /// Its name (without `refs/tags/`).
    pub name: String,
    /// Its date, unix seconds.
    pub time: i64,
    /// The commit it points at.
    pub commit: String,
}

/// Every tag with its date and commit, sorted by name, ignored tags left out.
pub fn read_tags(repo: &Repo) -> Result<Vec<TagRecord>> {
    let args = [
        "for-each-ref".to_owned(),
        "--format=%(creatordate:unix)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(refname:strip=2)"
            .to_owned(),
        "refs/tags".to_owned(),
    ];
    let text = repo.git.git_cli(&args, "", &[])?;
    let mut out: Vec<TagRecord> = text
        .lines()
        .filter_map(|line| {
            let mut f = line.splitn(6, '\0');
            let time = f.next()?.trim().parse().ok()?;
            let (kind, object) = (f.next()?, f.next()?);
            let (peeled_kind, peeled) = (f.next()?, f.next()?);
            let name = f.next()?;
            // A tag of a tree or a blob is no release (as everywhere else).
            let commit = match (kind, peeled_kind) {
                ("commit", _) => object,
                ("tag", "commit") => peeled,
                _ => return None,
            };
            Some(TagRecord { name: name.to_owned(), time, commit: commit.to_owned() })
        })
        .filter(|t| !repo.is_ignored_tag(&t.name))
        .collect();
    out.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The tags of `pattern` among `tags` (sorted by name), by name prefix.
pub fn pattern_tags<'t>(tags: &'t [TagRecord], pattern: &TagPattern) -> Vec<&'t TagRecord> {
    let start = tags.partition_point(|t| t.name.as_str() < pattern.prefix());
    tags[start..]
        .iter()
        .take_while(|t| t.name.starts_with(pattern.prefix()))
        .filter(|t| pattern.parse(&t.name).is_some())
        .collect()
}

/// The release units the metrics are over: the project, every service, or one.
pub fn units(repo: &Repo, catalog: Option<&Catalog>, service: Option<&str>) -> Result<Vec<Target>> {
    match (catalog, service) {
        (_, Some(s)) => Ok(vec![Target::resolve(repo, Some(s))?]),
        (Some(c), None) if !c.services.is_empty() => {
            c.services.iter().map(Target::from_service).collect()
        }
        _ => Ok(vec![Target::resolve(repo, None)?]),
    }
}

/// The deployment ledger (SPEC §7), once environments exist; `None` until
/// then, which every deployment figure reports as no data.
pub fn ledger(_repo: &Repo) -> Result<Option<Vec<Deployment>>> {
    Ok(None)
}

/// Gate verdicts given at `validating` transitions (entering it and
/// leaving it) of the trains in `trains` (all without it), as the audit
/// trail records them; `None` when the trail records none at all (a trail
/// written before verdicts were recorded), which is no data, not 0.
pub fn gate_verdicts(
    records: &[Value],
    trains: Option<&BTreeSet<&str>>,
) -> Option<Vec<GateVerdict>> {
    let mut out = Vec::new();
    let mut any = false;
    for r in records {
        let get = |k: &str| r.get(k).and_then(Value::as_str);
        if get("action") != Some("transition")
            || (get("from") != Some("validating") && get("to") != Some("validating"))
        {
            continue;
        }
        let Some(gates) = r.get("gates") else { continue };
        any = true;
        let Some(train) = get("train") else { continue };
        if trains.is_some_and(|set| !set.contains(train)) {
            continue;
        }
        let Some(at) = get("time").and_then(parse_time).map(|t| t.timestamp()) else { continue };
        let verdicts: Vec<Verdict> = serde_json::from_value(gates.clone()).unwrap_or_default();
        out.extend(verdicts.into_iter().map(|v| GateVerdict {
            train: train.to_owned(),
            gate: v.gate,
            passed: v.passed,
            at,
        }));
    }
    any.then_some(out)
}

fn parse_flag(flag: &str, text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    parse_time(text).ok_or_else(|| {
        Error::input(format!("`{flag} {text}` is not a date"))
            .hint("write YYYY-MM-DD or an RFC 3339 time")
    })
}

/// The window of `--since`/`--until` (default: the 90 days before now).
pub fn window(cx: &Context, since: Option<&str>, until: Option<&str>) -> Result<(i64, i64)> {
    let until = match until {
        Some(t) => parse_flag("--until", t)?,
        None => cx.global.now,
    };
    let since = match since {
        Some(t) => parse_flag("--since", t)?,
        None => until - chrono::Duration::days(90),
    };
    if since > until {
        return Err(Error::input(format!(
            "`--since` ({}) is after `--until` ({})",
            since.to_rfc3339(),
            until.to_rfc3339()
        )));
    }
    Ok((since.timestamp(), until.timestamp()))
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// The author time and parents of the commits reachable from `tips` and
/// not from `hide`, in one `git log`.
fn history(repo: &Repo, tips: &[&str], hide: Option<&str>) -> Result<History> {
    if tips.is_empty() {
        return Ok(History::default());
    }
    let mut input = String::with_capacity(41 * (tips.len() + 1) + 1);
    for t in tips {
        input.push_str(t);
        input.push('\n');
    }
    if let Some(h) = hide {
        input.push('^');
        input.push_str(h);
        input.push('\n');
    }
    let args = ["log".to_owned(), "--stdin".to_owned(), "--format=%H %at %P".to_owned()];
    let text = repo.git.git_cli(&args, &input, &[])?;
    Ok(History::parse(&text))
}

/// Computes the metrics: the model `relman metrics` prints and `relman
/// report` renders.
pub fn compute(
    repo: &Repo,
    catalog: Option<&Catalog>,
    service: Option<&str>,
    env: Option<&str>,
    window: (i64, i64),
) -> Result<MetricsReport> {
    let units = units(repo, catalog, service)?;
    let tags = read_tags(repo)?;
    compute_with(repo, catalog, &units, &tags, service, env, window)
}

/// `compute` over units and tags already read.
pub fn compute_with(
    repo: &Repo,
    catalog: Option<&Catalog>,
    units: &[Target],
    tags: &[TagRecord],
    service: Option<&str>,
    env: Option<&str>,
    (since, until): (i64, i64),
) -> Result<MetricsReport> {
    // Each unit's releases, oldest first.
    let mut per_unit: Vec<(String, Vec<&TagRecord>)> = units
        .iter()
        .map(|u| {
            let mut list = pattern_tags(tags, &u.tags);
            list.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.name.cmp(&b.name)));
            (u.name.clone(), list)
        })
        .collect();
    per_unit.retain(|(_, list)| !list.is_empty());
    let release_tags: usize = per_unit.iter().map(|(_, l)| l.len()).sum();
    let in_window = |t: &&&TagRecord| t.time >= since && t.time <= until;

    // Release frequency.
    let mut times = Vec::new();
    let mut by_service = Vec::new();
    for (name, list) in &per_unit {
        let n = list.iter().filter(in_window).inspect(|t| times.push(t.time)).count();
        if n > 0 {
            by_service.push(ServiceReleases {
                service: name.clone(),
                releases: n,
                per_week: metrics::per_week(n, since, until),
            });
        }
    }
    let releases = times.len();
    let release_frequency = ReleaseFrequency {
        releases,
        per_week: metrics::per_week(releases, since, until),
        by_service,
        weekly: metrics::weekly(&times, since, until),
    };

    // Lead time: one history read for every unit with a release in the
    // window; each unit's last release before the window bounds its walk.
    let involved: Vec<(&Vec<&TagRecord>, Option<&TagRecord>)> = per_unit
        .iter()
        .filter(|(_, l)| l.iter().any(|t| in_window(&t)))
        .map(|(_, l)| (l, l.iter().rev().find(|t| t.time < since).copied()))
        .collect();
    let hide = if involved.iter().all(|(_, b)| b.is_some()) {
        involved.iter().filter_map(|(_, b)| *b).min_by_key(|b| b.time).map(|b| b.commit.as_str())
    } else {
        None
    };
    let tips: BTreeSet<&str> = involved
        .iter()
        .flat_map(|(l, _)| l.iter().filter(in_window).map(|t| t.commit.as_str()))
        .collect();
    let tips: Vec<&str> = tips.into_iter().collect();
    let graph = history(repo, &tips, hide)?;
    let mut hours = Vec::new();
    let mut lead_releases = 0;
    for (list, before) in &involved {
        let window_tags: Vec<&&TagRecord> = list.iter().filter(in_window).collect();
        let commits: Vec<&str> = window_tags.iter().map(|t| t.commit.as_str()).collect();
        let before: Vec<&str> = before.iter().map(|b| b.commit.as_str()).collect();
        for (tag, authored) in
            window_tags.iter().zip(metrics::release_commits(&graph, &before, &commits))
        {
            if !authored.is_empty() {
                lead_releases += 1;
            }
            hours.extend(authored.iter().map(|a| (tag.time - a) as f64 / 3600.0));
        }
    }
    let median = metrics::median(&hours);
    let lead_time = LeadTime {
        releases: lead_releases,
        commits: hours.len(),
        median_hours: median,
        p90_hours: metrics::percentile(&hours, 90.0),
        band: median.map(lead_time_band),
    };

    // The audit trail: trains and rollbacks.
    let records = repo.audit_entries()?;
    let trains_of_service: Option<BTreeSet<&str>> = service.zip(catalog).map(|(s, c)| {
        c.trains
            .iter()
            .filter(|t| t.participants.iter().any(|p| p.service == s))
            .map(|t| t.name.as_str())
            .collect()
    });
    let (mut executing, mut rolled_back) = (BTreeSet::new(), BTreeSet::new());
    let mut service_rollbacks = 0;
    for r in &records {
        let get = |k: &str| r.get(k).and_then(Value::as_str);
        let Some(at) = get("time").and_then(parse_time).map(|t| t.timestamp()) else { continue };
        if at < since || at > until {
            continue;
        }
        match get("action") {
            Some("transition") => {
                let Some(train) = get("train") else { continue };
                if trains_of_service.as_ref().is_some_and(|set| !set.contains(train)) {
                    continue;
                }
                match get("to") {
                    Some("executing") => {
                        executing.insert(train.to_owned());
                    }
                    Some("rolled_back") => {
                        rolled_back.insert(train.to_owned());
                    }
                    _ => {}
                }
            }
            Some("rollback")
                if get("train").is_none() && service.is_none_or(|s| get("service") == Some(s)) =>
            {
                service_rollbacks += 1;
            }
            _ => {}
        }
    }
    // A train rolled back in the window counts as having run in it.
    let ran: BTreeSet<&String> = executing.iter().chain(&rolled_back).collect();
    let rollback_rate = RollbackRate {
        trains: Rate::new(rolled_back.len(), ran.len()),
        services: Rate::new(service_rollbacks, releases),
    };

    // Deployments and gate verdicts: not recorded yet.
    let ledger = ledger(repo)?;
    let envs: Vec<String> = env.map(str::to_owned).into_iter().collect();
    let last_env = env;
    let deployments = metrics::deployment_figures(ledger.as_deref(), last_env, &envs, since, until);
    let verdicts = gate_verdicts(&records, trains_of_service.as_ref());
    let gate_pass_rate =
        metrics::gate_pass(verdicts.as_deref(), since, until).map(|(p, n)| Rate::new(p, n));
    Ok(MetricsReport {
        window: Window {
            since: rfc3339(since),
            until: rfc3339(until),
            weeks: metrics::weeks(since, until),
        },
        service: service.map(str::to_owned),
        env: env.map(str::to_owned),
        release_frequency,
        deployment_frequency: Banded::of(deployments.frequency_per_week, deployment_frequency_band),
        lead_time,
        change_failure_rate: Banded::of(deployments.change_failure_rate, change_failure_band),
        rollback_rate,
        deployment_success_rate: ledger.as_ref().map(|_| {
            deployments
                .success_rate
                .iter()
                .map(|(e, r)| EnvRate { env: e.clone(), rate: *r })
                .collect()
        }),
        time_to_recovery: Recovery {
            mean_hours: deployments.recovery_mean_hours,
            median_hours: deployments.recovery_median_hours,
            band: deployments.recovery_median_hours.map(recovery_band),
        },
        gate_pass_rate,
        sources: Sources {
            release_tags,
            audit_records: records.len(),
            deployments: ledger.as_ref().map(Vec::len),
            gate_verdicts: verdicts.as_ref().map(Vec::len),
        },
    })
}

/// Computes and returns the metrics.
pub fn run(cx: &Context, args: &MetricsArgs) -> Result<MetricsReport> {
    let repo = cx.repo()?;
    if let Some(env) = &args.env {
        crate::domain::tag::check_ref_name(env)
            .map_err(|_| Error::input(format!("`--env {env}` is not an environment name")))?;
    }
    let window = window(cx, args.since.as_deref(), args.until.as_deref())?;
    let catalog = repo.catalog_optional()?;
    compute(repo, catalog.as_ref(), args.service.as_deref(), args.env.as_deref(), window)
}
