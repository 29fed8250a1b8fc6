//! Who relman commits, tags and records as: git's own identity rules
//! (issue 18 item 24). `GIT_AUTHOR_*` and `GIT_COMMITTER_*` override the
//! config, each identity on its own, as CI jobs that set no `user.name` rely on.

use crate::support::{TestRepo, version_project};

/// The identity a CI job sets through the environment only.
const CI: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "CI Bot"),
    ("GIT_AUTHOR_EMAIL", "ci@x"),
    ("GIT_COMMITTER_NAME", "Release Runner"),
    ("GIT_COMMITTER_EMAIL", "runner@x"),
];

/// Removes `user.name` and `user.email` from the repository's config; the
/// test environment has no global or system config and an empty `HOME`.
fn forget_identity(repo: &TestRepo) {
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
}

#[test]
fn create_commits_and_tags_as_the_identity_in_git_environment_variables() {
    let repo = version_project();
    forget_identity(&repo);
    repo.relman_env(&["create", "patch"], &CI).success();

    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %cn <%ce>"]),
        "CI Bot <ci@x> Release Runner <runner@x>"
    );
    // A tag's tagger is the committer, as `git tag` makes it.
    assert_eq!(
        repo.git(&["for-each-ref", "--format=%(taggername) %(taggeremail)", "refs/tags/v1.2.4"]),
        "Release Runner <runner@x>"
    );
    // The audit line names the author, who the commit says made it.
    let audit: serde_json::Value =
        serde_json::from_str(repo.read("analysis/reports/audit.log").trim()).unwrap();
    assert_eq!(audit["who"], "CI Bot <ci@x>");
}

#[test]
fn git_environment_variables_override_the_config_one_by_one() {
    let repo = version_project();
    repo.relman_env(&["create", "patch"], &[("GIT_COMMITTER_NAME", "Release Runner")]).success();
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %cn <%ce>"]),
        "Test User <test@example.com> Release Runner <test@example.com>"
    );
}

#[test]
fn author_and_committer_config_keys_come_before_user() {
    let repo = version_project();
    repo.git(&["config", "author.name", "Ann Author"]);
    repo.git(&["config", "committer.email", "commits@x"]);
    repo.relman(&["create", "patch"]).success();
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %cn <%ce>"]),
        "Ann Author <test@example.com> Test User <commits@x>"
    );
}

#[test]
fn create_without_any_identity_is_refused_naming_both_ways_to_set_one() {
    let repo = version_project();
    forget_identity(&repo);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.relman(&["create", "patch"]).code(3);
    assert!(run.stderr.contains("user.name"), "{run}");
    assert!(run.stderr.contains("GIT_AUTHOR_NAME"), "{run}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["tag", "-l", "v1.2.4"]), "");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn approve_records_the_environment_identity_by_default() {
    let repo = crate::lifecycle::platform();
    forget_identity(&repo);
    let run = repo
        .relman_env(&["approve", "t", "--role", "qa", "--format", "json"], &CI)
        .success()
        .json();
    assert_eq!(run["approval"]["by"], "CI Bot <ci@x>");
    assert_eq!(repo.git(&["log", "-1", "--format=%an %cn"]), "CI Bot Release Runner");
}
