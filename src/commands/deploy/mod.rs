//! `relman deploy VERSION ENV [--service S] [--strategy S]
//! [--initial-traffic PCT] [--approved-by ROLE=WHO]` (SPEC §7).
//!
//! In order, stopping at the first failure: the version's tag exists; the
//! promotion order (the version is live, or was deployed, in the
//! environment before; a critical hotfix may skip it and says so); the
//! environment's approvals, each with its audit record; its checks; then
//! the strategy's hooks, each recorded as it starts and ends
//! (`repo/ledger.rs`), a failing one putting the previous version back;
//! last the ledger and the audit trail in one commit.

mod announce;
pub mod approve;
mod gate;
mod record;
mod report;
mod steps;

use super::Context;
use super::target::Target;
use crate::cli::DeployArgs;
use crate::domain::catalog::Hooks;
use crate::domain::deploy::{self as model, Outcome};
use crate::domain::environment::Environment;
use crate::domain::policy::Strategy;
use crate::domain::redact::Secrets;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::repo::ledger::{Progress, Records};

pub(crate) use gate::tag_exists as gate_tag;
pub use report::{DeployReport, StepReport};

/// The project or service deployed, with its hooks.
pub struct Unit {
    /// Its tags and name.
    pub target: Target,
    /// Its hooks.
    pub hooks: Hooks,
}

/// Resolves `service` (or the single project), with its hooks.
pub fn unit(repo: &Repo, service: Option<&str>) -> Result<Unit> {
    match service {
        Some(name) => {
            let target = Target::resolve(repo, Some(name))?;
            let catalog = repo.catalog()?;
            let hooks = catalog.service(name).map(|s| s.hooks.clone()).unwrap_or_default();
            Ok(Unit { target, hooks })
        }
        None => {
            if repo.catalog_optional()?.is_some_and(|c| !c.services.is_empty()) {
                return Err(Error::input(
                    "this repository has a catalog of services: name the one to deploy",
                )
                .hint("pass `--service SERVICE`"));
            }
            let target = Target::resolve(repo, None)?;
            Ok(Unit { target, hooks: repo.config.project_hooks.clone() })
        }
    }
}

/// The environment named `name` in the policy's order.
pub fn environment(repo: &Repo, name: &str) -> Result<Environment> {
    let policies = repo.policies()?;
    let names: Vec<&str> = policies.environments.iter().map(|e| e.name.as_str()).collect();
    policies.environments.iter().find(|e| e.name == name).cloned().ok_or_else(|| {
        let hint = crate::domain::suggestion::did_you_mean(name, names.iter().copied())
            .unwrap_or_else(|| format!("the environments are: {}", names.join(", ")));
        Error::unknown("environment", &name.escape_debug().to_string(), Some(hint))
    })
}

fn strategy(flag: Option<&str>, env: &Environment) -> Result<Strategy> {
    match flag {
        None => Ok(env.strategy),
        Some("rolling") => Ok(Strategy::Rolling),
        Some("blue-green") => Ok(Strategy::BlueGreen),
        Some("canary") => Ok(Strategy::Canary),
        Some(other) => {
            let known = ["rolling", "blue-green", "canary"];
            Err(Error::input(format!("`--strategy {}` is not a strategy", other.escape_debug()))
                .hint(
                    crate::domain::suggestion::did_you_mean(other, known)
                        .unwrap_or_else(|| "use rolling, blue-green or canary".into()),
                ))
        }
    }
}

/// Runs `relman deploy`.
pub fn run(cx: &Context, args: &DeployArgs) -> Result<DeployReport> {
    let repo = cx.repo()?;
    let env = environment(repo, &args.env)?;
    let strategy = strategy(args.strategy.as_deref(), &env)?;
    if args.initial_traffic.is_some() && strategy != Strategy::Canary {
        return Err(Error::input("`--initial-traffic` applies to the canary strategy")
            .hint("add `--strategy canary`"));
    }
    if let Some(pct) = args.initial_traffic
        && env.canary_steps.get(1).is_some_and(|next| pct >= *next)
    {
        return Err(Error::input(format!(
            "`--initial-traffic {pct}` is not below the canary's next step ({}%)",
            env.canary_steps[1]
        )));
    }
    let unit = unit(repo, args.service.as_deref())?;
    let service = unit.target.name.clone();
    let version = Version::parse(&args.version)?.to_string();
    let tag = gate::tag_exists(repo, &unit.target, &version)?;
    let Some(deploy_hook) = unit.hooks.deploy.clone() else {
        let place = if args.service.is_some() {
            format!("`hooks.deploy` of `{service}` in the catalog's services.yaml")
        } else {
            "`project.hooks.deploy` in relman.yaml".to_owned()
        };
        return Err(
            Error::input(format!("`{service}` has no `deploy` hook")).hint(format!("add {place}"))
        );
    };
    if strategy == Strategy::BlueGreen && unit.hooks.switch.is_none() {
        return Err(Error::input(format!(
            "`{service}` has no `switch` hook, which a blue-green deployment needs"
        )));
    }
    let (mut tx, _) = cx.transaction(repo)?;
    // With `--push`, a clone the remote has moved past is refused before
    // any check or hook runs, with nothing written (SPEC §6.5).
    tx.check_upstream_now()?;
    let mut ledger = repo.ledger_in(&tx, &env.name)?;
    let records = Records::of(repo, &env.name);
    let resumed = if cx.global.dry_run {
        gate::Resume::Fresh
    } else {
        gate::resume(
            cx,
            &records,
            &ledger,
            &service,
            &version,
            strategy,
            &super::release::who(repo),
        )?
    };
    let resumed = match resumed {
        gate::Resume::Recorded(entry) => {
            // The killed run was stopped before it told anyone.
            let report = DeployReport::recorded(&env.name, &entry);
            announce::notify_recorded(cx, repo, &report, entry.reason.as_deref())?;
            return Ok(report);
        }
        gate::Resume::GoOn(p) => Some(p),
        gate::Resume::Fresh => None,
    };
    let promotion = gate::promotion(cx, repo, &env, &service, &version, &tag)?;
    let secrets = Secrets::from_env(&cx.global.env);
    let given = gate::given_approvals(cx, &args.approved_by, &env, &service, &version, &secrets)?;
    let approvals = gate::approvals(repo, &env, &ledger, &service, &version, &given)?;
    let live = ledger.live.get(&service).cloned();
    let slot =
        (strategy == Strategy::BlueGreen).then(|| model::idle_slot(live.as_ref()).to_owned());
    let plan = model::steps(strategy, &env, args.initial_traffic);
    let mut report = DeployReport {
        env: env.name.clone(),
        service: service.clone(),
        version: version.clone(),
        previous: live.as_ref().map(|l| l.version.clone()),
        strategy,
        slot: slot.clone(),
        promotion,
        checks: env.checks.iter().map(ToString::to_string).collect(),
        approvals: approvals.clone(),
        steps: plan.iter().map(|s| StepReport::planned(s, slot.as_deref(), &version)).collect(),
        result: None,
        rolled_back_to: None,
        commit: None,
        dry_run: cx.global.dry_run,
    };
    if cx.global.dry_run {
        return Ok(report);
    }
    gate::confirm(cx, &env, &service, &version)?;
    let mut progress = match resumed {
        Some(p) => p,
        None => {
            gate::checks(cx, repo, &env, &service, &version)?;
            Progress {
                after: ledger.count,
                version: version.clone(),
                at: cx.global.time(),
                strategy: strategy.to_string(),
                ..Progress::default()
            }
        }
    };
    let started = std::time::Instant::now();
    let run = steps::Run {
        cx,
        repo,
        env: &env,
        records: &records,
        service: &service,
        version: &version,
        previous: live.as_ref().map(|l| l.version.clone()),
        strategy,
        slot: slot.clone(),
        old_slot: live.as_ref().and_then(|l| l.slot.clone()),
        hooks: &unit.hooks,
        deploy_hook: &deploy_hook,
    };
    let ended = run.strategy(&plan, &mut progress, &mut report)?;
    let rollback = match &ended {
        steps::Ended::Passed => None,
        steps::Ended::Failed(step) if env.auto_rollback => {
            Some(run.roll_back(step, &mut progress, &mut report)?)
        }
        steps::Ended::Failed(_) => None,
    };
    let outcome = match (&ended, &rollback) {
        (steps::Ended::Passed, _) => Outcome::Succeeded,
        (_, Some(r)) if r.passed => Outcome::RolledBack,
        _ => Outcome::Failed,
    };
    let reason = rollback.as_ref().map(|r| r.reason.clone());
    let deployment = record::Deployment {
        service: &service,
        version: &version,
        strategy,
        slot,
        traffic: plan.last().map_or(100, |s| s.traffic),
        progress: &progress,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        outcome,
        failed: match &ended {
            steps::Ended::Failed(s) => Some(s.clone()),
            steps::Ended::Passed => None,
        },
        rollback,
        approvals: &approvals,
        given: &given,
    };
    report.commit = record::record(cx, repo, &mut tx, &mut ledger, &env, &deployment)
        .map_err(|e| record::unrecorded(e, &env.name, &service, &version, &progress))?;
    // Recorded: what the hooks did is in the ledger now.
    records.clear(&service)?;
    report.result = Some(outcome);
    if outcome == Outcome::RolledBack {
        report.rolled_back_to = report.previous.clone();
    }
    announce::notify_recorded(cx, repo, &report, reason.as_deref())?;
    Ok(report)
}
