//! Upgrade policies (SPEC §1.5): thresholds for gates, hotfix urgencies,
//! release-type approvals, environments. Every key has a default; unknown
//! keys are refused so a typo never silently disables a gate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::timeout::WholeSeconds;

/// `upgrade-policies.yaml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicies {
    release_trains: Option<RawReleaseTrains>,
    hotfix: Option<RawHotfix>,
    release_types: Option<BTreeMap<String, RawApprovals>>,
    environments: Option<super::environment::RawEnvironments>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReleaseTrains {
    quality_gates: Option<RawQualityGates>,
    validation: Option<RawValidation>,
    notifications: Option<RawNotifications>,
    deploy: Option<RawTrainDeploy>,
}

/// `release_trains.deploy:`: where a train's `executing` deploys each
/// participant it released (off when absent).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrainDeploy {
    environment: serde_saphyr::Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQualityGates {
    min_quality_score: Option<f64>,
    max_critical_vulns: Option<u64>,
    min_coverage: Option<f64>,
    max_failure_rate: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    health_check_timeout: Option<WholeSeconds>,
    dependency_check_timeout: Option<WholeSeconds>,
    rollback_timeout: Option<WholeSeconds>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotifications {
    enabled: Option<bool>,
    hook: Option<super::hook::Hook>,
    timeout: Option<WholeSeconds>,
    #[serde(default)]
    channels: Vec<String>,
    #[serde(default)]
    stakeholders: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHotfix {
    #[serde(default)]
    urgency: BTreeMap<Urgency, RawUrgency>,
}

/// Hotfix urgency levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// Critical.
    Critical,
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUrgency {
    #[serde(default)]
    approvals: Vec<String>,
    #[serde(default)]
    gates: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApprovals {
    #[serde(default)]
    approvals: Vec<String>,
}

/// Gate thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityGates {
    /// `min_quality_score` (default 80).
    pub min_quality_score: f64,
    /// `max_critical_vulns` (default 0).
    pub max_critical_vulns: f64,
    /// `min_coverage` (default 75).
    pub min_coverage: f64,
    /// `max_failure_rate` (default 5).
    pub max_failure_rate: f64,
}

impl Default for QualityGates {
    fn default() -> Self {
        Self {
            min_quality_score: 80.0,
            max_critical_vulns: 0.0,
            min_coverage: 75.0,
            max_failure_rate: 5.0,
        }
    }
}

pub use super::environment::{Environment, Strategy};

/// The validated policies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policies {
    /// Gate thresholds.
    pub quality_gates: QualityGates,
    /// Seconds a health check (and a `command:` gate) may run.
    pub health_check_timeout: u64,
    /// Seconds a dependency check may run.
    pub dependency_check_timeout: u64,
    /// Seconds a rollback may run.
    pub rollback_timeout: u64,
    /// Notifications on.
    pub notifications_enabled: bool,
    /// Notification channels.
    pub channels: Vec<String>,
    /// Stakeholders.
    pub stakeholders: Vec<String>,
    /// The notification hook, run on train transitions, deployments and
    /// rollbacks (unless `enabled: false`).
    pub notification_hook: Option<super::hook::Hook>,
    /// Seconds the notification hook may run.
    pub notification_timeout: u64,
    /// Approvals per hotfix urgency.
    pub hotfix_approvals: BTreeMap<Urgency, Vec<String>>,
    /// Gates per hotfix urgency.
    pub hotfix_gates: BTreeMap<Urgency, Vec<String>>,
    /// Approvals per release type (`major`, ...).
    pub release_type_approvals: BTreeMap<String, Vec<String>>,
    /// Environments in promotion order.
    pub environments: Vec<Environment>,
    /// `release_trains.deploy.environment`: the environment a train's
    /// `executing` deploys each participant it released to (`None`: a
    /// train releases and deploys nothing).
    pub train_deploy: Option<String>,
}

/// A policy refused: what is wrong, and where when the parser knows
/// (line, column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// What is wrong.
    pub message: String,
    /// Its line and column in the file.
    pub at: Option<(u64, u64)>,
}

impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Self { message, at: None }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Default for Policies {
    fn default() -> Self {
        Self::from_raw(RawPolicies::default())
            .expect("the built-in defaults are within every bound")
    }
}

impl Policies {
    /// Applies defaults to the raw file and checks what serde cannot.
    pub fn from_raw(raw: RawPolicies) -> Result<Self, Invalid> {
        let d = QualityGates::default();
        let rt = raw.release_trains.unwrap_or_default();
        let qg = rt.quality_gates.unwrap_or_default();
        let v = rt.validation.unwrap_or_default();
        let n = rt.notifications.unwrap_or_default();
        let quality_gates = QualityGates {
            min_quality_score: qg.min_quality_score.unwrap_or(d.min_quality_score),
            max_critical_vulns: qg.max_critical_vulns.map_or(d.max_critical_vulns, |x| x as f64),
            min_coverage: qg.min_coverage.unwrap_or(d.min_coverage),
            max_failure_rate: qg.max_failure_rate.unwrap_or(d.max_failure_rate),
        };
        for (name, value) in [
            ("min_quality_score", quality_gates.min_quality_score),
            ("min_coverage", quality_gates.min_coverage),
            ("max_failure_rate", quality_gates.max_failure_rate),
        ] {
            if !(0.0..=100.0).contains(&value) {
                return Err(format!("`{name}` is {value}, outside 0 to 100").into());
            }
        }
        let hotfix = raw.hotfix.unwrap_or_default();
        let mut hotfix_approvals = BTreeMap::new();
        let mut hotfix_gates = BTreeMap::new();
        for (u, r) in hotfix.urgency {
            hotfix_approvals.insert(u, r.approvals);
            hotfix_gates.insert(u, r.gates);
        }
        let release_type_approvals = raw
            .release_types
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.approvals))
            .collect();
        let environments = super::environment::resolve(raw.environments.unwrap_or_default())?;
        let train_deploy = match rt.deploy {
            None => None,
            Some(d) => {
                let name = d.environment.value;
                if !environments.iter().any(|e| e.name == name) {
                    let known: Vec<&str> = environments.iter().map(|e| e.name.as_str()).collect();
                    let hint = super::suggestion::did_you_mean(&name, known.iter().copied())
                        .unwrap_or_else(|| format!("the environments are: {}", known.join(", ")));
                    return Err(Invalid {
                        message: format!(
                            "`release_trains.deploy.environment: {}` is not in `environments.order` ({hint})",
                            name.escape_debug()
                        ),
                        at: Some((
                            d.environment.referenced.line(),
                            d.environment.referenced.column(),
                        )),
                    });
                }
                Some(name)
            }
        };
        Ok(Self {
            quality_gates,
            health_check_timeout: v.health_check_timeout.map_or(300, |s| s.0),
            dependency_check_timeout: v.dependency_check_timeout.map_or(60, |s| s.0),
            rollback_timeout: v.rollback_timeout.map_or(600, |s| s.0),
            notifications_enabled: n.enabled.unwrap_or(false),
            channels: n.channels,
            stakeholders: n.stakeholders,
            notification_hook: n.hook.filter(|_| n.enabled != Some(false)),
            notification_timeout: n.timeout.map_or(30, |s| s.0),
            hotfix_approvals,
            hotfix_gates,
            release_type_approvals,
            environments,
            train_deploy,
        })
    }
}
