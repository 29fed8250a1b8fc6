//! `rollback --train NAME`: a train's released participants in reverse order.

use super::for_service::{hook_vars, running_version};
use std::time::{Duration, Instant};

use super::{Planned, RollbackReport, STAYS, rollback_tag};
use crate::cli::RollbackArgs;
use crate::commands::Context;
use crate::commands::hook_run::run_logged;
use crate::commands::release;
use crate::commands::target::{Pending, Target};
use crate::commands::train::lifecycle::Engine;
use crate::domain::audit::Event;
use crate::domain::catalog::Hook;
use crate::domain::train::{self, Move, Phase, RollbackRecord, Status};
use crate::domain::version::Version;
use crate::error::{Error, Result};

/// The released participants of a train, last released first.
fn train_plan(engine: &Engine<'_, '_>, with_tags: bool) -> Result<Vec<Planned>> {
    let (_, repo) = engine.parts();
    let catalog = engine.catalog();
    let steps = engine.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for step in steps.iter().rev() {
        let Some(p) = engine.state.participant(&step.service) else { continue };
        let released =
            matches!(p.phase, Phase::Tagged | Phase::Released | Phase::Healthy | Phase::Failed);
        let done = p.phase == Phase::RolledBack;
        if !released && !done {
            continue;
        }
        let service = catalog
            .service(&step.service)
            .ok_or_else(|| Error::unknown("service", &step.service, None))?;
        let tag = if with_tags {
            let target = Target::from_service(service)?;
            Some(rollback_tag(repo, &target.tags.render(&step.from))?)
        } else {
            None
        };
        out.push(Planned {
            service: step.service.clone(),
            from: step.to.to_string(),
            to: step.from.to_string(),
            rollback_hook: service.hooks.rollback.as_ref().map(ToString::to_string),
            health_hook: service.hooks.health.as_ref().map(ToString::to_string),
            done,
            tag,
        });
    }
    Ok(out)
}

pub(super) fn train_rollback(
    cx: &Context,
    name: &str,
    args: &RollbackArgs,
) -> Result<RollbackReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    let done = engine.state.status == Status::RolledBack;
    if let (false, Err(refused)) =
        (done, train::transition(engine.state.status, Move::RollBack, engine.state.paused_from))
    {
        return Err(Error::refused(refused.to_string()));
    }
    let plan = train_plan(&engine, args.tag)?;
    if done {
        // The same rollback run again after it finished (a CI job retried
        // after its run was killed past the last commit): nothing is left.
        cx.ui.step(&format!("train `{name}` is rolled back already: nothing left to roll back"));
        return Ok(RollbackReport {
            train: Some(name.to_owned()),
            env: None,
            reason: args.reason.clone(),
            plan,
            rolled_back: Vec::new(),
            failed: None,
            not_rolled_back: Vec::new(),
            out_of_time: None,
            status: Some(Status::RolledBack),
            recorded_only: STAYS.map(str::to_owned).to_vec(),
            dry_run: cx.global.dry_run,
        });
    }
    refuse_past_newer(cx, &engine, &plan)?;
    let mut report = RollbackReport {
        train: Some(name.to_owned()),
        env: None,
        reason: args.reason.clone(),
        plan: plan.clone(),
        rolled_back: Vec::new(),
        failed: None,
        not_rolled_back: Vec::new(),
        out_of_time: None,
        status: Some(engine.state.status),
        recorded_only: STAYS.map(str::to_owned).to_vec(),
        dry_run: cx.global.dry_run,
    };
    if cx.global.dry_run {
        return Ok(report);
    }
    let outcome = roll_back_planned(&mut engine, &plan, &args.reason, args.tag)?;
    if outcome.failed.is_some() {
        report.not_rolled_back = plan
            .iter()
            .filter(|p| !p.done && !outcome.done.contains(&p.service))
            .map(|p| p.service.clone())
            .collect();
    }
    report.rolled_back = outcome.done;
    report.failed = outcome.failed;
    report.out_of_time = outcome.out_of_time;
    report.status = Some(engine.state.status);
    Ok(report)
}

/// A participant released again since the train (and not rolled back
/// since) would be put back past that newer release: refused, naming it,
/// or asked on a terminal when `--yes` was not given.
fn refuse_past_newer(cx: &Context, engine: &Engine<'_, '_>, plan: &[Planned]) -> Result<()> {
    let (_, repo) = engine.parts();
    let mut newer = Vec::new();
    for p in plan.iter().filter(|p| !p.done) {
        let Some(service) = engine.catalog().service(&p.service) else { continue };
        let target = Target::from_service(service)?;
        let Some(last) = Pending::read(repo, &target)?.last else { continue };
        let running = running_version(repo, &p.service, &last.version)?;
        if running > Version::parse(&p.from)? {
            newer.push(format!(
                "`{}` {} (tag `{}`), newer than the train's {}",
                p.service,
                running,
                target.tags.render(&running),
                p.from
            ));
        }
    }
    if newer.is_empty() {
        return Ok(());
    }
    let what =
        format!("rolling the train back would go past a newer release: {}", newer.join("; "));
    if cx.global.interactive && !cx.global.yes && !cx.global.dry_run {
        let go = dialoguer::Confirm::new()
            .with_prompt(format!("{what}. Roll back past it?"))
            .default(false)
            .interact()
            .map_err(|e| Error::refused(format!("no confirmation: {e}")))?;
        return if go { Ok(()) } else { Err(Error::refused("rollback not confirmed")) };
    }
    Err(Error::refused(what).hint(
        "roll the newer release back first (`relman rollback SERVICE --reason ...`), or run on a terminal without `--yes` to confirm",
    ))
}

/// Rolls a train back (also the automatic rollback of verifying).
pub fn roll_back_train(engine: &mut Engine<'_, '_>, reason: &str) -> Result<()> {
    let plan = train_plan(engine, false)?;
    let outcome = roll_back_planned(engine, &plan, reason, false)?;
    if outcome.failed.is_some() {
        engine.body.code = 4;
    }
    Ok(())
}

/// How a rollback of planned services ended.
struct Rolled {
    /// The services rolled back.
    done: Vec<String>,
    /// The one whose hook failed (or that the time ran out at).
    failed: Option<String>,
    /// The train's `rollback.timeout`, when it was used up.
    out_of_time: Option<u64>,
}

/// Rolls back each planned service not done yet; the train ends
/// `rolled_back`, or `failed` when a hook fails or the train's
/// `rollback.timeout` is used up (the rest left for the next run). That
/// timeout bounds the whole: each hook's is the smaller of the policy's
/// and what remains of it.
fn roll_back_planned(
    engine: &mut Engine<'_, '_>,
    plan: &[Planned],
    reason: &str,
    with_tags: bool,
) -> Result<Rolled> {
    let (cx, repo) = engine.parts();
    let timeout = Duration::from_secs(repo.policies()?.rollback_timeout);
    let whole = engine.train.rollback_timeout;
    let deadline = whole.and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
    let train_name = engine.train.name.clone();
    // Per service: its hooks, and the commit of the version restored.
    let mut found: Vec<(Option<Hook>, Option<Hook>, Option<String>)> = Vec::new();
    for p in plan {
        let Some(service) = engine.catalog().service(&p.service) else {
            found.push((None, None, None));
            continue;
        };
        let restored = Target::from_service(service)?.tags.render(&Version::parse(&p.to)?);
        found.push((
            service.hooks.rollback.clone(),
            service.hooks.health.clone(),
            repo.git.tag_commit(&restored)?,
        ));
    }
    let mut done = Vec::new();
    if engine.state.rolling_back.is_none() {
        // The decision is recorded before the first hook runs: a rollback
        // interrupted from here on is resumed, never forgotten.
        engine.state.rolling_back = Some(reason.to_owned());
        engine.record(
            Event::RollbackStarted {
                train: train_name.clone(),
                reason: reason.to_owned(),
                who: release::who(repo),
            },
            format!("chore(release): train {train_name} rolling back"),
        )?;
    }
    for (p, (rollback, health, restored)) in plan.iter().zip(found) {
        if p.done {
            continue;
        }
        let (vars, restored_vars) = hook_vars(p, Some(&train_name), reason);
        let mut ok = true;
        let mut out_of_time = false;
        for (name, hook, vars) in
            [("rollback", &rollback, &vars), ("health", &health, &restored_vars)]
        {
            let Some(hook) = hook else { continue };
            if name == "rollback"
                && let Some(at) = engine.hook_passed(&p.service, "rollback")
            {
                // A run stopped after it: never run a finished rollback twice.
                cx.ui.step(&format!(
                    "{}: its `rollback` hook passed at {at}; not run again",
                    p.service
                ));
                continue;
            }
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left.is_some_and(|l| l.is_zero()) {
                (ok, out_of_time) = (false, true);
                break;
            }
            let bound = left.map_or(timeout, |l| l.min(timeout));
            let started = engine.hook_started(&p.service, name)?;
            let outcome = run_logged(cx, repo, &train_name, &p.service, name, hook, vars, bound)?;
            engine.hook_ended(&p.service, name, started, &outcome)?;
            if outcome.timed_out || outcome.code != Some(0) {
                ok = false;
                out_of_time = outcome.timed_out && left.is_some_and(|l| l < timeout);
                break;
            }
        }
        if !ok {
            // What is rolled back is recorded already; the rest waits for
            // the next run. An active train fails.
            let why = match (out_of_time, whole) {
                (true, Some(secs)) => format!(
                    "the rollback ran out of its time (rollback.timeout {secs}s) at `{}`",
                    p.service
                ),
                _ => format!("the rollback of `{}` failed", p.service),
            };
            // Whatever it was, a train whose rollback failed is failed
            // (SPEC 5); the same rollback run again goes on.
            if engine.state.status != Status::Failed {
                engine.state.failure =
                    Some(train::Failure { service: Some(p.service.clone()), reason: why.clone() });
                engine.body.failure = engine.state.failure.clone();
                engine.transition(Move::Fail, Some(why))?;
            }
            return Ok(Rolled {
                done,
                failed: Some(p.service.clone()),
                out_of_time: whole.filter(|_| out_of_time),
            });
        }
        let at = cx.global.time();
        engine.state.participant_mut(&p.service).phase = Phase::RolledBack;
        engine.state.rollbacks.push(RollbackRecord {
            service: p.service.clone(),
            from: p.from.clone(),
            to: p.to.clone(),
            at,
            reason: reason.to_owned(),
        });
        if let (true, Some(tag), Some(commit)) = (with_tags, &p.tag, restored) {
            engine.tx().tag_at(
                tag.clone(),
                format!("{tag}\n\nrollback: {reason}\n"),
                false,
                commit,
            );
        }
        engine.record(
            Event::Rollback {
                train: Some(train_name.clone()),
                service: p.service.clone(),
                from: p.from.clone(),
                to: p.to.clone(),
                reason: reason.to_owned(),
                who: release::who(repo),
            },
            format!("chore(release): roll back {} {} → {}", p.service, p.from, p.to),
        )?;
        done.push(p.service.clone());
    }
    engine.state.failure = None;
    engine.state.rolling_back = None;
    engine.transition(Move::RollBack, Some(reason.to_owned()))?;
    Ok(Rolled { done, failed: None, out_of_time: None })
}
