//! The trains on the page: each participant with its last recorded gate
//! verdicts, each gate's verdict now, approvals and rollbacks.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::super::train::plan;
use crate::domain::audit::Verdict;
use crate::domain::catalog::{Catalog, Train};
use crate::domain::gates::{self, GateKind, Inputs};
use crate::domain::train::{Phase, Status};
use crate::error::Result;
use crate::repo::Repo;

/// A participant of a train on the page.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// The service.
    pub service: String,
    /// Its wave, from 1.
    pub wave: usize,
    /// Its phase in the train's state.
    pub phase: Phase,
    /// Version before the train.
    pub from: String,
    /// Version after it.
    pub to: String,
    /// `release` or `skip`.
    pub action: String,
    /// The tag made, once made.
    pub tag: Option<String>,
    /// Its verdict on each gate the last time the train's gates were
    /// recorded (empty when none were).
    pub gates: Vec<ParticipantGate>,
}

/// A participant's verdict on one gate, as last recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantGate {
    /// The gate as written.
    pub gate: String,
    /// Whether this participant passed it.
    pub passed: bool,
}

/// When a train's gate verdicts were last recorded in the audit trail.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedGates {
    /// The time of the audit line.
    pub at: String,
    /// The move it recorded (`validating → staging`).
    pub transition: String,
}

/// A gate's verdict on the page.
#[derive(Debug, Clone, Serialize)]
pub struct GateView {
    /// The gate as written.
    pub gate: String,
    /// Whether it passes now; `null` for a command gate, which the page does not run.
    pub passed: Option<bool>,
    /// Whether a failure blocks the train.
    pub blocking: bool,
    /// The verdict's summary.
    pub message: String,
}

/// A train on the page.
#[derive(Debug, Clone, Serialize)]
pub struct TrainView {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its status.
    pub status: Status,
    /// Its scheduled start.
    pub start_time: Option<String>,
    /// Participants by wave (the recorded plan once staged, else the plan now).
    pub waves: Vec<Vec<String>>,
    /// Each participant.
    pub participants: Vec<ParticipantView>,
    /// Each gate's verdict.
    pub gates: Vec<GateView>,
    /// When the verdicts the participants show were recorded; `null` when
    /// the audit trail records none for this train.
    pub gates_recorded: Option<RecordedGates>,
    /// Why it failed, if it did.
    pub failure: Option<String>,
    /// Its approvals: role, who, when, note.
    pub approvals: Vec<crate::domain::train::Approval>,
    /// Its rollbacks: service, versions, when, why.
    pub rollbacks: Vec<crate::domain::train::RollbackRecord>,
}

/// A train as the page shows it.
pub(super) fn train_view(
    repo: &Repo,
    catalog: &Catalog,
    train: &Train,
    recorded: Option<&(RecordedGates, Vec<Verdict>)>,
    today: chrono::NaiveDate,
) -> Result<TrainView> {
    let state = repo.train_state(train)?;
    let steps = match &state.plan {
        Some(p) => p.steps.clone(),
        None => plan::compute(repo, catalog, train, &repo.trains_file(), today)?.sequence,
    };
    let mut waves: Vec<Vec<String>> = Vec::new();
    for s in &steps {
        if s.wave == 0 {
            continue;
        }
        if waves.len() < s.wave {
            waves.resize(s.wave, Vec::new());
        }
        waves[s.wave - 1].push(s.service.clone());
    }
    let participants = steps
        .iter()
        .map(|s| {
            let p = state.participant(&s.service);
            ParticipantView {
                service: s.service.clone(),
                wave: s.wave,
                phase: p.map(|p| p.phase).unwrap_or_default(),
                from: s.from.to_string(),
                to: s.to.to_string(),
                action: serde_json::to_value(s.action)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                tag: p.and_then(|p| p.tag.clone()).or_else(|| s.tag.clone()),
                gates: recorded
                    .map(|(_, verdicts)| {
                        verdicts
                            .iter()
                            .map(|v| ParticipantGate {
                                gate: v.gate.clone(),
                                passed: v.passed_by(&s.service),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    // The verdicts each gate gives now; a command gate is not run here.
    let policies = repo.policies()?;
    let mut read = Vec::new();
    if train.gates.iter().any(|g| !matches!(g.kind, GateKind::Command { .. })) {
        for p in &train.participants {
            read.push((p.service.clone(), repo.metrics(&p.service)?));
        }
    }
    let approved: Vec<String> = state.approvals.iter().map(|a| a.role.clone()).collect();
    let inputs =
        Inputs { participants: &read, policy: &policies.quality_gates, approved_roles: &approved };
    let gates = train
        .gates
        .iter()
        .map(|g| match g.kind {
            GateKind::Command { .. } => GateView {
                gate: g.text.clone(),
                passed: None,
                blocking: g.blocking,
                message: "a command gate: `relman train validate` runs it".into(),
            },
            _ => {
                let r = gates::evaluate(g, &inputs, None);
                GateView {
                    gate: r.gate,
                    passed: Some(r.passed),
                    blocking: r.blocking,
                    message: r.message,
                }
            }
        })
        .collect();
    Ok(TrainView {
        name: train.name.clone(),
        description: train.description.clone(),
        status: train.status,
        start_time: train.start_time.clone(),
        waves,
        participants,
        gates,
        gates_recorded: recorded.map(|(r, _)| r.clone()),
        failure: state.failure.as_ref().map(|f| match &f.service {
            Some(s) => format!("{s}: {}", f.reason),
            None => f.reason.clone(),
        }),
        approvals: state.approvals.clone(),
        rollbacks: state.rollbacks.clone(),
    })
}

/// Each train's last gate verdicts the audit trail records (in a
/// transition's line), with when and at which move.
pub(super) fn last_verdicts(records: &[Value]) -> BTreeMap<&str, (RecordedGates, Vec<Verdict>)> {
    let mut out = BTreeMap::new();
    for r in records {
        let get = |k: &str| r.get(k).and_then(Value::as_str);
        let (Some("transition"), Some(train), Some(gates)) =
            (get("action"), get("train"), r.get("gates"))
        else {
            continue;
        };
        let Ok(verdicts) = serde_json::from_value::<Vec<Verdict>>(gates.clone()) else {
            continue;
        };
        let at = RecordedGates {
            at: get("time").unwrap_or_default().to_owned(),
            transition: format!(
                "{} → {}",
                get("from").unwrap_or_default(),
                get("to").unwrap_or_default()
            ),
        };
        out.insert(train, (at, verdicts));
    }
    out
}
