//! What a killed run leaves behind that is not relman's own: git's ref
//! locks and libgit2's temporary objects (recovered), and git's index as
//! others changed it while relman ran (never written back stale).

use crate::crash::{assert_clean_git_dir, kill_when_stopped};
use crate::lifecycle::{relman, staged};
use crate::support::TestRepo;

fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[package]\nname = \"curve\"\nversion = \"1.2.3\"\n")
        .write("CHANGELOG.md", "# Changelog\n");
    repo.commit("chore: start");
    repo.tag("v1.2.3");
    repo.change("src/lib.rs", "feat(api): add tenor lookup");
    repo
}

/// Sets a file's modification time as `touch -d` reads `when`.
fn touch(repo: &TestRepo, path: &str, when: &str) {
    let full = repo.root.join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let done = std::process::Command::new("touch").arg("-d").arg(when).arg(&full).status().unwrap();
    assert!(done.success());
}

/// A run killed once its journal is on disk, then (as a crash inside
/// git's ref update leaves them) `refs/heads/main.lock` and a temporary
/// object of libgit2's.
fn killed_with_a_ref_lock(lock_when: &str) -> (TestRepo, String) {
    let repo = project();
    let start = repo.git(&["rev-parse", "HEAD"]);
    kill_when_stopped(repo.relman_command(&["create", "minor"]), "journal")
        .expect("the run stops once the journal is written");
    assert!(repo.exists(".git/relman-journal.json"));
    touch(&repo, ".git/relman-journal.json", "10 seconds ago");
    touch(&repo, ".git/refs/heads/main.lock", lock_when);
    (repo, start)
}

#[test]
fn a_ref_lock_the_killed_run_left_is_removed_and_the_release_completed() {
    let (repo, start) = killed_with_a_ref_lock("now");
    // Objects are written before the journal: their temporary files too.
    touch(&repo, ".git/objects/tmp_object_git2_0123456789abcdef", "1 minute ago");
    touch(&repo, ".git/objects/ab/tmp_obj_AbCdEf", "1 minute ago");
    let retry = repo.relman(&["create", "minor"]);
    assert_eq!(retry.code, 0, "{retry}");
    assert!(retry.stderr.contains("completed the interrupted"), "{retry}");
    assert!(!repo.exists(".git/refs/heads/main.lock"));
    assert!(!repo.exists(".git/objects/tmp_object_git2_0123456789abcdef"));
    assert!(!repo.exists(".git/objects/ab/tmp_obj_AbCdEf"));
    // The tag is on the branch: one release on top of the start.
    assert_eq!(repo.git(&["tag", "--points-at", "main"]), "v1.3.0");
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{start}..main")]), "1");
    assert_eq!(
        repo.git(&["branch", "--contains", "v1.3.0", "--format=%(refname)"]),
        "refs/heads/main"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_clean_git_dir(&repo, "after recovery");
}

#[test]
fn a_ref_lock_older_than_the_journal_is_left_and_named_with_its_ref() {
    let (repo, _) = killed_with_a_ref_lock("1 hour ago");
    let retry = repo.relman(&["create", "minor"]);
    assert_eq!(retry.code, 3, "{retry}");
    assert!(
        retry.stderr.contains("refs/heads/main")
            && retry.stderr.contains(".git/refs/heads/main.lock"),
        "{retry}"
    );
    // Not relman's to remove: another git command may hold it.
    assert!(repo.exists(".git/refs/heads/main.lock"));
    assert!(repo.exists(".git/relman-journal.json"));
}

/// A release hook that commits a file of its own and stages another.
#[test]
fn a_file_a_hook_commits_or_stages_during_a_run_stays_as_the_hook_left_it() {
    let repo = staged();
    let log = repo.root.with_file_name("hooks.log");
    let hook = format!("{}.release-web.sh", log.display());
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nset -e\ncd '{}'\necho one > hooked.txt\ngit add hooked.txt\ngit commit -qm hook\necho two > staged.txt\ngit add staged.txt\n",
            repo.root.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = relman(&repo, &["train", "run", "t"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "A  staged.txt", "{run}");
    assert_eq!(repo.git(&["ls-files", "hooked.txt", "staged.txt"]), "hooked.txt\nstaged.txt");
    assert_eq!(repo.git(&["show", "HEAD:hooked.txt"]), "one");
}

/// A run killed inside the index's update (SIGKILL cannot be held back)
/// leaves its scratch copy of the index and libgit2's lock of it: the run
/// that completes the release removes them (found by the chaos test).
#[test]
fn the_index_copy_a_killed_run_was_writing_is_removed() {
    let repo = project();
    kill_when_stopped(repo.relman_command(&["create", "minor"]), "files written")
        .expect("the run stops before the index");
    let journal = repo.read(".git/relman-journal.json");
    let pid: serde_json::Value = serde_json::from_str(&journal).unwrap();
    let pid = pid["pid"].as_u64().unwrap();
    repo.write(&format!(".git/index.relman-tmp.{pid}"), "half an index");
    repo.write(&format!(".git/index.relman-tmp.{pid}.lock"), "");
    let retry = repo.relman(&["create", "minor"]);
    assert_eq!(retry.code, 0, "{retry}");
    assert!(retry.stderr.contains("completed the interrupted"), "{retry}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_clean_git_dir(&repo, "after recovery");
}
