//! The first run on a repository without a `relman.yaml`: relman guesses
//! right, or says exactly why not and what to write.
//!
//! See: issue 20, "The first run on a real repository".

use crate::support::TestRepo;

/// A project that tagged `v11.x.y` for years, then dropped the `v`: more
/// tags, and newer ones, follow `{version}`.
fn v_dropped() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "11.34.0\n");
    repo.commit("feat: first");
    for tag in ["v11.34.0", "v11.35.0", "v11.35.4"] {
        repo.tag(tag);
        repo.change("src/a.rs", &format!("fix: after {tag}"));
    }
    repo.change("src/a.rs", "feat!: new numbering");
    for tag in ["44.38.0", "44.39.0", "44.39.1", "44.39.2"] {
        repo.tag(tag);
        repo.change("src/a.rs", &format!("chore: after {tag}"));
    }
    repo.change("src/a.rs", "fix: the latest");
    repo
}

#[test]
fn an_old_tag_convention_is_named_with_the_line_to_write() {
    let repo = v_dropped();
    let run = repo.relman(&["next"]).success();
    let warning = "the tag pattern `v{version}` matches 3 tags, the newest `v11.35.4`, but 4 tags follow `{version}`, the newest `44.39.2`";
    assert!(run.stderr.contains(warning), "{run}");
    assert!(run.stderr.contains("project:\n    tag: \"{version}\""), "{run}");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{run}");
    // Every command that reads tags says it, once.
    let run = repo.relman(&["status"]).success();
    assert_eq!(run.stderr.matches(warning).count(), 1, "{run}");
    let run = repo.relman(&["notes"]).success();
    assert_eq!(run.stderr.matches(warning).count(), 1, "{run}");
    let run = repo.relman(&["next", "--format", "json"]).success();
    assert!(run.json()["warnings"][0].as_str().unwrap().contains(warning), "{run}");

    // `init` writes the convention, with its newest tag as the example, and
    // `next` then gives the version the history implies, without a warning.
    repo.relman(&["init"]).success();
    let yaml = repo.read("relman.yaml");
    assert!(
        yaml.contains("  tag: \"{version}\"  # detected: 4 tags follow it, such as `44.39.2`"),
        "{yaml}"
    );
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("44.39.2 → 44.39.3 (patch"), "{run}");
    assert!(!run.stderr.contains("warning:"), "{run}");
}

#[test]
fn a_tag_pattern_written_in_relman_yaml_is_not_second_guessed() {
    let repo = v_dropped();
    repo.write("relman.yaml", "project:\n  tag: \"v{version}\"\n");
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(!run.stderr.contains("warning:"), "{run}");
}

#[test]
fn a_dry_run_previews_then_says_it_would_refuse() {
    let repo = crate::support::version_project();
    repo.write("src/lib.rs", "half done\n");
    let before = repo.snapshot();
    let run = repo.relman(&["create", "auto", "--dry-run"]).code(3);
    assert!(run.stdout.contains("dry run: "), "{run}");
    assert!(run.stdout.contains("1.2.3 → 1.3.0 (minor)"), "{run}");
    assert!(run.stdout.contains("would create annotated tag v1.3.0"), "{run}");
    assert!(run.stderr.contains("the work tree is not clean: src/lib.rs"), "{run}");
    assert!(run.stderr.contains("would refuse"), "{run}");
    assert!(!run.stdout.contains("publish with"), "{run}");
    repo.assert_unchanged(&before);
    // JSON: one document, the refusal.
    let run = repo.relman(&["create", "auto", "--dry-run", "--format", "json"]).code(3);
    assert_eq!(run.json()["schema"], "relman.error/1", "{run}");
}

#[test]
fn relmans_own_untracked_files_do_not_block_a_release() {
    let repo = crate::support::version_project();
    repo.write("relman.yaml", "release:\n  sign: false\n");
    repo.write("catalog/upgrade-policies.yaml", "# later\n");
    let run = repo.relman(&["create", "auto", "--dry-run"]).success();
    assert!(run.stdout.contains("would create annotated tag v1.3.0"), "{run}");
    repo.relman(&["create", "auto"]).success();
    assert_eq!(repo.git(&["tag", "--list", "v1.3.0"]), "v1.3.0");
    // Left as they were: untracked, not in the release commit.
    let status = repo.git(&["status", "--porcelain"]);
    assert!(status.contains("?? relman.yaml") && status.contains("?? catalog/"), "{status}");
    assert_eq!(repo.git(&["show", "--format=", "--name-only", "HEAD"]).lines().count(), 3);
    // Anything else still refuses.
    repo.change("src/lib.rs", "fix: one more");
    repo.write("notes.txt", "todo\n");
    let run = repo.relman(&["create", "auto"]).code(3);
    assert!(run.stderr.contains("the work tree is not clean: notes.txt"), "{run}");
    assert!(!run.stderr.contains("relman.yaml"), "{run}");
}

#[test]
fn after_init_a_dry_run_previews_the_release() {
    let repo = crate::support::version_project();
    repo.relman(&["init"]).success();
    let run = repo.relman(&["create", "auto", "--dry-run"]).code(3);
    assert!(run.stdout.contains("would create annotated tag v1.3.0"), "{run}");
    // Only what is not relman's own configuration is named.
    assert!(run.stderr.contains("the work tree is not clean: .gitignore\n"), "{run}");
}

/// A runtime whose commits are typed by module (`rt:`, `sync:`, `time:`).
fn module_typed() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.4.0\n");
    repo.commit("chore: start");
    repo.tag("v1.4.0");
    repo.change("src/rt.rs", "rt: spawn faster");
    repo.change("src/sync.rs", "sync: fix a lost wake-up in Notify");
    repo.change("src/sync.rs", "sync: add Semaphore::forget");
    repo.change("src/time.rs", "time: sleep without drift");
    repo.change("README.md", "Update README.md");
    repo
}

#[test]
fn commits_of_unknown_types_are_named_with_the_setting_that_counts_them() {
    let repo = module_typed();
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("nothing to release since `v1.4.0`"), "{run}");
    assert!(
        run.stdout.contains("types seen that release nothing: `sync` (2), `rt` (1), `time` (1); 1 commit not conventional"),
        "{run}"
    );
    assert!(
        run.stdout.contains("commits:\n    default_bump: {conventional: patch, other: patch}"),
        "{run}"
    );
    let run = repo.relman(&["create", "auto"]).code(1);
    assert!(
        run.stderr.contains(
            "nothing to release: no feat, fix, perf, security or breaking commit since `v1.4.0`"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("default_bump"), "{run}");

    repo.write("relman.yaml", "commits:\n  default_bump:\n    conventional: patch\n");
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.4.0 → 1.4.1 (patch"), "{run}");
    assert!(run.stdout.contains("rt: spawn faster  [patch]"), "{run}");
    assert!(run.stdout.contains("Update README.md  [not conventional]"), "{run}");
    // Listed types keep their own bump: `chore` still releases nothing.
    assert!(run.stdout.contains("chore: relman  [no release]"), "{run}");

    repo.write("relman.yaml", "commits:\n  default_bump: {other: patch}\n");
    let run = repo.relman(&["next", "--format", "json"]).success();
    assert_eq!(run.json()["next"], "1.4.1", "{run}");

    // With `none` configured the message names what does count.
    repo.write(
        "relman.yaml",
        "commits:\n  types:\n    rt: {bump: none}\n    deps: {bump: patch}\n",
    );
    let run = repo.relman(&["create", "auto"]).code(1);
    assert!(
        run.stderr
            .contains("nothing to release: no feat, fix, perf, security, deps or breaking commit"),
        "{run}"
    );
}

#[test]
fn init_counts_a_history_typed_by_module() {
    let repo = module_typed();
    repo.relman(&["init"]).success();
    let yaml = repo.read("relman.yaml");
    assert!(
        yaml.contains("commits:  \n") && yaml.contains("  default_bump: {conventional: patch}  # detected: commits typed `rt`, `sync`, `time`"),
        "{yaml}"
    );
    assert!(!yaml.contains("\nproject:"), "{yaml}");
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.4.0 → 1.4.1 (patch"), "{run}");
}

#[test]
fn default_bump_is_validated_like_every_key() {
    let repo = module_typed();
    repo.write("relman.yaml", "commits:\n  default_bump:\n    conventionl: patch\n");
    let run = repo.relman(&["next"]).code(2);
    assert!(run.stderr.contains("relman.yaml:3:5: unknown field `conventionl`"), "{run}");
    assert!(run.stderr.contains("did you mean `conventional`?"), "{run}");
    repo.write("relman.yaml", "commits:\n  default_bump:\n    other: minor\n");
    let run = repo.relman(&["next"]).code(2);
    assert!(run.stderr.contains("relman.yaml:3:"), "{run}");
}

/// Three services whose `*-v2.0.0` tags are on `main`, seen from the
/// maintenance branch `release/1.x` cut at their `*-v1.0.0`.
fn maintenance_branch() -> TestRepo {
    let repo = TestRepo::new();
    let mut services = String::from("services:\n");
    for s in ["api", "db", "web"] {
        services.push_str(&format!("  - name: {s}\n    path: services/{s}\n"));
    }
    repo.write("catalog/services.yaml", &services);
    for s in ["api", "db", "web"] {
        repo.change(&format!("services/{s}/a.txt"), &format!("feat({s}): first"));
        repo.tag(&format!("{s}-v1.0.0"));
    }
    repo.git(&["branch", "release/1.x"]);
    for s in ["api", "db", "web"] {
        repo.change(&format!("services/{s}/a.txt"), &format!("feat({s})!: second"));
        repo.tag(&format!("{s}-v2.0.0"));
    }
    repo.git(&["checkout", "-q", "release/1.x"]);
    for s in ["api", "db", "web"] {
        repo.change(&format!("services/{s}/a.txt"), &format!("fix({s}): old line"));
    }
    repo
}

#[test]
fn tags_on_another_branch_are_one_grouped_warning_and_quiet_silences_it() {
    let repo = maintenance_branch();
    let run = repo.relman(&["status"]).success();
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{run}");
    assert!(
        run.stderr.contains("3 tags are not in the history of HEAD (another branch?), so they are not the current versions here: `api-v2.0.0` (using `api-v1.0.0`), `db-v2.0.0` (using `db-v1.0.0`), `web-v2.0.0` (using `web-v1.0.0`)"),
        "{run}"
    );
    let run = repo.relman(&["next", "api"]).success();
    assert!(run.stdout.contains("1.0.0 → 1.0.1"), "{run}");
    assert!(
        run.stderr.contains("warning: tag `api-v2.0.0` is not in the history of HEAD (another branch?), so it is not the current version here; using `api-v1.0.0`"),
        "{run}"
    );
    // `-q`: no warnings on stderr; JSON keeps them.
    let run = repo.relman(&["-q", "status"]).success();
    assert_eq!(run.stderr, "", "{run}");
    let run = repo.relman(&["-q", "next", "api", "--format", "json"]).success();
    assert_eq!(run.stderr, "", "{run}");
    assert!(run.json()["warnings"][0].as_str().unwrap().contains("api-v2.0.0"), "{run}");
    // `init` leaves the catalog alone; each service's next version stays.
    repo.relman(&["init"]).success();
    assert!(repo.read("catalog/services.yaml").contains("name: web"));
    repo.commit("chore: relman");
    for s in ["api", "db", "web"] {
        let json = repo.relman(&["next", s, "--format", "json"]).success().json();
        assert_eq!(
            (json["current"].as_str(), json["next"].as_str()),
            (Some("1.0.0"), Some("1.0.1"))
        );
    }
}

/// A Rust virtual workspace: the root manifest has no `[package]`.
fn virtual_workspace() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n");
    for c in ["core", "cli"] {
        repo.write(
            &format!("crates/{c}/Cargo.toml"),
            &format!("[package]\nname = \"{c}\"\nversion = \"0.3.0\"\nedition = \"2021\"\n"),
        );
    }
    repo.commit("feat: first");
    repo.tag("v0.3.0");
    repo.change("crates/core/src/lib.rs", "fix(core): off by one");
    repo
}

#[test]
fn a_virtual_workspace_names_its_members_manifests() {
    let repo = virtual_workspace();
    let run = repo.relman(&["create", "auto", "--dry-run"]).code(2);
    assert!(run.stderr.contains("Cargo.toml is a virtual workspace"), "{run}");
    assert!(
        run.stderr.contains(
            "project:\n    version_files: [crates/cli/Cargo.toml, crates/core/Cargo.toml]"
        ),
        "{run}"
    );
    // `init` writes them, and the release then sets both.
    repo.relman(&["init"]).success();
    let yaml = repo.read("relman.yaml");
    assert!(
        yaml.contains("  version_files: [crates/cli/Cargo.toml, crates/core/Cargo.toml]"),
        "{yaml}"
    );
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("0.3.0 → 0.3.1 (patch"), "{run}");
    repo.relman(&["create", "auto"]).success();
    assert!(repo.read("crates/core/Cargo.toml").contains("version = \"0.3.1\""));
    assert!(repo.read("crates/cli/Cargo.toml").contains("version = \"0.3.1\""));
}

#[test]
fn a_python_version_module_is_a_version_file() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n\n[tool.setuptools.dynamic]\nversion = {attr = \"pkg.__version__.__version__\"}\n",
    );
    repo.write(
        "pkg/__version__.py",
        "# the version\n__version__ = \"1.2.3\"\nVERSION_INFO = (1, 2, 3)\n",
    );
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.change("pkg/core.py", "feat: more");
    // Without a relman.yaml: the same answer, and a pointer to the file.
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.2.3 → 1.3.0 (minor"), "{run}");
    repo.relman(&["init"]).success();
    let yaml = repo.read("relman.yaml");
    assert!(yaml.contains("  version_files: [pkg/__version__.py]"), "{yaml}");
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.2.3 → 1.3.0 (minor"), "{run}");
    repo.relman(&["create", "auto"]).success();
    assert_eq!(
        repo.read("pkg/__version__.py"),
        "# the version\n__version__ = \"1.3.0\"\nVERSION_INFO = (1, 2, 3)\n"
    );
}

#[test]
fn omit_from_notes_hides_a_type_but_still_counts_it() {
    let repo = crate::support::version_project();
    repo.change("docs/a.md", "docs!: the old guide is gone");
    repo.change("docs/a.md", "chore: tidy");
    repo.write("relman.yaml", "commits:\n  omit_from_notes: [docs, chore]\n");
    repo.commit("chore: relman");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.2.3 → 2.0.0 (major"), "{run}");
    let run = repo.relman(&["notes"]).success();
    assert!(run.stdout.contains("add tenor lookup"), "{run}");
    assert!(!run.stdout.contains("tidy"), "{run}");
    // A breaking change is never hidden.
    assert!(run.stdout.contains("the old guide is gone"), "{run}");

    // `skip` drops a breaking change from the version too: said out loud.
    repo.write("relman.yaml", "commits:\n  skip:\n    - subject: \"docs*\"\n");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.contains("1.2.3 → 1.3.0 (minor"), "{run}");
    assert!(run.stderr.contains("`commits.skip` leaves out the breaking change"), "{run}");
    assert!(run.stderr.contains("docs!: the old guide is gone"), "{run}");

    repo.write("relman.yaml", "commits:\n  omit_from_notes: [\"\"]\n");
    repo.relman(&["next"]).code(2);
    repo.write("relman.yaml", "commits:\n  omit_from_note: [docs]\n");
    let run = repo.relman(&["next"]).code(2);
    assert!(run.stderr.contains("did you mean `omit_from_notes`?"), "{run}");
}

#[test]
fn status_takes_the_one_off_tag_pattern_and_path() {
    let repo = v_dropped();
    let run = repo.relman(&["status", "--tag-pattern", "{version}", "--format", "json"]).success();
    let json = run.json();
    assert_eq!(json["units"][0]["last_tag"], "44.39.2", "{run}");
    assert_eq!(json["units"][0]["next"], "44.39.3", "{run}");
    assert!(!run.stderr.contains("warning:"), "{run}");
    let run = repo.relman(&["status", "--tag-pattern", "{version}", "--path", "docs"]).success();
    assert!(run.stdout.contains("44.39.2"), "{run}");
    let json = repo
        .relman(&["status", "--tag-pattern", "{version}", "--path", "docs", "--format", "json"])
        .success()
        .json();
    assert_eq!(json["units"][0]["commits_since"], 0);
}

#[test]
fn the_project_is_named_by_its_manifest() {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[package]\nname = \"tokio\"\nversion = \"1.40.0\"\n");
    repo.commit("feat: first");
    repo.tag("v1.40.0");
    repo.change("src/lib.rs", "fix: wake-up");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.starts_with("tokio 1.40.0 → 1.40.1"), "{run}");
    let run = repo.relman(&["status", "--show-settings"]).success();
    assert!(run.stdout.lines().any(|l| l.contains("tokio") && l.contains("detected")), "{run}");
    // relman.yaml still wins.
    repo.write("relman.yaml", "project:\n  name: rt\n");
    let run = repo.relman(&["next"]).success();
    assert!(run.stdout.starts_with("rt 1.40.0 → 1.40.1"), "{run}");
}

#[test]
fn an_untracked_catalog_holding_what_the_release_writes_still_refuses() {
    let repo = crate::support::version_project();
    repo.write("relman.yaml", "project:\n  changelog: catalog/CHANGES.md\n");
    repo.write("catalog/CHANGES.md", "# Changes\n");
    let run = repo.relman(&["create", "auto"]).code(3);
    assert!(run.stderr.contains("the work tree is not clean: catalog/"), "{run}");
    assert!(!run.stderr.contains("relman.yaml"), "{run}");
}
