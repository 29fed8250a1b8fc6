//! Hooks against real output and real signals (SPEC 6.3, 6.4): bytes that
//! are not UTF-8, output without end, multi-line secrets, secrets typed on
//! the command line, and relman stopped while a hook runs.

use crate::lifecycle::staged;
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
