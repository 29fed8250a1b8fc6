//! The attack repros of the reviews (`tests/fixtures/attacks/NN-*.sh`):
//! each builds a hostile situation against the real binary. Those whose
//! header says "Exit 0 when fixed" end with their own check and are run
//! here, so that a fixed defect stays fixed (the earlier ones only show
//! what happens, and have their tests in the other files).

use std::process::Command;

#[test]
fn every_attack_repro_holds() {
    let dir = crate::support::source_path("tests/fixtures/attacks");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".sh")
                && name.starts_with(|c: char| c.is_ascii_digit())
                && std::fs::read_to_string(p).unwrap().contains("Exit 0 when fixed")
        })
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 5, "the repros are missing: {scripts:?}");
    let tmp = tempfile::tempdir().unwrap();
    let mut failed = Vec::new();
    for script in &scripts {
        let out = Command::new("bash")
            .arg(script)
            .current_dir(tmp.path())
            .env("RELMAN", crate::support::RELMAN)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        if !out.status.success() {
            failed.push(format!(
                "{}: {}\n{}{}",
                script.display(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
