//! relman's end-to-end tests: one binary, the real `relman`, real git
//! repositories in temp folders.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed unwrap is a failed test")]

mod support;

mod attacks;
mod calendar;
mod catalogs;
mod change_control;
mod chaos;
mod ci_outputs;
mod clones;
mod completions;
mod crash;
mod create;
mod deploy;
mod deploy_crash;
mod edges;
mod examples;
mod first_run;
mod history_edges;
mod hooks;
mod identity;
mod input;
mod json_contract;
mod layout;
mod lifecycle;
mod metrics;
mod next;
mod notes;
mod notify;
mod oracle;
mod policy;
mod properties;
mod push;
mod recovery;
mod report;
mod rollback;
mod semver;
mod state_layout;
mod symlinks;
mod train;
mod train_deploy;
mod train_status;
mod train_trust;

#[test]
fn no_forgotten_test_files() {
    let listed = include_str!("main.rs");
    for entry in std::fs::read_dir(support::source_path("tests/cli")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                listed.contains(&format!("mod {module};")),
                "tests/cli/{name} is not listed in main.rs"
            );
        }
    }
}
