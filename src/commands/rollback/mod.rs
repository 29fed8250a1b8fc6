//! `relman rollback (--train NAME | SERVICE [--to VERSION] | --env ENV
//! [SERVICE] [--to VERSION]) --reason TEXT` (SPEC §5): a train
//! (`train.rs`), one service (`service.rs`), an environment through its
//! ledger (`env.rs`).
//!
//! A train is rolled back in the exact reverse of the order it released
//! its participants: for each, its `rollback` hook runs with the version
//! restored in `RELMAN_PREVIOUS_VERSION`, then its `health` hook, and the
//! rollback is recorded (state and audit, one commit per service), so a
//! second run after a failing hook continues with the services not yet
//! rolled back. Tags are history and stay; version files are not changed.

mod for_env;
mod for_service;
mod for_train;

pub use for_train::roll_back_train;

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use crate::cli::RollbackArgs;
use crate::domain::redact::Secrets;
use crate::domain::train::Status;
use crate::error::{Error, Result};
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
    /// The environment, when rolling an environment back.
    pub env: Option<String>,
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
        let what = match (&self.train, &self.env) {
            (Some(t), _) => format!("train {t}: "),
            (None, Some(e)) => format!("environment {e}: "),
            (None, None) => String::new(),
        };
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

    /// One commit per service left to roll back; `--tag` adds its tag.
    fn would_push(&self) -> Option<(bool, Vec<String>)> {
        let left: Vec<&Planned> = self.plan.iter().filter(|p| !p.done).collect();
        Some((!left.is_empty(), left.iter().filter_map(|p| p.tag.clone()).collect()))
    }
}

pub(super) const STAYS: [&str; 2] =
    ["tags stay (they are history)", "version files and changelogs are not changed"];

/// Runs `relman rollback`.
pub fn run(cx: &Context, args: &RollbackArgs) -> Result<RollbackReport> {
    confirm(cx, args)?;
    // The reason is redacted before it is stored anywhere (state, tag,
    // audit line) or handed to a hook (SPEC §6.4).
    let RollbackArgs { train, service, env, to, reason, tag } = args;
    let args = &RollbackArgs {
        train: train.clone(),
        service: service.clone(),
        env: env.clone(),
        to: to.clone(),
        reason: Secrets::from_env(&cx.global.env).redact(reason),
        tag: *tag,
    };
    match (&args.train, &args.env, &args.service) {
        (Some(train), _, _) => for_train::train_rollback(cx, train, args),
        (None, Some(env), service) => for_env::env_rollback(cx, env, service.as_deref(), args),
        (None, None, Some(service)) => for_service::service_rollback(cx, service, args),
        (None, None, None) => Err(Error::input(
            "name a train (`--train NAME`), a service or an environment (`--env`)",
        )),
    }
}

/// A rollback asks first on a terminal; without one it needs `--yes`.
fn confirm(cx: &Context, args: &RollbackArgs) -> Result<()> {
    if cx.global.dry_run || cx.global.yes {
        return Ok(());
    }
    let what = match (&args.train, &args.env) {
        (Some(t), _) => format!("train `{t}`"),
        (None, Some(e)) => format!("environment `{e}`"),
        (None, None) => format!("service `{}`", args.service.as_deref().unwrap_or_default()),
    };
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

/// The next free `<tag>-rollback.<n>`.
pub(super) fn rollback_tag(repo: &crate::repo::Repo, tag: &str) -> Result<String> {
    for n in 1.. {
        let name = format!("{tag}-rollback.{n}");
        if repo.git.tag_commit(&name)?.is_none() {
            return Ok(name);
        }
    }
    unreachable!("some n is free")
}
