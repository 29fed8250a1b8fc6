//! Every example in `examples/` works as its README says, and `relman init`
//! and `relman demo` do what the README promises.

use crate::support::{RELMAN, TestRepo, copy_dir, source_path};

#[test]
fn single_project_example_releases() {
    let repo = TestRepo::new();
    copy_dir(&source_path("examples/single-project"), &repo.root);
    repo.commit("chore: import");
    repo.tag("v0.4.1");
    repo.change("src/lib.rs", "feat(tenor): business-day adjustment");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["next"], "0.5.0");
    repo.relman(&["create", "auto"]).success();
    assert!(repo.read("Cargo.toml").contains("version = \"0.5.0\" # relman edits only this value"));
    assert!(repo.read("CHANGELOG.md").contains(
        "## 0.5.0 (2026-11-22)\n\n### New Features\n\n- **tenor:** business-day adjustment"
    ));
}

#[test]
fn monorepo_example_validates_with_its_policies_under_config() {
    let repo = TestRepo::new();
    copy_dir(&source_path("examples/monorepo"), &repo.root);
    repo.commit("chore: import");
    let run = repo.relman(&["train", "validate", "payments-2026.49"]).success();
    assert!(
        run.stdout.contains("warn  custom: p99_latency_ms <= 300\n        payments: 420"),
        "{run}"
    );
    let plan =
        repo.relman(&["train", "plan", "payments-2026.49", "--format", "json"]).success().json();
    assert_eq!(plan["waves"], serde_json::json!([["ledger"], ["payments"]]));
    assert_eq!(plan["sequence"][1]["from"], "1.8.0");
}

#[test]
fn ci_script_releases_and_pushes_branch_and_tag_together() {
    let remote = TestRepo::new();
    remote.git(&["config", "receive.denyCurrentBranch", "ignore"]);
    let repo = TestRepo::new();
    copy_dir(&source_path("examples/single-project"), &repo.root);
    repo.commit("chore: import");
    repo.tag("v0.4.1");
    repo.change("src/lib.rs", "fix: rounding");
    repo.git(&["remote", "add", "origin", &remote.root.to_string_lossy()]);
    let bin = std::path::Path::new(RELMAN).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("bash")
        .arg(source_path("examples/ci-release.sh"))
        .current_dir(&repo.root)
        .env("PATH", path)
        .env("HOME", repo.root.join("..").join("home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("RELMAN_NOW", crate::support::NOW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(remote.git(&["tag", "-l"]), "v0.4.2");
    assert_eq!(remote.git(&["log", "-1", "--format=%s", "main"]), "chore(release): v0.4.2");
}

#[test]
fn init_writes_starter_files_and_never_overwrites() {
    let repo = TestRepo::new();
    repo.write("relman.yaml", "# mine\n");
    let dry = repo.relman(&["init", "--dry-run"]).success();
    assert!(dry.stdout.contains("would write catalog/services.yaml"), "{dry}");
    assert!(!repo.exists("catalog"));
    let run = repo.relman(&["init"]).success();
    assert!(run.stdout.contains("skipped relman.yaml (exists; left alone)"), "{run}");
    assert_eq!(repo.read("relman.yaml"), "# mine\n");
    assert!(repo.read(".gitignore").contains(".relman/logs/"));
    assert!(repo.read("catalog/services.yaml").starts_with("# Services of a monorepo."));
    // The starter catalog lists no service, so this is still a single project.
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: init");
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    assert_eq!(status["mode"], "project");
    let again = repo.relman(&["init"]).success();
    assert!(!again.stdout.contains("wrote"), "{again}");
}

#[test]
fn init_example_platform_writes_the_reference_catalog() {
    let repo = TestRepo::new();
    repo.relman(&["init", "--example", "platform"]).success();
    assert_eq!(
        repo.read("catalog/services.yaml"),
        std::fs::read_to_string(source_path("catalog/services.yaml")).unwrap()
    );
    repo.commit("chore: platform");
    let json =
        repo.relman(&["train", "plan", "Q4-curve-upgrade", "--format", "json"]).success().json();
    assert_eq!(json["waves"], serde_json::json!([["curve"], ["backtesting"], ["scenario"]]));
}

/// The reference catalog's comment on `target_version` offers
/// `calendar`; done as it says, the train releases at the calendar version
/// of its `schedule.start_time` (2026-12-01, ISO week 49: 2026.25.0), and
/// a participant's own bump still wins.
#[test]
fn the_reference_catalogs_calendar_target_reads_back() {
    let repo = TestRepo::new();
    repo.relman(&["init", "--example", "platform"]).success();
    let trains = repo.read("catalog/release-trains.yaml");
    assert_eq!(
        trains,
        std::fs::read_to_string(source_path("catalog/release-trains.yaml")).unwrap()
    );
    let pinned = "    target_version: \"curve-service:2.0.0\"";
    let comment = "# or `target_version: calendar` (\"SERVICE:calendar\" for one)";
    assert!(trains.contains(pinned) && trains.contains(comment), "{trains}");
    let line = trains.lines().find(|l| l.starts_with(pinned)).unwrap();
    repo.write(
        "catalog/release-trains.yaml",
        &trains.replace(line, "    target_version: calendar"),
    );
    repo.commit("chore: platform");
    let json =
        repo.relman(&["train", "plan", "Q4-curve-upgrade", "--format", "json"]).success().json();
    let to: Vec<(&str, &str)> = json["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["service"].as_str().unwrap(), s["to"].as_str().unwrap()))
        .collect();
    assert_eq!(to[0], ("curve", "2026.25.0"), "{json}");
    assert_eq!(to[1], ("backtesting", "2026.25.0"), "{json}");
    assert_ne!(to[2].1, "2026.25.0", "scenario's own `bump: minor` wins: {json}");
    // The January train's comment: 2027-01-12 is in ISO week 2, train 1.
    let calendar = repo
        .relman(&["calendar", "--from", "2027-01-12", "--count", "1", "--format", "json"])
        .success()
        .json();
    assert_eq!(calendar["slots"][0]["version"], "2027.1.0", "{calendar}");
    assert_eq!(calendar["slots"][0]["trains"][0]["name"], "platform-2027.01", "{calendar}");
}

#[test]
fn demo_walks_the_train_and_a_release() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = std::process::Command::new(RELMAN)
        .args(["demo", &dir.to_string_lossy(), "--format", "json"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("RELMAN_NOW", crate::support::NOW)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = json["steps"].as_array().unwrap();
    let step = |cmd: &str| {
        steps.iter().find(|s| s["command"] == cmd).unwrap_or_else(|| panic!("no step {cmd}"))
    };
    assert_eq!(step("relman train validate Q4-curve-upgrade")["exit_code"], 1);
    let first = step("relman train validate Q4-curve-upgrade")["stdout"].as_str().unwrap();
    assert!(
        first.contains("FAIL  all_participants_quality >=80\n        backtesting: 76"),
        "{first}"
    );
    let after: Vec<&serde_json::Value> =
        steps.iter().filter(|s| s["command"] == "relman train validate Q4-curve-upgrade").collect();
    assert!(after[1]["stdout"].as_str().unwrap().contains("pass  all_participants_quality >=80"));
    assert_eq!(step("relman create minor gateway")["exit_code"], 0);
    // The Q4 train: started (approvals missing), approved, run to the end.
    assert_eq!(step("relman train start Q4-curve-upgrade")["exit_code"], 1);
    let run = step("relman train run Q4-curve-upgrade");
    assert_eq!(run["exit_code"], 0, "{run}");
    assert!(run["stdout"].as_str().unwrap().contains("verifying → completed"), "{run}");
    // The January train's health check fails while verifying: it rolls back.
    let january: Vec<&serde_json::Value> =
        steps.iter().filter(|s| s["command"] == "relman train advance platform-2027.01").collect();
    let last = january.last().unwrap();
    assert_eq!(last["exit_code"], 4, "{last}");
    assert!(last["stdout"].as_str().unwrap().contains("verifying → rolled_back"), "{last}");
    // Rolling the first train back: a dry run, then for real.
    let rollbacks: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|s| {
            s["command"].as_str().unwrap().starts_with("relman rollback --train Q4-curve-upgrade")
        })
        .collect();
    assert_eq!(rollbacks.len(), 2);
    assert!(rollbacks[0]["stdout"].as_str().unwrap().contains("would roll back in this order"));
    assert!(
        rollbacks[1]["stdout"].as_str().unwrap().contains("train is rolled_back"),
        "{}",
        rollbacks[1]
    );
    // The gateway release promoted through the environments.
    let refused = step("relman deploy 1.9.0 production --service gateway");
    assert_eq!(refused["exit_code"], 1, "{refused}");
    assert!(refused["stderr"].as_str().unwrap().contains("promoted in order"), "{refused}");
    let canary = step(
        "relman deploy 1.9.0 production --approved-by \"release_manager=Rita Chen <rm@example.com>\" --yes --service gateway",
    );
    assert_eq!(canary["exit_code"], 0, "{canary}");
    assert!(canary["stdout"].as_str().unwrap().contains("traffic  25%"), "{canary}");
    let failing = step("relman deploy 1.9.1 dev --service gateway");
    assert_eq!(failing["exit_code"], 4, "{failing}");
    assert!(failing["stdout"].as_str().unwrap().contains("1.9.0 was put back in dev"), "{failing}");
    let status = steps.iter().rfind(|s| s["command"] == "relman status").unwrap();
    assert!(status["stdout"].as_str().unwrap().contains("production   gateway  1.9.0"), "{status}");
    assert_eq!(step("relman audit verify")["exit_code"], 0);
    // Metrics, calendar and report close the walk.
    let metrics = step("relman metrics");
    assert_eq!(metrics["exit_code"], 0, "{metrics}");
    assert!(metrics["stdout"].as_str().unwrap().contains("lead time for changes"), "{metrics}");
    assert_eq!(step("relman calendar --count 3")["exit_code"], 0);
    let report = step("relman report --out relman-report.html");
    assert_eq!(report["exit_code"], 0, "{report}");
    assert!(dir.join("relman-report.html").exists());
    let last = steps.last().unwrap();
    assert_eq!(last["command"], "relman report --out relman-report.html");
    assert!(crate::json_contract::demo_document(json.clone()) >= 20);
    assert!(dir.join(".git").exists());
    let again =
        std::process::Command::new(RELMAN).args(["demo", &dir.to_string_lossy()]).output().unwrap();
    assert_eq!(again.status.code(), Some(3), "a non-empty folder is refused");
}

#[test]
fn the_starter_relman_yaml_uncommented_is_the_defaults() {
    let text = std::fs::read_to_string(source_path("examples/starter/relman.yaml")).unwrap();
    let start = text.find("# project:").unwrap();
    let uncommented: String = text[start..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let settings = |repo: &TestRepo| {
        let json = repo.relman(&["status", "--show-settings", "--format", "json"]).success().json();
        json["settings"].as_array().unwrap().clone()
    };
    let repo = TestRepo::new();
    repo.commit("chore: start");
    let defaults = settings(&repo);
    repo.write("relman.yaml", &uncommented);
    let written = settings(&repo);
    // Every key the starter shows is read from the file, with the default's
    // value (the examples, such as the project name, aside).
    let examples = ["project.name", "project.version_files", "paths.policies"];
    for (d, w) in defaults.iter().zip(&written) {
        let key = d["key"].as_str().unwrap();
        if ["project.", "release.", "paths.", "commits."].iter().any(|p| key.starts_with(p)) {
            assert_eq!(w["source"], "file", "{key} is not in the starter");
            if !examples.contains(&key) {
                assert_eq!(w["value"], d["value"], "{key}");
            }
        }
    }
}
