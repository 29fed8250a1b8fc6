//! Commands: each file turns its arguments into a report. Commands
//! orchestrate (load → domain → plan → write) and do not print; `output`
//! does.

pub mod approve;
pub mod audit;
pub mod calendar;
pub mod completions;
pub mod create;
pub mod demo;
pub mod deploy;
pub mod hook_run;
pub mod init;
pub mod metrics;
pub mod next;
pub mod notes;
pub mod notify;
pub mod release;
pub mod report;
pub mod rollback;
pub mod semver;
pub mod status;
pub mod target;
pub mod train;

use crate::cli::{Cli, Command, Format};
use crate::error::{Error, Problem, Result};
use crate::output::{Report, Style, Ui, ci};
use crate::repo::Repo;
use crate::repo::lock::{Holder, Lock};
use crate::repo::transaction::{PushLog, Pushed, Recovered, Transaction};
use crate::settings::Global;

/// What every command gets: resolved settings and the printer.
pub struct Context {
    /// Settings that need no repository.
    pub global: Global,
    /// Where messages go.
    pub ui: Ui,
    /// The repository, opened on first use.
    repo: std::cell::OnceCell<Repo>,
    /// What the command pushed (`--push`), reported with its result.
    pushed: PushLog,
    /// How a train's released participants are rolled back when its
    /// verifying says so: `rollback`'s own steps, handed to the train here
    /// so that the train's module does not name the rollback command's
    /// (which names the train's).
    pub(crate) roll_back_train: train::RollBackTrain,
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
        let (mut tx, recovered) =
            Transaction::start(repo, lock, &self.global.command_line, &self.global.env)?;
        if let Some(remote) = self.push_remote(repo) {
            tx.push_to(&remote, std::rc::Rc::clone(&self.pushed));
        }
        if let Some(r) = &recovered {
            let made = match (&r.commit, r.tags.is_empty()) {
                (Some(c), true) => format!(" (commit {})", &c[..7.min(c.len())]),
                (Some(c), false) => {
                    format!(" (commit {}, tag {})", &c[..7.min(c.len())], r.tags.join(", "))
                }
                (None, _) => String::new(),
            };
            if let Some(remote) = &r.undone_push {
                self.ui.warn(&format!(
                    "undid the interrupted `{}`{made}: its push never reached `{remote}`, so this run starts again",
                    r.command
                ));
            } else {
                if r.pushed {
                    tx.note_pushed(r.branch.as_deref().filter(|_| r.commit.is_some()), &r.tags);
                }
                self.ui.warn(&format!(
                    "completed the interrupted `{}`{made}, which a killed run had left half done",
                    r.command
                ));
            }
        }
        // With `--push`, a clone behind its remote is refused before any
        // hook runs (SPEC 6.5).
        tx.check_upstream_now()?;
        Ok((tx, recovered))
    }

    /// The remote to push to: `--push[=REMOTE]`, else `origin` with
    /// `release.push: true`.
    fn push_remote(&self, repo: &Repo) -> Option<String> {
        self.global.push.clone().or_else(|| repo.config.push.value.then(|| "origin".to_owned()))
    }

    /// What the command pushed, when it was asked to push (`--push`,
    /// `release.push`) and started a transaction.
    pub fn pushed(&self) -> Option<Pushed> {
        let pushed = self.pushed.borrow();
        (!pushed.remote.is_empty()).then(|| pushed.clone())
    }

    /// Whether the CI system's outputs are asked for: `--ci`,
    /// `RELMAN_CI=1` or `ci: true` in `relman.yaml`.
    pub fn ci(&self) -> bool {
        self.global.ci || self.repo.get().is_some_and(|r| r.config.ci.value)
    }

    /// The dotenv report's file (`$RELMAN_CI_DOTENV`, default `relman.env`)
    /// as a path of `repo`'s work tree, when it is in it: relman's own
    /// output, which an untracked copy of does not make the tree dirty
    /// (docs/ci.md). Whether or not this command writes it: an earlier
    /// command of the job may have.
    pub fn own_dotenv(&self, repo: &Repo) -> Option<String> {
        let file = ci::dotenv_file(&self.global.env);
        let file = if file.is_absolute() { file } else { std::env::current_dir().ok()?.join(file) };
        let dir = file.parent()?.canonicalize().ok()?;
        let root = repo.root().canonicalize().ok()?;
        let rel = dir.join(file.file_name()?);
        let rel = rel.strip_prefix(&root).ok()?.to_str()?;
        Some(rel.replace(std::path::MAIN_SEPARATOR, "/"))
    }

    /// Writes `outputs` for the CI system when asked (never in a dry
    /// run): the one call a command with its own keys makes.
    pub fn write_ci(&self, outputs: &ci::Outputs) -> Result<()> {
        if !self.ci() || self.global.dry_run {
            return Ok(());
        }
        let written = ci::write(outputs, &self.global.env).map_err(|mut e| {
            e.problems
                .push(Problem::new("the command itself finished; only its CI outputs are missing"));
            e
        })?;
        if written.is_empty() && self.global.ci {
            self.ui.warn("`--ci`: no CI system found (neither `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` nor `GITLAB_CI` is set); nothing written");
        }
        Ok(())
    }

    /// The CI outputs of a report whose schema has them (`next`,
    /// `create`, `train run`, `rollback`).
    fn ci_outputs<R: Report>(
        &self,
        report: &R,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        if !self.ci() || self.global.dry_run {
            return Ok(());
        }
        let Ok(doc) = crate::output::envelope(R::SCHEMA, report) else { return Ok(()) };
        let Some(mut outputs) = ci::from_report(&doc) else { return Ok(()) };
        if let Some(pushed) = extra.get("pushed") {
            let done = pushed["pushes"].as_u64().unwrap_or(0) > 0;
            outputs.set("pushed", &serde_json::Value::Bool(done));
        }
        self.write_ci(&outputs)
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
        let mut extra = serde_json::Map::new();
        self.note_would_push(&report);
        if let Some(pushed) = self.pushed() {
            self.ui.step(&describe_push(&pushed));
            extra.insert("pushed".into(), serde_json::to_value(&pushed).unwrap_or_default());
        }
        self.ci_outputs(&report, &extra)?;
        let result = match self.ui.emit_with(&report, extra) {
            Ok(code) => Ok(code),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
            Err(e) => Err(Error::input(format!("cannot write output: {e}"))),
        };
        std::mem::forget(report);
        result
    }
}

impl Context {
    /// In a dry run with `--push` of a command that previews its steps
    /// rather than staging them (`train run`, `rollback`, `deploy`):
    /// records what its steps would push, as its report says
    /// (`Report::would_push`), where `create` records it from its
    /// transaction (docs/json.md, `pushed`).
    fn note_would_push<R: Report>(&self, report: &R) {
        let mut pushed = self.pushed.borrow_mut();
        if pushed.remote.is_empty() || !pushed.dry_run {
            return;
        }
        let Some((commits, tags)) = report.would_push() else { return };
        if commits && pushed.branch.is_none() {
            pushed.branch = self
                .repo
                .get()
                .and_then(|r| r.git.head_ref())
                .map(|r| r.strip_prefix("refs/heads/").map_or(r.clone(), str::to_owned));
        }
        for tag in tags {
            if !pushed.tags.contains(&tag) {
                pushed.tags.push(tag);
            }
        }
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
    let cx = Context {
        global,
        ui,
        repo: std::cell::OnceCell::new(),
        pushed: PushLog::default(),
        roll_back_train: rollback::roll_back_train,
    };
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
        Command::Approve(args) => approve::run(cx, &args),
        Command::Rollback(args) => cx.emit(rollback::run(cx, &args)?),
        Command::Deploy(args) => cx.emit(deploy::run(cx, &args)?),
        Command::Audit(args) => audit::run(cx, &args),
        Command::Metrics(args) => cx.emit(metrics::run(cx, &args)?),
        Command::Calendar(args) => cx.emit(calendar::run(cx, &args)?),
        Command::Report(args) => cx.emit(report::run(cx, &args)?),
        Command::Completions(args) => completions::run(cx, &args),
    }
}

/// One line saying what `--push` did or would do.
fn describe_push(p: &Pushed) -> String {
    let mut what: Vec<String> = p.branch.iter().map(|b| format!("`{b}`")).collect();
    match p.tags.len() {
        0 => {}
        1 => what.push(format!("tag `{}`", p.tags[0])),
        _ => what.push(format!(
            "tags {}",
            p.tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        )),
    }
    match (p.dry_run, what.is_empty()) {
        (_, true) => format!("nothing to push to `{}`", p.remote),
        (true, false) => format!(
            "dry run: would push {} to `{}` (`git push --atomic`)",
            what.join(" and "),
            p.remote
        ),
        (false, false) => format!("pushed {} to `{}`", what.join(" and "), p.remote),
    }
}
