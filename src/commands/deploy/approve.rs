//! `relman approve --env ENV --version V [--service S] --role ROLE`: an
//! approval to deploy a version to an environment, recorded in the
//! environment's ledger and, in the same commit, the audit trail. A
//! deployment counts an approval only with its audit record.

use std::io::{self, Write};

use serde::Serialize;

use super::super::Context;
use super::super::release;
use crate::cli::ApproveArgs;
use crate::domain::audit::Event;
use crate::domain::deploy::Approval;
use crate::domain::redact::Secrets;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::output::{Report, Style};

/// `relman approve --env` result (schema `relman.approve.deploy/1`).
#[derive(Debug, Clone, Serialize)]
pub struct DeployApprovalReport {
    /// The environment.
    pub env: String,
    /// The approval recorded.
    pub approval: Approval,
    /// The roles the environment asks for, and whether each is approved now.
    pub required: Vec<(String, bool)>,
    /// The commit that records it (`null` in a dry run).
    pub commit: Option<String>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl Report for DeployApprovalReport {
    const SCHEMA: &'static str = "relman.approve.deploy/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let verb = if self.dry_run { "would record" } else { "recorded" };
        let a = &self.approval;
        writeln!(
            w,
            "{verb} the approval of {} {} for {} as {} by {}",
            st.bold(&a.service),
            a.version,
            st.bold(&self.env),
            a.role,
            a.by
        )?;
        for (role, approved) in &self.required {
            let mark = if *approved { st.green("approved") } else { st.yellow("waiting") };
            writeln!(w, "  {role:<20} {mark}")?;
        }
        Ok(())
    }
}

/// Records an approval of a deployment.
pub fn run(cx: &Context, args: &ApproveArgs) -> Result<DeployApprovalReport> {
    let repo = cx.repo()?;
    let (Some(env), Some(version)) = (&args.env, &args.version) else {
        return Err(Error::input("name the environment and the version: `--env ENV --version V`"));
    };
    if args.note.is_some() {
        return Err(Error::input("`--note` goes with a train's approval, not a deployment's"));
    }
    let env = super::environment(repo, env)?;
    if !env.approvals.contains(&args.role) {
        return Err(Error::input(format!(
            "`{}` does not ask for the role `{}`",
            env.name,
            args.role.escape_debug()
        ))
        .hint(super::gate::role_hint(&env)));
    }
    let unit = super::unit(repo, args.service.as_deref())?;
    let version = Version::parse(version)?.to_string();
    super::gate::tag_exists(repo, &unit.target, &version)?;
    let service = unit.target.name.clone();
    let (mut tx, _) = cx.transaction(repo)?;
    let mut ledger = repo.ledger_in(&tx, &env.name)?;
    let same = |a: &&Approval| a.service == service && a.version == version;
    if let Some(a) = ledger.approvals.iter().filter(same).find(|a| a.role == args.role) {
        return Err(Error::refused(format!(
            "`{}` approved `{service}` {version} for `{}` already ({} at {})",
            a.role, env.name, a.by, a.at
        )));
    }
    let secrets = Secrets::from_env(&cx.global.env);
    let approval = Approval {
        service: service.clone(),
        version: version.clone(),
        role: args.role.clone(),
        by: args.by.as_deref().map_or_else(|| release::who(repo), |by| secrets.redact(by)),
        at: cx.global.time(),
    };
    if approval.by.chars().any(char::is_control) {
        return Err(Error::input("`--by` holds a control character (a newline?)"));
    }
    ledger.approvals.push(approval.clone());
    let event = Event::DeployApproval {
        env: env.name.clone(),
        service: service.clone(),
        version: version.clone(),
        role: approval.role.clone(),
        by: approval.by.clone(),
    };
    tx.audit(event.record(&approval.at))?;
    repo.save_ledger(&mut tx, &ledger, None)?;
    tx.commit(format!(
        "chore(release): approve deploy of {service} {version} to {} as {}",
        env.name, approval.role
    ));
    let commit = if cx.global.dry_run { None } else { tx.finish()?.commit };
    let approved: Vec<&str> =
        ledger.approvals.iter().filter(same).map(|a| a.role.as_str()).collect();
    Ok(DeployApprovalReport {
        env: env.name.clone(),
        approval,
        required: env
            .approvals
            .iter()
            .map(|r| (r.clone(), approved.contains(&r.as_str())))
            .collect(),
        commit,
        dry_run: cx.global.dry_run,
    })
}
