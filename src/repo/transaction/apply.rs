//! Applying a transaction's changes, and undoing them on failure.

use std::path::Path;

use super::checks::{check_signing, run_commit_msg_hook};
use super::journal::{Journal, JournalFile, JournalTag, journal_path, this_worktree};
use super::signals;
use super::{FileWrite, Finished, Transaction};
use crate::error::{Error, Problem, Result};
use crate::failpoint::failpoint;
use crate::files;
use crate::repo::Repo;

impl Transaction<'_> {
    /// Applies the transaction; returns what it made.
    pub(super) fn write_all(&self) -> Result<Finished> {
        if self.lock.is_none() {
            return Err(Error::refused("internal: a transaction without the lock cannot write"));
        }
        self.check_upstream()?;
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
            push: self
                .push_remote()
                .map(str::to_owned)
                .filter(|_| commit.is_some() || !self.tags.is_empty()),
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
        // The index as it was, put back byte for byte by an undo.
        let index_path = git.git_dir().join("index");
        let index_before = match &journal.commit {
            Some(_) => files::read_bytes(&index_path)?,
            None => None,
        };
        let mut staged = false;
        let known = Known { files: &self.files };
        let mut push = || self.push_now(&journal);
        if let Err(mut e) = apply(self.repo, &journal, Some(known), &mut staged, &mut push) {
            if self.push.as_ref().is_some_and(|p| p.unknown.get()) {
                // The remote may hold the release: the next run asks it.
                e.problems.push(Problem::new(format!(
                    "the journal `{}` records the release; nothing was undone",
                    journal_path.display()
                )));
                return Err(e);
            }
            let restored = undo(self.repo, &journal, staged).and_then(|()| match &index_before {
                Some(bytes) if staged => files::atomic_write(&index_path, bytes),
                _ => Ok(()),
            });
            if let Err(undo_error) = restored {
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
        if let Some(sig) = self.push.as_ref().and_then(|p| p.interrupted.get()) {
            let remote = self.push_remote().map(super::push::hide_userinfo).unwrap_or_default();
            return Err(Error::interrupted(
                sig,
                format!(
                    "interrupted during the push, which `{remote}` had already taken: the release is complete, here and on the remote"
                ),
            ));
        }
        Ok(Finished { commit })
    }
}

/// The files' texts, when this run wrote the journal (a recovery reads
/// them from their blobs).
#[derive(Clone, Copy)]
pub(super) struct Known<'a> {
    pub(super) files: &'a [FileWrite],
}

/// Does what the journal records, skipping what is done already, so it is
/// both the last step of `finish()` and the completion of a killed run
/// (`known` is `None` then). `staged` tells the caller whether the index
/// (or, on a new branch, the checkout)
/// was written, for `undo`.
pub(super) fn apply(
    repo: &Repo,
    j: &Journal,
    known: Option<Known<'_>>,
    staged: &mut bool,
    last_step: &mut dyn FnMut() -> Result<()>,
) -> Result<()> {
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
    }
    if let (true, Some(branch), Some(commit)) = (j.switch, &j.branch, &j.commit) {
        if git.head_ref().as_ref() != Some(branch) {
            // Checked out before HEAD moves: HEAD is the baseline that
            // tells a safe checkout which files it may replace. A killed
            // checkout is finished by force (the tree was clean).
            *staged = true;
            git.checkout(commit, recovering)?;
            failpoint("checkout")?;
            git.set_head(branch)?;
        }
        failpoint("head")?;
        // Everything is written here: the push is the last step (`--push`).
        return last_step();
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
    // Everything is written here: the push is the last step (`--push`).
    last_step()
}

/// Puts back what `apply` did: files, index, branch, tags.
pub(super) fn undo(repo: &Repo, j: &Journal, staged: bool) -> Result<()> {
    let git = &repo.git;
    let mut problems = Vec::new();
    let mut keep = |r: Result<()>| {
        if let Err(e) = r {
            problems.extend(e.problems);
        }
    };
    if j.switch {
        if let (true, Some(head)) = (staged, &j.head_before) {
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
