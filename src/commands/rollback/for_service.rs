//! `rollback SERVICE [--to VERSION]`: one service, outside any train.

use std::time::Duration;

use super::{Planned, RollbackReport, STAYS, rollback_tag};
use crate::cli::RollbackArgs;
use crate::commands::Context;
use crate::commands::hook_run::run_logged;
use crate::commands::release;
use crate::commands::target::{Pending, Target};
use crate::domain::audit::Event;
use crate::domain::train::{Phase, RollbackRecord};
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::hooks;

/// `rollback SERVICE [--to VERSION]`: one service, outside any train.
pub(super) fn service_rollback(
    cx: &Context,
    name: &str,
    args: &RollbackArgs,
) -> Result<RollbackReport> {
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
        env: None,
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
    report.rolled_back.push(name.to_owned());
    crate::commands::notify::notify(cx, repo, "rollback", &vars)?;
    Ok(report)
}

/// The variables of a service's `rollback` hook (the version rolled back
/// and the one restored) and of the `health` hook after it, which probes
/// the version restored.
pub(super) fn hook_vars(
    p: &Planned,
    train: Option<&str>,
    reason: &str,
) -> (hooks::Vars, hooks::Vars) {
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
pub(super) fn running_version(
    repo: &crate::repo::Repo,
    service: &str,
    newest: &Version,
) -> Result<Version> {
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
