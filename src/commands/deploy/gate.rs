//! What a deployment must pass before any hook deploys: the tag, the
//! promotion order, the approvals, the environment's checks; and what a
//! killed deployment left.

use std::time::Duration;

use super::super::Context;
use super::super::target::Target;
use crate::domain::deploy::{self as model, Approval, Ledger};
use crate::domain::environment::Environment;
use crate::domain::redact::Secrets;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::repo::ledger::{Progress, Records};

/// The version's tag, which must exist.
pub(crate) fn tag_exists(repo: &Repo, target: &Target, version: &str) -> Result<String> {
    let v = Version::parse(version)?;
    let tag = target.tags.render(&v);
    if repo.git.tag_commit(&tag)?.is_none() {
        return Err(Error::refused(format!(
            "there is no release {version} of `{}` (no tag `{tag}`)",
            target.name
        ))
        .hint("deploy a released version: `relman create` makes the tag"));
    }
    Ok(tag)
}

/// What a killed deployment of `service` to this environment left.
pub(crate) enum Resume {
    /// Nothing: a fresh deployment.
    Fresh,
    /// The progress to go on from (the same version).
    GoOn(Progress),
    /// The deployment was recorded, and the run killed right after.
    Recorded(model::Entry),
}

/// What a killed deployment of `service` to this environment left: see
/// [`Resume`]; another version half done is refused.
pub(crate) fn resume(
    cx: &Context,
    records: &Records,
    ledger: &Ledger,
    service: &str,
    version: &str,
    strategy: crate::domain::policy::Strategy,
    by: &str,
) -> Result<Resume> {
    let Some(p) = records.read(service)? else { return Ok(Resume::Fresh) };
    // Another clone's deployment of the same version at the same second
    // (fetched after the remote refused this one's push) is not this one's.
    let recorded = ledger.history.iter().find(|e| {
        e.kind == model::Kind::Deploy
            && e.by == by
            && e.n > p.after
            && e.service == service
            && e.version == p.version
            && e.at == p.at
    });
    if let Some(entry) = recorded {
        // The commit was made and the run killed before it forgot this.
        records.clear(service)?;
        if p.version == version {
            cx.ui.warn(&format!(
                "the deployment of `{service}` {version} started at {} was recorded by the interrupted run; not deployed again",
                p.at
            ));
            return Ok(Resume::Recorded(entry.clone()));
        }
        return Ok(Resume::Fresh);
    }
    if p.version != version {
        return Err(Error::refused(format!(
            "a deployment of `{service}` {} (started {}) was interrupted before it was recorded",
            p.version, p.at
        ))
        .hint(format!(
            "run `relman deploy {} ...` again to finish it; its hooks that passed are not run again",
            p.version
        )));
    }
    if p.strategy != strategy.as_str() {
        return Err(Error::refused(format!(
            "the interrupted deployment of `{service}` {version} was {}; this one is {strategy}",
            p.strategy
        ))
        .hint(format!("run it again with `--strategy {}` to finish it", p.strategy)));
    }
    if p.passed.is_empty() && p.running.is_none() && p.failed.is_none() {
        return Ok(Resume::Fresh);
    }
    cx.ui.warn(&format!(
        "going on with the deployment of `{service}` {version} started at {}: {} passed already",
        p.at,
        if p.passed.is_empty() { "no hook".to_owned() } else { p.passed.join(", ") }
    ));
    Ok(Resume::GoOn(p))
}

/// The promotion rule: the version is recorded as deployed to the
/// environment before (the first needs none); a critical hotfix may skip
/// it, and says so. Returns what allowed it.
pub(crate) fn promotion(
    cx: &Context,
    repo: &Repo,
    env: &Environment,
    service: &str,
    version: &str,
    tag: &str,
) -> Result<String> {
    let policies = repo.policies()?;
    let Some(before) = model::before(&policies.environments, &env.name) else {
        return Ok(format!("`{}` is the first environment of the order", env.name));
    };
    let ledger = repo.ledger(&before.name)?;
    let deployed = ledger.has_succeeded(service, version)
        || (ledger.sealed > 0
            && repo
                .ledger_history(&before.name)?
                .history
                .iter()
                .any(|e| model::is_success_of(e, service, version)));
    if deployed {
        return Ok(format!("deployed to `{}` before", before.name));
    }
    let critical = repo
        .git
        .tag_message(tag)
        .is_some_and(|m| m.lines().any(|l| l.trim() == "Urgency: critical"));
    if critical {
        let said = format!(
            "{service} {version} is a critical hotfix: it skips the promotion order (not deployed to `{}`)",
            before.name
        );
        cx.ui.warn(&said);
        return Ok(said);
    }
    let order: Vec<&str> = policies.environments.iter().map(|e| e.name.as_str()).collect();
    Err(Error::rejected(format!(
        "`{service}` {version} is not deployed to `{}` yet: environments are promoted in order ({})",
        before.name,
        order.join(" → ")
    ))
    .hint(format!("deploy it to `{}` first; only a critical hotfix skips the order", before.name)))
}

/// The approvals given with `--approved-by ROLE=WHO`, checked against
/// the roles the environment asks for.
pub(crate) fn given_approvals(
    cx: &Context,
    texts: &[String],
    env: &Environment,
    service: &str,
    version: &str,
    secrets: &Secrets,
) -> Result<Vec<Approval>> {
    let mut out: Vec<Approval> = Vec::new();
    for text in texts {
        let (role, by) = crate::domain::change_control::parse_approval(text)
            .map_err(|m| Error::input(m).hint("write `--approved-by ROLE=WHO`"))?;
        if !env.approvals.contains(&role) {
            return Err(Error::input(format!(
                "`--approved-by {}=...`: `{}` asks for no such role",
                role.escape_debug(),
                env.name
            ))
            .hint(role_hint(env)));
        }
        if out.iter().any(|a| a.role == role) {
            return Err(Error::input(format!("`--approved-by {role}=...` is given twice")));
        }
        out.push(Approval {
            service: service.to_owned(),
            version: version.to_owned(),
            role,
            by: secrets.redact(&by),
            at: cx.global.time(),
        });
    }
    Ok(out)
}

/// What the environment asks for, for a hint.
pub(crate) fn role_hint(env: &Environment) -> String {
    if env.approvals.is_empty() {
        format!("`{}` asks for no approvals", env.name)
    } else {
        format!("`{}` asks for: {}", env.name, env.approvals.join(", "))
    }
}

/// The approvals of `version` of `service` the environment asks for:
/// each recorded in the ledger with its audit record, or given now.
/// Refuses (exit 1) naming the roles missing.
pub(crate) fn approvals(
    repo: &Repo,
    env: &Environment,
    ledger: &Ledger,
    service: &str,
    version: &str,
    given: &[Approval],
) -> Result<Vec<Approval>> {
    if env.approvals.is_empty() {
        return Ok(Vec::new());
    }
    let candidates: Vec<&Approval> = ledger
        .approvals
        .iter()
        .filter(|a| a.service == service && a.version == version && env.approvals.contains(&a.role))
        .collect();
    let audited = if candidates.is_empty() { Vec::new() } else { repo.audit_entries()? };
    let mut out: Vec<Approval> = Vec::new();
    for a in candidates {
        let has_record = audited.iter().any(|r| {
            r["action"] == "deploy_approval"
                && r["env"] == env.name.as_str()
                && r["service"] == a.service.as_str()
                && r["version"] == a.version.as_str()
                && r["role"] == a.role.as_str()
                && r["by"] == a.by.as_str()
                && r["time"] == a.at.as_str()
        });
        if has_record && !out.iter().any(|o| o.role == a.role) {
            out.push(a.clone());
        }
    }
    for a in given {
        if !out.iter().any(|o| o.role == a.role) {
            out.push(a.clone());
        }
    }
    let missing: Vec<&String> =
        env.approvals.iter().filter(|r| !out.iter().any(|a| &a.role == *r)).collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        return Err(Error::rejected(format!(
            "deploying `{service}` {version} to `{}` needs the approval of: {}",
            env.name,
            names.join(", ")
        ))
        .hint(format!(
            "record it with `relman approve --env {} --version {version} --role {}` (add `--service` for a service), or pass `--approved-by {}=WHO`",
            env.name, names[0], names[0]
        )));
    }
    Ok(out)
}

/// A deployment to an environment that asks for approvals is confirmed
/// on a terminal; without one it needs `--yes`.
pub(crate) fn confirm(cx: &Context, env: &Environment, service: &str, version: &str) -> Result<()> {
    confirm_what(cx, env, &format!("`{service}` {version} to `{}`", env.name))
}

/// Confirms deploying `what` to `env` (see [`confirm`]).
pub(crate) fn confirm_what(cx: &Context, env: &Environment, what: &str) -> Result<()> {
    if env.approvals.is_empty() || cx.global.yes {
        return Ok(());
    }
    if !cx.global.interactive {
        return Err(Error::refused(format!(
            "deploying {what} needs a confirmation, and there is no terminal to ask on"
        ))
        .hint("pass `--yes` to confirm, or `--dry-run` to see what it would do"));
    }
    let go = dialoguer::Confirm::new()
        .with_prompt(format!("Deploy {what}?"))
        .default(false)
        .interact()
        .map_err(|e| Error::refused(format!("no confirmation: {e}")))?;
    if go { Ok(()) } else { Err(Error::refused("deployment not confirmed")) }
}

/// Runs the environment's checks; the first that fails refuses (exit 1).
pub(crate) fn checks(
    cx: &Context,
    repo: &Repo,
    env: &Environment,
    service: &str,
    version: &str,
) -> Result<()> {
    let timeout = Duration::from_secs(repo.policies()?.health_check_timeout);
    let vars: crate::hooks::Vars = vec![
        (crate::hooks::env::SERVICE, service.to_owned()),
        (crate::hooks::env::VERSION, version.to_owned()),
        (crate::hooks::env::ENV, env.name.clone()),
    ];
    for (i, check) in env.checks.iter().enumerate() {
        let name = format!("check-{}", i + 1);
        let outcome = super::super::hook_run::run_logged(
            cx,
            repo,
            &format!("_env-{}", env.name),
            service,
            &name,
            check,
            &vars,
            timeout,
        )?;
        if !super::super::hook_run::passed(&outcome) {
            return Err(Error::rejected(format!(
                "the check of `{}` failed: {check}; nothing was deployed",
                env.name
            )));
        }
    }
    Ok(())
}
