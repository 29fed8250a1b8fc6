//! Every invalid catalog in `tests/fixtures/catalogs/invalid/` holds one
//! mistake and exits 2 with the messages its `# expect:` lines name (file,
//! line, column, hint). The file's name says which catalog file it replaces:
//! `services.*`, `trains.*`, `specs.*`, `policies.*`, `metrics.<service>.*`.

use crate::support::{TestRepo, source_path};

/// A repository with the reference catalog, committed.
pub(crate) fn platform() -> TestRepo {
    let repo = TestRepo::new();
    repo.reference_catalog();
    repo.commit("chore: catalog");
    repo
}

fn target(name: &str) -> String {
    let mut parts = name.split('.');
    match parts.next() {
        Some("services") => "catalog/services.yaml".into(),
        Some("trains") => "catalog/release-trains.yaml".into(),
        Some("specs") => "catalog/specs.yaml".into(),
        Some("policies") => "catalog/upgrade-policies.yaml".into(),
        Some("metrics") => format!("catalog/metrics/{}.yaml", parts.next().unwrap()),
        other => panic!("fixture {name}: unknown prefix {other:?}"),
    }
}

#[test]
fn each_invalid_catalog_names_its_mistake() {
    let dir = source_path("tests/fixtures/catalogs/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "only {} fixtures", names.len());
    let repo = platform();
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let expects: Vec<&str> =
            text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expects.is_empty(), "{name} has no `# expect:` line");
        let path = target(name);
        let original = repo.read(&path);
        repo.write(&path, &text);
        let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]);
        repo.write(&path, &original);
        let missing: Vec<&&str> = expects.iter().filter(|e| !run.stderr.contains(**e)).collect();
        if run.code != 2 || !missing.is_empty() || run.stderr.contains("panicked") {
            failures.push(format!("{name}: missing {missing:?}\n{run}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_problems_are_reported_at_once() {
    let repo = platform();
    repo.write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: t\n    participants: [curv, backtest]\n    status: planing\n",
    );
    let run = repo.relman(&["train", "list"]).code(2);
    assert!(run.stderr.contains("unknown participant `curv`"), "{run}");
    assert!(run.stderr.contains("unknown participant `backtest`"), "{run}");
    assert!(run.stderr.contains("unknown status `planing`"), "{run}");
}

/// `train validate` reads the train's metrics while the services file is
/// parsed; a broken catalog is still what it reports, not a metrics file
/// read meanwhile.
#[test]
fn a_broken_catalog_is_reported_before_a_broken_metrics_file() {
    let repo = platform();
    let services = repo.read("catalog/services.yaml");
    repo.write("catalog/metrics/curve.yaml", "quality_score: [1, 2\n");
    repo.write("catalog/services.yaml", &format!("{services}  - name: [broken\n"));
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]).code(2);
    assert!(run.stderr.contains("catalog/services.yaml:"), "{run}");
    assert!(!run.stderr.contains("metrics/curve.yaml"), "{run}");
    repo.write("catalog/services.yaml", &services);
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]).code(2);
    assert!(run.stderr.contains("catalog/metrics/curve.yaml:"), "{run}");
}

#[test]
fn both_policy_files_is_an_error_naming_the_two() {
    let repo = platform();
    repo.write("config/upgrade-policies.yaml", "release_trains: {}\n");
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]).code(2);
    assert!(
        run.stderr.contains(
            "both `catalog/upgrade-policies.yaml` and `config/upgrade-policies.yaml` exist"
        ),
        "{run}"
    );
}

#[test]
fn the_reference_catalog_shows_and_plans_every_train() {
    let repo = platform();
    repo.relman(&["train", "list"]).success();
    for train in ["Q4-curve-upgrade", "platform-2027.01"] {
        repo.relman(&["train", "plan", train]).success();
        repo.relman(&["train", "show", train]).success();
    }
}

/// The reference services file with `n` more services after it, each
/// `  - name: extra-<i>` with its path on the next line.
fn with_extra_services(repo: &TestRepo, n: usize) -> String {
    let mut text = repo.read("catalog/services.yaml");
    for i in 0..n {
        text.push_str(&format!("\n  - name: extra-{i}\n    path: services/extra-{i}\n"));
    }
    text
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_large_services_file_means_the_same_and_reports_mistakes_at_their_line() {
    // Large enough that relman parses it in two halves on two threads.
    let repo = platform();
    let big = with_extra_services(&repo, 3_000);
    assert!(big.len() > 128 * 1024);
    repo.write("catalog/services.yaml", &big);
    let run = repo.relman(&["status", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 8 + 3_000, "{}", run.stdout);

    // A mistake of either kind in the second half: named at its own line.
    let typo = big.replace("  - name: extra-2999\n    path:", "  - name: extra-2999\n    pathh:");
    repo.write("catalog/services.yaml", &typo);
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]);
    let line = line_of(&typo, "pathh:");
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(&format!("catalog/services.yaml:{line}:5: unknown field `pathh`")),
        "{run}"
    );
    let dependency = big
        .replace("  - name: extra-2998\n", "  - name: extra-2998\n    depends_on: [extra-29999]\n");
    repo.write("catalog/services.yaml", &dependency);
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]);
    let line = line_of(&dependency, "extra-29999");
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(&format!(
            "catalog/services.yaml:{line}:18: `extra-2998` depends on unknown service `extra-29999`"
        )),
        "{run}"
    );

    // An anchor in the first half, used in the second: the whole file is read.
    let anchored = big
        .replace(
            "  - name: extra-0\n    path: services/extra-0\n",
            "  - name: extra-0\n    path: services/extra-0\n    depends_on: &deps [curve]\n",
        )
        .replace("  - name: extra-2999\n", "  - name: extra-2999\n    depends_on: *deps\n");
    repo.write("catalog/services.yaml", &anchored);
    let run = repo.relman(&["status", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 8 + 3_000);
}

#[test]
fn a_participant_named_by_its_alias_reads_only_its_service_metrics() {
    // Metrics are read ahead by the names the trains file writes; a file
    // named after an alias is not the service's and must not be read.
    let repo = platform();
    let trains = repo.read("catalog/release-trains.yaml");
    repo.write(
        "catalog/release-trains.yaml",
        &trains.replacen("      - curve\n", "      - curve-service\n", 1),
    );
    let want = repo.relman(&["train", "validate", "Q4-curve-upgrade", "--format", "json"]);
    assert!(want.stdout.contains("\"service\": \"backtesting\""), "{want}");
    repo.write("catalog/metrics/curve-service.yaml", "quality_score: [1, 2\n");
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade", "--format", "json"]);
    assert_eq!(run.code, want.code, "{run}");
    assert_eq!(run.stdout, want.stdout, "{run}");
}

#[test]
fn a_metric_out_of_range_names_its_line_and_column() {
    let repo = platform();
    repo.write("catalog/metrics/curve.yaml", "critical_vulns: 0\nquality_score: 120\n");
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("catalog/metrics/curve.yaml:2:16: `quality_score` is 120, expected 0 to 100"),
        "{run}"
    );
    repo.write("catalog/metrics/curve.yaml", "quality_score: .nan\n");
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("catalog/metrics/curve.yaml:1:16: `.nan` is not a finite number"),
        "{run}"
    );
    assert!(!run.stderr.contains("policy"), "{run}");
    repo.write("catalog/metrics/curve.yaml", "healthy: 3\n");
    let run = repo.relman(&["train", "validate", "Q4-curve-upgrade", "--format", "json"]);
    assert_eq!(run.code, 2, "{run}");
    let location = &run.json()["problems"][0]["location"];
    assert_eq!((&location["line"], &location["column"]), (&1.into(), &10.into()), "{run}");
}

#[test]
fn flow_style_services_are_read_and_a_key_repeated_in_one_is_refused_with_its_place() {
    let repo = platform();
    let want = repo.relman(&["status"]);
    // market-data's entry (up to the blank line after it) in flow style.
    let services = repo.read("catalog/services.yaml");
    let start = services.find("  - name: market-data").unwrap();
    let end = start + services[start..].find("\n\n").unwrap() + 2;
    let flow = format!(
        "{}  - {{name: market-data, path: services/market-data, version_files: [services/market-data/Cargo.toml]}}\n{}",
        &services[..start],
        &services[end..]
    );
    repo.write("catalog/services.yaml", &flow);
    let run = repo.relman(&["status"]);
    assert_eq!((run.code, &run.stdout), (want.code, &want.stdout), "{run}");

    let twice =
        flow.replacen("path: services/market-data,", "path: a, path: services/market-data,", 1);
    repo.write("catalog/services.yaml", &twice);
    let line = twice.lines().position(|l| l.contains("path: a, path")).unwrap() + 1;
    let run = repo.relman(&["status"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(&format!(
            "catalog/services.yaml:{line}:34: duplicate key `path` (first at column 25)"
        )),
        "{run}"
    );
    assert!(!run.stderr.contains("DuplicateKeyPolicy"), "{run}");
}
