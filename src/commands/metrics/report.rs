//! The `relman.metrics/1` model and its human rendering.

use std::io::{self, Write};

use serde::Serialize;

use crate::domain::metrics::{self, Band, Week};
use crate::output::{Report, Style};

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
    pub(super) fn of(value: Option<f64>, band: fn(f64) -> Band) -> Self {
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
    pub(super) fn new(count: usize, of: usize) -> Self {
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
