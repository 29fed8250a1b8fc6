//! Change control (issue 21): a hotfix needs its urgency's approvals and
//! gates, a major release the `release_types.major` approvals, a train
//! that releases a major version those roles before staging (SPEC §2.1).

use serde_json::Value;

use crate::lifecycle;
use crate::support::{Run, TestRepo, source_path};

/// The reference catalog's policy: urgencies `critical` (approval
/// `on_call_engineer`, gates `no_open_critical_vulns` and
/// `all_services_healthy`) to `low`, majors approved by
/// `change_control_board`.
fn policy() -> String {
    std::fs::read_to_string(source_path("catalog/upgrade-policies.yaml")).unwrap()
}

/// One service, `curve`, released at 1.4.2 with a fix since, healthy and
/// with no open critical vulnerability, under the reference policy.
fn service() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n    tag: \"curve-v{version}\"\n    version_files: [services/curve/Cargo.toml]\n",
    )
    .write("catalog/upgrade-policies.yaml", &policy())
    .write("catalog/metrics/curve.yaml", "critical_vulns: 0\nhealthy: true\n")
    .write("services/curve/Cargo.toml", "[package]\nname = \"curve\"\nversion = \"1.4.2\"\n");
    repo.commit("chore: start");
    repo.tag("curve-v1.4.2");
    repo.change("services/curve/src/a.rs", "fix(curve): rounding");
    repo
}

/// Exits `code` having written nothing (the repository byte for byte, `.git`
/// included); returns the run.
#[track_caller]
fn refused(repo: &TestRepo, args: &[&str], code: i32) -> Run {
    let before = repo.snapshot();
    let run = repo.relman(args).code(code);
    repo.assert_unchanged(&before);
    assert!(!run.stderr.contains("panicked"), "{run}");
    run
}

/// The newest audit record.
fn last_audit(repo: &TestRepo) -> Value {
    let log = repo.read("analysis/reports/audit.log");
    serde_json::from_str(log.lines().last().unwrap()).unwrap()
}

fn tag_notes(repo: &TestRepo, tag: &str) -> String {
    repo.git(&["tag", "-l", "--format=%(contents)", tag])
}

#[test]
fn a_hotfix_needs_its_urgencys_approvals() {
    let repo = service();
    let hotfix = ["create", "hotfix", "curve"];
    // No urgency, when the policy has urgencies: exit 2 naming them.
    let run = refused(&repo, &hotfix, 2);
    assert!(run.stderr.contains("a hotfix needs `--urgency`"), "{run}");
    assert!(run.stderr.contains("critical, high, medium, low"), "{run}");

    // Each missing role named, exit 1, nothing written.
    let high = [&hotfix[..], &["--urgency", "high"]].concat();
    let run = refused(&repo, &high, 1);
    assert!(run.stderr.contains("missing approval from `team_lead`"), "{run}");
    assert!(run.stderr.contains("missing approval from `platform_owner`"), "{run}");
    assert!(run.stderr.contains("a hotfix of urgency high needs it"), "{run}");
    let one = [&high[..], &["--approved-by", "team_lead=Tess Lead"]].concat();
    let run = refused(&repo, &one, 1);
    assert!(!run.stderr.contains("`team_lead`"), "{run}");
    assert!(run.stderr.contains("missing approval from `platform_owner`"), "{run}");
    // A dry run previews, then says why the real run would refuse.
    let run = refused(&repo, &[&one[..], &["--dry-run"]].concat(), 1);
    assert!(run.stdout.contains("approved by Tess Lead as team_lead"), "{run}");
    assert!(run.stderr.contains("would refuse: missing approval from `platform_owner`"), "{run}");

    // A role the policy does not ask for: exit 2 naming the roles it asks for.
    let run = refused(&repo, &[&one[..], &["--approved-by", "cto=Big Boss"]].concat(), 2);
    assert!(run.stderr.contains("does not ask for the role `cto`"), "{run}");
    assert!(run.stderr.contains("this release asks for: team_lead, platform_owner"), "{run}");
    let run = refused(&repo, &[&high[..], &["--approved-by", "team_lead"]].concat(), 2);
    assert!(run.stderr.contains("is not ROLE=WHO"), "{run}");
    // --urgency is a hotfix's.
    let run = refused(&repo, &["create", "patch", "curve", "--urgency", "low"], 2);
    assert!(run.stderr.contains("`--urgency` is the urgency of a hotfix"), "{run}");

    // Given: released, the approvals and the urgency in the audit line and
    // the tag's notes.
    let all =
        [&one[..], &["--approved-by", "platform_owner=Pat Owner", "--format", "json"]].concat();
    let json = repo.relman(&all).success().json();
    assert_eq!((json["version"].as_str(), json["urgency"].as_str()), (Some("1.4.3"), Some("high")));
    assert_eq!(json["approvals"][1]["role"], "platform_owner");
    assert!(json.get("gates").is_none(), "high has no gates: {json}");
    let record = last_audit(&repo);
    assert_eq!(record["action"], "release");
    assert!(record.get("gates").is_none(), "no gate, no verdict: {record}");
    assert_eq!(record["urgency"], "high");
    let approvals = record["approvals"].as_array().unwrap();
    assert_eq!(approvals.len(), 2, "{record}");
    assert_eq!(
        (approvals[0]["role"].as_str(), approvals[0]["by"].as_str()),
        (Some("team_lead"), Some("Tess Lead"))
    );
    assert_eq!(approvals[1]["by"], "Pat Owner");
    assert_eq!(approvals[1]["at"], record["time"], "when: the release's time");
    let notes = tag_notes(&repo, "curve-v1.4.3");
    assert!(notes.contains("Urgency: high"), "{notes}");
    assert!(notes.contains("### Approved by\n\n- team_lead: Tess Lead ("), "{notes}");
    assert!(notes.contains("- platform_owner: Pat Owner ("), "{notes}");

    // `relman audit` shows who approved what; `--train` still filters.
    let audit = repo.relman(&["audit"]).success();
    assert!(audit.stdout.contains("(urgency high)"), "{audit}");
    assert!(audit.stdout.contains("approved as team_lead by Tess Lead at "), "{audit}");
    assert!(audit.stdout.contains("approved as platform_owner by Pat Owner at "), "{audit}");
    let none = repo.relman(&["audit", "--train", "nope"]).success();
    assert!(none.stdout.contains("no entries"), "{none}");
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn a_critical_hotfix_is_gated_on_the_services_metrics() {
    let repo = service();
    repo.write("catalog/metrics/curve.yaml", "critical_vulns: 2\nhealthy: true\n");
    repo.commit("chore: metrics");
    let critical = [
        "create",
        "hotfix",
        "curve",
        "--urgency",
        "critical",
        "--approved-by",
        "on_call_engineer=Oscar",
    ];
    // The failing gate named with the value seen and the value required.
    let run = refused(&repo, &critical, 1);
    assert!(
        run.stderr.contains(
            "gate `no_open_critical_vulns` of urgency critical failed: curve: 2 (needs critical_vulns <= 0)"
        ),
        "{run}"
    );
    assert!(!run.stderr.contains("all_services_healthy"), "it passes: {run}");
    // Reported like `train validate`'s gates.
    let run = refused(&repo, &[&critical[..], &["--dry-run"]].concat(), 1);
    assert!(run.stdout.contains("FAIL  gate no_open_critical_vulns"), "{run}");
    assert!(run.stdout.contains("curve: 2 (needs critical_vulns <= 0)"), "{run}");
    assert!(run.stdout.contains("pass  gate all_services_healthy"), "{run}");
    // A missing metric is no data: it fails, never passes silently.
    repo.write("catalog/metrics/curve.yaml", "critical_vulns: 0\n");
    repo.commit("chore: metrics");
    let run = refused(&repo, &critical, 1);
    assert!(run.stderr.contains("curve: no data (needs healthy = true)"), "{run}");
    // Without the approval too: both named.
    let run = refused(&repo, &critical[..5], 1);
    assert!(run.stderr.contains("missing approval from `on_call_engineer`"), "{run}");
    assert!(run.stderr.contains("gate `all_services_healthy`"), "{run}");

    repo.write("catalog/metrics/curve.yaml", "critical_vulns: 0\nhealthy: true\n");
    repo.commit("chore: metrics");
    let run = repo.relman(&critical).success();
    assert!(run.stdout.contains("pass  gate no_open_critical_vulns"), "{run}");
    assert!(run.stdout.contains("pass  gate all_services_healthy"), "{run}");
    assert!(run.stdout.contains("urgency: critical"), "{run}");
    let record = last_audit(&repo);
    assert_eq!(record["urgency"], "critical");
    assert_eq!(record["approvals"][0]["by"], "Oscar");
    // The urgency's gate verdicts, in the release's audit line.
    assert_eq!(
        record["gates"],
        serde_json::json!([
            {"gate": "no_open_critical_vulns", "passed": true, "blocking": true},
            {"gate": "all_services_healthy", "passed": true, "blocking": true}
        ])
    );
    assert!(tag_notes(&repo, "curve-v1.4.3").contains("- on_call_engineer: Oscar ("));
}

#[test]
fn a_gate_the_policy_misspells_is_bad_input() {
    let repo = service();
    repo.write(
        "catalog/upgrade-policies.yaml",
        &policy().replace("gates: [no_open_critical_vulns,", "gates: [no_open_critical_vuln,"),
    );
    repo.commit("chore: typo");
    let args = [
        "create",
        "hotfix",
        "curve",
        "--urgency",
        "critical",
        "--approved-by",
        "on_call_engineer=O",
    ];
    let run = refused(&repo, &args, 2);
    assert!(run.stderr.contains("catalog/upgrade-policies.yaml"), "{run}");
    assert!(run.stderr.contains("unknown gate `no_open_critical_vuln`"), "{run}");
    assert!(run.stderr.contains("did you mean `no_open_critical_vulns`?"), "{run}");
    // An unknown key stays refused with a suggestion.
    repo.write("catalog/upgrade-policies.yaml", &policy().replace("  urgency:", "  urgencies:"));
    repo.commit("chore: typo");
    let run = refused(&repo, &args, 2);
    assert!(run.stderr.contains("catalog/upgrade-policies.yaml:"), "{run}");
    assert!(run.stderr.contains("urgency"), "{run}");
}

#[test]
fn a_major_release_needs_the_major_approvals() {
    let repo = service();
    for args in [
        &["create", "major", "curve"][..],
        &["create", "patch", "curve", "--version", "2.0.0"],
        &["create", "premajor", "curve", "--pre", "rc"],
    ] {
        let run = refused(&repo, args, 1);
        assert!(
            run.stderr.contains(
                "missing approval from `change_control_board`: a major release (1.4.2 → 2.0.0"
            ),
            "{args:?}: {run}"
        );
        assert!(run.stderr.contains("--approved-by change_control_board=WHO"), "{run}");
    }
    // `auto` that comes out major.
    repo.change("services/curve/src/b.rs", "feat(curve)!: new curve API");
    let run = refused(&repo, &["create", "auto", "curve"], 1);
    assert!(run.stderr.contains("missing approval from `change_control_board`"), "{run}");
    // A minor asks for none, and an approval it does not ask for is refused.
    let run =
        refused(&repo, &["create", "minor", "curve", "--approved-by", "change_control_board=B"], 2);
    assert!(run.stderr.contains("this release asks for no approval"), "{run}");

    let run = repo
        .relman(&["create", "auto", "curve", "--approved-by", "change_control_board=The Board"])
        .success();
    assert!(run.stdout.contains("approved by The Board as change_control_board"), "{run}");
    let record = last_audit(&repo);
    assert_eq!(record["version"], "2.0.0");
    assert_eq!(record["approvals"][0]["role"], "change_control_board");
    assert!(record.get("urgency").is_none(), "{record}");
    let notes = tag_notes(&repo, "curve-v2.0.0");
    assert!(notes.contains("### Approved by\n\n- change_control_board: The Board ("), "{notes}");
    assert!(!notes.contains("Urgency"), "{notes}");
    // A minor after it needs nothing.
    repo.change("services/curve/src/c.rs", "feat(curve): more");
    repo.relman(&["create", "minor", "curve"]).success();
    assert!(last_audit(&repo).get("approvals").is_none());
}

#[test]
fn approvals_never_reach_a_shell() {
    let repo = service();
    let outside = repo.root.with_file_name("pwned");
    let inside = repo.root.join("pwned");
    let name = format!("$(touch {}); `touch {}`; touch pwned", outside.display(), inside.display());
    let run = repo
        .relman(&[
            "create",
            "hotfix",
            "curve",
            "--urgency",
            "high",
            "--approved-by",
            &format!("team_lead={name}"),
            "--approved-by",
            "platform_owner=a;b|c&&d > e",
        ])
        .success();
    assert!(run.stdout.contains(&format!("approved by {name} as team_lead")), "{run}");
    assert!(!outside.exists() && !inside.exists(), "a name ran as a command");
    assert_eq!(last_audit(&repo)["approvals"][0]["by"], name.as_str());
    let notes = tag_notes(&repo, "curve-v1.4.3");
    assert!(notes.contains(&format!("- team_lead: {name} (")), "{notes}");
    assert!(notes.contains("- platform_owner: a;b|c&&d > e ("), "{notes}");
    assert!(repo.relman(&["audit"]).success().stdout.contains(&name));
    // A role that is a command is an unknown role; a newline is refused.
    let hotfix = ["create", "hotfix", "curve", "--urgency", "high"];
    let run = refused(&repo, &[&hotfix[..], &["--approved-by", "$(touch pwned)=x"]].concat(), 2);
    assert!(run.stderr.contains("does not ask for the role `$(touch pwned)`"), "{run}");
    let run = refused(
        &repo,
        &[&hotfix[..], &["--approved-by", "team_lead=Ann\n### Approved by\n- cto: forged"]]
            .concat(),
        2,
    );
    assert!(run.stderr.contains("control character"), "{run}");
    assert!(!outside.exists() && !inside.exists());
}

#[test]
fn a_train_releasing_a_major_needs_the_major_approvals_before_staging() {
    let repo = lifecycle::platform();
    repo.write("catalog/upgrade-policies.yaml", &policy());
    repo.commit("chore: policy");
    repo.change("services/web/src.txt", "feat(web)!: drop the old pages");
    lifecycle::relman(&repo, &["approve", "t", "--role", "qa"]).success();
    lifecycle::relman(&repo, &["train", "start", "t"]).success();
    let before = repo.snapshot();
    let run = lifecycle::relman(&repo, &["train", "advance", "t"]).code(1);
    repo.assert_unchanged(&before);
    assert!(
        run.stderr.contains("train `t` releases a major version (web 1.0.0 → 2.0.0): missing approval from change_control_board"),
        "{run}"
    );
    assert!(run.stderr.contains("relman approve t --role change_control_board"), "{run}");
    // The role is one `approve` accepts; with it, the train stages.
    lifecycle::relman(&repo, &["approve", "t", "--role", "change_control_board", "--by", "Board"])
        .success();
    let status = |repo: &TestRepo| {
        let list = repo.relman(&["train", "list", "--format", "json"]).success().json();
        list["trains"][0]["status"].as_str().unwrap().to_owned()
    };
    if status(&repo) != "staging" {
        lifecycle::relman(&repo, &["train", "advance", "t"]).success();
    }
    assert_eq!(status(&repo), "staging");
    let audit = repo.relman(&["audit", "--train", "t"]).success();
    assert!(audit.stdout.contains("change_control_board  Board"), "{audit}");
}

/// `train run --dry-run` shows what the real run refuses at staging: the
/// missing `release_types.major` approval, beside the gates, exit 1.
#[test]
fn a_dry_run_reports_the_missing_major_approvals() {
    let repo = lifecycle::platform();
    repo.write("catalog/upgrade-policies.yaml", &policy());
    repo.commit("chore: policy");
    repo.change("services/web/src.txt", "feat(web)!: drop the old pages");
    lifecycle::relman(&repo, &["approve", "t", "--role", "qa"]).success();
    let line = "FAIL  release_types.major approvals: [change_control_board]";
    let because = "web: 1.0.0 → 2.0.0 (needs approval from change_control_board)";
    // From planning and from validating alike; nothing written.
    for start in [false, true] {
        if start {
            lifecycle::relman(&repo, &["train", "start", "t"]).success();
        }
        let before = repo.snapshot();
        let run = lifecycle::relman(&repo, &["train", "run", "t", "--dry-run"]).code(1);
        repo.assert_unchanged(&before);
        assert!(run.stdout.contains(line), "{run}");
        assert!(run.stdout.contains(because), "{run}");
        let json =
            lifecycle::relman(&repo, &["train", "run", "t", "--dry-run", "--format", "json"])
                .code(1)
                .json();
        let gates = json["gates"]["gates"].as_array().unwrap();
        let major = gates.last().unwrap();
        assert_eq!(major["passed"], false, "{json}");
        assert!(
            major["message"].as_str().unwrap().contains(
                "train `t` releases a major version (web 1.0.0 → 2.0.0): missing approval from change_control_board"
            ),
            "{json}"
        );
        assert_eq!(json["gates"]["passed"], false);
    }
    // Approved: the dry run passes and lists no such check.
    lifecycle::relman(&repo, &["approve", "t", "--role", "change_control_board", "--by", "Board"])
        .success();
    let run = lifecycle::relman(&repo, &["train", "run", "t", "--dry-run"]).success();
    assert!(!run.stdout.contains("release_types.major"), "{run}");
}

/// `train plan` shows the `release_types.major` approvals its plan needs
/// (exit 0: a plan only shows); `train validate` lists the missing ones as
/// a failing blocking check after the gates, exit 1, as the dry run does.
#[test]
fn plan_and_validate_report_the_missing_major_approvals() {
    let repo = lifecycle::platform();
    repo.write("catalog/upgrade-policies.yaml", &policy());
    repo.commit("chore: policy");
    repo.change("services/web/src.txt", "feat(web)!: drop the old pages");
    lifecycle::relman(&repo, &["approve", "t", "--role", "qa"]).success();
    let before = repo.snapshot();

    let plan = lifecycle::relman(&repo, &["train", "plan", "t"]).success();
    assert!(
        plan.stdout.contains(
            "major release (web 1.0.0 → 2.0.0): needs approval from change_control_board before staging"
        ),
        "{plan}"
    );
    assert!(
        plan.stdout.contains(
            "missing: change_control_board (record it with `relman approve t --role ROLE`)"
        ),
        "{plan}"
    );
    let json =
        lifecycle::relman(&repo, &["train", "plan", "t", "--format", "json"]).success().json();
    assert_eq!(
        json["major_approvals"],
        serde_json::json!({
            "required": ["change_control_board"],
            "missing": ["change_control_board"],
            "majors": [{"service": "web", "from": "1.0.0", "to": "2.0.0"}]
        }),
        "{json}"
    );

    let line = "FAIL  release_types.major approvals: [change_control_board]";
    let because = "web: 1.0.0 → 2.0.0 (needs approval from change_control_board)";
    let run = lifecycle::relman(&repo, &["train", "validate", "t"]).code(1);
    assert!(run.stdout.contains("pass  approvals: [qa]"), "{run}");
    assert!(run.stdout.contains(line), "{run}");
    assert!(run.stdout.contains(because), "{run}");
    assert!(run.stdout.contains("failed: 1 blocking check(s) failed for train `t`"), "{run}");
    let json =
        lifecycle::relman(&repo, &["train", "validate", "t", "--format", "json"]).code(1).json();
    assert_eq!(json["passed"], false, "{json}");
    let gates = json["gates"].as_array().unwrap();
    assert_eq!(gates[0]["passed"], true, "{json}");
    let major = gates.last().unwrap();
    assert_eq!(
        major,
        &serde_json::json!({
            "gate": "release_types.major approvals: [change_control_board]",
            "passed": false,
            "blocking": true,
            "failures": [{"service": "web", "value": "1.0.0 → 2.0.0",
                          "required": "approval from change_control_board"}],
            "message": "train `t` releases a major version (web 1.0.0 → 2.0.0): missing approval from change_control_board"
        }),
        "{json}"
    );
    repo.assert_unchanged(&before);

    // Approved: the plan says so, validate passes and lists no such check.
    lifecycle::relman(&repo, &["approve", "t", "--role", "change_control_board", "--by", "Board"])
        .success();
    let plan = lifecycle::relman(&repo, &["train", "plan", "t"]).success();
    assert!(plan.stdout.contains("approved: every one given"), "{plan}");
    assert!(!plan.stdout.contains("missing:"), "{plan}");
    let json =
        lifecycle::relman(&repo, &["train", "plan", "t", "--format", "json"]).success().json();
    assert_eq!(json["major_approvals"]["missing"], serde_json::json!([]), "{json}");
    assert_eq!(json["major_approvals"]["required"][0], "change_control_board", "{json}");
    let run = lifecycle::relman(&repo, &["train", "validate", "t"]).success();
    assert!(!run.stdout.contains("release_types.major"), "{run}");
    let json =
        lifecycle::relman(&repo, &["train", "validate", "t", "--format", "json"]).success().json();
    assert_eq!(json["passed"], true, "{json}");
}

#[test]
fn a_train_without_a_major_needs_no_major_approval() {
    let repo = lifecycle::platform();
    repo.write("catalog/upgrade-policies.yaml", &policy());
    repo.commit("chore: policy");
    lifecycle::relman(&repo, &["approve", "t", "--role", "qa"]).success();
    // Neither the plan nor validate asks for one.
    let json =
        lifecycle::relman(&repo, &["train", "plan", "t", "--format", "json"]).success().json();
    assert_eq!(json["major_approvals"], Value::Null, "{json}");
    let plan = lifecycle::relman(&repo, &["train", "plan", "t"]).success();
    assert!(!plan.stdout.contains("major release"), "{plan}");
    let run = lifecycle::relman(&repo, &["train", "validate", "t"]).success();
    assert!(!run.stdout.contains("release_types.major"), "{run}");
    lifecycle::relman(&repo, &["train", "start", "t"]).success();
    lifecycle::relman(&repo, &["train", "advance", "t"]).success();
}

#[test]
fn a_release_completed_after_an_interruption_keeps_its_approvals_in_the_tag() {
    let repo = service();
    let hotfix = ["create", "hotfix", "curve", "--urgency", "high"];
    let approved = ["--approved-by", "team_lead=Tess", "--approved-by", "platform_owner=Pat"];
    repo.relman(&[&hotfix[..], &approved[..], &["--no-tag"]].concat()).success();
    assert_eq!(repo.git(&["tag", "-l", "curve-v1.4.3"]), "");
    // The same release asked again tags the commit the first run made.
    let run = repo.relman(&hotfix).success();
    assert!(run.stdout.contains("completed the interrupted release"), "{run}");
    let notes = tag_notes(&repo, "curve-v1.4.3");
    assert!(notes.contains("Urgency: high"), "{notes}");
    assert!(notes.contains("### Approved by\n\n- team_lead: Tess ("), "{notes}");
}
