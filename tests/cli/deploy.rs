//! Deployments (SPEC §7): the promotion order, approvals and checks, the
//! three strategies' hooks with their variables, automatic rollback,
//! exit codes, `--dry-run`, the environment's rollback and status; values
//! that never reach a shell as text and secrets that never reach a record.

use crate::support::TestRepo;

/// Each hook appends its name and its `RELMAN_*` values to `hooks.log`.
pub(crate) const HOOKS: &str = r#"project:
  name: app
  hooks:
    deploy: 'echo "deploy $RELMAN_ENV $RELMAN_VERSION prev=$RELMAN_PREVIOUS_VERSION $RELMAN_STRATEGY $RELMAN_TRAFFIC slot=$RELMAN_SLOT" >> hooks.log'
    health: 'echo "health $RELMAN_VERSION $RELMAN_TRAFFIC slot=$RELMAN_SLOT" >> hooks.log; test ! -f fail-health'
    rollback: 'echo "rollback $RELMAN_VERSION prev=$RELMAN_PREVIOUS_VERSION reason=$RELMAN_REASON" >> hooks.log'
    switch: 'echo "switch $RELMAN_VERSION slot=$RELMAN_SLOT" >> hooks.log'
"#;

pub(crate) const POLICY: &str = "environments:
  order: [dev, staging, production]
  dev: { checks: ['test ! -f not-ready'] }
  staging: { approvals: [qa_lead] }
  production:
    strategy: canary
    canary: { steps: [5, 25, 100], interval: 0s }
    health: { retries: 1, interval: 0 }
";

/// A project released as 1.0.0 and 1.1.0, with hooks and environments.
pub(crate) fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("relman.yaml", HOOKS)
        .write("config/upgrade-policies.yaml", POLICY)
        .write(".gitignore", "hooks.log\nfail-health\nnot-ready\n.relman/logs/\n")
        .write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/lib.rs", "feat: more");
    repo.tag("v1.1.0");
    repo
}

fn log(repo: &TestRepo) -> String {
    let text = if repo.exists("hooks.log") { repo.read("hooks.log") } else { String::new() };
    repo.write("hooks.log", "");
    text
}

fn ledger(repo: &TestRepo, env: &str) -> String {
    repo.read(&format!(".relman/state/environments/{env}.yaml"))
}

#[test]
fn production_before_staging_is_refused_naming_the_rule_and_nothing_is_recorded() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    log(&repo);
    let before = repo.snapshot();
    let run = repo.relman(&["deploy", "1.0.0", "production"]).code(1);
    assert!(run.stderr.contains("not deployed to `staging` yet"), "{run}");
    assert!(run.stderr.contains("promoted in order (dev → staging → production)"), "{run}");
    repo.assert_unchanged(&before);
}

#[test]
fn a_critical_hotfix_skips_the_order_and_says_so() {
    let repo = project();
    repo.git(&["tag", "-a", "v1.1.1", "-m", "v1.1.1\n\nUrgency: critical\n"]);
    let run = repo.relman(&["deploy", "1.1.1", "production"]).success();
    assert!(run.stderr.contains("is a critical hotfix: it skips the promotion order"), "{run}");
    assert!(ledger(&repo, "production").contains("version: \"1.1.1\""));
}

#[test]
fn approvals_are_enforced_and_counted_only_with_their_audit_record() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    let before = repo.snapshot();
    let run = repo.relman(&["deploy", "1.0.0", "staging", "--yes"]).code(1);
    assert!(run.stderr.contains("needs the approval of: qa_lead"), "{run}");
    repo.assert_unchanged(&before);
    // Without a terminal and without --yes, the confirmation is refused.
    let run = repo.relman(&["deploy", "1.0.0", "staging", "--approved-by", "qa_lead=Q"]).code(3);
    assert!(run.stderr.contains("needs a confirmation"), "{run}");
    // A role the environment does not ask for is bad input; so is a note.
    repo.relman(&["approve", "--env", "staging", "--version", "1.0.0", "--role", "cto"]).code(2);
    let noted =
        ["approve", "--env", "staging", "--version", "1.0.0", "--role", "qa_lead", "--note", "ok"];
    repo.relman(&noted).code(2);
    repo.relman(&["approve", "--env", "staging", "--version", "9.9.9", "--role", "qa_lead"])
        .code(3);
    // An approval written into the ledger by hand, without its audit record, does not count.
    let forged = "# x\nenvironment: staging\ncount: 0\nsealed: 0\nlive: {}\napprovals:\n- { service: app, version: \"1.0.0\", role: qa_lead, by: Mallory, at: \"2026-11-22T10:00:00+00:00\" }\nhistory: []\n";
    repo.write(".relman/state/environments/staging.yaml", forged);
    repo.commit("chore: forge an approval");
    repo.relman(&["deploy", "1.0.0", "staging", "--yes"]).code(1);
    repo.git(&["rm", "-q", ".relman/state/environments/staging.yaml"]);
    repo.commit("chore: drop it");
    let run = repo
        .relman(&[
            "approve",
            "--env",
            "staging",
            "--version",
            "1.0.0",
            "--role",
            "qa_lead",
            "--by",
            "Quinn",
        ])
        .success();
    assert!(run.stdout.contains("qa_lead"), "{run}");
    let audit = repo.read("analysis/reports/audit.log");
    assert!(audit.contains(r#""action":"deploy_approval","env":"staging""#), "{audit}");
    repo.relman(&["deploy", "1.0.0", "staging", "--yes"]).success();
    let staging = ledger(&repo, "staging");
    assert!(staging.contains("by: Quinn"), "{staging}");
    assert!(repo.git(&["log", "-1", "--format=%s"]).contains("deploy app 1.0.0 to staging"));
}

#[test]
fn a_failing_check_refuses_with_exit_1_and_records_nothing() {
    let repo = project();
    repo.write("not-ready", "");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(1);
    assert!(run.stderr.contains("the check of `dev` failed"), "{run}");
    assert_eq!(log(&repo), "", "no deploy hook ran");
    assert!(!repo.exists(".relman/state/environments/dev.yaml"));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    std::fs::remove_file(repo.root.join("not-ready")).unwrap();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
}

#[test]
fn rolling_runs_deploy_then_health_with_the_environment() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    assert_eq!(log(&repo), "deploy dev 1.0.0 prev= rolling 100 slot=\nhealth 1.0.0 100 slot=\n");
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    assert_eq!(
        log(&repo),
        "deploy dev 1.1.0 prev=1.0.0 rolling 100 slot=\nhealth 1.1.0 100 slot=\n"
    );
    let dev = ledger(&repo, "dev");
    assert!(
        dev.contains("live:\n  app:\n    version: \"1.1.0\"\n    previous: \"1.0.0\""),
        "{dev}"
    );
}

#[test]
fn canary_steps_run_in_order_with_the_initial_traffic() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.0.0", "staging", "--approved-by", "qa_lead=Q", "--yes"]).success();
    log(&repo);
    repo.relman(&["deploy", "1.0.0", "production", "--initial-traffic", "10"]).success();
    assert_eq!(
        log(&repo),
        "deploy production 1.0.0 prev= canary 10 slot=\nhealth 1.0.0 10 slot=\n\
         deploy production 1.0.0 prev= canary 25 slot=\nhealth 1.0.0 25 slot=\n\
         deploy production 1.0.0 prev= canary 100 slot=\nhealth 1.0.0 100 slot=\n"
    );
    repo.relman(&["deploy", "1.0.0", "dev", "--initial-traffic", "10"]).code(2);
}

#[test]
fn blue_green_alternates_slots_and_switches() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev", "--strategy", "blue-green"]).success();
    assert_eq!(
        log(&repo),
        "deploy dev 1.0.0 prev= blue-green 0 slot=blue\nhealth 1.0.0 0 slot=blue\nswitch 1.0.0 slot=blue\n"
    );
    repo.relman(&["deploy", "1.1.0", "dev", "--strategy", "blue-green"]).success();
    assert_eq!(
        log(&repo),
        "deploy dev 1.1.0 prev=1.0.0 blue-green 0 slot=green\nhealth 1.1.0 0 slot=green\nswitch 1.1.0 slot=green\n"
    );
    // Rolling back switches back to the other slot.
    repo.relman(&["rollback", "--env", "dev", "--reason", "slow", "--yes"]).success();
    assert_eq!(log(&repo), "switch 1.0.0 slot=blue\nhealth 1.0.0 100 slot=blue\n");
    let dev = ledger(&repo, "dev");
    assert!(dev.contains("version: \"1.0.0\"\n    previous: \"1.1.0\""), "{dev}");
    assert!(dev.contains("slot: blue"), "{dev}");
}

#[test]
fn a_failing_health_check_is_rolled_back_automatically_and_both_are_recorded() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    log(&repo);
    repo.write("fail-health", "");
    let run = repo.relman(&["deploy", "1.1.0", "dev", "--format", "json"]).code(4);
    let json = run.json();
    assert_eq!(json["result"], "rolled_back", "{run}");
    assert_eq!(json["rolled_back_to"], "1.0.0");
    assert_eq!(
        log(&repo),
        "deploy dev 1.1.0 prev=1.0.0 rolling 100 slot=\nhealth 1.1.0 100 slot=\n\
         rollback 1.1.0 prev=1.0.0 reason=automatic: `health` failed\n"
    );
    let dev = ledger(&repo, "dev");
    assert!(dev.contains("live:\n  app:\n    version: \"1.0.0\""), "{dev}");
    assert!(dev.contains("result: rolled_back"), "{dev}");
    assert!(dev.contains("kind: rollback"), "{dev}");
    let audit = repo.read("analysis/reports/audit.log");
    assert!(audit.contains(r#""action":"deploy","env":"dev","service":"app","version":"1.1.0""#));
    assert!(audit.contains(
        r#""action":"deploy_rollback","env":"dev","service":"app","from":"1.1.0","to":"1.0.0""#
    ));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn without_auto_rollback_a_failing_health_check_is_recorded_as_failed() {
    let repo = project();
    repo.write(
        "config/upgrade-policies.yaml",
        "environments:\n  order: [dev]\n  defaults: { auto_rollback: false }\n",
    );
    repo.commit("chore: no auto rollback");
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.write("fail-health", "");
    log(&repo);
    repo.relman(&["deploy", "1.1.0", "dev"]).code(4);
    assert!(!log(&repo).contains("rollback"));
    assert!(ledger(&repo, "dev").contains("result: failed"));
}

#[test]
fn exit_codes_follow_the_contract() {
    let repo = project();
    let run = repo.relman(&["deploy", "1.0.0", "prodution"]).code(2);
    assert!(run.stderr.contains("production"), "suggests the closest: {run}");
    repo.relman(&["deploy", "9.9.9", "dev"]).code(3);
    repo.relman(&["deploy", "1.0.0", "dev", "--strategy", "canry"]).code(2);
    repo.write("relman.yaml", "project:\n  name: app\n  hooks:\n    deploy: 'exit 7'\n");
    repo.commit("chore: a failing deploy hook");
    repo.relman(&["deploy", "1.0.0", "dev"]).code(4);
    repo.write("relman.yaml", "project:\n  name: app\n");
    repo.commit("chore: no hooks");
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(2);
    assert!(run.stderr.contains("no `deploy` hook"), "{run}");
}

#[test]
fn unknown_policy_keys_are_refused_with_a_suggestion() {
    let repo = project();
    repo.write(
        "config/upgrade-policies.yaml",
        "environments:\n  order: [dev, production]\n  production: { aproovals: [x] }\n",
    );
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(2);
    assert!(run.stderr.contains("approvals"), "{run}");
    repo.write(
        "config/upgrade-policies.yaml",
        "environments:\n  order: [dev, production]\n  prodution: {}\n",
    );
    let run = repo.relman(&["deploy", "1.0.0", "dev"]).code(2);
    assert!(run.stderr.contains("production"), "{run}");
}

#[test]
fn dry_runs_change_nothing() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    log(&repo);
    let before = repo.snapshot();
    let run = repo.relman(&["deploy", "1.1.0", "dev", "--dry-run", "--format", "json"]).success();
    let json = run.json();
    assert_eq!(json["schema"], "relman.deploy/1");
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["steps"][0]["hook"], "deploy");
    repo.relman(&[
        "approve",
        "--env",
        "staging",
        "--version",
        "1.0.0",
        "--role",
        "qa_lead",
        "--dry-run",
    ])
    .success();
    repo.relman(&["rollback", "--env", "dev", "--to", "1.0.0", "--reason", "x", "--dry-run"])
        .success();
    repo.relman(&["deploy", "1.1.0", "dev", "--dry-run"]).success();
    repo.assert_unchanged(&before);
}

#[test]
fn status_lists_environments_and_one_environment_history() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    let run = repo.relman(&["status", "--format", "json"]).success();
    let envs = &run.json()["environments"];
    assert_eq!(envs[0]["name"], "dev", "{run}");
    assert_eq!(envs[0]["live"][0]["version"], "1.1.0", "{run}");
    let run = repo.relman(&["status"]).success();
    assert!(run.stdout.contains("dev"), "{run}");
    let run = repo.relman(&["status", "--env", "dev", "--format", "json"]).success();
    let json = run.json();
    assert_eq!(json["schema"], "relman.status.env/1");
    assert_eq!(json["history"].as_array().unwrap().len(), 2, "{run}");
    let run = repo.relman(&["status", "--env", "dev"]).success();
    assert!(run.stdout.contains("1.1.0"), "{run}");
}

#[test]
fn values_never_reach_a_shell_as_text() {
    let repo = project();
    let evil = "$(touch pwned) `touch pwned2`; touch pwned3\nx";
    repo.relman(&["deploy", "1.0.0", "$(touch pwned)"]).code(2);
    repo.relman(&["deploy", "1.0.0;touch pwned", "dev"]).code(2);
    repo.relman(&["approve", "--env", "staging", "--version", "1.0.0", "--role", evil]).code(2);
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    log(&repo);
    repo.relman(&["rollback", "--env", "dev", "--reason", evil, "--yes"]).success();
    assert_eq!(
        log(&repo),
        format!("rollback 1.1.0 prev=1.0.0 reason={evil}\nhealth 1.0.0 100 slot=\n")
    );
    for f in ["pwned", "pwned2", "pwned3"] {
        assert!(!repo.exists(f), "{f} was made");
    }
}

#[test]
fn secrets_never_reach_the_ledger_the_audit_trail_or_logs() {
    let repo = project();
    repo.write(
        "relman.yaml",
        "project:\n  name: app\n  hooks:\n    deploy: 'echo deploying with $DEPLOY_TOKEN'\n    rollback: 'echo $DB_PASSWORD'\n",
    );
    repo.commit("chore: hooks that print secrets");
    let vars = [("DEPLOY_TOKEN", "tok-9f8e7d6c"), ("DB_PASSWORD", "pw-1a2b3c4d")];
    repo.relman_env(&["deploy", "1.0.0", "dev"], &vars).success();
    repo.relman_env(&["deploy", "1.1.0", "dev"], &vars).success();
    repo.relman_env(
        &[
            "approve",
            "--env",
            "staging",
            "--version",
            "1.0.0",
            "--role",
            "qa_lead",
            "--by",
            "tok-9f8e7d6c",
        ],
        &vars,
    )
    .success();
    repo.relman_env(&["rollback", "--env", "dev", "--reason", "leak pw-1a2b3c4d", "--yes"], &vars)
        .success();
    let mut seen = String::new();
    for f in [
        ".relman/state/environments/dev.yaml",
        ".relman/state/environments/staging.yaml",
        "analysis/reports/audit.log",
        ".relman/logs/_env-dev/app-deploy.log",
        ".relman/logs/_env-dev/app-rollback.log",
    ] {
        seen.push_str(&repo.read(f));
    }
    assert!(seen.contains("deploying with"), "{seen}");
    assert!(!seen.contains("tok-9f8e7d6c") && !seen.contains("pw-1a2b3c4d"), "{seen}");
}

#[test]
fn the_ledger_seals_its_history_so_a_deployment_writes_the_same_amount() {
    let repo = project();
    repo.write("relman.yaml", "project:\n  name: app\n  hooks:\n    deploy: [\"true\"]\n");
    repo.commit("chore: a no-op deploy hook");
    let mut sizes = Vec::new();
    for i in 0..66 {
        let version = if i % 2 == 0 { "1.0.0" } else { "1.1.0" };
        repo.relman(&["deploy", version, "dev"]).success();
        sizes.push(ledger(&repo, "dev").len());
    }
    assert!(repo.exists(".relman/state/environments/dev.000001.yaml"));
    assert!(!repo.exists(".relman/state/environments/dev.000002.yaml"));
    // The file rewritten by the 66th deployment is no bigger than by the 64th.
    assert!(sizes[65] < sizes[63], "{sizes:?}");
    let dev = ledger(&repo, "dev");
    assert!(dev.contains("count: 66\nsealed: 1\n"), "{dev}");
    let run = repo.relman(&["status", "--env", "dev", "--format", "json"]).success();
    let history = run.json()["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 66);
    assert!(history.iter().enumerate().all(|(i, e)| e["n"] == i as u64 + 1));
    repo.relman(&["audit", "verify"]).success();
    // A sealed segment that goes missing is named.
    repo.git(&["rm", "-q", ".relman/state/environments/dev.000001.yaml"]);
    repo.commit("chore: lose a segment");
    let run = repo.relman(&["status", "--env", "dev"]).code(3);
    assert!(run.stderr.contains("segment 1 of the ledger of `dev` is missing"), "{run}");
}

/// The ledger, edited by hand and committed between two commands, is
/// checked where it is read: a `count` that is not the last entry's
/// number, a renumbered entry and a live value that is not a version are
/// each refused at their line and column (exit 2), before any hook runs.
#[test]
fn a_ledger_edited_by_hand_is_refused_at_the_key_before_any_hook() {
    let repo = project();
    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    let file = ".relman/state/environments/dev.yaml";
    let good = ledger(&repo, "dev");
    let line_of = |needle: &str| {
        good.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {good}"))
            + 1
    };
    let edits = [
        ("count: 2", "count: 1", "holds 2 entries", line_of("count: 2")),
        ("\"n\": 2", "\"n\": 7", "numbered 7, not 2", line_of("\"n\": 2")),
        (
            "version: \"1.1.0\"",
            "version: \"1.10\"",
            "`1.10` is not a version",
            line_of("version: \"1.1.0\""),
        ),
    ];
    for (from, to, said, line) in edits {
        assert!(good.contains(from), "{from} not in {good}");
        repo.write(file, &good.replacen(from, to, 1));
        repo.commit("chore: tidy the ledger");
        log(&repo);
        for args in [&["rollback", "--env", "dev", "--reason", "r", "--yes"][..], &["status"]] {
            let run = repo.relman(args).code(2);
            assert!(run.stderr.contains(&format!("{file}:{line}:")), "{from}: {run}");
            assert!(run.stderr.contains(said), "{from}: {run}");
        }
        assert_eq!(log(&repo), "", "a hook ran on a hand-edited ledger");
        repo.write(file, &good);
        repo.commit("chore: put it back");
    }
    repo.relman(&["status"]).success();
}
