//! The figures over a window, from what `read` gives (SPEC §8).

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::target::Target;
use super::read::{TagRecord, gate_verdicts, history, ledger, pattern_tags};
use super::report::{
    Banded, EnvRate, LeadTime, MetricsReport, Rate, Recovery, ReleaseFrequency, RollbackRate,
    ServiceReleases, Sources, Window,
};
use super::rfc3339;
use crate::domain::catalog::Catalog;
use crate::domain::metrics::{
    self, change_failure_band, deployment_frequency_band, lead_time_band, recovery_band,
};
use crate::domain::suggestion;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::settings::parse_time;

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

    // Deployments: the ledger of the environment asked, else of the last
    // one in `order` (production); no other environment's file is read.
    let env = environment(repo, env)?;
    let envs: Vec<String> = env.iter().cloned().collect();
    let ledger = ledger(repo, &envs, service)?;
    let deployments =
        metrics::deployment_figures(ledger.as_deref(), env.as_deref(), &envs, since, until);
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
        env,
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

/// The environment whose deployments count: `--env`, which must be in the
/// policy's `order`, else the last one of `order`.
fn environment(repo: &Repo, env: Option<&str>) -> Result<Option<String>> {
    let order = repo.policies()?.environments;
    let names: Vec<&str> = order.iter().map(|e| e.name.as_str()).collect();
    match env {
        None => Ok(names.last().map(|n| (*n).to_owned())),
        Some(e) if names.contains(&e) => Ok(Some(e.to_owned())),
        Some(e) => {
            let mut err = Error::input(format!("`--env {e}` is not in `environments.order`"));
            if let Some(h) = suggestion::hint(e, &names, "environments") {
                err = err.hint(h);
            }
            Err(err)
        }
    }
}
