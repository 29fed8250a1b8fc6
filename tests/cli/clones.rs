//! The repositories CI and release engineers really have: maintenance
//! branches, shallow and partial clones, separate git dirs, worktrees.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::TestRepo;

/// `v1.0.0`, `release/1.x` from it, `v2.0.0` on main, then a fix on
/// `release/1.x` (checked out).
fn maintenance() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n").write("CHANGELOG.md", "# Changelog\n");
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.git(&["branch", "release/1.x"]);
    repo.change("src/lib.rs", "feat!: the new api");
    repo.write("VERSION", "2.0.0\n");
    repo.commit("chore(release): v2.0.0");
    repo.tag("v2.0.0");
    repo.git(&["checkout", "-q", "release/1.x"]);
    repo.change("src/old.rs", "fix: patch the old line");
    repo
}

#[test]
fn a_maintenance_branch_releases_from_its_own_last_tag() {
    let repo = maintenance();
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["current"], "1.0.0");
    assert_eq!(json["next"], "1.0.1");
    assert_eq!(json["commits"].as_array().unwrap().len(), 1);
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.0.0 → 1.0.1") && run.stdout.contains("since `v1.0.0`"), "{run}");
    assert!(run.stderr.contains("tag `v2.0.0` is not in the history of HEAD"), "{run}");

    repo.relman(&["create", "patch"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.0.1");
    assert_eq!(repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]), "release/1.x");
    assert_eq!(repo.read("VERSION"), "1.0.1\n");
    // An explicit version is compared with the branch's own line too.
    repo.change("src/old.rs", "fix: again");
    repo.relman(&["create", "patch", "--version", "1.0.2"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.0.2");
    // main still sees 2.0.0.
    repo.git(&["checkout", "-q", "main"]);
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["current"], "2.0.0");
}

#[test]
fn a_service_on_a_maintenance_branch_uses_its_own_tag_pattern() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: curve\n    path: services/curve\n    tag: \"curve-release-{version}\"\n    version_files: [services/curve/VERSION]\n",
    );
    repo.write("services/curve/VERSION", "1.0.0\n").write("services/other/x", "1\n");
    repo.commit("feat(curve): first");
    repo.tag("curve-release-1.0.0");
    repo.git(&["branch", "release/curve-1.x"]);
    repo.change("services/curve/src.rs", "feat(curve)!: rework");
    repo.write("services/curve/VERSION", "2.0.0\n");
    repo.commit("chore(release): curve-release-2.0.0");
    repo.tag("curve-release-2.0.0");
    repo.git(&["checkout", "-q", "release/curve-1.x"]);
    repo.change("services/curve/src.rs", "fix(curve): old line");
    repo.change("services/other/x", "feat: not curve");
    let json = repo.relman(&["next", "curve", "--format", "json"]).success().json();
    assert_eq!((json["current"].as_str(), json["next"].as_str()), (Some("1.0.0"), Some("1.0.1")));
    assert_eq!(json["commits"].as_array().unwrap().len(), 1);
    repo.relman(&["create", "patch", "curve"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "curve-release-1.0.1");
    assert_eq!(repo.read("services/curve/VERSION"), "1.0.1\n");
}

/// A project with a tag 3 commits behind HEAD and 5 commits in all.
fn upstream() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n").write("CHANGELOG.md", "# Changelog\n");
    repo.commit("feat: first");
    repo.change("src/a.rs", "feat: second");
    repo.tag("v1.0.0");
    repo.change("src/a.rs", "feat: third");
    repo.change("src/a.rs", "fix: fourth");
    repo.change("src/a.rs", "fix: fifth");
    repo
}

/// Every command that reads history, in a clone.
const HISTORY_COMMANDS: &[&[&str]] =
    &[&["next"], &["notes"], &["notes", "--all"], &["status"], &["create", "patch"]];

#[test]
fn a_shallow_clone_that_cut_needed_history_is_refused_with_the_fix() {
    let src = upstream();
    // Depth 1 and 3 cut the history above `v1.0.0`; with or without tags.
    let depths: [&[&str]; 4] = [
        &["--depth", "1"],
        &["--depth", "1", "--no-tags"],
        &["--depth", "3"],
        &["--depth", "3", "--no-tags"],
    ];
    for args in depths {
        let clone = TestRepo::clone_of(&src, args);
        for cmd in HISTORY_COMMANDS {
            let run = clone.relman(cmd).code(3);
            assert!(
                run.stderr.contains("this is a shallow clone")
                    && run.stderr.contains("git fetch --unshallow --tags")
                    && run.stderr.contains("fetch-depth: 0"),
                "{args:?} {cmd:?}: {run}"
            );
        }
        assert!(clone.git(&["tag", "-l", "v1.0.1"]).is_empty());
        // `--version` cannot re-cut an existing release either.
        clone.relman(&["create", "patch", "--version", "1.0.0"]).code(3);
    }
}

#[test]
fn a_shallow_clone_whose_cut_lies_behind_the_last_tag_answers_exactly() {
    let src = upstream();
    let full = TestRepo::clone_of(&src, &[]);
    let clone = TestRepo::clone_of(&src, &["--depth", "4"]);
    assert_eq!(clone.git(&["tag", "-l"]), "v1.0.0", "the tag came with the depth");
    for cmd in [&["next", "--format", "json"][..], &["notes"], &["status", "--format", "json"]] {
        let (a, b) = (full.relman(cmd).success(), clone.relman(cmd).success());
        assert_eq!(a.stdout.replace("repo", ""), b.stdout.replace("repo", ""), "{cmd:?}");
    }
    clone.relman(&["create", "minor"]).success();
    assert_eq!(clone.git(&["describe", "--tags", "--exact-match"]), "v1.1.0");
}

#[test]
fn a_shallow_monorepo_is_refused_for_status_and_plans() {
    let src = TestRepo::new();
    src.write(
        "catalog/services.yaml",
        "services:\n  - name: a\n    path: services/a\n  - name: b\n    path: services/b\n    depends_on: [a]\n",
    );
    src.write("catalog/release-trains.yaml", "trains:\n  - name: t\n    participants: [a, b]\n");
    src.write("services/a/f", "1\n").write("services/b/f", "1\n");
    src.commit("chore: start");
    src.tag("a-v1.0.0");
    src.tag("b-v1.0.0");
    src.change("services/a/f", "feat(a): one");
    src.change("services/a/f", "feat(a): two");
    src.change("services/b/f", "fix(b): three");
    let cut = TestRepo::clone_of(&src, &["--depth", "2"]);
    for cmd in [&["status"][..], &["train", "plan", "t"], &["next", "a"], &["create", "minor", "b"]]
    {
        let run = cut.relman(cmd).code(3);
        assert!(run.stderr.contains("git fetch --unshallow --tags"), "{cmd:?}: {run}");
    }
    cut.relman(&["train", "validate", "t"]).success();
    let whole = TestRepo::clone_of(&src, &["--depth", "4"]);
    let plan = whole.relman(&["train", "plan", "t", "--format", "json"]).success().json();
    assert_eq!(plan["sequence"][0]["to"], "1.1.0");
    assert_eq!(plan["sequence"][1]["to"], "1.0.1");
}

#[test]
fn a_tree_less_partial_clone_is_refused_clearly_and_a_blob_less_one_works() {
    let src = TestRepo::new();
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    src.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    src.write("catalog/services.yaml", "services:\n  - name: a\n    path: services/a\n");
    src.write("services/a/f", "1\n");
    src.commit("chore: start");
    src.tag("a-v1.0.0");
    src.change("services/a/f", "feat(a): one");
    src.change("services/a/f", "fix(a): two");
    let treeless = TestRepo::clone_of(&src, &["--filter=tree:0"]);
    let run = treeless.relman(&["next", "a"]).code(3);
    assert!(
        run.stderr.contains("an object is missing from the local repository")
            && run.stderr.contains("git fetch --refetch --filter=blob:none origin"),
        "{run}"
    );
    let blobless = TestRepo::clone_of(&src, &["--filter=blob:none"]);
    let json = blobless.relman(&["next", "a", "--format", "json"]).success().json();
    assert_eq!(json["next"], "1.1.0");
}

#[test]
fn a_clone_with_a_separate_git_dir_releases_in_its_own_work_tree() {
    let src = upstream();
    let clone = TestRepo::clone_of(&src, &["--separate-git-dir", "$TMP/gitdir"]);
    assert!(clone.root.join(".git").is_file());
    clone.relman(&["status"]).success();
    clone.relman(&["create", "minor"]).success();
    assert_eq!(clone.git(&["describe", "--tags", "--exact-match"]), "v1.1.0");
    assert_eq!(clone.read("VERSION"), "1.1.0\n");
    assert_eq!(clone.git(&["status", "--porcelain"]), "");
}

#[test]
fn two_worktrees_releasing_at_once_release_once() {
    let repo = maintenance();
    let other = repo.root.with_file_name("other-worktree");
    repo.git(&["worktree", "add", "-q", other.to_str().unwrap(), "main"]);
    // The repository's commit-msg hook (shared by both worktrees) keeps the
    // first writer busy with the lock held.
    repo.write(".git/hooks/commit-msg", "#!/bin/sh\nsleep 2\n");
    repo.git(&["update-index", "--refresh"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let hook = repo.root.join(".git/hooks/commit-msg");
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut first = repo.relman_command(&["create", "patch"]);
    let mut first = first.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let lock = repo.root.join(".git/relman.lock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&lock).map(|t| t.is_empty()).unwrap_or(true) {
        assert!(Instant::now() < deadline, "the first writer never took the lock");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut second = repo.relman_command(&["create", "minor"]);
    let second = second.current_dir(&other).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("the repository is locked by pid")
            && stderr.contains("relman create patch"),
        "{stderr}"
    );
    assert!(first.wait().unwrap().success());
    assert_eq!(repo.git(&["tag", "-l", "v*"]), "v1.0.0\nv1.0.1\nv2.0.0");
    assert_eq!(repo.git_in(&other, &["log", "-1", "--format=%s"]), "chore(release): v2.0.0");
}

#[test]
fn a_sparse_checkout_is_not_a_dirty_tree() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n").write("web/app.js", "1\n").write("docs/guide.md", "1\n");
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.change("web/app.js", "fix: web");
    repo.git(&["sparse-checkout", "set", "web"]);
    assert!(!repo.exists("docs/guide.md"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.relman(&["create", "patch"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.0.1");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(!repo.exists("docs/guide.md"), "the sparse cone was widened");
    // A real change is still a dirty tree.
    repo.write("web/app.js", "2\n");
    let run = repo.relman(&["create", "patch"]).code(3);
    assert!(run.stderr.contains("web/app.js") && !run.stderr.contains("docs/guide.md"), "{run}");
}

/// relman reads commits and trees from the pack files itself and leaves
/// the rest to libgit2: `status` over several services, and `next` for
/// one (its commits with their messages), are the same in the packed
/// repository, a clone whose objects come from the server's packs (a
/// blob-less one), a clone that borrows the objects of another store
/// (`--reference`, through `objects/info/alternates`) and with loose
/// objects only.
#[test]
fn status_is_the_same_whatever_stores_the_objects() {
    let src = TestRepo::new();
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    let services = ["a", "b", "c", "d"];
    let mut catalog = String::from("services:\n");
    for s in services {
        catalog += &format!("  - name: {s}\n    path: services/{s}\n");
        src.write(&format!("services/{s}/VERSION"), "1.0.0\n");
    }
    src.write("catalog/services.yaml", &catalog);
    src.commit("chore: start");
    for (k, s) in services.iter().enumerate() {
        if k % 2 == 0 {
            src.tag(&format!("{s}-v1.0.0"));
        }
    }
    for i in 0..40 {
        let s = services[i % services.len()];
        let kind = ["feat", "fix", "docs"][i % 3];
        src.change(&format!("services/{s}/src/{}.rs", i % 5), &format!("{kind}({s}): change {i}"));
        if i == 20 {
            src.tag("b-v1.1.0");
        }
    }
    let answers = |repo: &TestRepo| -> Vec<serde_json::Value> {
        let mut all = vec![repo.relman(&["status", "--format", "json"]).success().json()];
        for s in ["a", "b", "c"] {
            all.push(repo.relman(&["next", s, "--format", "json"]).success().json());
        }
        all
    };
    let loose = answers(&src);
    assert!(
        loose[0]["units"].as_array().unwrap().iter().any(|u| u["commits_since"].as_u64() > Some(3))
    );
    assert!(loose[2]["commits"].as_array().is_some_and(|c| c.len() > 3), "{}", loose[2]);
    src.git(&["gc", "-q", "--aggressive"]);
    assert!(src.git(&["count-objects", "-v"]).contains("count: 0"));
    assert_eq!(answers(&src), loose);
    let blobless = TestRepo::clone_of(&src, &["--filter=blob:none"]);
    assert_eq!(answers(&blobless), loose);
    let src_path = src.root.display().to_string();
    let borrowing = TestRepo::clone_of(&src, &["--reference", &src_path]);
    assert!(borrowing.root.join(".git/objects/info/alternates").exists());
    assert_eq!(answers(&borrowing), loose);
}
