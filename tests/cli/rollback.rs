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
