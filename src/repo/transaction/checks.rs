//! What must pass before a transaction writes anything: signing works,
//! the repository's `commit-msg` hook accepts the message.

use crate::error::{Error, Result};
use crate::files;
use crate::repo::Repo;

/// Makes sure git can sign with the user's setup before anything is
/// written: a throwaway commit of the empty tree is signed into a
/// temporary object store outside the repository.
pub(super) fn check_signing(repo: &Repo) -> Result<()> {
    let scratch = files::scratch_dir("relman-sign-check")?;
    let objects = scratch.join("objects");
    files::create_dir_all(&objects)?;
    let args: Vec<String> =
        ["commit-tree", "-S", EMPTY_TREE, "-m", "relman signing check"].map(str::to_owned).to_vec();
    let result =
        repo.git.git_cli(&args, "", &[("GIT_OBJECT_DIRECTORY", &objects.to_string_lossy())]);
    let _ = files::remove_dir_all(&scratch);
    result.map(|_| ()).map_err(|e| {
        let why = e.problems.first().map(|p| p.message.clone()).unwrap_or_default();
        Error::refused(format!("signing is asked for (`--sign`, `release.sign`, `commit.gpgSign` or `tag.gpgSign`) but git cannot sign: {why}"))
            .hint("fix the signing setup (`user.signingKey`, `gpg.format`), or turn signing off for this repository; relman never falls back to an unsigned commit or tag")
    })
}

/// git's empty tree, which every repository knows without storing it.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// Runs the repository's own `commit-msg` hook on the release commit's
/// message before anything is written. The hook may refuse the message
/// (exit 4, nothing written) but not rewrite it: relman's message is what
/// marks the commit as its own.
pub(super) fn run_commit_msg_hook(repo: &Repo, message: &str) -> Result<()> {
    let hook = repo.git.hooks_dir().join("commit-msg");
    if !files::is_executable(&hook) {
        return Ok(());
    }
    let scratch = files::scratch_dir("relman-commit-msg")?;
    let file = scratch.join("COMMIT_EDITMSG");
    files::atomic_write(&file, message.as_bytes())?;
    // Run as git runs it: in the work tree, the message file its argument.
    let outcome = std::process::Command::new(&hook)
        .arg(&file)
        .current_dir(repo.root())
        .stdin(std::process::Stdio::null())
        .output();
    let after = files::read_text(&file, "COMMIT_EDITMSG");
    let _ = files::remove_dir_all(&scratch);
    let outcome = outcome.map_err(|e| Error::io("run the commit-msg hook", &hook, &e))?;
    if !outcome.status.success() {
        let output = [outcome.stdout, outcome.stderr].concat();
        return Err(Error::hook(format!(
            "the repository's commit-msg hook `{}` refused the release commit: {}",
            hook.display(),
            String::from_utf8_lossy(&output).trim()
        ))
        .hint("fix the hook or the message pattern (`release.commit_message`), or pass `--no-verify` to skip the hook"));
    }
    if after?.as_deref() != Some(message) {
        return Err(Error::hook(format!(
            "the repository's commit-msg hook `{}` rewrote the release commit's message, which relman does not allow",
            hook.display()
        ))
        .hint("pass `--no-verify` to skip the hook"));
    }
    Ok(())
}
