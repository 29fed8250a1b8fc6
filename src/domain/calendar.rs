//! The bi-weekly train calendar (SPEC §9): ISO week-numbering arithmetic.
//!
//! A slot is two ISO weeks starting on the Monday of an odd week; its
//! calendar version is `YYYY.N.0`, YYYY the ISO week-numbering year and
//! N = (week + 1) / 2, without SPEC 9's zero padding, which SemVer forbids
//! (docs/decisions.md). Week 53 (a long ISO year: 2020, 2026) is train 27
//! of its year and lasts one week: the Monday after it is week 1 of the
//! next ISO year, where train 01 starts. Its second week's phases fall in
//! that week, as written in the SPEC's schedule.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use super::metrics::ymd;
use super::version::Version;

/// One phase of a train's two weeks: name and dates (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    /// The phase.
    pub name: &'static str,
    /// Its first day.
    #[serde(serialize_with = "ymd")]
    pub start: NaiveDate,
    /// Its last day.
    #[serde(serialize_with = "ymd")]
    pub end: NaiveDate,
}

/// One train slot of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// `YYYY.N.0` (SemVer: no zero padding).
    pub version: String,
    /// The ISO week-numbering year.
    pub iso_year: i32,
    /// NN: 1 to 27.
    pub number: u32,
    /// The ISO week it starts in (odd).
    pub first_week: u32,
    /// Its Monday.
    #[serde(serialize_with = "ymd")]
    pub start: NaiveDate,
    /// Its last day: the Sunday of its second week, or of its only week (train 27).
    #[serde(serialize_with = "ymd")]
    pub end: NaiveDate,
    /// Its phases, in order.
    pub phases: Vec<Phase>,
}

/// The phases, as days after the slot's Monday (first and last).
const PHASES: [(&str, i64, i64); 8] = [
    ("version collection", 0, 0),
    ("compatibility analysis", 1, 1),
    ("integration build and test", 2, 3),
    ("staging deployment", 4, 4),
    ("production readiness review", 7, 7),
    ("production deployment", 8, 8),
    ("post-release monitoring", 9, 9),
    ("retrospective", 10, 10),
];

/// The slot containing `date`.
pub fn slot_of(date: NaiveDate) -> Option<Slot> {
    let iso = date.iso_week();
    let week = if iso.week() % 2 == 1 { iso.week() } else { iso.week() - 1 };
    let start = NaiveDate::from_isoywd_opt(iso.year(), week, Weekday::Mon)?;
    let number = week.div_ceil(2);
    let days = if week == 53 { 6 } else { 13 };
    Some(Slot {
        version: format!("{}.{number}.0", iso.year()),
        iso_year: iso.year(),
        number,
        first_week: week,
        start,
        end: start + Duration::days(days),
        phases: PHASES
            .iter()
            .map(|&(name, a, b)| Phase {
                name,
                start: start + Duration::days(a),
                end: start + Duration::days(b),
            })
            .collect(),
    })
}

/// The calendar version of the slot containing `date` (`YYYY.N.0`).
pub fn version_of(date: NaiveDate) -> Option<Version> {
    let slot = slot_of(date)?;
    Some(Version::new(u64::try_from(slot.iso_year).ok()?, u64::from(slot.number), 0))
}

/// The calendar version of a train with `target_version: calendar`: that
/// of its `schedule.start_time` (its date in its own offset), else of
/// `staging_day`, the day its plan is made and recorded.
pub fn train_version(start_time: Option<&str>, staging_day: NaiveDate) -> Option<Version> {
    let day = start_time
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok())
        .map_or(staging_day, |t| t.date_naive());
    version_of(day)
}

/// `count` slots from the one containing `from`, in order.
pub fn slots(from: NaiveDate, count: usize) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::with_capacity(count.min(1024));
    let mut day = from;
    while out.len() < count {
        let Some(slot) = slot_of(day) else { break };
        let Some(next) = slot.end.succ_opt() else {
            out.push(slot);
            break;
        };
        day = next;
        out.push(slot);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn versions_follow_the_iso_week_year() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026.
        let v = |date| version_of(date).map(|v| v.to_string());
        assert_eq!(v(d(2026, 1, 1)).as_deref(), Some("2026.1.0"));
        // 2021-01-03 (Sunday) is still week 53 of 2020.
        assert_eq!(v(d(2021, 1, 3)).as_deref(), Some("2020.27.0"));
        assert_eq!(v(d(2021, 1, 4)).as_deref(), Some("2021.1.0"));
        // 2024-12-30 is week 1 of 2025.
        assert_eq!(v(d(2024, 12, 30)).as_deref(), Some("2025.1.0"));
        // Week 2 belongs to train 1, week 3 to train 2.
        assert_eq!(v(d(2026, 1, 11)).as_deref(), Some("2026.1.0"));
        assert_eq!(v(d(2026, 1, 12)).as_deref(), Some("2026.2.0"));
        // A SemVer version, ordered as time goes: the year boundary too.
        assert!(version_of(d(2027, 1, 4)) > version_of(d(2026, 12, 31)));
        assert!(version_of(d(2026, 3, 9)) > version_of(d(2026, 3, 8)));
        for day in [d(2026, 1, 1), d(2026, 12, 28)] {
            let text = version_of(day).unwrap().to_string();
            assert_eq!(Version::parse(&text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn a_train_takes_the_version_of_its_start_else_of_its_staging_day() {
        let v = |start, day| train_version(start, day).map(|v| v.to_string());
        // 2026-12-31T23:30-02:00 is 2027-01-01 in UTC but the 31st (week 53) where it is written.
        assert_eq!(
            v(Some("2026-12-31T23:30:00-02:00"), d(2027, 3, 1)).as_deref(),
            Some("2026.27.0")
        );
        assert_eq!(v(Some("2027-01-04T09:00:00Z"), d(2026, 3, 1)).as_deref(), Some("2027.1.0"));
        assert_eq!(v(None, d(2027, 1, 5)).as_deref(), Some("2027.1.0"));
    }

    #[test]
    fn a_slot_has_its_phases_on_the_spec_days() {
        let s = slot_of(d(2026, 11, 22)).unwrap();
        // 2026-11-22 is the Sunday of week 47: train 24 from Monday 2026-11-16.
        assert_eq!(s.version, "2026.24.0");
        assert_eq!(s.start, d(2026, 11, 16));
        assert_eq!(s.end, d(2026, 11, 29));
        assert_eq!(s.phases[2].start, d(2026, 11, 18));
        assert_eq!(s.phases[2].end, d(2026, 11, 19));
        assert_eq!(s.phases[7].start, d(2026, 11, 26));
    }

    #[test]
    fn week_53_is_a_one_week_train_27_then_the_year_turns() {
        let v: Vec<String> = slots(d(2026, 12, 14), 4).into_iter().map(|s| s.version).collect();
        assert_eq!(v, ["2026.26.0", "2026.27.0", "2027.1.0", "2027.2.0"]);
        let s = slots(d(2026, 12, 28), 2);
        assert_eq!((s[0].start, s[0].end), (d(2026, 12, 28), d(2027, 1, 3)));
        assert_eq!(s[1].start, d(2027, 1, 4));
        let v: Vec<String> = slots(d(2025, 12, 10), 3).into_iter().map(|s| s.version).collect();
        assert_eq!(v, ["2025.25.0", "2025.26.0", "2026.1.0"]);
    }
}
