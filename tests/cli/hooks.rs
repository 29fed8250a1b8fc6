//! Hooks against real output and real signals (SPEC 6.3, 6.4): bytes that
//! are not UTF-8, output without end, multi-line secrets, secrets typed on
//! the command line, and relman stopped while a hook runs.

use crate::lifecycle::{platform, relman, staged};
use crate::support::TestRepo;

/// Where the platform's hooks look for their scripts (`$HOOK_LOG`).
fn hook_log(repo: &TestRepo) -> String {
    repo.root.with_file_name("hooks.log").display().to_string()
}

/// Writes an executable shell script.
fn script(path: &str, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_multi_line_secret_reaches_neither_the_terminal_nor_the_hook_log() {
    let repo = staged();
    let log = hook_log(&repo);
    script(&format!("{log}.release-api.sh"), "echo \"$DEPLOY_KEY\"; echo done");
    let key = "-----BEGIN KEY-----\nAAAAsecretline1\nBBBBsecretline2\n-----END KEY-----";
    let run = repo
        .relman_env(&["train", "run", "t"], &[("HOOK_LOG", &log), ("DEPLOY_KEY", key)])
        .success();
    let kept = repo.read(".relman/logs/t/api-release.log");
    for secret in ["AAAAsecretline1", "BBBBsecretline2"] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "{run}");
        assert!(!kept.contains(secret), "{kept}");
    }
    assert_eq!(kept, "[REDACTED]\n[REDACTED]\n[REDACTED]\n[REDACTED]\ndone\n");
    assert!(run.stderr.contains("  | [REDACTED]\n"), "{run}");
}

/// Everything git holds: every commit's patch and every tag's message.
fn history(repo: &TestRepo) -> String {
    let log = repo.git(&["log", "-p", "--all"]);
    let tags = repo.git(&["for-each-ref", "--format=%(contents)", "refs/tags"]);
    format!("{log}\n{tags}")
}

#[test]
fn a_secret_in_an_approval_note_is_committed_nowhere() {
    let repo = platform();
    let run = repo
        .relman_env(
            &["approve", "t", "--role", "qa", "--note", "token ghp_supersecret1234"],
            &[("GITHUB_TOKEN", "ghp_supersecret1234")],
        )
        .success();
    let history = history(&repo);
    assert!(!history.contains("ghp_supersecret1234"), "{history}");
    assert!(!run.stdout.contains("ghp_supersecret1234"), "{run}");
    let show = repo.relman(&["train", "show", "t", "--format", "json"]).success().json();
    assert_eq!(show["approvals"][0]["note"], "token [REDACTED]", "{show}");
}

#[test]
fn a_secret_in_a_rollback_reason_is_committed_nowhere_and_hooks_get_it_redacted() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    let log = hook_log(&repo);
    let run = repo
        .relman_env(
            &[
                "rollback",
                "--train",
                "t",
                "--reason",
                "leaked ghp_supersecret1234",
                "--tag",
                "--yes",
            ],
            &[("HOOK_LOG", &log), ("GITHUB_TOKEN", "ghp_supersecret1234")],
        )
        .success();
    let history = history(&repo);
    assert!(!history.contains("ghp_supersecret1234"), "{history}");
    assert!(history.contains("leaked [REDACTED]"), "{history}");
    assert!(!run.stdout.contains("ghp_supersecret1234"), "{run}");
    let hooks = std::fs::read_to_string(&log).unwrap();
    assert!(!hooks.contains("ghp_supersecret1234"), "{hooks}");
    assert!(
        hooks
            .lines()
            .any(|l| l.starts_with("rollback api ") && l.ends_with(" t leaked [REDACTED]")),
        "{hooks}"
    );
}
