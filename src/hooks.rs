//! Running hooks and `command:` gates (SPEC §6.3).
//!
//! A hook is an argv list (run directly) or a string (run with `sh -c`
//! exactly as written). relman never pastes a value into a hook's text:
//! values reach it only as `RELMAN_*` environment variables, so a service
//! name like `$(touch pwned)` stays inert data.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Environment variable names relman passes to hooks.
pub mod env {
    /// The service being acted on.
    pub const SERVICE: &str = "RELMAN_SERVICE";
    /// The version being released or restored.
    pub const VERSION: &str = "RELMAN_VERSION";
    /// The version before it.
    pub const PREVIOUS_VERSION: &str = "RELMAN_PREVIOUS_VERSION";
    /// The train.
    pub const TRAIN: &str = "RELMAN_TRAIN";
    /// The environment deployed to.
    pub const ENV: &str = "RELMAN_ENV";
    /// The deployment strategy.
    pub const STRATEGY: &str = "RELMAN_STRATEGY";
    /// The initial traffic percentage.
    pub const TRAFFIC: &str = "RELMAN_TRAFFIC";
    /// The reason given for a rollback.
    pub const REASON: &str = "RELMAN_REASON";
}

pub use crate::domain::catalog::Hook;

/// The `RELMAN_*` variables a hook gets: name and value.
pub type Vars = Vec<(&'static str, String)>;

/// What a hook run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Exit code; `None` when killed or timed out.
    pub code: Option<i32>,
    /// It ran past its timeout and was killed.
    pub timed_out: bool,
    /// Standard output and error, line by line as they came, with the
    /// values of secret-looking variables redacted.
    pub output: String,
}

/// Ends the hook's whole process group (the shell and what it started).
fn kill_group(pid: u32) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals that process group;
        // it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// Runs `hook` in `dir` with `vars` added to the environment, killing it
/// after `timeout`. Its output is returned and, with `log`, written there.
pub fn run(
    hook: &Hook,
    dir: &Path,
    vars: &[(&str, String)],
    timeout: Duration,
    log: Option<&PathBuf>,
) -> Result<Outcome> {
    run_streaming(hook, dir, vars, timeout, log, &mut |_| {})
}

/// What the hook's pipes and its waiter say.
enum Event {
    Line(String),
    Closed,
    Exited(std::io::Result<std::process::ExitStatus>),
}

/// Runs `hook` as [`run`] does, handing each line of its output (stdout
/// and stderr, as they come, secrets redacted) to `on_line` and to the log
/// while it runs.
pub fn run_streaming(
    hook: &Hook,
    dir: &Path,
    vars: &[(&str, String)],
    timeout: Duration,
    log: Option<&PathBuf>,
    on_line: &mut dyn FnMut(&str),
) -> Result<Outcome> {
    let mut cmd = match hook {
        Hook::Shell(text) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(text);
            c
        }
        Hook::Argv(argv) => {
            let Some((program, args)) = argv.split_first() else {
                return Err(Error::input("a hook's argv list is empty"));
            };
            let mut c = Command::new(program);
            c.args(args);
            c
        }
    };
    cmd.current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    // Its own process group, so a timeout ends the hook and everything it
    // started, not just the shell.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut log = log.map(|path| crate::repo::files::LogFile::create(path)).transpose()?;
    let mut child = cmd.spawn().map_err(|e| Error::hook(format!("cannot start `{hook}`: {e}")))?;
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    for pipe in [
        child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            if let Some(pipe) = pipe {
                for line in std::io::BufRead::lines(std::io::BufReader::new(pipe)) {
                    let Ok(line) = line else { break };
                    if tx.send(Event::Line(line)).is_err() {
                        return;
                    }
                }
            }
            let _ = tx.send(Event::Closed);
        });
    }
    // A waiting thread, so a hook's end is seen at once (no polling) and
    // its timeout still holds.
    let pid = child.id();
    let waiter = tx.clone();
    std::thread::spawn(move || {
        let _ = waiter.send(Event::Exited(child.wait()));
    });
    drop(tx);
    // Secrets never reach a log or the terminal (SPEC §6.4).
    let env = crate::settings::environment();
    let mut output = String::new();
    let mut status = None;
    let mut closed = 0;
    let mut timed_out = false;
    let mut deadline = Instant::now() + timeout;
    while status.is_none() || closed < 2 {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Event::Line(line)) => {
                let line = crate::repo::audit::redact(&line, &env);
                if let Some(log) = &mut log {
                    log.line(&line)?;
                }
                on_line(&line);
                output.push_str(&line);
                output.push('\n');
            }
            Ok(Event::Closed) => closed += 1,
            Ok(Event::Exited(exit)) => {
                status =
                    Some(exit.map_err(|e| Error::hook(format!("cannot wait for `{hook}`: {e}")))?);
                // A background process the hook left behind may hold its
                // pipes open: read what comes within a second, then stop.
                deadline = Instant::now() + Duration::from_secs(1);
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if status.is_none() => {
                kill_group(pid);
                timed_out = true;
                deadline = Instant::now() + Duration::from_secs(5);
            }
            Err(_) => break,
        }
    }
    Ok(Outcome { code: status.and_then(|s| s.code()), timed_out, output })
}
