//! `relman next` and `relman create auto` read Conventional Commits since
//! the last tag exactly as SPEC §3.2 says (issue 2, acceptance 4).

use crate::support::TestRepo;

/// A project released as `version` (tag `v{version}`), then `messages`.
fn history(version: &str, messages: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", &format!("{version}\n"));
    repo.commit("chore: start");
    repo.tag(&format!("v{version}"));
    for (i, m) in messages.iter().enumerate() {
        repo.change(&format!("src/f{i}.txt"), m);
    }
    repo
}

fn next_json(repo: &TestRepo) -> serde_json::Value {
    repo.relman(&["next", "--format", "json"]).success().json()
}

#[test]
fn auto_picks_the_level_the_commits_ask_for() {
    let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
        ("1.4.2", &["feat(api)!: drop v1 endpoints"], Some("major"), "2.0.0"),
        ("1.4.2", &["fix: tidy\n\nBREAKING CHANGE: config moved"], Some("major"), "2.0.0"),
        ("1.4.2", &["refactor: x\n\nBREAKING-CHANGE: gone"], Some("major"), "2.0.0"),
        ("1.4.2", &["feat: tenor lookup", "fix: rounding"], Some("minor"), "1.5.0"),
        ("1.4.2", &["fix: rounding", "docs: readme"], Some("patch"), "1.4.3"),
        ("1.4.2", &["perf: faster curve build"], Some("patch"), "1.4.3"),
        ("0.3.1", &["feat!: new engine"], Some("minor"), "0.4.0"),
        ("0.3.1", &["fix: x"], Some("patch"), "0.3.2"),
        ("1.4.2", &["chore: bump deps", "docs: typo", "ci: cache"], None, "1.4.2"),
        ("1.4.2", &["Update stuff", "WIP", "Merge branch 'x'"], None, "1.4.2"),
    ];
    for (version, messages, level, expected) in cases {
        let repo = history(version, messages);
        let json = next_json(&repo);
        assert_eq!(json["bump"].as_str(), *level, "{messages:?}: {json}");
        assert_eq!(json["releasable"], level.is_some(), "{messages:?}");
        let run = repo.relman(&["create", "auto"]);
        match level {
            Some(_) => {
                run.success();
                assert_eq!(repo.read("VERSION"), format!("{expected}\n"), "{messages:?}");
                assert_eq!(
                    repo.git(&["describe", "--tags", "--exact-match"]),
                    format!("v{expected}")
                );
            }
            None => {
                let run = run.code(1);
                assert!(run.stderr.contains("nothing to release"), "{run}");
                assert_eq!(repo.git(&["tag", "-l"]), format!("v{version}"));
            }
        }
    }
}

#[test]
fn next_reports_the_commits_behind_it() {
    let repo = history(
        "1.4.2",
        &[
            "feat(curve): add tenor",
            "fix: day count\n\nSecurity: CVE-2026-1",
            "Update README by hand",
        ],
    );
    let json = next_json(&repo);
    assert_eq!(json["schema"], "relman.next/1");
    assert_eq!(json["current"], "1.4.2");
    assert_eq!(json["next"], "1.5.0");
    assert_eq!(json["release_type"], "security_patch");
    let commits = json["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 3);
    assert_eq!(commits[0]["summary"], "Update README by hand");
    assert_eq!(commits[0]["conventional"], false);
    assert_eq!(commits[0]["type"], serde_json::Value::Null);
    assert_eq!(commits[2]["type"], "feat");
    assert_eq!(commits[2]["scope"], "curve");
    assert_eq!(commits[2]["breaking"], false);
    assert_eq!(commits[2]["id"].as_str().unwrap().len(), 40);

    let human = repo.relman(&["next"]).success();
    assert!(
        human
            .stdout
            .starts_with("repo 1.4.2 → 1.5.0 (minor, security_patch)\n3 commits since `v1.4.2`\n"),
        "{human}"
    );
    assert!(human.stdout.contains("Update README by hand  [not conventional]"), "{human}");
}

#[test]
fn release_types_follow_the_footers() {
    let hotfix = history("2.0.0", &["fix: crash on empty book\n\nUrgency: critical"]);
    assert_eq!(next_json(&hotfix)["release_type"], "service_hotfix");
    let major = history("2.0.0", &["feat!: x"]);
    assert_eq!(next_json(&major)["release_type"], "platform_major");
    let nothing = history("2.0.0", &["chore: x"]);
    let json = next_json(&nothing);
    assert_eq!(
        (json["releasable"].clone(), json["next"].clone()),
        (false.into(), serde_json::Value::Null)
    );
}

#[test]
fn without_tags_the_version_file_is_current() {
    let repo = TestRepo::new();
    repo.write("package.json", "{\n  \"name\": \"x\",\n  \"version\": \"0.9.0\"\n}\n");
    repo.commit("feat: first");
    let json = next_json(&repo);
    assert_eq!(
        (json["current"].as_str(), json["current_source"].as_str()),
        (Some("0.9.0"), Some("version_file"))
    );
    assert_eq!(json["next"], "0.10.0");
}

#[test]
fn notes_read_any_range() {
    let repo = history("1.0.0", &["feat: one", "fix: two"]);
    repo.tag("v1.1.0");
    repo.change("src/late.txt", "feat: three");
    let json = repo.relman(&["notes", "v1.0.0..v1.1.0", "--format", "json"]).success().json();
    let summaries: Vec<&str> = json["releases"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, ["two", "one"]);
    let latest = repo.relman(&["notes"]).success();
    assert_eq!(
        latest.stdout.lines().collect::<Vec<_>>()[..3],
        [
            "### New Features",
            "",
            &format!("- three ({})", &repo.git(&["rev-parse", "--short=7", "HEAD"]))
        ]
    );
    let run = repo.relman(&["notes", "v9.9.9..HEAD"]).code(2);
    assert!(run.stderr.contains("unknown revision `v9.9.9`"), "{run}");
}

#[test]
fn the_first_release_may_keep_the_files_version_but_never_go_below() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: first");
    let run = repo.relman(&["create", "patch", "--version", "0.9.0"]).code(3);
    assert!(run.stderr.contains("version 0.9.0 is not greater than the current 1.0.0"), "{run}");
    repo.relman(&["create", "patch", "--version", "1.0.0"]).success();
    assert_eq!(repo.git(&["tag", "-l"]), "v1.0.0");
    let run = repo.relman(&["create", "patch", "--version", "1.0.0"]).code(3);
    assert!(run.stderr.contains("tag `v1.0.0` already exists"), "{run}");
}

#[test]
fn packed_and_loose_tags_resolve_to_their_commits() {
    let repo = history("1.0.0", &["fix: a"]);
    repo.git(&["tag", "v1.0.1"]); // lightweight, packed below without a `^` line
    repo.change("src/b.txt", "fix: b");
    repo.tag("v1.0.2"); // annotated, packed with its `^` line
    repo.git(&["pack-refs", "--all"]);
    assert!(repo.read(".git/packed-refs").contains("^"), "no peeled line");
    repo.change("src/c.txt", "feat: c");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!((json["last_tag"].as_str(), json["next"].as_str()), (Some("v1.0.2"), Some("1.1.0")));
    assert_eq!(json["commits"].as_array().unwrap().len(), 1, "{json}");
    // The full changelog splits the history at every packed tag, annotated or not.
    let notes = repo.relman(&["notes", "--all"]).success().stdout;
    let headings: Vec<&str> = notes.lines().filter(|l| l.starts_with("## ")).collect();
    let dated = [
        "## Unreleased",
        "## 1.0.2 (2023-11-14)",
        "## 1.0.1 (2023-11-14)",
        "## 1.0.0 (2023-11-14)",
    ];
    assert_eq!(headings, dated, "{notes}");
    // A loose tag of the same name wins over the packed one.
    repo.git(&["tag", "-f", "-a", "-m", "moved", "v1.0.2", "HEAD~2"]);
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["commits"].as_array().unwrap().len(), 2, "{json}");
}

#[test]
fn the_full_changelog_splits_at_tags_on_merges_and_outside_the_path() {
    // A release tag on a merge commit still starts its section.
    let repo = history("1.0.0", &["feat: one"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.change("src/f.txt", "fix: on the branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature"]);
    repo.tag("v1.1.0");
    repo.change("src/g.txt", "fix: after");
    let notes = repo.relman(&["notes", "--all"]).success().stdout;
    let headings: Vec<&str> = notes.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        ["## Unreleased", "## 1.1.0 (2023-11-14)", "## 1.0.0 (2023-11-14)"],
        "{notes}"
    );
    assert!(!notes.contains("Merge branch"), "merges stay out of the notes: {notes}");

    // A service whose release commit touches nothing under its path (no
    // version file, no changelog) still gets one section per release.
    let repo = TestRepo::new();
    repo.write("catalog/services.yaml", "services:\n  - name: api\n    path: services/api\n");
    repo.change("services/api/a.txt", "feat(api): first");
    repo.relman(&["create", "minor", "api"]).success();
    repo.change("services/api/a.txt", "fix(api): second");
    repo.relman(&["create", "patch", "api"]).success();
    let notes = repo.relman(&["notes", "--all", "--service", "api"]).success().stdout;
    let headings: Vec<&str> = notes.lines().filter(|l| l.starts_with("## ")).collect();
    // Headings carry the release date, as the changelog's do: the date of
    // the tagged release commit.
    let date = |tag: &str| repo.git(&["log", "-1", "--format=%cs", tag]);
    let (new, old) = (date("api-v0.1.1"), date("api-v0.1.0"));
    assert_eq!(headings, [format!("## 0.1.1 ({new})"), format!("## 0.1.0 ({old})")], "{notes}");
    let section = format!("## 0.1.1 ({new})\n\n### Bug Fixes\n\n- **api:** second");
    assert!(notes.contains(&section), "{notes}");
}

/// A service path read as git reads a pathspec: `..` and `.` resolved, so
/// the commits under `services/../services/db` are those `git log` lists
/// for it, in one service's walk and in the walk of many (`status`). A path
/// that names nothing at HEAD says so, once for all such services.
#[test]
fn a_service_path_is_read_as_git_reads_it_and_a_missing_one_warns() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: db\n    path: services/../services/./db/\n  - name: api\n    path: services/api\n  - name: ghost\n    path: services/ghost\n  - name: spook\n    path: services/db/../spook\n",
    );
    repo.change("services/db/a.txt", "feat(db): first");
    repo.change("services/api/a.txt", "fix(api): first");
    repo.change("services/db/b.txt", "fix(db): second");
    let git: Vec<String> = repo
        .git(&["log", "--format=%H", "--", "services/../services/./db/"])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(git.len(), 2);
    let next = repo.relman(&["next", "db", "--format", "json"]).success();
    let ours: Vec<String> = next.json()["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ours, git, "{next}");
    assert!(!next.stderr.contains("does not exist"), "{next}");
    let status = repo.relman(&["status", "--format", "json"]).success();
    let units = status.json()["units"].as_array().unwrap().clone();
    let db = units.iter().find(|s| s["name"] == "db").unwrap();
    assert_eq!(db["commits_since"].as_u64(), Some(2), "{status}");

    let ghost = repo.relman(&["next", "ghost"]).success();
    assert!(
        ghost.stderr.contains(
            "the path of `ghost` (`services/ghost`) does not exist at HEAD: no commit counts for it until it does"
        ),
        "{ghost}"
    );
    assert!(
        status.stderr.contains(
            "the paths of 2 services do not exist at HEAD: no commit counts for them until they do: `ghost` (`services/ghost`), `spook` (`services/db/../spook`)"
        ),
        "{status}"
    );
}
