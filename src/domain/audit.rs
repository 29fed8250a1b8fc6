//! The records of the audit trail (SPEC §6.4), one type per action, so
//! every writer records the same fields under the same names.

use serde::{Deserialize, Serialize};

use super::gates::GateResult;
use super::policy::Urgency;
use super::train::Approval;

/// One audit record's content (the time and the chain are added when it
/// is appended).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Event {
    /// A release: version files, changelog, commit, tag.
    Release {
        /// The service or project.
        service: String,
        /// The new version.
        version: String,
        /// The version before.
        previous: String,
        /// The tag.
        tag: String,
        /// The files the release commit changes.
        files: Vec<String>,
        /// Who released.
        who: String,
        /// The train it belongs to.
        #[serde(skip_serializing_if = "Option::is_none")]
        train: Option<String>,
        /// A hotfix's urgency.
        #[serde(skip_serializing_if = "Option::is_none")]
        urgency: Option<Urgency>,
        /// The approvals it was released with: who gave which role, when.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        approvals: Vec<Approval>,
        /// The verdicts of the urgency's gates it was released with.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        gates: Vec<Verdict>,
    },
    /// A train moved from one status to another.
    Transition {
        /// The train.
        train: String,
        /// Where it was.
        from: String,
        /// Where it is.
        to: String,
        /// Who moved it.
        who: String,
        /// Why, when it failed or rolled back.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Entering staging: the SHA-256 of the plan recorded (`plan.yaml`).
        #[serde(skip_serializing_if = "Option::is_none")]
        plan: Option<String>,
        /// The verdicts of the gates evaluated for this move (entering
        /// validating, leaving it, and verifying's re-evaluation).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        gates: Vec<Verdict>,
    },
    /// An approval.
    Approval {
        /// The train.
        train: String,
        /// The role.
        role: String,
        /// Who approved.
        by: String,
        /// The note given.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A train's rollback decided, before its first rollback hook runs.
    RollbackStarted {
        /// The train.
        train: String,
        /// Why.
        reason: String,
        /// Who.
        who: String,
    },
    /// A service rolled back.
    Rollback {
        /// The train, when rolling a train back.
        #[serde(skip_serializing_if = "Option::is_none")]
        train: Option<String>,
        /// The service.
        service: String,
        /// The version it had.
        from: String,
        /// The version restored.
        to: String,
        /// Why.
        reason: String,
        /// Who.
        who: String,
    },
    /// A deployment to an environment (SPEC §7).
    Deploy {
        /// The environment.
        env: String,
        /// The service or project.
        service: String,
        /// The version deployed.
        version: String,
        /// The version live before.
        #[serde(skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
        /// The strategy.
        strategy: String,
        /// Blue-green: the slot deployed to.
        #[serde(skip_serializing_if = "Option::is_none")]
        slot: Option<String>,
        /// `succeeded`, `failed` or `rolled_back`.
        result: String,
        /// Who.
        who: String,
    },
    /// An environment's service put back to an earlier version.
    DeployRollback {
        /// The environment.
        env: String,
        /// The service or project.
        service: String,
        /// The version it had.
        from: String,
        /// The version restored.
        to: String,
        /// Why.
        reason: String,
        /// Who (`relman` for an automatic rollback).
        who: String,
    },
    /// An approval to deploy a version to an environment.
    DeployApproval {
        /// The environment.
        env: String,
        /// The service or project.
        service: String,
        /// The version.
        version: String,
        /// The role.
        role: String,
        /// Who approved.
        by: String,
    },
}

/// One gate's verdict as the audit trail records it. Lines written before
/// verdicts were recorded have no `gates` key: they hold no verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The gate as written.
    pub gate: String,
    /// Whether it passed.
    pub passed: bool,
    /// Whether a failure blocks (`false`: a warning).
    #[serde(default = "yes")]
    pub blocking: bool,
    /// The participants (or the service) failing it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Verdict {
    /// The verdict of one evaluated gate.
    pub fn of(result: &GateResult) -> Self {
        let mut failed: Vec<String> =
            result.failures.iter().filter_map(|f| f.service.clone()).collect();
        failed.dedup();
        Self { gate: result.gate.clone(), passed: result.passed, blocking: result.blocking, failed }
    }

    /// Whether `participant` passed it: listed as failing, it did not; a
    /// failing gate that names no participant (an approval, a command)
    /// fails for every one.
    pub fn passed_by(&self, participant: &str) -> bool {
        if self.failed.iter().any(|f| f == participant) {
            return false;
        }
        self.passed || !self.failed.is_empty()
    }
}

impl Event {
    /// Returns the record as a JSON object, `time` first.
    pub fn record(&self, time: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("time".into(), serde_json::Value::from(time));
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(self) {
            map.extend(fields);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_name_the_action_after_the_time() {
        let e =
            Event::Approval { train: "t".into(), role: "qa".into(), by: "A".into(), note: None };
        let text = serde_json::to_string(&e.record("2026-11-22T10:00:00+00:00")).unwrap();
        assert_eq!(
            text,
            r#"{"time":"2026-11-22T10:00:00+00:00","action":"approval","train":"t","role":"qa","by":"A"}"#
        );
    }

    #[test]
    fn verdicts_are_recorded_only_when_there_are_some() {
        let move_ = |gates| Event::Transition {
            train: "t".into(),
            from: "planning".into(),
            to: "validating".into(),
            who: "A".into(),
            reason: None,
            plan: None,
            gates,
        };
        let text = serde_json::to_string(&move_(Vec::new()).record("T")).unwrap();
        assert!(!text.contains("gates"), "{text}");
        let v =
            Verdict { gate: "g".into(), passed: false, blocking: true, failed: vec!["b".into()] };
        let text = serde_json::to_string(&move_(vec![v.clone()]).record("T")).unwrap();
        assert!(
            text.ends_with(
                r#""gates":[{"gate":"g","passed":false,"blocking":true,"failed":["b"]}]}"#
            ),
            "{text}"
        );
        let back: Verdict = serde_json::from_str(r#"{"gate":"g","passed":true}"#).unwrap();
        assert!(back.blocking && back.failed.is_empty());
        assert!(!v.passed_by("b") && v.passed_by("a"));
        let train_wide = Verdict { failed: Vec::new(), ..v };
        assert!(!train_wide.passed_by("a"));
    }
}
