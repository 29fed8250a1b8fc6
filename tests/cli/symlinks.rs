//! Symlinks never carry a write out of the repository (SPEC §6.4), and a
//! version file that is a symlink is written through, not replaced.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::TestRepo;

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            for (k, v) in files_under(&entry.path()) {
                out.insert(format!("{name}/{k}"), v);
            }
        } else {
            out.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// A repository with a committed folder symlink `evil -> <outside>`, and
/// that outside folder holding files relman would like to write.
fn with_escape() -> (TestRepo, std::path::PathBuf) {
    let repo = TestRepo::new();
    let outside = repo.root.with_file_name("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("Cargo.toml"), "[package]\nname = \"x\"\nversion = \"1.0.0\"\n")
        .unwrap();
    std::fs::write(outside.join("CHANGELOG.md"), "# Changelog\n").unwrap();
    std::fs::write(outside.join("audit.log"), "").unwrap();
    std::os::unix::fs::symlink(&outside, repo.root.join("evil")).unwrap();
    repo.write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"1.0.0\"\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/lib.rs", "feat: more");
    (repo, outside)
}

#[cfg(unix)]
#[test]
fn a_folder_symlink_cannot_carry_a_write_outside() {
    let cases = [
        ("project:\n  version_files: [evil/Cargo.toml]\n", "version_files", "Cargo.toml"),
        ("project:\n  changelog: evil/CHANGELOG.md\n", "changelog", "CHANGELOG.md"),
        ("paths:\n  audit_log: evil/audit.log\n", "audit_log", "audit.log"),
    ];
    for (config, key, file) in cases {
        let (repo, outside) = with_escape();
        repo.write("relman.yaml", config);
        repo.commit("chore: config");
        let (before, before_out) = (repo.snapshot(), files_under(&outside));
        let run = repo.relman(&["create", "minor"]).code(2);
        let resolved = outside.canonicalize().unwrap().join(file);
        assert!(
            run.stderr.contains(key)
                && run.stderr.contains(&format!("resolves to `{}`", resolved.display()))
                && run.stderr.contains("outside the repository"),
            "{key}: {run}"
        );
        repo.assert_unchanged(&before);
        assert_eq!(files_under(&outside), before_out, "{key}: a file outside changed");
    }
}

#[cfg(unix)]
#[test]
fn a_service_path_under_a_folder_symlink_is_refused() {
    let (repo, outside) = with_escape();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: evil\n    path: evil\n    version_files: [evil/Cargo.toml]\n    changelog: evil/CHANGELOG.md\n",
    );
    repo.commit("feat(evil): catalog");
    let before_out = files_under(&outside);
    let run = repo.relman(&["create", "minor", "evil"]).code(2);
    assert!(
        run.stderr.contains("version_files") && run.stderr.contains("outside the repository"),
        "{run}"
    );
    assert_eq!(files_under(&outside), before_out);
    assert!(repo.git(&["tag", "-l", "evil-*"]).is_empty());
}

#[cfg(unix)]
#[test]
fn a_version_file_that_is_a_symlink_is_written_through_and_stays_a_link() {
    let repo = TestRepo::new();
    repo.write("crates/core/Cargo.toml", "[package]\nname = \"core\"\nversion = \"1.0.0\"\n");
    std::os::unix::fs::symlink("crates/core/Cargo.toml", repo.root.join("Cargo.toml")).unwrap();
    repo.write("relman.yaml", "project:\n  version_files: [Cargo.toml]\n  changelog: \"\"\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.change("src/lib.rs", "feat: more");
    repo.relman(&["create", "minor"]).success();
    assert!(
        std::fs::symlink_metadata(repo.root.join("Cargo.toml")).unwrap().file_type().is_symlink()
    );
    assert!(repo.read("crates/core/Cargo.toml").contains("version = \"1.1.0\""));
    assert_eq!(repo.git(&["ls-files", "-s", "Cargo.toml"]).split(' ').next(), Some("120000"));
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "analysis/reports/audit.log\ncrates/core/Cargo.toml");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[cfg(unix)]
#[test]
fn a_version_file_symlink_leading_outside_is_refused() {
    let (repo, outside) = with_escape();
    std::fs::remove_file(repo.root.join("Cargo.toml")).unwrap();
    std::os::unix::fs::symlink(outside.join("Cargo.toml"), repo.root.join("Cargo.toml")).unwrap();
    repo.commit("chore: link");
    let before_out = files_under(&outside);
    let run = repo.relman(&["create", "minor"]).code(2);
    assert!(run.stderr.contains("outside the repository"), "{run}");
    assert_eq!(files_under(&outside), before_out);
}
