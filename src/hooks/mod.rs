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
//! (its process group); so is one whose relman is stopped by a signal,
//! which is handed on to the hook first (see `signals.rs`).

mod output;
mod signals;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::domain::redact::Secrets;
use crate::error::{Error, Result};
use crate::files::LogFile;

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
    /// The blue-green slot deployed to or switched to.
    pub const SLOT: &str = "RELMAN_SLOT";
    /// The reason given for a rollback.
    pub const REASON: &str = "RELMAN_REASON";
}

pub use crate::domain::catalog::Hook;

/// The `RELMAN_*` variables a hook gets: name and value.
pub(crate) type Vars = Vec<(&'static str, String)>;

/// What a hook run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Exit code; `None` when killed, timed out or not started.
    pub code: Option<i32>,
    /// It ran past its timeout and was killed.
    pub timed_out: bool,
    /// relman got this signal (SIGINT, SIGTERM, SIGHUP) while the hook
    /// ran: the hook was handed the signal and ended (killed after
    /// [`GRACE`] if it would not end). relman starts nothing more and exits.
    pub interrupted: Option<i32>,
    /// Standard output and error, line by line as they came, with the
    /// values of secret-looking variables redacted: the last 64 KiB or so
    /// (the hook's log holds all of it).
    pub output: String,
}

impl Outcome {
    /// A hook that could not start: failed, with why as its output.
    pub(crate) fn not_started(why: String) -> Self {
        Self { code: None, timed_out: false, interrupted: None, output: why }
    }

    /// Fails with an [`ErrorKind::Interrupted`](crate::error::ErrorKind)
    /// error (exit 128 + the signal's number) when a signal ended the hook,
    /// so that relman stops here rather than go on to the next step.
    pub(crate) fn check_interrupted(&self) -> Result<()> {
        self.check_interrupted_as("the hook that was running was ended with everything it started")
    }

    /// [`check_interrupted`](Self::check_interrupted) saying `what` after
    /// "stopped by SIGINT: ".
    pub(crate) fn check_interrupted_as(&self, what: &str) -> Result<()> {
        match self.interrupted {
            Some(sig) => Err(Error::interrupted(
                sig,
                format!("stopped by {}: {what}", signals::name(sig)),
            )
            .hint("run the same command again to go on (`train run NAME --resume` for a train)")),
            None => Ok(()),
        }
    }
}

/// How long a hook may take to end after relman hands it a signal, before
/// it is killed.
pub(crate) const GRACE: Duration = Duration::from_secs(10);

/// How long a killed hook gets before it is killed again.
const KILL_AGAIN: Duration = Duration::from_secs(5);

/// How long the pipes are read after the hook ended: a background process
/// it left behind may hold them open.
const DRAIN: Duration = Duration::from_secs(1);

/// How often the loop looks for a signal when nothing else happens.
const TICK: Duration = Duration::from_millis(50);

/// Batches of output in flight between the pipes' readers and the loop:
/// a hook that prints faster than relman logs waits for it.
const IN_FLIGHT: usize = 8;

/// Runs `hook` in `dir` with `vars` added to the environment, killing it
/// after `timeout`. Its output is returned and, with `log`, written there.
pub(crate) fn run(
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
pub(crate) fn run_streaming(
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
    // Its own process group, so a timeout or a signal ends the hook and
    // everything it started, not just the shell.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    // Caught from before the hook starts to after it ended: a signal
    // between the two would leave it running without relman.
    let watch = signals::watch();
    if let Some(sig) = signals::received() {
        // Interrupted already (a hook beside this one): start nothing.
        return Ok(Outcome { interrupted: Some(sig), ..Outcome::not_started(String::new()) });
    }
    let log = log.map(|path| LogFile::create(path)).transpose()?;
    let mut child = cmd.spawn().map_err(|e| Error::hook(format!("cannot start `{hook}`: {e}")))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Event>(IN_FLIGHT);
    for pipe in [
        child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            signals::quiet_thread();
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
        signals::quiet_thread();
        let _ = waiter.send(Event::Exited(child.wait()));
    });
    drop(tx);
    let mut run = Running {
        pid,
        // A timeout past the clock's range (none is read past 7 days) is none.
        timeout_at: Instant::now().checked_add(timeout),
        status: None,
        timed_out: false,
        interrupted: None,
        forwarded: 0,
        kill_at: None,
        drain_until: None,
        // Secrets never reach a log or the terminal (SPEC §6.4).
        secrets: Secrets::from_env(&crate::settings::environment()),
        log,
        tail: output::Tail::default(),
    };
    let status = run.follow(hook, &rx, on_line)?;
    drop(watch);
    Ok(Outcome {
        code: status.and_then(|s| s.code()),
        timed_out: run.timed_out,
        // A signal that came as the hook ended was not handed on, but
        // relman stops for it all the same.
        interrupted: run.interrupted.or_else(signals::received),
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
    timeout_at: Option<Instant>,
    status: Option<ExitStatus>,
    timed_out: bool,
    interrupted: Option<i32>,
    /// Signals received that were handed on to the hook.
    forwarded: usize,
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
    /// is due, so neither a timeout nor a signal waits for a quiet moment.
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
                [self.timeout_at.filter(|_| !self.timed_out), self.kill_at, self.drain_until]
                    .into_iter()
                    .flatten()
                    .fold(now.checked_add(TICK).unwrap_or(now), Instant::min);
            match rx.recv_timeout(next.saturating_duration_since(now)) {
                Ok(Event::Output(text)) => self.lines(&text, on_line)?,
                Ok(Event::Closed) => closed += 1,
                Ok(Event::Exited(exit)) => {
                    self.status = Some(
                        exit.map_err(|e| Error::hook(format!("cannot wait for `{hook}`: {e}")))?,
                    );
                    self.drain_until = Instant::now().checked_add(DRAIN);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Ok(self.status)
    }

    /// Hands a new signal on to the hook, and kills it when its time is up.
    fn enforce(&mut self, now: Instant) {
        let count = signals::count();
        if count > self.forwarded {
            let sig = signals::received().unwrap_or(signals::TERM);
            if self.interrupted.is_none() {
                // The hook gets what relman got, and a while to end.
                signals::signal_group(self.pid, sig);
                self.interrupted = Some(sig);
                let grace = now.checked_add(GRACE).unwrap_or(now);
                self.kill_at = Some(self.kill_at.map_or(grace, |t| t.min(grace)));
            } else {
                // Asked again: no more waiting.
                signals::signal_group(self.pid, signals::KILL);
            }
            self.forwarded = count;
        }
        if !self.timed_out && self.timeout_at.is_some_and(|t| now >= t) {
            signals::signal_group(self.pid, signals::KILL);
            self.timed_out = true;
            self.kill_at = Some(now.checked_add(KILL_AGAIN).unwrap_or(now));
        }
        if self.kill_at.is_some_and(|t| now >= t) {
            signals::signal_group(self.pid, signals::KILL);
            self.kill_at = Some(now.checked_add(KILL_AGAIN).unwrap_or(now));
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
