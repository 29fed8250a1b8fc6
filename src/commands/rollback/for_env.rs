//! `rollback --env ENV [SERVICE] [--to VERSION]`: an environment put back
//! to the version it ran before (or `--to`), through the ledger (SPEC §7):
//! the `rollback` hook (default: the `deploy` hook with the older
//! version), or for blue-green a `switch` back to the other slot; then the
//! `health` hook; recorded in the ledger and the audit trail, one commit.

use std::time::{Duration, Instant};

use super::{Planned, RollbackReport};
use crate::cli::RollbackArgs;
use crate::commands::Context;
use crate::commands::hook_run::run_logged;
use crate::commands::release;
use crate::domain::audit::Event;
use crate::domain::deploy::{Entry, Kind, Ledger, Live, Outcome, idle_slot};
use crate::domain::policy::Strategy;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::failpoint::failpoint;
use crate::hooks;
use crate::repo::ledger::{Progress, Records};

pub(super) fn env_rollback(
    cx: &Context,
    env_name: &str,
    service: Option<&str>,
    args: &RollbackArgs,
) -> Result<RollbackReport> {
    let repo = cx.repo()?;
    let env = super::super::deploy::environment(repo, env_name)?;
    let unit = super::super::deploy::unit(repo, service)?;
    let name = unit.target.name.clone();
    let (mut tx, _) = cx.transaction(repo)?;
    let mut ledger = repo.ledger_in(&tx, &env.name)?;
    let records = Records::rollbacks_of(repo, &env.name);
    let resumed = if cx.global.dry_run { None } else { records.read(&name)? };
    if let Some(p) = &resumed
        && let Some(done) = recorded(&ledger, &name, p, &release::who(repo))
    {
        // The commit was made and the run killed before it forgot this.
        records.clear(&name)?;
        cx.ui.warn(&format!(
            "the rollback of `{name}` in `{}` to {} started at {} was recorded by the interrupted run; not run again",
            env.name, done.version, p.at
        ));
        return Ok(recorded_report(&env.name, &done, args));
    }
    // Another clone recorded the same rollback first (the remote refused
    // this one's push): the version the interrupted run put back is live,
    // by the other's record; this one's is done with.
    if let Some(p) = &resumed
        && ledger.live.get(&name).is_some_and(|l| l.version == p.version)
        && let Some(done) = ledger
            .history
            .iter()
            .rev()
            .find(|e| e.service == name && e.version == p.version && e.result == Outcome::Succeeded)
            .cloned()
    {
        records.clear(&name)?;
        cx.ui.warn(&format!(
            "`{name}` {} is live in `{}` already, recorded by {} at {}: the interrupted rollback started at {} is not recorded again",
            p.version, env.name, done.by, done.at, p.at
        ));
        return Ok(recorded_report(&env.name, &done, args));
    }
    let Some(live) = ledger.live.get(&name).cloned() else {
        return Err(Error::refused(format!("nothing of `{name}` is deployed to `{}`", env.name)));
    };
    let to = match &args.to {
        Some(v) => Version::parse(v)?.to_string(),
        None => live.previous.clone().ok_or_else(|| {
            Error::refused(format!(
                "`{}` ran no version of `{name}` before {}",
                env.name, live.version
            ))
            .hint("name the version to restore with `--to`")
        })?,
    };
    if let Some(p) = resumed.as_ref().filter(|p| p.version != to) {
        return Err(Error::refused(format!(
            "a rollback of `{name}` in `{}` to {} (started {}) was interrupted before it was recorded",
            env.name, p.version, p.at
        ))
        .hint(format!(
            "run `relman rollback --env {} --to {} ...` again to finish it; its hooks that passed are not run again",
            env.name, p.version
        )));
    }
    if to == live.version {
        return Err(Error::refused(format!("`{name}` {to} is live in `{}` already", env.name)));
    }
    super::super::deploy::gate_tag(repo, &unit.target, &to)?;
    let blue_green = live.strategy == Strategy::BlueGreen;
    if blue_green && live.previous.as_deref() != Some(to.as_str()) {
        return Err(Error::refused(format!(
            "a blue-green rollback switches back to the other slot, which holds {}",
            live.previous.as_deref().unwrap_or("nothing")
        ))
        .hint(format!("deploy {to} with `relman deploy {to} {}` instead", env.name)));
    }
    let hook = if blue_green {
        unit.hooks.switch.clone()
    } else {
        unit.hooks.rollback.clone().or_else(|| unit.hooks.deploy.clone())
    };
    let slot = blue_green.then(|| idle_slot(Some(&live)).to_owned());
    let planned = Planned {
        service: name.clone(),
        from: live.version.clone(),
        to: to.clone(),
        rollback_hook: hook.as_ref().map(ToString::to_string),
        health_hook: unit.hooks.health.as_ref().map(ToString::to_string),
        done: false,
        tag: None,
    };
    let mut report = RollbackReport {
        train: None,
        env: Some(env.name.clone()),
        reason: args.reason.clone(),
        plan: vec![planned],
        rolled_back: Vec::new(),
        failed: None,
        not_rolled_back: Vec::new(),
        out_of_time: None,
        status: None,
        recorded_only: vec!["tags stay (they are history)".into()],
        dry_run: cx.global.dry_run,
    };
    if cx.global.dry_run {
        return Ok(report);
    }
    // With `--push`, a clone behind the remote is refused before a hook runs.
    tx.check_upstream_now()?;
    let started = Instant::now();
    let mut progress = resumed.unwrap_or_else(|| Progress {
        after: ledger.count,
        version: to.clone(),
        at: cx.global.time(),
        strategy: live.strategy.to_string(),
        ..Progress::default()
    });
    let at = progress.at.clone();
    let vars = |version: &str, previous: &str| {
        let mut v: hooks::Vars = vec![
            (hooks::env::SERVICE, name.clone()),
            (hooks::env::VERSION, version.to_owned()),
            (hooks::env::PREVIOUS_VERSION, previous.to_owned()),
            (hooks::env::ENV, env.name.clone()),
            (hooks::env::STRATEGY, live.strategy.to_string()),
            (hooks::env::TRAFFIC, "100".to_owned()),
            (hooks::env::REASON, args.reason.clone()),
        ];
        if let Some(s) = &slot {
            v.push((hooks::env::SLOT, s.clone()));
        }
        v
    };
    let label = format!("_env-{}", env.name);
    let hook_name = if blue_green { "switch" } else { "rollback" };
    let timeout = Duration::from_secs(env.timeout);
    let health_timeout = Duration::from_secs(repo.policies()?.health_check_timeout);
    // A `rollback` hook gets the version rolled back and the one restored,
    // as `rollback SERVICE` gives them; the `deploy` hook in its place,
    // `switch` and `health` get the version put in service.
    let own_hook = !blue_green && unit.hooks.rollback.is_some();
    let undo = if own_hook { vars(&live.version, &to) } else { vars(&to, &live.version) };
    let restored = vars(&to, &live.version);
    for (hook_name, hook, timeout, vars) in [
        (hook_name, &hook, timeout, &undo),
        ("health", &unit.hooks.health, health_timeout, &restored),
    ] {
        let Some(hook) = hook else { continue };
        if progress.passed.iter().any(|k| k == hook_name) {
            cx.ui.step(&format!(
                "{name}: `{hook_name}` passed in the interrupted run; not run again"
            ));
            continue;
        }
        if progress.running.as_deref() == Some(hook_name) {
            cx.ui.warn(&format!(
                "{name}: its `{hook_name}` hook was interrupted mid-run; running it again"
            ));
        }
        progress.running = Some(hook_name.to_owned());
        records.write(&name, &progress)?;
        failpoint("before a hook")?;
        let outcome = run_logged(cx, repo, &label, &name, hook_name, hook, vars, timeout)?;
        progress.running = None;
        let ok = !outcome.timed_out && outcome.code == Some(0);
        if ok {
            progress.passed.push(hook_name.to_owned());
        }
        records.write(&name, &progress)?;
        failpoint("after a hook")?;
        if !ok {
            report.failed = Some(name.clone());
            return Ok(report);
        }
    }
    let who = release::who(repo);
    let sealed = ledger.push(Entry {
        n: 0,
        kind: Kind::Rollback,
        service: name.clone(),
        version: to.clone(),
        previous: Some(live.version.clone()),
        strategy: live.strategy,
        slot: slot.clone(),
        traffic: 100,
        by: who.clone(),
        at: at.clone(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        result: Outcome::Succeeded,
        reason: Some(args.reason.clone()),
        approvals: Vec::new(),
    });
    ledger.live.insert(
        name.clone(),
        Live {
            version: to.clone(),
            previous: Some(live.version.clone()),
            strategy: live.strategy,
            slot,
            traffic: 100,
            at: at.clone(),
        },
    );
    repo.save_ledger(&mut tx, &ledger, sealed)?;
    let event = Event::DeployRollback {
        env: env.name.clone(),
        service: name.clone(),
        from: live.version.clone(),
        to: to.clone(),
        reason: args.reason.clone(),
        who,
    };
    tx.audit(event.record(&at))?;
    tx.commit(format!("chore(release): roll back {name} in {} {} → {to}", env.name, live.version));
    tx.finish().map_err(|e| unrecorded(e, &env.name, &name, &to, &progress))?;
    // Recorded: what the hooks did is in the ledger now.
    records.clear(&name)?;
    let mut vars = restored;
    vars.push((crate::commands::notify::env::RESULT, Outcome::Succeeded.as_str().to_owned()));
    crate::commands::notify::notify(cx, repo, "rollback", &vars)?;
    report.rolled_back.push(name);
    Ok(report)
}

/// The ledger's entry for the rollback `p` records, when the interrupted
/// run committed it.
fn recorded(ledger: &Ledger, service: &str, p: &Progress, by: &str) -> Option<Entry> {
    ledger
        .history
        .iter()
        .find(|e| {
            e.kind == Kind::Rollback
                && e.by == by
                && e.n > p.after
                && e.service == service
                && e.version == p.version
                && e.at == p.at
        })
        .cloned()
}

/// What an interrupted run recorded, as this run's report.
fn recorded_report(env: &str, e: &Entry, args: &RollbackArgs) -> RollbackReport {
    RollbackReport {
        train: None,
        env: Some(env.to_owned()),
        reason: e.reason.clone().unwrap_or_else(|| args.reason.clone()),
        plan: vec![Planned {
            service: e.service.clone(),
            from: e.previous.clone().unwrap_or_default(),
            to: e.version.clone(),
            rollback_hook: None,
            health_hook: None,
            done: true,
            tag: None,
        }],
        rolled_back: vec![e.service.clone()],
        failed: None,
        not_rolled_back: Vec::new(),
        out_of_time: None,
        status: None,
        recorded_only: vec!["recorded by the interrupted run".into()],
        dry_run: false,
    }
}

/// A rollback whose hooks ran and whose record the remote refused (or that
/// failed after its hooks): says so, and how to finish it.
fn unrecorded(mut e: Error, env: &str, service: &str, to: &str, progress: &Progress) -> Error {
    if progress.passed.is_empty() {
        return e;
    }
    e.problems.push(crate::error::Problem::new(format!(
        "the hooks ran: `{service}` was put back to {to} in `{env}` ({} passed), and the ledger does not record it",
        progress.passed.join(", ")
    )));
    e.problems.push(crate::error::Problem::new(
        "fetch (`git pull --ff-only`) and run the same command again: it records the rollback without running the hooks that passed again, or says that another clone recorded it",
    ));
    e
}
