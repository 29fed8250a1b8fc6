//! The repository's own policy applies to relman's commits and tags:
//! git's signing configuration and the `commit-msg` hook.

use crate::support::{TestRepo, ssh_key, version_project};

#[cfg(unix)]
fn hook(repo: &TestRepo, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    let path = format!(".git/hooks/{name}");
    repo.write(&path, script);
    std::fs::set_permissions(repo.root.join(path), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn signing_configured_in_git_without_a_usable_key_writes_nothing() {
    for key in ["tag.gpgSign", "commit.gpgSign"] {
        let repo = version_project();
        repo.git(&["config", key, "true"]);
        repo.git(&["config", "gpg.format", "ssh"]);
        repo.git(&["config", "user.signingkey", "/nonexistent/id_ed25519.pub"]);
        let before = repo.snapshot();
        let run = repo.relman(&["create", "minor"]).code(3);
        assert!(run.stderr.contains("git cannot sign"), "{key}: {run}");
        assert!(run.stderr.contains("id_ed25519"), "{key}: git's own reason is shown: {run}");
        repo.assert_unchanged(&before);
    }
}

#[test]
fn an_ssh_signing_key_in_git_config_signs_the_commit_and_the_tag() {
    let repo = version_project();
    let key = ssh_key(&repo);
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingkey", &key.with_extension("pub").to_string_lossy()]);
    repo.git(&["config", "commit.gpgSign", "true"]);
    repo.git(&["config", "tag.gpgSign", "true"]);
    let json = repo.relman(&["create", "minor", "--format", "json"]).success().json();
    assert_eq!(json["signed"], true);
    let commit = repo.git(&["cat-file", "commit", "HEAD"]);
    assert!(commit.contains("gpgsig -----BEGIN SSH SIGNATURE-----"), "{commit}");
    assert!(commit.ends_with("chore(release): v1.3.0"), "{commit}");
    let tag = repo.git(&["cat-file", "-p", "v1.3.0"]);
    assert!(tag.contains("-----BEGIN SSH SIGNATURE-----"), "{tag}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    // git itself accepts both signatures.
    let signers = repo.root.join("../home/allowed_signers");
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    std::fs::write(&signers, format!("test@example.com {public}")).unwrap();
    repo.git(&["config", "gpg.ssh.allowedSignersFile", &signers.to_string_lossy()]);
    repo.git(&["verify-commit", "HEAD"]);
    repo.git(&["verify-tag", "v1.3.0"]);
}

#[cfg(unix)]
#[test]
fn the_commit_msg_hook_can_refuse_a_release_and_no_verify_skips_it() {
    let repo = version_project();
    hook(
        &repo,
        "commit-msg",
        "#!/bin/sh\ngrep -q JIRA- \"$1\" || { echo 'needs a ticket' >&2; exit 1; }\n",
    );
    let before = repo.snapshot();
    let run = repo.relman(&["create", "minor"]).code(4);
    assert!(
        run.stderr.contains("commit-msg hook") && run.stderr.contains("needs a ticket"),
        "{run}"
    );
    assert!(run.stderr.contains("--no-verify"), "{run}");
    repo.assert_unchanged(&before);
    repo.relman(&["create", "minor", "--no-verify"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.3.0");
}

#[cfg(unix)]
#[test]
fn the_commit_msg_hook_may_not_rewrite_the_message_and_pre_commit_does_not_run() {
    let repo = version_project();
    hook(&repo, "pre-commit", "#!/bin/sh\ntouch pre-commit-ran\nexit 1\n");
    hook(&repo, "commit-msg", "#!/bin/sh\necho 'Signed-off-by: bot' >> \"$1\"\n");
    let run = repo.relman(&["create", "minor"]).code(4);
    assert!(run.stderr.contains("rewrote the release commit's message"), "{run}");
    hook(&repo, "commit-msg", "#!/bin/sh\nexit 0\n");
    repo.relman(&["create", "minor"]).success();
    assert!(!repo.exists("pre-commit-ran"), "pre-commit ran");
    assert_eq!(repo.git(&["log", "-1", "--format=%B"]), "chore(release): v1.3.0");
}

#[cfg(unix)]
#[test]
fn hooks_in_core_hooks_path_apply() {
    let repo = version_project();
    repo.git(&["config", "core.hooksPath", "githooks"]);
    repo.write("githooks/commit-msg", "#!/bin/sh\nexit 7\n");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let p = repo.root.join("githooks/commit-msg");
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "chore: hooks"]);
    let run = repo.relman(&["create", "minor"]).code(4);
    assert!(run.stderr.contains("githooks/commit-msg"), "{run}");
}
