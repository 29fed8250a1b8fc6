//! Commit rules (`commits.skip`, `commits.types`) and notes people publish:
//! templates, the notes JSON, dated headings, ranges ending at a tag.

use crate::support::TestRepo;

const BOT: &str = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>";

/// A project at `v1.0.0` with a real feature, a bot's dependency bump and
/// the release commits of three other tools on top.
fn busy_history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.write("package-lock.json", "{}\n");
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--author",
        BOT,
        "-m",
        "fix(deps): bump lodash from 4.17.20 to 4.17.21",
    ]);
    repo.change("src/a.txt", "release: v8.2.2");
    repo.change("src/b.txt", "bump: version 4.12.1 → 4.13.0");
    repo.change("src/c.txt", "chore(version): 1.2.0");
    repo.change("src/d.txt", "feat: tenor lookup");
    repo
}

const SKIP: &str = "commits:
  skip:
    - subject: \"release: v*\"
    - subject: \"bump: version *\"
    - subject: \"chore(version): *\"
    - author: \"*[bot]*\"
";

#[test]
fn skipped_commits_are_neither_counted_nor_listed() {
    let repo = busy_history();
    // Without rules every commit is read (the bot's fix makes it count).
    let before = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(before["commits"].as_array().unwrap().len(), 5, "{before}");
    let notes = repo.relman(&["notes"]).success().stdout;
    assert!(notes.contains("bump lodash") && notes.contains("release: v8.2.2"), "{notes}");

    repo.write("relman.yaml", SKIP);
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    let commits = json["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 1, "{json}");
    assert_eq!(commits[0]["summary"], "tenor lookup");
    assert_eq!(json["next"], "1.1.0");
    let notes = repo.relman(&["notes"]).success().stdout;
    assert_eq!(notes, format!("### New Features\n\n- tenor lookup ({})\n", short(&repo, "HEAD")));
    // A skipped bot fix alone is nothing to release.
    repo.git(&["reset", "-q", "--hard", "v1.0.0"]);
    repo.write("lock", "1\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--author", BOT, "-m", "fix(deps): bump x"]);
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(
        (json["releasable"].as_bool(), json["next"].as_str()),
        (Some(false), None),
        "{json}"
    );
    // The settings say where each rule came from.
    let settings = repo.relman(&["status", "--show-settings"]).success().stdout;
    assert!(
        settings.contains("author *[bot]*") && settings.contains("subject release: v*"),
        "{settings}"
    );
}

fn short(repo: &TestRepo, rev: &str) -> String {
    repo.git(&["rev-parse", "--short=7", rev])
}

#[test]
fn extra_types_get_their_section_and_bump() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n").write("CHANGELOG.md", "# Changelog\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("Cargo.lock", "deps: bump serde to 1.0.300");
    repo.change("README.md", "docs(readme): explain tenors");
    repo.change("ci.yml", "ci: pin the toolchain");
    // Unknown to relman, `deps` is nothing to release.
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!(json["releasable"], false, "{json}");

    repo.write(
        "relman.yaml",
        "commits:\n  types:\n    deps: {section: Dependencies, bump: patch}\n    docs:\n      section: Documentation\n",
    );
    repo.commit("chore: rules");
    let json = repo.relman(&["next", "--format", "json"]).success().json();
    assert_eq!((json["next"].as_str(), json["bump"].as_str()), (Some("1.0.1"), Some("patch")));
    let notes = repo.relman(&["notes"]).success().stdout;
    let headings: Vec<&str> = notes.lines().filter(|l| l.starts_with("### ")).collect();
    // The added sections come after the built-in ones, before "Other",
    // which keeps each entry's type.
    assert_eq!(headings, ["### Dependencies", "### Documentation", "### Other"], "{notes}");
    assert!(notes.contains("- **readme:** explain tenors"), "{notes}");
    assert!(
        notes.contains("- ci: pin the toolchain") && notes.contains("- chore: rules"),
        "{notes}"
    );
    repo.relman(&["create", "auto"]).success();
    let changelog = repo.read("CHANGELOG.md");
    assert!(
        changelog.contains("## 1.0.1 (2026-11-22)\n\n### Dependencies\n\n- bump serde"),
        "{changelog}"
    );
}

#[test]
fn bad_commit_rules_name_the_line_and_column() {
    let repo = TestRepo::new();
    repo.commit("chore: start");
    for (yaml, says, at) in [
        (
            "commits:\n  skip:\n    - {}\n",
            "names neither `subject` nor `author`",
            "relman.yaml:3:7",
        ),
        (
            "commits:\n  types:\n    \"de ps\": {bump: patch}\n",
            "`de ps` is not a commit type",
            "relman.yaml:3:14",
        ),
        ("commits:\n  types:\n    deps: {bump: huge}\n", "huge", "relman.yaml:3:"),
        ("commits:\n  types:\n    deps: {sektion: x}\n", "sektion", "relman.yaml:3:"),
    ] {
        repo.write("relman.yaml", yaml);
        let run = repo.relman(&["next"]).code(2);
        assert!(run.stderr.contains(says) && run.stderr.contains(at), "{yaml}: {run}");
    }
}

/// A project released twice, with a breaking change pending.
fn released_history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/a.txt", "feat(curve): tenor lookup");
    repo.change("src/b.txt", "fix: rounding");
    repo.tag("v1.1.0");
    repo.change(
        "src/c.txt",
        "feat(api)!: drop the v1 endpoints\n\nCall /v2 instead; /v1 answers 410.",
    );
    repo.change("src/d.txt", "fix(security): escape names\n\nSecurity: CVE-2026-1");
    repo.change("src/e.txt", "ci: cache the registry");
    repo
}

#[test]
fn the_built_in_changelog_template_is_the_default_format() {
    let repo = released_history();
    for args in
        [&["notes"][..], &["notes", "--all"], &["notes", "v1.0.0..v1.1.0"], &["notes", "v1.1.0"]]
    {
        let plain = repo.relman(args).success().stdout;
        let mut templated = args.to_vec();
        templated.extend(["--template", "changelog"]);
        assert_eq!(repo.relman(&templated).success().stdout, plain, "{args:?}");
    }
}

#[test]
fn release_notes_and_announcement_render_the_history() {
    let repo = released_history();
    let notes = repo.relman(&["notes", "--template", "release-notes"]).success().stdout;
    for part in [
        "# Release Notes - repo 2.0.0\n",
        "## Overview\n\nrepo 2.0.0, released 2026-11-22, brings 3 changes since 1.1.0.\n",
        "## Breaking Changes\n\n- **api:** drop the v1 endpoints (",
        "## Security Updates\n\n- **security:** escape names (",
        "## Other\n\n- ci: cache the registry (",
        "## Known Issues\n",
        "## Upgrade Instructions\n\nThis release has breaking changes; read each before upgrading from 1.1.0:\n\n- **api:** drop the v1 endpoints (",
        ")\n  Call /v2 instead; /v1 answers 410.\n",
    ] {
        assert!(notes.contains(part), "missing {part:?} in:\n{notes}");
    }
    let mail =
        repo.relman(&["notes", "--template", "announcement", "v1.0.0..v1.1.0"]).success().stdout;
    assert!(mail.starts_with("Subject: repo 1.1.0 released\n"), "{mail}");
    for part in
        ["What's new:\n- tenor lookup\n", "Bug fixes:\n- rounding\n", "Upgrading from 1.0.0"]
    {
        assert!(mail.contains(part), "missing {part:?} in:\n{mail}");
    }
}

#[test]
fn a_users_template_sees_the_documented_context() {
    let repo = released_history();
    repo.write(
        "notes.j2",
        "{{ name }} {{ version }} after {{ previous }} on {{ date }}\n{% for s in sections %}[{{ s.title }}]{% for e in s.entries %} {{ e.type }}|{{ e.scope }}|{{ e.breaking }}|{{ e.short_id }}|{{ e.id|length }}|{{ e.author }}{% endfor %}{{ \"\\n\" }}{% endfor %}{{ releases|length }} {{ all }}\n",
    );
    let out = repo.relman(&["notes", "--template", "notes.j2"]).success().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "repo 2.0.0 after 1.1.0 on 2026-11-22", "{out}");
    let id = short(&repo, "HEAD~2");
    assert_eq!(
        lines[1],
        format!("[Breaking Changes] feat|api|True|{id}|40|Test User <test@example.com>"),
        "{out}"
    );
    assert!(lines[3].starts_with("[Other] ci|None|False|"), "{out}");
    assert_eq!(lines.last(), Some(&"1 False"), "{out}");
    let json =
        repo.relman(&["notes", "--template", "notes.j2", "--format", "json"]).success().json();
    assert_eq!(json["template"], "notes.j2");
    assert_eq!(json["markdown"], out);
}

#[test]
fn a_broken_template_exits_2_naming_file_line_and_column() {
    let repo = released_history();
    repo.write(
        "bad.j2",
        "# {{ version }}\n{% for e in entries %}\n- {{ e.summary }\n{% endfor %}\n",
    );
    let run = repo.relman(&["notes", "--template", "bad.j2"]).code(2);
    assert!(run.stderr.contains("bad.j2:3:"), "{run}");
    assert!(run.stdout.is_empty(), "{run}");
    // A name that is not defined is an error, not an empty string.
    repo.write("typo.j2", "{{ name }}\n{{ verison }}\n");
    let run = repo.relman(&["notes", "--template", "typo.j2"]).code(2);
    assert!(run.stderr.contains("typo.j2:2:") && run.stderr.contains("undefined"), "{run}");
    let run = repo.relman(&["notes", "--template", "missing"]).code(2);
    assert!(run.stderr.contains("changelog, release-notes, announcement"), "{run}");
}

#[test]
fn a_template_cannot_read_files_or_run_commands() {
    let repo = released_history();
    let before = repo.snapshot();
    let secret = repo.root.with_file_name("secret.txt");
    std::fs::write(&secret, "the secret\n").unwrap();
    for (name, text) in [
        ("include.j2", format!("{{% include \"{}\" %}}", secret.display())),
        ("relative.j2", "{% include \"../secret.txt\" %}".to_owned()),
        ("import.j2", "{% import \"/etc/passwd\" as p %}".to_owned()),
        ("run.j2", "{{ run(\"touch pwned\") }}{{ system(\"touch pwned\") }}".to_owned()),
        (
            "loop.j2",
            "{% for i in range(10000) %}{% for j in range(10000) %}{{ j }}{% endfor %}{% endfor %}"
                .to_owned(),
        ),
    ] {
        std::fs::write(repo.root.with_file_name(name), text).unwrap();
        let path = repo.root.with_file_name(name);
        let run = repo.relman(&["notes", "--template", path.to_str().unwrap()]).code(2);
        assert!(!run.stdout.contains("the secret") && run.stderr.contains(name), "{name}: {run}");
    }
    // The built-ins can be included: they are the only other templates.
    repo.write("wrap.j2", "before\n{% include \"changelog\" %}after\n");
    let run = repo.relman(&["notes", "--template", "wrap.j2"]).success();
    assert!(run.stdout.starts_with("before\n### Breaking Changes"), "{run}");
    std::fs::remove_file(repo.root.join("wrap.j2")).unwrap();
    repo.assert_unchanged(&before);
}

#[test]
fn notes_json_carries_type_breaking_and_full_ids() {
    let repo = released_history();
    let json = repo.relman(&["notes", "--format", "json"]).success().json();
    let release = &json["releases"][0];
    assert_eq!((release["tag"].as_str(), release["version"].as_str()), (None, Some("2.0.0")));
    assert_eq!(release["previous"], "1.1.0");
    let entries = release["entries"].as_array().unwrap();
    let breaking = entries.iter().find(|e| e["breaking"] == true).unwrap();
    assert_eq!(
        (breaking["type"].as_str(), breaking["scope"].as_str()),
        (Some("feat"), Some("api"))
    );
    assert_eq!(breaking["id"], repo.git(&["rev-parse", "HEAD~2"]));
    assert_eq!(breaking["short_id"], short(&repo, "HEAD~2"));
    assert_eq!(breaking["body"], "Call /v2 instead; /v1 answers 410.");
    let ci = entries.iter().find(|e| e["type"] == "ci").unwrap();
    assert_eq!(ci["section"], "Other");
}

#[test]
fn a_range_ending_at_a_tag_reports_that_release() {
    let repo = released_history();
    let json = repo.relman(&["notes", "v1.0.0..v1.1.0", "--format", "json"]).success().json();
    let release = &json["releases"][0];
    assert_eq!(release["tag"], "v1.1.0", "{json}");
    assert_eq!(
        (release["version"].as_str(), release["previous"].as_str()),
        (Some("1.1.0"), Some("1.0.0"))
    );
    let date = repo.git(&["log", "-1", "--format=%cs", "v1.1.0"]);
    assert_eq!(release["date"], date);
    assert_eq!(release["entries"].as_array().unwrap().len(), 2, "{json}");
    // A range ending elsewhere is unreleased.
    let json = repo.relman(&["notes", "v1.1.0..HEAD~1", "--format", "json"]).success().json();
    assert_eq!(json["releases"][0]["tag"], serde_json::Value::Null, "{json}");
}
