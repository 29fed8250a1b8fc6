//! Bad input never panics: a clear message naming file, line and column,
//! exit 2, quickly (issue 2, acceptance 7; SPEC §6.2).

use std::io::Read as _;
use std::time::{Duration, Instant};

use crate::support::TestRepo;

fn repo_with_config(text: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("relman.yaml", text).write("VERSION", "1.0.0\n");
    repo.commit("feat: start");
    repo
}

#[track_caller]
fn refused_quickly(repo: &TestRepo, args: &[&str], needle: &str) -> String {
    let start = Instant::now();
    let run = repo.relman(args).code(2);
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    assert!(run.stderr.contains(needle), "expected {needle:?} in:\n{run}");
    assert!(!run.stderr.contains("panicked"), "{run}");
    run.stderr
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let repo = repo_with_config("project:\n  name: demo\n  tag: \"v{version}\n");
    refused_quickly(&repo, &["next"], "relman.yaml:");
    let repo = repo_with_config("project:\n\tname: demo\n");
    refused_quickly(&repo, &["next"], "relman.yaml:2:");
}

#[test]
fn unknown_keys_get_the_closest_known_name() {
    let repo = repo_with_config("release:\n  sign: false\n  histroy: full\n");
    let err = refused_quickly(&repo, &["next"], "relman.yaml:3:3: unknown field `histroy`");
    assert!(err.contains("hint: did you mean `history`?"), "{err}");
}

#[test]
fn wrong_types_are_refused() {
    let repo = repo_with_config("release:\n  sign: maybe\n");
    refused_quickly(&repo, &["next"], "relman.yaml:2:");
    let repo = repo_with_config("release:\n  branches: main\n");
    refused_quickly(&repo, &["next"], "relman.yaml:2:");
    let repo = repo_with_config("project:\n  tag: \"release-{ver}\"\n");
    refused_quickly(
        &repo,
        &["next"],
        "relman.yaml:2:8: tag pattern `release-{ver}` has no `{version}`",
    );
    let repo = repo_with_config("paths:\n  audit_log: ../../outside.log\n");
    refused_quickly(&repo, &["next"], "is outside the repository");
}

#[test]
fn a_yaml_bomb_is_refused_within_budget() {
    let mut bomb = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 0..9 {
        let prev = if i == 0 { "a".to_owned() } else { format!("l{}", i - 1) };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    let repo = repo_with_config(&bomb);
    refused_quickly(&repo, &["next"], "relman.yaml:");
    let deep = format!("project: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let repo = repo_with_config(&deep);
    refused_quickly(&repo, &["next"], "relman.yaml:1:");
}

#[test]
fn a_ten_megabyte_file_is_refused_before_parsing() {
    let big = format!("# {}\n", "x".repeat(10 * 1024 * 1024));
    let repo = repo_with_config(&big);
    refused_quickly(
        &repo,
        &["next"],
        "relman.yaml:1:1: file is 10485763 bytes, more than relman's limit",
    );
}

#[test]
fn mutated_configs_never_panic() {
    // A deterministic mutation loop over a valid relman.yaml: every output is
    // a clean success or a clean exit 2, never a crash.
    let seed = "project:\n  name: demo\n  tag: \"v{version}\"\n  version_files: [VERSION]\nrelease:\n  branches: [main]\n  history: full\n";
    let bytes: &[u8] = b"\n\t :-[]{}&*!|>'\"%@`#,?";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let repo = repo_with_config(seed);
    for _ in 0..60 {
        let mut text = seed.as_bytes().to_vec();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() as usize) % text.len();
            match next() % 3 {
                0 => text[at] = bytes[(next() as usize) % bytes.len()],
                1 => text.insert(at, bytes[(next() as usize) % bytes.len()]),
                _ => {
                    text.remove(at);
                }
            }
        }
        std::fs::write(repo.root.join("relman.yaml"), &text).unwrap();
        let run = repo.relman(&["next"]);
        assert!(matches!(run.code, 0 | 2), "{}\n{run}", String::from_utf8_lossy(&text));
        assert!(!run.stderr.contains("panicked"), "{run}");
    }
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let repo = TestRepo::new();
    for i in 0..300 {
        repo.write("f.txt", &format!("{i}\n"));
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", &format!("fix: change number {i}")]);
    }
    let mut child = repo
        .relman_command(&["notes", "--all"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let repo = repo_with_config("");
    let plain = repo.relman(&["next"]).success();
    assert!(!plain.stdout.contains('\x1b'));
    let forced = repo.relman(&["next", "--color", "always"]).success();
    assert!(forced.stdout.contains("\x1b[1m"), "{forced}");
    let auto = repo.relman_env(&["next", "--color", "auto"], &[("NO_COLOR", "1")]).success();
    assert!(!auto.stdout.contains('\x1b'));
}

#[test]
fn show_settings_names_every_source() {
    let repo = repo_with_config("release:\n  history: first-parent\n");
    let run = repo.relman(&["status", "--show-settings", "--format", "json"]).success();
    let json = run.json();
    let find = |key: &str| {
        json["settings"].as_array().unwrap().iter().find(|s| s["key"] == key).unwrap().clone()
    };
    assert_eq!(
        (find("release.history")["value"].clone(), find("release.history")["source"].clone()),
        ("first-parent".into(), "file".into())
    );
    assert_eq!(find("project.tag")["source"], "default");
    assert_eq!(find("project.version_files")["source"], "detected");
    assert_eq!(find("project.version_files")["value"], "VERSION");
    assert_eq!(find("now")["source"], "environment");
    assert_eq!(find("format")["source"], "flag");
}

#[test]
fn json_errors_are_one_document_on_stdout() {
    let repo = repo_with_config("release:\n  sign: maybe\n");
    let run = repo.relman(&["next", "--format", "json"]).code(2);
    let json = run.json();
    assert_eq!(json["schema"], "relman.error/1");
    assert_eq!(json["exit_code"], 2);
    assert_eq!(json["problems"][0]["location"]["file"], "relman.yaml");
    assert_eq!(json["problems"][0]["location"]["line"], 2);
}

#[test]
fn a_second_document_is_refused_in_relmans_words() {
    let repo = repo_with_config("project:\n  name: demo\n---\n");
    let err = refused_quickly(
        &repo,
        &["next"],
        "relman.yaml:3:1: a second YAML document (`---`) is not allowed",
    );
    assert!(!err.contains("budget"), "{err}");
}

#[test]
fn a_lone_document_marker_reads_as_an_empty_file() {
    let empty = repo_with_config("");
    let want = empty.relman(&["next"]).success();
    for text in ["---\n", "# nothing yet\n---\n...\n"] {
        let repo = repo_with_config(text);
        let run = repo.relman(&["next"]).success();
        assert_eq!(
            run.stdout.replace(&repo.git(&["rev-parse", "--short", "HEAD"]), "H"),
            want.stdout.replace(&empty.git(&["rev-parse", "--short", "HEAD"]), "H")
        );
    }
}

#[test]
fn a_repeated_key_names_where_it_was_first() {
    let repo = repo_with_config("project:\n  name: a\n  tag: \"v{version}\"\n  name: b\n");
    let err = refused_quickly(
        &repo,
        &["next"],
        "relman.yaml:4:3: duplicate key `name` (first at line 2)",
    );
    assert!(!err.contains("DuplicateKeyPolicy") && !err.contains("Options"), "{err}");
    // In a flow mapping, on one line.
    let repo = repo_with_config("project: {name: a, name: b}\n");
    refused_quickly(
        &repo,
        &["next"],
        "relman.yaml:1:20: duplicate key `name` (first at column 11)",
    );
}

#[test]
fn a_file_that_is_not_utf8_names_its_line_and_column() {
    let repo = repo_with_config("");
    std::fs::write(repo.root.join("relman.yaml"), b"project:\n  name: d\xffmo\n").unwrap();
    refused_quickly(&repo, &["next"], "relman.yaml:2:10: file is not UTF-8 (byte 18)");
    let run = repo.relman(&["next", "--format", "json"]).code(2);
    let location = &run.json()["problems"][0]["location"];
    assert_eq!(location["line"], 2, "{run}");
    assert_eq!(location["column"], 10, "{run}");
}

/// A timeout over 7 days (`u64::MAX` seconds overflowed the clock and
/// panicked) or below zero, in the policy or the catalog, is refused where
/// it is written, exit 2, before a train moves.
#[test]
fn every_timeout_is_bounded_where_it_is_written() {
    const POLICY: &str = "catalog/upgrade-policies.yaml";
    const HUGE: &str = "18446744073709551615";
    let notify = "release_trains:\n  notifications:\n    enabled: true\n    hook: 'true'\n";
    for (file, text, at, says) in [
        (POLICY, format!("{notify}    timeout: {HUGE}\n"), ":5:14:", "more than 7 days"),
        (POLICY, format!("{notify}    timeout: -1\n"), ":5:14:", "is negative"),
        (POLICY, format!("{notify}    timeout: 2.5\n"), ":5:14:", "is not a whole number"),
        (
            POLICY,
            format!("release_trains:\n  validation:\n    health_check_timeout: {HUGE}\n"),
            ":3:27:",
            "more than 7 days",
        ),
        (
            POLICY,
            "release_trains:\n  validation:\n    rollback_timeout: 604801\n".to_owned(),
            ":3:23:",
            "more than 7 days",
        ),
        (
            POLICY,
            format!("environments:\n  defaults:\n    timeout: {HUGE}\n"),
            ":3:14:",
            "more than 7 days",
        ),
        (
            POLICY,
            "environments:\n  production:\n    timeout: 9999999h\n".to_owned(),
            ":3:14:",
            "more than 7 days",
        ),
        (
            "catalog/release-trains.yaml",
            crate::lifecycle::TRAINS
                .replace("enabled: true\r\n", "enabled: true\r\n      timeout: 8d\r\n"),
            ":11:16:",
            "`rollback.timeout` `8d` is more than 7 days",
        ),
    ] {
        let repo = crate::lifecycle::platform();
        crate::lifecycle::relman(&repo, &["approve", "t", "--role", "qa"]).success();
        repo.write(file, &text);
        repo.commit("chore: a long wait");
        let before = repo.snapshot();
        let run = crate::lifecycle::relman(&repo, &["train", "advance", "t"]).code(2);
        assert!(run.stderr.contains(&format!("{file}{at}")), "{text}: {run}");
        assert!(run.stderr.contains(says), "{text}: {run}");
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("u64"), "{run}");
        repo.assert_unchanged(&before);
    }
}
