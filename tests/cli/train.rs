//! Trains over a monorepo: plans, validation, per-service versions
//! (issue 3, acceptance 1, 4, 5).

use crate::catalogs::platform;
use crate::support::TestRepo;

#[test]
fn the_reference_plan_goes_curve_backtesting_scenario() {
    let repo = platform();
    let json =
        repo.relman(&["train", "plan", "Q4-curve-upgrade", "--format", "json"]).success().json();
    assert_eq!(json["schema"], "relman.train.plan/1");
    assert_eq!(json["waves"], serde_json::json!([["curve"], ["backtesting"], ["scenario"]]));
    let seq = json["sequence"].as_array().unwrap();
    let row = |i: usize| {
        (
            seq[i]["service"].clone(),
            seq[i]["to"].clone(),
            seq[i]["action"].clone(),
            seq[i]["wave"].clone(),
        )
    };
    assert_eq!(row(0), ("curve".into(), "2.0.0".into(), "release".into(), 1.into()));
    assert_eq!(seq[0]["reason"], "train target");
    assert_eq!(seq[2]["reason"], "bump minor");
    assert_eq!(seq[2]["depends_on"], serde_json::json!(["curve", "backtesting"]));
    assert_eq!(json["external"][0]["service"], "market-data");

    let text = repo.relman(&["train", "plan", "Q4-curve-upgrade"]).success().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Q4-curve-upgrade (planning): 3 participants in 3 waves");
    assert!(
        lines[2].starts_with("1     curve        0.0.0  2.0.0  release  train target"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("2     backtesting  0.0.0  0.0.0  skip     nothing to release"),
        "{text}"
    );
    assert!(lines[4].starts_with("3     scenario     0.0.0  0.1.0  release  bump minor"), "{text}");
}

#[test]
fn plan_out_saves_the_plan_with_input_digests() {
    let repo = platform();
    repo.relman(&["train", "plan", "Q4-curve-upgrade", "--out", "plan.json", "--dry-run"])
        .success();
    assert!(!repo.exists("plan.json"), "--dry-run wrote the plan");
    let run = repo.relman(&["train", "plan", "Q4-curve-upgrade", "--out", "plan.json"]).success();
    assert!(run.stdout.contains("saved to plan.json"), "{run}");
    let saved: serde_json::Value = serde_json::from_str(&repo.read("plan.json")).unwrap();
    assert_eq!(saved["schema"], "relman.train.plan/1");
    assert_eq!(saved["inputs"]["head"], repo.git(&["rev-parse", "HEAD"]));
    let files = saved["inputs"]["files"].as_object().unwrap();
    // The trains file is digested with its `status:` values masked: relman
    // edits them as trains move.
    let trains = repo.read("catalog/release-trains.yaml");
    let masked = trains.replace("    status: planning\n", "    status: -\n");
    assert_ne!(masked, trains);
    let expected = relman::repo::audit::sha256_hex(masked.as_bytes());
    assert_eq!(files["catalog/release-trains.yaml"], expected.as_str());
    assert!(
        files.contains_key("catalog/services.yaml")
            && files.contains_key("catalog/upgrade-policies.yaml")
    );
}

/// A catalog written for validation: two services, metrics chosen per gate.
fn gated(gates: &str, scenario_metrics: Option<&str>) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n  - name: scenario\n    path: services/scenario\n    depends_on: [curve]\n",
    );
    repo.write(
        "catalog/release-trains.yaml",
        &format!("trains:\n  - name: t1\n    participants: [curve, scenario]\n    gates:\n{gates}"),
    );
    repo.write(
        "catalog/metrics/curve.yaml",
        "quality_score: 91\ncritical_vulns: 0\ncoverage: 90\nhealthy: true\nlatency_ms: 120\n",
    );
    if let Some(m) = scenario_metrics {
        repo.write("catalog/metrics/scenario.yaml", m);
    }
    repo.commit("chore: catalog");
    repo
}

#[test]
fn validate_reports_exactly_the_failing_gates() {
    let repo = gated(
        "      - all_participants_quality >=80\n      - no_open_critical_vulns\n      - min_coverage\n      - all_services_healthy\n",
        Some("quality_score: 72\ncritical_vulns: 2\ncoverage: 80\nhealthy: false\n"),
    );
    let run = repo.relman(&["train", "validate", "t1", "--format", "json"]).code(1);
    let json = run.json();
    assert_eq!(json["passed"], false);
    let gates = json["gates"].as_array().unwrap();
    let failing: Vec<(&str, &str, &str, &str)> = gates
        .iter()
        .flat_map(|g| {
            g["failures"].as_array().unwrap().iter().map(move |f| {
                (
                    g["gate"].as_str().unwrap(),
                    f["service"].as_str().unwrap(),
                    f["value"].as_str().unwrap(),
                    f["required"].as_str().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(
        failing,
        [
            ("all_participants_quality >=80", "scenario", "72", "quality_score >= 80"),
            ("no_open_critical_vulns", "scenario", "2", "critical_vulns <= 0"),
            ("all_services_healthy", "scenario", "false", "healthy = true"),
        ]
    );
    assert_eq!(gates[2]["passed"], true, "min_coverage uses the policy default 75");
}

#[test]
fn a_missing_metric_fails_as_no_data() {
    let repo = gated("      - min_coverage\n", None);
    let run = repo.relman(&["train", "validate", "t1"]).code(1);
    assert!(
        run.stdout.contains("FAIL  min_coverage\n        scenario: no data (needs coverage >= 75)"),
        "{run}"
    );
    let json = repo.relman(&["train", "validate", "t1", "--format", "json"]).code(1).json();
    assert_eq!(json["gates"][0]["failures"][0]["value"], serde_json::Value::Null);
    assert!(json["gates"][0]["message"].as_str().unwrap().contains("no data"));
}

#[test]
fn non_blocking_gates_warn_without_failing() {
    let repo = gated(
        "      - custom: \"latency_ms <= 100\"\n        blocking: false\n      - min_quality_score\n",
        Some("quality_score: 85\nlatency_ms: 90\n"),
    );
    let run = repo.relman(&["train", "validate", "t1"]).success();
    assert!(
        run.stdout.contains(
            "warn  custom: latency_ms <= 100\n        curve: 120 (needs latency_ms <= 100)"
        ),
        "{run}"
    );
    assert!(run.stdout.contains("passed: train `t1` may go (1 warning(s))"), "{run}");
}

#[test]
fn command_gates_get_values_only_through_the_environment() {
    let repo = TestRepo::new();
    let name = "q4$(touch pwned);touch pwned2";
    repo.write("catalog/services.yaml", "services:\n  - name: curve\n    path: services/curve\n");
    repo.write(
        "catalog/release-trains.yaml",
        &format!(
            "trains:\n  - name: '{name}'\n    participants: [curve]\n    gates:\n      - command: 'printf \"%s\" \"$RELMAN_TRAIN\" > seen.txt'\n      - command: \"exit 3\"\n"
        ),
    );
    repo.commit("chore: catalog");
    let run = repo.relman(&["train", "validate", name]).code(1);
    assert_eq!(repo.read("seen.txt"), name, "the value reached the command verbatim");
    assert!(!repo.exists("pwned") && !repo.exists("pwned2"), "a value ran as shell syntax");
    assert!(run.stdout.contains("pass  command: printf"), "{run}");
    assert!(run.stdout.contains("FAIL  command: exit 3\n        exit 3 (needs exit 0)"), "{run}");
}

#[test]
fn dependencies_are_checked_against_specs() {
    let repo = gated("      - min_quality_score\n", Some("quality_score: 85\n"));
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: t1\n    participants: [curve]\n    dependencies:\n      - spec: curves-api >=2.0.0\n      - library: pricing-lib ^2\n",
    );
    repo.write("catalog/specs.yaml", "specs:\n  curves-api: [\"1.9.0\", \"2.1.0\", \"3.0.0-rc.1\"]\nlibraries:\n  pricing-lib: [\"1.4.0\"]\n");
    repo.commit("chore: specs");
    let json = repo.relman(&["train", "validate", "t1", "--format", "json"]).code(1).json();
    assert_eq!(json["dependencies"][0]["passed"], true);
    assert_eq!(json["dependencies"][0]["found"], "2.1.0");
    assert_eq!(json["dependencies"][1]["passed"], false);
    assert_eq!(json["dependencies"][1]["found"], "1.4.0");
}

/// A monorepo with two services, each tagged, then commits under each path.
fn monorepo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n    tag: \"curve-v{version}\"\n    version_files: [services/curve/Cargo.toml]\n  - name: backtesting\n    path: services/backtesting\n    depends_on: [curve]\n    version_files: [services/backtesting/package.json]\n",
    );
    repo.write("services/curve/Cargo.toml", "[package]\nname = \"curve\"\nversion = \"1.4.2\"\n");
    repo.write("services/backtesting/package.json", "{\n  \"version\": \"0.9.0\"\n}\n");
    repo.commit("chore: start");
    repo.tag("curve-v1.4.2");
    repo.tag("backtesting-v0.9.0");
    repo.change("services/curve/src/a.rs", "fix(curve): rounding");
    repo.change("services/backtesting/src/b.js", "feat(backtesting): replay");
    repo.change("services/backtesting/src/c.js", "feat(backtesting)!: new API");
    repo.change("docs/readme.md", "feat: top-level docs");
    repo
}

#[test]
fn next_service_counts_only_commits_under_its_path() {
    let repo = monorepo();
    let json = repo.relman(&["next", "curve", "--format", "json"]).success().json();
    assert_eq!(json["service"], "curve");
    assert_eq!(json["commits"].as_array().unwrap().len(), 1);
    assert_eq!((json["bump"].as_str(), json["next"].as_str()), (Some("patch"), Some("1.4.3")));
    let json = repo.relman(&["next", "backtesting", "--format", "json"]).success().json();
    assert_eq!(json["commits"].as_array().unwrap().len(), 2);
    assert_eq!(json["next"], "0.10.0", "breaking at 0.y.z is minor");
    let run = repo.relman(&["next", "curv"]).code(2);
    assert!(
        run.stderr.contains("unknown service `curv`")
            && run.stderr.contains("did you mean `curve`?"),
        "{run}"
    );
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    assert_eq!(status["mode"], "services");
    assert_eq!(status["units"][0]["commits_since"], 1);
    assert_eq!(status["units"][1]["next"], "0.10.0");
}

#[test]
fn create_for_a_service_touches_only_its_files() {
    let repo = monorepo();
    repo.relman(&["create", "minor", "curve"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "curve-v1.5.0");
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "analysis/reports/audit.log\nservices/curve/Cargo.toml");
    assert_eq!(
        repo.read("services/curve/Cargo.toml"),
        "[package]\nname = \"curve\"\nversion = \"1.5.0\"\n"
    );
    assert_eq!(repo.read("services/backtesting/package.json"), "{\n  \"version\": \"0.9.0\"\n}\n");
    let json = repo.relman(&["next", "curve", "--format", "json"]).success().json();
    assert_eq!(
        (json["current"].as_str(), json["releasable"].as_bool()),
        (Some("1.5.0"), Some(false))
    );
}

#[test]
fn aliases_resolve_to_the_service() {
    let repo = platform();
    let json = repo.relman(&["next", "curve-service", "--format", "json"]).success().json();
    assert_eq!(json["service"], "curve");
}

#[test]
fn a_service_with_a_changelog_gets_its_section() {
    let repo = monorepo();
    let services = repo.read("catalog/services.yaml").replace(
        "    version_files: [services/curve/Cargo.toml]\n",
        "    version_files: [services/curve/Cargo.toml]\n    changelog: services/curve/CHANGELOG.md\n",
    );
    repo.write("catalog/services.yaml", &services);
    repo.write(
        "services/curve/CHANGELOG.md",
        "# Curve\r\n\r\n## 1.4.2 (2026-10-01)\r\n\r\n- old\r\n",
    );
    repo.commit("docs(curve): changelog");
    repo.relman(&["create", "patch", "curve"]).success();
    assert_eq!(
        repo.read("services/curve/CHANGELOG.md"),
        format!(
            "# Curve\r\n\r\n## 1.4.3 (2026-11-22)\r\n\r\n### Bug Fixes\r\n\r\n- **curve:** rounding ({})\r\n\r\n### Other\r\n\r\n- docs(curve): changelog ({})\r\n\r\n## 1.4.2 (2026-10-01)\r\n\r\n- old\r\n",
            &repo.git(&["log", "-1", "--format=%H", "--grep=rounding"])[..7],
            &repo.git(&["log", "-1", "--format=%H", "--grep=changelog"])[..7],
        )
    );
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files,
        "analysis/reports/audit.log\nservices/curve/CHANGELOG.md\nservices/curve/Cargo.toml"
    );
}

#[test]
fn verbose_shows_a_command_gates_output() {
    let repo = gated("      - command: \"echo checking things; exit 0\"\n", None);
    let run = repo.relman(&["train", "validate", "t1", "-v"]).success();
    assert!(run.stderr.contains("  | checking things"), "{run}");
    let quiet = repo.relman(&["train", "validate", "t1"]).success();
    assert!(!quiet.stderr.contains("  | checking things"), "{quiet}");
}

#[test]
fn a_command_gate_that_leaves_a_background_process_does_not_hang_validate() {
    let repo = gated("      - command: \"sleep 30 & echo started\"\n", None);
    let start = std::time::Instant::now();
    let run = repo.relman(&["train", "validate", "t1"]).success();
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "waited {:?}", start.elapsed());
    assert!(run.stdout.contains("pass  command: sleep 30 & echo started"), "{run}");
}

#[test]
fn a_command_gate_past_its_timeout_fails_and_is_killed() {
    let repo = gated("      - command: \"sleep 30\"\n", None);
    repo.write(
        "catalog/upgrade-policies.yaml",
        "release_trains:\n  validation:\n    health_check_timeout: 1\n",
    );
    repo.commit("chore: short timeout");
    let start = std::time::Instant::now();
    let run = repo.relman(&["train", "validate", "t1"]).code(1);
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "waited {:?}", start.elapsed());
    assert!(
        run.stdout.contains("FAIL  command: sleep 30\n        timed out after 1s (needs exit 0)"),
        "{run}"
    );
}

#[test]
fn a_branch_merged_after_the_release_counts_for_the_service_it_touches() {
    // main:    start ── feat(backtesting) [tags] ── merge
    //             \                                /
    // feature:     fix(curve) ────────────────────
    // The fix is not an ancestor of curve's tag, so it is pending for curve,
    // though it is older than the tag: walking "until the tag" would miss it.
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n  - name: backtesting\n    path: services/backtesting\n",
    );
    repo.commit("chore: start");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.change("services/curve/f.txt", "fix(curve): rounding on a branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.change("services/backtesting/b.txt", "feat(backtesting): replay");
    repo.tag("curve-v1.0.0");
    repo.tag("backtesting-v1.0.0");
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature"]);

    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let unit = |name: &str| {
        status["units"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap().clone()
    };
    assert_eq!(unit("curve")["commits_since"], 2, "the fix and the merge: {status}");
    assert_eq!(unit("curve")["next"], "1.0.1");
    assert_eq!(unit("backtesting")["commits_since"], 0, "{status}");

    let next = repo.relman(&["next", "curve", "--format", "json"]).success().json();
    let summaries: Vec<&str> = next["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries.len(), 2, "{next}");
    assert!(summaries.contains(&"rounding on a branch"), "{next}");
}

#[test]
fn first_parent_history_skips_the_branch_commits() {
    let repo = TestRepo::new();
    repo.write("relman.yaml", "release:\n  history: first-parent\n");
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.change("src/a.txt", "feat: on the branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "-m", "fix: merge the feature", "feature"]);
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["commits"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["bump"], "patch", "only the merge commit counts: {json}");
}

#[test]
fn a_target_below_a_current_version_names_its_line_and_column() {
    let repo = monorepo();
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: t1\n    participants: [curve]\n    target_version: \"1.0.0\"\n",
    );
    repo.commit("chore: train");
    let run = repo.relman(&["train", "plan", "t1"]).code(2);
    assert!(
        run.stderr.contains("catalog/release-trains.yaml:4:21")
            && run.stderr.contains("would go from 1.4.2 down to 1.0.0"),
        "{}",
        run.stderr
    );
}
