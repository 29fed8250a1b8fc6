//! A deployment killed with SIGKILL at every failpoint (the transaction's
//! and the hooks'), then run again: the ledger never says a version is
//! live that no hook deployed, never loses a deployment that completed,
//! and a deploy hook recorded as passed is never run again.

use crate::deploy::project;
use crate::support::TestRepo;

/// Runs `command` stopped at failpoint `spec` and kills it there with
/// SIGKILL; `None` when it ended before reaching it (whatever its exit).
fn kill_when_stopped(command: std::process::Command, spec: &str) -> Option<String> {
    crate::crash::stop_and_kill(command, spec).0
}

fn count(repo: &TestRepo, line: &str) -> usize {
    let log = if repo.exists("hooks.log") { repo.read("hooks.log") } else { String::new() };
    log.lines().filter(|l| l.starts_with(line)).count()
}

/// What the committed ledger and the work tree's say is live in `dev`.
fn live_in_dev(repo: &TestRepo) -> Vec<String> {
    let file = ".relman/state/environments/dev.yaml";
    let committed = std::process::Command::new("git")
        .args(["show", &format!("HEAD:{file}")])
        .current_dir(&repo.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    let committed = String::from_utf8_lossy(&committed.stdout).into_owned();
    let worktree = if repo.exists(file) { repo.read(file) } else { String::new() };
    [committed, worktree]
        .iter()
        .map(|t| {
            t.split("live:\n  app:\n    version: \"").nth(1).map_or_else(String::new, |rest| {
                rest.split('"').next().unwrap_or_default().to_owned()
            })
        })
        .collect()
}

fn killed_and_run_again(args: &[&str], failing_health: bool) {
    let mut n = 1;
    loop {
        let repo = project();
        repo.relman(&["deploy", "1.0.0", "dev"]).success();
        if failing_health {
            repo.write("fail-health", "");
        }
        let Some(hit) = kill_when_stopped(repo.relman_command(args), &n.to_string()) else {
            assert!(
                n > 20,
                "the deployment passed only {n} failpoints: the transaction's were not reached"
            );
            return;
        };
        // After the kill: 1.1.0 is live only if its deploy hook ran, and
        // the health hook passed.
        let deployed = count(&repo, "deploy dev 1.1.0") > 0;
        for live in live_in_dev(&repo) {
            if live == "1.1.0" {
                assert!(deployed && !failing_health, "{hit}: live with no hook deployed it");
            }
        }
        let again = repo.relman(args);
        let want = if failing_health { 4 } else { 0 };
        assert_eq!(again.code, want, "{hit}: the run again:\n{again}");
        // A kill after a hook ended and before its end was recorded leaves it
        // `running`: the run again says so and runs it again (the hook must
        // be idempotent, as for trains); a hook recorded as passed never runs again.
        let rerun = again.stderr.contains("interrupted mid-run; running it again");
        let runs = count(&repo, "deploy dev 1.1.0");
        assert!(
            runs == 1 || (rerun && runs == 2),
            "{hit}: the deploy hook ran {runs} times:\n{again}"
        );
        let ledger = repo.read(".relman/state/environments/dev.yaml");
        let entries = ledger.matches("version: \"1.1.0\"\n  previous: \"1.0.0\"").count();
        assert_eq!(entries, 1, "{hit}: the deployment is recorded once:\n{ledger}");
        let live = live_in_dev(&repo);
        let expected = if failing_health { "1.0.0" } else { "1.1.0" };
        assert_eq!(live, [expected, expected], "{hit}");
        if failing_health {
            let runs = count(&repo, "rollback 1.1.0");
            assert!(runs == 1 || (rerun && runs == 2), "{hit}: the rollback hook ran {runs} times");
            assert!(ledger.contains("kind: rollback"), "{hit}");
        }
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{hit}");
        assert!(!repo.exists(".git/relman-progress/_environments/dev/app.json"), "{hit}");
        n += 1;
    }
}

#[test]
fn a_deployment_killed_at_every_step_is_finished_by_the_next_run() {
    killed_and_run_again(&["deploy", "1.1.0", "dev"], false);
}

#[test]
fn an_automatic_rollback_killed_at_every_step_is_finished_by_the_next_run() {
    killed_and_run_again(&["deploy", "1.1.0", "dev"], true);
}

#[test]
fn another_version_waits_for_the_interrupted_one() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    let hit = kill_when_stopped(repo.relman_command(&["deploy", "1.1.0", "dev"]), "after a hook");
    assert!(hit.is_some());
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(3);
    assert!(run.stderr.contains("was interrupted before it was recorded"), "{run}");
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    assert_eq!(count(&repo, "deploy dev 1.1.0"), 1);
    // The same version with another strategy waits too: its steps differ.
    let blue_green = ["deploy", "1.0.0", "dev", "--strategy", "blue-green"];
    assert!(kill_when_stopped(repo.relman_command(&blue_green), "after a hook").is_some());
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(3);
    assert!(run.stderr.contains("was blue-green; this one is rolling"), "{run}");
    repo.relman(&blue_green).success();
    assert_eq!(count(&repo, "deploy dev 1.0.0 prev=1.1.0 blue-green"), 1);
}

/// `rollback --env` killed at every failpoint (its hooks' and the
/// transaction's), then run again: a hook recorded as passed never runs
/// again, the rollback is recorded once, and the ledger never says the
/// old version is live before its hooks put it back.
#[test]
fn an_environment_rollback_killed_at_every_step_is_finished_by_the_next_run() {
    let args = ["rollback", "--env", "dev", "--reason", "slow", "--yes"];
    let mut n = 1;
    loop {
        let repo = project();
        repo.relman(&["deploy", "1.0.0", "dev"]).success();
        repo.relman(&["deploy", "1.1.0", "dev"]).success();
        repo.write("hooks.log", "");
        let Some(hit) = kill_when_stopped(repo.relman_command(&args), &n.to_string()) else {
            assert!(n > 10, "the rollback passed only {n} failpoints");
            return;
        };
        let rolled = count(&repo, "rollback 1.1.0") > 0;
        for live in live_in_dev(&repo) {
            if live == "1.0.0" {
                assert!(rolled, "{hit}: 1.0.0 live with no rollback hook run");
            }
        }
        let again = repo.relman(&args);
        assert_eq!(again.code, 0, "{hit}: the run again:\n{again}");
        let rerun = again.stderr.contains("interrupted mid-run; running it again");
        for line in ["rollback 1.1.0", "health 1.0.0"] {
            let runs = count(&repo, line);
            assert!(
                runs == 1 || (rerun && runs == 2),
                "{hit}: `{line}` ran {runs} times:\n{again}"
            );
        }
        let ledger = repo.read(".relman/state/environments/dev.yaml");
        assert_eq!(ledger.matches("kind: rollback").count(), 1, "{hit}: recorded once:\n{ledger}");
        assert_eq!(live_in_dev(&repo), ["1.0.0", "1.0.0"], "{hit}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{hit}");
        assert!(!repo.exists(".git/relman-progress/_environments/dev/_rollback/app.json"), "{hit}");
        n += 1;
    }
}
