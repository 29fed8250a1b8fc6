//! `relman approve TRAIN --role ROLE [--by WHO] [--note TEXT]`: record an
//! approval in the train's state and the audit trail, as one commit. The
//! `approvals:` gates read them.

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::release;
use super::train::lifecycle::Engine;
use crate::cli::ApproveArgs;
use crate::domain::audit::Event;
use crate::domain::gates::GateKind;
use crate::domain::redact::Secrets;
use crate::domain::train::{Approval, Status};
use crate::error::{Error, Result};
use crate::output::{Report, Style};

/// `relman approve` result (schema `relman.approve/1`).
#[derive(Debug, Clone, Serialize)]
pub struct ApproveReport {
    /// The train.
    pub train: String,
    /// The approval recorded.
    pub approval: Approval,
    /// The roles the train requires, and whether each is approved now.
    pub required: Vec<(String, bool)>,
    /// The commit that records it (`null` in a dry run).
    pub commit: Option<String>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl Report for ApproveReport {
    const SCHEMA: &'static str = "relman.approve/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let verb = if self.dry_run { "would record" } else { "recorded" };
        writeln!(
            w,
            "{verb} the approval of {} as {} by {}",
            st.bold(&self.train),
            self.approval.role,
            self.approval.by
        )?;
        for (role, approved) in &self.required {
            let mark = if *approved { st.green("approved") } else { st.yellow("waiting") };
            writeln!(w, "  {role:<20} {mark}")?;
        }
        Ok(())
    }
}

/// Records an approval: of a train, or (`--env`) of a deployment.
pub fn run(cx: &Context, args: &ApproveArgs) -> Result<u8> {
    match (&args.train, &args.env) {
        (Some(_), Some(_)) => {
            Err(Error::input("approve a train or a deployment (`--env`), not both"))
        }
        (Some(train), None) => cx.emit(train_approval(cx, args, train)?),
        (None, _) => cx.emit(super::deploy::approve::run(cx, args)?),
    }
}

/// Records an approval of a train.
fn train_approval(cx: &Context, args: &ApproveArgs, train: &str) -> Result<ApproveReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, train)?;
    let required: Vec<String> = engine
        .train
        .gates
        .iter()
        .filter_map(|g| match &g.kind {
            GateKind::Approvals { roles } => Some(roles.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    // A train that releases a major version needs the policy's
    // `release_types.major` roles before staging (SPEC §2.1).
    let major_roles = repo
        .policies()?
        .release_type_approvals
        .remove(crate::domain::change_control::MAJOR)
        .unwrap_or_default();
    if !required.contains(&args.role) && !major_roles.contains(&args.role) {
        let hint = if required.is_empty() && major_roles.is_empty() {
            "this train has no `approvals:` gate".to_owned()
        } else {
            let mut asks = Vec::new();
            if !required.is_empty() {
                asks.push(format!("the train requires: {}", required.join(", ")));
            }
            if !major_roles.is_empty() {
                asks.push(format!("a major release requires: {}", major_roles.join(", ")));
            }
            asks.join("; ")
        };
        return Err(Error::input(format!(
            "train `{}` does not require the role `{}`",
            train, args.role
        ))
        .hint(hint));
    }
    if matches!(engine.state.status, Status::Completed | Status::RolledBack) {
        return Err(Error::refused(format!(
            "train `{}` is {}: there is nothing left to approve",
            train, engine.state.status
        )));
    }
    if let Some(a) = engine.state.approvals.iter().find(|a| a.role == args.role) {
        return Err(Error::refused(format!(
            "`{}` approved train `{}` already ({} at {})",
            a.role, train, a.by, a.at
        )));
    }
    // What the user typed is redacted before it is stored anywhere: the
    // state file is committed beside the audit line (SPEC §6.4).
    let secrets = Secrets::from_env(&cx.global.env);
    let approval = Approval {
        role: args.role.clone(),
        by: args.by.as_deref().map_or_else(|| release::who(repo), |by| secrets.redact(by)),
        at: cx.global.time(),
        note: args.note.as_deref().map(|note| secrets.redact(note)),
    };
    engine.state.approvals.push(approval.clone());
    let event = Event::Approval {
        train: train.to_owned(),
        role: approval.role.clone(),
        by: approval.by.clone(),
        note: approval.note.clone(),
    };
    let commit =
        engine.record(event, format!("chore(release): approve train {train} as {}", args.role))?;
    let approved: Vec<String> = engine.state.approvals.iter().map(|a| a.role.clone()).collect();
    Ok(ApproveReport {
        train: train.to_owned(),
        approval,
        required: required.iter().map(|r| (r.clone(), approved.contains(r))).collect(),
        commit,
        dry_run: cx.global.dry_run,
    })
}
