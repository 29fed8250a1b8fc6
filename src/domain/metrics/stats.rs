//! Rates, medians, percentiles, weekly buckets and the one-line chart.
//! "No data" is `None`: nothing here turns missing data into 0.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

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
