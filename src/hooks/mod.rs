//! Running hooks and `command:` gates (SPEC §6.3).
//!
//! A hook is an argv list (run directly) or a string (run with `sh -c`
//! exactly as written). relman never pastes a value into a hook's text:
//! values reach it only as `RELMAN_*` environment variables, so a service
//! name like `$(touch pwned)` stays inert data.
//!
//! Its output (stdout and stderr, read to their end as bytes) is shown and
//! logged line by line as it comes, secrets redacted; only its tail is kept
//! in memory. A hook past its timeout is killed with everything it started
//! (its process group).

mod output;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::domain::redact::Secrets;
use crate::error::{Error, Result};
use crate::repo::files::LogFile;

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
    /// values of secret-looking variables redacted: the last 64 KiB or so
    /// (the hook's log holds all of it).
    pub output: String,
}

/// How long a killed hook gets before it is killed again.
const KILL_AGAIN: Duration = Duration::from_secs(5);

/// How long the pipes are read after the hook ended: a background process
/// it left behind may hold them open.
const DRAIN: Duration = Duration::from_secs(1);

/// Batches of output in flight between the pipes' readers and the loop:
/// a hook that prints faster than relman logs waits for it.
const IN_FLIGHT: usize = 8;

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
    /// Whole lines, each ending in `\n`.
    Output(String),
    Closed,
    Exited(std::io::Result<ExitStatus>),
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
    let mut cmd = command(hook)?;
    cmd.current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    // Its own process group, so a timeout ends the hook and everything it
    // started, not just the shell.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let log = log.map(|path| LogFile::create(path)).transpose()?;
    let mut child = cmd.spawn().map_err(|e| Error::hook(format!("cannot start `{hook}`: {e}")))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Event>(IN_FLIGHT);
    for pipe in [
        child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            if let Some(pipe) = pipe {
                output::read_lines(pipe, |text| tx.send(Event::Output(text)).is_ok());
            }
            let _ = tx.send(Event::Closed);
        });
    }
    // A waiting thread, so a hook's end is seen at once and its timeout
    // still holds.
    let pid = child.id();
    let waiter = tx.clone();
    std::thread::spawn(move || {
        let _ = waiter.send(Event::Exited(child.wait()));
    });
    drop(tx);
    let mut run = Running {
        pid,
        timeout_at: Instant::now() + timeout,
        status: None,
        timed_out: false,
        kill_at: None,
        drain_until: None,
        // Secrets never reach a log or the terminal (SPEC §6.4).
        secrets: Secrets::from_env(&crate::settings::environment()),
        log,
        tail: output::Tail::default(),
    };
    let status = run.follow(hook, &rx, on_line)?;
    Ok(Outcome {
        code: status.and_then(|s| s.code()),
        timed_out: run.timed_out,
        output: run.tail.into_text(),
    })
}

/// The command that runs `hook`.
fn command(hook: &Hook) -> Result<Command> {
    Ok(match hook {
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
    })
}

/// A hook while it runs: what was seen and what is due when.
struct Running {
    /// The hook's pid, which is also its process group's id.
    pid: u32,
    timeout_at: Instant,
    status: Option<ExitStatus>,
    timed_out: bool,
    /// When to kill the hook (again).
    kill_at: Option<Instant>,
    drain_until: Option<Instant>,
    secrets: Secrets,
    log: Option<LogFile>,
    tail: output::Tail,
}

impl Running {
    /// Follows the hook to its end (and its pipes to theirs, within
    /// [`DRAIN`]); returns how it exited. Every event first checks what
    /// is due, so a timeout never waits for a quiet moment.
    fn follow(
        &mut self,
        hook: &Hook,
        rx: &Receiver<Event>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<Option<ExitStatus>> {
        let mut closed = 0;
        loop {
            if self.status.is_some() && closed == 2 {
                break;
            }
            let now = Instant::now();
            if self.status.is_none() {
                self.enforce(now);
            } else if self.drain_until.is_some_and(|t| now >= t) {
                break;
            }
            let next =
                [Some(self.timeout_at).filter(|_| !self.timed_out), self.kill_at, self.drain_until]
                    .into_iter()
                    .flatten()
                    .fold(now + KILL_AGAIN, Instant::min);
            match rx.recv_timeout(next.saturating_duration_since(now)) {
                Ok(Event::Output(text)) => self.lines(&text, on_line)?,
                Ok(Event::Closed) => closed += 1,
                Ok(Event::Exited(exit)) => {
                    self.status = Some(
                        exit.map_err(|e| Error::hook(format!("cannot wait for `{hook}`: {e}")))?,
                    );
                    self.drain_until = Some(Instant::now() + DRAIN);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Ok(self.status)
    }

    /// Kills the hook when its time is up (and again while it lingers).
    fn enforce(&mut self, now: Instant) {
        if !self.timed_out && now >= self.timeout_at {
            kill_group(self.pid);
            self.timed_out = true;
            self.kill_at = Some(now + KILL_AGAIN);
        }
        if self.kill_at.is_some_and(|t| now >= t) {
            kill_group(self.pid);
            self.kill_at = Some(now + KILL_AGAIN);
        }
    }

    /// Shows, logs and keeps a batch of lines, secrets redacted.
    fn lines(&mut self, text: &str, on_line: &mut dyn FnMut(&str)) -> Result<()> {
        let mut logged = String::with_capacity(text.len());
        for line in text.lines() {
            let line = if self.secrets.is_empty() {
                std::borrow::Cow::Borrowed(line)
            } else {
                std::borrow::Cow::Owned(self.secrets.redact(line))
            };
            on_line(&line);
            self.tail.push(&line);
            logged.push_str(&line);
            logged.push('\n');
        }
        if let Some(log) = &mut self.log {
            log.write(&logged)?;
        }
        Ok(())
    }
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
