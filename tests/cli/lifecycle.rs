//! A train's lifecycle end to end (SPEC 4, 4.1, 5): every transition, one
//! commit each, the status edit byte for byte, releases with hooks,
//! approvals, verifying with its automatic rollback, rollback by hand.

use std::path::PathBuf;

use crate::support::{Run, TestRepo};

/// Hooks that say what they were given in `$HOOK_LOG`, run the script
/// `$HOOK_LOG.<hook>-<service>.sh` when a test put one there, and fail
/// when a file named `$HOOK_LOG.fail-<hook>-<service>` exists.
pub(crate) fn services() -> String {
    let hook = |name: &str| {
        format!(
            "'echo \"{name} $RELMAN_SERVICE $RELMAN_VERSION $RELMAN_PREVIOUS_VERSION $RELMAN_TRAIN $RELMAN_REASON\" >> \"$HOOK_LOG\"; if [ -x \"$HOOK_LOG.{name}-$RELMAN_SERVICE.sh\" ]; then \"$HOOK_LOG.{name}-$RELMAN_SERVICE.sh\"; fi; test ! -e \"$HOOK_LOG.fail-{name}-$RELMAN_SERVICE\"'"
        )
    };
    let mut out = String::from("services:\n");
    for (name, deps) in [("api", "[]"), ("web", "[api]"), ("worker", "[web]")] {
        out.push_str(&format!(
            "  - name: {name}\n    path: services/{name}\n    depends_on: {deps}\n    version_files: [services/{name}/VERSION]\n    hooks:\n      release: {}\n      health: {}\n      rollback: {}\n",
            hook("release"),
            hook("health"),
            hook("rollback")
        ));
    }
    out
}

/// The trains file: comments, an anchor used by a second train, CRLF.
pub(crate) const TRAINS: &str = "# Trains of the test platform.\r\ntrains:\r\n  - name: t   # the train under test\r\n    participants: &all [api, web, worker]\r\n    gates:\r\n      - command: \"true\"\r\n      - approvals: [qa]\r\n    status: planning   # relman edits this value only\r\n    rollback:\r\n      enabled: true\r\n      health_check_threshold: 100%\r\n\r\n  - name: other\r\n    participants: *all\r\n    status: planning\r\n";

/// A platform of three services, each released once, with a feature each.
pub(crate) fn platform() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("catalog/services.yaml", &services())
        .write("catalog/release-trains.yaml", TRAINS)
        .write(".gitignore", ".relman/logs/\n");
    for name in ["api", "web", "worker"] {
        repo.write(&format!("services/{name}/VERSION"), "1.0.0\n");
    }
    repo.commit("chore: platform");
    for name in ["api", "web", "worker"] {
        repo.tag(&format!("{name}-v1.0.0"));
    }
    for name in ["api", "web", "worker"] {
        repo.change(&format!("services/{name}/src.txt"), &format!("feat({name}): more"));
    }
    repo
}

pub(crate) fn hook_log(repo: &TestRepo) -> PathBuf {
    repo.root.with_file_name("hooks.log")
}

pub(crate) fn relman(repo: &TestRepo, args: &[&str]) -> Run {
    let log = hook_log(repo);
    repo.relman_env(args, &[("HOOK_LOG", log.to_str().unwrap())])
}

/// Starts `relman train run t` in the background (stdout and stderr
/// dropped) and waits until a hook has created the file `started`.
pub(crate) fn run_until(repo: &TestRepo, started: &str, never: &str) -> std::process::Child {
    let mut command = repo.relman_command(&["train", "run", "t"]);
    let child = command
        .env("HOOK_LOG", hook_log(repo))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::path::Path::new(started).exists() {
        assert!(std::time::Instant::now() < deadline, "{never}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child
}

pub(crate) fn hooks_run(repo: &TestRepo) -> Vec<String> {
    std::fs::read_to_string(hook_log(repo)).unwrap_or_default().lines().map(str::to_owned).collect()
}

/// Refused with exit 3 saying `says`, and nothing written.
#[track_caller]
fn refused(repo: &TestRepo, args: &[&str], says: &str) {
    let before = repo.snapshot();
    let run = relman(repo, args).code(3);
    assert!(run.stderr.contains(says), "{args:?}: {run}");
    repo.assert_unchanged(&before);
}

/// Exactly one commit since `before`, whose diff is the `status:` value,
/// the state file and one audit line.
#[track_caller]
fn one_transition(repo: &TestRepo, before: &str, from: &str, to: &str) {
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{before}..HEAD")]), "1");
    let files = repo.git(&["diff", "--numstat", before, "HEAD"]);
    // Staging also writes the plan, completing the train's notes, and a
    // transition the participants' progress since the last one.
    let files: Vec<&str> = files
        .lines()
        .filter(|l| !l.contains("\t.relman/state/t/") || l.ends_with("/train.yaml"))
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().any(|l| l.starts_with("1\t0\tanalysis/reports/audit.log")), "{files:?}");
    assert!(files.iter().any(|l| l.ends_with("\t.relman/state/t/train.yaml")), "{files:?}");
    let old = std::process::Command::new("git")
        .args(["show", &format!("{before}:catalog/release-trains.yaml")])
        .current_dir(&repo.root)
        .output()
        .unwrap()
        .stdout;
    let new = std::fs::read(repo.root.join("catalog/release-trains.yaml")).unwrap();
    let old = String::from_utf8(old).unwrap();
    let expected =
        old.replacen(&format!("status: {from}   # relman"), &format!("status: {to}   # relman"), 1);
    assert_eq!(String::from_utf8(new).unwrap(), expected, "only the status value changes");
    let subject = repo.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject, format!("chore(release): train t {from} → {to}"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn every_transition_is_one_commit_and_every_invalid_one_is_refused() {
    let repo = platform();
    refused(
        &repo,
        &["train", "resume", "t"],
        "cannot resume; allowed: advance (→ validating), pause (→ paused)",
    );
    refused(&repo, &["rollback", "--train", "t", "--reason", "x", "--yes"], "cannot rollback");
    let unknown = relman(&repo, &["train", "pause", "nope"]).code(2);
    assert!(unknown.stderr.contains("unknown train `nope`"), "{unknown}");

    // planning → validating: gates evaluated, the missing approval reported.
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "start", "t"]).code(1);
    assert!(run.stdout.contains("missing approval by qa"), "{run}");
    one_transition(&repo, &head, "planning", "validating");
    refused(&repo, &["train", "start", "t"], "has started already: it is validating");
    // Leaving validating needs every blocking gate: exit 1, nothing written.
    let before = repo.snapshot();
    relman(&repo, &["train", "advance", "t"]).code(1);
    repo.assert_unchanged(&before);

    // An approval is one commit: the state and one audit line.
    let before = repo.snapshot();
    relman(&repo, &["approve", "t", "--role", "qa", "--dry-run"]).success();
    repo.assert_unchanged(&before);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let wrong = relman(&repo, &["approve", "t", "--role", "cto"]).code(2);
    assert!(wrong.stderr.contains("the train requires: qa"), "{wrong}");
    relman(&repo, &["approve", "t", "--role", "qa", "--note", "looks good"]).success();
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{head}..HEAD")]), "1");
    assert_eq!(
        repo.git(&["diff", "--name-only", &head, "HEAD"]),
        ".relman/state/t/train.yaml\nanalysis/reports/audit.log"
    );
    refused(&repo, &["approve", "t", "--role", "qa"], "approved train `t` already");

    // pause and resume, each one commit, back where it was.
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "pause", "t"]).success();
    one_transition(&repo, &head, "validating", "paused");
    refused(&repo, &["train", "advance", "t"], "cannot advance; allowed: resume (→ validating)");
    refused(&repo, &["train", "pause", "t"], "cannot pause");
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "resume", "t"]).success();
    one_transition(&repo, &head, "paused", "validating");

    // validating → staging records the plan.
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "advance", "t"]).success();
    one_transition(&repo, &head, "validating", "staging");
    let state = repo.read(".relman/state/t/plan.yaml");
    assert!(state.contains("tag: api-v1.1.0") && state.contains("inputs:"), "{state}");

    // staging → executing: a transition commit, then one release commit
    // per participant in plan order; the train stays executing (one
    // advance is one transition, SPEC 4).
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "advance", "t"]).success();
    let subjects = repo.git(&["log", "--reverse", "--format=%s", &format!("{head}..HEAD")]);
    assert_eq!(
        subjects,
        "chore(release): train t staging → executing\nchore(release): api-v1.1.0\nchore(release): web-v1.1.0\nchore(release): worker-v1.1.0"
    );
    assert!(repo.read(".relman/state/t/train.yaml").contains("\nstatus: executing\n"));
    for name in ["api", "web", "worker"] {
        let tag = format!("{name}-v1.1.0");
        let commit = repo.git(&["rev-list", "-n", "1", &tag]);
        assert_eq!(
            repo.git(&["log", "-1", "--format=%s", &commit]),
            format!("chore(release): {tag}")
        );
        assert_eq!(repo.read(&format!("services/{name}/VERSION")), "1.1.0\n");
    }
    // executing → verifying runs verifying's checks on entering it.
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "advance", "t"]).success();
    one_transition(&repo, &head, "executing", "verifying");
    let head = repo.git(&["rev-parse", "HEAD"]);
    relman(&repo, &["train", "advance", "t"]).success();
    one_transition(&repo, &head, "verifying", "completed");
    for args in [
        &["train", "advance", "t"][..],
        &["train", "pause", "t"],
        &["train", "resume", "t"],
        &["train", "start", "t"],
    ] {
        refused(&repo, args, "completed");
    }
    repo.relman(&["audit", "verify"]).success();
    // Hooks ran in plan order, values only as environment variables.
    let hooks = hooks_run(&repo);
    assert_eq!(hooks[0], "release api 1.1.0 1.0.0 t ");
    assert_eq!(hooks[1], "health api 1.1.0 1.0.0 t ");
}

#[test]
fn a_status_written_as_an_alias_is_refused_and_nothing_written() {
    let repo = platform();
    let trains = TRAINS
        .replace("    status: planning   # relman edits this value only\r\n", "    status: *st\r\n")
        .replace(
            "    participants: &all",
            "    description: &st planning\r\n    participants: &all",
        );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: alias");
    // A shape relman cannot edit is bad input (exit 2), refused before writing.
    let before = repo.snapshot();
    let run = relman(&repo, &["train", "start", "t"]).code(2);
    assert!(
        run.stderr.contains("relman edits only plain or quoted values, and this one is an alias"),
        "{run}"
    );
    repo.assert_unchanged(&before);
}

#[test]
fn a_missing_status_is_added_below_the_name() {
    let repo = platform();
    let trains = TRAINS.replace("    status: planning   # relman edits this value only\r\n", "");
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: no status");
    relman(&repo, &["train", "start", "t"]).code(1);
    let now = repo.read("catalog/release-trains.yaml");
    assert_eq!(
        now,
        trains.replace(
            "  - name: t   # the train under test\r\n",
            "  - name: t   # the train under test\r\n    status: validating\r\n"
        )
    );
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    assert!(repo.read("catalog/release-trains.yaml").contains("    status: staging\r\n"));
}

/// A train approved and staged, ready to execute.
pub(crate) fn staged() -> TestRepo {
    let repo = platform();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    repo
}

#[test]
fn run_releases_every_participant_and_completes_with_notes() {
    let repo = staged();
    let json = relman(&repo, &["train", "run", "t", "--format", "json"]).success().json();
    assert_eq!(json["schema"], "relman.train.run/1");
    assert_eq!(json["status"], "completed");
    let phases: Vec<&str> = json["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["healthy", "healthy", "healthy"]);
    let hooks: Vec<String> = hooks_run(&repo)
        .into_iter()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        hooks,
        [
            "release api",
            "health api",
            "release web",
            "health web",
            "release worker",
            "health worker",
            "health api",
            "health web",
            "health worker"
        ]
    );
    let notes = repo.read(".relman/state/t/notes.md");
    assert!(
        notes
            .contains("## api 1.0.0 → 1.1.0 (`api-v1.1.0`)\n\n### New Features\n\n- **api:** more"),
        "{notes}"
    );
    assert!(repo.exists(".relman/logs/t/api-release.log"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.relman(&["audit", "verify"]).success();
    // train list and show read progress from the state.
    let list = repo.relman(&["train", "list", "--format", "json"]).success().json();
    assert_eq!(list["trains"][0]["released"], 3, "{list}");
}

#[test]
fn a_failing_health_check_while_verifying_rolls_the_train_back_in_reverse() {
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    // web is healthy after its release; worker's release breaks it, and
    // web's rollback mends it.
    script(&format!("{log}.release-worker.sh"), &format!("touch '{log}.fail-health-web'"));
    script(&format!("{log}.rollback-web.sh"), &format!("rm -f '{log}.fail-health-web'"));
    let run = relman(&repo, &["train", "run", "t", "--format", "json"]).code(4);
    let json = run.json();
    assert_eq!(json["status"], "rolled_back", "{run}");
    assert!(
        json["failure"]["reason"]
            .as_str()
            .unwrap()
            .contains("unhealthy after release: web (67% healthy, 100% required)"),
        "{run}"
    );
    let rollbacks: Vec<String> = hooks_run(&repo)
        .into_iter()
        .filter(|l| l.starts_with("rollback "))
        .map(|l| l.split(' ').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(rollbacks, ["worker", "web", "api"]);
    let subjects = repo.git(&["log", "-4", "--reverse", "--format=%s"]);
    assert_eq!(
        subjects,
        "chore(release): roll back worker 1.1.0 → 1.0.0\nchore(release): roll back web 1.1.0 → 1.0.0\nchore(release): roll back api 1.1.0 → 1.0.0\nchore(release): train t verifying → rolled_back"
    );
    repo.relman(&["audit", "verify"]).success();
}

/// relman reads again, at every step, what a hook could have touched: a
/// hook that rewrites the train's state keeping its size, inode and
/// modification time is still seen (the run stops, exit 3, nothing lost).
#[test]
fn a_file_changed_by_a_hook_between_two_steps_is_read_again() {
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    let state = repo.root.join(".relman/state/t/train.yaml");
    let s = state.display();
    script(
        &format!("{log}.release-web.sh"),
        &format!(
            "touch -r '{s}' '{s}.ref'\n\
             new=$(awk '$1 == \"serial:\" {{ n = $2; d = (substr(n, length(n)) + 1) % 10; $0 = \"serial: \" substr(n, 1, length(n) - 1) d }} {{ print }}' '{s}')\n\
             printf '%s\\n' \"$new\" > '{s}'\n\
             touch -r '{s}.ref' '{s}' && rm '{s}.ref'"
        ),
    );
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(run.stderr.contains("changed while relman was working"), "{run}");
    assert!(run.stderr.contains(".relman/state/t/train.yaml"), "{run}");
}

pub(crate) fn script(path: &str, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn rollback_runs_in_reverse_order_and_a_second_run_finishes_after_a_failing_hook() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    std::fs::remove_file(hook_log(&repo)).unwrap();
    // A dry run prints the plan and changes nothing at all.
    let before = repo.snapshot();
    let dry =
        relman(&repo, &["rollback", "--train", "t", "--reason", "bad", "--dry-run"]).success();
    repo.assert_unchanged(&before);
    assert!(!hook_log(&repo).exists(), "a dry run ran a hook");
    let order: Vec<&str> = dry.stdout.lines().filter(|l| l.contains(". ")).collect();
    assert_eq!(
        order,
        ["  1. worker 1.1.0 → 1.0.0", "  2. web 1.1.0 → 1.0.0", "  3. api 1.1.0 → 1.0.0"],
        "{dry}"
    );
    assert!(
        dry.stdout.contains("undone by its rollback hook") && dry.stdout.contains("tags stay"),
        "{dry}"
    );
    // Without a terminal, a rollback needs --yes.
    refused(&repo, &["rollback", "--train", "t", "--reason", "bad"], "needs a confirmation");
    // web's rollback hook fails: worker is rolled back and recorded, exit 4.
    let fail = PathBuf::from(format!("{}.fail-rollback-web", hook_log(&repo).display()));
    std::fs::write(&fail, "").unwrap();
    let run = relman(
        &repo,
        &["rollback", "--train", "t", "--reason", "bad", "--yes", "--format", "json"],
    )
    .code(4);
    let json = run.json();
    assert_eq!(json["rolled_back"], serde_json::json!(["worker"]), "{run}");
    assert_eq!(json["failed"], "web");
    assert!(repo.read(".relman/state/t/train.yaml").contains("rollbacks:\n- service: worker"));
    // The second run continues with the rest, in order.
    std::fs::remove_file(&fail).unwrap();
    let json = relman(
        &repo,
        &["rollback", "--train", "t", "--reason", "bad", "--yes", "--format", "json"],
    )
    .success()
    .json();
    assert_eq!(json["rolled_back"], serde_json::json!(["web", "api"]), "{json}");
    assert_eq!(json["status"], "rolled_back");
    let rollbacks: Vec<String> =
        hooks_run(&repo).into_iter().filter(|l| l.starts_with("rollback ")).collect();
    assert_eq!(
        rollbacks,
        [
            "rollback worker 1.1.0 1.0.0 t bad",
            "rollback web 1.1.0 1.0.0 t bad",
            "rollback web 1.1.0 1.0.0 t bad",
            "rollback api 1.1.0 1.0.0 t bad"
        ]
    );
    // Tags are history: none deleted.
    assert_eq!(repo.git(&["tag", "-l", "*-v1.1.0"]).lines().count(), 3);
    assert_eq!(repo.read("catalog/release-trains.yaml").matches("status: rolled_back").count(), 1);
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn rolling_back_one_service_restores_the_release_before_its_newest() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    let json = relman(
        &repo,
        &["rollback", "api", "--reason", "slow", "--yes", "--tag", "--format", "json"],
    )
    .success()
    .json();
    assert_eq!(
        (json["plan"][0]["from"].as_str(), json["plan"][0]["to"].as_str()),
        (Some("1.1.0"), Some("1.0.0"))
    );
    let tagged = repo.git(&["rev-list", "-n", "1", "api-v1.0.0-rollback.1"]);
    assert_eq!(tagged, repo.git(&["rev-list", "-n", "1", "api-v1.0.0"]));
    let log = hooks_run(&repo);
    assert!(log.iter().any(|l| l == "rollback api 1.1.0 1.0.0  slow"), "{log:?}");
    let missing =
        relman(&repo, &["rollback", "api", "--to", "0.9.0", "--reason", "x", "--yes"]).code(3);
    assert!(missing.stderr.contains("no tag `api-v0.9.0`"), "{missing}");
}

#[test]
fn changed_inputs_after_staging_are_refused_naming_the_file() {
    let repo = staged();
    repo.write(
        "catalog/services.yaml",
        &services().replace("depends_on: [web]", "depends_on: [api]"),
    );
    repo.commit("chore: worker needs api only");
    refused(
        &repo,
        &["train", "run", "t"],
        "`catalog/services.yaml` changed since the train was staged",
    );
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("plan.inputs") && run.stderr.contains(".relman/state/t/train.yaml"),
        "{run}"
    );
}

#[test]
fn values_reach_hooks_only_as_environment_variables() {
    let repo = staged();
    let evil = ["$(touch pwned)", "`touch pwned`", "; touch pwned", "x\ntouch pwned"];
    for value in evil {
        let run = relman(&repo, &["approve", "t", "--role", value, "--note", value]);
        assert_eq!(run.code, 2, "{run}");
    }
    relman(&repo, &["train", "run", "t"]).success();
    for reason in evil {
        relman(&repo, &["rollback", "api", "--reason", reason, "--yes", "--dry-run"]).success();
    }
    relman(&repo, &["rollback", "--train", "t", "--reason", evil[0], "--yes"]).success();
    // A train whose name is an injection moves like any other.
    let trains = repo
        .read("catalog/release-trains.yaml")
        .replace("  - name: other\r\n", "  - name: \"$(touch pwned); `touch pwned`\"\r\n");
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: an odd train");
    relman(&repo, &["train", "start", "$(touch pwned); `touch pwned`"]).success();
    assert!(!repo.exists("pwned") && !repo.root.with_file_name("pwned").exists());
    let log = hooks_run(&repo);
    assert!(log.iter().any(|l| l.ends_with("$(touch pwned)")), "{log:?}");
}

#[test]
fn two_advances_racing_make_one_transition() {
    let repo = platform();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    // A slow gate keeps the first advance busy with the lock held.
    let slow = repo
        .read("catalog/release-trains.yaml")
        .replace("command: \"true\"", "command: \"sleep 2\"");
    repo.write("catalog/release-trains.yaml", &slow);
    repo.commit("chore: slow gate");
    let log = hook_log(&repo);
    let mut first = repo.relman_command(&["train", "advance", "t"]);
    let mut first = first
        .env("HOOK_LOG", &log)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = repo.root.join(".git/relman.lock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::read_to_string(&lock).map(|t| t.is_empty()).unwrap_or(true) {
        assert!(std::time::Instant::now() < deadline, "the first advance never took the lock");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let second = relman(&repo, &["train", "advance", "t"]).code(3);
    assert!(
        second.stderr.contains("the repository is locked by pid")
            && second.stderr.contains("train advance t"),
        "{second}"
    );
    let approve = relman(&repo, &["approve", "t", "--role", "qa"]).code(3);
    assert!(approve.stderr.contains("locked by pid"), "{approve}");
    assert!(first.wait().unwrap().success());
    assert!(repo.read("catalog/release-trains.yaml").contains("status: staging   # relman"));
    let transitions = repo.git(&["log", "--format=%s", "--grep", "validating → staging"]);
    assert_eq!(transitions.lines().count(), 1);
}

/// Asserts that the train completed with exactly one release of each
/// participant, tagged on the commit its state records.
#[track_caller]
fn assert_completed_once(repo: &TestRepo, context: &str) {
    let state = repo.read(".relman/state/t/train.yaml");
    assert!(state.contains("\nstatus: completed\n"), "{context}: {state}");
    let subjects = repo.git(&["log", "--format=%s"]);
    for name in ["api", "web", "worker"] {
        let tag = format!("{name}-v1.1.0");
        assert_eq!(
            subjects.matches(&format!("chore(release): {tag}")).count(),
            1,
            "{context}: {tag}"
        );
        let on = repo.git(&["rev-list", "-n", "1", &tag]);
        let participant = repo.read(&format!(".relman/state/t/{name}.yaml"));
        assert!(
            participant.contains(&format!("\ntag: {tag}\ncommit: {on}\n")),
            "{context}: {tag} on {on}: {participant}"
        );
    }
    assert_eq!(repo.git(&["tag", "-l", "*-v1.1*"]).lines().count(), 3, "{context}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "{context}");
    crate::crash::assert_clean_git_dir(repo, context);
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn train_run_killed_anywhere_resumes_and_releases_each_participant_once() {
    let template = staged();
    let mut points = Vec::new();
    // Every stop of the first participant's release and hooks, then every
    // third (the transaction's steps, between a tag and the state, before
    // and after hooks, the hooks' progress), killed with SIGKILL there.
    for n in (1..).filter(|n| *n < 80 || n % 3 == 0) {
        let repo = template.duplicate();
        let mut command = repo.relman_command(&["train", "run", "t"]);
        command.env("HOOK_LOG", hook_log(&repo));
        let Some(hit) = crate::crash::kill_when_stopped(command, &n.to_string()) else {
            assert_completed_once(&repo, "uninterrupted");
            break;
        };
        let resumed = relman(&repo, &["train", "run", "t", "--resume"]);
        assert_eq!(resumed.code, 0, "{hit}: the resumed run failed:\n{resumed}");
        assert_completed_once(&repo, &hit);
        points.push(hit);
    }
    assert!(points.len() >= 20, "only {} points: {points:?}", points.len());
    for named in [
        "participant tagged",
        "before a hook",
        "after a hook",
        "journal",
        "tags made",
        "files written",
    ] {
        assert!(points.iter().any(|p| p.contains(named)), "never stopped at `{named}`: {points:?}");
    }

    // Killed inside a hook: the hook is run again on resume, nothing else.
    let repo = template.duplicate();
    let log = hook_log(&repo).display().to_string();
    let started = format!("{log}.started");
    script(
        &format!("{log}.release-web.sh"),
        &format!("if [ ! -e '{started}' ]; then echo $$ > '{started}'; sleep 30; fi"),
    );
    let mut child = run_until(&repo, &started, "the hook never started");
    child.kill().unwrap();
    child.wait().unwrap();
    let pid = std::fs::read_to_string(&started).unwrap();
    let _ = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", pid.trim())])
        .status();
    relman(&repo, &["train", "run", "t", "--resume"]).success();
    assert_completed_once(&repo, "killed inside web's release hook");
    let web_releases = hooks_run(&repo).iter().filter(|l| l.starts_with("release web")).count();
    assert_eq!(web_releases, 2, "the interrupted hook runs again");
}

#[test]
fn a_saved_plan_is_applied_exactly_or_refused_naming_the_field() {
    let repo = platform();
    let plan = repo.root.with_file_name("plan.json");
    let other = repo.root.with_file_name("other.json");
    relman(&repo, &["train", "plan", "t", "--out", plan.to_str().unwrap()]).success();
    relman(&repo, &["train", "plan", "other", "--out", other.to_str().unwrap()]).success();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    // The status edits and the approval do not change the plan's inputs.
    refused(
        &repo,
        &["train", "run", "t", "--plan", other.to_str().unwrap()],
        "`train`: the plan is for train `other`, not `t`",
    );
    // A hook changed since the plan was saved.
    let services = repo.read("catalog/services.yaml");
    repo.write(
        "catalog/services.yaml",
        &services.replacen("release: 'echo", "release: 'echo changed;echo", 1),
    );
    repo.commit("chore: a new release hook");
    refused(
        &repo,
        &["train", "run", "t", "--plan", plan.to_str().unwrap()],
        "`inputs.files.catalog/services.yaml`: `catalog/services.yaml` changed since the plan was saved",
    );
    repo.write("catalog/services.yaml", &services);
    repo.commit("chore: the hook as it was");
    let json =
        relman(&repo, &["train", "run", "t", "--plan", plan.to_str().unwrap(), "--format", "json"])
            .success()
            .json();
    assert_eq!(json["status"], "completed", "{json}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let state = repo.read(".relman/state/t/plan.yaml");
    for step in saved["sequence"].as_array().unwrap() {
        assert!(
            state.contains(&format!(
                "- service: {}\n  from: \"{}\"\n  to: \"{}\"",
                step["service"].as_str().unwrap(),
                step["from"].as_str().unwrap(),
                step["to"].as_str().unwrap()
            )),
            "{state}"
        );
    }
}

#[test]
fn a_pin_changed_after_staging_stops_the_resumed_run() {
    let repo = staged();
    let trains = repo.read("catalog/release-trains.yaml").replace(
        "participants: &all [api, web, worker]",
        "participants: &all [api, {name: web, version: 2.0.0}, worker]",
    );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: pin web");
    refused(
        &repo,
        &["train", "run", "t", "--resume"],
        "`catalog/release-trains.yaml` changed since the train was staged",
    );
}

#[cfg(unix)]
#[test]
fn on_a_terminal_a_run_draws_progress_bars_and_plain_lines_elsewhere() {
    let repo = staged();
    let log = hook_log(&repo);
    let run =
        repo.relman_on_terminal(&["train", "run", "t"], &[("HOOK_LOG", log.to_str().unwrap())]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("executing [") && run.stdout.contains("3/3"), "{run}");
    assert!(run.stdout.contains("verifying ["), "{run}");
    // Without a terminal: one plain line per step, no bar.
    let repo = staged();
    let plain = relman(&repo, &["train", "run", "t"]).success();
    assert!(plain.stderr.contains("api: released 1.1.0 (api-v1.1.0)"), "{plain}");
    assert!(!plain.stderr.contains("executing [") && !plain.stderr.contains('\r'), "{plain}");
}

#[test]
fn jobs_run_a_waves_hooks_together_and_tag_in_plan_order() {
    // Three services without dependencies: one wave.
    let repo = platform();
    let services = services()
        .replace("depends_on: [api]", "depends_on: []")
        .replace("depends_on: [web]", "depends_on: []");
    repo.write("catalog/services.yaml", &services);
    repo.commit("chore: independent services");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    let log = hook_log(&repo).display().to_string();
    for name in ["api", "web", "worker"] {
        script(&format!("{log}.release-{name}.sh"), "sleep 2");
    }
    let started = std::time::Instant::now();
    let run = relman(&repo, &["train", "advance", "t", "--jobs", "3"]).success();
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_millis(5500),
        "three 2 s hooks took {took:?} with --jobs 3: {run}"
    );
    // Tags and release commits one at a time, in plan order.
    let subjects = repo.git(&["log", "--reverse", "--format=%s", "-4"]);
    assert_eq!(
        subjects,
        "chore(release): train t staging → executing\nchore(release): api-v1.1.0\nchore(release): web-v1.1.0\nchore(release): worker-v1.1.0"
    );
    // Results are shown and recorded in plan order.
    let shown: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": ran its `release` hook")).collect();
    assert_eq!(shown.len(), 3, "{run}");
    assert!(shown[0].starts_with("api") && shown[2].starts_with("worker"), "{run}");
    // Recorded in each participant's file by the next transition.
    relman(&repo, &["train", "advance", "t"]).success();
    let passed: usize = ["api", "web", "worker"]
        .map(|s| repo.read(&format!(".relman/state/t/{s}.yaml")).matches("result: passed").count())
        .iter()
        .sum();
    assert!(passed >= 6, "{passed}");
    // --jobs 0 is refused.
    relman(&repo, &["train", "advance", "t", "--jobs", "0"]).code(2);
}

#[test]
fn hook_output_is_streamed_as_it_comes_and_logged_with_secrets_redacted() {
    use std::io::{BufRead as _, BufReader};
    let repo = staged();
    let log = hook_log(&repo);
    script(
        &format!("{}.release-api.sh", log.display()),
        "echo \"first with $DEPLOY_TOKEN\"; sleep 2; echo second",
    );
    let mut child = repo
        .relman_command(&["train", "run", "t"])
        .env("HOOK_LOG", &log)
        .env("DEPLOY_TOKEN", "s3cr3t-value")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut first_at = None;
    let mut lines = Vec::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.contains("| first") {
            first_at = Some(std::time::Instant::now());
        }
        lines.push(line);
    }
    assert!(child.wait().unwrap().success(), "{lines:#?}");
    let first_at = first_at.expect("the first line was shown");
    assert!(
        first_at.elapsed() > std::time::Duration::from_millis(1500),
        "not shown while the hook ran"
    );
    assert!(lines.iter().any(|l| l.contains("| first with [REDACTED]")), "{lines:#?}");
    let kept = repo.read(".relman/logs/t/api-release.log");
    assert!(kept.contains("first with [REDACTED]\n") && kept.contains("second\n"), "{kept}");
    assert!(!kept.contains("s3cr3t-value"));
}

#[test]
fn a_critical_gate_failing_while_verifying_fails_the_train() {
    let repo = platform();
    let trains = TRAINS.replace(
        "      - approvals: [qa]\r\n",
        "      - approvals: [qa]\r\n      - command: \"test ! -e \\\"$HOOK_LOG.broken\\\"\"\r\n        critical: true\r\n",
    );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: a critical gate");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success(); // released, now verifying
    std::fs::write(format!("{}.broken", hook_log(&repo).display()), "").unwrap();
    let json = relman(&repo, &["train", "advance", "t", "--format", "json"]).code(1).json();
    assert_eq!(json["status"], "failed", "{json}");
    assert!(
        json["failure"]["reason"].as_str().unwrap().contains("critical gate(s) failed"),
        "{json}"
    );
    assert!(repo.read("catalog/release-trains.yaml").contains("status: failed   # relman"));
    // A failed train is rolled back by hand, in reverse order.
    let run = relman(&repo, &["rollback", "--train", "t", "--reason", "gate", "--yes"]).success();
    assert!(run.stdout.contains("train is rolled_back"), "{run}");
}

#[cfg(unix)]
#[test]
fn a_logs_folder_symlinked_outside_is_refused_before_anything_is_released() {
    let repo = staged();
    let outside = repo.root.with_file_name("outside-logs");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(repo.root.join(".relman")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.root.join(".relman/logs")).unwrap();
    repo.write(".gitignore", ".relman/logs\n");
    repo.commit("chore: ignore the logs link");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "run", "t"]).code(2);
    assert!(
        run.stderr.contains("hook log") && run.stderr.contains("outside the repository"),
        "{run}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "something was committed");
    assert!(repo.git(&["tag", "-l", "*-v1.1.0"]).is_empty());
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "a log was written outside");
}
