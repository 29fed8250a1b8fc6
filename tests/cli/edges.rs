//! The smaller ways real environments and repositories trip a release
//! tool: odd environment variables, secrets in gate output, big changelogs,
//! torn audit lines, tags on trees, ecosystem quirks of version files,
//! argument errors in JSON mode, equal commit times, control characters.

use std::process::Stdio;

use crate::support::{RELMAN, TestRepo, version_project};

fn gated(command: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("catalog/services.yaml", "services:\n  - name: curve\n    path: services/curve\n");
    repo.write(
        "catalog/release-trains.yaml",
        &format!("trains:\n  - name: t1\n    participants: [curve]\n    gates:\n      - command: '{command}'\n"),
    );
    repo.commit("chore: catalog");
    repo
}

#[cfg(unix)]
#[test]
fn a_variable_that_is_not_utf8_does_not_stop_relman() {
    use std::os::unix::ffi::OsStrExt as _;
    let repo = version_project();
    for args in [&["status"][..], &["next"], &["create", "minor"]] {
        let out = repo
            .relman_command(args)
            .env(std::ffi::OsStr::from_bytes(b"ODD_\xff"), std::ffi::OsStr::from_bytes(b"\xfe\xff"))
            .env("LATIN1_NAME", std::ffi::OsStr::from_bytes(b"Jos\xe9"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.3.0");
}

#[test]
fn verbose_gate_output_is_redacted_by_name_segment() {
    let repo = gated("echo token=$DEPLOY_TOKEN mode=$MONKEY_MODE");
    let run = repo
        .relman_env(
            &["-v", "train", "validate", "t1"],
            &[("DEPLOY_TOKEN", "s3cr3t-deploy"), ("MONKEY_MODE", "bananas")],
        )
        .success();
    assert!(!run.stderr.contains("s3cr3t-deploy"), "{run}");
    assert!(run.stderr.contains("token=[REDACTED] mode=bananas"), "{run}");
}

#[test]
fn a_changelog_larger_than_the_input_limit_is_still_prepended_to() {
    let repo = TestRepo::new();
    let big = format!(
        "# Changelog\n\n## 1.0.0 (2020-01-01)\n\n{}",
        "- an old entry that keeps the file growing\n".repeat(120_000)
    );
    assert!(big.len() > 4 * 1024 * 1024);
    repo.write("VERSION", "1.0.0\n").write("CHANGELOG.md", &big);
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/a.rs", "feat: one");
    repo.relman(&["create", "minor"]).success();
    repo.change("src/a.rs", "feat: two");
    repo.relman(&["create", "minor"]).success();
    let log = repo.read("CHANGELOG.md");
    assert!(log.starts_with("# Changelog\n\n## 1.2.0"), "{}", &log[..200]);
    assert!(log.ends_with(&big[13..]));
}

#[test]
fn a_torn_last_audit_line_is_refused_and_named_by_verify() {
    let repo = version_project();
    repo.relman(&["create", "minor"]).success();
    let log = repo.read("analysis/reports/audit.log");
    // A write cut off in the middle (by another tool, or a crash) leaves
    // half a record and no newline.
    repo.write("analysis/reports/audit.log", &format!("{log}{{\"seq\":2,\"action\":\"rel"));
    repo.commit("chore: torn");
    repo.change("src/lib.rs", "fix: more");
    let run = repo.relman(&["create", "patch"]).code(3);
    assert!(run.stderr.contains("audit.log:2:1: line 2 is torn"), "{run}");
    let verify = repo.relman(&["audit", "verify"]).code(1);
    assert!(verify.stderr.contains("line 2 is torn"), "{verify}");
    assert!(repo.git(&["tag", "-l", "v1.3.1"]).is_empty());
}

#[test]
fn a_complete_last_audit_line_without_its_newline_is_repaired() {
    let repo = version_project();
    repo.relman(&["create", "minor"]).success();
    let log = repo.read("analysis/reports/audit.log");
    repo.write("analysis/reports/audit.log", log.trim_end());
    repo.commit("chore: an editor dropped the final newline");
    repo.change("src/lib.rs", "fix: more");
    repo.relman(&["create", "patch"]).success();
    let log = repo.read("analysis/reports/audit.log");
    assert_eq!(log.lines().count(), 2, "{log}");
    repo.relman(&["audit", "verify"]).success();
}

#[test]
fn a_tag_on_a_tree_or_a_blob_is_skipped_with_a_warning_naming_it() {
    let repo = version_project();
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let blob = repo.git(&["rev-parse", "HEAD:VERSION"]);
    repo.git(&["tag", "v9.0.0", &tree]);
    repo.git(&["tag", "-a", "-m", "blob", "v8.0.0", &blob]);
    repo.git(&["pack-refs", "--all"]);
    // With the objects loose, then in a pack (whose entries tell the kind).
    for packed in [false, true] {
        if packed {
            repo.git(&["gc", "-q"]);
        }
        let run = repo.relman(&["next", "--format", "json"]).success();
        assert_eq!(run.json()["current"], "1.2.3");
        let skipped = "tag `v9.0.0` is skipped: it points at a tree or a blob";
        assert!(run.stderr.contains(skipped), "{run}");
        assert!(run.stderr.contains("tag `v8.0.0` is skipped"), "{run}");
        // JSON carries the same warnings stderr shows.
        let warnings = run.json()["warnings"].to_string();
        assert!(warnings.contains("v9.0.0") && warnings.contains("v8.0.0"), "{warnings}");
        repo.relman(&["status"]).success();
        repo.relman(&["notes", "--all"]).success();
    }
}

#[test]
fn a_dynamic_pyproject_version_beside_a_version_file_uses_the_version_file() {
    let repo = TestRepo::new();
    let py = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n\n[tool.setuptools.dynamic]\nversion = {file = \"VERSION\"}\n";
    repo.write("pyproject.toml", py).write("VERSION", "0.4.0\n");
    repo.commit("feat: start");
    repo.tag("v0.4.0");
    repo.change("src/x.py", "feat: more");
    repo.relman(&["create", "minor"]).success();
    assert_eq!(repo.read("VERSION"), "0.5.0\n");
    assert_eq!(repo.read("pyproject.toml"), py);
    // Named outright, it is refused with the reason.
    repo.write("relman.yaml", "project:\n  version_files: [pyproject.toml]\n");
    repo.change("src/x.py", "fix: more");
    let run = repo.relman(&["create", "patch"]).code(2);
    assert!(run.stderr.contains("pyproject.toml:1:1") && run.stderr.contains("dynamic"), "{run}");
}

#[test]
fn a_package_json_with_two_version_keys_is_refused() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"version\": \"1.0.0\",\n  \"name\": \"x\",\n  \"version\": \"2.0.0\"\n}\n",
    );
    repo.commit("feat: start");
    repo.tag("v2.0.0");
    repo.change("src/x.js", "fix: more");
    let run = repo.relman(&["create", "patch"]).code(2);
    assert!(
        run.stderr.contains("package.json:4:1") && run.stderr.contains("lines 2 and 4"),
        "{run}"
    );
}

#[test]
fn a_workspace_root_inheriting_its_own_version_is_bumped_there() {
    let repo = TestRepo::new();
    let cargo = "[workspace]\nmembers = []\n\n[package]\nname = \"r\"\nversion.workspace = true\ndescription = \"\"\"\nversion = \"9.9.9\"\n\"\"\"\n\n[workspace.package]\nversion = \"1.0.0\"\n";
    repo.write("Cargo.toml", cargo);
    repo.commit("feat: start");
    repo.tag("v1.0.0");
    repo.change("src/lib.rs", "feat: more");
    repo.relman(&["create", "minor"]).success();
    assert_eq!(repo.read("Cargo.toml"), cargo.replace("\"1.0.0\"", "\"1.1.0\""));
}

#[test]
fn argument_errors_in_json_mode_are_one_error_document() {
    let repo = version_project();
    for args in
        [&["--format", "json", "create", "sideways"][..], &["--format=json", "next", "--bogus"]]
    {
        let run = repo.relman(args).code(2);
        let doc = run.json();
        assert_eq!(doc["schema"], "relman.error/1", "{run}");
        assert_eq!(doc["exit_code"], 2);
        assert!(doc["problems"][0]["message"].as_str().unwrap().len() > 5, "{run}");
    }
}

#[test]
fn commits_with_equal_times_keep_gits_order() {
    let repo = version_project();
    repo.freeze_clock(true);
    repo.git(&["checkout", "-q", "-b", "side"]);
    for i in 1..=3 {
        repo.change("side.txt", &format!("fix: side {i}"));
    }
    repo.git(&["checkout", "-q", "main"]);
    for i in 1..=3 {
        repo.change("main.txt", &format!("feat: main {i}"));
    }
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    let git: Vec<String> =
        repo.git(&["log", "--format=%H", "v1.2.3..HEAD"]).lines().map(str::to_owned).collect();
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    let ours: Vec<String> = json["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ours, git);
}

#[cfg(unix)]
#[test]
fn control_characters_from_commit_messages_are_escaped_on_a_terminal() {
    let repo = version_project();
    repo.change("src/lib.rs", "fix: evil \x1b]0;pwned\x07 and \x1b[2J cleared");
    // `script` gives relman a real terminal on stdout.
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{RELMAN} next"), "/dev/null"])
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .env("RELMAN_NOW", crate::support::NOW)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("evil \\x1b]0;pwned\\x07 and \\x1b[2J cleared"), "{shown:?}");
    assert!(!out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07), "{shown:?}");
    // Piped, the bytes are the commit's own.
    let piped = repo.relman(&["next"]).success();
    assert!(piped.stdout.contains("evil \x1b]0;pwned\x07"), "{piped}");
}

#[test]
fn npm_style_tag_patterns_with_at_release() {
    let repo = TestRepo::new();
    repo.write("relman.yaml", "project:\n  tag: \"create-vite@{version}\"\n");
    repo.write("package.json", "{\n  \"name\": \"create-vite\",\n  \"version\": \"5.0.0\"\n}\n");
    repo.commit("feat: first");
    repo.tag("create-vite@5.0.0");
    repo.change("src/index.js", "feat: templates");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!((json["current"].as_str(), json["next"].as_str()), (Some("5.0.0"), Some("5.1.0")));
    repo.relman(&["create", "minor"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "create-vite@5.1.0");
    // `@{` and a bare `@` stay refused, as git refuses them.
    repo.write("relman.yaml", "project:\n  tag: \"v@{{version}\"\n");
    repo.relman(&["next"]).code(2);
}

#[test]
fn tags_of_another_convention_are_named_and_init_adopts_it() {
    let repo = TestRepo::new();
    repo.write("VERSION", "6.2.0\n");
    repo.commit("feat: first");
    repo.tag("6.1.0");
    repo.change("src/a.rs", "fix: a");
    repo.tag("6.2.0");
    repo.change("src/a.rs", "feat: b");
    let run = repo.relman(&["next", "--format", "json"]).success();
    let json = run.json();
    let warning = "no tag matches the pattern `v{version}`, but 2 tags follow `{version}`, the newest `6.2.0`; if those are this project's releases, write in relman.yaml:\n  project:\n    tag: \"{version}\"";
    assert!(run.stderr.contains(warning), "{run}");
    assert!(json["warnings"][0].as_str().unwrap().contains(warning), "{run}");
    assert_eq!(json["last_tag"], serde_json::Value::Null);
    // `init` writes the convention it found, and relman then reads the tags.
    repo.relman(&["init"]).success();
    assert!(repo.read("relman.yaml").contains("  tag: \"{version}\"  # detected: 2 tags"));
    repo.commit("chore: relman");
    let run = repo.relman(&["next", "--format", "json"]).success();
    let json = run.json();
    assert_eq!((json["last_tag"].as_str(), json["next"].as_str()), (Some("6.2.0"), Some("6.3.0")));
    assert_eq!(json["warnings"], serde_json::json!([]), "{run}");
}

#[test]
fn tag_pattern_and_path_flags_work_without_a_relman_yaml() {
    let repo = TestRepo::new();
    repo.write("app/VERSION", "1.0.0\n").write("lib/x.rs", "1\n");
    repo.commit("chore: start");
    repo.tag("app-1.0.0");
    repo.change("app/main.rs", "fix(app): crash");
    repo.change("lib/x.rs", "feat(lib): not the app");
    let flags = ["--tag-pattern", "app-{version}", "--path", "app"];
    let json = repo.relman(&[&["next", "--format", "json"][..], &flags].concat()).success().json();
    assert_eq!(
        (json["last_tag"].as_str(), json["next"].as_str()),
        (Some("app-1.0.0"), Some("1.0.1"))
    );
    assert_eq!(json["commits"].as_array().unwrap().len(), 1);
    let notes = repo.relman(&[&["notes"][..], &flags].concat()).success();
    assert!(notes.stdout.contains("crash") && !notes.stdout.contains("not the app"), "{notes}");
    repo.relman(&[&["create", "auto"][..], &flags].concat()).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "app-1.0.1");
    let bad = repo.relman(&["next", "--tag-pattern", "app-latest"]).code(2);
    assert!(bad.stderr.contains("--tag-pattern") && bad.stderr.contains("{version}"), "{bad}");
    repo.relman(&["next", "--path", "../elsewhere"]).code(2);
    // A path through a symlink counts the commits of the folder it names.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("app", repo.root.join("app-link")).unwrap();
        repo.commit("chore: link");
        repo.change("app/main.rs", "fix(app): again");
        let json = repo
            .relman(&[
                "next",
                "--format",
                "json",
                "--tag-pattern",
                "app-{version}",
                "--path",
                "app-link",
            ])
            .success()
            .json();
        assert_eq!(json["commits"].as_array().unwrap().len(), 1, "{json}");
    }
}

#[test]
fn initial_development_bumps_follow_relman_yaml() {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.34.0\"\n");
    repo.commit("chore: start");
    repo.tag("v0.34.0");
    repo.change("src/lib.rs", "feat!: the api settles");
    let next = |yaml: &str| {
        repo.write("relman.yaml", yaml);
        repo.relman(&["next", "--format", "json"]).success().json()["next"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // SPEC 3.2's rule, as semantic-release: breaking while 0.y.z is minor.
    assert_eq!(next(""), "0.35.0");
    // cocogitto's: a breaking change reaches 1.0.0.
    assert_eq!(next("commits:\n  initial_development:\n    breaking: major\n"), "1.0.0");
    // Cargo's convention (release-plz): a feature is a patch while 0.y.z.
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.change("src/lib.rs", "feat: more");
    assert_eq!(next("commits:\n  initial_development:\n    feat: patch\n"), "0.34.1");
    repo.write("relman.yaml", "commits:\n  initial_development:\n    breaking: patch\n");
    let bad = repo.relman(&["next"]).code(2);
    assert!(bad.stderr.contains("relman.yaml:3:"), "{bad}");
    repo.write("relman.yaml", "commits:\n  initial_developmnt: {}\n");
    let typo = repo.relman(&["next"]).code(2);
    assert!(typo.stderr.contains("initial_development"), "{typo}");
}

#[test]
fn the_release_commits_left_out_of_notes_follow_the_commit_message_setting() {
    let repo = TestRepo::new();
    repo.write("relman.yaml", "release:\n  commit_message: \"release: {tag}\"\n");
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.change("src/a.rs", "feat: second");
    repo.relman(&["create", "minor"]).success();
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "release: v1.1.0");
    repo.change("src/a.rs", "chore(release): tidy the release script");
    repo.change("src/a.rs", "fix: third");
    let notes = repo.relman(&["notes", "--all"]).success();
    assert!(!notes.stdout.contains("release: v1.1.0"), "{notes}");
    assert!(notes.stdout.contains("tidy the release script"), "{notes}");
}

#[test]
fn dependents_get_a_patch_when_relman_yaml_asks() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: core\n    path: services/core\n  - name: api\n    path: services/api\n    depends_on: [core]\n  - name: web\n    path: services/web\n    depends_on: [api]\n",
    );
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: t\n    participants: [core, api, web]\n",
    );
    repo.write("services/core/f", "1\n")
        .write("services/api/f", "1\n")
        .write("services/web/f", "1\n");
    repo.commit("chore: start");
    for tag in ["core-v1.0.0", "api-v1.0.0", "web-v1.0.0"] {
        repo.tag(tag);
    }
    repo.change("services/core/f", "feat(core): faster");
    let plan =
        |repo: &TestRepo| repo.relman(&["train", "plan", "t", "--format", "json"]).success().json();
    let json = plan(&repo);
    let actions: Vec<&str> = json["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["release", "skip", "skip"], "dependents: none is the default");
    repo.write("relman.yaml", "release:\n  dependents: patch\n");
    let json = plan(&repo);
    let steps = json["sequence"].as_array().unwrap();
    assert_eq!(steps[1]["to"], "1.0.1");
    assert_eq!(steps[1]["reason"], "dependency core released");
    // The release of api carries web along in turn.
    assert_eq!(steps[2]["to"], "1.0.1");
    assert_eq!(steps[2]["reason"], "dependency api released");
}

#[test]
fn ignored_tags_are_never_the_current_release() {
    let repo = version_project();
    repo.change("src/lib.rs", "fix: one");
    repo.tag("v9.0.0-nightly");
    repo.change("src/lib.rs", "fix: two");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["current"], "9.0.0-nightly", "without ignore_tags the stray tag wins");
    repo.write("relman.yaml", "release:\n  ignore_tags: [\"*-nightly\"]\n");
    repo.commit("chore: relman");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!((json["last_tag"].as_str(), json["next"].as_str()), (Some("v1.2.3"), Some("1.3.0")));
    assert_eq!(json["commits"].as_array().unwrap().len(), 4);
    let notes = repo.relman(&["notes", "--all"]).success();
    assert!(!notes.stdout.contains("9.0.0-nightly"), "{notes}");
}

#[test]
fn next_at_a_release_candidate_says_how_to_finalise_it() {
    let repo = version_project();
    repo.relman(&["create", "preminor", "--pre", "rc"]).success();
    let run = repo.relman(&["next"]).success();
    assert!(
        run.stdout
            .contains("1.3.0-rc.0 is a prerelease: `relman create release` finalises it as 1.3.0"),
        "{run}"
    );
    repo.relman(&["create", "release"]).success();
    assert_eq!(repo.git(&["describe", "--tags", "--exact-match"]), "v1.3.0");
    let run = repo.relman(&["next"]).success();
    assert!(!run.stdout.contains("prerelease"), "{run}");
}
