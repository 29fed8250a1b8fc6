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
        let version = format!("{year}.{}.0", odd.div_ceil(2));
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
        ("2021-01-04", "2021.1.0", "2021-01-04", "2021-01-17"),
        ("2024-12-30", "2025.1.0", "2024-12-30", "2025-01-12"),
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
    assert_eq!(versions, ["2026.26.0", "2026.27.0", "2027.1.0", "2027.2.0"]);
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

/// `create --calendar` cuts the calendar version of the train holding
/// today: `YYYY.N.0`, SemVer without zero padding (docs/decisions.md),
/// through week 53 and the year boundary; `next --calendar` shows it.
#[test]
fn create_calendar_cuts_the_trains_version_through_week_53_and_new_year() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.4.0\n");
    repo.commit("chore: start");
    repo.tag("v1.4.0");
    repo.change("src/a", "feat: a");
    let at = |now: &str, args: &[&str]| repo.relman_env(args, &[("RELMAN_NOW", now)]);
    let json = |run: crate::support::Run| run.success().json();

    // Week 53 of 2026 (Wednesday 2026-12-30): train 27.
    let next = json(at("2026-12-30T10:00:00Z", &["next", "--calendar", "--format", "json"]));
    assert_eq!(next["next"], "2026.27.0");
    let made =
        json(at("2026-12-30T10:00:00Z", &["create", "auto", "--calendar", "--format", "json"]));
    assert_eq!(
        (made["version"].as_str(), made["tag"].as_str()),
        (Some("2026.27.0"), Some("v2026.27.0"))
    );
    assert_eq!(repo.read("VERSION"), "2026.27.0\n");
    assert_eq!(repo.git(&["tag", "-l", "v2026*"]), "v2026.27.0");

    // Sunday 2027-01-03 is still ISO week 53 of 2026: the same train, so
    // nothing greater to cut (exit 3, nothing written).
    repo.change("src/b", "fix: b");
    let before = repo.snapshot();
    let r = at("2027-01-03T23:00:00Z", &["create", "patch", "--calendar"]).code(3);
    assert!(
        r.stderr.contains("version 2026.27.0 is not greater than the current 2026.27.0"),
        "{r}"
    );
    repo.assert_unchanged(&before);
    let next = json(at("2027-01-03T23:00:00Z", &["next", "--calendar", "--format", "json"]));
    assert_eq!(next["next"], serde_json::Value::Null);
    assert!(next["warnings"][0].as_str().unwrap().contains("is released already"), "{next}");
    let text = at("2027-01-03T23:00:00Z", &["next", "--calendar"]).success().stdout;
    let taken = " 2026.27.0: the calendar version 2026.27.0 is not greater than the current 2026.27.0: this train is released already";
    assert!(text.contains(taken), "{text}");
    assert!(!text.contains("nothing to release"), "{text}");

    // Monday 2027-01-04, week 1 of 2027: train 1, `2027.1.0`, greater than
    // 2026.27.0 as SemVer orders it.
    let made =
        json(at("2027-01-04T08:00:00Z", &["create", "patch", "--calendar", "--format", "json"]));
    assert_eq!(
        (made["previous"].as_str(), made["version"].as_str()),
        (Some("2026.27.0"), Some("2027.1.0"))
    );
    assert_eq!(repo.git(&["describe", "--tags", "--abbrev=0"]), "v2027.1.0");
    // Week 2 is still train 1; week 3 is train 2.
    repo.change("src/c", "fix: c");
    let next = json(at("2027-01-17T12:00:00Z", &["next", "--calendar", "--format", "json"]));
    assert_eq!(next["next"], serde_json::Value::Null);
    let next = json(at("2027-01-18T00:00:00Z", &["next", "--calendar", "--format", "json"]));
    assert_eq!(next["next"], "2027.2.0");

    // `auto --calendar` with nothing to release still says so (exit 1).
    let r = at("2027-01-18T00:00:00Z", &["create", "auto", "--calendar"]);
    r.success();
    let r = at("2027-03-01T00:00:00Z", &["create", "auto", "--calendar"]).code(1);
    assert!(r.stderr.contains("nothing to release"), "{r}");
    // A hotfix is a patch of what it fixes; `--version` and `--calendar` conflict.
    let r = at("2027-03-01T00:00:00Z", &["create", "hotfix", "--calendar"]).code(2);
    assert!(r.stderr.contains("a hotfix bumps the patch"), "{r}");
    at("2027-03-01T00:00:00Z", &["create", "minor", "--calendar", "--version", "3.0.0"]).code(2);
}

/// `target_version: calendar` (SPEC 1.2, 9): the train's plan takes the
/// calendar version of its `schedule.start_time` (else of the day it is
/// staged); `train plan` shows it, `train run` cuts it, and one below the
/// current version is refused as a pinned target is.
#[test]
fn a_calendar_target_is_the_version_of_the_trains_start_through_week_53() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: api\n    path: api\n    tag: \"api-v{version}\"\n    version_files: [api/VERSION]\n",
    );
    let train = |name: &str, start: Option<&str>| {
        let schedule = start
            .map(|s| format!("    schedule:\n      start_time: \"{s}\"\n"))
            .unwrap_or_default();
        format!(
            "  - name: {name}\n    target_version: calendar\n    participants: [api]\n{schedule}"
        )
    };
    let trains = [
        // Tuesday of ISO week 53 of 2026.
        train("new-year", Some("2026-12-29T09:00:00Z")),
        // Tuesday of week 1 of 2027.
        train("winter", Some("2027-01-05T09:00:00+01:00")),
        // No schedule: the staging day.
        train("unscheduled", None),
        // Week 53 again, once 2027.1.0 is out: below it.
        train("late", Some("2026-12-30T09:00:00Z")),
    ];
    repo.write("catalog/release-trains.yaml", &format!("trains:\n{}", trains.concat()));
    repo.write("api/VERSION", "1.4.0\n");
    repo.commit("chore: catalog");
    repo.tag("api-v1.4.0");
    let at = |now: &str, args: &[&str]| repo.relman_env(args, &[("RELMAN_NOW", now)]);
    let plan = |now: &str, name: &str| {
        let json = at(now, &["train", "plan", name, "--format", "json"]).success().json();
        let step = &json["sequence"][0];
        (
            step["to"].as_str().unwrap().to_owned(),
            step["action"].as_str().unwrap().to_owned(),
            step["reason"].as_str().unwrap().to_owned(),
        )
    };
    let release = |v: &str| (v.to_owned(), "release".to_owned(), "calendar".to_owned());

    // Planned before its start, the version is that of its start.
    assert_eq!(plan("2026-12-01T10:00:00Z", "new-year"), release("2026.27.0"));
    assert_eq!(plan("2026-12-01T10:00:00Z", "winter"), release("2027.1.0"));
    // Without a schedule: the day it is planned (staged).
    assert_eq!(plan("2026-12-31T10:00:00Z", "unscheduled"), release("2026.27.0"));
    assert_eq!(plan("2027-01-04T10:00:00Z", "unscheduled"), release("2027.1.0"));
    let text = at("2026-12-01T10:00:00Z", &["train", "plan", "new-year"]).success().stdout;
    assert!(text.contains("api      1.4.0  2026.27.0  release  calendar"), "{text}");

    // `train run` cuts it: the version file and the tag.
    at("2026-12-29T09:00:00Z", &["train", "start", "new-year"]).success();
    let run = at("2026-12-29T09:05:00Z", &["train", "run", "new-year", "--yes"]).success();
    assert!(run.stdout.contains("2026.27.0"), "{run}");
    assert_eq!(repo.read("api/VERSION"), "2026.27.0\n");
    assert_eq!(repo.git(&["tag", "-l", "api-v2026*"]), "api-v2026.27.0");

    // Week 1 of 2027: 2027.1.0, above 2026.27.0 as SemVer orders it.
    at("2027-01-05T09:00:00Z", &["train", "start", "winter"]).success();
    at("2027-01-05T09:05:00Z", &["train", "run", "winter", "--yes"]).success();
    assert_eq!(repo.read("api/VERSION"), "2027.1.0\n");
    assert_eq!(repo.git(&["describe", "--tags", "--abbrev=0"]), "api-v2027.1.0");

    // A calendar version below the current one is refused (exit 2), naming it.
    let r = at("2027-01-06T10:00:00Z", &["train", "plan", "late"]).code(2);
    assert!(r.stderr.contains("`api` would go from 2027.1.0 down to 2026.27.0"), "{r}");
    // Written out of its rule, `calendar` reads as a version: bad input.
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: x\n    target_version: calender\n    participants: [api]\n",
    );
    let r = at("2027-01-06T10:00:00Z", &["train", "plan", "x"]).code(2);
    assert!(r.stderr.contains("target_version"), "{r}");
    assert!(r.stderr.contains("or `calendar`"), "{r}");
}
