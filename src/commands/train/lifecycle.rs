//! `relman train start|advance|run|pause|resume NAME`: a train's lifecycle
//! (SPEC §4, §4.1).
//!
//! Every transition is one commit holding the `status:` edit of
//! release-trains.yaml, the state file and one audit line. While
//! executing, each participant released is one release commit (its version
//! files, changelog, the state checkpoint and its audit line) with its tag,
//! made by the same one-release unit as `relman create`; its `release` and
//! `health` hooks run after. The lock is held for the whole command.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::super::Context;
use super::super::release::{self, Unit};
use super::super::target::{Pending, Target};
use super::hooks::{hook_vars, log_path, passed, release_hooks, run_quietly, run_shown};
use super::validate::{self, ValidateReport};
use crate::domain::audit::Event;
use crate::domain::catalog::{Catalog, Service, Train};
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{
    self, Failure, HookRun, Move, Observed, ParticipantState, Phase, RecordedPlan, Resume, State,
    Status,
};
use crate::error::{Error, Location, Result};
use crate::hooks::{self, Hook};
use crate::output::{Report, Style};
use crate::repo::Repo;
use crate::repo::files::path_component as safe;
use crate::repo::progress;
use crate::repo::state;
use crate::repo::transaction::{Transaction, failpoint};

/// One transition made (or, in a dry run, that would be).
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Where the train was.
    pub from: Status,
    /// Where it went.
    pub to: Status,
    /// The commit that records it (`null` in a dry run).
    pub commit: Option<String>,
}

/// One participant as the command leaves it.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// The service.
    pub service: String,
    /// Its phase.
    pub phase: Phase,
    /// Version before → after (`null` before staging).
    pub from: Option<String>,
    /// The version it is released at.
    pub to: Option<String>,
    /// Its tag, once planned.
    pub tag: Option<String>,
    /// Its release commit, once made.
    pub commit: Option<String>,
}

/// What a lifecycle command did.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// The train.
    pub train: String,
    /// Where the train is now.
    pub status: Status,
    /// The transitions made, in order.
    pub transitions: Vec<Step>,
    /// Gates evaluated on the way (entering or leaving validating).
    pub gates: Option<ValidateReport>,
    /// Every participant.
    pub participants: Vec<ParticipantView>,
    /// Why the train failed, if it did.
    pub failure: Option<Failure>,
    /// Nothing was changed.
    pub dry_run: bool,
    /// The exit code this result stands for.
    #[serde(skip)]
    pub code: u8,
}

/// `relman train start|advance|pause|resume` (schema `relman.train.transition/1`).
#[derive(Debug, Clone, Serialize)]
pub struct TransitionReport(pub Body);

/// `relman train run` (schema `relman.train.run/1`).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport(pub Body);

fn human(body: &Body, w: &mut dyn Write, st: &Style) -> io::Result<()> {
    let would = if body.dry_run { "would move" } else { "moved" };
    if let Some(g) = &body.gates {
        g.human(w, st)?;
    }
    for t in &body.transitions {
        let commit = t.commit.as_deref().map(|c| format!(" ({})", &c[..7.min(c.len())]));
        writeln!(
            w,
            "{} {would} {} → {}{}",
            st.bold(&body.train),
            t.from,
            t.to,
            commit.unwrap_or_default()
        )?;
    }
    if body.transitions.is_empty() {
        writeln!(w, "{} stays {}", st.bold(&body.train), body.status)?;
    }
    for p in body.participants.iter().filter(|p| p.phase != Phase::Pending || p.to.is_some()) {
        let versions = match (&p.from, &p.to) {
            (Some(f), Some(t)) if f != t => format!(" {f} → {t}"),
            (_, Some(t)) => format!(" {t}"),
            _ => String::new(),
        };
        let phase = serde_json::to_value(p.phase).ok().and_then(|v| v.as_str().map(str::to_owned));
        writeln!(w, "  {:<24} {:<12}{versions}", p.service, phase.unwrap_or_default())?;
    }
    if let Some(f) = &body.failure {
        let who = f.service.as_deref().map(|s| format!("{s}: ")).unwrap_or_default();
        let what = if body.status == Status::RolledBack { "rolled back" } else { "failed" };
        writeln!(w, "{}: {who}{}", st.red(what), f.reason)?;
    }
    Ok(())
}

impl Report for TransitionReport {
    const SCHEMA: &'static str = "relman.train.transition/1";
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        human(&self.0, w, st)
    }
    fn exit_code(&self) -> u8 {
        self.0.code
    }
}

impl Report for RunReport {
    const SCHEMA: &'static str = "relman.train.run/1";
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        human(&self.0, w, st)
    }
    fn exit_code(&self) -> u8 {
        self.0.code
    }
}

/// A train being moved, with the lock held for the whole command.
pub struct Engine<'c, 'r> {
    cx: &'c Context,
    repo: &'r Repo,
    tx: Transaction<'r>,
    catalog: Catalog,
    /// The train as release-trains.yaml says now.
    pub train: Train,
    /// Its state as last written.
    pub state: State,
    read_serial: u64,
    /// The state's text as last written (a checkpoint serialises what changed).
    memo: state::Memo,
    /// What the command did.
    pub body: Body,
    /// A plan saved with `train plan --out`, to stage exactly.
    saved: Option<Vec<PlannedStep>>,
    /// How many hooks of a wave run at once (`--jobs`).
    pub jobs: usize,
    /// What the hooks did since the last commit.
    progress: progress::Records,
}

/// A plan saved by `train plan --out`, as far as staging reads it.
#[derive(Debug, serde::Deserialize)]
struct SavedPlan {
    schema: String,
    train: String,
    sequence: Vec<PlannedStep>,
    inputs: Option<SavedInputs>,
}

#[derive(Debug, serde::Deserialize)]
struct SavedInputs {
    files: std::collections::BTreeMap<String, String>,
}

impl<'c, 'r> Engine<'c, 'r> {
    /// Takes the lock (a dry run takes none) and reads the train and its state.
    pub fn open(cx: &'c Context, repo: &'r Repo, name: &str) -> Result<Self> {
        let (tx, _) = cx.transaction(repo)?;
        let catalog = repo.catalog()?;
        let train = super::find(&catalog, name)?.clone();
        let (mut state, memo) = repo.train_state_for_writing(&train)?;
        let progress = progress::Records::of(repo, &train.name);
        for p in &mut state.participants {
            *p = progress.merge(std::mem::take(p))?;
        }
        if state.status != train.status {
            return Err(Error::refused(format!(
                "train `{name}` is `{}` in `{}` but `{}` in its state file",
                train.status,
                repo.trains_file(),
                state.status
            ))
            .at(Location::file(repo.state_file(name)))
            .hint("relman keeps both in step; put back the `status:` you edited by hand"));
        }
        let read_serial = state.serial;
        let body = Body {
            train: train.name.clone(),
            status: state.status,
            transitions: Vec::new(),
            gates: None,
            participants: Vec::new(),
            failure: None,
            dry_run: cx.global.dry_run,
            code: 0,
        };
        Ok(Self {
            cx,
            repo,
            tx,
            catalog,
            train,
            state,
            read_serial,
            memo,
            body,
            saved: None,
            jobs: 1,
            progress,
        })
    }

    /// Reads a plan saved with `train plan --out` and checks it still
    /// holds: the same train, and every input as it was when it was saved
    /// (exit 3 naming the file and the field that differs). A train staged
    /// already must have recorded that same plan.
    pub fn use_saved_plan(&mut self, file: &Path) -> Result<()> {
        let shown = file.display().to_string();
        let text = crate::repo::files::read_text(file, &shown)?.ok_or_else(|| {
            Error::input(format!("the plan `{shown}` does not exist"))
                .hint("save one with `relman train plan NAME --out FILE`")
        })?;
        let saved: SavedPlan = serde_json::from_str(&text).map_err(|e| {
            Error::input(format!("this is not a plan saved by relman: {e}")).at(Location::new(
                shown.clone(),
                e.line() as u64,
                e.column() as u64,
            ))
        })?;
        let refused = |field: &str, what: String| {
            Error::refused(format!("`{field}`: {what}"))
                .at(Location::file(shown.clone()))
                .hint("compute the plan again with `relman train plan NAME --out FILE`")
        };
        if saved.schema != "relman.train.plan/1" {
            return Err(Error::input(format!(
                "`schema` is `{}`, not a relman.train.plan/1 plan",
                saved.schema
            ))
            .at(Location::file(shown.clone())));
        }
        if saved.train != self.train.name {
            return Err(refused(
                "train",
                format!("the plan is for train `{}`, not `{}`", saved.train, self.train.name),
            ));
        }
        let Some(inputs) = &saved.inputs else {
            return Err(Error::input(
                "the plan has no `inputs`: it was printed, not saved with `--out`",
            )
            .at(Location::file(shown.clone())));
        };
        let now = super::plan::inputs(self.repo, &self.catalog)?;
        if let Some(path) = super::plan::changed_input(&inputs.files, &now.files) {
            return Err(refused(
                &format!("inputs.files.{path}"),
                format!("`{path}` changed since the plan was saved"),
            ));
        }
        let steps = saved.sequence;
        if let Some(recorded) = &self.state.plan
            && recorded.steps != steps
        {
            return Err(refused("sequence", "the train was staged with another plan".to_owned()));
        }
        self.saved = Some(steps);
        Ok(())
    }

    fn now(&self) -> String {
        self.cx.global.time()
    }

    /// Writes the state (with the serial check) into the current step.
    fn checkpoint(&mut self) -> Result<()> {
        let (tx, repo) = (&mut self.tx, self.repo);
        state::save(tx, repo, &mut self.state, self.read_serial, &mut self.memo, None)
    }

    /// Writes `train.yaml` and one participant's file into the current
    /// step (a release commit carries no other participant's progress).
    fn checkpoint_one(&mut self, service: &str) -> Result<()> {
        let (tx, repo) = (&mut self.tx, self.repo);
        state::save(tx, repo, &mut self.state, self.read_serial, &mut self.memo, Some(service))
    }

    /// Commits what the current step collected; returns the commit.
    fn commit(&mut self, message: String) -> Result<Option<String>> {
        self.tx.commit(message);
        if !self.tx.can_write() {
            return Ok(None);
        }
        let finished = self.tx.finish_step()?;
        self.read_serial = self.state.serial;
        Ok(finished.commit)
    }

    /// Moves the train (`asked`), recording it as one commit: the status
    /// edit, the state and one audit line.
    pub fn transition(&mut self, asked: Move, reason: Option<String>) -> Result<Status> {
        let from = self.state.status;
        let to = train::transition(from, asked, self.state.paused_from)
            .map_err(|refused| Error::refused(refused.to_string()))?;
        self.state.status = to;
        if to == Status::Paused {
            self.state.paused_from = Some(from);
        } else if from == Status::Paused {
            self.state.paused_from = None;
        }
        crate::repo::train_status::set_status(&mut self.tx, self.repo, &self.train, to)?;
        self.checkpoint()?;
        let event = Event::Transition {
            train: self.train.name.clone(),
            from: from.to_string(),
            to: to.to_string(),
            who: release::who(self.repo),
            reason,
        };
        self.tx.audit(event.record(&self.now()))?;
        let commit =
            self.commit(format!("chore(release): train {} {from} → {to}", self.train.name))?;
        if self.train.status_pos.is_none() && self.tx.can_write() {
            // The `status:` was added below `name:`: read where it is now.
            self.catalog = self.repo.catalog()?;
            self.train = super::find(&self.catalog, &self.train.name)?.clone();
        }
        if matches!(to, Status::Completed | Status::RolledBack) && self.tx.can_write() {
            // Its commit holds every participant's progress now.
            self.progress.clear()?;
        }
        self.cx.ui.step(&format!("{}: {from} → {to}", self.train.name));
        self.body.transitions.push(Step { from, to, commit });
        self.body.status = to;
        Ok(to)
    }

    /// Makes the next transition of the main line with its effects.
    /// Returns `false` when the train stops (a failed gate, a failure, or
    /// the end of the line).
    pub fn advance(&mut self) -> Result<bool> {
        match self.state.status {
            Status::Planning => {
                self.transition(Move::Advance, None)?;
                let gates = validate::evaluate(self.cx, self.repo, &self.catalog, &self.train)?;
                let passed = gates.passed;
                self.body.gates = Some(gates);
                if !passed {
                    self.body.code = 1;
                }
                Ok(passed)
            }
            Status::Validating => {
                let gates = validate::evaluate(self.cx, self.repo, &self.catalog, &self.train)?;
                let passed = gates.passed;
                self.body.gates = Some(gates);
                if !passed {
                    // To leave validating, every blocking gate must pass.
                    self.body.code = 1;
                    return Ok(false);
                }
                self.stage()?;
                Ok(true)
            }
            Status::Staging => {
                self.check_inputs()?;
                self.check_logs()?;
                self.transition(Move::Advance, None)?;
                self.execute()
            }
            Status::Executing => self.execute(),
            Status::Verifying => {
                let timeout = Duration::from_secs(self.repo.policies()?.health_check_timeout);
                if !self.verify(timeout)? {
                    return Ok(false);
                }
                self.write_notes()?;
                self.transition(Move::Advance, None)?;
                Ok(false)
            }
            other => Err(Error::refused(
                train::transition(other, Move::Advance, self.state.paused_from)
                    .err()
                    .map_or_else(|| format!("train is {other}"), |r| r.to_string()),
            )),
        }
    }

    /// The train's notes, written when it completes: each participant
    /// released, with the notes of its tag.
    fn write_notes(&mut self) -> Result<()> {
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        let mut out = format!("# {}\n", self.train.name);
        if let Some(d) = &self.train.description {
            out.push_str(&format!("\n{d}\n"));
        }
        for s in &steps {
            let Some(tag) = s.tag.as_deref().filter(|_| s.releases()) else { continue };
            out.push_str(&format!("\n## {} {} → {} (`{tag}`)\n\n", s.service, s.from, s.to));
            let notes = self.repo.git.tag_message(tag).unwrap_or_default();
            // The tag's message starts with the tag itself.
            let body = notes.split_once("\n\n").map_or("", |(_, b)| b).trim_end();
            out.push_str(if body.is_empty() { "No notable changes." } else { body });
            out.push('\n');
        }
        let skipped: Vec<&str> =
            steps.iter().filter(|s| !s.releases()).map(|s| s.service.as_str()).collect();
        if !skipped.is_empty() {
            out.push_str(&format!("\nNot released (nothing to release): {}\n", skipped.join(", ")));
        }
        let file = self.repo.train_notes_file(&self.train.name);
        self.tx.write(&file, "train notes (`paths.state`)", "notes", out)?;
        Ok(())
    }

    /// validating → staging: the plan, with its inputs' digests, recorded.
    fn stage(&mut self) -> Result<()> {
        let steps = match self.saved.take() {
            Some(steps) => steps,
            None => {
                let trains_file = self.repo.trains_file();
                super::plan::compute(self.repo, &self.catalog, &self.train, &trains_file)?.sequence
            }
        };
        let inputs = super::plan::inputs(self.repo, &self.catalog)?;
        // Every participant released must have somewhere to roll back to.
        let mut missing = Vec::new();
        for s in steps.iter().filter(|s| s.releases()) {
            let Some(service) = self.catalog.service(&s.service) else { continue };
            let target = Target::from_service(service)?;
            let previous = target.tags.render(&s.from);
            if self.repo.git.tag_commit(&previous)?.is_none() {
                missing.push(format!("{} (`{previous}`)", s.service));
            }
        }
        if !missing.is_empty() {
            return Err(Error::refused(format!(
                "no release to roll back to for {}",
                missing.join(", ")
            ))
            .hint("release each of them once on its own (`relman create ... SERVICE`) before it joins a train"));
        }
        self.state.participants.clear();
        for s in &steps {
            let p = self.state.participant_mut(&s.service);
            p.phase = if s.releases() { Phase::Pending } else { Phase::Skipped };
            p.tag = s.tag.clone();
        }
        self.state.plan = Some(RecordedPlan { head: inputs.head, inputs: inputs.files, steps });
        self.transition(Move::Advance, None)?;
        Ok(())
    }

    /// Checks where hook logs go (inside the repository, on the resolved
    /// path) before anything is released or recorded.
    fn check_logs(&self) -> Result<()> {
        let logs = format!("{}{}", crate::repo::LOGS, safe(&self.train.name));
        self.repo.resolve(&logs, "hook log (`.relman/logs/`)").map(drop)
    }

    /// Refuses (exit 3, naming the file) when an input of the recorded
    /// plan changed since staging.
    fn check_inputs(&self) -> Result<()> {
        let Some(plan) = &self.state.plan else {
            return Err(Error::refused("the train has no recorded plan")
                .at(Location::file(self.repo.state_file(&self.train.name))));
        };
        let now = super::plan::inputs(self.repo, &self.catalog)?;
        match super::plan::changed_input(&plan.inputs, &now.files) {
            Some(file) => Err(Error::refused(format!(
                "`{file}` changed since the train was staged (its digest in `plan.inputs` differs)"
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("pause and re-plan: roll the train back or move it to a new train")),
            None => Ok(()),
        }
    }

    /// Releases every participant not yet released, in plan order, then
    /// moves to verifying. Returns `false` when stopped.
    fn execute(&mut self) -> Result<bool> {
        self.check_logs()?;
        let dirty = self.repo.git.dirty_paths()?;
        if !dirty.is_empty() {
            return Err(Error::refused(format!(
                "the work tree is not clean: {}",
                dirty.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            ))
            .hint("commit or stash your changes first"));
        }
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        let policies = self.repo.policies()?;
        let timeout = Duration::from_secs(policies.health_check_timeout);
        // One walk of the history reads what every participant still to
        // release has pending: the train's own release commits touch no
        // other participant's path.
        let mut targets = Vec::new();
        for step in steps.iter().filter(|s| s.releases()) {
            let phase = self.state.participant(&step.service).map(|p| p.phase).unwrap_or_default();
            if phase == Phase::Pending {
                targets.push(Target::from_service(self.service(&step.service)?)?);
            }
        }
        let pending = Pending::read_many(self.repo, &targets)?;
        let mut pending: std::collections::HashMap<String, (Target, Pending)> =
            targets.into_iter().zip(pending).map(|(t, p)| (t.name.clone(), (t, p))).collect();
        let releases: Vec<&PlannedStep> = steps.iter().filter(|s| s.releases()).collect();
        let bar = self.cx.ui.phase_bar("executing", releases.len() as u64);
        // Wave by wave: tags one at a time in plan order; with `--jobs N`
        // the wave's hooks then run N at a time, else each participant's
        // hooks run right after its tag.
        let mut at = 0;
        while at < releases.len() {
            let wave = releases[at].wave;
            let end = releases[at..]
                .iter()
                .position(|s| s.wave != wave)
                .map_or(releases.len(), |n| at + n);
            let mut tagged = Vec::new();
            for &step in &releases[at..end] {
                let phase =
                    self.state.participant(&step.service).map(|p| p.phase).unwrap_or_default();
                bar.set_message(step.service.clone());
                match phase {
                    Phase::Pending => {
                        let Some((target, read)) = pending.remove(&step.service) else { continue };
                        self.release(step, &target, &read)?;
                    }
                    Phase::Tagged => self.check_release(step)?,
                    _ => {
                        bar.inc();
                        continue;
                    }
                }
                failpoint("participant tagged")?;
                if self.jobs > 1 {
                    tagged.push(step);
                } else if !self.hooks_in_turn(step, timeout)? {
                    bar.finish();
                    return Ok(false);
                } else {
                    bar.inc();
                }
            }
            if !tagged.is_empty() && !self.hooks_together(&tagged, timeout, &bar)? {
                bar.finish();
                return Ok(false);
            }
            at = end;
        }
        bar.finish();
        // The checkpoint of the last hooks goes with the transition.
        self.transition(Move::Advance, None)?;
        Ok(true)
    }

    /// Runs a participant's `release` then `health` hook; fails the train
    /// when one fails. A hook that passed already in this release (a run
    /// stopped after it) is not run again; one interrupted mid-run is
    /// reported and run again.
    fn hooks_in_turn(&mut self, step: &PlannedStep, timeout: Duration) -> Result<bool> {
        let service = self.service(&step.service)?.clone();
        let service_bar = self.cx.ui.service_bar(&step.service);
        for (name, hook) in release_hooks(&service) {
            let p = self.state.participant(&step.service).cloned().unwrap_or_default();
            if let Some(done) = finished_run(&p, name) {
                self.cx.ui.step(&format!(
                    "{}: its `{name}` hook passed at {}; not run again",
                    step.service, done.at
                ));
                continue;
            }
            let cut = |h: &&HookRun| {
                h.hook == name && matches!(h.result.as_str(), "started" | "interrupted")
            };
            if let Some(cut) = p.hooks.iter().rfind(cut) {
                self.cx.ui.warn(&format!(
                    "{}: its `{name}` hook was interrupted mid-run (started {}); running it again",
                    step.service, cut.at
                ));
            }
            failpoint("before a hook")?;
            service_bar.set_message(format!("{name} hook"));
            let passed = self.run_hook(step, name, &hook, timeout)?;
            failpoint("after a hook")?;
            if !passed {
                service_bar.clear();
                self.fail(Some(step.service.clone()), format!("its `{name}` hook failed"))?;
                return Ok(false);
            }
        }
        service_bar.clear();
        self.state.participant_mut(&step.service).phase = Phase::Released;
        self.save_progress(&step.service)?;
        Ok(true)
    }

    /// Runs the hooks of a wave's participants `--jobs` at a time; each
    /// participant's `release` then `health` in turn, each hook's start
    /// and end recorded as it happens. Results are shown and recorded in
    /// plan order, every participant's; the first participant that failed
    /// (in plan order) then fails the train.
    fn hooks_together(
        &mut self,
        steps: &[&PlannedStep],
        timeout: Duration,
        bar: &crate::output::progress::Bar,
    ) -> Result<bool> {
        let mut work = Vec::new();
        for step in steps {
            let service = self.service(&step.service)?;
            let hooks = release_hooks(service);
            let p = self.state.participant(&step.service).cloned().unwrap_or_default();
            let hooks: Vec<(&'static str, Hook)> =
                hooks.into_iter().filter(|(n, _)| finished_run(&p, n).is_none()).collect();
            let vars = hook_vars(step, &self.train.name);
            let logs: Vec<std::path::PathBuf> = hooks
                .iter()
                .map(|(n, _)| log_path(self.repo, &self.train.name, &step.service, n))
                .collect::<Result<_>>()?;
            work.push(std::sync::Mutex::new((p, hooks, vars, logs, Vec::new())));
        }
        let (records, global, root) = (&self.progress, &self.cx.global, self.repo.root());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let worker = || -> Result<()> {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(item) = work.get(i) else { return Ok(()) };
                let Ok(mut item) = item.lock() else { return Ok(()) };
                let (p, hooks, vars, logs, outcomes) = &mut *item;
                let vars: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, v.clone())).collect();
                for ((name, hook), log) in hooks.iter().zip(logs.iter()) {
                    let started = global.time();
                    note(p, started_run(name, &started));
                    records.write(p)?;
                    let outcome = run_quietly(hook, root, &vars, timeout, log);
                    note(p, ended_run(name, started, &outcome, global.time()));
                    records.write(p)?;
                    let go_on = passed(&outcome) && outcome.interrupted.is_none();
                    outcomes.push((*name, hook.to_string(), outcome));
                    if !go_on {
                        break;
                    }
                }
            }
        };
        let results: Vec<Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                (0..self.jobs.min(work.len())).map(|_| scope.spawn(worker)).collect();
            handles.into_iter().map(|h| h.join().unwrap_or(Ok(()))).collect()
        });
        results.into_iter().collect::<Result<()>>()?;
        let mut failed = None;
        let mut interrupted = None;
        for (step, item) in steps.iter().zip(work) {
            let Ok((p, _, _, _, outcomes)) = item.into_inner() else { continue };
            if let Some((_, _, o)) = outcomes.iter().find(|(_, _, o)| o.interrupted.is_some()) {
                interrupted.get_or_insert_with(|| o.clone());
            }
            let mut ok = true;
            for (name, shown, outcome) in &outcomes {
                self.cx.ui.step(&format!("{}: ran its `{name}` hook: {shown}", step.service));
                for line in outcome.output.lines() {
                    self.cx.ui.step(&format!("  | {line}"));
                }
                if !passed(outcome) {
                    ok = false;
                    failed.get_or_insert_with(|| (step.service.clone(), *name));
                }
            }
            *self.state.participant_mut(&step.service) = p;
            if ok {
                self.state.participant_mut(&step.service).phase = Phase::Released;
                self.save_progress(&step.service)?;
            }
            bar.inc();
        }
        if let Some(outcome) = interrupted {
            // Every participant's progress is recorded: a resume goes on.
            outcome.check_interrupted()?;
        }
        if let Some((service, name)) = failed {
            self.fail(Some(service), format!("its `{name}` hook failed"))?;
            return Ok(false);
        }
        Ok(true)
    }

    fn service(&self, name: &str) -> Result<&Service> {
        self.catalog.service(name).ok_or_else(|| Error::unknown("service", name, None))
    }

    /// Releases one participant: one commit and its tag, the state
    /// checkpoint (the intent: its tag and start) inside it.
    fn release(&mut self, step: &PlannedStep, target: &Target, pending: &Pending) -> Result<()> {
        let to = step.to.clone();
        if pending.current != step.from {
            return Err(Error::refused(format!(
                "`{}` is at {} now, but the plan released it from {}",
                step.service, pending.current, step.from
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("a release was made outside the train since staging; roll the train back and plan it again"));
        }
        let mut unit = Unit::new(self.repo, target, pending, to);
        let name = self.train.name.clone();
        unit.train = Some(&name);
        if let Some(problem) = release::tag_is_free(self.repo, &unit.tag)? {
            return Err(Error::many(crate::error::ErrorKind::Refused, vec![problem]));
        }
        let start = self.repo.git.head()?;
        {
            let p = self.state.participant_mut(&step.service);
            p.phase = Phase::Tagged;
            p.start = start;
            p.tag = Some(unit.tag.clone());
        }
        self.checkpoint_one(&step.service)?;
        let staged = release::stage(self.cx, self.repo, &mut self.tx, &unit)?;
        let sign = self.repo.config.sign.value || self.repo.git.config_bool("tag.gpgsign");
        self.tx.tag(unit.tag.clone(), staged.notes, sign);
        let commit = self.commit(staged.commit_message)?;
        self.cx.ui.step(&format!("{}: released {} ({})", step.service, unit.version, unit.tag));
        self.state.participant_mut(&step.service).commit = commit;
        Ok(())
    }

    /// A participant recorded as tagged (a run stopped after it): its tag
    /// must sit on the release commit made on top of the recorded start.
    fn check_release(&mut self, step: &PlannedStep) -> Result<()> {
        let p = self.state.participant(&step.service).cloned().unwrap_or_default();
        let (Some(start), Some(tag)) = (&p.start, &p.tag) else { return Ok(()) };
        let git = &self.repo.git;
        let tag_commit = git.tag_commit(tag)?;
        let tag_parent = tag_commit.as_deref().map(|c| git.first_parent(c)).transpose()?.flatten();
        let release_commit = git.first_parent_child(start)?;
        let seen = Observed { tag_commit, tag_parent, release_commit };
        match train::resume_point(start, &seen) {
            Resume::Finished { commit } => {
                self.state.participant_mut(&step.service).commit = Some(commit);
                Ok(())
            }
            Resume::TagOnly { commit } => {
                let notes = format!("{tag}\n\n(tag completed on resume)\n");
                self.tx.tag_at(tag.clone(), notes, false, commit.clone());
                if self.tx.can_write() {
                    self.tx.finish_step()?;
                }
                self.state.participant_mut(&step.service).commit = Some(commit);
                Ok(())
            }
            Resume::Conflict { found, expected } => Err(Error::refused(format!(
                "tag `{tag}` is on commit {}, but the train's release of `{}` is commit {}",
                &found[..7.min(found.len())],
                step.service,
                &expected[..7.min(expected.len())]
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("someone moved the tag; put it back, or roll the train back")),
            Resume::Redo => {
                // Recorded as tagged but nothing is there: release it again.
                self.state.participant_mut(&step.service).phase = Phase::Pending;
                let target = Target::from_service(self.service(&step.service)?)?;
                let pending = Pending::read(self.repo, &target)?;
                self.release(step, &target, &pending)
            }
        }
    }

    /// Runs one hook of a participant, its start and its end recorded
    /// (SPEC §4.1); `true` when it passed.
    fn run_hook(
        &mut self,
        step: &PlannedStep,
        name: &'static str,
        hook: &Hook,
        timeout: Duration,
    ) -> Result<bool> {
        let vars = hook_vars(step, &self.train.name);
        let started = self.now();
        self.note_hook(&step.service, started_run(name, &started))?;
        let (cx, repo, train) = (self.cx, self.repo, self.train.name.clone());
        let outcome = run_shown(cx, repo, &train, &step.service, name, hook, &vars, timeout)?;
        self.note_hook(&step.service, ended_run(name, started, &outcome, self.now()))?;
        outcome.check_interrupted()?;
        Ok(passed(&outcome))
    }

    /// Puts a hook's run in its participant's progress (an end replaces
    /// its start) and records that progress, in a run that writes.
    fn note_hook(&mut self, service: &str, run: HookRun) -> Result<()> {
        let p = self.state.participant_mut(service);
        note(p, run);
        self.save_progress(service)
    }

    /// Records a participant's progress until the next commit holds it.
    fn save_progress(&self, service: &str) -> Result<()> {
        match self.state.participant(service) {
            Some(p) if self.tx.can_write() => self.progress.write(p),
            _ => Ok(()),
        }
    }

    /// Any active status → failed, with the reason recorded; exit 4.
    fn fail(&mut self, service: Option<String>, reason: String) -> Result<()> {
        if let Some(s) = &service {
            self.state.participant_mut(s).phase = Phase::Failed;
        }
        self.state.failure = Some(Failure { service, reason: reason.clone() });
        self.body.failure = self.state.failure.clone();
        self.transition(Move::Fail, Some(reason))?;
        self.body.code = 4;
        Ok(())
    }

    /// Leaving verifying: critical gates and every released participant's
    /// `health` hook; below the threshold, an automatic rollback (SPEC
    /// §4.1) or failed.
    fn verify(&mut self, timeout: Duration) -> Result<bool> {
        let gates = validate::evaluate(self.cx, self.repo, &self.catalog, &self.train)?;
        let critical: Vec<String> = gates
            .gates
            .iter()
            .zip(&self.train.gates)
            .filter(|(r, g)| g.critical && !r.passed)
            .map(|(r, _)| r.gate.clone())
            .collect();
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        // Released, or found healthy already by a run stopped since.
        let released: Vec<PlannedStep> = steps
            .into_iter()
            .filter(|s| {
                self.state
                    .participant(&s.service)
                    .is_some_and(|p| matches!(p.phase, Phase::Released | Phase::Healthy))
            })
            .collect();
        let mut unhealthy = Vec::new();
        let bar = self.cx.ui.phase_bar("verifying", released.len() as u64);
        for step in &released {
            bar.set_message(step.service.clone());
            bar.inc();
            if self.state.participant(&step.service).is_some_and(|p| p.phase == Phase::Healthy) {
                continue;
            }
            let service = self.service(&step.service)?.clone();
            let healthy = match &service.hooks.health {
                Some(hook) => self.run_hook(step, "health", hook, timeout)?,
                None => true,
            };
            if healthy {
                self.state.participant_mut(&step.service).phase = Phase::Healthy;
                self.save_progress(&step.service)?;
            } else {
                unhealthy.push(step.service.clone());
            }
        }
        bar.finish();
        if !critical.is_empty() {
            self.fail(None, format!("critical gate(s) failed: {}", critical.join(", ")))?;
            self.body.code = 1;
            return Ok(false);
        }
        let share = if released.is_empty() {
            100.0
        } else {
            100.0 * (released.len() - unhealthy.len()) as f64 / released.len() as f64
        };
        let threshold = self.train.health_check_threshold.unwrap_or(100.0);
        if share + f64::EPSILON < threshold {
            let reason = format!(
                "unhealthy after release: {} ({share:.0}% healthy, {threshold:.0}% required)",
                unhealthy.join(", ")
            );
            if self.train.rollback_enabled {
                self.cx.ui.step(&format!("{}: {reason}; rolling back", self.train.name));
                self.state.failure = Some(Failure { service: None, reason: reason.clone() });
                self.body.failure = self.state.failure.clone();
                super::super::rollback::roll_back_train(self, &reason)?;
            } else {
                self.fail(None, reason)?;
            }
            self.body.code = 4;
            return Ok(false);
        }
        Ok(true)
    }

    /// Returns the transaction (for rollback's steps).
    pub fn tx(&mut self) -> &mut Transaction<'r> {
        &mut self.tx
    }

    /// Returns the context and the repository.
    pub fn parts(&self) -> (&'c Context, &'r Repo) {
        (self.cx, self.repo)
    }

    /// Returns the catalog as last read.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Writes the state and commits one step of a rollback or approval.
    pub fn record(&mut self, event: Event, message: String) -> Result<Option<String>> {
        self.checkpoint()?;
        self.tx.audit(event.record(&self.now()))?;
        self.commit(message)
    }

    /// Fills `body.participants` from the state.
    pub fn finish(mut self) -> Body {
        let plan = self.state.plan.clone().unwrap_or_default();
        self.body.participants = self
            .train
            .participants
            .iter()
            .map(|tp| {
                let step = plan.steps.iter().find(|s| s.service == tp.service);
                let p = self.state.participant(&tp.service);
                ParticipantView {
                    service: tp.service.clone(),
                    phase: p.map(|p| p.phase).unwrap_or_default(),
                    from: step.map(|s| s.from.to_string()),
                    to: step.map(|s| s.to.to_string()),
                    tag: p.and_then(|p| p.tag.clone()),
                    commit: p.and_then(|p| p.commit.clone()),
                }
            })
            .collect();
        self.body.status = self.state.status;
        self.body
    }
}

/// `relman train start NAME`: planning → validating.
pub fn start(cx: &Context, name: &str) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    if engine.state.status != Status::Planning {
        let refused =
            train::transition(engine.state.status, Move::Advance, engine.state.paused_from);
        let allowed = refused.err().map_or_else(String::new, |r| format!("; {r}"));
        return Err(Error::refused(format!(
            "train `{name}` has started already: it is {}{allowed}",
            engine.state.status
        )));
    }
    if cx.global.dry_run {
        engine.transition(Move::Advance, None)?;
        return Ok(TransitionReport(engine.finish()));
    }
    engine.advance()?;
    Ok(TransitionReport(engine.finish()))
}

/// `relman train advance NAME [--plan FILE]`: one transition.
pub fn advance(
    cx: &Context,
    name: &str,
    plan: Option<&Path>,
    jobs: u16,
) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    engine.jobs = usize::from(jobs);
    if let Some(file) = plan {
        engine.use_saved_plan(file)?;
    }
    if cx.global.dry_run {
        engine.transition(Move::Advance, None)?;
        return Ok(TransitionReport(engine.finish()));
    }
    engine.advance()?;
    Ok(TransitionReport(engine.finish()))
}

/// `relman train run NAME [--plan FILE]`: every transition that remains.
pub fn run(cx: &Context, name: &str, plan: Option<&Path>, jobs: u16) -> Result<RunReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    engine.jobs = usize::from(jobs);
    if let Some(file) = plan {
        engine.use_saved_plan(file)?;
    }
    if cx.global.dry_run {
        engine.transition(Move::Advance, None)?;
        return Ok(RunReport(engine.finish()));
    }
    while engine.state.status != Status::Completed && engine.advance()? {}
    Ok(RunReport(engine.finish()))
}

/// `relman train pause NAME` and `resume NAME`.
pub fn pause_or_resume(cx: &Context, name: &str, asked: Move) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    engine.transition(asked, None)?;
    Ok(TransitionReport(engine.finish()))
}

/// A hook's run as it starts.
fn started_run(name: &str, at: &str) -> HookRun {
    HookRun {
        hook: name.to_owned(),
        started: Some(at.to_owned()),
        at: at.to_owned(),
        result: "started".to_owned(),
        exit: None,
    }
}

/// A hook's run as it ended.
fn ended_run(name: &str, started: String, outcome: &hooks::Outcome, at: String) -> HookRun {
    let result = if outcome.interrupted.is_some() {
        "interrupted"
    } else if outcome.timed_out {
        "timed_out"
    } else if outcome.code == Some(0) {
        "passed"
    } else {
        "failed"
    };
    HookRun {
        hook: name.to_owned(),
        started: Some(started),
        at,
        result: result.to_owned(),
        exit: outcome.code,
    }
}

/// Puts `run` in `p`'s hooks: an end replaces the start of the same hook.
fn note(p: &mut ParticipantState, run: HookRun) {
    match p.hooks.last_mut() {
        Some(last) if last.hook == run.hook && last.result == "started" => *last = run,
        _ => p.hooks.push(run),
    }
}

/// The run of `name` that passed in this release of `p`, if one did.
fn finished_run<'p>(p: &'p ParticipantState, name: &str) -> Option<&'p HookRun> {
    p.hooks.iter().rfind(|h| h.hook == name && h.result == "passed")
}
