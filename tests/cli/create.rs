//! `relman create` on a single project (issue 2, acceptance 3, 5, 6).

use crate::support::TestRepo;

const CARGO: &str = "# The project's manifest\n[package]\nname = \"demo\"\nversion = \"1.2.3\" # keep this comment\nedition = \"2021\"\n\n[dependencies]\nserde = { version = \"1.0\" }\n";
const PACKAGE: &str = "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\",\n  \"dependencies\": { \"left-pad\": \"1.0.0\" }\n}\n";
const CHANGELOG: &str =
    "# Changelog\n\nAll notable changes.\n\n## 1.2.3 (2026-01-01)\n\n- the old entry\n";

/// A project at v1.2.3 with a feat and a fix since.
fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", CARGO).write("package.json", PACKAGE).write("CHANGELOG.md", CHANGELOG);
    repo.commit("chore: start");
    repo.tag("v1.2.3");
    repo.change("src/lib.rs", "feat(api): add tenor lookup");
    repo.change("src/lib.rs", "fix: off-by-one in day count");
    repo
}

#[test]
fn create_minor_makes_one_commit_with_only_the_version_text_changed() {
    let repo = project();
    let before = repo.git(&["rev-parse", "HEAD"]);
    repo.relman(&["create", "minor"]).success();

    // Exactly one new commit, touching exactly those files.
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{before}..HEAD")]), "1");
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "CHANGELOG.md\nCargo.toml\nanalysis/reports/audit.log\npackage.json");
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "chore(release): v1.3.0");

    // Version files differ only in the version text.
    assert_eq!(
        repo.read("Cargo.toml"),
        CARGO.replace("version = \"1.2.3\"", "version = \"1.3.0\"")
    );
    assert_eq!(
        repo.read("package.json"),
        PACKAGE.replace("\"version\": \"1.2.3\"", "\"version\": \"1.3.0\"")
    );

    // The changelog keeps everything and gains one section above the newest.
    let changelog = repo.read("CHANGELOG.md");
    let section = "## 1.3.0 (2026-11-22)\n\n### New Features\n\n- **api:** add tenor lookup (";
    assert!(
        changelog.starts_with(&format!("# Changelog\n\nAll notable changes.\n\n{section}")),
        "{changelog}"
    );
    assert!(changelog.contains("### Bug Fixes\n\n- off-by-one in day count ("), "{changelog}");
    assert!(changelog.ends_with("## 1.2.3 (2026-01-01)\n\n- the old entry\n"), "{changelog}");

    // An annotated tag on that commit whose message holds the notes.
    assert_eq!(repo.git(&["cat-file", "-t", "v1.3.0"]), "tag");
    assert_eq!(repo.git(&["rev-parse", "v1.3.0^{commit}"]), repo.git(&["rev-parse", "HEAD"]));
    let message = repo.git(&["tag", "-l", "--format=%(contents)", "v1.3.0"]);
    assert!(
        message.contains("### New Features") && message.contains("add tenor lookup"),
        "{message}"
    );

    // One audit line; the chain verifies.
    let audit = repo.read("analysis/reports/audit.log");
    assert_eq!(audit.lines().count(), 1);
    let line: serde_json::Value = serde_json::from_str(audit.trim()).unwrap();
    assert_eq!(line["action"], "release");
    assert_eq!(line["version"], "1.3.0");
    assert_eq!(line["previous"], "1.2.3");
    assert_eq!(line["tag"], "v1.3.0");
    assert_eq!(line["who"], "Test User <test@example.com>");
    repo.relman(&["audit", "verify"]).success();
    assert!(repo.git(&["status", "--porcelain"]).is_empty(), "work tree left dirty");
}

#[test]
fn audit_verify_names_the_line_after_an_edit() {
    let repo = project();
    repo.relman(&["create", "patch"]).success();
    repo.change("src/lib.rs", "fix: more");
    repo.relman(&["create", "patch"]).success();
    repo.change("src/lib.rs", "fix: again");
    repo.relman(&["create", "patch"]).success();
    repo.relman(&["audit", "verify"]).success();
    let text = repo.read("analysis/reports/audit.log");
    for (n, _) in text.lines().enumerate() {
        let edited: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| if i == n { l.replace("\"patch\"", "\"major\"").replace("1.2.", "9.9.") } else { l.to_owned() } + "\n")
            .collect();
        repo.write("analysis/reports/audit.log", &edited);
        let run = repo.relman(&["audit", "verify"]).code(1);
        assert!(
            run.stderr.contains(&format!(
                "analysis/reports/audit.log:{}:1: line {} was altered",
                n + 1,
                n + 1
            )),
            "{run}"
        );
    }
}

#[test]
fn dry_run_changes_nothing_at_all() {
    let repo = project();
    let before = repo.snapshot();
    let run = repo.relman(&["create", "minor", "--dry-run"]).success();
    assert!(
        run.stdout.contains(
            "-version = \"1.2.3\" # keep this comment\n+version = \"1.3.0\" # keep this comment"
        ),
        "{run}"
    );
    assert!(run.stdout.contains("would create annotated tag v1.3.0"), "{run}");
    repo.assert_unchanged(&before);
    assert!(!repo.exists(".git/relman.lock"));
    assert!(!repo.exists(".relman"));
}

#[test]
fn refusals_exit_3_name_every_problem_and_write_nothing() {
    let repo = project();
    repo.git(&["checkout", "-q", "-b", "feature/x"]);
    repo.write("scratch.txt", "uncommitted\n");
    let before = repo.snapshot();
    let run = repo.relman(&["create", "patch", "--version", "1.0.0"]).code(3);
    assert!(run.stderr.contains("the work tree is not clean: scratch.txt"), "{run}");
    assert!(run.stderr.contains("branch `feature/x` is not allowed to release"), "{run}");
    assert!(run.stderr.contains("version 1.0.0 is not greater than the current 1.2.3"), "{run}");
    repo.assert_unchanged(&before);

    let repo = project();
    repo.git(&["tag", "-a", "-m", "x", "v1.3.0"]);
    let run = repo.relman(&["create", "minor", "--version", "1.3.0"]).code(3);
    assert!(run.stderr.contains("tag `v1.3.0` already exists"), "{run}");
    assert!(run.stderr.contains("version 1.3.0 is not greater than the current 1.3.0"), "{run}");

    let repo = project();
    repo.git(&["checkout", "-q", "--detach"]);
    let run = repo.relman(&["create", "minor"]).code(3);
    assert!(run.stderr.contains("HEAD is detached"), "{run}");
}

#[test]
fn sign_without_a_key_is_refused_never_unsigned() {
    let repo = project();
    let run = repo.relman(&["create", "minor", "--sign"]).code(3);
    assert!(run.stderr.contains("git cannot sign"), "{run}");
    assert!(repo.git(&["tag", "-l", "v1.3.0"]).is_empty());
}

#[test]
fn no_commit_and_no_tag() {
    let repo = project();
    repo.relman(&["create", "minor", "--no-commit"]).success();
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "fix: off-by-one in day count");
    assert!(repo.read("Cargo.toml").contains("1.3.0"));
    assert!(repo.git(&["tag", "-l", "v1.3.0"]).is_empty());

    let repo = project();
    let run = repo.relman(&["create", "minor", "--no-tag"]).success();
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "chore(release): v1.3.0");
    assert!(repo.git(&["tag", "-l", "v1.3.0"]).is_empty());
    assert!(run.stdout.contains("publish with: git push origin main"), "{run}");
}

#[test]
fn two_creates_at_once_release_exactly_once() {
    // Started together, the two usually overlap: one releases, the other
    // exits 3 naming the lock's holder. When the OS happens to run them one
    // after the other, both succeed as two sequential releases; either way
    // no version is ever released twice. Retry until an overlap is seen.
    for _ in 0..20 {
        let repo = project();
        let spawn = || {
            repo.relman_command(&["create", "patch"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        let outs = [first.wait_with_output().unwrap(), second.wait_with_output().unwrap()];
        let codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
        let tags = repo.git(&["tag", "-l", "v1.2.*"]);
        if codes.contains(&3) {
            assert!(codes.contains(&0), "{codes:?}");
            let loser = outs.iter().find(|o| o.status.code() == Some(3)).unwrap();
            let stderr = String::from_utf8_lossy(&loser.stderr);
            assert!(
                stderr.contains("the repository is locked by pid ")
                    && stderr.contains("running `")
                    && stderr.contains(" since "),
                "{stderr}"
            );
            assert_eq!(tags, "v1.2.3\nv1.2.4");
            return;
        }
        assert_eq!(codes, [0, 0]);
        assert_eq!(tags, "v1.2.3\nv1.2.4\nv1.2.5");
    }
    panic!("the two processes never overlapped in 20 tries");
}

#[test]
fn a_dead_holders_lock_is_taken_over_with_a_warning() {
    let repo = project();
    let host =
        std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_owned();
    let record = format!(
        "{{\"pid\":999999,\"host\":\"{host}\",\"command\":\"relman create minor\",\"since\":\"2026-11-21T09:00:00+00:00\"}}"
    );
    repo.write(".git/relman.lock", &record);
    let run = repo.relman(&["create", "minor"]).success();
    assert!(
        run.stderr.contains("warning: took over the lock")
            && run.stderr.contains("left by pid 999999"),
        "{run}"
    );
    assert!(!repo.exists(".git/relman.lock"), "the lock file stays behind");
}

#[test]
fn sign_uses_the_users_own_signing_setup() {
    let repo = project();
    let key = crate::support::ssh_key(&repo);
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingkey", &key.with_extension("pub").to_string_lossy()]);
    repo.relman(&["create", "minor", "--sign"]).success();
    let tag = repo.git(&["cat-file", "-p", "v1.3.0"]);
    assert!(tag.contains("-----BEGIN SSH SIGNATURE-----"), "{tag}");
    assert!(tag.contains("### New Features"), "{tag}");
}

#[test]
fn secrets_never_reach_the_audit_trail() {
    let repo = project();
    // A token pasted into the git identity would otherwise land in the record.
    repo.git(&["config", "user.name", "ci ghp_s3cr3tT0ken"]);
    repo.relman_env(&["create", "minor"], &[("GITHUB_TOKEN", "ghp_s3cr3tT0ken")]).success();
    let audit = repo.read("analysis/reports/audit.log");
    assert!(!audit.contains("ghp_s3cr3tT0ken"), "{audit}");
    assert!(audit.contains("\"who\":\"ci [REDACTED] <test@example.com>\""), "{audit}");
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn hotfix_branches_from_the_last_release_and_patches_it() {
    let repo = project();
    repo.relman(&["create", "minor"]).success();
    repo.change("src/lib.rs", "feat: unreleased work on main");
    let main_before = repo.git(&["rev-parse", "main"]);

    let before = repo.snapshot();
    let dry = repo.relman(&["create", "hotfix", "--dry-run"]).success();
    assert!(dry.stdout.contains("would create branch hotfix/v1.3.0 at the last release"), "{dry}");
    assert!(dry.stdout.contains("+version = \"1.3.1\" # keep this comment"), "{dry}");
    repo.assert_unchanged(&before);

    let json = repo.relman(&["create", "hotfix", "--format", "json"]).success().json();
    assert_eq!(
        (json["version"].as_str(), json["branch_created"].as_str()),
        (Some("1.3.1"), Some("hotfix/v1.3.0"))
    );
    assert_eq!(json["release_type"], "service_hotfix");
    assert_eq!(repo.git(&["branch", "--show-current"]), "hotfix/v1.3.0");
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), repo.git(&["rev-parse", "v1.3.0^{commit}"]));
    assert_eq!(repo.git(&["rev-parse", "v1.3.1^{commit}"]), repo.git(&["rev-parse", "HEAD"]));
    assert_eq!(repo.git(&["rev-parse", "main"]), main_before, "main moved");
    assert!(!repo.read("CHANGELOG.md").contains("unreleased work on main"));
    assert!(
        json["push"].as_str().unwrap().starts_with("git push --atomic origin hotfix/v1.3.0 v1.3.1")
    );

    // On the hotfix branch, a second hotfix patches again there.
    repo.change("src/lib.rs", "fix: the urgent one");
    repo.relman(&["create", "hotfix"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.3.2");
    assert!(repo.read("CHANGELOG.md").contains("- the urgent one ("));
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn a_hotfix_branch_cut_from_an_older_release_patches_that_release() {
    let repo = project();
    repo.relman(&["create", "minor"]).success();
    repo.git(&["branch", "hotfix/old", "v1.2.3"]);
    repo.change("src/lib.rs", "feat: more");
    repo.relman(&["create", "minor"]).success();
    repo.git(&["checkout", "-q", "hotfix/old"]);
    repo.change("src/lib.rs", "fix: old line");
    let run = repo.relman(&["create", "hotfix"]).success();
    assert!(run.stderr.contains("tag `v1.4.0` is not in the history of HEAD"), "{run}");
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.2.4");
    assert!(repo.git(&["tag", "-l", "v1.4.1"]).is_empty());
}

#[test]
fn a_locked_index_is_refused_before_anything_is_written() {
    let repo = project();
    // git's own index lock: another git process is at work.
    repo.write(".git/index.lock", "");
    let before = repo.read("Cargo.toml");
    let run = repo.relman(&["create", "minor"]).code(3);
    assert!(run.stderr.contains("index.lock"), "{run}");
    assert_eq!(repo.read("Cargo.toml"), before);
    assert!(!repo.exists("analysis/reports/audit.log"));
    std::fs::remove_file(repo.root.join(".git/index.lock")).unwrap();
    assert!(repo.git(&["status", "--porcelain"]).is_empty());
    assert!(repo.git(&["tag", "-l", "v1.3.0"]).is_empty());
}

#[test]
fn a_lock_record_left_by_a_killed_job_on_another_host_is_taken_over() {
    let repo = project();
    // CI containers get a new host name each job: the OS lock is free, so
    // the record is stale whatever host it names.
    repo.write(
        ".git/relman.lock",
        "{\"pid\":4242,\"host\":\"ci-runner-7\",\"command\":\"relman create minor\",\"since\":\"2026-11-21T09:00:00+00:00\"}",
    );
    let run = repo.relman(&["create", "minor"]).success();
    assert!(
        run.stderr.contains("warning: took over the lock")
            && run.stderr.contains("pid 4242 on ci-runner-7"),
        "{run}"
    );
    assert_eq!(repo.git(&["tag", "-l", "v1.3.0"]), "v1.3.0");
    assert!(!repo.exists(".git/relman.lock"));
}

#[test]
fn audit_filters_by_train_and_date() {
    let repo = project();
    // Two releases on different days, and a train entry written through the
    // same chain (trains write their own entries once the lifecycle lands).
    repo.relman_env(&["create", "patch"], &[("RELMAN_NOW", "2026-11-20T10:00:00Z")]).success();
    let mut text = repo.read("analysis/reports/audit.log");
    let mut entry = serde_json::Map::new();
    entry.insert("time".into(), "2026-11-21T10:00:00+00:00".into());
    entry.insert("action".into(), "approve".into());
    entry.insert("train".into(), "Q4".into());
    text.push_str(&relman::repo::audit::next_line(
        relman::repo::audit::last_line(&text),
        entry,
        &[],
    ));
    text.push('\n');
    repo.write("analysis/reports/audit.log", &text);
    repo.commit("chore: approval");
    repo.change("src/lib.rs", "fix: later");
    repo.relman_env(&["create", "patch"], &[("RELMAN_NOW", "2026-11-22T10:00:00Z")]).success();
    repo.relman(&["audit", "verify"]).success();

    let actions = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["audit", "--format", "json"];
        all.extend(args);
        let json = repo.relman(&all).success().json();
        json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(actions(&[]), ["release", "approve", "release"]);
    assert_eq!(actions(&["--train", "Q4"]), ["approve"]);
    assert_eq!(actions(&["--since", "2026-11-21"]), ["approve", "release"]);
    assert_eq!(actions(&["--since", "2026-11-22T09:00:00Z"]), ["release"]);
    let run = repo.relman(&["audit", "--since", "last week"]).code(2);
    assert!(run.stderr.contains("`--since last week` is not a date"), "{run}");
}
