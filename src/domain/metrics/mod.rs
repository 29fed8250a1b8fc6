//! Release metrics (SPEC §8): the pure part. Bands, rates, medians,
//! percentiles, weekly buckets and the commits each release brought, from
//! data the command read; no repository, no clock.
//!
//! "No data" is `None` everywhere: a rate over nothing, a median of no
//! values, a band of no figure. Nothing here turns missing data into 0.
//!
//! The DORA bands follow the 2023 Accelerate State of DevOps report's
//! performance clusters (its table "Software delivery performance"):
//!
//! | key | elite | high | medium | low |
//! | --- | --- | --- | --- | --- |
//! | deployment frequency | on demand (≥ 7 a week) | daily to weekly (≥ 1 a week) | weekly to monthly (≥ 1 in 30 days) | less often |
//! | lead time for changes | < 1 day | < 1 week | < 1 month (30 days) | longer |
//! | change failure rate | ≤ 5 % | ≤ 10 % | ≤ 15 % | more |
//! | failed deployment recovery time | < 1 hour | < 1 day | < 1 week | longer |
//!
//! The report's medium and low clusters share their ranges for deployment
//! frequency and lead time ("between once per week and once per month"):
//! relman puts the line between them at a month, as the 2022 report did.
//!
//! - this file: the bands;
//! - `stats`: rates, medians, percentiles, weekly buckets, the chart;
//! - `history`: the commits each release brought, from `git log`;
//! - `deployments`: the figures read from the deployment ledger;
//! - `gates`: the gate pass rate.

mod deployments;
mod gates;
mod history;
mod stats;
#[cfg(test)]
mod tests;

pub use deployments::{Deployment, DeploymentFigures, Outcome, deployment_figures, from_ledger};
pub use gates::{GateVerdict, gate_pass};
pub use history::{History, release_commits};
pub use stats::{Week, mean, median, per_week, percentile, ratio, sparkline, weekly, weeks, ymd};

use serde::Serialize;

/// A DORA performance band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// The best cluster.
    Elite,
    /// The second.
    High,
    /// The third.
    Medium,
    /// The last.
    Low,
}

impl Band {
    /// The band's name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elite => "elite",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
}

/// Seconds in an hour.
pub(super) const HOUR: f64 = 3600.0;

/// Deployments a week at or above which the band is elite (on demand: daily or more).
pub const ELITE_DEPLOYS_PER_WEEK: f64 = 7.0;
/// Deployments a week at or above which the band is high (weekly).
pub const HIGH_DEPLOYS_PER_WEEK: f64 = 1.0;
/// Deployments a week at or above which the band is medium (monthly: one in 30 days).
pub const MEDIUM_DEPLOYS_PER_WEEK: f64 = 7.0 / 30.0;

/// The band of a deployment frequency, in deployments a week.
pub fn deployment_frequency_band(per_week: f64) -> Band {
    if per_week >= ELITE_DEPLOYS_PER_WEEK {
        Band::Elite
    } else if per_week >= HIGH_DEPLOYS_PER_WEEK {
        Band::High
    } else if per_week >= MEDIUM_DEPLOYS_PER_WEEK {
        Band::Medium
    } else {
        Band::Low
    }
}

/// The band of a lead time for changes (the median), in hours.
pub fn lead_time_band(hours: f64) -> Band {
    if hours < 24.0 {
        Band::Elite
    } else if hours < 7.0 * 24.0 {
        Band::High
    } else if hours < 30.0 * 24.0 {
        Band::Medium
    } else {
        Band::Low
    }
}

/// The band of a change failure rate (0 to 1).
pub fn change_failure_band(rate: f64) -> Band {
    if rate <= 0.05 {
        Band::Elite
    } else if rate <= 0.10 {
        Band::High
    } else if rate <= 0.15 {
        Band::Medium
    } else {
        Band::Low
    }
}

/// The band of a time to recovery, in hours.
pub fn recovery_band(hours: f64) -> Band {
    if hours < 1.0 {
        Band::Elite
    } else if hours < 24.0 {
        Band::High
    } else if hours < 7.0 * 24.0 {
        Band::Medium
    } else {
        Band::Low
    }
}
