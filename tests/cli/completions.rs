//! `completions/` holds the generated scripts; this test fails when they
//! are stale. `RELMAN_UPDATE_COMPLETIONS=1 cargo test completions` rewrites them.

use clap_complete::Shell;
use relman::commands::completions::{file_name, script};

use crate::support::{RELMAN, source_path};

#[test]
fn committed_completions_are_fresh() {
    let update = std::env::var_os("RELMAN_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        let path = source_path("completions").join(file_name(shell));
        let fresh = script(shell);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(fresh.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions (RELMAN_UPDATE_COMPLETIONS=1 cargo test completions): {stale:?}"
    );
}

#[test]
fn the_command_prints_the_same_script() {
    let out = std::process::Command::new(RELMAN).args(["completions", "bash"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, script(Shell::Bash));
    assert!(String::from_utf8_lossy(&out.stdout).contains("relman__subcmd__train__subcmd__plan"));
}
