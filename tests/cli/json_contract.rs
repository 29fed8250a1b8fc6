//! The `--format json` contract (docs/json.md): typed mirrors with
//! `deny_unknown_fields`, so a renamed, added or dropped key fails here.
//!
//! serde reads a missing key of an `Option` field as `None`, so each
//! document is also held to its mirror written back: a key the mirror has
//! and the document lacks fails, `null` or not. A key the product leaves
//! out when it has no value says so in its mirror
//! (`skip_serializing_if`).
#![allow(dead_code, reason = "fields exist to pin the schema")]

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogs::platform;
use crate::support::TestRepo;

fn parse<T: for<'de> Deserialize<'de> + Serialize>(schema: &str, json: Value) -> T {
    assert_eq!(json["schema"], schema);
    let typed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{schema}: {e}"));
    let mirror = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{schema}: {e}"));
    if let Some(difference) = key_difference(&json, &mirror, "") {
        panic!("{schema}: {difference}");
    }
    typed
}

/// The first key that one of the documents `document` and `mirror` has
/// and the other lacks, at any depth, described.
fn key_difference(document: &Value, mirror: &Value, path: &str) -> Option<String> {
    match (document, mirror) {
        (Value::Object(d), Value::Object(m)) => {
            if let Some(key) = m.keys().find(|k| !d.contains_key(*k)) {
                return Some(format!("the key `{key}` is missing at `{path}/`"));
            }
            if let Some(key) = d.keys().find(|k| !m.contains_key(*k)) {
                return Some(format!("the key `{key}` at `{path}/` is not in the mirror"));
            }
            d.iter().find_map(|(k, v)| key_difference(v, &m[k], &format!("{path}/{k}")))
        }
        (Value::Array(d), Value::Array(m)) => d
            .iter()
            .zip(m)
            .enumerate()
            .find_map(|(i, (v, w))| key_difference(v, w, &format!("{path}/{i}"))),
        _ => None,
    }
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Commit {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    scope: Option<String>,
    breaking: bool,
    summary: String,
    conventional: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Next {
    schema: String,
    service: String,
    current: String,
    current_source: String,
    last_tag: Option<String>,
    next: Option<String>,
    bump: Option<String>,
    release_type: Option<String>,
    releasable: bool,
    commits: Vec<Commit>,
    warnings: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileChange {
    path: String,
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Create {
    schema: String,
    service: String,
    previous: String,
    version: String,
    level: Option<String>,
    release_type: Option<String>,
    tag: String,
    files: Vec<FileChange>,
    branch_created: Option<String>,
    commit: Option<String>,
    commit_message: String,
    tagged: bool,
    signed: bool,
    notes: String,
    dry_run: bool,
    push: Option<String>,
    completed_interrupted: bool,
    urgency: Option<String>,
    approvals: Vec<Approval>,
    /// Only when the urgency has gates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gates: Option<Vec<GateResult>>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Unit {
    name: String,
    current: String,
    last_tag: Option<String>,
    commits_since: u64,
    next: Option<String>,
    bump: Option<String>,
    release_type: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainStatus {
    name: String,
    status: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Status {
    schema: String,
    mode: String,
    units: Vec<Unit>,
    trains: Vec<TrainStatus>,
    environments: Vec<EnvStatus>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct EnvStatus {
    name: String,
    live: Vec<LiveView>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct LiveView {
    service: String,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<String>,
    strategy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    slot: Option<String>,
    traffic: u64,
    at: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct EnvHistory {
    schema: String,
    env: String,
    live: Vec<LiveView>,
    history: Vec<Value>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DeployStep {
    hook: String,
    traffic: u64,
    slot: Option<String>,
    version: String,
    result: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DeployApproval {
    service: String,
    version: String,
    role: String,
    by: String,
    at: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Deploy {
    /// Left out in a train's `deployments`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    schema: String,
    env: String,
    service: String,
    version: String,
    previous: Option<String>,
    strategy: String,
    slot: Option<String>,
    promotion: String,
    checks: Vec<String>,
    approvals: Vec<DeployApproval>,
    steps: Vec<DeployStep>,
    result: Option<String>,
    rolled_back_to: Option<String>,
    commit: Option<String>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ApproveDeploy {
    schema: String,
    env: String,
    approval: DeployApproval,
    required: Vec<(String, bool)>,
    commit: Option<String>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Setting {
    key: String,
    value: String,
    source: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    schema: String,
    settings: Vec<Setting>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    section: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    scope: Option<String>,
    breaking: bool,
    summary: String,
    body: String,
    id: String,
    short_id: String,
    author: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Release {
    tag: Option<String>,
    version: Option<String>,
    previous: Option<String>,
    date: Option<String>,
    entries: Vec<Entry>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Notes {
    schema: String,
    service: String,
    range: String,
    template: Option<String>,
    releases: Vec<Release>,
    markdown: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Bump {
    schema: String,
    version: String,
    level: String,
    pre: Option<String>,
    result: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Compare {
    schema: String,
    a: String,
    b: String,
    result: i8,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Satisfies {
    schema: String,
    version: String,
    range: String,
    satisfies: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainSummary {
    name: String,
    status: String,
    participants: Vec<String>,
    released: u64,
    start_time: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainList {
    schema: String,
    trains: Vec<TrainSummary>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Step {
    service: String,
    from: String,
    to: String,
    wave: u64,
    depends_on: Vec<String>,
    action: String,
    reason: String,
    tag: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct External {
    service: String,
    version: String,
    needed_by: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    schema: String,
    train: String,
    status: String,
    waves: Vec<Vec<String>>,
    sequence: Vec<Step>,
    external: Vec<External>,
    major_approvals: Option<MajorApprovals>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MajorApprovals {
    required: Vec<String>,
    missing: Vec<String>,
    majors: Vec<MajorRelease>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MajorRelease {
    service: String,
    from: String,
    to: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Failure {
    service: Option<String>,
    value: Option<String>,
    required: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct GateResult {
    gate: String,
    passed: bool,
    blocking: bool,
    failures: Vec<Failure>,
    message: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DependencyResult {
    kind: String,
    name: String,
    requirement: String,
    found: Option<String>,
    passed: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Validate {
    schema: String,
    train: String,
    passed: bool,
    gates: Vec<GateResult>,
    dependencies: Vec<DependencyResult>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Gate {
    text: String,
    kind: Value,
    blocking: bool,
    critical: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    service: String,
    rule: Value,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Dependency {
    kind: String,
    name: String,
    requirement: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Show {
    schema: String,
    name: String,
    status: String,
    participants: Vec<String>,
    released: u64,
    start_time: Option<String>,
    description: Option<String>,
    rules: Vec<Rule>,
    sequence: Vec<Step>,
    gates: Vec<Gate>,
    dependencies: Vec<Dependency>,
    progress: Vec<Progress>,
    approvals: Vec<Approval>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Progress {
    service: String,
    phase: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    hooks: Vec<HookRun>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct HookRun {
    hook: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    started: Option<String>,
    at: String,
    result: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exit: Option<i32>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Approval {
    role: String,
    by: String,
    at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainStep {
    from: String,
    to: String,
    commit: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ParticipantView {
    service: String,
    phase: String,
    from: Option<String>,
    to: Option<String>,
    tag: Option<String>,
    commit: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    hooks: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainFailure {
    service: Option<String>,
    reason: String,
}

/// `relman.train.transition/1` and `relman.train.run/1`.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TrainMove {
    schema: String,
    train: String,
    status: String,
    transitions: Vec<TrainStep>,
    gates: Option<Value>,
    participants: Vec<ParticipantView>,
    failure: Option<TrainFailure>,
    /// Only with `release_trains.deploy`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    deployments: Vec<Deploy>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Approve {
    schema: String,
    train: String,
    approval: Approval,
    required: Vec<(String, bool)>,
    commit: Option<String>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RollbackPlanned {
    service: String,
    from: String,
    to: String,
    rollback_hook: Option<String>,
    health_hook: Option<String>,
    done: bool,
    tag: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Rollback {
    schema: String,
    train: Option<String>,
    env: Option<String>,
    reason: String,
    plan: Vec<RollbackPlanned>,
    rolled_back: Vec<String>,
    failed: Option<String>,
    status: Option<String>,
    recorded_only: Vec<String>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Audit {
    schema: String,
    file: String,
    entries: Vec<Value>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AuditVerify {
    schema: String,
    file: String,
    intact: bool,
    lines: u64,
    segments: u64,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Init {
    schema: String,
    written: Vec<String>,
    skipped: Vec<String>,
    dry_run: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Location {
    file: String,
    line: u64,
    column: u64,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Problem {
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ErrorDoc {
    schema: String,
    kind: String,
    exit_code: u8,
    problems: Vec<Problem>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DemoStep {
    title: String,
    command: String,
    exit_code: Option<i32>,
    stdout: String,
    stderr: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Demo {
    schema: String,
    dir: String,
    steps: Vec<DemoStep>,
}

/// Holds `relman demo --format json` to its schema; returns the number of steps.
pub(crate) fn demo_document(json: Value) -> usize {
    let demo: Demo = parse("relman.demo/1", json);
    demo.steps.len()
}

/// Runs relman with `--format json` and returns the document.
fn json(repo: &TestRepo, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    repo.relman(&all).json()
}

fn single_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/a.txt", "feat(api): a");
    repo
}

#[test]
fn single_project_schemas() {
    let repo = single_project();
    let j = |args: &[&str]| json(&repo, args);
    let next: Next = parse("relman.next/1", j(&["next"]));
    assert_eq!(next.commits.len(), 1);
    let _: Status = parse("relman.status/1", j(&["status"]));
    let _: Settings = parse("relman.settings/1", j(&["status", "--show-settings"]));
    let dry: Create = parse("relman.create/1", j(&["create", "minor", "--dry-run"]));
    assert!(dry.files.iter().all(|f| f.diff.is_some()));
    let done: Create = parse("relman.create/1", j(&["create", "minor"]));
    assert!(done.commit.is_some() && done.files.iter().all(|f| f.diff.is_none()));
    let notes: Notes = parse("relman.notes/1", j(&["notes", "--all"]));
    let entry = &notes.releases[0].entries[0];
    assert_eq!((entry.id.len(), entry.short_id.len()), (40, 7));
    let _: Notes = parse("relman.notes/1", j(&["notes", "--template", "release-notes"]));
    let _: Audit = parse("relman.audit/1", j(&["audit"]));
    let _: AuditVerify = parse("relman.audit.verify/1", j(&["audit", "verify"]));
    let _: Init = parse("relman.init/1", j(&["init", "--dry-run"]));
    let _: Bump =
        parse("relman.semver.bump/1", j(&["semver", "bump", "1.2.3", "prerelease", "--pre", "rc"]));
    let _: Compare = parse("relman.semver.compare/1", j(&["semver", "compare", "1.0.0", "2.0.0"]));
    let _: Satisfies =
        parse("relman.semver.satisfies/1", j(&["semver", "satisfies", "1.5.0", ">=1.4, <2"]));
    let _: ErrorDoc = parse("relman.error/1", j(&["next", "nope"]));
}

/// A hotfix of an urgency with gates and an approval: `urgency`,
/// `approvals` with their fields and the evaluated `gates`.
#[test]
fn create_change_control_schema() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n    version_files: [services/curve/VERSION]\n",
    )
    .write(
        "catalog/upgrade-policies.yaml",
        "hotfix:\n  urgency:\n    critical: { approvals: [on_call_engineer], gates: [no_open_critical_vulns] }\n",
    )
    .write("catalog/metrics/curve.yaml", "critical_vulns: 0\n")
    .write("services/curve/VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("curve-v1.0.0");
    let args = ["create", "hotfix", "curve", "--urgency", "critical"];
    let given = [&args[..], &["--approved-by", "on_call_engineer=Ann"]].concat();
    let dry: Create = parse("relman.create/1", json(&repo, &[&given[..], &["--dry-run"]].concat()));
    assert_eq!(dry.urgency.as_deref(), Some("critical"));
    let done: Create = parse("relman.create/1", json(&repo, &given));
    assert_eq!(done.approvals[0].by, "Ann");
    assert!(done.gates.as_ref().is_some_and(|g| g[0].passed));
}

#[test]
fn train_schemas() {
    let repo = platform();
    let j = |args: &[&str]| json(&repo, args);
    let _: TrainList = parse("relman.train.list/1", j(&["train", "list"]));
    let _: Show = parse("relman.train.show/1", j(&["train", "show", "Q4-curve-upgrade"]));
    let plan: Plan = parse("relman.train.plan/1", j(&["train", "plan", "Q4-curve-upgrade"]));
    let majors = plan.major_approvals.expect("curve goes to 2.0.0: a major");
    assert_eq!(majors.required, ["change_control_board"]);
    let v: Validate =
        parse("relman.train.validate/1", j(&["train", "validate", "Q4-curve-upgrade"]));
    assert!(!v.passed);
    let _: Status = parse("relman.status/1", j(&["status"]));
}

#[test]
fn lifecycle_schemas() {
    let repo = crate::lifecycle::staged();
    let j = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        crate::lifecycle::relman(&repo, &all).json()
    };
    let paused: TrainMove = parse("relman.train.transition/1", j(&["train", "pause", "t"]));
    assert_eq!((paused.transitions.len(), paused.status.as_str()), (1, "paused"));
    let _: TrainMove = parse("relman.train.transition/1", j(&["train", "resume", "t"]));
    let run: TrainMove = parse("relman.train.run/1", j(&["train", "run", "t"]));
    assert_eq!(run.status, "completed");
    assert!(run.participants.iter().all(|p| p.commit.as_ref().is_some_and(|c| c.len() == 40)));
    let show: Show = parse("relman.train.show/1", j(&["train", "show", "t"]));
    assert_eq!(show.progress.len(), 3);
    assert_eq!(show.approvals.len(), 1);
    let dry: Rollback =
        parse("relman.rollback/1", j(&["rollback", "--train", "t", "--reason", "r", "--dry-run"]));
    assert!(dry.dry_run && dry.rolled_back.is_empty());
    let _: Rollback =
        parse("relman.rollback/1", j(&["rollback", "api", "--reason", "r", "--yes", "--tag"]));
    let _: ErrorDoc = parse("relman.error/1", j(&["approve", "t", "--role", "qa"]));
    let fresh = crate::lifecycle::platform();
    let args = ["approve", "t", "--role", "qa", "--note", "ok", "--format", "json"];
    let approve: Approve =
        parse("relman.approve/1", crate::lifecycle::relman(&fresh, &args).json());
    assert_eq!(approve.required, [("qa".to_owned(), true)]);
}

#[test]
fn deploy_schemas() {
    let repo = crate::deploy::project();
    let j = |args: &[&str]| json(&repo, args);
    let dry: Deploy = parse("relman.deploy/1", j(&["deploy", "1.0.0", "dev", "--dry-run"]));
    assert!(dry.dry_run && dry.result.is_none());
    let done: Deploy = parse("relman.deploy/1", j(&["deploy", "1.0.0", "dev"]));
    assert_eq!(done.result.as_deref(), Some("succeeded"));
    let args = ["approve", "--env", "staging", "--version", "1.0.0", "--role", "qa_lead"];
    let a: ApproveDeploy = parse("relman.approve.deploy/1", j(&args));
    assert_eq!(a.required, [("qa_lead".to_owned(), true)]);
    let _: Deploy = parse("relman.deploy/1", j(&["deploy", "1.1.0", "dev"]));
    let status: Status = parse("relman.status/1", j(&["status"]));
    assert_eq!(status.environments[0].live[0].version, "1.1.0");
    let _: EnvHistory = parse("relman.status.env/1", j(&["status", "--env", "dev"]));
    let r: Rollback =
        parse("relman.rollback/1", j(&["rollback", "--env", "dev", "--reason", "r", "--yes"]));
    assert_eq!(r.env.as_deref(), Some("dev"));
}

#[test]
fn deploying_train_schemas() {
    let repo = crate::train_deploy::staged(crate::train_deploy::POLICY);
    let j = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        crate::lifecycle::relman(&repo, &all).json()
    };
    let dry: TrainMove = parse("relman.train.run/1", j(&["train", "run", "t", "--dry-run"]));
    assert_eq!(dry.deployments.len(), 3);
    assert!(dry.deployments.iter().all(|d| d.dry_run && d.schema.is_empty()));
    let run: TrainMove = parse("relman.train.run/1", j(&["train", "run", "t"]));
    assert_eq!(run.deployments.len(), 3);
    assert!(run.deployments.iter().all(|d| d.result.as_deref() == Some("succeeded")));
}

/// What `parse` panicked with, or `None` when it took the document.
fn refusal<T: for<'de> Deserialize<'de> + Serialize>(schema: &str, json: Value) -> Option<String> {
    let caught = std::panic::catch_unwind(|| {
        let _: T = parse(schema, json);
    });
    caught.err().map(|e| {
        e.downcast_ref::<String>().cloned().unwrap_or_else(|| "a panic without a message".into())
    })
}

/// A key dropped from a real document fails the contract, even where its
/// value may be `null` (serde alone reads a missing `Option` as `None`),
/// at the top and nested in a list; `null` where the contract allows it
/// still passes (issue 18, item 25).
#[test]
fn a_dropped_key_fails_the_contract_even_where_null_is_allowed() {
    let repo = single_project();
    let next = json(&repo, &["next"]);
    assert!(refusal::<Next>("relman.next/1", next.clone()).is_none());
    for (path, key) in [("", "last_tag"), ("", "release_type"), ("/commits/0", "scope")] {
        let mut dropped = next.clone();
        let object = dropped.pointer_mut(path).and_then(Value::as_object_mut).unwrap();
        assert!(object.remove(key).is_some(), "the document has `{key}` at `{path}`");
        let refused = refusal::<Next>("relman.next/1", dropped);
        let message =
            refused.unwrap_or_else(|| panic!("`{path}/{key}` dropped passed the contract"));
        assert!(message.contains(key), "{message}");
    }
    let mut null = next.clone();
    null["commits"][0]["scope"] = Value::Null;
    assert!(refusal::<Next>("relman.next/1", null).is_none());
}
