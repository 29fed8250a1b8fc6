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
//! 6. the journal is removed.
//!
//! A failure in steps 4–5 undoes what was done (files, index, refs). A
//! process killed in steps 4–5 leaves the journal: the next transaction
//! started on this repository finds it under the lock and completes the
//! interrupted work (it is all recorded, objects included), so a retried
//! CI job never releases twice and never leaves half a release.
//! SIGINT, SIGTERM and SIGHUP are held back while steps 2–6 run: a step
//! is finished, never left half done.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Repo;
use super::audit;
use super::files;
use super::lock::Lock;
use crate::error::{Error, Location, Problem, Result};

/// The journal's file name, in the git directory shared by every worktree
/// (where the lock is), so a writer in one worktree sees a release that a
/// killed run left unfinished in another.
pub const JOURNAL: &str = "relman-journal.json";

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

/// One file as a dry run shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FilePreview {
    /// Path relative to the root.
    pub path: String,
    /// What it is: `version`, `changelog`, `audit`, `file`, `export`.
    pub role: &'static str,
    /// The unified diff.
    pub diff: String,
}

/// What a transaction would do.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The files, in order.
    pub files: Vec<FilePreview>,
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
    /// The tags it made.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct JournalFile {
    /// Relative to the root; absolute for an export.
    path: String,
    old: Option<String>,
    /// Its new blob; `None`: the file is removed.
    new: Option<String>,
    /// Named on the command line, outside what is committed.
    #[serde(default)]
    export: bool,
}

impl JournalFile {
    fn full(&self, repo: &Repo) -> PathBuf {
        if self.export { PathBuf::from(&self.path) } else { repo.root().join(&self.path) }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct JournalTag {
    name: String,
    /// The commit it goes on, when not the journal's `tag_target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    /// The tag object, made in advance unless signed.
    object: Option<String>,
    message: String,
    sign: bool,
}

/// What a transaction is about to do, written before it does it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Journal {
    pid: u32,
    command: String,
    /// The git directory of the worktree the run wrote files and the
    /// index of (`None` in journals of the main worktree).
    #[serde(default)]
    worktree: Option<String>,
    /// The branch ref the commit goes on, when it commits.
    branch: Option<String>,
    /// The branch's value before (`None`: the branch is new).
    before: Option<String>,
    /// Where HEAD pointed before, when the transaction switches branches.
    head_before: Option<String>,
    /// The new commit.
    commit: Option<String>,
    /// What the tags point at: the new commit, or HEAD.
    tag_target: Option<String>,
    tags: Vec<JournalTag>,
    files: Vec<JournalFile>,
    /// Switch to `branch` (a new branch) and check the commit out.
    switch: bool,
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
        let recovered = if lock.is_some() { recover(repo)? } else { None };
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
        };
        Ok((tx, recovered))
    }

    /// Tells whether this transaction can be applied (it holds the lock).
    pub fn can_write(&self) -> bool {
        self.lock.is_some()
    }

    /// Returns the text `relative` will have once the transaction is
    /// applied: its pending write, else the file as it is (on a new
    /// branch: as committed where the branch starts).
    pub fn read(&self, relative: &str, what: &str) -> Result<Option<String>> {
        let path = self.repo.resolve(relative, what)?;
        if let Some(f) = self.files.iter().find(|f| f.path == path) {
            return Ok(f.new.clone());
        }
        self.current(&path)
    }

    /// The file as it is now: read again at every step, since a hook or
    /// the user may have rewritten it since relman did.
    fn current(&self, path: &str) -> Result<Option<String>> {
        match &self.new_branch {
            Some((_, at)) => self.repo.git.read_at(at, path),
            None => files::read_text(&self.repo.root().join(path), path),
        }
    }

    /// Writes `new` to `relative` (a path from configuration; `what` names
    /// the setting in errors). Returns the path it resolved to.
    pub fn write(
        &mut self,
        relative: &str,
        what: &str,
        role: &'static str,
        new: String,
    ) -> Result<String> {
        self.put(relative, what, role, Some(new))
    }

    /// Removes `relative` (a path from configuration) if it exists.
    pub fn remove(&mut self, relative: &str, what: &str) -> Result<()> {
        self.put(relative, what, "state", None).map(drop)
    }

    fn put(
        &mut self,
        relative: &str,
        what: &str,
        role: &'static str,
        new: Option<String>,
    ) -> Result<String> {
        let path = self.repo.resolve(relative, what)?;
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            f.new = new;
            return Ok(path);
        }
        let old = self.current(&path)?;
        if old.is_none() && new.is_none() {
            return Ok(path);
        }
        self.files.push(FileWrite { path: path.clone(), role, old, new });
        Ok(path)
    }

    /// Writes `new` to a file the user named on the command line (such as
    /// `train plan --out`), which may lie outside the repository.
    pub fn export(&mut self, path: PathBuf, new: String) -> Result<()> {
        let old = files::read_text(&path, &path.display().to_string())?;
        let path = path.to_string_lossy().into_owned();
        self.files.push(FileWrite { path, role: "export", old, new: Some(new) });
        Ok(())
    }

    /// Appends one record to the audit trail, chained to the line before
    /// it; secret values in it are redacted.
    pub fn audit(&mut self, entry: Map<String, Value>) -> Result<()> {
        let what = "`paths.audit_log`";
        let relative = self.repo.config.audit_log.value.clone();
        let existing = self.read(&relative, what)?.unwrap_or_default();
        let existing = audit::repair_tail(&existing, &relative)?;
        // An empty open segment chains to the last sealed one.
        let before = match audit::last_line(&existing) {
            Some(_) => String::new(),
            None => match self.repo.sealed_segments()?.pop() {
                Some((_, path)) => self.read(&path, what)?.unwrap_or_default(),
                None => String::new(),
            },
        };
        let last = audit::last_line(&existing).or_else(|| audit::last_line(&before));
        let line = audit::next_line(last, entry, &self.env);
        if !existing.is_empty() && existing.len() + line.len() + 1 > audit::SEGMENT_BYTES {
            // Sealed as it is (git keeps the same blob); a new open segment.
            let number = self.repo.sealed_segments()?.last().map_or(0, |(n, _)| *n) + 1;
            let sealed = audit::sealed_name(&relative, number);
            if self.read(&sealed, what)?.is_some() {
                return Err(Error::refused(format!(
                    "`{sealed}` exists already: the audit trail's segments are out of order"
                ))
                .at(Location::file(sealed))
                .hint("`relman audit verify` names what is wrong"));
            }
            self.write(&sealed, what, "audit", existing)?;
            self.write(&relative, what, "audit", format!("{line}\n"))?;
        } else {
            self.write(&relative, what, "audit", format!("{existing}{line}\n"))?;
        }
        Ok(())
    }

    /// Commits the written files with `message` on the current branch.
    pub fn commit(&mut self, message: String) {
        self.commit = Some(message);
    }

    /// Creates the annotated tag `name` on the commit (or on HEAD).
    pub fn tag(&mut self, name: String, message: String, sign: bool) {
        self.tags.push(TagWrite { name, message, sign, at: None });
    }

    /// Creates the annotated tag `name` on the existing commit `at`.
    pub fn tag_at(&mut self, name: String, message: String, sign: bool, at: String) {
        self.tags.push(TagWrite { name, message, sign, at: Some(at) });
    }

    /// Makes the commit on a new branch `name` started at `at`, and
    /// switches to it (the work tree must be clean). Call it before any
    /// `write`: files are then read as committed at `at`.
    pub fn new_branch(&mut self, name: String, at: String) {
        self.new_branch = Some((name, at));
    }

    /// Skips the repository's `commit-msg` hook (`--no-verify`).
    pub fn no_verify(&mut self) {
        self.verify = false;
    }

    /// Returns the files written so far.
    pub fn files(&self) -> &[FileWrite] {
        &self.files
    }

    /// Returns what applying the transaction would do, with unified diffs.
    pub fn preview(&self) -> Preview {
        let files = self
            .files
            .iter()
            .map(|f| FilePreview {
                path: f.path.clone(),
                role: f.role,
                diff: unified_diff(
                    &f.path,
                    f.old.as_deref().unwrap_or_default(),
                    f.new.as_deref().unwrap_or_default(),
                ),
            })
            .collect();
        Preview { files }
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

    /// Applies the transaction; returns what it made.
    fn write_all(&self) -> Result<Finished> {
        if self.lock.is_none() {
            return Err(Error::refused("internal: a transaction without the lock cannot write"));
        }
        let git = &self.repo.git;
        let sign_commit = self.commit.is_some() && git.config_bool("commit.gpgsign");
        let sign_any = sign_commit || self.tags.iter().any(|t| t.sign);
        if sign_any {
            check_signing(self.repo)?;
        }
        if self.commit.is_some() && files::exists(&git.git_dir().join("index.lock")) {
            return Err(Error::refused(format!(
                "git's index is locked (`{}`): another git command is running, or one was killed",
                git.git_dir().join("index.lock").display()
            ))
            .hint("if no git command is running, remove that file and run relman again"));
        }
        if let (true, Some(message)) = (self.verify, &self.commit) {
            run_commit_msg_hook(self.repo, message)?;
        }
        failpoint("checks passed")?;
        let _held = signals::hold();
        let (branch, before, head_before, base) = match &self.new_branch {
            Some((name, at)) => {
                let refname = format!("refs/heads/{name}");
                if git.ref_target(&refname).is_some() {
                    return Err(Error::refused(format!("branch `{name}` already exists")));
                }
                (Some(refname), None, git.head_ref(), Some(at.clone()))
            }
            None => {
                let head = git.head()?;
                (git.head_ref(), head.clone(), None, head)
            }
        };
        let mut jfiles = Vec::new();
        for f in &self.files {
            let old = f.old.as_ref().map(|o| git.ensure_blob(o.as_bytes())).transpose()?;
            let new = f.new.as_ref().map(|n| git.write_blob(n.as_bytes())).transpose()?;
            jfiles.push(JournalFile { path: f.path.clone(), old, new, export: f.role == "export" });
            failpoint("blob")?;
        }
        let commit = match &self.commit {
            Some(message) => {
                if branch.is_none() {
                    return Err(Error::refused("HEAD is detached").hint("check out a branch first"));
                }
                let updates: Vec<(String, Option<String>)> = jfiles
                    .iter()
                    .filter(|f| !f.export)
                    .map(|f| (f.path.clone(), f.new.clone()))
                    .collect();
                let tree = git.tree_with(base.as_deref(), &updates)?;
                failpoint("tree")?;
                Some(git.write_commit(&tree, base.as_deref(), message, sign_commit)?)
            }
            None => None,
        };
        failpoint("commit object")?;
        let tag_target = commit.clone().or(git.head()?);
        let mut jtags = Vec::new();
        for t in &self.tags {
            let Some(target) = t.at.as_ref().or(tag_target.as_ref()) else {
                return Err(Error::refused("there is no commit to tag"));
            };
            let object = if t.sign {
                None
            } else {
                Some(git.write_tag_object(&t.name, target, &t.message)?)
            };
            jtags.push(JournalTag {
                name: t.name.clone(),
                at: t.at.clone(),
                object,
                message: t.message.clone(),
                sign: t.sign,
            });
            failpoint("tag object")?;
        }
        failpoint("objects written")?;
        let journal = Journal {
            pid: std::process::id(),
            command: self.command.clone(),
            worktree: this_worktree(self.repo),
            branch,
            before,
            head_before,
            commit: commit.clone(),
            tag_target,
            tags: jtags,
            files: jfiles,
            switch: self.new_branch.is_some(),
        };
        let journal_path = journal_path(self.repo);
        let text = serde_json::to_string_pretty(&journal)
            .map_err(|e| Error::input(format!("cannot record the journal: {e}")))?;
        if let Err(e) =
            files::atomic_write(&journal_path, text.as_bytes()).and_then(|()| failpoint("journal"))
        {
            // Nothing but objects exists yet: no journal, nothing to complete.
            let _ = files::remove(&journal_path);
            return Err(e);
        }
        let mut staged = false;
        let known = Known { files: &self.files };
        if let Err(mut e) = apply(self.repo, &journal, Some(known), &mut staged) {
            if let Err(undo_error) = undo(self.repo, &journal, staged) {
                e.problems.extend(undo_error.problems);
                e.problems.push(
                    Problem::new(format!(
                        "relman could not undo everything; the journal `{}` records what it did",
                        journal_path.display()
                    ))
                    .hint("the next relman command that writes completes it"),
                );
                return Err(e);
            }
            files::remove(&journal_path)?;
            e.problems.push(Problem::new("nothing was changed: every file and ref is as it was"));
            return Err(e);
        }
        files::remove(&journal_path)?;
        Ok(Finished { commit })
    }
}

/// Where the journal is: beside the lock, in the common git directory.
fn journal_path(repo: &Repo) -> PathBuf {
    repo.git.common_dir().join(JOURNAL)
}

/// The git directory of a linked worktree; `None` for the main one.
fn this_worktree(repo: &Repo) -> Option<String> {
    let (own, common) = (repo.git.git_dir(), repo.git.common_dir());
    (files::canonical(own) != files::canonical(common))
        .then(|| files::canonical(own).display().to_string())
}

/// Completes a transaction that a killed run left, if any.
fn recover(repo: &Repo) -> Result<Option<Recovered>> {
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
    for f in &journal.files {
        files::remove_temp(&f.full(repo), journal.pid)?;
    }
    let _held = signals::hold();
    apply(repo, &journal, None, &mut false).map_err(|mut e| {
        e.problems.push(
            Problem::new(format!(
                "relman could not complete the interrupted `{}` recorded in `{display}`",
                journal.command
            ))
            .hint("fix the problem above and run relman again, or inspect the repository and delete that file"),
        );
        e
    })?;
    files::remove(&path)?;
    Ok(Some(Recovered {
        command: journal.command,
        commit: journal.commit,
        tags: journal.tags.into_iter().map(|t| t.name).collect(),
    }))
}

/// Removes what the dead run left in git's own places, which would block
/// git itself (and the completion): its `index.lock` and the locks of the
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

/// The files' texts, when this run wrote the journal (a recovery reads
/// them from their blobs).
#[derive(Clone, Copy)]
struct Known<'a> {
    files: &'a [FileWrite],
}

/// Does what the journal records, skipping what is done already, so it is
/// both the last step of `finish()` and the completion of a killed run
/// (`known` is `None` then). `staged` tells the caller whether the index
/// was written, for `undo`.
fn apply(repo: &Repo, j: &Journal, known: Option<Known<'_>>, staged: &mut bool) -> Result<()> {
    let recovering = known.is_none();
    let git = &repo.git;
    let mut synced = std::collections::BTreeSet::new();
    for t in &j.tags {
        let refname = format!("refs/tags/{}", t.name);
        let target = t.at.as_deref().or(j.tag_target.as_deref()).unwrap_or_default();
        match git.ref_target(&refname) {
            Some(id) if Some(&id) == t.object.as_ref() => {}
            Some(_) if t.sign && git.tag_commit(&t.name)?.as_deref() == Some(target) => {}
            Some(_) => {
                return Err(Error::refused(format!("tag `{}` already exists", t.name)));
            }
            None => match &t.object {
                Some(object) => git.swap_ref(&refname, None, object, "relman: tag")?,
                None => {
                    git.create_signed_tag(&t.name, target, &t.message)?;
                }
            },
        }
        failpoint("tag ref")?;
    }
    failpoint("tags made")?;
    if let (Some(branch), Some(commit)) = (&j.branch, &j.commit) {
        if git.ref_target(branch).as_ref() != Some(commit) {
            git.swap_ref(branch, j.before.as_deref(), commit, "relman: release")?;
        }
        failpoint("branch ref")?;
        if j.switch {
            if git.head_ref().as_ref() != Some(branch) {
                // Checked out before HEAD moves: HEAD is the baseline that
                // tells a safe checkout which files it may replace. A killed
                // checkout is finished by force (the tree was clean).
                git.checkout(commit, recovering)?;
                failpoint("checkout")?;
                git.set_head(branch)?;
            }
            failpoint("head")?;
            return Ok(());
        }
    }
    for f in &j.files {
        let full = f.full(repo);
        let text = known.and_then(|k| k.files.iter().find(|w| w.path == f.path));
        let new = match (text, &f.new) {
            (Some(w), _) => w.new.clone().map(String::into_bytes),
            (None, Some(blob)) => Some(git.blob(blob)?),
            (None, None) => None,
        };
        let now = files::read_bytes(&full)?;
        if now == new {
            continue;
        }
        let old = match text {
            Some(w) => w.old.clone().map(String::into_bytes),
            None => f.old.as_ref().map(|o| git.blob(o)).transpose()?,
        };
        if now != old {
            return Err(Error::refused(format!(
                "`{}` changed while relman was writing it",
                f.path
            ))
            .hint("look at the file, put it back as it was, and run the command again"));
        }
        match &new {
            Some(new) => {
                files::atomic_write_in_step(&full, new)?;
                synced.insert(full.parent().map(Path::to_path_buf).unwrap_or_default());
            }
            None => {
                files::remove(&full)?;
                files::remove_empty_parents(&full, repo.root())?;
            }
        }
        failpoint("file")?;
    }
    // Each folder written in made durable once.
    for dir in &synced {
        files::sync_dir(&dir.join("."))?;
    }
    failpoint("files written")?;
    if j.commit.is_some() {
        let blobs: Vec<(String, Option<String>)> =
            j.files.iter().filter(|f| !f.export).map(|f| (f.path.clone(), f.new.clone())).collect();
        git.stage_blobs(&blobs)?;
        *staged = true;
        failpoint("index")?;
    }
    Ok(())
}

/// Puts back what `apply` did: files, index, branch, tags.
fn undo(repo: &Repo, j: &Journal, staged: bool) -> Result<()> {
    let git = &repo.git;
    let mut problems = Vec::new();
    let mut keep = |r: Result<()>| {
        if let Err(e) = r {
            problems.extend(e.problems);
        }
    };
    if j.switch {
        if let Some(head) = &j.head_before {
            if let Some(before) = git.ref_target(head) {
                keep(git.checkout(&before, true));
            }
            keep(git.set_head(head));
        }
        if let (Some(branch), Some(commit)) = (&j.branch, &j.commit) {
            keep(git.delete_ref_if(branch, commit));
        }
    } else {
        for f in &j.files {
            let full = f.full(repo);
            keep(files::remove_temp(&full, std::process::id()));
            let restored = match &f.old {
                Some(old) => git.blob(old).and_then(|bytes| {
                    if files::read_bytes(&full)?.as_deref() == Some(bytes.as_slice()) {
                        Ok(())
                    } else {
                        files::atomic_write(&full, &bytes)
                    }
                }),
                None => files::remove(&full)
                    .and_then(|()| files::remove_empty_parents(&full, repo.root())),
            };
            keep(restored);
        }
        if let (Some(branch), Some(commit)) = (&j.branch, &j.commit)
            && git.ref_target(branch).as_ref() == Some(commit)
        {
            keep(match &j.before {
                Some(before) => git.swap_ref(branch, Some(commit), before, "relman: undo"),
                None => git.delete_ref_if(branch, commit),
            });
        }
        if staged {
            let blobs: Vec<(String, Option<String>)> = j
                .files
                .iter()
                .filter(|f| !f.export)
                .map(|f| (f.path.clone(), f.old.clone()))
                .collect();
            keep(git.stage_blobs(&blobs));
        }
    }
    for t in &j.tags {
        let refname = format!("refs/tags/{}", t.name);
        match &t.object {
            Some(object) => keep(git.delete_ref_if(&refname, object)),
            None => {
                if let (Some(object), Ok(Some(on))) =
                    (git.ref_target(&refname), git.tag_commit(&t.name))
                    && Some(&on) == t.at.as_ref().or(j.tag_target.as_ref())
                {
                    keep(git.delete_ref_if(&refname, &object));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::many(crate::error::ErrorKind::Refused, problems))
    }
}

/// Makes sure git can sign with the user's setup before anything is
/// written: a throwaway commit of the empty tree is signed into a
/// temporary object store outside the repository.
fn check_signing(repo: &Repo) -> Result<()> {
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
fn run_commit_msg_hook(repo: &Repo, message: &str) -> Result<()> {
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

fn short(id: &str) -> &str {
    &id[..7.min(id.len())]
}

/// Returns a unified diff of `old` → `new` for `path`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// A failpoint for the crash tests: in debug builds, `RELMAN_FAILPOINT=N`
/// (or the point's name) stops the process at the Nth point it passes (it
/// prints a line and waits to be killed), and `RELMAN_FAILPOINT=fail:N`
/// makes the Nth point fail as a full disk would. Release builds compile it
/// away.
pub fn failpoint(name: &str) -> Result<()> {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static PASSED: AtomicU64 = AtomicU64::new(0);
        let Ok(spec) = std::env::var("RELMAN_FAILPOINT") else { return Ok(()) };
        let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(at) = spec.strip_prefix("fail:") {
            if at.parse() == Ok(n) {
                return Err(Error::input(format!(
                    "cannot write: failpoint {n} `{name}` (simulated)"
                )));
            }
        } else if spec.parse() == Ok(n) || spec == name {
            signals::pause_at(n, name);
        }
    }
    let _ = name;
    Ok(())
}

/// Holding back termination signals while a step runs.
mod signals {
    /// While alive, SIGINT, SIGTERM and SIGHUP wait; they are delivered
    /// (and end the process as usual) when it is dropped.
    pub(super) struct Held {
        #[cfg(unix)]
        old: libc::sigset_t,
    }

    /// Holds the signals back.
    pub(super) fn hold() -> Held {
        #[cfg(unix)]
        // SAFETY: sigset_t is plain data that sigemptyset initialises; the
        // mask calls only read and write the two sets passed.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, sig);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            Held { old }
        }
        #[cfg(not(unix))]
        Held {}
    }

    impl Drop for Held {
        fn drop(&mut self) {
            #[cfg(unix)]
            // SAFETY: restores the mask saved by `hold`.
            unsafe {
                libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut());
            }
        }
    }

    /// Stops here for a crash test to kill the process.
    #[cfg(debug_assertions)]
    pub(super) fn pause_at(n: u64, name: &str) -> ! {
        use std::io::Write as _;
        let mut err = std::io::stderr();
        let _ = writeln!(err, "relman: failpoint {n} `{name}` reached");
        let _ = err.flush();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
