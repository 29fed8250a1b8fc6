//! The `release_types.major` approvals a train's plan needs (SPEC §2.1):
//! a plan that releases a major version of some participant needs every
//! role of the policy's `release_types.major.approvals` among the train's
//! approvals before staging. One reading of it serves staging (which
//! refuses), `train run --dry-run` and `train validate` (a failing check
//! beside the gates) and `train plan` (which shows it).

use serde::Serialize;

use crate::domain::catalog::{Catalog, Train};
use crate::domain::change_control;
use crate::domain::gates::{Failure as GateFailure, GateResult};
use crate::domain::plan::Step;
use crate::domain::version::Version;
use crate::error::Result;
use crate::repo::Repo;

/// A participant a plan releases major.
#[derive(Debug, Clone, Serialize)]
pub struct MajorRelease {
    /// The service.
    pub service: String,
    /// Its version before the train.
    pub from: Version,
    /// Its version after it.
    pub to: Version,
}

/// The `release_types.major` approvals of a plan that releases a major
/// version.
#[derive(Debug, Clone, Serialize)]
pub struct MajorApprovals {
    /// The roles `release_types.major.approvals` asks for, as written.
    pub required: Vec<String>,
    /// Those the train has no recorded approval from (empty: all given).
    pub missing: Vec<String>,
    /// Each participant the plan releases major, in the plan's order.
    pub majors: Vec<MajorRelease>,
}

/// The major approvals of `steps` (a plan of `train`); `None` when the plan
/// releases no major version or the policy asks for no role.
pub fn of(repo: &Repo, train: &Train, steps: &[Step]) -> Result<Option<MajorApprovals>> {
    let majors: Vec<MajorRelease> = steps
        .iter()
        .filter(|s| s.releases() && change_control::is_major(&s.from, &s.to))
        .map(|s| MajorRelease {
            service: s.service.clone(),
            from: s.from.clone(),
            to: s.to.clone(),
        })
        .collect();
    if majors.is_empty() {
        return Ok(None);
    }
    let policies = repo.policies()?;
    let required = match policies.release_type_approvals.get(change_control::MAJOR) {
        Some(roles) if !roles.is_empty() => roles.clone(),
        _ => return Ok(None),
    };
    let approved = repo.approved_roles(train)?;
    let missing = required.iter().filter(|r| !approved.contains(r)).cloned().collect();
    Ok(Some(MajorApprovals { required, missing, majors }))
}

/// The major approvals `train` lacks for its plan (the recorded one once
/// staged, else the plan computed now); `None` when none is missing. The
/// plan is computed only when some `release_types.major` role is not
/// approved yet.
pub fn missing(
    repo: &Repo,
    catalog: &Catalog,
    train: &Train,
    today: chrono::NaiveDate,
) -> Result<Option<MajorApprovals>> {
    let policies = repo.policies()?;
    let Some(required) = policies.release_type_approvals.get(change_control::MAJOR) else {
        return Ok(None);
    };
    let approved = repo.approved_roles(train)?;
    if required.iter().all(|r| approved.contains(r)) {
        return Ok(None);
    }
    let steps = match repo.train_state(train)?.plan {
        Some(plan) => plan.steps,
        None => super::plan::compute(repo, catalog, train, &repo.trains_file(), today)?.sequence,
    };
    Ok(of(repo, train, &steps)?.filter(|m| !m.is_met()))
}

impl MajorApprovals {
    /// Tells whether every role is approved.
    pub fn is_met(&self) -> bool {
        self.missing.is_empty()
    }

    /// Each major release as `web 1.0.0 → 2.0.0`.
    pub fn releases(&self) -> String {
        let majors: Vec<String> =
            self.majors.iter().map(|m| format!("{} {} → {}", m.service, m.from, m.to)).collect();
        majors.join(", ")
    }

    /// What staging refuses with.
    pub fn message(&self, train: &str) -> String {
        format!(
            "train `{train}` releases a major version ({}): missing approval from {}",
            self.releases(),
            self.missing.join(", ")
        )
    }

    /// The same, as a failing check listed after the gates.
    pub fn as_gate(&self, train: &str) -> GateResult {
        let roles = self.missing.join(", ");
        GateResult {
            gate: format!("release_types.major approvals: [{roles}]"),
            passed: false,
            blocking: true,
            failures: self
                .majors
                .iter()
                .map(|m| GateFailure {
                    service: Some(m.service.clone()),
                    value: Some(format!("{} → {}", m.from, m.to)),
                    required: format!("approval from {roles}"),
                })
                .collect(),
            message: self.message(train),
        }
    }
}
