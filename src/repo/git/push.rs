//! Pushing to a remote through the user's own `git` (SPEC §6.5): its
//! credentials, its configuration and its hooks. Every value goes as one
//! argument of argv, never through a shell.

use std::process::{Command, Stdio};

use super::Git;
use crate::error::{Error, Result};

/// Where a remote's branch stands against this clone's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// The remote has no such branch yet.
    Missing,
    /// The remote's branch is this clone's commit or one of its ancestors:
    /// a push moves it forward.
    Contained,
    /// The remote's branch is at a commit this clone's branch does not
    /// contain (another machine pushed since this clone fetched).
    Moved(String),
}

impl Git {
    /// Runs `git ARGS` in the work tree with no input; returns whether it
    /// succeeded, its stdout and its stderr.
    fn run_git(&self, args: &[&str]) -> Result<(bool, String, String)> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::refused(format!("cannot run `git {}`: {e}", args.join(" "))))?;
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ))
    }

    /// Compares the remote's `branch` (a short name) with `local`, the
    /// commit this clone's branch is at, by asking the remote
    /// (`git ls-remote`), which writes nothing in this repository.
    pub fn upstream(&self, remote: &str, branch: &str, local: &str) -> Result<Upstream> {
        check_remote(remote)?;
        let refname = format!("refs/heads/{branch}");
        let (ok, out, err) = self.run_git(&["ls-remote", remote, &refname])?;
        if !ok {
            return Err(Error::refused(format!("cannot reach the remote: {err}")).hint(
                "check the remote's name and access (`git remote -v`, `git ls-remote REMOTE`)",
            ));
        }
        let theirs = out
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .find(|(_, name)| *name == refname)
            .map(|(id, _)| id.to_owned());
        let Some(theirs) = theirs else { return Ok(Upstream::Missing) };
        if theirs == local {
            return Ok(Upstream::Contained);
        }
        // Their commit is in this clone's history: pushing moves it forward.
        let (contained, _, _) = self.run_git(&["merge-base", "--is-ancestor", &theirs, local])?;
        Ok(if contained { Upstream::Contained } else { Upstream::Moved(theirs) })
    }

    /// Runs `git push --atomic --porcelain REMOTE REFSPECS...`: all the refs
    /// move on the remote or none does. Returns the remote's refusal as
    /// git prints it, when it refuses.
    pub fn push_atomic(
        &self,
        remote: &str,
        refspecs: &[String],
    ) -> Result<std::result::Result<(), String>> {
        check_remote(remote)?;
        let mut args = vec!["push", "--atomic", "--porcelain", remote];
        args.extend(refspecs.iter().map(String::as_str));
        let (ok, out, err) = self.run_git(&args)?;
        if ok {
            return Ok(Ok(()));
        }
        // The porcelain lines of the refs refused (`!`), then git's own words.
        let mut why: Vec<String> = out
            .lines()
            .filter(|l| l.starts_with('!'))
            .map(|l| l.trim_start_matches('!').trim().replace('\t', " "))
            .collect();
        if !err.is_empty() {
            why.push(err);
        }
        Ok(Err(why.join("; ")))
    }
}

/// A remote is a name or a URL, never an option of git's.
fn check_remote(remote: &str) -> Result<()> {
    if remote.is_empty() || remote.starts_with('-') || remote.contains('\0') {
        return Err(Error::input("`--push=` names no remote (or one starting with `-`)")
            .hint("name a remote (`origin`) or a URL after `--push=`"));
    }
    Ok(())
}
