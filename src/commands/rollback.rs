//! `relman rollback (--train NAME | SERVICE [--to VERSION]) --reason TEXT`
//! (SPEC §5).
//!
//! A train is rolled back in the exact reverse of the order it released
//! its participants: for each, its `rollback` hook runs with the version
//! restored in `RELMAN_PREVIOUS_VERSION`, then its `health` hook, and the
//! rollback is recorded (state and audit, one commit per service), so a
//! second run after a failing hook continues with the services not yet
//! rolled back. Tags are history and stay; version files are not changed.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::Context;
use super::release;
use super::target::{Pending, Target};
use super::train::hooks::run_logged;
use super::train::lifecycle::Engine;
use crate::cli::RollbackArgs;
use crate::domain::audit::Event;
use crate::domain::catalog::Hook;
use crate::domain::redact::Secrets;
use crate::domain::train::{self, Move, Phase, RollbackRecord, Status};
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::hooks;
use crate::output::{Report, Style};

/// One service in a rollback's plan.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    /// The service.
    pub service: String,
    /// The version it is at.
    pub from: String,
    /// The version restored.
    pub to: String,
    /// The `rollback` hook, if it has one: what is undone.
    pub rollback_hook: Option<String>,
    /// The `health` hook run after it.
    pub health_hook: Option<String>,
    /// Rolled back by an earlier run already.
    pub done: bool,
    /// The `<tag>-rollback.<n>` tag made with `--tag`.
    pub tag: Option<String>,
}

/// `relman rollback` result (schema `relman.rollback/1`).
#[derive(Debug, Clone, Serialize)]
pub struct RollbackReport {
    /// The train, when rolling a train back.
    pub train: Option<String>,
    /// The reason given.
    pub reason: String,
    /// The services in the order they are rolled back.
    pub plan: Vec<Planned>,
    /// Services rolled back by this run.
    pub rolled_back: Vec<String>,
    /// The service whose hook failed, if one did.
    pub failed: Option<String>,
    /// The services a stopped rollback did not roll back, in order (shown;
    /// not in the JSON contract, where `plan`, `rolled_back` and `failed`
    /// tell it).
    #[serde(skip)]
    pub not_rolled_back: Vec<String>,
    /// The train's `rollback.timeout` (seconds), when the rollback ran out
    /// of it (shown; not in the JSON contract).
    #[serde(skip)]
    pub out_of_time: Option<u64>,
    /// Where the train is now.
    pub status: Option<Status>,
    /// What stays as it is: tags and version files.
    pub recorded_only: Vec<String>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl Report for RollbackReport {
    const SCHEMA: &'static str = "relman.rollback/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let what = self.train.as_deref().map_or_else(String::new, |t| format!("train {t}: "));
        let verb = if self.dry_run { "would roll back" } else { "rollback" };
        writeln!(w, "{}{verb} in this order (reason: {}):", st.bold(&what), self.reason)?;
        for (i, p) in self.plan.iter().enumerate() {
            let done = if p.done { " (rolled back already)" } else { "" };
            writeln!(w, "  {}. {} {} → {}{done}", i + 1, p.service, p.from, p.to)?;
            match &p.rollback_hook {
                Some(h) => writeln!(w, "       undone by its rollback hook: {h}")?,
                None => writeln!(w, "       no rollback hook: only recorded")?,
            }
            if let Some(h) = &p.health_hook {
                writeln!(w, "       then its health hook: {h}")?;
            }
            if let Some(t) = &p.tag {
                writeln!(w, "       tagged {t}")?;
            }
        }
        for r in &self.recorded_only {
            writeln!(w, "  stays: {r}")?;
        }
        if let (Some(f), Some(secs)) = (&self.failed, self.out_of_time) {
            writeln!(
                w,
                "{}: the rollback ran out of its time (rollback.timeout {secs}s) at {f}; not rolled back: {}; run the same command again to continue",
                st.red("stopped"),
                self.not_rolled_back.join(", ")
            )?;
        } else if let Some(f) = &self.failed {
            writeln!(
                w,
                "{}: the rollback of {f} failed; not rolled back: {}; run the same command again to continue",
                st.red("stopped"),
                self.not_rolled_back.join(", ")
            )?;
        } else if let Some(s) = self.status {
            writeln!(w, "train is {s}")?;
        }
        Ok(())
    }

    fn exit_code(&self) -> u8 {
        if self.failed.is_some() { 4 } else { 0 }
    }
}

const STAYS: [&str; 2] =
    ["tags stay (they are history)", "version files and changelogs are not changed"];

/// Runs `relman rollback`.
pub fn run(cx: &Context, args: &RollbackArgs) -> Result<RollbackReport> {
    confirm(cx, args)?;
    // The reason is redacted before it is stored anywhere (state, tag,
    // audit line) or handed to a hook (SPEC §6.4).
    let RollbackArgs { train, service, to, reason, tag } = args;
    let args = &RollbackArgs {
        train: train.clone(),
        service: service.clone(),
        to: to.clone(),
        reason: Secrets::from_env(&cx.global.env).redact(reason),
        tag: *tag,
    };
    match (&args.train, &args.service) {
        (Some(train), _) => train_rollback(cx, train, args),
        (None, Some(service)) => service_rollback(cx, service, args),
        (None, None) => Err(Error::input("name a train (`--train NAME`) or a service")),
    }
}

/// A rollback asks first on a terminal; without one it needs `--yes`.
fn confirm(cx: &Context, args: &RollbackArgs) -> Result<()> {
    if cx.global.dry_run || cx.global.yes {
        return Ok(());
    }
    let what = args.train.as_ref().map_or_else(
        || format!("service `{}`", args.service.as_deref().unwrap_or_default()),
        |t| format!("train `{t}`"),
    );
    if !cx.global.interactive {
        return Err(Error::refused(format!(
            "rolling back {what} needs a confirmation, and there is no terminal to ask on"
        ))
        .hint("pass `--yes` to confirm, or `--dry-run` to see what it would do"));
    }
    let go = dialoguer::Confirm::new()
        .with_prompt(format!("Roll back {what}?"))
        .default(false)
        .interact()
        .map_err(|e| Error::refused(format!("no confirmation: {e}")))?;
    if go { Ok(()) } else { Err(Error::refused("rollback not confirmed")) }
}

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

/// The next free `<tag>-rollback.<n>`.
fn rollback_tag(repo: &crate::repo::Repo, tag: &str) -> Result<String> {
    for n in 1.. {
        let name = format!("{tag}-rollback.{n}");
        if repo.git.tag_commit(&name)?.is_none() {
            return Ok(name);
        }
    }
    unreachable!("some n is free")
}

fn train_rollback(cx: &Context, name: &str, args: &RollbackArgs) -> Result<RollbackReport> {
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
    let deadline = whole.map(|secs| Instant::now() + Duration::from_secs(secs));
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

/// `rollback SERVICE [--to VERSION]`: one service, outside any train.
fn service_rollback(cx: &Context, name: &str, args: &RollbackArgs) -> Result<RollbackReport> {
    let repo = cx.repo()?;
    let (mut tx, _) = cx.transaction(repo)?;
    let catalog = repo.catalog()?;
    let service = catalog.service(name).ok_or_else(|| {
        Error::unknown(
            "service",
            name,
            crate::domain::suggestion::did_you_mean(name, catalog.known_names()),
        )
    })?;
    let target = Target::from_service(service)?;
    let pending = Pending::read(repo, &target)?;
    let Some(last) = &pending.last else {
        return Err(Error::refused(format!("`{name}` has no release to roll back")));
    };
    // A rollback recorded earlier put the service back already: the next
    // one goes on from there (SPEC §5).
    let current = running_version(repo, name, &last.version)?;
    let to = match &args.to {
        Some(v) => Version::parse(v)?,
        None => previous_release(repo, &target, &current)?.ok_or_else(|| {
            Error::refused(format!("`{name}` has no release before {current}"))
                .hint("name the version to restore with `--to`")
        })?,
    };
    let restored_tag = target.tags.render(&to);
    let Some(restored_commit) = repo.git.tag_commit(&restored_tag)? else {
        return Err(Error::refused(format!(
            "there is no release {to} of `{name}` (no tag `{restored_tag}`)"
        )));
    };
    let tag = if args.tag { Some(rollback_tag(repo, &restored_tag)?) } else { None };
    let planned = Planned {
        service: name.to_owned(),
        from: current.to_string(),
        to: to.to_string(),
        rollback_hook: service.hooks.rollback.as_ref().map(ToString::to_string),
        health_hook: service.hooks.health.as_ref().map(ToString::to_string),
        done: false,
        tag: tag.clone(),
    };
    let mut report = RollbackReport {
        train: None,
        reason: args.reason.clone(),
        plan: vec![planned.clone()],
        rolled_back: Vec::new(),
        failed: None,
        not_rolled_back: Vec::new(),
        out_of_time: None,
        status: None,
        recorded_only: STAYS.map(str::to_owned).to_vec(),
        dry_run: cx.global.dry_run,
    };
    if cx.global.dry_run {
        return Ok(report);
    }
    let timeout = Duration::from_secs(repo.policies()?.rollback_timeout);
    let (vars, restored_vars) = hook_vars(&planned, None, &args.reason);
    for (hook_name, hook, vars) in [
        ("rollback", &service.hooks.rollback, &vars),
        ("health", &service.hooks.health, &restored_vars),
    ] {
        let Some(hook) = hook else { continue };
        let outcome = run_logged(cx, repo, "_services", name, hook_name, hook, vars, timeout)?;
        if outcome.timed_out || outcome.code != Some(0) {
            report.failed = Some(name.to_owned());
            return Ok(report);
        }
    }
    if let Some(tag) = &tag {
        tx.tag_at(
            tag.clone(),
            format!("{tag}\n\nrollback: {}\n", args.reason),
            false,
            restored_commit,
        );
    }
    let at = cx.global.time();
    let train = record_in_train(repo, &catalog, &mut tx, &planned, &args.reason, &at)?;
    let event = Event::Rollback {
        train,
        service: name.to_owned(),
        from: planned.from.clone(),
        to: planned.to.clone(),
        reason: args.reason.clone(),
        who: release::who(repo),
    };
    tx.audit(event.record(&at))?;
    let vars = [
        (hooks::env::SERVICE, name.to_owned()),
        (hooks::env::VERSION, planned.to.to_string()),
        (hooks::env::PREVIOUS_VERSION, planned.from.to_string()),
        (hooks::env::REASON, args.reason.clone()),
    ];
    tx.commit(format!("chore(release): roll back {name} {} → {}", planned.from, planned.to));
    tx.finish()?;
    super::notify::notify(cx, repo, "rollback", &vars);
    report.rolled_back.push(name.to_owned());
    Ok(report)
}

/// The variables of a service's `rollback` hook (the version rolled back
/// and the one restored) and of the `health` hook after it, which probes
/// the version restored.
fn hook_vars(p: &Planned, train: Option<&str>, reason: &str) -> (hooks::Vars, hooks::Vars) {
    let vars = |version: &str, previous: &str| {
        let mut v = vec![
            (hooks::env::SERVICE, p.service.clone()),
            (hooks::env::VERSION, version.to_owned()),
            (hooks::env::PREVIOUS_VERSION, previous.to_owned()),
            (hooks::env::REASON, reason.to_owned()),
        ];
        if let Some(train) = train {
            v.push((hooks::env::TRAIN, train.to_owned()));
        }
        v
    };
    (vars(&p.from, &p.to), vars(&p.to, &p.from))
}

/// The version `service` runs: its newest release, unless the last
/// rollback of it recorded in the audit trail (every segment) restored an
/// older one since (no release newer than the version that rollback left).
fn running_version(repo: &crate::repo::Repo, service: &str, newest: &Version) -> Result<Version> {
    let mut last: Option<(Version, Version)> = None;
    for record in repo.audit_entries()? {
        if record["action"] != "rollback" || record["service"] != service {
            continue;
        }
        let version = |key: &str| record[key].as_str().and_then(|v| Version::parse(v).ok());
        if let (Some(from), Some(to)) = (version("from"), version("to")) {
            last = Some((from, to));
        }
    }
    Ok(match last {
        Some((from, to)) if *newest <= from => to,
        _ => newest.clone(),
    })
}

/// The highest release of `target` below `version`.
fn previous_release(
    repo: &crate::repo::Repo,
    target: &Target,
    version: &Version,
) -> Result<Option<Version>> {
    let tags = repo.git.tags_by_commit(target.tags.prefix())?;
    Ok(tags
        .values()
        .flatten()
        .filter(|t| !repo.is_ignored_tag(t))
        .filter_map(|t| target.tags.parse(t))
        .filter(|v| v < version)
        .max())
}

/// `rollback SERVICE` of a version a train released: recorded in that
/// train's state too (SPEC 5), in the same commit: the participant rolled
/// back, and the rollback among the train's. Returns the train, if any.
fn record_in_train(
    repo: &crate::repo::Repo,
    catalog: &crate::domain::catalog::Catalog,
    tx: &mut crate::repo::transaction::Transaction<'_>,
    planned: &Planned,
    reason: &str,
    at: &str,
) -> Result<Option<String>> {
    for train in catalog
        .trains
        .iter()
        .filter(|t| t.participants.iter().any(|p| p.service == planned.service))
    {
        let (mut state, mut memo) = repo.train_state_for_writing(train)?;
        let released = state.plan.as_ref().is_some_and(|plan| {
            plan.steps
                .iter()
                .any(|s| s.service == planned.service && s.to.to_string() == planned.from)
        });
        let phase = state.participant(&planned.service).map(|p| p.phase);
        if !released || !matches!(phase, Some(Phase::Released | Phase::Healthy | Phase::Tagged)) {
            continue;
        }
        state.participant_mut(&planned.service).phase = Phase::RolledBack;
        state.rollbacks.push(RollbackRecord {
            service: planned.service.clone(),
            from: planned.from.clone(),
            to: planned.to.clone(),
            at: at.to_owned(),
            reason: reason.to_owned(),
        });
        let serial = state.serial;
        crate::repo::state::save(tx, repo, &mut state, serial, &mut memo, Some(&planned.service))?;
        return Ok(Some(train.name.clone()));
    }
    Ok(None)
}
