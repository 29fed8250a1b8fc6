//! Trains trusted with production (issue 18): no release the gates did
//! not pass, no step on a state or plan edited by hand, no finished hook
//! run twice.

use crate::lifecycle::{TRAINS, hook_log, hooks_run, platform, relman, script, staged};
use crate::support::TestRepo;

/// The tags of `service`, one a line.
fn tags(repo: &TestRepo, service: &str) -> String {
    repo.git(&["tag", "-l", &format!("{service}-v*")])
}

/// `relman train run t` with `RELMAN_FAILPOINT` set to `point`, killed
/// with SIGKILL when it gets there.
fn run_killed_at(repo: &TestRepo, point: &str) {
    let mut command = repo.relman_command(&["train", "run", "t"]);
    command.env("HOOK_LOG", hook_log(repo));
    let hit = crate::crash::kill_when_stopped(command, point);
    assert!(hit.is_some(), "the run never reached `{point}`");
}

/// Item 1: a commit under a participant's path after staging (here a
/// breaking change the gates never saw) is refused, naming the path.
#[test]
fn code_changed_after_staging_is_not_released() {
    let repo = staged();
    repo.change("services/web/src.txt", "feat(web)!: drop the old API");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("`services/web` changed since the train was staged")
            && run.stderr.contains("feat(web)!: drop the old API")
            && run.stderr.contains(".relman/state/t/plan.yaml"),
        "{run}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "nothing committed");
    for service in ["api", "web", "worker"] {
        assert_eq!(tags(&repo, service), format!("{service}-v1.0.0"), "{run}");
    }
}

/// Item 1: metrics a gate reads, changed after staging, are an input.
#[test]
fn metrics_changed_after_staging_are_refused() {
    let repo = staged();
    repo.write("catalog/metrics/web.yaml", "critical_vulns: 4\n");
    repo.commit("ci: web's scan");
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("`catalog/metrics/web.yaml` changed since the train was staged"),
        "{run}"
    );
    assert_eq!(tags(&repo, "api"), "api-v1.0.0", "{run}");
}

/// Item 2: killed inside the first participant's release, then an input
/// changed: the resume compares the inputs again and refuses.
#[test]
fn a_resume_compares_the_inputs_again() {
    let repo = staged();
    run_killed_at(&repo, "before a hook");
    assert_eq!(tags(&repo, "api"), "api-v1.0.0\napi-v1.1.0");
    let services = std::fs::read_to_string(repo.root.join("catalog/services.yaml")).unwrap();
    repo.write("catalog/services.yaml", &services.replace("depends_on: [web]", "depends_on: []"));
    repo.commit("chore: worker on its own");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "run", "t", "--resume"]).code(3);
    assert!(
        run.stderr.contains("`catalog/services.yaml` changed since the train was staged"),
        "{run}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(tags(&repo, "web"), "web-v1.0.0");
}

/// Item 3: the branch rule of `create` holds for a train.
#[test]
fn a_train_is_not_released_from_a_branch_create_refuses() {
    let repo = staged();
    repo.git(&["checkout", "-q", "-b", "feature/wip"]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(run.stderr.contains("branch `feature/wip` is not allowed to release"), "{run}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(tags(&repo, "api"), "api-v1.0.0");
}

/// Item 4: a saved plan edited by hand (a service that is not a
/// participant added, at a version of its own) is refused, naming where.
#[test]
fn a_hand_edited_saved_plan_releases_nothing() {
    let repo = platform();
    repo.write(
        "catalog/release-trains.yaml",
        &TRAINS.replace("participants: &all [api, web, worker]", "participants: &all [api, web]"),
    );
    repo.commit("chore: worker sits this one out");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    let plan = repo.root.with_file_name("plan.json");
    relman(&repo, &["train", "plan", "t", "--out", plan.to_str().unwrap()]).success();
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let mut extra = saved["sequence"][1].clone();
    extra["service"] = "worker".into();
    extra["to"] = "9.0.0".into();
    extra["tag"] = "worker-v9.0.0".into();
    saved["sequence"].as_array_mut().unwrap().push(extra);
    std::fs::write(&plan, serde_json::to_string_pretty(&saved).unwrap()).unwrap();
    let before = repo.snapshot();
    let run = relman(&repo, &["train", "run", "t", "--plan", plan.to_str().unwrap()]).code(3);
    assert!(run.stderr.contains("`sequence[2]`") && run.stderr.contains("differs"), "{run}");
    repo.assert_unchanged(&before);
    assert_eq!(tags(&repo, "worker"), "worker-v1.0.0");

    // Staged, then the recorded plan edited by hand: refused by its digest.
    relman(&repo, &["train", "advance", "t"]).success();
    let file = ".relman/state/t/plan.yaml";
    let text = repo.read(file);
    repo.write(file, &text.replace("to: \"1.1.0\"", "to: \"7.0.0\""));
    repo.commit("chore: a faster plan");
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("not the one recorded at staging") && run.stderr.contains(file),
        "{run}"
    );
    assert_eq!(tags(&repo, "api"), "api-v1.0.0");
}

/// Item 5: an approval typed into the state file counts for nothing.
#[test]
fn an_approval_written_by_hand_is_refused() {
    let repo = platform();
    relman(&repo, &["train", "start", "t"]).code(1);
    let file = ".relman/state/t/train.yaml";
    let text = repo.read(file);
    repo.write(
        file,
        &format!(
            "{text}approvals:\n- role: qa\n  by: Mallory <m@x>\n  at: 2026-11-22T10:00:00+00:00\n"
        ),
    );
    repo.commit("chore: approved");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "advance", "t"]).code(3);
    assert!(
        run.stderr.contains("approval of `qa` by Mallory <m@x>")
            && run.stderr.contains("no record in the audit trail")
            && run.stderr.contains(file),
        "{run}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    let validate = relman(&repo, &["train", "validate", "t"]).code(3);
    assert!(validate.stderr.contains("no record in the audit trail"), "{validate}");
}

/// Item 6: executing without a recorded plan, or `status: executing`
/// typed into the trains file, never "completes" with nothing released.
#[test]
fn a_state_without_its_plan_or_a_status_set_by_hand_is_refused() {
    let repo = staged();
    relman(&repo, &["train", "advance", "t"]).success();
    repo.git(&["rm", "-q", ".relman/state/t/plan.yaml"]);
    repo.commit("chore: tidy");
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("records no `plan`")
            && run.stderr.contains(".relman/state/t/plan.yaml"),
        "{run}"
    );

    let repo = platform();
    let trains = TRAINS.replace("status: planning   # relman", "status: executing   # relman");
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: go");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains("has no state: a train without one is planning")
            && run.stderr.contains(".relman/state/t/train.yaml"),
        "{run}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
}

/// Item 8: a release hook that finished is not run again, whether the
/// run was killed right after it or stopped when the next participant's
/// release was refused; a hook killed mid-run is reported and run again.
#[test]
fn a_finished_hook_is_never_run_again() {
    let repo = staged();
    run_killed_at(&repo, "after a hook");
    let resumed = relman(&repo, &["train", "run", "t", "--resume"]).success();
    assert!(resumed.stderr.contains("api: its `release` hook passed at"), "{resumed}");
    let api_releases = hooks_run(&repo).iter().filter(|l| l.starts_with("release api ")).count();
    assert_eq!(api_releases, 1, "{:?}", hooks_run(&repo));

    // The next participant's release refused: its tag exists already.
    let repo = staged();
    repo.git(&["tag", "-a", "-m", "squatter", "web-v1.1.0"]);
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(run.stderr.contains("`web` is at 1.1.0 now"), "{run}");
    repo.git(&["tag", "-d", "web-v1.1.0"]);
    relman(&repo, &["train", "run", "t", "--resume"]).success();
    let runs = hooks_run(&repo);
    assert_eq!(runs.iter().filter(|l| l.starts_with("release api ")).count(), 1, "{runs:?}");
    assert_eq!(runs.iter().filter(|l| l.starts_with("health api ")).count(), 2, "{runs:?}");

    // Killed inside the hook: reported as interrupted, then run again.
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    let started = format!("{log}.started");
    script(
        &format!("{log}.release-web.sh"),
        &format!("if [ ! -e '{started}' ]; then touch '{started}'; sleep 30; fi"),
    );
    let mut child = crate::lifecycle::run_until(&repo, &started, "the hook never started");
    child.kill().unwrap();
    child.wait().unwrap();
    let resumed = relman(&repo, &["train", "run", "t", "--resume"]).success();
    assert!(
        resumed.stderr.contains("web: its `release` hook was interrupted mid-run"),
        "{resumed}"
    );
}

/// Item 19: with `--jobs`, a failing hook in a wave does not lose the
/// results of the hooks that passed beside it.
#[test]
fn jobs_record_every_hook_of_a_wave_when_one_fails() {
    let repo = platform();
    let services = crate::lifecycle::services()
        .replace("depends_on: [api]", "depends_on: []")
        .replace("depends_on: [web]", "depends_on: []");
    repo.write("catalog/services.yaml", &services);
    repo.commit("chore: independent services");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    std::fs::write(format!("{}.fail-release-web", hook_log(&repo).display()), "").unwrap();
    relman(&repo, &["train", "run", "t", "--jobs", "3"]).code(4);
    for service in ["api", "worker"] {
        let file = repo.read(&format!(".relman/state/t/{service}.yaml"));
        assert_eq!(file.matches("result: passed").count(), 2, "{service}: {file}");
        assert!(file.contains("phase: released"), "{service}: {file}");
    }
    let web = repo.read(".relman/state/t/web.yaml");
    assert!(web.contains("result: failed") && web.contains("phase: failed"), "{web}");
}

/// A train whose verifying health check fails for `web` only (its health
/// hook fails the second time it runs, in verifying), so verifying rolls
/// it back automatically.
fn unhealthy_after_release() -> TestRepo {
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    script(
        &format!("{log}.health-web.sh"),
        &format!(
            "n=$(cat '{log}.web-seen' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '{log}.web-seen'\n\
             if [ $n -eq 2 ]; then touch '{log}.fail-health-web'; else rm -f '{log}.fail-health-web'; fi"
        ),
    );
    repo
}

/// The rollbacks recorded in the train's state, by service.
fn rolled_back(repo: &TestRepo) -> Vec<String> {
    let state = repo.read(".relman/state/t/train.yaml");
    state.lines().filter_map(|l| l.strip_prefix("- service: ")).map(str::to_owned).collect()
}

/// Item 7: SIGTERM during the first rollback hook of verifying's
/// automatic rollback (a CI cancel), then `--resume`: the rollback goes
/// on and the train ends rolled back, never completed.
#[test]
fn an_interrupted_automatic_rollback_is_resumed() {
    let repo = unhealthy_after_release();
    let log = hook_log(&repo).display().to_string();
    let started = format!("{log}.rollback-started");
    script(
        &format!("{log}.rollback-worker.sh"),
        &format!("if [ ! -e '{started}' ]; then touch '{started}'; sleep 30; fi"),
    );
    let mut child = crate::lifecycle::run_until(&repo, &started, "the rollback never started");
    let pid = child.id().to_string();
    std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "relman ends as SIGTERM asks");
    assert!(repo.read(".relman/state/t/train.yaml").contains("rolling_back:"));
    let run = relman(&repo, &["train", "run", "t", "--resume", "--format", "json"]).code(4);
    assert_eq!(run.json()["status"], "rolled_back", "{run}");
    assert_eq!(rolled_back(&repo), ["worker", "web", "api"]);
    assert!(!repo.read(".relman/state/t/train.yaml").contains("rolling_back:"));
    repo.relman(&["audit", "verify"]).success();
}

/// Item 7: killed after the first participant's rollback commit, the
/// resume rolls back the others, each once.
#[test]
fn a_rollback_killed_between_two_services_finishes_the_rest() {
    let repo = unhealthy_after_release();
    let log = hook_log(&repo).display().to_string();
    let killed = format!("{log}.killed");
    // web's rollback hook kills relman (the parent of the hook's shell).
    script(
        &format!("{log}.rollback-web.sh"),
        &format!(
            "if [ ! -e '{killed}' ]; then touch '{killed}'; kill -KILL $(awk '{{print $4}}' /proc/$PPID/stat); sleep 5; fi"
        ),
    );
    relman(&repo, &["train", "run", "t"]);
    assert_eq!(rolled_back(&repo), ["worker"]);
    let run = relman(&repo, &["train", "run", "t", "--resume", "--format", "json"]).code(4);
    assert_eq!(run.json()["status"], "rolled_back", "{run}");
    assert_eq!(rolled_back(&repo), ["worker", "web", "api"]);
    let runs = hooks_run(&repo);
    assert_eq!(runs.iter().filter(|l| l.starts_with("rollback worker ")).count(), 1, "{runs:?}");
    assert_eq!(runs.iter().filter(|l| l.starts_with("rollback api ")).count(), 1, "{runs:?}");
}

/// Item 11: a completed train whose rollback fails is failed, and the
/// same rollback run again finishes the rest.
#[test]
fn a_failed_rollback_leaves_no_train_completed() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    let fail = format!("{}.fail-rollback-web", hook_log(&repo).display());
    std::fs::write(&fail, "").unwrap();
    let args = ["rollback", "--train", "t", "--reason", "p95 doubled", "--yes"];
    relman(&repo, &args).code(4);
    assert!(repo.read(".relman/state/t/train.yaml").contains("\nstatus: failed\n"));
    assert!(repo.read("catalog/release-trains.yaml").contains("status: failed   # relman"));
    std::fs::remove_file(&fail).unwrap();
    relman(&repo, &args).success();
    assert!(repo.read(".relman/state/t/train.yaml").contains("\nstatus: rolled_back\n"));
    assert_eq!(rolled_back(&repo), ["worker", "web", "api"]);
    // Run again after it finished (a retried CI job): nothing left, exit 0.
    let before = repo.snapshot();
    let again = relman(&repo, &args).success();
    assert!(again.stderr.contains("is rolled back already"), "{again}");
    repo.assert_unchanged(&before);
}

/// Item 23: `train run --dry-run` shows the whole run — every transition,
/// each participant's from → to, tag and hooks — and changes nothing.
#[test]
fn a_dry_run_shows_the_whole_run() {
    let repo = platform();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    let before = repo.snapshot();
    let run = relman(&repo, &["train", "run", "t", "--dry-run", "--format", "json"]).success();
    repo.assert_unchanged(&before);
    let json = run.json();
    let moves: Vec<String> = json["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{}→{}", t["from"].as_str().unwrap(), t["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        moves,
        [
            "planning→validating",
            "validating→staging",
            "staging→executing",
            "executing→verifying",
            "verifying→completed"
        ]
    );
    assert_eq!(json["gates"]["passed"], true, "{run}");
    for (k, name) in ["api", "web", "worker"].iter().enumerate() {
        let p = &json["participants"][k];
        assert_eq!(p["service"], *name);
        assert_eq!((p["from"].as_str(), p["to"].as_str()), (Some("1.0.0"), Some("1.1.0")));
        assert_eq!(p["tag"], format!("{name}-v1.1.0"));
        assert_eq!(p["hooks"], serde_json::json!(["release", "health"]));
    }
    let human = relman(&repo, &["train", "run", "t", "--dry-run"]).success();
    assert!(human.stdout.contains("t would move verifying → completed"), "{human}");
    assert!(human.stdout.contains("tag web-v1.1.0  hooks: release, health"), "{human}");
    repo.assert_unchanged(&before);
}

/// Item 21: each record gets the time it happened: with the clock fixed
/// where the command starts, it still moves as the command runs.
#[test]
fn records_carry_the_time_they_happen() {
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    script(&format!("{log}.release-worker.sh"), "sleep 1.2");
    relman(&repo, &["train", "run", "t"]).success();
    let audit = repo.read("analysis/reports/audit.log");
    let times: Vec<String> = audit
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["train"] == "t" && v["action"] == "transition")
        .map(|v| v["time"].as_str().unwrap().to_owned())
        .collect();
    let (first, last) = (times.first().unwrap(), times.last().unwrap());
    assert!(last > first, "the run's last transition at {last}, its first at {first}");
}

/// Item 22: a release whose tag is missing on resume gets the notes it
/// was cut with, not a placeholder.
#[test]
fn a_tag_completed_on_resume_carries_the_release_notes() {
    let repo = staged();
    run_killed_at(&repo, "participant tagged");
    repo.git(&["tag", "-d", "api-v1.1.0"]);
    relman(&repo, &["train", "run", "t", "--resume"]).success();
    let message = repo.git(&["tag", "-l", "--format=%(contents)", "api-v1.1.0"]);
    assert!(message.starts_with("api-v1.1.0\n") && message.contains("more"), "{message}");
    assert!(!message.contains("completed on resume"), "{message}");
    let notes = repo.read(".relman/state/t/notes.md");
    assert!(!notes.contains("completed on resume"), "{notes}");
}

/// Item 9: `train pause` while `train run` holds the lock asks it to
/// pause between two participants; the train resumes where it paused.
#[test]
fn pause_during_a_run_stops_it_between_participants() {
    let repo = staged();
    let log = hook_log(&repo).display().to_string();
    let started = format!("{log}.api-started");
    script(&format!("{log}.release-api.sh"), &format!("touch '{started}'; sleep 1"));
    let child = crate::lifecycle::run_until(&repo, &started, "the hook never started");
    let pause = relman(&repo, &["train", "pause", "t"]).success();
    assert!(pause.stderr.contains("to pause train `t` once its current participant is done"));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let state = repo.read(".relman/state/t/train.yaml");
    assert!(state.contains("\nstatus: paused\npaused_from: executing\n"), "{state}");
    assert_eq!(tags(&repo, "web"), "web-v1.0.0", "web waits for the resume");
    relman(&repo, &["train", "resume", "t"]).success();
    relman(&repo, &["train", "run", "t"]).success();
    assert_eq!(tags(&repo, "worker"), "worker-v1.0.0\nworker-v1.1.0");
    let runs = hooks_run(&repo);
    assert_eq!(runs.iter().filter(|l| l.starts_with("release api ")).count(), 1, "{runs:?}");
}

/// A participant's file written by hand (`phase: healthy`, a tag that was
/// never made) is checked against the repository, never trusted alone.
#[test]
fn a_participant_recorded_released_by_hand_is_checked_against_its_tag() {
    let repo = staged();
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write(
        ".relman/state/t/web.yaml",
        &format!("service: web\nphase: healthy\ntag: web-v1.1.0\ncommit: {head}\n"),
    );
    repo.commit("chore: web is done");
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(
        run.stderr.contains(".relman/state/t/web.yaml")
            && run.stderr.contains("recorded as healthy but its tag `web-v1.1.0` does not exist"),
        "{run}"
    );
    assert_eq!(tags(&repo, "api"), "api-v1.0.0", "nothing released: {run}");
}

/// A service named like the train's own state files cannot join a train.
#[test]
fn a_participant_named_plan_is_refused_at_staging() {
    let repo = TestRepo::new();
    let services = crate::lifecycle::services()
        .replace("name: worker", "name: plan")
        .replace("services/worker", "services/plan");
    repo.write("catalog/services.yaml", &services)
        .write("catalog/release-trains.yaml", &TRAINS.replace("worker", "plan"))
        .write(".gitignore", ".relman/logs/\n");
    for name in ["api", "web", "plan"] {
        repo.write(&format!("services/{name}/VERSION"), "1.0.0\n");
    }
    repo.commit("chore: platform");
    for name in ["api", "web", "plan"] {
        repo.tag(&format!("{name}-v1.0.0"));
        repo.change(&format!("services/{name}/src.txt"), &format!("feat({name}): more"));
    }
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    let run = relman(&repo, &["train", "advance", "t"]).code(2);
    assert!(run.stderr.contains("a participant named `plan`"), "{run}");
    assert!(repo.read(".relman/state/t/train.yaml").contains("\nstatus: validating\n"));
}

/// Item 13 (SPEC 5): `rollback SERVICE` of a version a train released is
/// recorded in that train's state too, so the train's own rollback then
/// leaves that participant alone.
#[test]
fn a_service_rollback_is_recorded_in_its_trains_state() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    relman(&repo, &["rollback", "api", "--reason", "p95 doubled", "--yes"]).success();
    let state = repo.read(".relman/state/t/train.yaml");
    assert!(
        state.contains("rollbacks:\n- service: api\n  from: \"1.1.0\"\n  to: \"1.0.0\""),
        "{state}"
    );
    assert!(repo.read(".relman/state/t/api.yaml").contains("phase: rolled_back"));
    relman(&repo, &["rollback", "--train", "t", "--reason", "all of it", "--yes"]).success();
    let runs = hooks_run(&repo);
    assert_eq!(runs.iter().filter(|l| l.starts_with("rollback api ")).count(), 1, "{runs:?}");
    repo.relman(&["audit", "verify"]).success();
}
