//! Notifications (SPEC 1.5): `release_trains.notifications.hook` runs on
//! every train transition and rollback with `RELMAN_EVENT`,
//! `RELMAN_CHANNELS`, `RELMAN_STAKEHOLDERS` and the usual variables; one
//! that fails, hangs or prints binary warns and never stops a release.

use crate::lifecycle::{hook_log, platform, relman};
use crate::support::TestRepo;

/// A platform whose policies notify with `hook` (a YAML value).
fn notifying(hook: &str, extra: &str) -> TestRepo {
    let repo = platform();
    repo.write(
        "catalog/upgrade-policies.yaml",
        &format!(
            "release_trains:\n  notifications:\n    enabled: true\n    channels: [slack, email]\n    stakeholders: [platform-team, \"$(touch pwned)\"]\n    hook: {hook}\n{extra}"
        ),
    );
    repo.commit("chore: notify");
    repo
}

fn notify_log(repo: &TestRepo) -> std::path::PathBuf {
    repo.root.with_file_name("notify.log")
}

fn run_with_log(repo: &TestRepo, args: &[&str]) -> crate::support::Run {
    let (hooks, notes) = (hook_log(repo), notify_log(repo));
    repo.relman_env(
        args,
        &[("HOOK_LOG", hooks.to_str().unwrap()), ("NOTIFY_LOG", notes.to_str().unwrap())],
    )
}

const RECORD: &str = "'echo \"$RELMAN_EVENT|$RELMAN_TRAIN|$RELMAN_FROM|$RELMAN_TO|$RELMAN_SERVICE|$RELMAN_VERSION|$RELMAN_PREVIOUS_VERSION|$RELMAN_REASON|$RELMAN_CHANNELS|$RELMAN_STAKEHOLDERS\" >> \"$NOTIFY_LOG\"'";

#[test]
fn every_transition_and_rollback_notifies_with_its_variables() {
    let repo = notifying(RECORD, "");
    run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
    run_with_log(&repo, &["train", "run", "t"]).success();
    let log = std::fs::read_to_string(notify_log(&repo)).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let channels = "slack,email|platform-team,$(touch pwned)";
    assert_eq!(
        lines,
        [
            format!("transition|t|planning|validating|||||{channels}"),
            format!("transition|t|validating|staging|||||{channels}"),
            format!("transition|t|staging|executing|||||{channels}"),
            format!("transition|t|executing|verifying|||||{channels}"),
            format!("transition|t|verifying|completed|||||{channels}"),
        ],
        "{log}"
    );
    assert!(!repo.root.join("pwned").exists(), "a value reached a shell as text");
    // One service rolled back: event `rollback` with the versions and reason.
    run_with_log(&repo, &["rollback", "api", "--reason", "slow; rm -rf /", "--yes"]).success();
    let log = std::fs::read_to_string(notify_log(&repo)).unwrap();
    assert_eq!(
        log.lines().last().unwrap(),
        format!("rollback||||api|1.0.0|1.1.0|slow; rm -rf /|{channels}")
    );
    // A dry run notifies nobody.
    let before = log.len();
    run_with_log(&repo, &["rollback", "web", "--reason", "x", "--yes", "--dry-run"]).success();
    assert_eq!(std::fs::read_to_string(notify_log(&repo)).unwrap().len(), before);
}

#[test]
fn a_failing_hanging_or_binary_printing_hook_warns_and_the_train_goes_on() {
    for (hook, says) in [
        ("'echo down >&2; exit 7'", "failed (exit 7): down"),
        ("'sleep 30'", "ran past its 1s timeout"),
        ("'printf \"\\033]0;pwned\\007\\000\\377\\033[2J\"; exit 1'", "failed (exit 1)"),
        ("[/nonexistent/notify]", "could not start"),
    ] {
        let repo = notifying(hook, "    timeout: 1\n");
        run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
        let started = std::time::Instant::now();
        let run = run_with_log(&repo, &["train", "run", "t"]).success();
        assert!(
            run.stderr.contains("warning: the notification hook for `transition`"),
            "{hook}: {run}"
        );
        assert!(run.stderr.contains(says), "{hook}: {run}");
        assert!(
            !run.stderr.contains('\x1b') && !run.stderr.contains('\0'),
            "{hook}: {:?}",
            run.stderr
        );
        assert!(repo.read(".relman/state/t/train.yaml").contains("status: completed"), "{hook}");
        // Five transitions, each bounded by the timeout.
        assert!(started.elapsed() < std::time::Duration::from_secs(25), "{hook}");
    }
}

#[test]
fn notifications_turned_off_run_nothing() {
    let repo = notifying(RECORD, "");
    let off = repo.read("catalog/upgrade-policies.yaml").replace("enabled: true", "enabled: false");
    repo.write("catalog/upgrade-policies.yaml", &off);
    repo.commit("chore: quiet");
    run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
    run_with_log(&repo, &["train", "start", "t"]).success();
    assert!(!notify_log(&repo).exists());
    // An unknown key next to it is refused with the closest one.
    let typo = off.replace("hook:", "hoook:");
    repo.write("catalog/upgrade-policies.yaml", &typo);
    let run = relman(&repo, &["train", "validate", "t"]).code(2);
    assert!(run.stderr.contains("hoook"), "{run}");
}

#[test]
fn a_secret_the_hook_prints_is_redacted_in_the_warning() {
    let repo = notifying("'echo \"sending with $SLACK_TOKEN\"; exit 3'", "");
    run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
    let (hooks, notes) = (hook_log(&repo), notify_log(&repo));
    let run = repo
        .relman_env(
            &["train", "start", "t"],
            &[
                ("HOOK_LOG", hooks.to_str().unwrap()),
                ("NOTIFY_LOG", notes.to_str().unwrap()),
                ("SLACK_TOKEN", "xoxb-hunter2-secret"),
            ],
        )
        .success();
    assert!(run.stderr.contains("failed (exit 3): sending with"), "{run}");
    assert!(!run.stderr.contains("hunter2"), "{run}");
}

/// A notification hook whose background job keeps its output open leaves
/// relman's pipe readers waiting; a SIGTERM while a later step is written
/// still waits for that step (it is not taken by a reader thread).
#[cfg(unix)]
#[test]
fn a_background_job_of_a_notification_hook_does_not_cut_a_later_step_short() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    // A journal written after a notification ran (the 40th failpoint when
    // this was written; earlier ones come before the first notification),
    // each try on a repository of its own.
    for n in 35..200 {
        let repo = notifying("'sleep 5 & touch \"$NOTIFY_LOG\"'", "");
        run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
        let marker = notify_log(&repo);
        let _ = std::fs::remove_file(&marker);
        let mut child = repo
            .relman_command(&["train", "run", "t"])
            .env("NOTIFY_LOG", &marker)
            .env("HOOK_LOG", hook_log(&repo))
            .env("RELMAN_FAILPOINT", n.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = Vec::new();
        let stop = stderr.lines().map_while(Result::ok).find(|l| {
            seen.push(l.clone());
            l.starts_with("relman: failpoint")
        });
        let Some(stop) = stop else { panic!("no failpoint after a notification: {seen:?}") };
        if !(marker.exists() && stop.contains("journal")) {
            child.kill().unwrap();
            child.wait().unwrap();
            continue;
        }
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        std::thread::sleep(std::time::Duration::from_millis(300));
        let alive = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(alive, "SIGTERM cut the step at failpoint {n} short: {stop}");
        return;
    }
    panic!("no journal failpoint after a notification");
}

/// A bad notification policy is bad input like any other: refused with the
/// rest of the policies before the train moves (exit 2, nothing written),
/// in relman's words rather than the parser's ("invalid u64").
#[test]
fn a_bad_notification_timeout_is_refused_before_anything_is_written() {
    let repo = notifying(RECORD, "    timeout: -1\n");
    // Gates without a command: nothing else reads the policies first.
    let trains =
        repo.read("catalog/release-trains.yaml").replace("      - command: \"true\"\r\n", "");
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: approvals only");
    for args in [&["train", "start", "t"][..], &["train", "advance", "t"], &["train", "run", "t"]] {
        let before = repo.snapshot();
        let run = run_with_log(&repo, args).code(2);
        assert!(run.stderr.contains("catalog/upgrade-policies.yaml:7:14:"), "{run}");
        assert!(run.stderr.contains("expected a whole number of seconds"), "{run}");
        assert!(!run.stderr.contains("u64") && !run.stderr.contains("no notification"), "{run}");
        repo.assert_unchanged(&before);
        assert!(!notify_log(&repo).exists());
    }
}

/// A Ctrl-C (or SIGTERM) while the notification hook runs stops the run
/// as in any hook: the transition is committed, nothing after it starts (no
/// release of the first participant), exit 130 / 143, and relman says so.
#[test]
fn a_signal_in_the_notification_hook_stops_the_run_after_its_transition() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let started = tempfile::tempdir().unwrap();
        let mark = started.path().join("in-notify");
        let hook = format!(
            "'if [ \"$RELMAN_TO\" = executing ]; then touch {}; sleep 20; fi'",
            mark.display()
        );
        let repo = notifying(&hook, "");
        run_with_log(&repo, &["approve", "t", "--role", "qa"]).success();
        let out = started.path().join("out");
        let child = repo
            .relman_command(&["train", "run", "t"])
            .env("HOOK_LOG", hook_log(&repo))
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !mark.exists() {
            assert!(std::time::Instant::now() < deadline, "the notification hook never ran");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let pid = child.id().to_string();
        std::process::Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "stopped by SIG{signal}: the notification hook for `transition` was ended"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("the transition itself is done"), "{stderr}");
        assert!(!stderr.contains("released"), "{stderr}");
        // The transition is committed; no participant was released.
        assert!(repo.read("catalog/release-trains.yaml").contains("status: executing"));
        assert_eq!(repo.git(&["tag", "-l", "*-v1.1.0"]), "", "{stderr}");
        assert!(!hook_log(&repo).exists(), "a hook ran after the signal");
        // The same command again goes on from there.
        run_with_log(&repo, &["train", "run", "t", "--resume"]).success();
        assert!(repo.read(".relman/state/t/train.yaml").contains("status: completed"));
    }
}

const DEPLOYED: &str = "'echo \"$RELMAN_EVENT|$RELMAN_ENV|$RELMAN_SERVICE|$RELMAN_VERSION|$RELMAN_PREVIOUS_VERSION|$RELMAN_STRATEGY|$RELMAN_RESULT|$RELMAN_REASON|$RELMAN_CHANNELS\" >> \"$NOTIFY_LOG\"'";

/// Deployments notify `deploy` once recorded, whatever their result; an
/// automatic rollback and `rollback --env` notify `rollback`.
#[test]
fn deployments_and_environment_rollbacks_notify_with_their_variables() {
    let repo = crate::deploy::project();
    repo.write(
        "config/upgrade-policies.yaml",
        &format!(
            "{}release_trains:\n  notifications:\n    channels: [ops]\n    hook: {DEPLOYED}\n",
            crate::deploy::POLICY
        ),
    );
    repo.commit("chore: notify");
    let notes = || std::fs::read_to_string(notify_log(&repo)).unwrap_or_default();
    run_with_log(&repo, &["deploy", "1.0.0", "dev"]).success();
    run_with_log(&repo, &["deploy", "1.1.0", "dev"]).success();
    assert_eq!(
        notes(),
        "deploy|dev|app|1.0.0||rolling|succeeded||ops\ndeploy|dev|app|1.1.0|1.0.0|rolling|succeeded||ops\n"
    );
    run_with_log(&repo, &["rollback", "--env", "dev", "--reason", "slow; $(touch pwned)", "--yes"])
        .success();
    assert_eq!(
        notes().lines().last().unwrap(),
        "rollback|dev|app|1.0.0|1.1.0|rolling|succeeded|slow; $(touch pwned)|ops"
    );
    std::fs::remove_file(notify_log(&repo)).unwrap();
    repo.write("fail-health", "");
    run_with_log(&repo, &["deploy", "1.1.0", "dev"]).code(4);
    assert_eq!(
        notes(),
        "deploy|dev|app|1.1.0|1.0.0|rolling|rolled_back||ops\n\
         rollback|dev|app|1.0.0|1.1.0|rolling|succeeded|automatic: `health` failed|ops\n"
    );
    // A refused deployment and a dry run notify nobody.
    std::fs::remove_file(notify_log(&repo)).unwrap();
    run_with_log(&repo, &["deploy", "1.1.0", "staging", "--yes"]).code(1);
    run_with_log(&repo, &["deploy", "1.0.0", "dev", "--dry-run"]).success();
    assert_eq!(notes(), "");
    assert!(!repo.root.join("pwned").exists(), "a value reached a shell as text");
}
