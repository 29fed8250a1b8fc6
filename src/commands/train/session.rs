//! A train's session: the lock held for the whole command, the train and
//! its state as read, one transaction handed out per commit, and the
//! lifecycle's moves (SPEC §4, §4.1). The phases are in `stage.rs`,
//! `execute.rs` and `verify.rs`; the participants' hooks in `hooks.rs`.
//!
//! Every transition is one commit holding the `status:` edit of
//! release-trains.yaml, the state files and one audit line. While
//! executing, each participant released is one release commit (its version
//! files, changelog, its own state file and its audit line) with its tag,
//! made by the same one-release unit as `relman create`.

use std::time::Duration;

use super::super::Context;
use super::super::release::{self};
use super::hooks::release_hooks;
use super::report::{Body, ParticipantView, Step};
use super::validate;
use crate::commands::notify;
use crate::domain::audit::{Event, Verdict};
use crate::domain::catalog::{Catalog, Service, Train};
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{self, Failure, Move, Phase, RecordedPlan, State, Status};
use crate::error::{Error, Location, Result};
use crate::repo::Repo;
use crate::repo::progress;
use crate::repo::state;
use crate::repo::transaction::Transaction;

/// A train being moved, with the lock held for the whole command.
pub struct Engine<'c, 'r> {
    pub(super) cx: &'c Context,
    pub(super) repo: &'r Repo,
    pub(super) tx: Transaction<'r>,
    pub(super) catalog: Catalog,
    /// The train as release-trains.yaml says now.
    pub train: Train,
    /// Its state as last written.
    pub state: State,
    pub(super) read_serial: u64,
    /// The state's text as last written (a checkpoint serialises what changed).
    pub(super) memo: state::Memo,
    /// What the command did.
    pub body: Body,
    /// A plan saved with `train plan --out`, to stage exactly.
    pub(super) saved: Option<Vec<PlannedStep>>,
    /// How many hooks of a wave run at once (`--jobs`).
    pub jobs: usize,
    /// What the hooks did since the last commit.
    pub(super) progress: progress::Records,
    /// The plan a dry run of `train run` shows, when none is recorded yet.
    pub(super) preview: Option<Vec<PlannedStep>>,
    /// Opening it completed a command a killed run had left half done.
    pub(super) recovered: bool,
    /// Gate verdicts evaluated since the last transition: the next
    /// transition's audit line records them.
    pub(super) verdicts: Vec<Verdict>,
    /// Verifying's gates, evaluated before the move into verifying.
    pub(super) verify_gates: Option<validate::ValidateReport>,
}

impl<'c, 'r> Engine<'c, 'r> {
    /// Takes the lock (a dry run takes none) and reads the train and its state.
    pub fn open(cx: &'c Context, repo: &'r Repo, name: &str) -> Result<Self> {
        let (tx, recovered) = cx.transaction(repo)?;
        let catalog = repo.catalog()?;
        // The policies too, whole, before anything is written: a bad value
        // (a notification's timeout read only after a transition) is exit 2
        // with nothing changed.
        repo.policies()?;
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
        check_recorded(repo, &train, &state, &memo)?;
        if matches!(state.status, Status::Completed | Status::RolledBack) && tx.can_write() {
            // A run killed in the commit that ended the train, completed
            // by the recovery above: its hooks' records are done with.
            progress.clear()?;
        }
        let read_serial = state.serial;
        let body = Body {
            train: train.name.clone(),
            status: state.status,
            transitions: Vec::new(),
            gates: None,
            participants: Vec::new(),
            failure: None,
            deployments: Vec::new(),
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
            preview: None,
            recovered: recovered.is_some_and(|r| r.undone_push.is_none()),
            verdicts: Vec::new(),
            verify_gates: None,
        })
    }

    pub(super) fn now(&self) -> String {
        self.cx.global.time()
    }

    /// Writes the state (with the serial check) into the current step.
    pub(super) fn checkpoint(&mut self) -> Result<()> {
        let (tx, repo) = (&mut self.tx, self.repo);
        state::save(tx, repo, &mut self.state, self.read_serial, &mut self.memo, None)
    }

    /// Writes `train.yaml` and one participant's file into the current
    /// step (a release commit carries no other participant's progress).
    pub(super) fn checkpoint_one(&mut self, service: &str) -> Result<()> {
        let (tx, repo) = (&mut self.tx, self.repo);
        state::save(tx, repo, &mut self.state, self.read_serial, &mut self.memo, Some(service))
    }

    /// Commits what the current step collected; returns the commit.
    pub(super) fn commit(&mut self, message: String) -> Result<Option<String>> {
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
        // Entering staging, the audit line holds the plan's digest: what
        // later steps check `plan.yaml` against.
        let plan = match to {
            Status::Staging => {
                let file = self.repo.state_paths(&self.train.name).plan();
                let text = self.tx.read(&file, "train state (`paths.state`)")?;
                text.map(|t| crate::repo::audit::sha256_hex(t.as_bytes()))
            }
            _ => None,
        };
        let event = Event::Transition {
            train: self.train.name.clone(),
            from: from.to_string(),
            to: to.to_string(),
            who: release::who(self.repo),
            reason,
            plan,
            gates: std::mem::take(&mut self.verdicts),
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
        let event = if to == Status::RolledBack { "rollback" } else { "transition" };
        let vars = [
            (crate::hooks::env::TRAIN, self.train.name.clone()),
            (notify::env::FROM, from.to_string()),
            (notify::env::TO, to.to_string()),
        ];
        self.body.transitions.push(Step { from, to, commit });
        self.body.status = to;
        // A Ctrl-C in the notification hook stops the run here: the
        // transition is done, nothing after it starts.
        notify::notify(self.cx, self.repo, event, &vars)?;
        Ok(to)
    }

    /// Evaluates the train's gates; the next transition records their
    /// verdicts in its audit line.
    pub(super) fn evaluate_gates(&mut self) -> Result<validate::ValidateReport> {
        let gates = validate::evaluate(self.cx, self.repo, &self.catalog, &self.train)?;
        self.verdicts = gates.gates.iter().map(Verdict::of).collect();
        Ok(gates)
    }

    /// Makes the next transition of the main line with its effects.
    /// Returns `false` when the train stops (a failed gate, a failure, or
    /// the end of the line).
    pub fn advance(&mut self) -> Result<bool> {
        if matches!(self.state.status, Status::Executing | Status::Verifying) {
            let interrupted = self.state.rolling_back.clone().or_else(|| {
                // Verifying never completes a train with a participant
                // rolled back: that rollback was cut short.
                let any = self.state.participants.iter().any(|p| p.phase == Phase::RolledBack);
                any.then(|| "an interrupted rollback".to_owned())
            });
            if let Some(reason) = interrupted {
                self.cx.ui.step(&format!(
                    "{}: its rollback was interrupted; rolling back the rest ({reason})",
                    self.train.name
                ));
                (self.cx.roll_back_train)(self, &reason)?;
                self.body.failure = self.state.failure.clone();
                self.body.code = 4;
                return Ok(false);
            }
        }
        match self.state.status {
            Status::Planning => {
                // Evaluated first, so the move's audit line records them.
                let gates = self.evaluate_gates()?;
                self.transition(Move::Advance, None)?;
                let passed = gates.passed;
                self.body.gates = Some(gates);
                if !passed {
                    self.body.code = 1;
                }
                Ok(passed)
            }
            Status::Validating => {
                let gates = self.evaluate_gates()?;
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
                self.check_branch()?;
                self.execute(true)
            }
            Status::Executing => {
                self.check_inputs()?;
                self.check_released()?;
                if !self.all_released() || !self.all_deployed()? {
                    // A run stopped mid-way: release (and deploy) the
                    // rest, stay executing.
                    return self.execute(false);
                }
                // Verifying's gates, evaluated first: the move records them.
                self.verify_gates = Some(self.evaluate_gates()?);
                self.transition(Move::Advance, None)?;
                let timeout = Duration::from_secs(self.repo.policies()?.health_check_timeout);
                self.verify(timeout)
            }
            Status::Verifying => {
                self.check_inputs()?;
                self.check_released()?;
                if !self.all_healthy() {
                    // Stopped before verifying's checks ended: run the rest.
                    let timeout = Duration::from_secs(self.repo.policies()?.health_check_timeout);
                    if !self.verify(timeout)? {
                        return Ok(false);
                    }
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

    pub(super) fn service(&self, name: &str) -> Result<&Service> {
        self.catalog.service(name).ok_or_else(|| Error::unknown("service", name, None))
    }

    /// Records a participant's progress until the next commit holds it.
    pub(super) fn save_progress(&self, service: &str) -> Result<()> {
        match self.state.participant(service) {
            Some(p) if self.tx.can_write() => self.progress.write(p),
            _ => Ok(()),
        }
    }

    /// Any active status → failed, with the reason recorded; exit 4.
    pub(super) fn fail(&mut self, service: Option<String>, reason: String) -> Result<()> {
        if let Some(s) = &service {
            self.state.participant_mut(s).phase = Phase::Failed;
        }
        self.state.failure = Some(Failure { service, reason: reason.clone() });
        self.body.failure = self.state.failure.clone();
        self.transition(Move::Fail, Some(reason))?;
        self.body.code = 4;
        Ok(())
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
        let plan = match self.preview.take() {
            Some(steps) => RecordedPlan { steps, ..RecordedPlan::default() },
            None => self.state.plan.clone().unwrap_or_default(),
        };
        self.body.participants = self
            .train
            .participants
            .iter()
            .map(|tp| {
                let step = plan.steps.iter().find(|s| s.service == tp.service);
                let p = self.state.participant(&tp.service);
                let previewed = self.body.dry_run && step.is_some_and(|s| s.releases());
                let pending = p.is_none_or(|p| matches!(p.phase, Phase::Pending | Phase::Tagged));
                let hooks = match self.catalog.service(&tp.service) {
                    Some(service) if previewed && pending => {
                        release_hooks(service).into_iter().map(|(n, _)| n).collect()
                    }
                    _ => Vec::new(),
                };
                ParticipantView {
                    service: tp.service.clone(),
                    phase: p.map(|p| p.phase).unwrap_or_default(),
                    from: step.map(|s| s.from.to_string()),
                    to: step.map(|s| s.to.to_string()),
                    tag: p.and_then(|p| p.tag.clone()).or_else(|| step.and_then(|s| s.tag.clone())),
                    commit: p.and_then(|p| p.commit.clone()),
                    hooks,
                }
            })
            .collect();
        self.body.status = self.state.status;
        self.body
    }
}

/// Checks what a train's state says against what it rests on, before any
/// step acts on it (SPEC §4.1): a train without state is planning; one
/// executing or verifying has a recorded plan; and that plan is the one
/// its staging recorded (the digest in the audit trail).
fn check_recorded(repo: &Repo, train: &Train, state: &State, memo: &state::Memo) -> Result<()> {
    let paths = repo.state_paths(&train.name);
    if memo.fresh() && train.status != Status::Planning {
        return Err(Error::refused(format!(
            "train `{}` is `{}` in `{}` but has no state: a train without one is planning",
            train.name,
            train.status,
            repo.trains_file()
        ))
        .at(Location::file(paths.train()))
        .hint("put its state back (`git log -- .relman/state`), or set its `status:` to planning to start over"));
    }
    let at = if state.status == Status::Paused { state.paused_from } else { Some(state.status) };
    if matches!(at, Some(Status::Executing | Status::Verifying)) && state.plan.is_none() {
        return Err(Error::refused(format!(
            "train `{}` is {} but its state records no `plan`",
            train.name,
            at.map(Status::as_str).unwrap_or_default()
        ))
        .at(Location::file(paths.plan()))
        .hint("put the plan back (`git log -- .relman/state`); relman never executes a train without the plan its staging recorded"));
    }
    if state.plan.is_none() {
        return Ok(());
    }
    let Some(text) = repo.read(&paths.plan())? else { return Ok(()) };
    let staged = repo
        .audit_records("transition", &train.name)?
        .into_iter()
        .rev()
        .find(|r| r.get("to").and_then(serde_json::Value::as_str) == Some("staging"));
    let recorded = staged.as_ref().and_then(|r| r.get("plan")).and_then(serde_json::Value::as_str);
    match recorded {
        Some(digest) if digest != crate::repo::audit::sha256_hex(text.as_bytes()) => {
            Err(Error::refused(
                "the plan is not the one recorded at staging: its SHA-256 differs from the one in the audit trail",
            )
            .at(Location::file(paths.plan()))
            .hint("put it back as staging wrote it (`git checkout -- FILE`)"))
        }
        _ => Ok(()),
    }
}
