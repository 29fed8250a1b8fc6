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
use crate::domain::catalog::{Hook, Hooks};
use crate::domain::deploy::{self as model, Outcome};
use crate::domain::environment::Environment;
use crate::domain::policy::Strategy;
use crate::domain::redact::Secrets;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::repo::ledger::{Progress, Records};
use crate::repo::transaction::Transaction;

pub(crate) use gate::tag_exists as gate_tag;
pub(crate) use gate::{approvals as gate_approvals, confirm_what, promotion as gate_promotion};
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

/// What to deploy: `relman deploy`'s arguments, or a train's participant.
pub(crate) struct Request<'a> {
    /// The service (`None`: the single project).
    pub(crate) service: Option<&'a str>,
    /// The version, as written.
    pub(crate) version: &'a str,
    /// The environment's name.
    pub(crate) env: &'a str,
    /// `--strategy`.
    pub(crate) strategy: Option<&'a str>,
    /// `--initial-traffic`.
    pub(crate) initial_traffic: Option<u64>,
    /// `--approved-by ROLE=WHO`.
    pub(crate) approved_by: &'a [String],
    /// The train deploying it (`RELMAN_TRAIN` for its hooks).
    pub(crate) train: Option<&'a str>,
    /// Confirmed already (a train asks before it releases anything).
    pub(crate) confirmed: bool,
}

/// A deployment checked against the policy and the catalog: everything
/// but its tag, which a train makes later.
pub(crate) struct Prepared {
    pub(crate) env: Environment,
    pub(crate) strategy: Strategy,
    pub(crate) unit: Unit,
    pub(crate) service: String,
    pub(crate) version: String,
    /// The version's tag, when it was asked for and exists.
    pub(crate) tag: Option<String>,
    deploy_hook: Hook,
}

/// Runs `relman deploy`.
pub fn run(cx: &Context, args: &DeployArgs) -> Result<DeployReport> {
    let repo = cx.repo()?;
    let req = Request {
        service: args.service.as_deref(),
        version: &args.version,
        env: &args.env,
        strategy: args.strategy.as_deref(),
        initial_traffic: args.initial_traffic,
        approved_by: &args.approved_by,
        train: None,
        confirmed: false,
    };
    let prepared = prepare(repo, &req, true)?;
    let tag = prepared.tag.clone().unwrap_or_default();
    let (mut tx, _) = cx.transaction(repo)?;
    // With `--push`, a clone the remote has moved past is refused before
    // any check or hook runs, with nothing written (SPEC §6.5).
    tx.check_upstream_now()?;
    deploy_in(cx, repo, &mut tx, &req, prepared, &tag)
}

/// Checks `req` against the policy and the catalog (the environment, the
/// strategy, with `tag` the version's tag, the service's hooks), before
/// any lock is taken.
pub(crate) fn prepare(repo: &Repo, req: &Request<'_>, tag: bool) -> Result<Prepared> {
    let env = environment(repo, req.env)?;
    let strategy = strategy(req.strategy, &env)?;
    if req.initial_traffic.is_some() && strategy != Strategy::Canary {
        return Err(Error::input("`--initial-traffic` applies to the canary strategy")
            .hint("add `--strategy canary`"));
    }
    if let Some(pct) = req.initial_traffic
        && env.canary_steps.get(1).is_some_and(|next| pct >= *next)
    {
        return Err(Error::input(format!(
            "`--initial-traffic {pct}` is not below the canary's next step ({}%)",
            env.canary_steps[1]
        )));
    }
    let unit = unit(repo, req.service)?;
    let service = unit.target.name.clone();
    let version = Version::parse(req.version)?.to_string();
    let tag = if tag { Some(gate::tag_exists(repo, &unit.target, &version)?) } else { None };
    let Some(deploy_hook) = unit.hooks.deploy.clone() else {
        let place = if req.service.is_some() {
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
    Ok(Prepared { env, strategy, unit, service, version, tag, deploy_hook })
}

/// The result recorded in `env`'s ledger for a deployment of `version`
/// of `service`, if one is (the newest).
pub(crate) fn recorded(
    repo: &Repo,
    env: &str,
    service: &str,
    version: &str,
) -> Result<Option<Outcome>> {
    let newest = |l: &model::Ledger| {
        l.history
            .iter()
            .rev()
            .find(|e| e.kind == model::Kind::Deploy && e.service == service && e.version == version)
            .map(|e| e.result)
    };
    let ledger = repo.ledger(env)?;
    if let Some(found) = newest(&ledger) {
        return Ok(Some(found));
    }
    if ledger.sealed == 0 {
        return Ok(None);
    }
    Ok(newest(&repo.ledger_history(env)?))
}

/// Deploys what `prepare` checked, at `tag`, through `tx` (the deploy
/// command's own, or the train's): every step of SPEC 7 from the
/// promotion order on, recorded as one commit. A dry run returns the
/// plan and writes nothing.
pub(crate) fn deploy_in(
    cx: &Context,
    repo: &Repo,
    tx: &mut Transaction<'_>,
    req: &Request<'_>,
    prepared: Prepared,
    tag: &str,
) -> Result<DeployReport> {
    let Prepared { env, strategy, unit, service, version, deploy_hook, .. } = prepared;
    let mut ledger = repo.ledger_in(tx, &env.name)?;
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
    let promotion = gate::promotion(cx, repo, &env, &service, &version, tag)?;
    let secrets = Secrets::from_env(&cx.global.env);
    let given = gate::given_approvals(cx, req.approved_by, &env, &service, &version, &secrets)?;
    let approvals = gate::approvals(repo, &env, &ledger, &service, &version, &given)?;
    let live = ledger.live.get(&service).cloned();
    let slot =
        (strategy == Strategy::BlueGreen).then(|| model::idle_slot(live.as_ref()).to_owned());
    let plan = model::steps(strategy, &env, req.initial_traffic);
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
    if !req.confirmed {
        gate::confirm(cx, &env, &service, &version)?;
    }
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
        train: req.train,
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
    report.commit = record::record(cx, repo, tx, &mut ledger, &env, &deployment)
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
