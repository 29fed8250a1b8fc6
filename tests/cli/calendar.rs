//! `relman calendar` (issue 21, acceptance 2): ISO week-year arithmetic
//! across year boundaries and 53-week years, against `date +%G %V %u`.

use std::process::Command;

use crate::support::TestRepo;

/// GNU date's reading of a day: ISO year, ISO week, weekday (1 = Monday),
/// and the day `days` before it.
fn gnu_date(day: &str, format: &str) -> String {
    let out = Command::new("date").args(["-u", "-d", day, &format!("+{format}")]).output().unwrap();
    assert!(out.status.success(), "date -d {day}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Around every year boundary from 2019 to 2028 (2020 and 2026 have a week
/// 53), plus the middle of a year and leap days.
const DATES: [&str; 36] = [
    "2019-12-29",
    "2019-12-30",
    "2019-12-31",
    "2020-01-01",
    "2020-01-05",
    "2020-01-06",
    "2020-02-29",
    "2020-06-15",
    "2020-12-20",
    "2020-12-27",
    "2020-12-28",
    "2020-12-31",
    "2021-01-01",
    "2021-01-03",
    "2021-01-04",
    "2021-01-11",
    "2021-12-31",
    "2022-01-02",
    "2022-01-03",
    "2023-01-01",
    "2023-01-02",
    "2024-02-29",
    "2024-12-29",
    "2024-12-30",
    "2025-01-05",
    "2025-12-28",
    "2025-12-29",
    "2026-01-01",
    "2026-06-30",
    "2026-12-27",
    "2026-12-28",
    "2026-12-31",
    "2027-01-03",
    "2027-01-04",
    "2027-12-31",
    "2028-01-03",
];

#[test]
fn versions_and_dates_match_gnu_date_across_year_boundaries() {
    let repo = TestRepo::new();
    repo.commit("chore: start");
    for day in DATES {
        let json = repo
            .relman(&["calendar", "--from", day, "--count", "1", "--format", "json"])
            .success()
            .json();
        assert_eq!(json["schema"], "relman.calendar/1");
        let slot = &json["slots"][0];
        // Independently: the ISO year and week by GNU date, the train
        // number (week + 1) / 2, and its Monday: back to this week's
        // Monday, and a week more when the week is even.
        let iso = gnu_date(day, "%G %V %u");
        let mut f = iso.split(' ').map(|x| x.parse::<u32>().unwrap());
        let (year, week, weekday) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let odd = if week % 2 == 1 { week } else { week - 1 };
        let back = weekday - 1 + if week % 2 == 1 { 0 } else { 7 };
        let monday = gnu_date(&format!("{day} - {back} days"), "%F");
        let version = format!("{year}.{:02}.0", odd.div_ceil(2));
        assert_eq!(slot["version"], version.as_str(), "{day}");
        assert_eq!(slot["first_week"], odd, "{day}");
        assert_eq!(slot["start"], monday.as_str(), "{day}");
        let long = gnu_date(&format!("{year}-12-28"), "%V") == "53";
        let days = if odd == 53 { 6 } else { 13 };
        assert_eq!(
            slot["end"],
            gnu_date(&format!("{monday} + {days} days"), "%F").as_str(),
            "{day}"
        );
        if odd == 53 {
            assert!(long, "{day}: week 53 in a year of 52");
        }
        // The phases, by the SPEC's days after that Monday.
        let phases = slot["phases"].as_array().unwrap();
        let want = [(0, 0), (1, 1), (2, 3), (4, 4), (7, 7), (8, 8), (9, 9), (10, 10)];
        for (p, (a, b)) in phases.iter().zip(want) {
            assert_eq!(p["start"], gnu_date(&format!("{monday} + {a} days"), "%F").as_str());
            assert_eq!(p["end"], gnu_date(&format!("{monday} + {b} days"), "%F").as_str());
        }
    }
}

#[test]
fn a_hand_table_of_versions() {
    // Worked out on a wall calendar: 2020 and 2026 have 53 ISO weeks.
    let table = [
        ("2020-12-28", "2020.27.0", "2020-12-28", "2021-01-03"),
        ("2021-01-03", "2020.27.0", "2020-12-28", "2021-01-03"),
        ("2021-01-04", "2021.01.0", "2021-01-04", "2021-01-17"),
        ("2024-12-30", "2025.01.0", "2024-12-30", "2025-01-12"),
        ("2026-11-22", "2026.24.0", "2026-11-16", "2026-11-29"),
        ("2027-01-01", "2026.27.0", "2026-12-28", "2027-01-03"),
    ];
    let repo = TestRepo::new();
    repo.commit("chore: start");
    for (day, version, start, end) in table {
        let json = repo
            .relman(&["calendar", "--from", day, "--count", "1", "--format", "json"])
            .success()
            .json();
        let s = &json["slots"][0];
        assert_eq!(
            (s["version"].as_str(), s["start"].as_str(), s["end"].as_str()),
            (Some(version), Some(start), Some(end)),
            "{day}"
        );
    }
}

#[test]
fn count_walks_through_week_53_and_names_the_scheduled_train() {
    let repo = TestRepo::new();
    repo.write("catalog/services.yaml", "services:\n  - name: api\n    path: api\n");
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: new-year\n    participants: [api]\n    schedule:\n      start_time: \"2026-12-29T09:00:00Z\"\n  - name: winter\n    participants: [api]\n    schedule:\n      start_time: \"2027-01-05T09:00:00+01:00\"\n",
    );
    repo.commit("chore: catalog");
    let json = repo
        .relman(&["calendar", "--from", "2026-12-14", "--count", "4", "--format", "json"])
        .success()
        .json();
    let slots = json["slots"].as_array().unwrap();
    let versions: Vec<&str> = slots.iter().map(|s| s["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["2026.26.0", "2026.27.0", "2027.01.0", "2027.02.0"]);
    assert_eq!(slots[1]["trains"][0]["name"], "new-year");
    assert_eq!(slots[1]["trains"][0]["status"], "planning");
    assert_eq!(slots[2]["trains"][0]["name"], "winter");
    assert!(slots[0]["trains"].as_array().unwrap().is_empty());
    let text = repo.relman(&["calendar", "--from", "2026-12-28", "--count", "1"]).success().stdout;
    assert!(
        text.starts_with("2026.27.0  2026-12-28 → 2027-01-03  week 53  new-year (planning)"),
        "{text}"
    );
    assert!(
        text.contains("integration build and test   Wed 2026-12-30 – Thu 2026-12-31"),
        "{text}"
    );
}

#[test]
fn bad_dates_and_counts_are_exit_2() {
    let repo = TestRepo::new();
    repo.commit("chore: start");
    let r = repo.relman(&["calendar", "--from", "2026-13-01"]).code(2);
    assert!(r.stderr.contains("--from 2026-13-01"), "{r}");
    repo.relman(&["calendar", "--count", "0"]).code(2);
    // Default: from RELMAN_NOW's day, six slots.
    let json = repo.relman(&["calendar", "--format", "json"]).success().json();
    assert_eq!(json["from"], "2026-11-22");
    assert_eq!(json["slots"].as_array().unwrap().len(), 6);
}
