//! Notifications (SPEC 1.5): the policy's `release_trains.notifications.hook`
//! run on train transitions, deployments and rollbacks.
//!
//! A notification never stops a release: it runs after the step is
//! committed, and a hook that cannot start, fails, runs past its timeout or
//! prints anything (binary included) only warns. A Ctrl-C or SIGTERM while
//! it runs stops relman as in any hook: the step is done, nothing after it
//! starts. Values reach it as environment variables, never in its text.

use std::time::Duration;

use super::Context;
use crate::error::Result;
use crate::hooks;
use crate::repo::Repo;

/// The `RELMAN_*` variables a notification hook gets besides the usual ones.
pub mod env {
    /// What happened: `transition`, `rollback` or `deploy`.
    pub const EVENT: &str = "RELMAN_EVENT";
    /// The policy's channels, comma-separated.
    pub const CHANNELS: &str = "RELMAN_CHANNELS";
    /// The policy's stakeholders, comma-separated.
    pub const STAKEHOLDERS: &str = "RELMAN_STAKEHOLDERS";
    /// A train's status before a transition.
    pub const FROM: &str = "RELMAN_FROM";
    /// A train's status after a transition.
    pub const TO: &str = "RELMAN_TO";
    /// A deployment's result: `succeeded`, `failed` or `rolled_back`.
    pub const RESULT: &str = "RELMAN_RESULT";
}

/// Runs the notification hook for `event` with `vars` (the usual
/// `RELMAN_*` variables of the step) when the policy has one; warns, and
/// never fails, when it does not succeed. Nothing runs in a dry run.
/// `relman deploy` calls it with event `deploy` (and `rollback` when it
/// rolled back), `rollback --env` with `rollback`.
///
/// # Errors
///
/// An `interrupted` error when a signal ended the hook (or came before
/// it): the caller stops there, its step being done.
pub fn notify(cx: &Context, repo: &Repo, event: &str, vars: &[(&str, String)]) -> Result<()> {
    if cx.global.dry_run {
        return Ok(());
    }
    let policies = match repo.policies() {
        Ok(p) => p,
        Err(e) => {
            let why = e.problems.first().map(|p| p.message.clone()).unwrap_or_default();
            cx.ui.warn(&format!("no notification sent: the policies cannot be read: {why}"));
            return Ok(());
        }
    };
    let Some(hook) = &policies.notification_hook else { return Ok(()) };
    let mut all: Vec<(&str, String)> = vec![
        (env::EVENT, event.to_owned()),
        (env::CHANNELS, policies.channels.join(",")),
        (env::STAKEHOLDERS, policies.stakeholders.join(",")),
    ];
    all.extend(vars.iter().map(|(k, v)| (*k, v.clone())));
    let timeout = Duration::from_secs(policies.notification_timeout);
    let warn = |why: &str, output: &str| {
        let tail = shown_tail(output);
        let tail = if tail.is_empty() { String::new() } else { format!(": {tail}") };
        cx.ui.warn(&format!(
            "the notification hook for `{event}` {why}{tail}; the {event} itself is done"
        ));
    };
    match hooks::run(hook, repo.root(), &all, timeout, None) {
        Err(e) => warn("could not start", &e.to_string()),
        Ok(o) if o.timed_out => warn(
            &format!("ran past its {}s timeout and was stopped", policies.notification_timeout),
            &o.output,
        ),
        Ok(o) if o.interrupted.is_some() => {
            return o.check_interrupted_as(&format!(
                "the notification hook for `{event}` was ended with everything it started; the {event} itself is done, nothing after it was started"
            ));
        }
        Ok(o) if o.code != Some(0) => match o.code {
            Some(code) => warn(&format!("failed (exit {code})"), &o.output),
            None => warn("was killed", &o.output),
        },
        Ok(_) => cx.ui.step(&format!("notified: {event}")),
    }
    Ok(())
}

/// The last lines of a hook's output, as text that is safe on a terminal
/// and in a log: control characters escaped, at most 300 characters.
fn shown_tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(3)..].join(" / ");
    let tail = crate::output::escape_controls(&tail, false);
    let chars = tail.chars().count();
    if chars <= 300 {
        return tail;
    }
    format!("…{}", tail.chars().skip(chars - 300).collect::<String>())
}
