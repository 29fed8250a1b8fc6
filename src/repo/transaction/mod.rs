//! The one writer: every change relman makes to the user's repository goes
//! through a `Transaction` (SPEC §6.4).
//!
//! The model is jj's `start_transaction()` → `tx.finish()`: a command
//! collects what it will change (file writes, the audit event, the commit
//! message, tags, a new branch) and then either shows it (`preview()`, for
//! `--dry-run`) or applies it (`finish()`). A transaction that applies
//! changes can only be started with the repository lock held, so a dry run,
//! which takes no lock, cannot write.
//!
//! `finish()` is ordered so that a crash at any point leaves either the
//! repository as it was or something the next run completes:
//!
//! 1. checks that cannot be undone later run first: signing works, the
//!    repository's `commit-msg` hook accepts the message;
//! 2. every object is written to the object store: the files' blobs, the
//!    tree, the commit, unsigned tag objects. Nothing the user sees moved;
//! 3. a journal (`<git dir>/relman-journal.json`, flushed to disk) records
//!    what the next steps will do: the refs with their old and new values,
//!    and every file with its old and new content (as blob ids);
//! 4. the tags are created, then the branch is moved by compare-and-swap;
//! 5. the work tree files are replaced atomically, then the index;
//! 6. with `--push`, the branch and tags are pushed (`push.rs`): the last
//!    step, nothing that can fail comes after it;
//! 7. the journal is removed.
//!
//! A failure in steps 4–6 undoes what was done (files, index, refs). A
//! process killed in steps 4–6 leaves the journal: the next transaction
//! started on this repository finds it under the lock and completes the
//! interrupted work (it is all recorded, objects included), so a retried
//! CI job never releases twice and never leaves half a release. A journal
//! whose push was pending is completed only if the remote holds what was
//! pushed, and undone otherwise (the retried command then starts again).
//! SIGINT, SIGTERM and SIGHUP are held back while steps 2–7 run: a step
//! is finished, never left half done; during the push they stop it at
//! once, and the remote decides as for a failed push.
//!
//! The parts: `plan.rs` collects the changes and previews them,
//! `apply.rs` writes them and undoes them, `journal.rs` records them and
//! completes a killed run, `checks.rs` runs what must pass before anything
//! is written, `push.rs` pushes what it made (`--push`), `signals.rs` holds
//! termination signals back (the crash tests' failpoints are in
//! `crate::failpoint`).

mod apply;
mod checks;
mod journal;
mod plan;
mod push;
mod signals;

use super::Repo;
use super::lock::Lock;
use crate::error::Result;
use crate::failpoint::failpoint;

pub use journal::JOURNAL;
pub use plan::{FilePreview, Preview, unified_diff};
pub use push::{PushLog, Pushed};

/// One file a transaction writes.
#[derive(Debug, Clone)]
pub struct FileWrite {
    /// Where it really is, relative to the root (symlinks followed).
    pub path: String,
    /// What it is: `version`, `changelog`, `audit`, `file`, `export`.
    pub role: &'static str,
    /// Its text before, `None` when it does not exist.
    pub old: Option<String>,
    /// Its text after, `None` when the transaction removes it.
    pub new: Option<String>,
}

/// A tag a transaction creates, on its commit (or HEAD without one).
#[derive(Debug, Clone)]
pub struct TagWrite {
    /// The tag name.
    pub name: String,
    /// Its message (the release notes).
    pub message: String,
    /// Signed with the user's git signing setup.
    pub sign: bool,
    /// The commit it goes on; `None`: the transaction's commit (or HEAD).
    pub at: Option<String>,
}

/// What `finish()` made.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// The new commit, if the transaction commits.
    pub commit: Option<String>,
}

/// What the recovery of an interrupted transaction completed.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The command that was interrupted.
    pub command: String,
    /// The commit it made, if any.
    pub commit: Option<String>,
    /// The branch ref it moved, if any.
    pub branch: Option<String>,
    /// The tags it made.
    pub tags: Vec<String>,
    /// Its push had reached the remote (`--push`): completed, pushed.
    pub pushed: bool,
    /// Its push never reached this remote: it was undone, not completed,
    /// and the command starts again from the start.
    pub undone_push: Option<String>,
}

/// A set of changes to the repository, previewed or applied as one.
pub struct Transaction<'r> {
    repo: &'r Repo,
    lock: Option<Lock>,
    command: String,
    env: Vec<(String, String)>,
    files: Vec<FileWrite>,
    commit: Option<String>,
    tags: Vec<TagWrite>,
    new_branch: Option<(String, String)>,
    verify: bool,
    /// Where applying pushes, when asked (`--push`).
    push: Option<push::Push>,
}

impl<'r> Transaction<'r> {
    /// Starts a transaction on `repo`. With `lock` it can be applied; without
    /// one (a dry run) it can only be previewed.
    ///
    /// With the lock, a transaction that an earlier run left unfinished is
    /// completed first and reported.
    pub fn start(
        repo: &'r Repo,
        lock: Option<Lock>,
        command: &str,
        env: &[(String, String)],
    ) -> Result<(Self, Option<Recovered>)> {
        let recovered = if lock.is_some() { journal::recover(repo)? } else { None };
        if lock.is_some() {
            failpoint("started with the lock")?;
        }
        let tx = Self {
            repo,
            lock,
            command: command.to_owned(),
            env: env.to_vec(),
            files: Vec::new(),
            commit: None,
            tags: Vec::new(),
            new_branch: None,
            verify: true,
            push: None,
        };
        Ok((tx, recovered))
    }

    /// Tells whether this transaction can be applied (it holds the lock).
    pub fn can_write(&self) -> bool {
        self.lock.is_some()
    }

    /// Applies the transaction: all of it, or (on failure) none of it.
    pub fn finish(self) -> Result<Finished> {
        self.write_all()
    }

    /// Applies what is collected so far, as `finish` does, and keeps the
    /// lock for the next step (a train writes one commit per step).
    pub fn finish_step(&mut self) -> Result<Finished> {
        let finished = self.write_all()?;
        self.files.clear();
        self.commit = None;
        self.tags.clear();
        self.new_branch = None;
        self.verify = true;
        Ok(finished)
    }
}
