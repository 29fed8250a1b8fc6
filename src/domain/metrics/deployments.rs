//! The figures read from the deployment ledger (SPEC §7): frequency,
//! change failure rate, success rate per environment, time to recovery.

use serde::Serialize;

use super::HOUR;
use super::stats::{mean, median, per_week, ratio};
use crate::domain::deploy::{self, Entry, Kind};

/// How a deployment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Deployed and healthy.
    Succeeded,
    /// Failed (not rolled back).
    Failed,
    /// Failed and rolled back.
    RolledBack,
}

/// One deployment from the ledger (SPEC §7), as the metrics read it.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The service (or project).
    pub service: String,
    /// The environment.
    pub env: String,
    /// When it finished, unix seconds.
    pub at: i64,
    /// How it ended.
    pub outcome: Outcome,
}

/// The deployments of one environment's history (oldest first), as the
/// metrics count them. Each `deploy` entry is a deployment, at the time it
/// started, ended as recorded: succeeded, failed, or rolled back (a health
/// check failing with `auto_rollback`). A `rollback` entry is no deployment
/// of its own: one that puts back the version before a successful
/// deployment still live (`relman rollback --env`) turns that deployment
/// into a rolled-back one; the automatic one follows a deployment already
/// recorded as rolled back and changes nothing. An entry whose time does
/// not read is left out.
pub fn from_ledger(env: &str, history: &[Entry]) -> Vec<Deployment> {
    let mut out: Vec<Deployment> = Vec::new();
    // The version of each deployment in `out`.
    let mut versions: Vec<String> = Vec::new();
    for e in history {
        match e.kind {
            Kind::Deploy => {
                let Ok(at) = chrono::DateTime::parse_from_rfc3339(&e.at) else { continue };
                out.push(Deployment {
                    service: e.service.clone(),
                    env: env.to_owned(),
                    at: at.timestamp(),
                    outcome: match e.result {
                        deploy::Outcome::Succeeded => Outcome::Succeeded,
                        deploy::Outcome::Failed => Outcome::Failed,
                        deploy::Outcome::RolledBack => Outcome::RolledBack,
                    },
                });
                versions.push(e.version.clone());
            }
            Kind::Rollback if e.result == deploy::Outcome::Succeeded => {
                let last = out.iter().zip(&versions).rposition(|(d, _)| d.service == e.service);
                if let Some(i) = last
                    && out[i].outcome == Outcome::Succeeded
                    && e.previous.as_deref() == Some(versions[i].as_str())
                {
                    out[i].outcome = Outcome::RolledBack;
                }
            }
            Kind::Rollback => {}
        }
    }
    out
}

/// The deployment-based figures; each `None` without deployments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentFigures {
    /// Successful deployments to the last environment a week.
    pub frequency_per_week: Option<f64>,
    /// Failed or rolled-back deployments to the last environment over all of them.
    pub change_failure_rate: Option<f64>,
    /// Per environment: successful deployments over all.
    pub success_rate: Vec<(String, Option<f64>)>,
    /// Mean hours from a failed deployment to the next successful one.
    pub recovery_mean_hours: Option<f64>,
    /// Median of the same.
    pub recovery_median_hours: Option<f64>,
}

/// Computes the deployment rows from a ledger, if there is one: `None`
/// (no ledger yet) gives every figure as no data. `last_env` is the last
/// environment of `order`; `envs` the environments to report.
pub fn deployment_figures(
    ledger: Option<&[Deployment]>,
    last_env: Option<&str>,
    envs: &[String],
    since: i64,
    until: i64,
) -> DeploymentFigures {
    let empty = DeploymentFigures {
        frequency_per_week: None,
        change_failure_rate: None,
        success_rate: envs.iter().map(|e| (e.clone(), None)).collect(),
        recovery_mean_hours: None,
        recovery_median_hours: None,
    };
    let Some(ledger) = ledger else { return empty };
    let mut all: Vec<&Deployment> =
        ledger.iter().filter(|d| d.at >= since && d.at <= until).collect();
    all.sort_by_key(|d| d.at);
    let last: Vec<&&Deployment> = all.iter().filter(|d| Some(d.env.as_str()) == last_env).collect();
    let ok = |d: &Deployment| d.outcome == Outcome::Succeeded;
    let succeeded = last.iter().filter(|d| ok(d)).count();
    let mut recoveries = Vec::new();
    for (i, d) in all.iter().enumerate() {
        if ok(d) {
            continue;
        }
        // Only the first failure of a run of failures starts a recovery.
        let earlier_failure = all[..i]
            .iter()
            .rev()
            .find(|e| e.service == d.service && e.env == d.env)
            .is_some_and(|e| !ok(e));
        if earlier_failure {
            continue;
        }
        if let Some(next) =
            all[i + 1..].iter().find(|e| e.service == d.service && e.env == d.env && ok(e))
        {
            recoveries.push((next.at - d.at) as f64 / HOUR);
        }
    }
    DeploymentFigures {
        frequency_per_week: per_week(succeeded, since, until),
        change_failure_rate: ratio(last.len() - succeeded, last.len()),
        success_rate: envs
            .iter()
            .map(|e| {
                let here: Vec<&&Deployment> = all.iter().filter(|d| &d.env == e).collect();
                (e.clone(), ratio(here.iter().filter(|d| ok(d)).count(), here.len()))
            })
            .collect(),
        recovery_mean_hours: mean(&recoveries),
        recovery_median_hours: median(&recoveries),
    }
}
