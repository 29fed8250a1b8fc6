//! A train's state file, `.relman/state/<train>.yaml` (SPEC §4.1), and the
//! `status:` of the train in release-trains.yaml: read here, written only
//! through a transaction.

use super::Repo;
use super::transaction::Transaction;
use crate::domain::catalog::Train;
use crate::domain::train::{
    Approval, Failure, ParticipantState, RecordedPlan, RollbackRecord, State, Status,
};
use crate::error::{Error, Location, Result};

/// The first lines of every state file.
const HEADER: &str =
    "# relman's record of this train (SPEC 4.1): written by relman commands, not by hand.\n";

impl Repo {
    /// Returns the path of a train's state file.
    pub fn state_file(&self, train: &str) -> String {
        format!("{}/{train}.yaml", self.config.state.value.trim_end_matches('/'))
    }

    /// Reads a train's state; a train that never moved has a fresh one.
    pub fn train_state(&self, train: &Train) -> Result<State> {
        let file = self.state_file(&train.name);
        match self.read(&file)? {
            Some(text) if !super::catalog::is_blank_yaml(&text) => parse(&text, &file),
            _ => Ok(State { train: train.name.clone(), status: train.status, ..State::default() }),
        }
    }

    /// Returns the roles with a recorded approval for `train`.
    pub fn approved_roles(&self, train: &Train) -> Result<Vec<String>> {
        Ok(self.train_state(train)?.approvals.into_iter().map(|a| a.role).collect())
    }

    /// Where a completed train's notes are: beside its state file.
    pub fn train_notes_file(&self, train: &str) -> String {
        format!("{}/{train}.notes.md", self.config.state.value.trim_end_matches('/'))
    }

    /// The file trains are written in.
    pub fn trains_file(&self) -> String {
        self.catalog_file("release-trains.yaml")
    }
}

fn parse(text: &str, file: &str) -> Result<State> {
    super::yaml::parse(text, file)
}

/// Reads the serial of a state file: from the top-level `serial:` line
/// relman writes (a checkpoint per participant must not parse the whole
/// file), else by parsing it.
fn serial_of(text: &str, file: &str) -> Result<u64> {
    let line = text.lines().find_map(|l| l.strip_prefix("serial: "));
    match line.and_then(|v| v.trim().parse().ok()) {
        Some(serial) => Ok(serial),
        None => Ok(parse(text, file)?.serial),
    }
}

/// Writes `state` in `tx`, refusing when the file no longer holds the
/// serial it was read with (another writer got there first); the serial
/// grows by one.
pub fn save(
    tx: &mut Transaction<'_>,
    repo: &Repo,
    state: &mut State,
    read_serial: u64,
    memo: &mut Memo,
) -> Result<()> {
    let file = repo.state_file(&state.train);
    let what = "train state (`paths.state`)";
    let on_disk = match tx.read(&file, what)? {
        Some(text) if !super::catalog::is_blank_yaml(&text) => serial_of(&text, &file)?,
        _ => 0,
    };
    if on_disk != read_serial {
        return Err(Error::refused(format!(
            "the state of train `{}` changed while relman was working (serial {on_disk}, read as {read_serial})",
            state.train
        ))
        .at(Location::file(file))
        .hint("run the command again"));
    }
    state.serial = read_serial + 1;
    let yaml = memo.to_yaml(state)?;
    tx.write(&file, what, "state", format!("{HEADER}{yaml}"))?;
    Ok(())
}

/// A state's YAML as last written, in parts, so that a checkpoint
/// serialises again only what changed: a train checkpoints after each of
/// its participants, and its plan does not change while it executes.
/// The text is the same as serialising the whole state at once.
#[derive(Debug, Default)]
pub struct Memo {
    plan: Option<(RecordedPlan, String)>,
    participants: Vec<(ParticipantState, String)>,
}

/// The fields of a state before its plan.
#[derive(serde::Serialize)]
struct Head<'a> {
    train: &'a str,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    paused_from: Option<Status>,
    serial: u64,
}

#[derive(serde::Serialize)]
struct PlanPart<'a> {
    plan: &'a RecordedPlan,
}

#[derive(serde::Serialize)]
struct ParticipantPart<'a> {
    participants: [&'a ParticipantState; 1],
}

/// The fields of a state after its participants.
#[derive(serde::Serialize)]
struct Tail<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    approvals: &'a [Approval],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    rollbacks: &'a [RollbackRecord],
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<&'a Failure>,
}

const PARTICIPANTS: &str = "participants:\n";

impl Memo {
    /// Returns `state` as YAML (without the header comment).
    pub fn to_yaml(&mut self, state: &State) -> Result<String> {
        // Every field named: a field added to `State` must be placed here.
        let State {
            train,
            status,
            paused_from,
            serial,
            plan,
            participants,
            approvals,
            rollbacks,
            failure,
        } = state;
        let head = Head { train, status: *status, paused_from: *paused_from, serial: *serial };
        let mut out = to_string(&head)?;
        if let Some(plan) = plan {
            match &self.plan {
                Some((was, text)) if was == plan => out.push_str(text),
                _ => {
                    let text = to_string(&PlanPart { plan })?;
                    out.push_str(&text);
                    self.plan = Some((plan.clone(), text));
                }
            }
        }
        if !participants.is_empty() {
            out.push_str(PARTICIPANTS);
            self.participants.truncate(participants.len());
            for (k, p) in participants.iter().enumerate() {
                match self.participants.get(k) {
                    Some((was, text)) if was == p => out.push_str(text),
                    _ => {
                        let text = to_string(&ParticipantPart { participants: [p] })?;
                        let text = text.strip_prefix(PARTICIPANTS).unwrap_or(&text).to_owned();
                        out.push_str(&text);
                        let entry = (p.clone(), text);
                        match self.participants.get_mut(k) {
                            Some(slot) => *slot = entry,
                            None => self.participants.push(entry),
                        }
                    }
                }
            }
        }
        let tail = Tail { approvals, rollbacks, failure: failure.as_ref() };
        if !tail.approvals.is_empty() || !tail.rollbacks.is_empty() || tail.failure.is_some() {
            out.push_str(&to_string(&tail)?);
        }
        Ok(out)
    }
}

fn to_string(value: &impl serde::Serialize) -> Result<String> {
    serde_saphyr::to_string(value)
        .map_err(|e| Error::input(format!("cannot write the train state: {e}")))
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

    fn participant(k: usize) -> ParticipantState {
        ParticipantState {
            service: format!("svc{k}"),
            phase: Phase::Released,
            start: Some("1".repeat(40)),
            tag: Some(format!("svc{k}-v1.10.0")),
            commit: k.is_multiple_of(2).then(|| "2".repeat(40)),
            hooks: (0..k)
                .map(|h| HookRun {
                    hook: "release".into(),
                    at: "2026-11-22T10:00:00+00:00".into(),
                    result: "passed".into(),
                    exit: (h > 0).then_some(0),
                })
                .collect(),
        }
    }

    /// A checkpoint's text is the state serialised at once, whatever changed
    /// since the last one, including states with no plan, participants or
    /// approvals.
    #[test]
    fn the_memo_writes_what_serialising_the_whole_state_writes() {
        let mut state = State {
            train: "q4: \"the\" train".into(),
            status: Status::Paused,
            paused_from: Some(Status::Executing),
            serial: 7,
            ..State::default()
        };
        let mut memo = Memo::default();
        let check = |memo: &mut Memo, state: &State| {
            assert_eq!(memo.to_yaml(state).unwrap(), serde_saphyr::to_string(state).unwrap());
        };
        check(&mut memo, &state);
        state.plan = Some(RecordedPlan {
            head: Some("0".repeat(40)),
            inputs: [("a.yaml".to_owned(), "f".repeat(64))].into(),
            steps: (0..4).map(step).collect(),
        });
        state.participants = (0..4).map(participant).collect();
        check(&mut memo, &state);
        state.participants[2].phase = Phase::Healthy;
        state.participants[3].hooks.clear();
        state.approvals.push(Approval {
            role: "qa".into(),
            by: "Ann <a@x>".into(),
            at: "2026-11-22T10:00:00+00:00".into(),
            note: Some("yes: `$(x)`".into()),
        });
        check(&mut memo, &state);
        state.participants.truncate(2);
        state.status = Status::Failed;
        state.failure = Some(Failure { service: Some("svc1".into()), reason: "health".into() });
        state.rollbacks.push(RollbackRecord {
            service: "svc0".into(),
            from: "1.10.0".into(),
            to: "1.2.0".into(),
            at: "2026-11-22T10:00:00+00:00".into(),
            reason: "outage".into(),
        });
        check(&mut memo, &state);
        state.plan = None;
        state.participants.clear();
        check(&mut memo, &state);
        state.participants = (0..3).map(participant).collect();
        check(&mut memo, &state);
    }
}
