//! A hook's run as every command that runs one shows it: its output on
//! stderr as it comes, kept in `.relman/logs/<train>/<service>-<hook>.log`
//! (the train's hooks, a deployment's, a rollback's).

use std::path::Path;
use std::time::Duration;

use super::Context;
use crate::error::Result;
use crate::files::path_component as safe;
use crate::hooks::{self, Hook};
use crate::repo::Repo;

/// Tells whether a hook's run passed: it exited 0 in time.
pub fn passed(outcome: &hooks::Outcome) -> bool {
    outcome.code == Some(0) && !outcome.timed_out
}

/// Runs a hook with its output shown on stderr as it comes and kept in
/// `.relman/logs/<train>/<service>-<hook>.log`; a signal that ended it
/// stops relman (an `interrupted` error).
#[expect(clippy::too_many_arguments, reason = "each is one named part of the hook's run")]
pub fn run_logged(
    cx: &Context,
    repo: &Repo,
    train: &str,
    service: &str,
    name: &str,
    hook: &Hook,
    vars: &[(&str, String)],
    timeout: Duration,
) -> Result<hooks::Outcome> {
    let outcome = run_shown(cx, repo, train, service, name, hook, vars, timeout)?;
    outcome.check_interrupted()?;
    Ok(outcome)
}

/// Runs a hook as `run_logged` does, and returns how it ended, a signal
/// included.
#[expect(clippy::too_many_arguments, reason = "each is one named part of the hook's run")]
pub fn run_shown(
    cx: &Context,
    repo: &Repo,
    train: &str,
    service: &str,
    name: &str,
    hook: &Hook,
    vars: &[(&str, String)],
    timeout: Duration,
) -> Result<hooks::Outcome> {
    cx.ui.step(&format!("{service}: running its `{name}` hook: {hook}"));
    let log = log_path(repo, train, service, name)?;
    // Shown as it comes; a hook that cannot start failed.
    let mut show = |line: &str| cx.ui.step(&format!("  | {line}"));
    Ok(hooks::run_streaming(hook, repo.root(), vars, timeout, Some(&log), &mut show)
        .unwrap_or_else(|e| {
            cx.ui.step(&format!("  | {e}"));
            hooks::Outcome::not_started(e.to_string())
        }))
}

/// Where a hook's output is kept: `.relman/logs/<train>/<service>-<hook>.log`.
/// The folder is checked on its resolved path, as every path relman
/// writes is: a `.relman/logs` symlink cannot carry a log out of the
/// repository.
pub fn log_path(repo: &Repo, train: &str, service: &str, hook: &str) -> Result<std::path::PathBuf> {
    let file = format!("{}{}/{}-{hook}.log", crate::repo::LOGS, safe(train), safe(service));
    let file = repo.root().join(repo.resolve(&file, "hook log (`.relman/logs/`)")?);
    if let Some(dir) = file.parent() {
        crate::files::create_dir_all(dir)?;
    }
    Ok(file)
}

/// Runs a hook, its output logged and returned; a hook that cannot start
/// failed, like one that exits non-zero.
pub fn run_quietly(
    hook: &Hook,
    root: &Path,
    vars: &[(&str, String)],
    timeout: Duration,
    log: &Path,
) -> hooks::Outcome {
    hooks::run(hook, root, vars, timeout, Some(&log.to_path_buf()))
        .unwrap_or_else(|e| hooks::Outcome::not_started(e.to_string()))
}
