//! A train's lifecycle (SPEC §4): its statuses, the moves between them as
//! data, and where an interrupted run resumes (SPEC §4.1).

use serde::{Deserialize, Serialize};

/// A train's status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written, not started.
    #[default]
    Planning,
    /// Gates and dependencies are evaluated; all blocking ones must pass to leave.
    Validating,
    /// The plan is computed and recorded.
    Staging,
    /// Participants are released in plan order.
    Executing,
    /// Critical gates and health hooks are re-checked.
    Verifying,
    /// Done; notes written.
    Completed,
    /// Stopped by hand; resumes where it was.
    Paused,
    /// A step failed.
    Failed,
    /// Rolled back (only through `rollback`).
    RolledBack,
}

/// Every status, in SPEC §4's order.
pub const ALL: [Status; 9] = [
    Status::Planning,
    Status::Validating,
    Status::Staging,
    Status::Executing,
    Status::Verifying,
    Status::Completed,
    Status::Paused,
    Status::Failed,
    Status::RolledBack,
];

/// The main line `advance` walks, one step at a time.
pub const MAIN_LINE: [Status; 6] = [
    Status::Planning,
    Status::Validating,
    Status::Staging,
    Status::Executing,
    Status::Verifying,
    Status::Completed,
];

impl Status {
    /// Returns the snake_case name written in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Validating => "validating",
            Self::Staging => "staging",
            Self::Executing => "executing",
            Self::Verifying => "verifying",
            Self::Completed => "completed",
            Self::Paused => "paused",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
        }
    }

    /// Reads a status name.
    pub fn parse(name: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Tells whether the train is under way (it can be paused or fail).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Self::Planning | Self::Validating | Self::Staging | Self::Executing | Self::Verifying
        )
    }

    /// Returns the status `advance` moves to, if any.
    pub fn next(self) -> Option<Self> {
        let i = MAIN_LINE.iter().position(|s| *s == self)?;
        MAIN_LINE.get(i + 1).copied()
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What asks for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// `train start`, `advance`, `run`: the next status of the main line.
    Advance,
    /// `train pause`.
    Pause,
    /// `train resume`: back to the status it was paused from.
    Resume,
    /// A step failed.
    Fail,
    /// `rollback --train`.
    RollBack,
}

/// The moves of SPEC §4, as data: which move leads from which statuses.
pub const TRANSITIONS: &[(Move, &[Status])] = &[
    (
        Move::Advance,
        &[
            Status::Planning,
            Status::Validating,
            Status::Staging,
            Status::Executing,
            Status::Verifying,
        ],
    ),
    (
        Move::Pause,
        &[
            Status::Planning,
            Status::Validating,
            Status::Staging,
            Status::Executing,
            Status::Verifying,
        ],
    ),
    (Move::Resume, &[Status::Paused]),
    (
        Move::Fail,
        &[
            Status::Planning,
            Status::Validating,
            Status::Staging,
            Status::Executing,
            Status::Verifying,
            // A completed train whose rollback failed (SPEC 5).
            Status::Completed,
        ],
    ),
    (Move::RollBack, &[Status::Executing, Status::Verifying, Status::Completed, Status::Failed]),
];

/// A move the lifecycle does not allow from where the train is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Where the train is.
    pub from: Status,
    /// What was asked.
    pub asked: Move,
    /// The moves allowed from `from`, with where each leads.
    pub allowed: Vec<(Move, Status)>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |m: Move| match m {
            Move::Advance => "advance",
            Move::Pause => "pause",
            Move::Resume => "resume",
            Move::Fail => "fail",
            Move::RollBack => "rollback",
        };
        write!(f, "a train that is {} cannot {}", self.from, name(self.asked))?;
        if self.allowed.is_empty() {
            write!(f, "; no move is allowed from {}", self.from)
        } else {
            let allowed: Vec<String> =
                self.allowed.iter().map(|(m, to)| format!("{} (→ {to})", name(*m))).collect();
            write!(f, "; allowed: {}", allowed.join(", "))
        }
    }
}

/// Where `asked` leads from `from` (`paused_from`: the status a paused
/// train was paused from), or why it cannot.
pub fn transition(
    from: Status,
    asked: Move,
    paused_from: Option<Status>,
) -> Result<Status, Refused> {
    let lands = |m: Move| -> Option<Status> {
        let allowed = TRANSITIONS.iter().any(|(mv, froms)| *mv == m && froms.contains(&from));
        if !allowed {
            return None;
        }
        match m {
            Move::Advance => from.next(),
            Move::Pause => Some(Status::Paused),
            Move::Resume => paused_from.filter(|s| s.is_active()),
            Move::Fail => Some(Status::Failed),
            Move::RollBack => Some(Status::RolledBack),
        }
    };
    lands(asked).ok_or_else(|| Refused {
        from,
        asked,
        allowed: [Move::Advance, Move::Pause, Move::Resume, Move::RollBack]
            .into_iter()
            .filter_map(|m| lands(m).map(|to| (m, to)))
            .collect(),
    })
}

/// What the repository shows for a participant whose release was intended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The commit the intended tag points at, if the tag exists.
    pub tag_commit: Option<String>,
    /// That commit's first parent.
    pub tag_parent: Option<String>,
    /// A release commit made on top of the recorded start, in HEAD's
    /// first-parent history, if any.
    pub release_commit: Option<String>,
}

/// Where a participant's release resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resume {
    /// Nothing was made: release it from the start.
    Redo,
    /// Its release commit exists without the tag: tag that commit.
    TagOnly {
        /// The release commit.
        commit: String,
    },
    /// Tagged on the release commit made on top of the start: done.
    Finished {
        /// The release commit.
        commit: String,
    },
    /// The tag exists on another commit.
    Conflict {
        /// The commit the tag points at.
        found: String,
        /// The commit it should point at (the release commit), or the start
        /// it should have been made on.
        expected: String,
    },
}

/// Compares the intent (a release started at commit `start`) with what the
/// repository shows. Neither the intent nor the tag alone is trusted.
pub fn resume_point(start: &str, seen: &Observed) -> Resume {
    match (&seen.tag_commit, &seen.release_commit) {
        (Some(tagged), Some(release)) if tagged == release => {
            Resume::Finished { commit: release.clone() }
        }
        (Some(tagged), None) if seen.tag_parent.as_deref() == Some(start) => {
            // Released on top of the start, but no longer in HEAD's history.
            Resume::Conflict { found: tagged.clone(), expected: start.to_owned() }
        }
        (Some(tagged), release) => Resume::Conflict {
            found: tagged.clone(),
            expected: release.clone().unwrap_or_else(|| start.to_owned()),
        },
        (None, Some(release)) => Resume::TagOnly { commit: release.clone() },
        (None, None) => Resume::Redo,
    }
}

/// Where a participant is (SPEC §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not released yet.
    #[default]
    Pending,
    /// Its release commit and tag are made; hooks not yet run.
    Tagged,
    /// Its `release` hook passed.
    Released,
    /// Its `health` hook passed.
    Healthy,
    /// A hook failed.
    Failed,
    /// Rolled back.
    RolledBack,
    /// Nothing to release (the plan's `skip`).
    Skipped,
}

/// The plan recorded at staging, with what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedPlan {
    /// HEAD when the plan was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// SHA-256 of each input file.
    #[serde(default)]
    pub inputs: std::collections::BTreeMap<String, String>,
    /// Every participant in plan order.
    #[serde(default)]
    pub steps: Vec<super::plan::Step>,
}

/// One hook run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookRun {
    /// `release`, `health` or `rollback`.
    pub hook: String,
    /// When it started (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// When it ended, or started while it runs (RFC 3339).
    pub at: String,
    /// `started` (running, or interrupted mid-run), `passed`, `failed`
    /// or `timed_out`.
    pub result: String,
    /// Its exit code, when it exited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
}

/// A participant's progress.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantState {
    /// The service.
    pub service: String,
    /// Where it is.
    #[serde(default)]
    pub phase: Phase,
    /// The intent: the commit its release starts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The tag its release makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Its release commit, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Hooks run, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<HookRun>,
}

/// An approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The role approving.
    pub role: String,
    /// Who.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One service rolled back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackRecord {
    /// The service.
    pub service: String,
    /// The version it had.
    pub from: String,
    /// The version restored.
    pub to: String,
    /// When (RFC 3339).
    pub at: String,
    /// Why.
    pub reason: String,
}

/// Why a train failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// The participant that failed, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// What happened.
    pub reason: String,
}

/// `.relman/state/<train>.yaml`: relman's own record of a train (SPEC §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The train.
    pub train: String,
    /// Its status (the catalog's `status:` says the same).
    #[serde(default)]
    pub status: Status,
    /// The status it was paused from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_from: Option<Status>,
    /// Grows with every write; a writer that read an older one refuses.
    #[serde(default)]
    pub serial: u64,
    /// The plan recorded at staging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<RecordedPlan>,
    /// Every participant's progress, in plan order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantState>,
    /// Approvals recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// Services rolled back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollbacks: Vec<RollbackRecord>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// A rollback decided and not finished: why. Recorded before the first
    /// rollback hook runs, so an interrupted rollback is resumed, never
    /// forgotten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_back: Option<String>,
}

impl ParticipantState {
    /// A participant as staging leaves it: pending (or skipped), its tag planned.
    pub fn planned(step: &super::plan::Step) -> Self {
        Self {
            service: step.service.clone(),
            phase: if step.releases() { Phase::Pending } else { Phase::Skipped },
            tag: step.tag.clone(),
            ..Self::default()
        }
    }
}

impl State {
    /// Returns the progress of `service`.
    pub fn participant(&self, service: &str) -> Option<&ParticipantState> {
        self.participants.iter().find(|p| p.service == service)
    }

    /// Returns the progress of `service`, added when missing.
    pub fn participant_mut(&mut self, service: &str) -> &mut ParticipantState {
        let i = match self.participants.iter().position(|p| p.service == service) {
            Some(i) => i,
            None => {
                self.participants
                    .push(ParticipantState { service: service.to_owned(), ..Default::default() });
                self.participants.len() - 1
            }
        };
        &mut self.participants[i]
    }

    /// Counts the participants released (tagged or further, not rolled back).
    pub fn released(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| {
                matches!(p.phase, Phase::Tagged | Phase::Released | Phase::Healthy | Phase::Failed)
            })
            .count()
    }
}

#[cfg(test)]
mod tests;
