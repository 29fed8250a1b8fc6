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

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
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
const HOUR: f64 = 3600.0;

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

/// `part / whole`, `None` over nothing.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The median (the mean of the two middle values for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// The `p`th percentile (0 < p ≤ 100) by nearest rank: the smallest value
/// with at least p % of the values at or below it.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v.get(rank.clamp(1, v.len()) - 1).copied()
}

/// The mean.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Weeks (7 days, any fraction) between two unix times.
pub fn weeks(since: i64, until: i64) -> f64 {
    (until - since).max(0) as f64 / (7.0 * 86_400.0)
}

/// Events a week over the window, `None` when there was none.
pub fn per_week(count: usize, since: i64, until: i64) -> Option<f64> {
    let w = weeks(since, until);
    (count > 0 && w > 0.0).then(|| count as f64 / w)
}

/// Writes a date as `YYYY-MM-DD`.
pub fn ymd<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// One ISO week's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Week {
    /// Its Monday.
    #[serde(serialize_with = "ymd")]
    pub week_start: NaiveDate,
    /// Events in it.
    pub count: usize,
}

/// Counts `times` (unix seconds) per ISO week (Monday to Sunday, UTC), from
/// the week holding `since` to the week holding `until`; times outside are
/// left out.
pub fn weekly(times: &[i64], since: i64, until: i64) -> Vec<Week> {
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|d| d.date_naive());
    let (Some(first), Some(last)) = (day(since), day(until.max(since))) else {
        return Vec::new();
    };
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let start = monday(first);
    let n = ((monday(last) - start).num_days() / 7 + 1) as usize;
    let mut out: Vec<Week> = (0..n)
        .map(|i| Week { week_start: start + Duration::days(7 * i as i64), count: 0 })
        .collect();
    for &t in times {
        if t < since || t > until {
            continue;
        }
        if let Some(d) = day(t) {
            let i = ((d - start).num_days() / 7) as usize;
            if let Some(w) = out.get_mut(i) {
                w.count += 1;
            }
        }
    }
    out
}

/// A one-line chart of counts: a space for none, else one of eight block
/// characters, the lowest for 1 and the highest for the top count.
pub fn sparkline(counts: &[usize]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&c| match c {
            0 => ' ',
            _ if top <= 1 => BARS[7],
            _ => BARS[((c - 1) * 7 / (top - 1)).min(7)],
        })
        .collect()
}

/// The history the lead-time reader walks: each commit's author time and
/// parents, read from `git log --format='%H %at %P'` lines. A commit is
/// known by the first 16 hex digits of its id (64 bits: ids that share
/// them are not met in practice); a parent outside the text was released
/// before (the log hid it).
#[derive(Debug, Default)]
pub struct History {
    /// Id prefix → index.
    index: HashMap<u64, u32>,
    /// Author times, by index.
    times: Vec<i64>,
    /// Parents, by index.
    parents: Vec<Vec<u32>>,
}

/// The 64-bit key of a hex commit id.
fn key(id: &str) -> Option<u64> {
    u64::from_str_radix(id.get(..16)?, 16).ok()
}

impl History {
    /// Reads `%H %at %P` lines; lines that are not are skipped.
    pub fn parse(text: &str) -> Self {
        let mut h = Self::default();
        let lines: Vec<(&str, i64, &str)> = text
            .lines()
            .filter_map(|line| {
                let (id, rest) = line.split_once(' ')?;
                let (at, parents) = rest.split_once(' ').unwrap_or((rest, ""));
                Some((id, at.parse().ok()?, parents))
            })
            .collect();
        h.index.reserve(lines.len());
        for (id, at, _) in &lines {
            if let Some(k) = key(id) {
                let next = h.times.len() as u32;
                if let std::collections::hash_map::Entry::Vacant(e) = h.index.entry(k) {
                    e.insert(next);
                    h.times.push(*at);
                }
            }
        }
        h.parents = vec![Vec::new(); h.times.len()];
        for (id, _, parents) in &lines {
            let Some(&i) = key(id).and_then(|k| h.index.get(&k)) else { continue };
            h.parents[i as usize] =
                parents.split(' ').filter_map(|p| h.index.get(&key(p)?).copied()).collect();
        }
        h
    }

    /// Commits read.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Tells whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    fn find(&self, id: &str) -> Option<u32> {
        self.index.get(&key(id)?).copied()
    }
}

/// For one tag pattern, the author times of the commits each release
/// brought: `releases` (commit ids, oldest release first) each get the
/// commits reachable from them and from no earlier release nor from
/// `before` (the pattern's releases before the window). Commits outside
/// `history` count as released before.
pub fn release_commits(history: &History, before: &[&str], releases: &[&str]) -> Vec<Vec<i64>> {
    let mut seen = vec![false; history.len()];
    for b in before {
        reach(history, b, &mut seen);
    }
    releases.iter().map(|r| reach(history, r, &mut seen)).collect()
}

/// The author times of the commits reachable from `tip` and not `seen`,
/// which they join.
fn reach(history: &History, tip: &str, seen: &mut [bool]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut stack: Vec<u32> = history.find(tip).into_iter().collect();
    while let Some(i) = stack.pop() {
        let i = i as usize;
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(history.times[i]);
        stack.extend(history.parents[i].iter().copied());
    }
    out
}

/// How a deployment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Deployed and healthy.
    Succeeded,
    /// Failed (not rolled back).
    Failed,
    /// Failed and rolled back.
    RolledBack,
}

/// One deployment from the ledger (SPEC §7), as the metrics read it.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The service (or project).
    pub service: String,
    /// The environment.
    pub env: String,
    /// When it finished, unix seconds.
    pub at: i64,
    /// How it ended.
    pub outcome: Outcome,
}

/// The deployment-based figures; each `None` without deployments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentFigures {
    /// Successful deployments to the last environment a week.
    pub frequency_per_week: Option<f64>,
    /// Failed or rolled-back deployments to the last environment over all of them.
    pub change_failure_rate: Option<f64>,
    /// Per environment: successful deployments over all.
    pub success_rate: Vec<(String, Option<f64>)>,
    /// Mean hours from a failed deployment to the next successful one.
    pub recovery_mean_hours: Option<f64>,
    /// Median of the same.
    pub recovery_median_hours: Option<f64>,
}

/// Computes the deployment rows from a ledger, if there is one: `None`
/// (no ledger yet) gives every figure as no data. `last_env` is the last
/// environment of `order`; `envs` the environments to report.
pub fn deployment_figures(
    ledger: Option<&[Deployment]>,
    last_env: Option<&str>,
    envs: &[String],
    since: i64,
    until: i64,
) -> DeploymentFigures {
    let empty = DeploymentFigures {
        frequency_per_week: None,
        change_failure_rate: None,
        success_rate: envs.iter().map(|e| (e.clone(), None)).collect(),
        recovery_mean_hours: None,
        recovery_median_hours: None,
    };
    let Some(ledger) = ledger else { return empty };
    let mut all: Vec<&Deployment> =
        ledger.iter().filter(|d| d.at >= since && d.at <= until).collect();
    all.sort_by_key(|d| d.at);
    let last: Vec<&&Deployment> = all.iter().filter(|d| Some(d.env.as_str()) == last_env).collect();
    let ok = |d: &Deployment| d.outcome == Outcome::Succeeded;
    let succeeded = last.iter().filter(|d| ok(d)).count();
    let mut recoveries = Vec::new();
    for (i, d) in all.iter().enumerate() {
        if ok(d) {
            continue;
        }
        // Only the first failure of a run of failures starts a recovery.
        let earlier_failure = all[..i]
            .iter()
            .rev()
            .find(|e| e.service == d.service && e.env == d.env)
            .is_some_and(|e| !ok(e));
        if earlier_failure {
            continue;
        }
        if let Some(next) =
            all[i + 1..].iter().find(|e| e.service == d.service && e.env == d.env && ok(e))
        {
            recoveries.push((next.at - d.at) as f64 / HOUR);
        }
    }
    DeploymentFigures {
        frequency_per_week: per_week(succeeded, since, until),
        change_failure_rate: ratio(last.len() - succeeded, last.len()),
        success_rate: envs
            .iter()
            .map(|e| {
                let here: Vec<&&Deployment> = all.iter().filter(|d| &d.env == e).collect();
                (e.clone(), ratio(here.iter().filter(|d| ok(d)).count(), here.len()))
            })
            .collect(),
        recovery_mean_hours: mean(&recoveries),
        recovery_median_hours: median(&recoveries),
    }
}

/// One gate verdict given at a `validating` transition.
#[derive(Debug, Clone)]
pub struct GateVerdict {
    /// The train.
    pub train: String,
    /// The gate.
    pub gate: String,
    /// Whether it passed.
    pub passed: bool,
    /// When, unix seconds.
    pub at: i64,
}

/// Gates passed and evaluated in the window; `None` when no verdicts are
/// recorded at all.
pub fn gate_pass(
    verdicts: Option<&[GateVerdict]>,
    since: i64,
    until: i64,
) -> Option<(usize, usize)> {
    let v: Vec<&GateVerdict> =
        verdicts?.iter().filter(|g| g.at >= since && g.at <= until).collect();
    Some((v.iter().filter(|g| g.passed).count(), v.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_frequency_bands_change_at_their_edges() {
        assert_eq!(deployment_frequency_band(7.0), Band::Elite);
        assert_eq!(deployment_frequency_band(6.99), Band::High);
        assert_eq!(deployment_frequency_band(1.0), Band::High);
        assert_eq!(deployment_frequency_band(0.999), Band::Medium);
        assert_eq!(deployment_frequency_band(7.0 / 30.0), Band::Medium);
        assert_eq!(deployment_frequency_band(7.0 / 30.0 - 1e-9), Band::Low);
        assert_eq!(deployment_frequency_band(0.0), Band::Low);
    }

    #[test]
    fn lead_time_bands_change_at_a_day_a_week_and_a_month() {
        assert_eq!(lead_time_band(23.99), Band::Elite);
        assert_eq!(lead_time_band(24.0), Band::High);
        assert_eq!(lead_time_band(167.99), Band::High);
        assert_eq!(lead_time_band(168.0), Band::Medium);
        assert_eq!(lead_time_band(719.99), Band::Medium);
        assert_eq!(lead_time_band(720.0), Band::Low);
    }

    #[test]
    fn change_failure_bands_include_their_upper_edge() {
        assert_eq!(change_failure_band(0.0), Band::Elite);
        assert_eq!(change_failure_band(0.05), Band::Elite);
        assert_eq!(change_failure_band(0.0501), Band::High);
        assert_eq!(change_failure_band(0.10), Band::High);
        assert_eq!(change_failure_band(0.1001), Band::Medium);
        assert_eq!(change_failure_band(0.15), Band::Medium);
        assert_eq!(change_failure_band(0.1501), Band::Low);
    }

    #[test]
    fn recovery_bands_change_at_an_hour_a_day_and_a_week() {
        assert_eq!(recovery_band(0.99), Band::Elite);
        assert_eq!(recovery_band(1.0), Band::High);
        assert_eq!(recovery_band(23.99), Band::High);
        assert_eq!(recovery_band(24.0), Band::Medium);
        assert_eq!(recovery_band(167.99), Band::Medium);
        assert_eq!(recovery_band(168.0), Band::Low);
    }

    #[test]
    fn nothing_gives_no_data_never_zero() {
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(0, 3), Some(0.0));
        assert_eq!(median(&[]), None);
        assert_eq!(percentile(&[], 90.0), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(per_week(0, 0, 7 * 86_400), None);
        assert_eq!(per_week(3, 0, 0), None);
        assert_eq!(gate_pass(None, 0, 1), None);
        let f = deployment_figures(None, Some("production"), &["qa".into()], 0, 100);
        assert_eq!(f.frequency_per_week, None);
        assert_eq!(f.change_failure_rate, None);
        assert_eq!(f.success_rate, vec![("qa".to_owned(), None)]);
        assert_eq!(f.recovery_mean_hours, None);
    }

    #[test]
    fn medians_and_nearest_rank_percentiles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 90.0), Some(9.0));
        assert_eq!(percentile(&ten, 91.0), Some(10.0));
        assert_eq!(percentile(&[5.0], 90.0), Some(5.0));
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
    }

    #[test]
    fn weeks_start_on_monday_and_cover_the_window() {
        // 2026-11-02 is a Monday; the window runs Wednesday 4 to Monday 16.
        let t = |d: u32, h: u32| {
            NaiveDate::from_ymd_opt(2026, 11, d)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .map(|d| d.and_utc().timestamp())
                .unwrap()
        };
        let w =
            weekly(&[t(3, 0), t(4, 1), t(8, 23), t(9, 0), t(16, 12), t(17, 0)], t(4, 0), t(16, 12));
        let counts: Vec<usize> = w.iter().map(|w| w.count).collect();
        assert_eq!(counts, vec![2, 1, 1]);
        assert_eq!(w[0].week_start, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        assert_eq!(sparkline(&counts), "█▁▁");
        assert_eq!(sparkline(&[0, 1, 4, 8]), " ▁▄█");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }

    #[test]
    fn each_release_gets_the_commits_no_earlier_release_has() {
        // a ← b ← c ← d, with e merged into d: `d` = (c, e), e ← b.
        let id = |c: char| c.to_string().repeat(40);
        let (a, b, c, d, e) = (id('a'), id('b'), id('c'), id('d'), id('e'));
        let text = format!("{d} 5 {c} {e}\n{e} 4 {b}\n{c} 3 {b}\n{b} 2 {a}\n{a} 1\nnot a line\n");
        let g = History::parse(&text);
        assert_eq!(g.len(), 5);
        let (a, b, c, d) = (a.as_str(), b.as_str(), c.as_str(), d.as_str());
        let mut got = release_commits(&g, &[a], &[c, d]);
        got.iter_mut().for_each(|v| v.sort_unstable());
        assert_eq!(got, vec![vec![2, 3], vec![4, 5]]);
        // Without a release before, the first takes everything down to the root.
        assert_eq!(release_commits(&g, &[], &[b]), vec![vec![2, 1]]);
        // A parent the log hid is released before.
        let g = History::parse(&format!("{c} 3 {b}\n"));
        assert_eq!(release_commits(&g, &[], &[c]), vec![vec![3]]);
    }

    #[test]
    fn recovery_runs_from_the_first_failure_to_the_next_success() {
        let d = |service: &str, env: &str, at: i64, outcome| Deployment {
            service: service.into(),
            env: env.into(),
            at,
            outcome,
        };
        let ledger = [
            d("a", "prod", 0, Outcome::Succeeded),
            d("a", "prod", 3600, Outcome::Failed),
            d("a", "prod", 7200, Outcome::RolledBack),
            d("b", "prod", 7300, Outcome::Succeeded),
            d("a", "prod", 3 * 3600, Outcome::Succeeded),
            d("a", "qa", 100, Outcome::Failed),
        ];
        let f = deployment_figures(
            Some(&ledger),
            Some("prod"),
            &["qa".into(), "prod".into()],
            0,
            7 * 86_400,
        );
        assert_eq!(f.frequency_per_week, Some(3.0));
        assert_eq!(f.change_failure_rate, Some(2.0 / 5.0));
        assert_eq!(f.success_rate, vec![("qa".into(), Some(0.0)), ("prod".into(), Some(0.6))]);
        assert_eq!(f.recovery_mean_hours, Some(2.0));
        assert_eq!(f.recovery_median_hours, Some(2.0));
    }
}
