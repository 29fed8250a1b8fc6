//! A train's state (SPEC §4.1): the folder `.relman/state/<train>/`, read
//! here and written only through a transaction.
//!
//! - `train.yaml`: status, paused-from, serial, approvals, rollbacks, failure;
//! - `plan.yaml`: the plan recorded at staging, written once;
//! - `<service>.yaml`: one participant's progress, written only by that
//!   participant's steps (a participant that has not moved since staging
//!   has no file: its progress is the plan's).
//!
//! So no step rewrites a file that grows with the size of the train. A
//! state written in the earlier one-file layout (`.relman/state/<train>.yaml`)
//! is read, and moved to the folder by the next step that writes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Repo;
use super::transaction::Transaction;
use crate::domain::catalog::Train;
use crate::domain::train::{
    Approval, Failure, ParticipantState, RecordedPlan, RollbackRecord, State, Status,
};
use crate::error::{Error, Location, Result};

/// The first line of every state file.
const HEADER: &str =
    "# relman's record of this train (SPEC 4.1): written by relman, not by hand.\n";

/// The file names a participant cannot take: the train's own.
const RESERVED: [&str; 2] = ["train", "plan"];

/// `train.yaml`: everything of a train's state but its plan and participants.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrainRecord {
    train: String,
    #[serde(default)]
    status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    paused_from: Option<Status>,
    #[serde(default)]
    serial: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rollbacks: Vec<RollbackRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rolling_back: Option<String>,
}

impl TrainRecord {
    fn of(state: &State) -> Self {
        Self {
            train: state.train.clone(),
            status: state.status,
            paused_from: state.paused_from,
            serial: state.serial,
            approvals: state.approvals.clone(),
            rollbacks: state.rollbacks.clone(),
            failure: state.failure.clone(),
            rolling_back: state.rolling_back.clone(),
        }
    }

    fn into_state(self) -> State {
        State {
            train: self.train,
            status: self.status,
            paused_from: self.paused_from,
            serial: self.serial,
            plan: None,
            participants: Vec::new(),
            approvals: self.approvals,
            rollbacks: self.rollbacks,
            failure: self.failure,
            rolling_back: self.rolling_back,
        }
    }
}

/// Where a train's state files are.
#[derive(Debug, Clone)]
pub struct Paths {
    dir: String,
    legacy: String,
}

impl Paths {
    /// The state files of `train` under the folder `state`.
    pub fn under(state: &str, train: &str) -> Self {
        let base = state.trim_end_matches('/');
        Self { dir: format!("{base}/{train}"), legacy: format!("{base}/{train}.yaml") }
    }

    /// `train.yaml`.
    pub fn train(&self) -> String {
        format!("{}/train.yaml", self.dir)
    }

    /// `plan.yaml`.
    pub fn plan(&self) -> String {
        format!("{}/plan.yaml", self.dir)
    }

    /// `<service>.yaml`.
    pub fn participant(&self, service: &str) -> String {
        format!("{}/{service}.yaml", self.dir)
    }

    /// The completed train's notes.
    pub fn notes(&self) -> String {
        format!("{}/notes.md", self.dir)
    }

    /// The state file of the earlier one-file layout.
    pub fn legacy(&self) -> &str {
        &self.legacy
    }
}

impl Repo {
    /// Returns where a train's state files are.
    pub fn state_paths(&self, train: &str) -> Paths {
        Paths::under(&self.config.state.value, train)
    }

    /// Returns the path of a train's `train.yaml` (named in errors).
    pub fn state_file(&self, train: &str) -> String {
        self.state_paths(train).train()
    }

    /// Reads a train's state; a train that never moved has a fresh one.
    pub fn train_state(&self, train: &Train) -> Result<State> {
        Ok(self.train_state_for_writing(train)?.0)
    }

    /// Reads a train's state with what its next write compares against.
    pub fn train_state_for_writing(&self, train: &Train) -> Result<(State, Memo)> {
        let paths = self.state_paths(&train.name);
        let fresh =
            || State { train: train.name.clone(), status: train.status, ..State::default() };
        let Some(text) = self.read(&paths.train())?.filter(|t| !is_blank(t)) else {
            // Not in the folder: the one-file layout, or nothing yet.
            let legacy = self.read(paths.legacy())?;
            let state = match legacy.as_deref().filter(|t| !is_blank(t)) {
                Some(text) => crate::yaml::parse(text, paths.legacy())?,
                None => fresh(),
            };
            let fresh = legacy.is_none();
            let legacy = legacy.map(|_| paths.legacy().to_owned());
            return Ok((state, Memo { legacy, fresh, ..Memo::default() }));
        };
        let record: TrainRecord = crate::yaml::parse(&text, &paths.train())?;
        let mut state = record.into_state();
        if let Some(text) = self.read(&paths.plan())?.filter(|t| !is_blank(t)) {
            state.plan = Some(crate::yaml::parse(&text, &paths.plan())?);
        }
        let mut memo = Memo { plan: state.plan.clone(), ..Memo::default() };
        let steps = state.plan.as_ref().map(|p| p.steps.as_slice()).unwrap_or_default();
        for step in steps {
            let file = paths.participant(&step.service);
            let p: ParticipantState = match self.read(&file)?.filter(|t| !is_blank(t)) {
                Some(text) => {
                    let p: ParticipantState = crate::yaml::parse(&text, &file)?;
                    if p.service != step.service {
                        return Err(Error::input(format!(
                            "this file records `{}`, not `{}`",
                            p.service, step.service
                        ))
                        .at(Location::file(file)));
                    }
                    memo.participants.insert(p.service.clone(), p.clone());
                    p
                }
                None => ParticipantState::planned(step),
            };
            state.participants.push(p);
        }
        Ok((state, memo))
    }

    /// Returns the roles with a recorded approval for `train`. An approval
    /// in the state counts only when the audit trail holds its record: one
    /// written into `train.yaml` by hand is refused, naming the file.
    pub fn approved_roles(&self, train: &Train) -> Result<Vec<String>> {
        let approvals = self.train_state(train)?.approvals;
        if approvals.is_empty() {
            return Ok(Vec::new());
        }
        let recorded = self.audit_records("approval", &train.name)?;
        let field =
            |r: &serde_json::Value, k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        for a in &approvals {
            let found = recorded.iter().any(|r| {
                field(r, "role").as_deref() == Some(a.role.as_str())
                    && field(r, "by").as_deref() == Some(a.by.as_str())
            });
            if !found {
                return Err(Error::refused(format!(
                    "the approval of `{}` by {} in the train's state has no record in the audit trail",
                    a.role, a.by
                ))
                .at(Location::file(self.state_file(&train.name)))
                .hint("approvals are given with `relman approve`; remove the one written by hand"));
            }
        }
        Ok(approvals.into_iter().map(|a| a.role).collect())
    }

    /// Where a completed train's notes are: in its state folder.
    pub fn train_notes_file(&self, train: &str) -> String {
        self.state_paths(train).notes()
    }

    /// The file trains are written in.
    pub fn trains_file(&self) -> String {
        self.catalog_file("release-trains.yaml")
    }
}

fn is_blank(text: &str) -> bool {
    super::catalog::is_blank_yaml(text)
}

/// What the state files held when last read or written, so that a write
/// rewrites only the files whose content changed.
#[derive(Debug, Default)]
pub struct Memo {
    plan: Option<RecordedPlan>,
    /// Each participant as its file holds it (no entry: it has no file).
    participants: HashMap<String, ParticipantState>,
    /// The one-file state to move into the folder at the next write.
    legacy: Option<String>,
    /// No state was found: the train never moved.
    fresh: bool,
}

impl Memo {
    /// A memo of `state` as if every part of it were in its files.
    pub fn written(state: &State) -> Self {
        Self {
            plan: state.plan.clone(),
            participants: state
                .participants
                .iter()
                .map(|p| (p.service.clone(), p.clone()))
                .collect(),
            legacy: None,
            fresh: false,
        }
    }

    /// Tells whether no state was found (the train never moved).
    pub fn fresh(&self) -> bool {
        self.fresh
    }
}

/// Writes `state` in `tx`, refusing when `train.yaml` no longer holds the
/// serial it was read with (another writer got there first); the serial
/// grows by one. Only the files whose content changed are written; with
/// `only`, of the participants only that one (a release commit carries
/// no other participant's progress).
pub fn save(
    tx: &mut Transaction<'_>,
    repo: &Repo,
    state: &mut State,
    read_serial: u64,
    memo: &mut Memo,
    only: Option<&str>,
) -> Result<()> {
    let paths = repo.state_paths(&state.train);
    let what = "train state (`paths.state`)";
    let on_disk = match tx.read(&paths.train(), what)?.filter(|t| !is_blank(t)) {
        Some(text) => crate::yaml::parse::<TrainRecord>(&text, &paths.train())?.serial,
        None => match tx.read(paths.legacy(), what)?.filter(|t| !is_blank(t)) {
            Some(text) => crate::yaml::parse::<State>(&text, paths.legacy())?.serial,
            None => 0,
        },
    };
    if on_disk != read_serial {
        return Err(Error::refused(format!(
            "the state of train `{}` changed while relman was working (serial {on_disk}, read as {read_serial})",
            state.train
        ))
        .at(Location::file(paths.train()))
        .hint("run the command again"));
    }
    state.serial = read_serial + 1;
    // Moving the one-file state removes the file that held every
    // participant's progress: all of it moves in this same commit.
    let only = if memo.legacy.is_some() { None } else { only };
    for (file, text) in changed_files(&paths, state, memo, only)? {
        tx.write(&file, what, "state", text)?;
    }
    if let Some(legacy) = memo.legacy.take() {
        tx.remove(&legacy, what)?;
    }
    Ok(())
}

/// The state files whose content changed since `memo`, with their new
/// text: `train.yaml` always, the plan once, and each participant that
/// moved (with `only`, that one alone). `memo` then holds them as written.
pub fn changed_files(
    paths: &Paths,
    state: &State,
    memo: &mut Memo,
    only: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let mut out = vec![(paths.train(), yaml(&TrainRecord::of(state))?)];
    if let Some(plan) = &state.plan
        && memo.plan.as_ref() != Some(plan)
    {
        out.push((paths.plan(), yaml(plan)?));
        memo.plan = Some(plan.clone());
    }
    let steps = state.plan.as_ref().map(|p| p.steps.as_slice()).unwrap_or_default();
    for p in &state.participants {
        if only.is_some_and(|s| s != p.service) {
            continue;
        }
        let unchanged = match memo.participants.get(&p.service) {
            Some(written) => written == p,
            // No file: the plan says it all while it has not moved.
            None => {
                steps.iter().any(|s| s.service == p.service && ParticipantState::planned(s) == *p)
            }
        };
        if unchanged {
            continue;
        }
        if RESERVED.contains(&p.service.as_str()) {
            return Err(Error::input(format!(
                "a participant named `{}` would overwrite the train's own `{}.yaml`",
                p.service, p.service
            ))
            .at(Location::file(paths.participant(&p.service)))
            .hint("rename the service, or leave it out of the train"));
        }
        out.push((paths.participant(&p.service), yaml(p)?));
        memo.participants.insert(p.service.clone(), p.clone());
    }
    Ok(out)
}

fn yaml(value: &impl Serialize) -> Result<String> {
    let text = serde_saphyr::to_string(value)
        .map_err(|e| Error::input(format!("cannot write the train state: {e}")))?;
    Ok(format!("{HEADER}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{Action, Step};
    use crate::domain::train::{HookRun, Phase};
    use crate::domain::version::Version;

    fn step(k: usize) -> Step {
        Step {
            service: format!("svc{k}"),
            from: Version::new(1, 2, 0),
            to: Version::new(1, 10, 0),
            tag: Some(format!("svc{k}-v1.10.0")),
            wave: k,
            depends_on: (0..k).map(|d| format!("svc{d}")).collect(),
            action: if k == 1 { Action::Skip } else { Action::Release },
            reason: "commits: minor: a \"quoted\" #reason\nover two lines".into(),
        }
    }

    /// Every part of a state reads back as it was written, quoting included.
    #[test]
    fn each_part_reads_back_as_written() {
        let record = TrainRecord {
            train: "q4: \"the\" train".into(),
            status: Status::Paused,
            paused_from: Some(Status::Executing),
            serial: 7,
            approvals: vec![Approval {
                role: "qa".into(),
                by: "Ann <a@x>".into(),
                at: "2026-11-22T10:00:00+00:00".into(),
                note: Some("yes: `$(x)`\n# not a comment".into()),
            }],
            rollbacks: Vec::new(),
            failure: Some(Failure { service: None, reason: "health: 50%".into() }),
            rolling_back: Some("p95 doubled".into()),
        };
        let back: TrainRecord = crate::yaml::parse(&yaml(&record).unwrap(), "t").unwrap();
        assert_eq!(back, record);
        let plan = RecordedPlan {
            head: Some("0".repeat(40)),
            inputs: [("a.yaml".to_owned(), "f".repeat(64))].into(),
            steps: (0..3).map(step).collect(),
        };
        let back: RecordedPlan = crate::yaml::parse(&yaml(&plan).unwrap(), "p").unwrap();
        assert_eq!(back, plan);
        let p = ParticipantState {
            service: "svc0".into(),
            phase: Phase::Released,
            start: Some("1".repeat(40)),
            tag: Some("svc0-v1.10.0".into()),
            commit: Some("2".repeat(40)),
            hooks: vec![HookRun {
                hook: "release".into(),
                started: Some("2026-11-22T09:59:00+00:00".into()),
                at: "2026-11-22T10:00:00+00:00".into(),
                result: "passed".into(),
                exit: Some(0),
            }],
        };
        let back: ParticipantState = crate::yaml::parse(&yaml(&p).unwrap(), "s").unwrap();
        assert_eq!(back, p);
    }
}
