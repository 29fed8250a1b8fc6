//! A deployment's result in the ledger and the audit trail, one commit.

use super::super::Context;
use super::super::release::who;
use super::steps::RolledBack;
use crate::domain::audit::Event;
use crate::domain::deploy::{Approval, Entry, Kind, Ledger, Live, Outcome};
use crate::domain::environment::Environment;
use crate::domain::policy::Strategy;
use crate::error::{Error, Problem, Result};
use crate::repo::Repo;
use crate::repo::ledger::Progress;
use crate::repo::transaction::Transaction;

/// What a deployment did.
pub(crate) struct Deployment<'a> {
    pub(crate) service: &'a str,
    pub(crate) version: &'a str,
    pub(crate) strategy: Strategy,
    pub(crate) slot: Option<String>,
    pub(crate) traffic: u64,
    pub(crate) progress: &'a Progress,
    pub(crate) duration_ms: u64,
    pub(crate) outcome: Outcome,
    /// The step that failed.
    pub(crate) failed: Option<String>,
    pub(crate) rollback: Option<RolledBack>,
    /// The approvals it was made with.
    pub(crate) approvals: &'a [Approval],
    /// The approvals given on the command line (recorded now).
    pub(crate) given: &'a [Approval],
}

/// Records `d` in `env`'s ledger and the audit trail, and commits.
pub(crate) fn record(
    cx: &Context,
    repo: &Repo,
    tx: &mut Transaction<'_>,
    ledger: &mut Ledger,
    env: &Environment,
    d: &Deployment<'_>,
) -> Result<Option<String>> {
    let by = who(repo);
    let previous = ledger.live.get(d.service).map(|l| l.version.clone());
    for a in d.given {
        let event = Event::DeployApproval {
            env: env.name.clone(),
            service: a.service.clone(),
            version: a.version.clone(),
            role: a.role.clone(),
            by: a.by.clone(),
        };
        tx.audit(event.record(&a.at))?;
    }
    let succeeded = d.outcome == Outcome::Succeeded;
    if succeeded {
        // Approvals are spent by the deployment they allowed.
        ledger.approvals.retain(|a| !(a.service == d.service && a.version == d.version));
    } else {
        ledger.approvals.extend(d.given.iter().cloned());
    }
    let entry = Entry {
        n: 0,
        kind: Kind::Deploy,
        service: d.service.to_owned(),
        version: d.version.to_owned(),
        previous: previous.clone(),
        strategy: d.strategy,
        slot: d.slot.clone(),
        traffic: d.traffic,
        by: by.clone(),
        at: d.progress.at.clone(),
        duration_ms: d.duration_ms,
        result: d.outcome,
        reason: d.failed.as_ref().map(|f| format!("`{f}` failed")),
        approvals: if succeeded { d.approvals.to_vec() } else { Vec::new() },
    };
    let mut sealed = ledger.push(entry);
    tx.audit(
        Event::Deploy {
            env: env.name.clone(),
            service: d.service.to_owned(),
            version: d.version.to_owned(),
            previous: previous.clone(),
            strategy: d.strategy.to_string(),
            slot: d.slot.clone(),
            result: d.outcome.as_str().to_owned(),
            who: by.clone(),
        }
        .record(&d.progress.at),
    )?;
    if succeeded {
        ledger.live.insert(
            d.service.to_owned(),
            Live {
                version: d.version.to_owned(),
                previous,
                strategy: d.strategy,
                slot: d.slot.clone(),
                traffic: d.traffic,
                at: d.progress.at.clone(),
            },
        );
    }
    if let Some(r) = &d.rollback
        && let Some(to) = &r.to
    {
        let at = cx.global.time();
        let old_slot = ledger.live.get(d.service).and_then(|l| l.slot.clone());
        let entry = Entry {
            n: 0,
            kind: Kind::Rollback,
            service: d.service.to_owned(),
            version: to.clone(),
            previous: Some(d.version.to_owned()),
            strategy: d.strategy,
            slot: old_slot,
            traffic: 100,
            by: "relman".into(),
            at: at.clone(),
            duration_ms: 0,
            result: if r.passed { Outcome::Succeeded } else { Outcome::Failed },
            reason: Some(r.reason.clone()),
            approvals: Vec::new(),
        };
        if let Some(s) = ledger.push(entry) {
            // Two entries in one step: the first filled the open part.
            repo.save_ledger(tx, ledger, Some(s))?;
        }
        let event = Event::DeployRollback {
            env: env.name.clone(),
            service: d.service.to_owned(),
            from: d.version.to_owned(),
            to: to.clone(),
            reason: r.reason.clone(),
            who: "relman".into(),
        };
        tx.audit(event.record(&at))?;
    }
    repo.save_ledger(tx, ledger, sealed.take())?;
    let verb = match d.outcome {
        Outcome::Succeeded => "deploy",
        Outcome::Failed => "deploy (failed)",
        Outcome::RolledBack => "deploy (rolled back)",
    };
    tx.commit(format!("chore(release): {verb} {} {} to {}", d.service, d.version, env.name));
    // `--push` plugs in here, on the transaction, before it is finished (issue 22).
    let finished = tx.finish_step()?;
    Ok(finished.commit)
}

/// The error of a deployment whose hooks ran and whose record was not
/// made (the remote refused the push, the commit failed): it says loudly
/// that the hooks ran. The progress record stays, so the same command,
/// run again (after `git pull --ff-only` when the remote moved), records
/// the deployment without running the hooks that passed again.
pub(crate) fn unrecorded(
    mut e: Error,
    env: &str,
    service: &str,
    version: &str,
    progress: &Progress,
) -> Error {
    if progress.passed.is_empty() {
        return e;
    }
    e.problems.push(Problem::new(format!(
        "the hooks ran: `{service}` {version} in `{env}` ({} passed), and the ledger does not record it",
        progress.passed.join(", ")
    )));
    e.problems.push(Problem::new(
        "fetch and run the same command again: it records the deployment without running the hooks that passed again",
    ));
    e
}
