//! Reading history as git reads it where repositories are unusual:
//! replaced commits (`git replace`, `git replace --graft`), repositories in
//! a format relman cannot read (SHA-256 object names, reftable refs), and
//! tags whose object is missing.

use crate::support::TestRepo;

/// A project released as 1.0.0 (tag `v1.0.0`), then a fix.
fn released() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/a.txt", "fix: a");
    repo
}

/// What `relman next` says, as JSON, with `vars` in the environment.
fn next(repo: &TestRepo, vars: &[(&str, &str)]) -> serde_json::Value {
    repo.relman_env(&["next", "--format", "json"], vars).success().json()
}

#[test]
fn a_replaced_commit_is_read_as_git_log_reads_it_unless_replacing_is_turned_off() {
    let repo = released();
    // HEAD replaced by a commit of the same tree and parent saying `feat`.
    let feat = repo.git(&["commit-tree", "HEAD^{tree}", "-p", "HEAD~1", "-m", "feat: a"]);
    repo.git(&["replace", "HEAD", &feat]);
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "feat: a");
    for graph in [false, true] {
        if graph {
            // git does not read the commit-graph where objects are replaced.
            repo.git(&["commit-graph", "write", "--reachable"]);
        }
        assert_eq!(next(&repo, &[])["next"], "1.1.0", "commit-graph: {graph}");
        let off = next(&repo, &[("GIT_NO_REPLACE_OBJECTS", "1")]);
        assert_eq!(off["next"], "1.0.1", "commit-graph: {graph}");
    }
}

#[test]
fn a_graft_made_with_git_replace_brings_its_parents_into_the_history() {
    let repo = released();
    // A breaking change on a side branch from the release, never merged.
    repo.git(&["checkout", "-q", "-b", "side", "v1.0.0"]);
    let side = repo.change("src/b.txt", "feat!: drop the old api");
    repo.git(&["checkout", "-q", "-"]);
    // Grafted as HEAD's second parent, it is in HEAD's history for git.
    repo.git(&["replace", "--graft", "HEAD", "HEAD~1", &side]);
    let log = repo.git(&["log", "--format=%s", "v1.0.0..HEAD"]);
    assert!(log.contains("feat!: drop the old api"), "{log}");
    for graph in [false, true] {
        if graph {
            repo.git(&["commit-graph", "write", "--reachable"]);
        }
        assert_eq!(next(&repo, &[])["next"], "2.0.0", "commit-graph: {graph}");
        let off = next(&repo, &[("GIT_NO_REPLACE_OBJECTS", "1")]);
        assert_eq!(off["next"], "1.0.1", "commit-graph: {graph}");
    }
}

#[test]
fn a_sha256_or_reftable_repository_is_named_for_what_relman_cannot_read() {
    let repo = TestRepo::new();
    for (format, says, hint) in [
        ("--object-format=sha256", "SHA-256", "SHA-1 repository"),
        ("--ref-format=reftable", "reftable", "git refs migrate --ref-format=files"),
    ] {
        let dir = repo.root.join(format.trim_start_matches("--").replace('=', "-"));
        let out = std::process::Command::new("git")
            .args(["init", "-q", format])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "git init {format}: {out:?}");
        let run = repo.relman(&["-C", dir.to_str().unwrap(), "status"]).code(2);
        assert!(run.stderr.contains(says) && run.stderr.contains(hint), "{format}: {run}");
        assert!(!run.stderr.contains("not inside a git repository"), "{format}: {run}");
    }
}

#[test]
fn a_tag_whose_object_is_missing_is_skipped_with_a_warning_loose_or_packed() {
    let repo = released();
    let gone = "0123456789abcdef0123456789abcdef01234567";
    // A newer release tag whose commit is not in the repository (a tag
    // fetched without its objects, or an object pruned), packed...
    repo.git(&["pack-refs", "--all"]);
    let packed = std::fs::read_to_string(repo.root.join(".git/packed-refs")).unwrap();
    let packed = format!("{packed}{gone} refs/tags/v3.0.0\n");
    std::fs::write(repo.root.join(".git/packed-refs"), packed).unwrap();
    // ... and loose.
    std::fs::write(repo.root.join(".git/refs/tags/v2.0.0"), format!("{gone}\n")).unwrap();
    for args in [&["next", "--format", "json"][..], &["status"], &["notes", "--all"]] {
        let run = repo.relman(args).success();
        for tag in ["v2.0.0", "v3.0.0"] {
            let warning = format!("tag `{tag}` is skipped: its object {gone} is missing");
            assert_eq!(run.stderr.matches(&warning).count(), 1, "{args:?}: {run}");
        }
        assert!(!run.stderr.contains("tree or a blob"), "{args:?}: {run}");
    }
    let json = next(&repo, &[]);
    assert_eq!((&json["current"], &json["next"]), (&"1.0.0".into(), &"1.0.1".into()));
}
