//! The journal: what a transaction is about to do, written before it does
//! it, and the completion of a run killed while it wrote.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Recovered;
use super::apply::{apply, undo};
use super::push::{hide_userinfo, landed};
use super::signals;
use crate::error::{Error, Location, Problem, Result};
use crate::files;
use crate::repo::Repo;

/// The journal's file name, in the git directory shared by every worktree
/// (where the lock is), so a writer in one worktree sees a release that a
/// killed run left unfinished in another.
pub const JOURNAL: &str = "relman-journal.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct JournalFile {
    /// Relative to the root; absolute for an export.
    pub(super) path: String,
    pub(super) old: Option<String>,
    /// Its new blob; `None`: the file is removed.
    pub(super) new: Option<String>,
    /// Named on the command line, outside what is committed.
    #[serde(default)]
    pub(super) export: bool,
}

impl JournalFile {
    pub(super) fn full(&self, repo: &Repo) -> PathBuf {
        if self.export { PathBuf::from(&self.path) } else { repo.root().join(&self.path) }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct JournalTag {
    pub(super) name: String,
    /// The commit it goes on, when not the journal's `tag_target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) at: Option<String>,
    /// The tag object, made in advance unless signed.
    pub(super) object: Option<String>,
    pub(super) message: String,
    pub(super) sign: bool,
}

/// What a transaction is about to do, written before it does it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Journal {
    pub(super) pid: u32,
    pub(super) command: String,
    /// The git directory of the worktree the run wrote files and the
    /// index of (`None` in journals of the main worktree).
    #[serde(default)]
    pub(super) worktree: Option<String>,
    /// The branch ref the commit goes on, when it commits.
    pub(super) branch: Option<String>,
    /// The branch's value before (`None`: the branch is new).
    pub(super) before: Option<String>,
    /// Where HEAD pointed before, when the transaction switches branches.
    pub(super) head_before: Option<String>,
    /// The new commit.
    pub(super) commit: Option<String>,
    /// What the tags point at: the new commit, or HEAD.
    pub(super) tag_target: Option<String>,
    pub(super) tags: Vec<JournalTag>,
    pub(super) files: Vec<JournalFile>,
    /// Switch to `branch` (a new branch) and check the commit out.
    pub(super) switch: bool,
    /// The remote the transaction pushes to as its last step (`--push`):
    /// a run killed before that push finished is completed only if the
    /// remote has what it pushed, and undone otherwise. Absent in the
    /// journals of runs without a push (and of relman before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) push: Option<String>,
}

/// Where the journal is: beside the lock, in the common git directory.
pub(super) fn journal_path(repo: &Repo) -> PathBuf {
    repo.git.common_dir().join(JOURNAL)
}

/// The git directory of a linked worktree; `None` for the main one.
pub(super) fn this_worktree(repo: &Repo) -> Option<String> {
    let (own, common) = (repo.git.git_dir(), repo.git.common_dir());
    (files::canonical(own) != files::canonical(common))
        .then(|| files::canonical(own).display().to_string())
}

/// Completes a transaction that a killed run left, if any.
pub(super) fn recover(repo: &Repo) -> Result<Option<Recovered>> {
    let path = journal_path(repo);
    // A journal half written was never in force.
    files::remove_all_temps(&path)?;
    let display = path.display().to_string();
    let Some(text) = files::read_text(&path, &display)? else { return Ok(None) };
    let journal: Journal = serde_json::from_str(&text).map_err(|e| {
        Error::refused(format!("the journal of an interrupted relman run is unreadable: {e}"))
            .at(Location::file(display.clone()))
            .hint("inspect the repository (`git status`, `git log`, `git tag`), then delete that file")
    })?;
    if journal.worktree != this_worktree(repo) {
        // Its files and index are another worktree's: only a run there can
        // finish them.
        let place = journal.worktree.as_deref().unwrap_or("the main worktree");
        let gone = journal.worktree.as_ref().is_some_and(|w| !files::exists(Path::new(w)));
        return Err(Error::refused(format!(
            "an interrupted `{}` in another worktree (git directory `{place}`) is not finished",
            journal.command
        ))
        .at(Location::file(display))
        .hint(if gone {
            "that worktree is gone: inspect the tags and branches it wrote (`git log`, `git tag`), then delete that file"
        } else {
            "run a relman command that writes (such as the same command again) in that worktree; it completes the release"
        }));
    }
    if let (Some(branch), Some(commit)) = (&journal.branch, &journal.commit) {
        let now = repo.git.ref_target(branch);
        if now.as_ref() != Some(commit) && now != journal.before {
            return Err(Error::refused(format!(
                "an interrupted `{}` was releasing commit {} on `{branch}`, but `{branch}` has moved since",
                journal.command,
                short(commit)
            ))
            .at(Location::file(display))
            .hint("inspect the repository, then delete that file to discard the interrupted run"));
        }
    }
    remove_dead_runs_leftovers(repo, &journal, &path)?;
    // The run that wrote the journal and any run killed while completing
    // it may each have left a temporary file; the lock is held.
    for f in &journal.files {
        files::remove_all_temps(&f.full(repo))?;
    }
    let _held = signals::hold();
    let cannot = |mut e: Error, what: &str| {
        for p in &mut e.problems {
            p.message = hide_userinfo(&p.message);
        }
        e.problems.push(
            Problem::new(format!(
                "relman could not {what} the interrupted `{}` recorded in `{display}`",
                journal.command
            ))
            .hint("fix the problem above and run relman again, or inspect the repository and delete that file"),
        );
        e
    };
    // A run killed before its push finished: the remote says whether the
    // push happened.
    let pushed = match &journal.push {
        Some(remote) => {
            Some(landed(repo, remote, &journal).map_err(|e| cannot(e, "ask the remote about"))?)
        }
        None => None,
    };
    if pushed == Some(false) {
        undo(repo, &journal, true).map_err(|e| cannot(e, "undo"))?;
    } else {
        apply(repo, &journal, None, &mut false, &mut || Ok(()))
            .map_err(|e| cannot(e, "complete"))?;
    }
    files::remove(&path)?;
    repo.journal_handled();
    Ok(Some(Recovered {
        command: journal.command,
        commit: journal.commit,
        branch: journal.branch,
        tags: journal.tags.into_iter().map(|t| t.name).collect(),
        pushed: pushed == Some(true),
        undone_push: (pushed == Some(false))
            .then(|| journal.push.as_deref().map(hide_userinfo).unwrap_or_default()),
    }))
}

/// Removes what the dead run left in git's own places, which would block
/// git itself (and the completion): its `index.lock`, its scratch copy of
/// the index, and the locks of the
/// refs the journal updates, taken after the journal was written (so not
/// older than it: an older lock is another process's, and stays), and
/// the temporary object files libgit2 (`objects/tmp_object_git2_*`) or git
/// (`objects/??/tmp_obj_*`) were writing before it.
fn remove_dead_runs_leftovers(repo: &Repo, j: &Journal, journal_path: &Path) -> Result<()> {
    let Some(written) = files::modified(journal_path) else { return Ok(()) };
    let git = &repo.git;
    let mut locks = vec![git.git_dir().join("index.lock")];
    locks.extend(journal_refs(j).iter().map(|r| ref_lock(repo, r)));
    for lock in locks {
        if files::modified(&lock).is_some_and(|t| t >= written) {
            files::remove(&lock)?;
        }
    }
    // The copy of the index the dead run was writing, and libgit2's lock
    // of it (a SIGKILL inside the index's update): that pid's alone.
    let scratch = format!("index.relman-tmp.{}", j.pid);
    files::remove(&git.git_dir().join(&scratch))?;
    files::remove(&git.git_dir().join(format!("{scratch}.lock")))?;
    let temporary =
        |name: &str| name.starts_with("tmp_object_git2_") || name.starts_with("tmp_obj_");
    files::remove_stale(&git.common_dir().join("objects"), temporary, written)?;
    Ok(())
}

/// The refs a journal updates.
fn journal_refs(j: &Journal) -> Vec<String> {
    let mut refs: Vec<String> = j.tags.iter().map(|t| format!("refs/tags/{}", t.name)).collect();
    refs.extend(j.branch.clone());
    if j.switch {
        refs.push("HEAD".to_owned());
    }
    refs
}

/// The lock file git takes to update `refname`.
fn ref_lock(repo: &Repo, refname: &str) -> PathBuf {
    let dir = if refname.starts_with("refs/") { repo.git.common_dir() } else { repo.git.git_dir() };
    dir.join(format!("{refname}.lock"))
}

fn short(id: &str) -> &str {
    &id[..7.min(id.len())]
}
