//! Commands: each file turns its arguments into a report. Commands
//! orchestrate (load → domain → plan → write) and do not print; `output`
//! does.

pub mod approve;
pub mod audit;
pub mod calendar;
pub mod completions;
pub mod create;
pub mod demo;
pub mod init;
pub mod metrics;
pub mod next;
pub mod notes;
pub mod release;
pub mod report;
pub mod rollback;
pub mod semver;
pub mod status;
pub mod target;
pub mod train;

use crate::cli::{Cli, Command, Format};
use crate::error::{Error, Result};
use crate::output::{Report, Style, Ui};
use crate::repo::Repo;
use crate::repo::lock::{Holder, Lock};
use crate::repo::transaction::{Recovered, Transaction};
use crate::settings::Global;

/// What every command gets: resolved settings and the printer.
pub struct Context {
    /// Settings that need no repository.
    pub global: Global,
    /// Where messages go.
    pub ui: Ui,
    /// The repository, opened on first use.
    repo: std::cell::OnceCell<Repo>,
}

impl Context {
    /// Returns the repository (opened once, `relman.yaml` read).
    pub fn repo(&self) -> Result<&Repo> {
        if let Some(repo) = self.repo.get() {
            return Ok(repo);
        }
        let repo = Repo::open(&self.global.dir)?;
        Ok(self.repo.get_or_init(|| repo))
    }

    /// Prints the warnings met while reading the repository.
    fn flush_warnings(&self) {
        if let Some(repo) = self.repo.get() {
            for w in repo.take_warnings() {
                self.ui.warn(&w);
            }
        }
    }

    /// Takes the repository lock, warning when a dead holder's record is taken over.
    pub fn lock(&self, repo: &Repo) -> Result<Lock> {
        let me = Holder {
            pid: std::process::id(),
            host: self.global.host.clone(),
            command: self.global.command_line.clone(),
            since: self.global.now.to_rfc3339(),
        };
        let (lock, previous) = Lock::acquire(repo.git.common_dir(), me)?;
        if let Some(prev) = previous {
            self.ui.warn(&format!(
                "took over the lock `{}` left by {prev}, which is no longer running",
                lock.path().display()
            ));
        }
        Ok(lock)
    }

    /// Starts the transaction every change goes through: with the lock
    /// held, or (with `--dry-run`) without one, so it can only be previewed.
    /// A transaction a killed run left is completed first, with a warning.
    pub fn transaction<'r>(&self, repo: &'r Repo) -> Result<(Transaction<'r>, Option<Recovered>)> {
        let lock = if self.global.dry_run { None } else { Some(self.lock(repo)?) };
        let (tx, recovered) =
            Transaction::start(repo, lock, &self.global.command_line, &self.global.env)?;
        if let Some(r) = &recovered {
            let made = match (&r.commit, r.tags.is_empty()) {
                (Some(c), true) => format!(" (commit {})", &c[..7.min(c.len())]),
                (Some(c), false) => {
                    format!(" (commit {}, tag {})", &c[..7.min(c.len())], r.tags.join(", "))
                }
                (None, _) => String::new(),
            };
            self.ui.warn(&format!(
                "completed the interrupted `{}`{made}, which a killed run had left half done",
                r.command
            ));
        }
        Ok((tx, recovered))
    }

    /// Prints a report; a closed stdout is a quiet success.
    ///
    /// The report is the command's last word and the process ends right
    /// after, so its memory is not handed back piece by piece (a full
    /// changelog holds an entry per commit of the history).
    ///
    /// Measured (release build, CPU time, median of 9 to 21 runs taken in
    /// turn, benches/run.sh's repositories): `notes --all` on 200,000
    /// commits 1,203 ms with both forgets against 1,231 ms dropping the
    /// report and 1,335 ms dropping both; `next` (200k commits, 6.3 ms),
    /// `train plan` and `train validate` on the 10,000-service catalog
    /// (66 and 73 ms) and `status` on a 100-service monorepo (48 ms) are
    /// the same within 1-3 ms either way.
    pub fn emit<R: Report>(&self, report: R) -> Result<u8> {
        let result = match self.ui.emit(&report) {
            Ok(code) => Ok(code),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
            Err(e) => Err(Error::input(format!("cannot write output: {e}"))),
        };
        std::mem::forget(report);
        result
    }
}

/// Resolves settings, runs the command, prints the result or the error, and
/// returns the exit code.
pub fn main(cli: Cli, argv: &[String]) -> u8 {
    let Cli { global, command } = cli;
    let format = global.format.unwrap_or(Format::Human);
    let global = match Global::resolve(global, argv) {
        Ok(g) => g,
        Err(e) => {
            Ui::plain(format, false).error(&e);
            return e.exit_code();
        }
    };
    let ui = Ui {
        format: global.format,
        out: Style { color: global.color, width: global.width },
        err: Style { color: global.color_stderr, width: None },
        quiet: global.quiet,
        terminal: global.terminal,
        bars: std::cell::RefCell::default(),
    };
    let cx = Context { global, ui, repo: std::cell::OnceCell::new() };
    let result = dispatch(&cx, command);
    cx.flush_warnings();
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            cx.ui.error(&e);
            e.exit_code()
        }
    };
    // The process ends next: the repository's caches (every commit and
    // tree read) go back to the OS with it rather than freed one by one.
    // Nothing in `Repo` writes or unlocks on drop (locks belong to
    // transactions, which are gone by now). Measured (CPU time, medians
    // of runs in turn; see `emit`): dropping the repository costs
    // `notes --all` on 200,000 commits 61 ms (1,264 ms against 1,203 ms);
    // `next`, `status` and the 10,000-service `train plan` do not see it.
    std::mem::forget(cx.repo);
    code
}

fn dispatch(cx: &Context, command: Command) -> Result<u8> {
    match command {
        Command::Init(args) => cx.emit(init::run(cx, &args)?),
        Command::Demo(args) => cx.emit(demo::run(cx, args)?),
        Command::Status(args) => status::run(cx, &args),
        Command::Next(args) => cx.emit(next::run(cx, &args)?),
        Command::Create(args) => {
            let mut report = create::run(cx, &args)?;
            match report.refusal.take() {
                // The preview, then why the real run would refuse; JSON
                // keeps its one document: the refusal.
                Some(refusal) => {
                    if cx.global.format == Format::Human {
                        cx.emit(report)?;
                    }
                    Err(refusal)
                }
                None => cx.emit(report),
            }
        }
        Command::Notes(args) => cx.emit(notes::run(cx, &args)?),
        Command::Semver(sub) => semver::run(cx, sub),
        Command::Train(sub) => train::run(cx, sub),
        Command::Approve(args) => cx.emit(approve::run(cx, &args)?),
        Command::Rollback(args) => cx.emit(rollback::run(cx, &args)?),
        Command::Audit(args) => audit::run(cx, &args),
        Command::Metrics(args) => cx.emit(metrics::run(cx, &args)?),
        Command::Calendar(args) => cx.emit(calendar::run(cx, &args)?),
        Command::Report(args) => cx.emit(report::run(cx, &args)?),
        Command::Completions(args) => completions::run(cx, &args),
    }
}
