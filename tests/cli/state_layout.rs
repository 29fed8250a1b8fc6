//! A train's state as a folder and the audit trail in segments (SPEC 4.1,
//! 6.4; issue 17): a train left in the one-file layout by the build before
//! it, an audit trail of several sealed segments and what `audit verify`
//! says when one is altered, removed or out of order, and the exact files
//! of every release commit.

use std::collections::BTreeSet;

use crate::lifecycle::relman;
use crate::support::{TestRepo, source_path};

/// A clone of `tests/fixtures/legacy-train/train.bundle`: a train `t` of
/// api → web → worker staged by relman at 2818308 (the one-file layout,
/// `.relman/state/t.yaml`) and killed in `executing` right after api's tag
/// (`make.sh` beside it made it).
fn legacy_train() -> TestRepo {
    let repo = TestRepo::new();
    let bundle = source_path("tests/fixtures/legacy-train/train.bundle");
    repo.git(&[
        "fetch",
        "-q",
        "--update-head-ok",
        bundle.to_str().unwrap(),
        "refs/heads/*:refs/heads/*",
        "refs/tags/*:refs/tags/*",
    ]);
    repo.git(&["reset", "-q", "--hard"]);
    repo
}

/// The commits of `range`, oldest first.
fn commits(repo: &TestRepo, range: &str) -> Vec<String> {
    repo.git(&["rev-list", "--reverse", range]).lines().map(str::to_owned).collect()
}

/// The paths a commit changed, with their status letter (`A`, `M`, `D`).
fn changed(repo: &TestRepo, commit: &str) -> BTreeSet<String> {
    repo.git(&["diff-tree", "--no-commit-id", "--name-status", "-r", commit])
        .lines()
        .map(|l| l.replacen('\t', " ", 1))
        .collect()
}

/// What `train show t --format json` says that a run must not change: the
/// train, its participants, the plan (each step's service, from, to, wave,
/// action and tag), the gates, and each participant's recorded tag.
fn lasting(repo: &TestRepo) -> serde_json::Value {
    let show = repo.relman(&["train", "show", "t", "--format", "json"]).success().json();
    let steps: Vec<serde_json::Value> = show["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            serde_json::json!([s["service"], s["from"], s["to"], s["wave"], s["action"], s["tag"]])
        })
        .collect();
    let tags: Vec<serde_json::Value> = show["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| serde_json::json!([p["service"], p["tag"]]))
        .collect();
    serde_json::json!({
        "name": show["name"],
        "participants": show["participants"],
        "sequence": steps,
        "gates": show["gates"],
        "tags": tags,
    })
}

#[test]
fn a_train_left_in_the_one_file_layout_is_resumed_and_moved_in_its_first_commit() {
    let repo = legacy_train();
    let fixture = repo.git(&["rev-parse", "HEAD"]);
    assert!(repo.exists(".relman/state/t.yaml") && !repo.exists(".relman/state/t"));
    assert_eq!(repo.git(&["tag", "-l", "*-v1.1.0"]), "api-v1.1.0");

    // What the old state says, read by the new build.
    let before = relman(&repo, &["train", "show", "t"]).success();
    for line in [
        "t  executing  1/3 released",
        "1     api      1.0.0  1.1.0  release",
        "2     web      1.0.0  1.1.0  release",
        "3     worker   1.0.0  1.1.0  release",
        "  api                      tagged       api-v1.1.0",
        "  web                      pending      web-v1.1.0",
        "  worker                   pending      worker-v1.1.0",
    ] {
        assert!(before.stdout.contains(line), "{line:?} not in:\n{before}");
    }
    let lasting_before = lasting(&repo);

    let run = relman(&repo, &["train", "run", "t", "--resume"]).success();
    assert!(run.stdout.contains("t moved verifying → completed"), "{run}");

    // Each participant released once: one release commit, its tag on it,
    // its hooks run once (api's had not run when the old build was killed).
    assert_eq!(repo.git(&["tag", "-l", "*-v1.1.0"]), "api-v1.1.0\nweb-v1.1.0\nworker-v1.1.0");
    let subjects = repo.git(&["log", "--format=%s"]);
    for name in ["api", "web", "worker"] {
        let tag = format!("{name}-v1.1.0");
        let subject = format!("chore(release): {tag}");
        assert_eq!(subjects.lines().filter(|s| *s == subject).count(), 1, "{subjects}");
        let tagged = repo.git(&["rev-list", "-n", "1", &tag]);
        assert_eq!(repo.git(&["log", "-1", "--format=%s", &tagged]), subject);
        assert_eq!(repo.git(&["show", &format!("{tagged}:services/{name}/VERSION")]), "1.1.0");
    }
    let hooks = std::fs::read_to_string(repo.root.with_file_name("hooks.log")).unwrap();
    assert_eq!(
        hooks,
        "release api 1.1.0\nhealth api 1.1.0\nrelease web 1.1.0\nhealth web 1.1.0\n\
         release worker 1.1.0\nhealth worker 1.1.0\n\
         health api 1.1.0\nhealth web 1.1.0\nhealth worker 1.1.0\n"
    );
    repo.relman(&["audit", "verify"]).success();
    assert!(repo.read("catalog/release-trains.yaml").contains("status: completed"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // The old file is gone, the folder holds it all, and the move is the
    // first commit of the run: web's release commit.
    assert!(!repo.exists(".relman/state/t.yaml"));
    for file in ["train.yaml", "plan.yaml", "api.yaml", "web.yaml", "worker.yaml"] {
        assert!(repo.exists(&format!(".relman/state/t/{file}")), "{file}");
    }
    let made = commits(&repo, &format!("{fixture}..HEAD"));
    assert_eq!(repo.git(&["log", "-1", "--format=%s", &made[0]]), "chore(release): web-v1.1.0");
    let first = changed(&repo, &made[0]);
    for entry in [
        "D .relman/state/t.yaml",
        "A .relman/state/t/train.yaml",
        "A .relman/state/t/plan.yaml",
        "A .relman/state/t/web.yaml",
    ] {
        assert!(first.contains(entry), "{entry} not in the first commit: {first:?}");
    }
    for later in &made[1..] {
        assert!(!changed(&repo, later).iter().any(|e| e.ends_with(" .relman/state/t.yaml")));
    }

    // What does not change: the train, its participants, the plan and the
    // tags; what does: the status and each participant's phase.
    let after = relman(&repo, &["train", "show", "t"]).success();
    assert_eq!(lasting(&repo), lasting_before, "before:\n{before}\nafter:\n{after}");
    assert!(after.stdout.contains("t  completed  3/3 released"), "{after}");
    for name in ["api", "web", "worker"] {
        let line = format!("  {name:<25}healthy      {name}-v1.1.0");
        assert!(after.stdout.contains(&line), "{line:?} not in:\n{after}");
    }
}

/// The move carries every participant's progress, not only the one whose
/// step wrote: a run stopped right after that first commit (here: a clone
/// reset to it, as another machine would find the history) is resumed
/// without releasing api again.
#[test]
fn the_move_carries_the_progress_of_every_participant() {
    let done = legacy_train();
    let fixture = done.git(&["rev-parse", "HEAD"]);
    relman(&done, &["train", "run", "t", "--resume"]).success();
    let first = commits(&done, &format!("{fixture}..HEAD"))[0].clone();
    let api = done.git(&["show", &format!("{first}:.relman/state/t/api.yaml")]);
    assert!(api.contains("tag: api-v1.1.0") && !api.contains("phase: pending"), "{api}");

    let repo = TestRepo::clone_of(&done, &[]);
    repo.git(&["reset", "-q", "--hard", &first]);
    repo.git(&["tag", "-d", "worker-v1.1.0"]);
    let run = relman(&repo, &["train", "run", "t", "--resume"]).success();
    assert!(run.stdout.contains("t moved verifying → completed"), "{run}");
    assert_eq!(repo.git(&["tag", "-l", "*-v1.1.0"]), "api-v1.1.0\nweb-v1.1.0\nworker-v1.1.0");
    let subjects = repo.git(&["log", "--format=%s"]);
    for name in ["api", "web", "worker"] {
        let subject = format!("chore(release): {name}-v1.1.0");
        assert_eq!(subjects.lines().filter(|s| *s == subject).count(), 1, "{subjects}");
    }
    repo.relman(&["audit", "verify"]).success();
}

const OPEN: &str = "analysis/reports/audit.log";

fn segment(n: u32) -> String {
    format!("analysis/reports/audit.{n:06}.log")
}

/// A train needing seven approvals, each given with a 30,000-character
/// note: each audit line is about 30 KiB, so every third one seals the
/// open segment (64 KiB) and seven leave three sealed segments of two
/// lines each and an open one of one.
fn sealed_trail() -> TestRepo {
    let repo = TestRepo::new();
    let roles: Vec<String> = (1..=7).map(|k| format!("r{k}")).collect();
    repo.write("catalog/services.yaml", "services:\n  - name: api\n    path: services/api\n")
        .write(
            "catalog/release-trains.yaml",
            &format!(
                "trains:\n  - name: t\n    participants: [api]\n    gates:\n      - approvals: [{}]\n",
                roles.join(", ")
            ),
        )
        .write("services/api/VERSION", "1.0.0\n")
        .write(".gitignore", ".relman/logs/\n");
    repo.commit("chore: platform");
    for (k, role) in roles.iter().enumerate() {
        let note = format!("{k}{}", "x".repeat(30_000));
        repo.relman(&["approve", "t", "--role", role, "--note", &note]).success();
    }
    repo
}

#[track_caller]
fn verify_fails(repo: &TestRepo, names: &str) {
    let run = repo.relman(&["audit", "verify"]).code(1);
    assert!(run.stderr.contains(names), "{names:?} not named:\n{run}");
}

#[test]
fn audit_verify_reads_every_sealed_segment_in_order_and_names_the_broken_one() {
    let repo = sealed_trail();
    for n in 1..=3 {
        assert_eq!(repo.read(&segment(n)).lines().count(), 2, "{}", segment(n));
        // Each segment was sealed as it was: its blob is the one the open
        // segment had in the commit before the seal.
        let sealed_in = repo.git(&["log", "--format=%H", "--diff-filter=A", "--", &segment(n)]);
        assert_eq!(
            repo.git(&["rev-parse", &format!("{sealed_in}:{}", segment(n))]),
            repo.git(&["rev-parse", &format!("{sealed_in}~1:{OPEN}")]),
        );
    }
    assert!(!repo.exists(&segment(4)));
    assert_eq!(repo.read(OPEN).lines().count(), 1);
    let ok = repo.relman(&["audit", "verify"]).success();
    assert!(ok.stdout.contains("7 lines"), "{ok}");

    // A line of segment 2 edited (its note, one character).
    let edited = repo.duplicate();
    let text = edited.read(&segment(2));
    let mut lines: Vec<&str> = text.lines().collect();
    let altered = lines[1].replacen("xxx", "xyx", 1);
    lines[1] = &altered;
    edited.write(&segment(2), &format!("{}\n", lines.join("\n")));
    verify_fails(&edited, &format!("{}:2", segment(2)));
    verify_fails(&edited, "line 2 was altered");

    // Segment 2 removed.
    let removed = repo.duplicate();
    std::fs::remove_file(removed.root.join(segment(2))).unwrap();
    verify_fails(&removed, &format!("segment `{}` of the audit trail is missing", segment(2)));

    // Segments 2 and 3 swapped: the one named 2 does not follow 1.
    let swapped = repo.duplicate();
    let at = |n: u32| swapped.root.join(segment(n));
    std::fs::rename(at(2), at(9)).unwrap();
    std::fs::rename(at(3), at(2)).unwrap();
    std::fs::rename(at(9), at(3)).unwrap();
    verify_fails(&swapped, &format!("{}:1", segment(2)));
    verify_fails(&swapped, "a segment is missing or the segments are out of order");
}

/// Six services in three waves, each with two version files, a changelog
/// and no-op hooks, each tagged once and with a feature since; a train `t`
/// of all six that needs the approval of `qa`.
fn six_services() -> TestRepo {
    let repo = TestRepo::new();
    let mut services = String::from("services:\n");
    for (k, deps) in [(1, ""), (2, ""), (3, "s2"), (4, "s2"), (5, "s4"), (6, "s4")] {
        services.push_str(&format!(
            "  - name: s{k}\n    path: services/s{k}\n    depends_on: [{deps}]\n    version_files: [services/s{k}/VERSION, services/s{k}/package.json]\n    changelog: services/s{k}/CHANGELOG.md\n    hooks: {{release: \"true\", health: \"true\"}}\n"
        ));
        repo.write(&format!("services/s{k}/VERSION"), "1.0.0\n")
            .write(
                &format!("services/s{k}/package.json"),
                &format!("{{\n  \"name\": \"s{k}\",\n  \"version\": \"1.0.0\"\n}}\n"),
            )
            .write(&format!("services/s{k}/CHANGELOG.md"), "# Changelog\n");
    }
    repo.write("catalog/services.yaml", &services)
        .write(
            "catalog/release-trains.yaml",
            "trains:\n  - name: t\n    participants: [s1, s2, s3, s4, s5, s6]\n    gates:\n      - approvals: [qa]\n",
        )
        .write(".gitignore", ".relman/logs/\n");
    repo.commit("chore: platform");
    for k in 1..=6 {
        repo.tag(&format!("s{k}-v1.0.0"));
    }
    for k in 1..=6 {
        repo.change(&format!("services/s{k}/src.txt"), &format!("feat(s{k}): more"));
    }
    repo
}

/// Starts `t`, approves it with `note`, and runs it to the end.
fn run_six(repo: &TestRepo, note: &str) {
    repo.relman(&["train", "start", "t"]).code(1);
    repo.relman(&["approve", "t", "--role", "qa", "--note", note]).success();
    let run = repo.relman(&["train", "run", "t"]).success();
    assert!(run.stdout.contains("t moved verifying → completed"), "{run}");
}

#[test]
fn each_release_commit_holds_only_its_participants_files_and_the_open_segment() {
    // A first run measures the audit lines: the approval's note is then
    // sized so that the open segment reaches 64 KiB halfway through the
    // third release's line, which seals it in that release commit.
    let measure = six_services();
    run_six(&measure, "x");
    let trail = measure.read(OPEN);
    let sizes: Vec<usize> = trail.lines().map(|l| l.len() + 1).collect();
    let third = trail.lines().position(|l| l.contains(r#""action":"release","service":"s3""#));
    let third = third.expect("s3's release line");
    let before: usize = sizes[..third].iter().sum();
    let note = "x".repeat(64 * 1024 + 1 - before - sizes[third] / 2);

    let repo = six_services();
    let start = repo.git(&["rev-parse", "HEAD"]);
    run_six(&repo, &note);
    let mut releases = 0;
    for commit in commits(&repo, &format!("{start}..HEAD")) {
        let subject = repo.git(&["log", "-1", "--format=%s", &commit]);
        let Some(service) =
            subject.strip_prefix("chore(release): ").and_then(|s| s.strip_suffix("-v1.1.0"))
        else {
            continue;
        };
        releases += 1;
        assert_eq!(repo.git(&["tag", "--points-at", &commit]), format!("{service}-v1.1.0"));
        let files = repo.git(&["diff-tree", "--no-commit-id", "--name-only", "-r", &commit]);
        let mut expected = vec![
            ".relman/state/t/train.yaml".to_owned(),
            format!(".relman/state/t/{service}.yaml"),
            OPEN.to_owned(),
            format!("services/{service}/CHANGELOG.md"),
            format!("services/{service}/VERSION"),
            format!("services/{service}/package.json"),
        ];
        if service == "s3" {
            // The seal: the open segment as it was, renamed; the new open
            // segment holds this release's line alone.
            expected.push(segment(1));
            assert_eq!(
                repo.git(&["rev-parse", &format!("{commit}:{}", segment(1))]),
                repo.git(&["rev-parse", &format!("{commit}~1:{OPEN}")]),
            );
            let open = repo.git(&["show", &format!("{commit}:{OPEN}")]);
            assert_eq!(open.lines().count(), 1, "{open}");
            assert!(open.contains(r#""service":"s3""#), "{open}");
        }
        expected.sort();
        assert_eq!(files, expected.join("\n"), "{subject}");
    }
    assert_eq!(releases, 6);
    assert_eq!(repo.git(&["ls-files", "analysis/reports"]), format!("{}\n{OPEN}", segment(1)));
    repo.relman(&["audit", "verify"]).success();
}
