//! `--push` (SPEC 6.5): the remote is the lock of many machines. Two
//! clones of one bare remote release from the same base: exactly one wins,
//! the other exits 3 with its repository as it was (every file of the work
//! tree and of `.git` hashed, but the object store, where unreachable
//! objects wait for `git gc`, and the reflogs, which record the undo).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::lifecycle::{hook_log, platform, relman};
use crate::support::{Run, TestRepo};

/// A bare remote made from `src`, and two clones of it.
struct Remote {
    _dir: tempfile::TempDir,
    bare: PathBuf,
}

fn remote_of(src: &TestRepo) -> Remote {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("remote.git");
    let out = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(&src.root)
        .arg(&bare)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Remote { _dir: dir, bare }
}

/// A clone of `remote` whose user is `who` (two machines never make the
/// same commit: their committers differ).
fn clone_of(src: &TestRepo, remote: &Remote, who: &str) -> TestRepo {
    let clone = TestRepo::clone_of(src, &[]);
    clone.git(&["config", "user.name", who]);
    clone.git(&["remote", "set-url", "origin", &format!("file://{}", remote.bare.display())]);
    clone.git(&["fetch", "-q", "origin"]);
    clone.git(&["branch", "-q", "--set-upstream-to=origin/main", "main"]);
    clone
}

/// Everything but the object store and the reflogs.
fn state(repo: &TestRepo) -> BTreeMap<String, Vec<u8>> {
    let mut all = repo.snapshot();
    all.retain(|k, _| !k.starts_with(".git/objects/") && !k.starts_with(".git/logs/"));
    all
}

#[track_caller]
fn assert_same(repo: &TestRepo, before: &BTreeMap<String, Vec<u8>>, context: &str) {
    let after = state(repo);
    let differ: Vec<&String> =
        before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(differ.is_empty(), "{context}: these changed: {differ:?}");
}

fn remote_git(remote: &Remote, args: &[&str]) -> String {
    let out = Command::new("git").arg("--git-dir").arg(&remote.bare).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn spawn(repo: &TestRepo, args: &[&str]) -> std::process::Child {
    repo.relman_command(args)
        .env("HOOK_LOG", hook_log(repo))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `args` in two clones at once: exactly one wins; the loser exits 3
/// saying why and its repository is as it was. Returns the winner.
/// Any command that commits goes through the transaction's push, so a
/// race of two `deploy --push` is one more call of this.
fn race<'a>(a: &'a TestRepo, b: &'a TestRepo, args: &[&str]) -> (&'a TestRepo, Run) {
    let (winner, run, _) = race_keeping(a, b, args, &[]);
    (winner, run)
}

/// `race`, where the paths under `kept` (the record of hooks that really
/// ran: their logs, a deployment's progress) may differ in the loser.
/// Returns the winner, its run and the loser's run.
fn race_keeping<'a>(
    a: &'a TestRepo,
    b: &'a TestRepo,
    args: &[&str],
    kept: &[&str],
) -> (&'a TestRepo, Run, Run) {
    let without = |repo: &TestRepo| {
        let mut all = state(repo);
        all.retain(|k, _| !is_kept(k, kept));
        all
    };
    let (before_a, before_b) = (without(a), without(b));
    let (first, second) = (spawn(a, args), spawn(b, args));
    let first = run_of(first.wait_with_output().unwrap());
    let second = run_of(second.wait_with_output().unwrap());
    let codes = (first.code, second.code);
    let (winner, winner_run, loser, loser_run, loser_before) = match codes {
        (0, 3) => (a, first, b, second, before_b),
        (3, 0) => (b, second, a, first, before_a),
        _ => panic!("{args:?}: exactly one must win:\n{first}\n{second}"),
    };
    assert!(
        loser_run.stderr.contains("the remote moved")
            || loser_run.stderr.contains("is behind the remote"),
        "{loser_run}"
    );
    let after = without(loser);
    let differ: Vec<&String> = loser_before
        .keys()
        .chain(after.keys())
        .filter(|k| loser_before.get(*k) != after.get(*k))
        .collect();
    assert!(differ.is_empty(), "{args:?}: the loser: these changed: {differ:?}");
    (winner, winner_run, loser_run)
}

#[test]
fn two_clones_releasing_at_once_with_push_make_one_release() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    let (winner, run) = race(&a, &b, &["create", "minor", "--push"]);
    assert!(run.stderr.contains("pushed `main` and tag `v1.3.0` to `origin`"), "{run}");
    assert!(!run.stdout.contains("publish with"), "relman pushed it: {run}");
    let head = winner.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), head);
    assert_eq!(remote_git(&remote, &["rev-parse", "v1.3.0^{commit}"]), head);
}

#[test]
fn a_push_the_remote_refuses_undoes_the_release_and_exits_3() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let hook = remote.bare.join("hooks/pre-receive");
    write_hook(&hook, "#!/bin/sh\necho 'release freeze: no pushes today' >&2\nexit 1\n");
    let before = state(&a);
    let run = a.relman(&["create", "minor", "--push"]).code(3);
    assert!(
        run.stderr.contains("`origin` refused the push: its `pre-receive` hook declined"),
        "{run}"
    );
    assert!(!run.stderr.contains("the remote moved"), "{run}");
    assert!(run.stderr.contains("remote: release freeze: no pushes today"), "{run}");
    assert!(run.stderr.contains("nothing was changed"), "{run}");
    assert_same(&a, &before, "a refused push");
    assert_eq!(a.git(&["status", "--porcelain"]), "");
    assert_eq!(remote_git(&remote, &["tag", "--list", "v1.3.0"]), "");
    // The same release goes through once the remote accepts it.
    std::fs::remove_file(&hook).unwrap();
    a.relman(&["create", "minor", "--push"]).success();
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
}

/// The other machine pushes between this one's check and its push (its
/// own `pre-push` hook makes it so): the remote's compare-and-swap refuses.
#[test]
fn a_remote_that_moved_after_the_check_refuses_the_push_and_all_is_undone() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    a.change("other.txt", "fix: elsewhere");
    pushes_first_from_pre_push(&b, &a);
    let before = state(&b);
    let run = b.relman(&["create", "minor", "--push"]).code(3);
    assert!(run.stderr.contains("the remote moved: fetch and run again"), "{run}");
    assert_same(&b, &before, "the loser of the compare-and-swap");
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
    assert_eq!(remote_git(&remote, &["tag", "--list", "v1.3.0"]), "");
}

#[test]
fn a_branch_behind_its_remote_is_refused_before_anything_is_written() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    a.relman(&["create", "minor", "--push"]).success();
    let before = state(&b);
    let run = b.relman(&["create", "minor", "--push=origin"]).code(3);
    assert!(run.stderr.contains("`main` is behind the remote `origin`"), "{run}");
    assert!(run.stderr.contains("git pull --ff-only origin main"), "{run}");
    assert_same(&b, &before, "behind");
    // Without `--push` nothing asks the remote: a local release.
    b.relman(&["create", "minor", "--dry-run"]).success();
}

#[test]
fn dry_run_says_what_it_would_push_and_json_says_what_was_pushed() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let before = a.snapshot();
    let dry = a.relman(&["create", "minor", "--push", "--dry-run"]).success();
    assert!(dry.stderr.contains("would push `main` and tag `v1.3.0` to `origin`"), "{dry}");
    a.assert_unchanged(&before);
    assert_eq!(remote_git(&remote, &["tag", "--list", "v1.3.0"]), "");
    // `release.push: true` asks for it in relman.yaml.
    a.write("relman.yaml", "release:\n  push: true\n");
    a.commit("chore: push releases");
    let json = a.relman(&["create", "minor", "--format", "json"]).success().json();
    assert_eq!(json["pushed"]["remote"], "origin");
    assert_eq!(json["pushed"]["branch"], "main");
    assert_eq!(json["pushed"]["tags"], serde_json::json!(["v1.3.0"]));
    assert_eq!(json["pushed"]["pushes"], 1);
    assert_eq!(json["pushed"]["dry_run"], false);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
    // Without either, no `pushed` key.
    a.write("relman.yaml", "release:\n  push: false\n");
    a.commit("chore: no push");
    a.change("src.txt", "fix: a fix");
    let json = a.relman(&["create", "patch", "--format", "json"]).success().json();
    assert!(json.get("pushed").is_none(), "{json}");
}

#[test]
fn two_approvals_and_two_advances_with_push_make_one_each() {
    let src = platform();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    let (winner, _) = race(&a, &b, &["approve", "t", "--role", "qa", "--push"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), winner.git(&["rev-parse", "HEAD"]));
    // Both clones catch up, then race to move the train.
    for clone in [&a, &b] {
        clone.git(&["pull", "-q", "--ff-only", "origin", "main"]);
    }
    relman(&a, &["train", "start", "t", "--push"]).success();
    b.git(&["pull", "-q", "--ff-only", "origin", "main"]);
    let (winner, _) = race(&a, &b, &["train", "advance", "t", "--push"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), winner.git(&["rev-parse", "HEAD"]));
    let transitions = remote_git(&remote, &["log", "--format=%s", "main"]);
    assert_eq!(transitions.matches("validating → staging").count(), 1, "{transitions}");
}

fn run_of(out: std::process::Output) -> Run {
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Writes the hook `path` (its folder made), executable.
fn write_hook(path: &Path, script: impl AsRef<[u8]>) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn credentials_in_a_remote_url_never_reach_the_output() {
    let repo = crate::support::version_project();
    let run = repo
        .relman_env(
            &["create", "minor", "--push=https://bot:s3cret-token@127.0.0.1:1/r.git"],
            &[("GIT_TERMINAL_PROMPT", "0")],
        )
        .code(3);
    assert!(run.stderr.contains("cannot reach the remote"), "{run}");
    assert!(!run.stderr.contains("s3cret"), "{run}");
    assert_eq!(repo.git(&["tag", "--list", "v1.3.0"]), "");
    // An option is never taken for a remote.
    let run = repo.relman(&["create", "minor", "--push=--upload-pack=touch pwned"]).code(2);
    assert!(run.stderr.contains("names no remote"), "{run}");
    assert!(!repo.root.join("pwned").exists());
}

/// A hotfix makes a new branch at the last release: that branch and its
/// tag are what is pushed.
#[test]
fn a_hotfix_pushes_its_new_branch_and_tag() {
    let src = crate::support::version_project();
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let run = a.relman(&["create", "hotfix", "--push"]).success();
    assert!(run.stderr.contains("pushed `hotfix/v1.2.3` and tag `v1.2.4` to `origin`"), "{run}");
    assert_eq!(
        remote_git(&remote, &["rev-parse", "hotfix/v1.2.3"]),
        a.git(&["rev-parse", "hotfix/v1.2.3"])
    );
    assert_eq!(
        remote_git(&remote, &["rev-parse", "v1.2.4^{commit}"]),
        a.git(&["rev-parse", "HEAD"])
    );
    // The same hotfix from a second clone: the remote has that branch.
    let b = clone_of(&src, &remote, "Bob");
    b.git(&["tag", "-d", "v1.2.4"]);
    let before = state(&b);
    let run = b.relman(&["create", "hotfix", "--push"]).code(3);
    assert!(run.stderr.contains("the remote moved"), "{run}");
    assert_same(&b, &before, "a second hotfix");
}

/// A train pushes at each step; the step the remote refuses is undone and
/// the run stops with exit 3, what earlier steps pushed staying pushed.
#[test]
fn a_train_step_the_remote_refuses_is_undone_and_the_run_stops() {
    let src = platform();
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    relman(&a, &["approve", "t", "--role", "qa", "--push"]).success();
    // The remote takes no tag: the first release step is refused.
    let hook = remote.bare.join("hooks/pre-receive");
    write_hook(
        &hook,
        "#!/bin/sh\nwhile read old new ref; do case $ref in refs/tags/*) echo \"no tags: $ref\" >&2; exit 1;; esac; done\n",
    );
    let run = relman(&a, &["train", "run", "t", "--push"]).code(3);
    assert!(run.stderr.contains("no tags: refs/tags/api-v1.1.0"), "{run}");
    assert_eq!(a.git(&["tag", "--list", "api-v1.1.0"]), "");
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
    let state = a.read(".relman/state/t/train.yaml");
    assert!(state.contains("status: executing"), "{state}");
    assert_eq!(a.git(&["status", "--porcelain"]), "");
}

/// Waits (at most 20 s) until `path` exists.
fn wait_for(path: &Path) {
    for _ in 0..400 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{} never appeared", path.display());
}

fn signal(child: &std::process::Child, sig: &str) {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args([&format!("-{sig}"), &pid]).status().unwrap().success());
}

/// The remote's `hook` (`pre-receive`, `post-receive`): touches
/// `pushing` in the remote, then sleeps 20 s and exits with `code`,
/// unless the file `fast` is in the remote.
fn slow_remote_hook(remote: &Remote, hook: &str, code: u8) -> (PathBuf, PathBuf) {
    let (pushing, fast) = (remote.bare.join("pushing"), remote.bare.join("fast"));
    let path = remote.bare.join("hooks").join(hook);
    write_hook(
        &path,
        format!(
            "#!/bin/sh\ncat >/dev/null\n[ -e \"$GIT_DIR/fast\" ] && exit 0\ntouch \"$GIT_DIR/pushing\"\nsleep 20\nexit {code}\n"
        ),
    );
    (pushing, fast)
}

/// The push is the last step: a file saved while it runs (here by the
/// clone's `pre-push` hook) comes after a release that is complete here
/// and on the remote, never a release the remote holds and the clone undid.
#[test]
fn a_file_saved_during_the_push_leaves_the_release_complete_and_pushed() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let hook = a.root.join(".git/hooks/pre-push");
    write_hook(&hook, "#!/bin/sh\necho 'saved by an editor' >> CHANGELOG.md\n");
    let run = a.relman(&["create", "minor", "--push"]).success();
    assert!(run.stderr.contains("pushed `main` and tag `v1.3.0` to `origin`"), "{run}");
    let head = a.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), head);
    assert_eq!(a.git(&["rev-parse", "v1.3.0^{commit}"]), head);
    assert_eq!(remote_git(&remote, &["rev-parse", "v1.3.0^{commit}"]), head);
}

/// `user:password@` of a remote URL never reaches a dry-run line, a
/// message or JSON's `pushed.remote`.
#[test]
fn credentials_in_a_remote_url_never_reach_a_dry_run_or_json() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let url = "--push=https://bot:s3cret-token@127.0.0.1:1/r.git";
    let dry = a.relman(&["create", "minor", url, "--dry-run"]).success();
    assert!(dry.stderr.contains("to `https://***@127.0.0.1:1/r.git`"), "{dry}");
    let json = a.relman(&["create", "minor", url, "--dry-run", "--format", "json"]).success();
    assert_eq!(json.json()["pushed"]["remote"], "https://***@127.0.0.1:1/r.git");
    let url = format!("--push=file://bot:s3cret-token@{}", remote.bare.display());
    let run = a.relman(&["create", "minor", &url, "--format", "json"]).success();
    for text in [&dry.stdout, &dry.stderr, &json.stdout, &json.stderr, &run.stdout, &run.stderr] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    assert_eq!(run.json()["pushed"]["remote"], format!("file://***@{}", remote.bare.display()));
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
}

/// A clone behind its remote is refused at the start of the command,
/// before the `rollback` hook (the real rollback of the service) runs.
#[test]
fn a_clone_behind_its_remote_is_refused_before_any_hook_runs() {
    let src = platform();
    relman(&src, &["approve", "t", "--role", "qa"]).success();
    relman(&src, &["train", "run", "t"]).success();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    a.git(&["commit", "-q", "--allow-empty", "-m", "docs: another machine"]);
    a.git(&["push", "-q", "origin", "main"]);
    let before = state(&b);
    let run = relman(&b, &["rollback", "api", "--reason", "slow", "--yes", "--push"]).code(3);
    assert!(run.stderr.contains("`main` is behind the remote `origin`"), "{run}");
    let hooks = std::fs::read_to_string(hook_log(&b)).unwrap_or_default();
    assert_eq!(hooks, "", "hooks ran in a refused run");
    assert_same(&b, &before, "behind");
}

/// SIGTERM during a push that hangs stops it at once: the remote does not
/// have the release, so it is undone and relman exits 143.
#[test]
fn sigterm_during_a_hanging_push_stops_it_and_undoes_the_release() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let (pushing, _) = slow_remote_hook(&remote, "pre-receive", 1);
    let before = state(&a);
    let child = spawn(&a, &["create", "minor", "--push"]);
    wait_for(&pushing);
    let sent = std::time::Instant::now();
    signal(&child, "TERM");
    let run = run_of(child.wait_with_output().unwrap());
    assert!(sent.elapsed() < std::time::Duration::from_secs(10), "{run}");
    assert_eq!(run.code, 143, "{run}");
    assert!(run.stderr.contains("does not have the release"), "{run}");
    assert!(run.stderr.contains("nothing was changed"), "{run}");
    assert_same(&a, &before, "an interrupted push");
    assert_eq!(remote_git(&remote, &["tag", "--list", "v1.3.0"]), "");
    // A push that takes too long is stopped the same way (exit 3).
    let run = a.relman_env(&["create", "minor", "--push"], &[("RELMAN_PUSH_TIMEOUT", "1")]).code(3);
    assert!(run.stderr.contains("took longer than 1 s"), "{run}");
    assert_same(&a, &before, "a push past its time");
    let run = a.relman_env(&["create", "minor", "--push"], &[("RELMAN_PUSH_TIMEOUT", "soon")]);
    assert_eq!(run.code, 2, "{run}");
}

/// Ctrl-C after the remote took the push (its `post-receive` runs): the
/// release is complete here too, and relman exits 130.
#[test]
fn ctrl_c_after_the_remote_took_the_push_keeps_the_release() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let (pushing, _) = slow_remote_hook(&remote, "post-receive", 0);
    let child = spawn(&a, &["create", "minor", "--push"]);
    wait_for(&pushing);
    signal(&child, "INT");
    let run = run_of(child.wait_with_output().unwrap());
    assert_eq!(run.code, 130, "{run}");
    assert!(run.stderr.contains("the release is complete"), "{run}");
    let head = a.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), head);
    assert_eq!(a.git(&["rev-parse", "v1.3.0^{commit}"]), head);
    assert_eq!(a.git(&["status", "--porcelain"]), "");
    assert!(!a.root.join(".git/relman-journal.json").exists());
}

/// A run killed during its push, retried: the remote does not have the
/// push, so the retry undoes it and releases again, pushing (exit 0 only
/// when pushed); when another runner released meanwhile, the retry undoes
/// it and is refused as behind (exit 3): never two different v1.3.0.
#[test]
fn a_run_killed_during_its_push_is_undone_by_the_retry_unless_the_remote_has_it() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    let (pushing, fast) = slow_remote_hook(&remote, "pre-receive", 1);
    let mut child = spawn(&a, &["create", "minor", "--push"]);
    wait_for(&pushing);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::write(&fast, "").unwrap();
    let json = a.relman(&["create", "minor", "--push", "--format", "json"]).success();
    assert!(json.stderr.contains("undid the interrupted"), "{json}");
    assert!(!json.stderr.contains("an interrupted relman run left"), "{json}");
    assert_eq!(json.json()["pushed"]["pushes"], 1);
    let head = a.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "v1.3.0^{commit}"]), head);
    // Again, with another runner releasing before the retry.
    b.git(&["pull", "-q", "--ff-only", "--tags", "origin", "main"]);
    b.change("b.txt", "fix: b");
    b.git(&["push", "-q", "origin", "main"]);
    a.git(&["pull", "-q", "--ff-only", "origin", "main"]);
    a.change("a.txt", "fix: a");
    std::fs::remove_file(&fast).unwrap();
    std::fs::remove_file(&pushing).unwrap();
    let mut child = spawn(&a, &["create", "patch", "--push"]);
    wait_for(&pushing);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::write(&fast, "").unwrap();
    b.relman(&["create", "patch", "--push"]).success();
    let run = a.relman(&["create", "patch", "--push"]).code(3);
    assert!(run.stderr.contains("undid the interrupted"), "{run}");
    assert!(run.stderr.contains("is behind the remote"), "{run}");
    assert_eq!(a.git(&["tag", "--list", "v1.3.1"]), "");
    assert_eq!(
        remote_git(&remote, &["rev-parse", "v1.3.1^{commit}"]),
        b.git(&["rev-parse", "HEAD"])
    );
}

/// A run killed after the remote took its push (its `post-receive`
/// runs): the retry completes it, and reports it pushed.
#[test]
fn a_run_killed_after_the_remote_took_its_push_is_completed_by_the_retry() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let (pushing, fast) = slow_remote_hook(&remote, "post-receive", 0);
    let mut child = spawn(&a, &["create", "minor", "--push"]);
    wait_for(&pushing);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::write(&fast, "").unwrap();
    let json = a.relman(&["create", "minor", "--push", "--format", "json"]).success();
    assert!(json.stderr.contains("completed the interrupted"), "{json}");
    assert_eq!(json.json()["pushed"]["pushes"], 1, "{json}");
    let head = a.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), head);
    assert_eq!(a.git(&["rev-parse", "v1.3.0^{commit}"]), head);
    assert_eq!(a.git(&["status", "--porcelain"]), "");
}

/// `train run --push` killed while a participant's release is pushed,
/// then resumed with `--push`: that release is undone and made again,
/// pushed with its tag; no later step pushes while it stays unpushed.
#[test]
fn a_train_killed_during_a_push_and_resumed_pushes_every_release() {
    let src = platform();
    relman(&src, &["approve", "t", "--role", "qa"]).success();
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let (pushing, fast) = (remote.bare.join("pushing"), remote.bare.join("fast"));
    let hook = remote.bare.join("hooks/pre-receive");
    write_hook(
        &hook,
        "#!/bin/sh\nif grep -q refs/tags/web-v1.1.0 && [ ! -e \"$GIT_DIR/fast\" ]; then touch \"$GIT_DIR/pushing\"; sleep 20; exit 1; fi\nexit 0\n",
    );
    let mut child = spawn(&a, &["train", "run", "t", "--push"]);
    wait_for(&pushing);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::write(&fast, "").unwrap();
    let run = relman(&a, &["train", "run", "t", "--resume", "--push"]).success();
    assert!(run.stderr.contains("undid the interrupted"), "{run}");
    for tag in ["api-v1.1.0", "web-v1.1.0", "worker-v1.1.0"] {
        assert_eq!(remote_git(&remote, &["rev-parse", tag]), a.git(&["rev-parse", tag]), "{tag}");
    }
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), a.git(&["rev-parse", "HEAD"]));
    assert!(a.read("catalog/release-trains.yaml").contains("status: completed"));
}

/// At a terminal git stays in relman's process group (where it may ask
/// for credentials): the push works the same.
#[test]
fn a_push_at_a_terminal_pushes_the_release() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let run = a.relman_on_terminal(&["create", "minor", "--push"], &[]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("pushed `main` and tag `v1.3.0` to `origin`"), "{run}");
    assert_eq!(
        remote_git(&remote, &["rev-parse", "v1.3.0^{commit}"]),
        a.git(&["rev-parse", "HEAD"])
    );
}

/// `path` is under one of `kept`, or is a folder made to hold one.
fn is_kept(path: &str, kept: &[&str]) -> bool {
    kept.iter().any(|p| path.starts_with(p) || (path.ends_with('/') && p.starts_with(path)))
}

/// A project whose deploy and health hooks write to `$HOOK_LOG` (outside
/// the repository), with one environment.
fn deployable() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "relman.yaml",
        "project:\n  name: app\n  hooks:\n    deploy: 'echo \"deploy $RELMAN_VERSION\" >> \"$HOOK_LOG\"'\n    health: 'echo \"health $RELMAN_VERSION\" >> \"$HOOK_LOG\"'\n",
    )
    .write("config/upgrade-policies.yaml", "environments:\n  order: [dev]\n")
    .write(".gitignore", ".relman/logs/\n")
    .write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo
}

fn hooks_run(repo: &TestRepo) -> String {
    std::fs::read_to_string(hook_log(repo)).unwrap_or_default()
}

/// What a deployment's hooks leave behind them: their logs and the
/// deployment's progress (docs/decisions.md).
const HOOKS_RAN: &[&str] = &[".relman/logs", ".git/relman-progress"];

/// Acceptance 3 for deploy: two clones deploy the same version at once
/// with `--push`; one deployment is recorded on the remote; the loser
/// exits 3 with its refs, work tree and index as they were. Refused
/// before its hooks (it was behind), nothing at all changed; refused at
/// its push, its hooks ran and it says so.
#[test]
fn two_deploys_with_push_record_one_deployment() {
    let src = deployable();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    let (before_a, before_b) = (state(&a), state(&b));
    let (winner, run, lost) =
        race_keeping(&a, &b, &["deploy", "1.0.0", "dev", "--push"], HOOKS_RAN);
    assert!(run.stderr.contains("pushed `main` to `origin`"), "{run}");
    let head = winner.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), head);
    let subjects = remote_git(&remote, &["log", "--format=%s", "main"]);
    assert_eq!(subjects.matches("deploy app 1.0.0 to dev").count(), 1, "{subjects}");
    let (loser, loser_before) =
        if std::ptr::eq(winner, &a) { (&b, before_b) } else { (&a, before_a) };
    if lost.stderr.contains("is behind the remote") {
        assert_eq!(hooks_run(loser), "", "no hook runs before the check: {lost}");
        assert_same(loser, &loser_before, "refused before its hooks");
    } else {
        assert!(lost.stderr.contains("the hooks ran: `app` 1.0.0 in `dev`"), "{lost}");
        assert!(hooks_run(loser).contains("deploy 1.0.0"), "{lost}");
    }
    assert_eq!(loser.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_deploy_behind_its_remote_is_refused_before_any_hook_runs() {
    let src = deployable();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    relman(&a, &["deploy", "1.0.0", "dev", "--push"]).success();
    assert!(hooks_run(&a).contains("deploy 1.0.0"));
    let before = state(&b);
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push"]).code(3);
    assert!(run.stderr.contains("`main` is behind the remote `origin`"), "{run}");
    assert_eq!(hooks_run(&b), "", "{run}");
    assert_same(&b, &before, "behind");
}

/// The remote moves while the hooks run: the push is refused, the ledger's
/// commit undone, and the loser says loudly that its hooks ran; after a
/// fetch the same command records the deployment without running them again.
#[test]
fn a_deploy_refused_at_its_push_says_its_hooks_ran_and_records_them_when_run_again() {
    let src = deployable();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    a.change("other.txt", "fix: elsewhere");
    let hook = pushes_first_from_pre_push(&b, &a);
    let mut before = state(&b);
    before.retain(|k, _| !is_kept(k, HOOKS_RAN));
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push"]).code(3);
    assert!(run.stderr.contains("the remote moved: fetch and run again"), "{run}");
    assert!(
        run.stderr.contains("the hooks ran: `app` 1.0.0 in `dev` (deploy, health passed)"),
        "{run}"
    );
    let mut after = state(&b);
    after.retain(|k, _| !is_kept(k, HOOKS_RAN));
    assert!(before == after, "refs, work tree and index as before");
    assert_eq!(hooks_run(&b), "deploy 1.0.0\nhealth 1.0.0\n");
    assert!(!b.exists(".relman/state/environments/dev.yaml"));
    std::fs::remove_file(&hook).unwrap();
    b.git(&["pull", "-q", "--ff-only", "origin", "main"]);
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push"]).success();
    assert!(run.stderr.contains("not run again"), "{run}");
    assert_eq!(hooks_run(&b), "deploy 1.0.0\nhealth 1.0.0\n", "no hook ran twice");
    assert_eq!(remote_git(&remote, &["rev-parse", "main"]), b.git(&["rev-parse", "HEAD"]));
    assert!(b.read(".relman/state/environments/dev.yaml").contains("version: \"1.0.0\""));
}

#[test]
fn a_rollback_of_an_environment_behind_its_remote_is_refused_before_any_hook_runs() {
    let src = deployable();
    src.change("src.txt", "feat: more");
    src.tag("v1.1.0");
    relman(&src, &["deploy", "1.0.0", "dev"]).success();
    relman(&src, &["deploy", "1.1.0", "dev"]).success();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    let args = ["rollback", "--env", "dev", "--reason", "slow", "--yes", "--push"];
    relman(&a, &args).success();
    assert!(hooks_run(&a).contains("deploy 1.0.0"));
    let before = state(&b);
    let run = relman(&b, &args).code(3);
    assert!(run.stderr.contains("`main` is behind the remote `origin`"), "{run}");
    assert_eq!(hooks_run(&b), "", "{run}");
    assert_same(&b, &before, "behind");
}

/// The remote refused this clone's deployment because another clone
/// recorded the same one first (the same second, as `RELMAN_NOW` makes
/// it): run again after the fetch, this clone's hooks, which ran, are
/// recorded as its own deployment, not taken for the other's.
#[test]
fn a_deploy_refused_because_another_clone_deployed_the_same_records_its_own_when_run_again() {
    let src = deployable();
    let remote = remote_of(&src);
    let (a, b) = (clone_of(&src, &remote, "Ann"), clone_of(&src, &remote, "Bob"));
    relman(&a, &["deploy", "1.0.0", "dev"]).success();
    let hook = pushes_first_from_pre_push(&b, &a);
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push"]).code(3);
    assert!(run.stderr.contains("the hooks ran"), "{run}");
    std::fs::remove_file(&hook).unwrap();
    b.git(&["pull", "-q", "--ff-only", "origin", "main"]);
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push"]).success();
    assert!(!run.stderr.contains("recorded by the interrupted run"), "{run}");
    assert_eq!(hooks_run(&b), "deploy 1.0.0\nhealth 1.0.0\n", "no hook ran twice");
    let dev = b.read(".relman/state/environments/dev.yaml");
    assert_eq!(dev.matches("kind: deploy").count(), 2, "{dev}");
    assert!(dev.contains("by: Bob"), "{dev}");
}

/// Finding 16: what a remote (its `pre-receive` hook) prints reaches the
/// user with its control characters escaped, its text and lines readable.
/// Finding 18: a remote hook's refusal is named as such, not taken for a
/// remote that moved.
#[test]
fn a_remote_hook_refusal_is_named_and_its_control_characters_shown_escaped() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let hook = remote.bare.join("hooks/pre-receive");
    write_hook(
        &hook,
        "#!/bin/sh\nprintf 'frozen \\033]0;pwned\\007 until \\033[2J\\033[31mMonday\\033[0m\\nsecond line\\r\\n' >&2\nexit 1\n",
    );
    let before = state(&a);
    let run = a.relman(&["create", "minor", "--push"]).code(3);
    assert!(!run.stderr.contains('\x1b') && !run.stderr.contains('\x07'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    assert!(
        run.stderr.contains(r"remote: frozen \x1b]0;pwned\x07 until \x1b[2J\x1b[31mMonday\x1b[0m"),
        "{run}"
    );
    assert!(run.stderr.contains("\n    remote: second line\n"), "{run}");
    assert!(run.stderr.contains("its `pre-receive` hook declined"), "{run}");
    assert!(!run.stderr.contains("the remote moved"), "{run}");
    assert!(!run.stderr.contains("hint: Updates were rejected"), "git's advice is left out: {run}");
    assert_same(&a, &before, "a push a remote hook refused");
    // JSON carries the same message in its one document.
    let json = a.relman(&["create", "minor", "--push", "--format", "json"]).code(3).json();
    let message = json["problems"][0]["message"].as_str().unwrap().to_owned();
    assert!(message.contains(r"\x1b[2J") && !message.contains('\x1b'), "{message}");
    assert_same(&a, &before, "a push a remote hook refused, in JSON");
}

/// Finding 18: this clone's own `pre-push` hook saying no is not "the
/// remote moved": it is named, its words quoted (escaped, finding 16),
/// and the repository is as it was, exit 3.
#[test]
fn a_pre_push_hook_refusal_is_named_and_everything_is_as_before() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let hook = a.root.join(".git/hooks/pre-push");
    write_hook(
        &hook,
        "#!/bin/sh\nprintf 'lint failed: \\033[31m3 errors\\033[0m\\n' >&2\nexit 1\n",
    );
    let before = state(&a);
    let run = a.relman(&["create", "minor", "--push"]).code(3);
    assert!(
        run.stderr.contains("this clone's `pre-push` hook (`.git/hooks/pre-push`) refused"),
        "{run}"
    );
    assert!(run.stderr.contains(r"lint failed: \x1b[31m3 errors\x1b[0m"), "{run}");
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    assert!(!run.stderr.contains("the remote moved"), "{run}");
    assert!(!run.stderr.contains("fetch and run again"), "{run}");
    assert!(run.stderr.contains("nothing was changed"), "{run}");
    assert_same(&a, &before, "a push the pre-push hook refused");
    assert_eq!(remote_git(&remote, &["tag", "--list", "v1.3.0"]), "");
    // The same hook in `core.hooksPath` is found there.
    let hooks = a.root.join("githooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::rename(&hook, hooks.join("pre-push")).unwrap();
    a.git(&["config", "core.hooksPath", "githooks"]);
    std::fs::write(a.root.join(".git/info/exclude"), "githooks/\n").unwrap();
    let run = a.relman(&["create", "minor", "--push"]).code(3);
    assert!(run.stderr.contains("`pre-push` hook (`githooks/pre-push`) refused"), "{run}");
    // A remote that moved is still told as such when a hook ran and passed
    // (`a_remote_that_moved_after_the_check_refuses_the_push_and_all_is_undone`).
}

/// Finding 17: `train run`, `train advance`, `rollback` (train, service,
/// environment) and `deploy` with `--dry-run --push` list what they would push, as
/// `create --dry-run --push` does (docs/json.md, `pushed`).
#[test]
fn dry_runs_of_train_run_advance_and_rollback_list_what_they_would_push() {
    let src = platform();
    relman(&src, &["approve", "t", "--role", "qa"]).success();
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let before = a.snapshot();
    let pushed = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--dry-run", "--push", "--format", "json"]);
        let run = relman(&a, &all).success();
        let p = run.json()["pushed"].clone();
        assert_eq!(p["dry_run"], true, "{run}");
        assert_eq!(p["pushes"], 0, "{run}");
        (p["branch"].clone(), p["tags"].clone())
    };
    let tags = serde_json::json!(["api-v1.1.0", "web-v1.1.0", "worker-v1.1.0"]);
    assert_eq!(pushed(&["train", "run", "t"]), (serde_json::json!("main"), tags.clone()));
    let human = relman(&a, &["train", "run", "t", "--dry-run", "--push"]).success();
    assert!(
        human.stderr.contains(
            "would push `main` and tags `api-v1.1.0`, `web-v1.1.0`, `worker-v1.1.0` to `origin`"
        ),
        "{human}"
    );
    a.assert_unchanged(&before);
    relman(&a, &["train", "start", "t", "--push"]).success();
    relman(&a, &["train", "advance", "t", "--push"]).success();
    // Into executing: every participant's release.
    assert_eq!(pushed(&["train", "advance", "t"]), (serde_json::json!("main"), tags));
    relman(&a, &["train", "run", "t", "--push"]).success();
    let rollback = ["rollback", "--train", "t", "--reason", "slow", "--yes", "--tag"];
    assert_eq!(
        pushed(&rollback),
        (
            serde_json::json!("main"),
            serde_json::json!([
                "worker-v1.0.0-rollback.1",
                "web-v1.0.0-rollback.1",
                "api-v1.0.0-rollback.1"
            ])
        )
    );
    assert_eq!(
        pushed(&["rollback", "api", "--reason", "slow", "--yes"]),
        (serde_json::json!("main"), serde_json::json!([]))
    );
    // An environment's rollback records its ledger: one commit.
    let d = deployable();
    d.change("src.txt", "feat: more");
    d.tag("v1.1.0");
    relman(&d, &["deploy", "1.0.0", "dev"]).success();
    relman(&d, &["deploy", "1.1.0", "dev"]).success();
    let remote = remote_of(&d);
    let b = clone_of(&d, &remote, "Bob");
    let before = b.snapshot();
    let run = relman(
        &b,
        &[
            "rollback",
            "--env",
            "dev",
            "--reason",
            "slow",
            "--yes",
            "--push",
            "--dry-run",
            "--format",
            "json",
        ],
    )
    .success();
    assert_eq!(run.json()["pushed"]["branch"], "main", "{run}");
    // A deployment too: its ledger's commit.
    let run = relman(&b, &["deploy", "1.0.0", "dev", "--push", "--dry-run", "--format", "json"])
        .success();
    assert_eq!(run.json()["pushed"]["branch"], "main", "{run}");
    assert_eq!(run.json()["pushed"]["tags"], serde_json::json!([]), "{run}");
    b.assert_unchanged(&before);
    assert_eq!(hooks_run(&b), "", "a dry run runs no hook");
}

/// A `pre-push` hook that prints without end (here 2 GB, then its last
/// words): relman keeps the start and the end of git's output, not all
/// of it, so its memory stays bounded (run under `ulimit -v` 1 GB, it
/// used to abort on a failed allocation), and the refusal quotes a few
/// lines, each clipped.
#[test]
fn a_pre_push_hook_that_prints_gigabytes_leaves_relman_within_its_memory() {
    let src = crate::support::version_project();
    src.change("src.txt", "feat: more");
    let remote = remote_of(&src);
    let a = clone_of(&src, &remote, "Ann");
    let hook = a.root.join(".git/hooks/pre-push");
    write_hook(
        &hook,
        "#!/bin/sh\necho 'first words'\nhead -c 2000000000 /dev/zero\necho\necho 'last words'\nexit 1\n",
    );
    let before = state(&a);
    let inner = a.relman_command(&["create", "minor", "--push"]);
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "ulimit -v 1000000 && exec \"$0\" \"$@\""])
        .arg(inner.get_program())
        .args(inner.get_args())
        .current_dir(&a.root)
        .stdin(Stdio::null());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let run = run_of(cmd.output().unwrap());
    assert_eq!(run.code, 3, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(run.stderr.contains("`pre-push` hook (`.git/hooks/pre-push`) refused"), "{run}");
    assert!(run.stderr.contains("first words") && run.stderr.contains("last words"), "{run}");
    assert!(run.stderr.contains("bytes left out"), "{run}");
    assert!(run.stderr.len() < 20_000, "{} bytes of stderr", run.stderr.len());
    assert_same(&a, &before, "a push its pre-push hook refused at length");
}

/// Makes `other` push its `main` from `clone`'s `pre-push` hook: the
/// remote moves between `clone`'s check and its push, as when another
/// machine releases at the same moment. Returns the hook's path.
fn pushes_first_from_pre_push(clone: &TestRepo, other: &TestRepo) -> PathBuf {
    let hook = clone.root.join(".git/hooks/pre-push");
    write_hook(
        &hook,
        format!(
            "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ngit -C '{}' push -q origin main\n",
            other.root.display()
        ),
    );
    hook
}
