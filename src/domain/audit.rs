//! The records of the audit trail (SPEC §6.4), one type per action, so
//! every writer records the same fields under the same names.

use serde::Serialize;

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
}
