//! Rolling back (SPEC 5): past a newer release, twice in a row, and within
//! the train's `rollback.timeout`.

use std::path::PathBuf;

use crate::lifecycle::{platform, relman, staged};
use crate::support::TestRepo;

fn hook_log(repo: &TestRepo) -> PathBuf {
    repo.root.with_file_name("hooks.log")
}

fn rollback_hooks_run(repo: &TestRepo) -> Vec<String> {
    std::fs::read_to_string(hook_log(repo))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("rollback "))
        .map(str::to_owned)
        .collect()
}

/// Makes `$HOOK_LOG.<hook>-<service>.sh` run `body`.
fn script(repo: &TestRepo, hook: &str, service: &str, body: &str) {
    let path = format!("{}.{hook}-{service}.sh", hook_log(repo).display());
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn rolling_a_train_back_past_a_newer_release_of_a_participant_is_refused_naming_it() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    repo.change("services/api/src.txt", "fix(api): later");
    relman(&repo, &["create", "patch", "api"]).success();
    assert!(!repo.git(&["tag", "-l", "api-v1.1.1"]).is_empty());
    let before = repo.snapshot();
    let run = relman(&repo, &["rollback", "--train", "t", "--reason", "bad", "--yes"]).code(3);
    assert!(
        run.stderr.contains("`api`")
            && run.stderr.contains("api-v1.1.1")
            && run.stderr.contains("newer"),
        "{run}"
    );
    repo.assert_unchanged(&before);
    assert!(rollback_hooks_run(&repo).is_empty(), "a hook ran");
    // Once the newer release is rolled back, the train's rollback goes on.
    relman(&repo, &["rollback", "api", "--reason", "bad", "--yes"]).success();
    let json = relman(
        &repo,
        &["rollback", "--train", "t", "--reason", "bad", "--yes", "--format", "json"],
    )
    .success()
    .json();
    assert_eq!(json["status"], "rolled_back", "{json}");
}

#[test]
fn a_second_rollback_of_a_service_goes_one_version_further_back() {
    let repo = platform();
    for (n, bump) in ["minor", "minor", "minor"].iter().enumerate() {
        repo.change("services/api/src.txt", &format!("feat(api): step {n}"));
        relman(&repo, &["create", bump, "api"]).success();
    }
    assert!(!repo.git(&["tag", "-l", "api-v1.3.0"]).is_empty());
    let first = relman(&repo, &["rollback", "api", "--reason", "one", "--yes", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (first["plan"][0]["from"].as_str(), first["plan"][0]["to"].as_str()),
        (Some("1.3.0"), Some("1.2.0"))
    );
    let dry = relman(&repo, &["rollback", "api", "--reason", "two", "--dry-run"]).success();
    assert!(dry.stdout.contains("api 1.2.0 → 1.1.0"), "{dry}");
    let second =
        relman(&repo, &["rollback", "api", "--reason", "two", "--yes", "--format", "json"])
            .success()
            .json();
    assert_eq!(
        (second["plan"][0]["from"].as_str(), second["plan"][0]["to"].as_str()),
        (Some("1.2.0"), Some("1.1.0"))
    );
    assert_eq!(
        rollback_hooks_run(&repo),
        ["rollback api 1.3.0 1.2.0  one", "rollback api 1.2.0 1.1.0  two"]
    );
    let subject = repo.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject, "chore(release): roll back api 1.2.0 → 1.1.0");
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn the_trains_rollback_timeout_bounds_the_whole_rollback() {
    let repo = platform();
    let trains = repo.read("catalog/release-trains.yaml").replacen(
        "health_check_threshold: 100%\r\n",
        "health_check_threshold: 100%\r\n      timeout: 2s\r\n",
        1,
    );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: a 2s rollback");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    relman(&repo, &["train", "run", "t"]).success();
    // Rolled back in reverse: worker, web, api. Each of worker's and web's
    // hooks alone fits in 2s; together they do not.
    script(&repo, "rollback", "worker", "sleep 1.5");
    script(&repo, "rollback", "web", "sleep 1.5");
    let run = relman(
        &repo,
        &["rollback", "--train", "t", "--reason", "bad", "--yes", "--format", "json"],
    )
    .code(4);
    let json = run.json();
    assert_eq!(json["rolled_back"], serde_json::json!(["worker"]), "{run}");
    assert_eq!(json["failed"], "web", "{run}");
    let human = relman(&repo, &["rollback", "--train", "t", "--reason", "bad", "--yes"]);
    // The next run continues with web and api (each within a new 2s).
    assert_eq!(human.code, 0, "{human}");
    assert!(repo.read(".relman/state/t/train.yaml").contains("- service: api"));
}

#[test]
fn a_rollback_out_of_time_names_the_services_not_rolled_back() {
    let repo = platform();
    let trains = repo.read("catalog/release-trains.yaml").replacen(
        "health_check_threshold: 100%\r\n",
        "health_check_threshold: 100%\r\n      timeout: 1s\r\n",
        1,
    );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: a 1s rollback");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    relman(&repo, &["train", "run", "t"]).success();
    script(&repo, "rollback", "worker", "sleep 5");
    let run = relman(&repo, &["rollback", "--train", "t", "--reason", "bad", "--yes"]).code(4);
    assert!(
        run.stdout.contains("1s") && run.stdout.contains("not rolled back: worker, web, api"),
        "{run}"
    );
}
