//! What a recorded deployment tells the world: the policy's notification
//! hook (`deploy`, then `rollback` when a failing hook was undone) and,
//! when asked, the CI system's outputs.

use super::super::Context;
use super::super::notify::{self, notify};
use super::report::DeployReport;
use crate::domain::deploy::Outcome;
use crate::hooks::env;
use crate::repo::Repo;

/// Notifies `deploy` for a recorded deployment (whatever its result, in
/// `RELMAN_RESULT`), then `rollback` when it was rolled back, the version
/// put back in `RELMAN_VERSION` and `reason` in `RELMAN_REASON`. A signal
/// that ended a notification hook stops the command there (the deployment
/// is recorded).
pub(crate) fn notify_recorded(
    cx: &Context,
    repo: &Repo,
    report: &DeployReport,
    reason: Option<&str>,
) -> crate::error::Result<()> {
    let Some(result) = report.result else { return Ok(()) };
    let common = |version: &str, previous: Option<&str>| {
        vec![
            (env::SERVICE, report.service.clone()),
            (env::VERSION, version.to_owned()),
            (env::PREVIOUS_VERSION, previous.unwrap_or_default().to_owned()),
            (env::ENV, report.env.clone()),
            (env::STRATEGY, report.strategy.to_string()),
        ]
    };
    let mut vars = common(&report.version, report.previous.as_deref());
    vars.push((notify::env::RESULT, result.as_str().to_owned()));
    notify(cx, repo, "deploy", &vars)?;
    if result == Outcome::RolledBack
        && let Some(to) = &report.rolled_back_to
    {
        let mut vars = common(to, Some(&report.version));
        vars.push((env::REASON, reason.unwrap_or_default().to_owned()));
        vars.push((notify::env::RESULT, Outcome::Succeeded.as_str().to_owned()));
        notify(cx, repo, "rollback", &vars)?;
    }
    Ok(())
}
