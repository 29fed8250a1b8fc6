//! Pushing what a transaction made (SPEC §6.5): the remote is the lock of
//! many machines. `git push --atomic` of the branch and the tags is the
//! last step of a transaction: files, index and refs are written here
//! first, and nothing that can fail comes after a push that succeeded. A
//! push that failed, was interrupted (SIGINT, SIGTERM, SIGHUP kill git at
//! once) or ran out of time is decided by asking the remote
//! (`git ls-remote`) whether it holds exactly what this transaction
//! pushed: if it does, the transaction is complete; if not, it is undone,
//! files included. The journal records that a push was pending and to
//! which remote, so the recovery of a killed run decides the same way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use serde::Serialize;

use super::Transaction;
use super::journal::Journal;
use super::signals;
use crate::domain::redact::redact;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::repo::git::push::{PushOutcome, Refusal, RefusalKind, Upstream};

/// How long a push may take before it is stopped, unless
/// `RELMAN_PUSH_TIMEOUT` (seconds) says otherwise.
const PUSH_TIMEOUT: Duration = Duration::from_secs(600);

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
    /// The signal that stopped the push, answered (exit 130, 143, 129)
    /// once the transaction is complete or undone.
    pub(super) interrupted: Cell<Option<i32>>,
    /// The remote could not be asked whether a failed push reached it:
    /// the journal stays, for the next run to ask again.
    pub(super) unknown: Cell<bool>,
}

impl Transaction<'_> {
    /// Pushes what this transaction commits and tags to `remote` when it
    /// is applied, recording it in `log`. A transaction that neither
    /// commits nor tags pushes nothing and asks the remote nothing.
    pub fn push_to(&mut self, remote: &str, log: PushLog) {
        {
            let mut pushed = log.borrow_mut();
            pushed.remote = hide_userinfo(remote);
            pushed.dry_run = !self.can_write();
        }
        self.push = Some(Push {
            remote: remote.to_owned(),
            log,
            checked: Cell::new(false),
            interrupted: Cell::new(None),
            unknown: Cell::new(false),
        });
    }

    /// The remote this transaction pushes to, if any (`--push`).
    pub(super) fn push_remote(&self) -> Option<&str> {
        self.push.as_ref().map(|p| p.remote.as_str())
    }

    /// Records in the push log what a recovered run had pushed.
    pub fn note_pushed(&self, branch: Option<&str>, tags: &[String]) {
        let Some(push) = &self.push else { return };
        let mut pushed = push.log.borrow_mut();
        if let Some(b) = branch {
            pushed.branch = Some(short_branch(b).to_owned());
        }
        pushed.tags.extend(tags.iter().cloned());
        pushed.pushes += 1;
    }

    /// Compares the current branch with the remote's at the start of a
    /// command that may commit, before any hook runs (SPEC §6.5): a
    /// clone behind its remote is refused (exit 3) with nothing done.
    pub fn check_upstream_now(&self) -> Result<()> {
        if !self.can_write() || self.push.is_none() {
            return Ok(());
        }
        push_timeout(&self.env)?;
        self.compare_upstream(true)
    }

    /// Compares the current branch with the remote's before anything is
    /// written (once per transaction): one the remote has moved past is
    /// refused (exit 3).
    pub(super) fn check_upstream(&self) -> Result<()> {
        self.compare_upstream(false)
    }

    fn compare_upstream(&self, early: bool) -> Result<()> {
        let Some(push) = &self.push else { return Ok(()) };
        if push.checked.replace(true)
            || self.new_branch.is_some()
            || (!early && self.commit.is_none() && self.tags.is_empty())
        {
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

    /// Pushes the refs the journal moved, all or none, as the last step. A
    /// push that failed, was interrupted or ran out of time asks the
    /// remote whether it holds what was pushed: `Ok` when it does (the
    /// transaction is complete), an error the caller undoes when it does
    /// not, and an error with `unknown` set when the remote cannot say.
    pub(super) fn push_now(&self, j: &Journal) -> Result<()> {
        let Some(push) = &self.push else { return Ok(()) };
        let refspecs = refspecs(j);
        if refspecs.is_empty() {
            return Ok(());
        }
        let timeout = push_timeout(&self.env).unwrap_or(PUSH_TIMEOUT);
        let stop = || {
            if push.interrupted.get().is_none() {
                push.interrupted.set(signals::take_pending());
            }
            push.interrupted.get().is_some()
        };
        let outcome = self.repo.git.push_atomic(&push.remote, &refspecs, timeout, &stop);
        // A Ctrl-C at a terminal ends git too: the signal is answered here.
        stop();
        if matches!(outcome, Ok(PushOutcome::Pushed)) {
            self.note_pushed(j.branch.as_deref().filter(|_| j.commit.is_some()), &tag_names(j));
            return Ok(());
        }
        let remote = hide_userinfo(&push.remote);
        let hide = |text: &str| redact(&hide_userinfo(text), &self.env);
        let line = format!("git push --atomic {remote} {}", refspecs.join(" "));
        match landed(self.repo, &push.remote, j) {
            Ok(true) => {
                self.note_pushed(j.branch.as_deref().filter(|_| j.commit.is_some()), &tag_names(j));
                Ok(())
            }
            Ok(false) => Err(match (outcome, push.interrupted.get()) {
                (_, Some(sig)) => Error::interrupted(
                    sig,
                    format!("interrupted during `{line}`; `{remote}` does not have the release"),
                ),
                (Ok(PushOutcome::Stopped), None) => Error::refused(format!(
                    "`{line}` took longer than {} s and was stopped; `{remote}` does not have the release",
                    timeout.as_secs()
                ))
                .hint("check the remote, or allow more time with `RELMAN_PUSH_TIMEOUT=SECONDS`, and run the same command again"),
                (Ok(PushOutcome::Refused(refusal)), None) => refused(&refusal, &line, &remote, &hide),
                (Ok(PushOutcome::Pushed), None) => Error::refused("internal: a push both made and not made"),
                (Err(mut e), None) => {
                    for p in &mut e.problems {
                        p.message = hide(&p.message);
                    }
                    e
                }
            }),
            Err(e) => {
                push.unknown.set(true);
                let why: Vec<String> = e.problems.iter().map(|p| hide(&p.message)).collect();
                let message = format!(
                    "`{line}` did not finish, and relman cannot ask `{remote}` whether it took the release: {}",
                    why.join("; ")
                );
                let error = match push.interrupted.get() {
                    Some(sig) => Error::interrupted(sig, message),
                    None => Error::refused(message),
                };
                Err(error.hint("the next relman command that writes asks the remote again: it completes the release if the remote has it, and undoes it if not"))
            }
        }
    }
}

/// The error of a push git refused: the remote moved (fetch and run
/// again), a hook said no (this clone's `pre-push`, or the remote's), or
/// git failed otherwise; git's words quoted after it, one line each.
fn refused(r: &Refusal, line: &str, remote: &str, hide: &dyn Fn(&str) -> String) -> Error {
    let mut quoted: Vec<&str> = r.refs.iter().map(String::as_str).collect();
    quoted.extend(r.said.lines());
    let git_said = if quoted.is_empty() {
        String::new()
    } else {
        format!("; git said:\n    {}", quoted.join("\n    "))
    };
    let (message, hint) = match &r.kind {
        RefusalKind::Moved => (
            format!("the remote moved: fetch and run again (`{line}` was refused){git_said}"),
            format!("another machine pushed first: `git pull --ff-only {remote}` and run the same command again"),
        ),
        RefusalKind::LocalHook(path) => (
            format!("this clone's `pre-push` hook (`{path}`) refused `{line}`{git_said}"),
            "the remote was not asked to take anything: do what the hook asks (its words are above), then run the same command again".to_owned(),
        ),
        RefusalKind::RemoteHook(hook) => (
            format!("`{remote}` refused the push: its `{hook}` hook declined `{line}`{git_said}"),
            format!("the remote's own rule said no (its words are above, after `remote:`); this is not a race with another machine: ask whoever runs `{remote}`, then run the same command again"),
        ),
        RefusalKind::Other => (
            format!("`{line}` failed{git_said}"),
            format!("check the remote and your access to it (`git push {remote}` by hand says the same), then run the same command again"),
        ),
    };
    Error::refused(hide(&message)).hint(hide(&hint))
}

/// The refspecs of what a journal's transaction pushes.
fn refspecs(j: &Journal) -> Vec<String> {
    let branch = j.branch.as_ref().filter(|_| j.commit.is_some());
    let mut refspecs: Vec<String> = branch.iter().map(|b| format!("{b}:{b}")).collect();
    refspecs.extend(tag_names(j).iter().map(|t| format!("refs/tags/{t}:refs/tags/{t}")));
    refspecs
}

fn tag_names(j: &Journal) -> Vec<String> {
    j.tags.iter().map(|t| t.name.clone()).collect()
}

/// Whether `remote` holds what the journal's transaction pushed: each tag
/// at the tag object made here (a push is atomic, so its tags decide);
/// without tags, the branch at the commit made here (or past it).
pub(super) fn landed(repo: &Repo, remote: &str, j: &Journal) -> Result<bool> {
    let git = &repo.git;
    let branch = j.branch.as_ref().zip(j.commit.as_ref());
    let mut wanted: Vec<(String, Option<String>)> = j
        .tags
        .iter()
        .map(|t| {
            let name = format!("refs/tags/{}", t.name);
            let object = t.object.clone().or_else(|| git.ref_target(&name));
            (name, object)
        })
        .collect();
    if wanted.is_empty() {
        let Some((branch, commit)) = branch else { return Ok(true) };
        wanted.push((branch.clone(), Some(commit.clone())));
    }
    let names: Vec<String> = wanted.iter().map(|(n, _)| n.clone()).collect();
    let theirs = git.remote_refs(remote, &names)?;
    Ok(wanted.iter().all(|(name, ours)| match (theirs.get(name), ours) {
        (Some(theirs), Some(ours)) => {
            theirs == ours || (name.starts_with("refs/heads/") && git.contains(theirs, ours))
        }
        _ => false,
    }))
}

/// `RELMAN_PUSH_TIMEOUT`: how many seconds a push may take.
fn push_timeout(env: &[(String, String)]) -> Result<Duration> {
    let Some((_, value)) = env.iter().find(|(k, _)| k == "RELMAN_PUSH_TIMEOUT") else {
        return Ok(PUSH_TIMEOUT);
    };
    match value.trim().parse::<u32>() {
        Ok(secs) if secs > 0 => Ok(Duration::from_secs(u64::from(secs))),
        _ => Err(Error::input(format!(
            "`RELMAN_PUSH_TIMEOUT={value}`: expected a whole number of seconds, at least 1"
        ))
        .hint("such as `RELMAN_PUSH_TIMEOUT=600` (ten minutes, the default)")),
    }
}

/// `scheme://user:password@host` shown as `scheme://***@host`: a remote
/// given as a URL with credentials never reaches a message.
pub(crate) fn hide_userinfo(text: &str) -> String {
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
