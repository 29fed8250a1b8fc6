//! The bands at their edges, "no data" never 0, and the arithmetic.

use chrono::NaiveDate;

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
    let w = weekly(&[t(3, 0), t(4, 1), t(8, 23), t(9, 0), t(16, 12), t(17, 0)], t(4, 0), t(16, 12));
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

#[test]
fn a_ledger_reads_as_deployments_with_rollbacks_by_hand_as_failures() {
    use crate::domain::deploy::{self, Entry, Kind};
    use crate::domain::policy::Strategy;
    let e = |kind, service: &str, version: &str, previous: Option<&str>, hour: u32, result| Entry {
        n: 0,
        kind,
        service: service.into(),
        version: version.into(),
        previous: previous.map(Into::into),
        strategy: Strategy::Rolling,
        slot: None,
        traffic: 100,
        by: "x".into(),
        at: format!("2026-11-02T{hour:02}:00:00+00:00"),
        duration_ms: 0,
        result,
        reason: None,
        approvals: Vec::new(),
    };
    use deploy::Outcome as O;
    let history = [
        e(Kind::Deploy, "a", "1.0.0", None, 1, O::Succeeded),
        // Rolled back automatically: the rollback entry changes nothing.
        e(Kind::Deploy, "a", "1.1.0", Some("1.0.0"), 2, O::RolledBack),
        e(Kind::Rollback, "a", "1.0.0", Some("1.1.0"), 2, O::Succeeded),
        e(Kind::Deploy, "a", "1.2.0", Some("1.0.0"), 3, O::Succeeded),
        e(Kind::Deploy, "b", "2.0.0", None, 4, O::Succeeded),
        // By hand, later: 1.2.0 becomes a failed change.
        e(Kind::Rollback, "a", "1.0.0", Some("1.2.0"), 5, O::Succeeded),
        // A rollback that failed, and one of a version no longer live: nothing.
        e(Kind::Rollback, "b", "1.9.0", Some("2.0.0"), 6, O::Failed),
        e(Kind::Rollback, "b", "1.9.0", Some("1.5.0"), 7, O::Succeeded),
        e(Kind::Deploy, "a", "1.3.0", Some("1.0.0"), 8, O::Failed),
    ];
    let got: Vec<(String, i64, Outcome)> = from_ledger("prod", &history)
        .into_iter()
        .map(|d| {
            assert_eq!(d.env, "prod");
            (d.service, (d.at - 1_793_577_600) / 3600, d.outcome)
        })
        .collect();
    let want = [
        ("a", 1, Outcome::Succeeded),
        ("a", 2, Outcome::RolledBack),
        ("a", 3, Outcome::RolledBack),
        ("b", 4, Outcome::Succeeded),
        ("a", 8, Outcome::Failed),
    ];
    let want: Vec<(String, i64, Outcome)> =
        want.iter().map(|(s, h, o)| ((*s).to_owned(), *h, *o)).collect();
    assert_eq!(got, want);
}
