//! `relman metrics` (issue 21, acceptance 1): every figure of a repository
//! scripted with fixed dates, checked against numbers worked out by hand.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::TestRepo;

/// Runs git with both dates fixed at `when` (RFC 3339).
pub(crate) fn git_at(repo: &TestRepo, when: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &repo.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .current_dir(&repo.root)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Writes a line to `path` and commits it at `when`.
pub(crate) fn commit_at(repo: &TestRepo, when: &str, path: &str, message: &str) {
    let old = std::fs::read_to_string(repo.root.join(path)).unwrap_or_default();
    repo.write(path, &format!("{old}{message}\n"));
    git_at(repo, when, &["add", "-A"]);
    git_at(repo, when, &["commit", "-q", "-m", message]);
}

/// Tags HEAD (annotated) at `when`.
pub(crate) fn tag_at(repo: &TestRepo, when: &str, name: &str) {
    git_at(repo, when, &["tag", "-a", "-m", name, name]);
}

/// Runs relman with its clock at `now`.
pub(crate) fn at(repo: &TestRepo, now: &str, args: &[&str]) -> crate::support::Run {
    repo.relman_env(args, &[("RELMAN_NOW", now)])
}

pub(crate) const SERVICES: &str = "services:\n  - name: api\n    path: services/api\n    tag: \"api-v{version}\"\n    version_files: [services/api/VERSION]\n  - name: web\n    path: services/web\n    tag: \"web-v{version}\"\n    version_files: [services/web/VERSION]\n    depends_on: [api]\n";

/// t1's gates: the approval passes; the warning fails (no metrics file,
/// no data) without stopping the train.
pub(crate) const TRAINS: &str = "trains:\n  - name: t1\n    participants: [api, web]\n    gates:\n      - approvals: [qa]\n      - custom: \"coverage >= 90\"\n        blocking: false\n";

/// The scripted history (UTC):
///
/// | when | what |
/// | --- | --- |
/// | 09-30 00:00 | C0 the catalog |
/// | 10-01 00:00 | C1 feat(api) |
/// | 10-01 12:00 | tag api-v1.0.0 on C1 (before the window) |
/// | 10-05 00:00 | C2 feat(api) |
/// | 10-06 00:00 | C3 fix(web) |
/// | 10-07 00:00 | tag api-v1.1.0 on C3 |
/// | 10-07 12:00 | tag web-v1.0.0 on C3 |
/// | 10-12 00:00 | C4 fix(api) |
/// | 10-12 06:00 | tag api-v1.1.1 on C4 |
/// | 10-15 10:00 | `relman rollback api` (a service rollback) |
/// | 10-20 09:00 | `relman approve t1 --role qa` |
/// | 10-20 10:00 | `relman train start t1`, then `train run t1` |
/// | 10-21 10:00 | `relman rollback --train t1` |
///
/// relman's own release commits and tags are dated by the machine's
/// clock (after 2026-12-06, when this was written), outside the window.
pub(crate) fn scripted() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("catalog/services.yaml", SERVICES);
    repo.write("catalog/release-trains.yaml", TRAINS);
    repo.write("services/api/VERSION", "1.0.0\n");
    repo.write("services/web/VERSION", "0.0.0\n");
    commit_at(&repo, "2026-09-30T00:00:00Z", "README", "chore: catalog");
    commit_at(&repo, "2026-10-01T00:00:00Z", "services/api/a", "feat(api): a");
    tag_at(&repo, "2026-10-01T12:00:00Z", "api-v1.0.0");
    commit_at(&repo, "2026-10-05T00:00:00Z", "services/api/b", "feat(api): b");
    commit_at(&repo, "2026-10-06T00:00:00Z", "services/web/c", "fix(web): c");
    repo.write("services/api/VERSION", "1.1.0\n");
    repo.write("services/web/VERSION", "1.0.0\n");
    git_at(&repo, "2026-10-06T00:00:00Z", &["add", "-A"]);
    git_at(&repo, "2026-10-06T00:00:00Z", &["commit", "-q", "--amend", "--no-edit"]);
    tag_at(&repo, "2026-10-07T00:00:00Z", "api-v1.1.0");
    tag_at(&repo, "2026-10-07T12:00:00Z", "web-v1.0.0");
    repo.write("services/api/VERSION", "1.1.1\n");
    commit_at(&repo, "2026-10-12T00:00:00Z", "services/api/d", "fix(api): d");
    tag_at(&repo, "2026-10-12T06:00:00Z", "api-v1.1.1");
    at(&repo, "2026-10-15T10:00:00Z", &["rollback", "api", "--reason", "bad d", "--yes"]).success();
    at(&repo, "2026-10-20T09:00:00Z", &["approve", "t1", "--role", "qa", "--by", "QA <qa@x>"])
        .success();
    at(&repo, "2026-10-20T10:00:00Z", &["train", "start", "t1"]).success();
    commit_at(&repo, "2026-10-20T10:30:00Z", "services/web/e", "feat(web): e");
    at(&repo, "2026-10-20T11:00:00Z", &["train", "run", "t1", "--yes"]).success();
    at(&repo, "2026-10-21T10:00:00Z", &["rollback", "--train", "t1", "--reason", "broke", "--yes"])
        .success();
    repo
}

const WINDOW: [&str; 4] = ["--since", "2026-10-05", "--until", "2026-11-23"];

fn metrics(repo: &TestRepo, extra: &[&str]) -> Value {
    let mut args = vec!["metrics", "--format", "json"];
    args.extend(WINDOW);
    args.extend(extra);
    let json = repo.relman(&args).success().json();
    assert_eq!(json["schema"], "relman.metrics/1");
    json
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < 1e-9, "{got} != {want}");
}

#[test]
fn every_figure_equals_the_hand_computed_one() {
    let repo = scripted();
    let m = metrics(&repo, &[]);
    // The window: Monday 2026-10-05 to Monday 2026-11-23, 49 days = 7 weeks.
    close(&m["window"]["weeks"], 7.0);
    // Releases in it: api-v1.1.0, web-v1.0.0, api-v1.1.1 (api-v1.0.0 is
    // before; relman's own tags are after). 3 in 7 weeks; api 2, web 1.
    let rf = &m["release_frequency"];
    assert_eq!(rf["releases"], 3);
    close(&rf["per_week"], 3.0 / 7.0);
    assert_eq!(rf["by_service"][0]["service"], "api");
    assert_eq!(rf["by_service"][0]["releases"], 2);
    close(&rf["by_service"][0]["per_week"], 2.0 / 7.0);
    assert_eq!(rf["by_service"][1]["service"], "web");
    close(&rf["by_service"][1]["per_week"], 1.0 / 7.0);
    // Weeks from Monday 10-05 to the week of 11-23: 8; 10-07 twice, 10-12 once.
    let weekly: Vec<(String, u64)> = rf["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["week_start"].as_str().unwrap().to_owned(), w["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(weekly.len(), 8);
    assert_eq!(weekly[0], ("2026-10-05".to_owned(), 2));
    assert_eq!(weekly[1], ("2026-10-12".to_owned(), 1));
    assert!(weekly[2..].iter().all(|w| w.1 == 0));
    // Lead time, tag time minus author time, in hours:
    //   api-v1.1.0 (10-07 00:00): C3 24, C2 48 (C1 and C0 are api-v1.0.0's)
    //   api-v1.1.1 (10-12 06:00): C4 6
    //   web-v1.0.0 (10-07 12:00, web's first): C3 36, C2 60, C1 156, C0 180
    // sorted 6 24 36 48 60 156 180: median 48 (high: a day to a week),
    // p90 by nearest rank: ceil(0.9 × 7) = 7th = 180.
    let lt = &m["lead_time"];
    assert_eq!(lt["releases"], 3);
    assert_eq!(lt["commits"], 7);
    close(&lt["median_hours"], 48.0);
    close(&lt["p90_hours"], 180.0);
    assert_eq!(lt["band"], "high");
    // Rollbacks: t1 reached executing and was rolled back: 1/1; one
    // service rollback (api, not a train's) over 3 releases.
    let rr = &m["rollback_rate"];
    assert_eq!(rr["trains"], json!({"count": 1, "of": 1, "rate": 1.0}));
    assert_eq!(rr["services"]["count"], 1);
    assert_eq!(rr["services"]["of"], 3);
    close(&rr["services"]["rate"], 1.0 / 3.0);
    // Gates at validating transitions: t1 entering validating (`train
    // start`) and leaving it (`train run`), two gates each time: the
    // approval passed twice, the warning failed twice: 2/4. Verifying's
    // re-evaluation (executing → verifying) is not a validating one.
    assert_eq!(m["gate_pass_rate"], json!({"count": 2, "of": 4, "rate": 0.5}));
    assert_eq!(m["sources"]["gate_verdicts"], 4);
    // No deployment ledger: no data, never 0.
    assert_eq!(m["deployment_frequency"], json!({"value": null, "band": null}));
    assert_eq!(m["change_failure_rate"], json!({"value": null, "band": null}));
    assert_eq!(m["deployment_success_rate"], Value::Null);
    assert_eq!(
        m["time_to_recovery"],
        json!({"mean_hours": null, "median_hours": null, "band": null})
    );
    assert_eq!(m["sources"]["deployments"], Value::Null);

    // One service: api's releases 2 in 7 weeks; lead times 24 48 6:
    // median 24 (a day exactly: high), p90 = 3rd = 48; t1 has api: 1/1;
    // api's rollback over its 2 releases.
    let a = metrics(&repo, &["--service", "api"]);
    assert_eq!(a["service"], "api");
    assert_eq!(a["release_frequency"]["releases"], 2);
    close(&a["lead_time"]["median_hours"], 24.0);
    close(&a["lead_time"]["p90_hours"], 48.0);
    assert_eq!(a["lead_time"]["band"], "high");
    assert_eq!(a["rollback_rate"]["trains"]["count"], 1);
    assert_eq!(a["rollback_rate"]["services"], json!({"count": 1, "of": 2, "rate": 0.5}));

    // The human rendering: the chart and "no data".
    let mut args = vec!["metrics"];
    args.extend(WINDOW);
    let text = repo.relman(&args).success().stdout;
    assert!(text.contains("releases a week          |█▁      |"), "{text}");
    assert!(text.contains("deployment frequency     no data"), "{text}");
    assert!(text.contains("median 48 h, p90 180 h (7 commits in 3 releases)  [high]"), "{text}");
    assert!(
        text.contains("rollback rate            trains 1/1 (100%), services 1/3 (33.33%)"),
        "{text}"
    );
    assert!(text.contains("gate pass rate           2/4 (50%)"), "{text}");
}

/// A trail written before gate verdicts were recorded (no `gates` key in
/// its transition lines) has no gate pass rate: null, "no data", never 0.
#[test]
fn a_trail_without_verdicts_has_no_gate_pass_rate() {
    let repo = scripted();
    let trail = repo.read("analysis/reports/audit.log");
    assert!(trail.contains("\"gates\":["), "the verdicts are recorded: {trail}");
    let old: Vec<String> = trail
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("gates");
            v.to_string()
        })
        .collect();
    repo.write("analysis/reports/audit.log", &(old.join("\n") + "\n"));
    let m = metrics(&repo, &[]);
    assert_eq!(m["gate_pass_rate"], Value::Null);
    assert_eq!(m["sources"]["gate_verdicts"], Value::Null);
    // Everything else the trail gives still reads.
    assert_eq!(m["rollback_rate"]["trains"], json!({"count": 1, "of": 1, "rate": 1.0}));
    let mut args = vec!["metrics"];
    args.extend(WINDOW);
    let text = repo.relman(&args).success().stdout;
    assert!(text.contains("gate pass rate           no data"), "{text}");
}

#[test]
fn a_window_without_releases_is_no_data_not_zero() {
    let repo = TestRepo::new();
    repo.write("VERSION", "0.1.0\n");
    repo.commit("feat: start");
    let m = repo.relman(&["metrics", "--format", "json"]).success().json();
    assert_eq!(m["release_frequency"]["releases"], 0);
    assert_eq!(m["release_frequency"]["per_week"], Value::Null);
    assert_eq!(m["lead_time"]["median_hours"], Value::Null);
    assert_eq!(m["lead_time"]["p90_hours"], Value::Null);
    assert_eq!(m["lead_time"]["band"], Value::Null);
    assert_eq!(m["rollback_rate"]["trains"]["rate"], Value::Null);
    assert_eq!(m["rollback_rate"]["services"]["rate"], Value::Null);
    // Default window: the 90 days before RELMAN_NOW.
    assert_eq!(m["window"]["since"], "2026-08-24T10:00:00Z");
    assert_eq!(m["window"]["until"], "2026-11-22T10:00:00Z");
    let text = repo.relman(&["metrics"]).success().stdout;
    assert!(text.contains("release frequency        no data"), "{text}");
    assert!(!text.contains(" 0 a week"), "{text}");
}

#[test]
fn bad_dates_and_unknown_services_are_exit_2_naming_them() {
    let repo = scripted();
    let r = repo.relman(&["metrics", "--since", "last tuesday"]).code(2);
    assert!(r.stderr.contains("--since last tuesday"), "{r}");
    let r = repo.relman(&["metrics", "--since", "2026-11-01", "--until", "2026-10-01"]).code(2);
    assert!(r.stderr.contains("after `--until`"), "{r}");
    let r = repo.relman(&["metrics", "--service", "apx"]).code(2);
    assert!(r.stderr.contains("apx") && r.stderr.contains("api"), "{r}");
}

/// Two environments, no approvals, rolling: a health check fails while
/// `fail-health` exists.
const DEPLOY_POLICY: &str = "environments:\n  order: [staging, production]\n";

/// A project released as 1.0.0, 1.1.0, 1.2.0 and 1.2.1, deployed through
/// staging to production with the clock at (UTC, November 2026):
///
/// | when | what | production's record |
/// | --- | --- | --- |
/// | 11-02 12:00 | 1.0.0 | succeeded |
/// | 11-09 12:00 | 1.1.0, health fails | rolled back automatically |
/// | 11-09 15:00 | 1.1.0 again | succeeded (3 h after the failure) |
/// | 11-16 12:00 | 1.2.0 | succeeded, then |
/// | 11-17 12:00 | `rollback --env production` | 1.2.0 rolled back by hand |
/// | 11-18 12:00 | 1.2.1 | succeeded (48 h after 1.2.0) |
///
/// Each version reaches staging two hours before production: 4 successes.
fn deployed() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("relman.yaml", crate::deploy::HOOKS)
        .write("config/upgrade-policies.yaml", DEPLOY_POLICY)
        .write(".gitignore", "hooks.log\nfail-health\n.relman/logs/\n")
        .write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    for v in ["1.1.0", "1.2.0", "1.2.1"] {
        repo.change("src/lib.rs", &format!("feat: {v}"));
        repo.tag(&format!("v{v}"));
    }
    let deploy = |v: &str, env: &str, now: &str| at(&repo, now, &["deploy", v, env, "--yes"]);
    deploy("1.0.0", "staging", "2026-11-02T10:00:00Z").success();
    deploy("1.0.0", "production", "2026-11-02T12:00:00Z").success();
    deploy("1.1.0", "staging", "2026-11-09T10:00:00Z").success();
    repo.write("fail-health", "");
    deploy("1.1.0", "production", "2026-11-09T12:00:00Z").code(4);
    std::fs::remove_file(repo.root.join("fail-health")).unwrap();
    deploy("1.1.0", "production", "2026-11-09T15:00:00Z").success();
    deploy("1.2.0", "staging", "2026-11-16T10:00:00Z").success();
    deploy("1.2.0", "production", "2026-11-16T12:00:00Z").success();
    at(
        &repo,
        "2026-11-17T12:00:00Z",
        &["rollback", "--env", "production", "--reason", "slow", "--yes"],
    )
    .success();
    deploy("1.2.1", "staging", "2026-11-18T10:00:00Z").success();
    deploy("1.2.1", "production", "2026-11-18T12:00:00Z").success();
    repo
}

/// Hours recorded to the second, from a clock that starts at `RELMAN_NOW`
/// and moves on while a command runs: equal within a minute.
fn close_hours(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < 1.0 / 60.0, "{got} != {want}");
}

#[test]
fn deployment_figures_are_counted_from_the_ledger_of_production() {
    let repo = deployed();
    let window = ["--since", "2026-11-02", "--until", "2026-11-30"];
    let run = |extra: &[&str]| {
        let mut args = vec!["metrics", "--format", "json"];
        args.extend(window);
        args.extend(extra);
        repo.relman(&args).success().json()
    };
    // Production, the last environment of `order`, by default. The window
    // is 28 days: 4 weeks. Five deployments: 1.0.0, 1.1.0 (rolled back),
    // 1.1.0, 1.2.0 (rolled back by hand), 1.2.1; three succeeded.
    let m = run(&[]);
    assert_eq!(m["env"], "production");
    close(&m["window"]["weeks"], 4.0);
    assert_eq!(m["sources"]["deployments"], 5);
    // 3 in 4 weeks: 0.75 a week, at least monthly but not weekly: medium.
    close(&m["deployment_frequency"]["value"], 0.75);
    assert_eq!(m["deployment_frequency"]["band"], "medium");
    // 2 of 5 failed: 40 %, above 15 %: low.
    close(&m["change_failure_rate"]["value"], 0.4);
    assert_eq!(m["change_failure_rate"]["band"], "low");
    assert_eq!(m["deployment_success_rate"].as_array().unwrap().len(), 1);
    assert_eq!(m["deployment_success_rate"][0]["env"], "production");
    close(&m["deployment_success_rate"][0]["rate"], 0.6);
    // Recoveries: 11-09 12:00 → 15:00 (3 h) and 11-16 12:00 → 11-18 12:00
    // (48 h): mean and median 25.5 h, a day to a week: medium.
    close_hours(&m["time_to_recovery"]["mean_hours"], 25.5);
    close_hours(&m["time_to_recovery"]["median_hours"], 25.5);
    assert_eq!(m["time_to_recovery"]["band"], "medium");

    // Staging: four successes, none failed. A rate of 0 is data (elite);
    // no failure is no recovery: null, never 0.
    let s = run(&["--env", "staging"]);
    assert_eq!(s["env"], "staging");
    assert_eq!(s["sources"]["deployments"], 4);
    close(&s["deployment_frequency"]["value"], 1.0);
    assert_eq!(s["deployment_frequency"]["band"], "high");
    assert_eq!(s["change_failure_rate"], json!({"value": 0.0, "band": "elite"}));
    assert_eq!(s["deployment_success_rate"], json!([{"env": "staging", "rate": 1.0}]));
    assert_eq!(
        s["time_to_recovery"],
        json!({"mean_hours": null, "median_hours": null, "band": null})
    );

    // A window after the last deployment: the ledger has them, the window
    // none: no data, never 0.
    let mut args = vec!["metrics", "--format", "json", "--since", "2026-12-01"];
    args.extend(["--until", "2026-12-29"]);
    let e = repo.relman(&args).success().json();
    assert_eq!(e["deployment_frequency"], json!({"value": null, "band": null}));
    assert_eq!(e["change_failure_rate"], json!({"value": null, "band": null}));
    assert_eq!(e["deployment_success_rate"], json!([{"env": "production", "rate": null}]));

    // The human rendering.
    let mut args = vec!["metrics"];
    args.extend(window);
    let text = repo.relman(&args).success().stdout;
    assert!(text.contains("(4 weeks, environment production)"), "{text}");
    assert!(text.contains("deployment frequency     0.75 a week  [medium]"), "{text}");
    assert!(text.contains("change failure rate      40%  [low]"), "{text}");
    assert!(text.contains("deployment success rate  production 60%"), "{text}");
    assert!(
        text.contains("time to recovery         mean 25.5 h, median 25.5 h  [medium]"),
        "{text}"
    );

    // The report page shows the same rows (its window: the 90 days before
    // RELMAN_NOW, 2026-11-22, which hold the deployments up to 11-18).
    let page = repo.relman(&["report", "--out", "-"]).success().stdout;
    assert!(page.contains("production: 60"), "{page}");
    assert!(page.contains("mean 25.5"), "{page}");

    // An environment not in `order` is bad input, with the closest name.
    let r = repo.relman(&["metrics", "--env", "prod"]).code(2);
    assert!(r.stderr.contains("`--env prod` is not in `environments.order`"), "{r}");
    assert!(r.stderr.contains("production"), "{r}");
}

#[test]
fn metrics_read_only_the_ledger_of_the_environment_asked() {
    let repo = deployed();
    // A broken ledger elsewhere is not read; the one asked is.
    repo.write(".relman/state/environments/staging.yaml", "environment: [\n");
    let m = repo.relman(&["metrics", "--format", "json"]).success().json();
    assert_eq!(m["sources"]["deployments"], 5);
    let r = repo.relman(&["metrics", "--env", "staging"]).code(2);
    assert!(r.stderr.contains("staging.yaml"), "{r}");
}
