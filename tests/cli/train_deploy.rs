//! Trains that deploy (`release_trains.deploy`, SPEC 7): a train's
//! `executing` deploys each participant it released to the policy's
//! environment through the deploy command's own steps; without the key
//! nothing is deployed; the dry run changes nothing; a run killed during a
//! deployment never deploys twice.

use crate::lifecycle::{hook_log, hooks_run, platform, relman};
use crate::support::TestRepo;

/// Every hook says what it was given in `$HOOK_LOG`; a `deploy` hook
/// fails when `$HOOK_LOG.fail-deploy-<service>` exists.
fn services() -> String {
    let hook = |name: &str| {
        format!(
            "'echo \"{name} $RELMAN_SERVICE $RELMAN_VERSION prev=$RELMAN_PREVIOUS_VERSION env=$RELMAN_ENV $RELMAN_STRATEGY $RELMAN_TRAFFIC train=$RELMAN_TRAIN\" >> \"$HOOK_LOG\"; test ! -e \"$HOOK_LOG.fail-{name}-$RELMAN_SERVICE\"'"
        )
    };
    let mut out = String::from("services:\n");
    for (name, deps) in [("api", "[]"), ("web", "[api]"), ("worker", "[web]")] {
        out.push_str(&format!(
            "  - name: {name}\n    path: services/{name}\n    depends_on: {deps}\n    version_files: [services/{name}/VERSION]\n    hooks:\n      release: {}\n      health: {}\n      rollback: {}\n      deploy: {}\n",
            hook("release"),
            hook("health"),
            hook("rollback"),
            hook("deploy")
        ));
    }
    out
}

pub(crate) const POLICY: &str =
    "release_trains:\n  deploy: { environment: dev }\nenvironments:\n  order: [dev, staging]\n";

/// The platform with deploy hooks, its policy (`deploy` or not), a
/// second train `solo` of api alone, and the train `t` approved and
/// staged (with `solo`, `solo` staged instead).
fn staged_train(policy: &str, train: &str) -> TestRepo {
    let repo = platform();
    repo.write("catalog/services.yaml", &services());
    repo.write("catalog/upgrade-policies.yaml", policy);
    let trains = format!(
        "{}\r\n  - name: solo\r\n    participants: [api]\r\n    status: planning\r\n",
        crate::lifecycle::TRAINS.trim_end()
    );
    repo.write("catalog/release-trains.yaml", &trains);
    repo.commit("chore: deployments");
    if train == "t" {
        relman(&repo, &["approve", "t", "--role", "qa"]).success();
    }
    relman(&repo, &["train", "start", train]).success();
    relman(&repo, &["train", "advance", train]).success();
    repo
}

pub(crate) fn staged(policy: &str) -> TestRepo {
    staged_train(policy, "t")
}

/// The hooks run, each as its first two words and its environment.
fn hooks(repo: &TestRepo) -> Vec<String> {
    hooks_run(repo)
        .iter()
        .map(|l| {
            let w: Vec<&str> = l.split(' ').collect();
            format!("{} {} {}", w[0], w[1], w[4])
        })
        .collect()
}

#[test]
fn a_train_with_the_policy_deploys_each_participant_in_plan_order() {
    let repo = staged(POLICY);
    let json = relman(&repo, &["train", "run", "t", "--format", "json"]).success().json();
    assert_eq!(json["status"], "completed", "{json}");
    assert_eq!(
        hooks(&repo),
        [
            "release api env=",
            "health api env=",
            "deploy api env=dev",
            "health api env=dev",
            "release web env=",
            "health web env=",
            "deploy web env=dev",
            "health web env=dev",
            "release worker env=",
            "health worker env=",
            "deploy worker env=dev",
            "health worker env=dev",
            "health api env=",
            "health web env=",
            "health worker env=",
        ]
    );
    // The deploy hooks' variables: the version released, nothing live
    // before, the environment's strategy, all traffic, the train.
    let log = hooks_run(&repo);
    assert!(
        log.contains(&"deploy api 1.1.0 prev= env=dev rolling 100 train=t".to_owned()),
        "{log:?}"
    );
    let deployments = json["deployments"].as_array().unwrap();
    let names: Vec<&str> = deployments.iter().map(|d| d["service"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "web", "worker"]);
    for d in deployments {
        assert_eq!(d["env"], "dev");
        assert_eq!(d["version"], "1.1.0");
        assert_eq!(d["result"], "succeeded");
        assert_eq!(d["dry_run"], false);
        assert!(d["commit"].is_string(), "{d}");
    }
    // The ledger records each, one commit each, after its release commit.
    let ledger = repo.read(".relman/state/environments/dev.yaml");
    for name in ["api", "web", "worker"] {
        assert!(ledger.contains(&format!("  {name}:\n    version: \"1.1.0\"\n")), "{ledger}");
    }
    let subjects = repo.git(&["log", "--reverse", "--format=%s"]);
    let order: Vec<&str> = subjects
        .lines()
        .filter(|s| {
            s.starts_with("chore(release): api-") || s.starts_with("chore(release): deploy ")
        })
        .collect();
    assert_eq!(order[0], "chore(release): api-v1.1.0", "{subjects}");
    assert_eq!(order[1], "chore(release): deploy api 1.1.0 to dev", "{subjects}");
    assert_eq!(subjects.matches("chore(release): deploy ").count(), 3, "{subjects}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.relman(&["audit", "verify"]).success();
    // `status --env` reads the train's deployments as any other.
    let status = repo.relman(&["status", "--env", "dev"]).success().stdout;
    assert!(status.contains("worker"), "{status}");
}

#[test]
fn without_the_policy_a_train_deploys_nothing() {
    let repo = staged("environments:\n  order: [dev, staging]\n");
    let json = relman(&repo, &["train", "run", "t", "--format", "json"]).success().json();
    assert_eq!(json["status"], "completed");
    assert!(json.get("deployments").is_none(), "{json}");
    assert!(hooks(&repo).iter().all(|h| !h.starts_with("deploy") && h.ends_with("env=")));
    assert!(!repo.exists(".relman/state/environments"));
    let subjects = repo.git(&["log", "--format=%s"]);
    assert!(!subjects.contains("chore(release): deploy"), "{subjects}");
}

#[test]
fn the_dry_run_shows_the_deployments_and_changes_nothing() {
    let repo = staged(POLICY);
    let before = repo.snapshot();
    let json =
        relman(&repo, &["train", "run", "t", "--dry-run", "--format", "json"]).success().json();
    let deployments = json["deployments"].as_array().unwrap();
    let names: Vec<&str> = deployments.iter().map(|d| d["service"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "web", "worker"], "{json}");
    assert_eq!(deployments[0]["dry_run"], true);
    assert_eq!(deployments[0]["result"], serde_json::Value::Null);
    assert_eq!(deployments[0]["steps"][0]["hook"], "deploy");
    assert_eq!(deployments[0]["steps"][0]["result"], "planned");
    let text = relman(&repo, &["train", "run", "t", "--dry-run"]).success().stdout;
    assert!(text.contains("deploy web 1.1.0 to dev: rolling, would deploy"), "{text}");
    repo.assert_unchanged(&before);
    assert!(hooks_run(&repo).is_empty());
}

#[test]
fn the_policy_key_is_checked_like_every_other() {
    let repo = platform();
    let file = "catalog/upgrade-policies.yaml";
    repo.write(file, "release_trains:\n  deploy: { enviroment: dev }\n");
    let run = repo.relman(&["train", "run", "t", "--dry-run"]).code(2);
    assert!(run.stderr.contains("upgrade-policies.yaml:2:"), "{run}");
    assert!(run.stderr.contains("did you mean `environment`?"), "{run}");
    repo.write(
        file,
        "environments:\n  order: [dev, prod]\nrelease_trains:\n  deploy:\n    environment: prd\n",
    );
    let run = repo.relman(&["train", "run", "t", "--dry-run"]).code(2);
    assert!(run.stderr.contains("upgrade-policies.yaml:5:18"), "{run}");
    assert!(run.stderr.contains("not in `environments.order`"), "{run}");
    assert!(run.stderr.contains("prod"), "{run}");
}

#[test]
fn turning_deployments_on_after_staging_is_a_changed_input() {
    let repo = staged("environments:\n  order: [dev, staging]\n");
    repo.write("catalog/upgrade-policies.yaml", POLICY);
    repo.commit("chore: deploy trains");
    let before = repo.snapshot();
    let run = relman(&repo, &["train", "run", "t"]).code(3);
    assert!(run.stderr.contains("upgrade-policies.yaml"), "{run}");
    repo.assert_unchanged(&before);
    assert!(hooks_run(&repo).is_empty());
}

#[test]
fn a_failing_deployment_is_rolled_back_and_stops_the_train() {
    let repo = staged(POLICY);
    // web ran 1.0.0 in dev before the train.
    relman(&repo, &["deploy", "1.0.0", "dev", "--service", "web"]).success();
    std::fs::write(format!("{}.fail-deploy-web", hook_log(&repo).display()), "").unwrap();
    let run = relman(&repo, &["train", "run", "t", "--format", "json"]).code(4);
    let json = run.json();
    assert_eq!(json["status"], "failed", "{json}");
    assert_eq!(json["failure"]["service"], "web");
    assert_eq!(json["failure"]["reason"], "its deployment to `dev` failed and was rolled back");
    assert_eq!(json["deployments"][1]["result"], "rolled_back");
    assert_eq!(json["deployments"][1]["rolled_back_to"], "1.0.0");
    let log = hooks_run(&repo);
    assert!(log.iter().any(|l| l.starts_with("rollback web 1.1.0 prev=1.0.0 env=dev")), "{log:?}");
    // worker is never released; the ledger has web 1.0.0 live again.
    assert!(!log.iter().any(|l| l.contains("worker")), "{log:?}");
    let ledger = repo.read(".relman/state/environments/dev.yaml");
    assert!(ledger.contains("  web:\n    version: \"1.0.0\"\n"), "{ledger}");
    assert!(ledger.contains("result: rolled_back"), "{ledger}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// Kills `train run solo` at failpoint `n`: what it stopped at, and
/// whether api's deployment had started (its progress record, or its
/// commit) and had ended (its commit, and the record gone).
fn killed_at(template: &TestRepo, n: u32) -> (TestRepo, Option<String>, bool, bool) {
    let repo = template.duplicate();
    let mut command = repo.relman_command(&["train", "run", "solo"]);
    command.env("HOOK_LOG", hook_log(&repo));
    let hit = crate::crash::kill_when_stopped(command, &n.to_string());
    let record = repo.exists(".git/relman-progress/_environments/dev/api.json");
    let committed = repo.git(&["log", "--format=%s"]).contains("chore(release): deploy api");
    (repo, hit, record || committed, committed && !record)
}

/// The first failpoint at which `pred` holds (it holds from there on).
fn first(template: &TestRepo, pred: impl Fn(bool, bool) -> bool) -> u32 {
    let (mut lo, mut hi) = (1, 1024);
    while lo < hi {
        let mid = u32::midpoint(lo, hi);
        let (_, hit, started, ended) = killed_at(template, mid);
        if hit.is_none() || pred(started, ended) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[test]
fn a_train_killed_in_a_deployment_never_deploys_twice() {
    let template = staged_train(POLICY, "solo");
    // Every failpoint from the deployment's first record to its commit.
    let start = first(&template, |started, _| started);
    let end = first(&template, |_, ended| ended);
    assert!(end > start + 10, "the deployment spans failpoints {start} to {end} only");
    let mut during = Vec::new();
    for n in start.saturating_sub(1)..=end {
        let (repo, hit, started, ended) = killed_at(&template, n);
        let hit = hit.unwrap_or_else(|| panic!("failpoint {n} was not reached"));
        let resumed = relman(&repo, &["train", "run", "solo", "--resume"]);
        assert_eq!(resumed.code, 0, "{hit}: the resumed run failed:\n{resumed}");
        let rerun = resumed.stderr.contains("interrupted mid-run; running it again");
        let runs = hooks(&repo).iter().filter(|h| *h == "deploy api env=dev").count();
        assert!(runs == 1 || (rerun && runs == 2), "{hit}: api deployed {runs} times:\n{resumed}");
        let ledger = repo.read(".relman/state/environments/dev.yaml");
        assert_eq!(ledger.matches("kind: deploy").count(), 1, "{hit}: {ledger}");
        assert!(ledger.contains("  api:\n    version: \"1.1.0\"\n"), "{hit}: {ledger}");
        let subjects = repo.git(&["log", "--format=%s"]);
        assert_eq!(subjects.matches("chore(release): deploy ").count(), 1, "{hit}");
        assert!(repo.read(".relman/state/solo/train.yaml").contains("\nstatus: completed\n"));
        assert!(!repo.exists(".git/relman-progress/_environments/dev/api.json"), "{hit}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{hit}");
        if started && !ended {
            during.push(hit);
        }
    }
    assert!(during.len() >= 10, "killed only {} times in the deployment: {during:?}", during.len());
    for named in ["before a hook", "after a hook", "journal", "files written"] {
        assert!(during.iter().any(|h| h.contains(named)), "never at `{named}`: {during:?}");
    }
}
