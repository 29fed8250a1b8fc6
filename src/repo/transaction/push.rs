//! Pushing what a transaction made (SPEC §6.5): the remote is the lock of
//! many machines. `git push --atomic` of the branch and the tags runs
//! after the refs moved and before any file or the index is written, so a
//! refused push is undone by putting the refs back, and the work tree and
//! index are never touched.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::Serialize;

use super::Transaction;
use super::journal::Journal;
use crate::domain::redact::redact;
use crate::error::{Error, Result};
use crate::repo::git::push::Upstream;

/// What a command pushed (or, in a dry run, would push), shared with
/// whoever reports it: a train pushes at each of its steps.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Pushed {
    /// The remote (a name or a URL).
    pub remote: String,
    /// The branch pushed, when a commit was made.
    pub branch: Option<String>,
    /// The tags pushed.
    pub tags: Vec<String>,
    /// How many pushes ran (one per commit step).
    pub pushes: usize,
    /// Nothing was pushed: a dry run says what would be.
    pub dry_run: bool,
}

/// Where the pushes of a command are recorded.
pub type PushLog = Rc<RefCell<Pushed>>;

/// A transaction's push: where to, and where to record it.
pub(super) struct Push {
    remote: String,
    log: PushLog,
    /// The remote's branch was compared with this clone's.
    checked: Cell<bool>,
}

impl Transaction<'_> {
    /// Pushes what this transaction commits and tags to `remote` when it
    /// is applied, recording it in `log`. A transaction that neither
    /// commits nor tags pushes nothing and asks the remote nothing.
    pub fn push_to(&mut self, remote: &str, log: PushLog) {
        {
            let mut pushed = log.borrow_mut();
            pushed.remote = remote.to_owned();
            pushed.dry_run = !self.can_write();
        }
        self.push = Some(Push { remote: remote.to_owned(), log, checked: Cell::new(false) });
    }

    /// Compares the current branch with the remote's before anything is
    /// written (once per transaction): one the remote has moved past is
    /// refused (exit 3).
    pub(super) fn check_upstream(&self) -> Result<()> {
        if self.new_branch.is_some() || (self.commit.is_none() && self.tags.is_empty()) {
            return Ok(());
        }
        self.check_remote()
    }

    /// Compares the current branch with the remote's now, before the
    /// command does anything it cannot undo (a deployment's hooks): a
    /// clone the remote has moved past is refused (exit 3) before that
    /// work rather than at its push. Once per transaction; without
    /// `--push`, or in a dry run, it asks the remote nothing.
    pub fn check_remote(&self) -> Result<()> {
        let Some(push) = &self.push else { return Ok(()) };
        if !self.can_write() || push.checked.replace(true) {
            return Ok(());
        }
        let git = &self.repo.git;
        let (Some(head_ref), Some(head)) = (git.head_ref(), git.head()?) else { return Ok(()) };
        let (remote, branch) = (&push.remote, short_branch(&head_ref));
        let upstream = git.upstream(remote, branch, &head).map_err(|mut e| {
            for p in &mut e.problems {
                p.message = redact(&hide_userinfo(&p.message), &self.env);
            }
            e
        })?;
        if let Upstream::Moved(theirs) = upstream {
            return Err(Error::refused(format!(
                "`{branch}` is behind the remote `{}`: the remote's `{branch}` is at {}, which this clone's `{branch}` ({}) does not contain",
                hide_userinfo(remote),
                short(&theirs),
                short(&head)
            ))
            .hint(format!("fetch and run again: `git pull --ff-only {} {branch}` (or rebase), then the same command; nothing was written", hide_userinfo(remote))));
        }
        Ok(())
    }

    /// In a dry run, records what applying would push so far.
    pub(super) fn note_would_push(&self) {
        let Some(push) = self.push.as_ref().filter(|_| !self.can_write()) else { return };
        let mut pushed = push.log.borrow_mut();
        if self.commit.is_some() {
            pushed.branch = match &self.new_branch {
                Some((name, _)) => Some(name.clone()),
                None => self.repo.git.head_ref().map(|r| short_branch(&r).to_owned()),
            };
        }
        for t in &self.tags {
            if !pushed.tags.contains(&t.name) {
                pushed.tags.push(t.name.clone());
            }
        }
    }

    /// Pushes the refs the journal moved, all or none; a refusal is an
    /// error (exit 3) that the caller undoes.
    pub(super) fn push_now(&self, j: &Journal) -> Result<()> {
        let Some(push) = &self.push else { return Ok(()) };
        let branch = j.branch.as_ref().filter(|_| j.commit.is_some());
        let mut refspecs: Vec<String> = branch.iter().map(|b| format!("{b}:{b}")).collect();
        let tags: Vec<String> = j.tags.iter().map(|t| t.name.clone()).collect();
        refspecs.extend(tags.iter().map(|t| format!("refs/tags/{t}:refs/tags/{t}")));
        if refspecs.is_empty() {
            return Ok(());
        }
        if let Err(why) = self.repo.git.push_atomic(&push.remote, &refspecs)? {
            let remote = hide_userinfo(&push.remote);
            let message = format!(
                "the remote moved: fetch and run again (`git push --atomic {remote} {}` was refused: {why})",
                refspecs.join(" ")
            );
            return Err(Error::refused(redact(&hide_userinfo(&message), &self.env)).hint(format!(
                "another machine released first, or the remote refused: `git pull --ff-only {remote}` and run the same command again"
            )));
        }
        let mut pushed = push.log.borrow_mut();
        if let Some(b) = branch {
            pushed.branch = Some(short_branch(b).to_owned());
        }
        pushed.tags.extend(tags);
        pushed.pushes += 1;
        Ok(())
    }
}

/// `scheme://user:password@host` shown as `scheme://***@host`: a remote
/// given as a URL with credentials never reaches a message.
fn hide_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail.find(|c: char| c == '/' || c.is_whitespace()).unwrap_or(tail.len());
        match tail[..end].rfind('@') {
            Some(sign) => {
                out.push_str("***");
                rest = &tail[sign..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

fn short_branch(refname: &str) -> &str {
    refname.strip_prefix("refs/heads/").unwrap_or(refname)
}

fn short(id: &str) -> &str {
    &id[..7.min(id.len())]
}

#[cfg(test)]
mod tests {
    #[test]
    fn credentials_in_a_remote_url_are_hidden() {
        assert_eq!(
            super::hide_userinfo("push https://bot:s3cret@example.com/r.git and ssh://git@h/x"),
            "push https://***@example.com/r.git and ssh://***@h/x"
        );
        assert_eq!(super::hide_userinfo("file:///tmp/remote.git"), "file:///tmp/remote.git");
    }
}
