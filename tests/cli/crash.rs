//! A release that is killed (SIGKILL, as a CI runner that times out does)
//! or whose write fails, at every step relman takes: the repository never
//! ends with half a release or with two.
//!
//! Debug builds stop at the Nth failpoint with `RELMAN_FAILPOINT=N` (and
//! fail there with `RELMAN_FAILPOINT=fail:N`); the test kills the process
//! for real while it waits there.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::support::TestRepo;

const CARGO: &str = "[package]\nname = \"curve\"\nversion = \"1.2.3\"\n";
const PACKAGE: &str = "{\n  \"name\": \"curve\",\n  \"version\": \"1.2.3\"\n}\n";

fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", CARGO)
        .write("package.json", PACKAGE)
        .write("CHANGELOG.md", "# Changelog\n");
    repo.commit("chore: start");
    repo.tag("v1.2.3");
    repo.change("src/lib.rs", "feat(api): add tenor lookup");
    repo
}

/// Runs `relman ARGS` stopped at failpoint `n` and kills it there with
/// SIGKILL; returns the failpoint's line, or `None` when the run ended
/// before reaching it (then it ran to the end).
fn kill_at(repo: &TestRepo, args: &[&str], n: usize) -> Option<String> {
    kill_when_stopped(repo.relman_command(args), &n.to_string())
}

/// Runs `command` stopped at the failpoint `spec` (a number or a name) and
/// kills it there, as [`kill_at`] does; a run that passed every failpoint
/// must have succeeded.
pub(crate) fn kill_when_stopped(command: std::process::Command, spec: &str) -> Option<String> {
    let (hit, status) = stop_and_kill(command, spec);
    if hit.is_none() {
        assert!(status.success(), "the run that passed every failpoint failed: {status}");
    }
    hit
}

/// Runs `command` until the failpoint `spec` and kills it there with
/// SIGKILL: the failpoint's line, or `None` when it ended before reaching
/// it, with how it ended.
pub(crate) fn stop_and_kill(
    mut command: std::process::Command,
    spec: &str,
) -> (Option<String>, std::process::ExitStatus) {
    let mut child = command
        .env("RELMAN_FAILPOINT", spec)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("relman: failpoint") {
                let _ = tx.send(line);
                return;
            }
        }
    });
    let hit = rx.recv_timeout(Duration::from_secs(60)).ok();
    if hit.is_some() {
        child.kill().unwrap(); // SIGKILL
    }
    (hit, child.wait().unwrap())
}

#[test]
fn a_release_killed_in_one_worktree_is_not_mistaken_for_a_stray_in_another() {
    let repo = project();
    let other = repo.root.with_file_name("maintenance-worktree");
    repo.git(&["worktree", "add", "-q", "-b", "release/1.x", other.to_str().unwrap()]);
    let mut command = repo.relman_command(&["create", "minor"]);
    command.current_dir(&other);
    let hit = kill_when_stopped(command, "tags made").expect("the run stops after tagging");
    assert!(repo.exists(".git/relman-journal.json"), "{hit}: the journal is in the common git dir");
    // The main worktree is told the release is unfinished, not asked to
    // delete its tag, and writes nothing.
    let status = repo.relman(&["next"]);
    assert!(status.stderr.contains("an interrupted relman run left"), "{status}");
    // (The first refusal takes over the dead run's lock record.)
    repo.relman(&["create", "patch"]).code(3);
    let before = repo.snapshot();
    let refused = repo.relman(&["create", "patch"]).code(3);
    assert!(
        refused.stderr.contains("create minor` in another worktree")
            && refused.stderr.contains("maintenance-worktree")
            && !refused.stderr.contains("git tag -d"),
        "{refused}"
    );
    repo.assert_unchanged(&before);
    // The worktree that was interrupted completes it.
    let mut retry = repo.relman_command(&["create", "minor"]);
    let retry = retry.current_dir(&other).output().unwrap();
    assert!(retry.status.success(), "{}", String::from_utf8_lossy(&retry.stderr));
    assert_eq!(repo.git_in(&other, &["tag", "--points-at", "HEAD"]), "v1.3.0");
    assert_eq!(repo.git_in(&other, &["status", "--porcelain"]), "");
    assert!(!repo.exists(".git/relman-journal.json"));
    assert_eq!(repo.git(&["tag", "-l"]), "v1.2.3\nv1.3.0");
}

/// Asserts that the repository holds exactly one complete release of 1.3.0
/// on top of `start`, and nothing relman or git left behind.
#[track_caller]
fn assert_one_release(repo: &TestRepo, start: &str, context: &str) {
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{start}..HEAD")]), "1", "{context}");
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "chore(release): v1.3.0", "{context}");
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v1.3.0", "{context}");
    assert_eq!(repo.git(&["tag", "-l"]), "v1.2.3\nv1.3.0", "{context}");
    assert_eq!(repo.git(&["status", "--porcelain", "--ignored"]), "", "{context}");
    assert_eq!(repo.read("CHANGELOG.md").matches("## 1.3.0").count(), 1, "{context}");
    assert!(repo.read("Cargo.toml").contains("version = \"1.3.0\""), "{context}");
    assert!(repo.read("package.json").contains("\"version\": \"1.3.0\""), "{context}");
    assert_eq!(repo.read("analysis/reports/audit.log").lines().count(), 1, "{context}");
    assert_clean_git_dir(repo, context);
    repo.relman(&["audit", "verify"]).success();
}

#[track_caller]
pub(crate) fn assert_clean_git_dir(repo: &TestRepo, context: &str) {
    for left in ["index.lock", "relman.lock", "relman-journal.json", "HEAD.lock"] {
        assert!(!repo.exists(&format!(".git/{left}")), "{context}: .git/{left} was left");
    }
    let temp: Vec<String> = repo
        .snapshot()
        .into_keys()
        .filter(|p| p.contains(".relman-tmp.") || p.ends_with(".lock"))
        .collect();
    assert!(temp.is_empty(), "{context}: left {temp:?}");
    let fsck = std::process::Command::new("git")
        .args(["fsck", "--no-dangling", "--strict"])
        .current_dir(&repo.root)
        .output()
        .unwrap();
    assert!(
        fsck.status.success() && fsck.stdout.is_empty(),
        "{context}: git fsck: {}{}",
        String::from_utf8_lossy(&fsck.stdout),
        String::from_utf8_lossy(&fsck.stderr)
    );
}

#[test]
fn create_killed_at_every_step_releases_exactly_once() {
    let mut points = Vec::new();
    for n in 1.. {
        let repo = project();
        let start = repo.git(&["rev-parse", "HEAD"]);
        let Some(hit) = kill_at(&repo, &["create", "minor"], n) else {
            assert_one_release(&repo, &start, "uninterrupted");
            break;
        };
        // Right after the kill: the repository is as it was, or the
        // interrupted release is recorded for the next run to complete.
        let untouched = repo.git(&["rev-parse", "HEAD"]) == start
            && repo.git(&["tag", "-l", "v1.3.0"]).is_empty()
            && repo.git(&["status", "--porcelain"]).is_empty();
        assert!(untouched || repo.exists(".git/relman-journal.json"), "{hit}: neither");
        if !untouched {
            // Readers are told, and a dry run changes nothing.
            let next = repo.relman(&["next"]);
            assert!(next.stderr.contains("an interrupted relman run left"), "{hit}: {next}");
            let before = repo.snapshot();
            let dry = repo.relman(&["create", "minor", "--dry-run"]);
            assert!(matches!(dry.code, 0 | 3), "{hit}: {dry}");
            repo.assert_unchanged(&before);
        }
        // The retry a CI job makes: one release in all, never two.
        let retry = repo.relman(&["create", "minor"]);
        assert_eq!(retry.code, 0, "{hit}: the retry failed:\n{retry}");
        assert_one_release(&repo, &start, &hit);
        if !untouched {
            assert!(retry.stderr.contains("completed the interrupted"), "{hit}:\n{retry}");
        }
        points.push(hit);
    }
    eprintln!("killed at {} failpoints:\n{}", points.len(), points.join("\n"));
    assert!(points.len() >= 30, "only {} failpoints: {points:#?}", points.len());
}

#[test]
fn a_write_failing_at_any_step_leaves_everything_as_it_was() {
    let mut failed = 0;
    for n in 1.. {
        let repo = project();
        let start = repo.git(&["rev-parse", "HEAD"]);
        let before: Vec<(String, Vec<u8>)> =
            repo.snapshot().into_iter().filter(|(p, _)| !p.starts_with(".git")).collect();
        let run =
            repo.relman_env(&["create", "minor"], &[("RELMAN_FAILPOINT", &format!("fail:{n}"))]);
        if run.code == 0 {
            assert_one_release(&repo, &start, "no failure injected");
            break;
        }
        failed += 1;
        assert!(run.stderr.contains("(simulated)"), "{run}");
        let after: Vec<(String, Vec<u8>)> =
            repo.snapshot().into_iter().filter(|(p, _)| !p.starts_with(".git")).collect();
        assert!(before == after, "failpoint {n}: the work tree changed:\n{run}");
        assert_eq!(repo.git(&["rev-parse", "HEAD"]), start, "failpoint {n}");
        assert_eq!(repo.git(&["tag", "-l"]), "v1.2.3", "failpoint {n}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "failpoint {n}");
        assert_clean_git_dir(&repo, &format!("failpoint {n}"));
        // And the next run releases normally.
        repo.relman(&["create", "minor"]).success();
        assert_one_release(&repo, &start, &format!("after failpoint {n}"));
    }
    assert!(failed >= 20, "only {failed} failpoints");
}

#[test]
fn an_untagged_release_commit_is_tagged_by_the_retry_not_released_again() {
    let repo = project();
    let start = repo.git(&["rev-parse", "HEAD"]);
    // `--no-tag` leaves what a run killed between commit and tag used to.
    repo.relman(&["create", "minor", "--no-tag"]).success();
    let other = repo.relman(&["create", "patch"]).code(3);
    assert!(
        other.stderr.contains("released 1.3.0 but its tag `v1.3.0` does not exist")
            && other.stderr.contains("relman create --version 1.3.0"),
        "{other}"
    );
    let run = repo.relman(&["create", "minor"]).success();
    assert!(run.stdout.contains("completed the interrupted release 1.3.0"), "{run}");
    assert_one_release(&repo, &start, "retry");
    let notes = repo.git(&["tag", "-l", "--format=%(contents)", "v1.3.0"]);
    assert!(notes.contains("add tenor lookup") && !notes.contains("chore(release)"), "{notes}");
}

#[test]
fn an_untagged_release_commit_behind_head_is_refused_with_the_command_to_run() {
    let repo = project();
    repo.relman(&["create", "minor", "--no-tag"]).success();
    let commit = repo.git(&["rev-parse", "--short=7", "HEAD"]);
    repo.change("src/lib.rs", "fix: later");
    let run = repo.relman(&["create", "patch"]).code(3);
    assert!(run.stderr.contains(&format!("git tag -a v1.3.0 {commit} -m v1.3.0")), "{run}");
    assert!(repo.git(&["tag", "-l", "v1.3.*"]).is_empty());
}

#[test]
fn a_tag_outside_the_history_of_head_is_named() {
    let repo = project();
    repo.relman(&["create", "minor"]).success();
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let run = repo.relman(&["create", "minor"]).code(3);
    assert!(
        run.stderr.contains("tag `v1.3.0` already exists on commit")
            && run.stderr.contains("not in the history of HEAD")
            && run.stderr.contains("git tag -d v1.3.0"),
        "{run}"
    );
}

/// Whether `create minor`, stopped at `failpoint`, is still running after
/// `signal` was sent to it (it is killed then, and the repository returned).
#[cfg(unix)]
fn survives(failpoint: &str, signal: &str) -> (bool, TestRepo) {
    let repo = project();
    let mut child = repo
        .relman_command(&["create", "minor"])
        .env("RELMAN_FAILPOINT", failpoint)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().contains(failpoint));
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    std::thread::sleep(Duration::from_millis(300));
    let alive = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    (alive, repo)
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_wait_while_a_release_is_written() {
    // Before the transaction writes, a signal ends relman at once.
    assert!(!survives("started with the lock", "-TERM").0);
    // While it writes (here: the journal is on disk, refs not yet moved),
    // the signal waits for the step to finish.
    for signal in ["-TERM", "-INT", "-HUP"] {
        let (alive, repo) = survives("journal", signal);
        assert!(alive, "{signal} cut a write short");
        // What the kill left is completed by the next run, once.
        let start = repo.git(&["rev-parse", "HEAD"]);
        repo.relman(&["create", "minor"]).success();
        assert_one_release(&repo, &start, signal);
    }
}

#[test]
fn a_hotfix_killed_at_every_step_releases_exactly_once() {
    for n in 1.. {
        let repo = project();
        repo.relman(&["create", "minor"]).success();
        repo.change("src/lib.rs", "feat: unreleased on main");
        let main = repo.git(&["rev-parse", "main"]);
        let Some(hit) = kill_at(&repo, &["create", "hotfix"], n) else {
            assert!(n > 15, "only {} failpoints on the hotfix path", n - 1);
            break;
        };
        let retry = repo.relman(&["create", "hotfix"]);
        assert_eq!(retry.code, 0, "{hit}: the retry failed:\n{retry}");
        assert_eq!(repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]), "hotfix/v1.3.0", "{hit}");
        assert_eq!(repo.git(&["tag", "-l", "v1.3.*"]), "v1.3.0\nv1.3.1", "{hit}");
        assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v1.3.1", "{hit}");
        assert_eq!(repo.git(&["rev-list", "--count", "v1.3.0..HEAD"]), "1", "{hit}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{hit}");
        assert_eq!(repo.git(&["rev-parse", "main"]), main, "{hit}: main moved");
        assert_clean_git_dir(&repo, &hit);
    }
}

/// A run killed while completing what a killed run left leaves its own
/// temporary file beside the first one's; the next run removes both.
#[test]
fn a_run_killed_while_completing_a_killed_run_leaves_nothing_behind() {
    let repo = project();
    let temps = || -> usize {
        let listing = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
        listing.lines().filter(|l| l.contains(".relman-tmp.")).count()
    };
    // Killed while writing a file of the work tree, then killed again while
    // completing that: two temporary files, of two processes.
    for kill in 1..=2 {
        let stopped = (1..100).any(|n| {
            let hit = kill_at(&repo, &["create", "minor"], n);
            hit.is_some_and(|line| line.contains("temp file created")) && temps() >= 1
        });
        assert!(stopped, "kill {kill} left no temporary file");
    }
    // (Runs stopped before the point complete what the last one left and
    // go on with a release of their own: how many releases were made is
    // what the other tests count; here, what is left behind.)
    repo.relman(&["create", "patch"]).success();
    assert_eq!(temps(), 0, "temporary files left");
}
