//! Pushing to a remote through the user's own `git` (SPEC §6.5): its
//! credentials, its configuration and its hooks. Every value goes as one
//! argument of argv, never through a shell.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    /// move on the remote or none does. git is polled every 20 ms: when
    /// `stop()` says so (a signal came) or after `timeout`, it is killed
    /// (with its process group: its transport, a local remote's hooks,
    /// when it has its own) and the push is `Stopped`.
    pub fn push_atomic(
        &self,
        remote: &str,
        refspecs: &[String],
        timeout: Duration,
        stop: &dyn Fn() -> bool,
    ) -> Result<PushOutcome> {
        check_remote(remote)?;
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.root)
            .args(["push", "--atomic", "--porcelain", remote])
            .args(refspecs)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Without a terminal, git runs in its own process group, killed
        // whole when stopped; at a terminal it stays in relman's, the
        // foreground group, where it may ask for credentials (a Ctrl-C
        // reaches it there as it reaches relman).
        let own_group = !std::io::IsTerminal::is_terminal(&std::io::stdin());
        #[cfg(unix)]
        if own_group {
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
        }
        let mut child =
            command.spawn().map_err(|e| Error::refused(format!("cannot run `git push`: {e}")))?;
        let read = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut text = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut text);
                }
                String::from_utf8_lossy(&text).into_owned()
            })
        };
        let out = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let err = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if stop() || started.elapsed() >= timeout => {
                    kill(&mut child, own_group);
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => {
                    kill(&mut child, own_group);
                    return Err(Error::refused(format!("cannot wait for `git push`: {e}")));
                }
            }
        };
        // A stopped push's output is not waited for: something it started
        // outside its group may hold the pipes open.
        let Some(status) = status else {
            return Ok(PushOutcome::Stopped);
        };
        let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
        if status.success() {
            return Ok(PushOutcome::Pushed);
        }
        // The porcelain lines of the refs refused (`!`), then git's own words.
        let mut why: Vec<String> = out
            .lines()
            .filter(|l| l.starts_with('!'))
            .map(|l| l.trim_start_matches('!').trim().replace('\t', " "))
            .collect();
        let err = err.trim();
        if !err.is_empty() {
            why.push(err.to_owned());
        }
        Ok(PushOutcome::Refused(why.join("; ")))
    }

    /// The values of `refs` on `remote` (`git ls-remote`), by full name; a
    /// ref the remote does not have is absent.
    pub fn remote_refs(&self, remote: &str, refs: &[String]) -> Result<BTreeMap<String, String>> {
        check_remote(remote)?;
        let mut args = vec!["ls-remote", remote];
        args.extend(refs.iter().map(String::as_str));
        let (ok, out, err) = self.run_git(&args)?;
        if !ok {
            return Err(Error::refused(format!("cannot reach the remote: {err}")).hint(
                "check the remote's name and access (`git remote -v`, `git ls-remote REMOTE`)",
            ));
        }
        Ok(out
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, name)| refs.iter().any(|r| r == name))
            .map(|(id, name)| (name.to_owned(), id.to_owned()))
            .collect())
    }

    /// Tells whether `descendant` contains `ancestor` (both known here).
    pub fn contains(&self, descendant: &str, ancestor: &str) -> bool {
        self.run_git(&["merge-base", "--is-ancestor", ancestor, descendant])
            .is_ok_and(|(ok, _, _)| ok)
    }
}

/// How a push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// The remote took every ref.
    Pushed,
    /// git failed: the remote's refusal (or git's error) as git prints it.
    Refused(String),
    /// Killed before it ended (a signal came, or it ran out of time).
    Stopped,
}

/// Kills a child, and with `group` its process group (all it started).
fn kill(child: &mut std::process::Child, group: bool) {
    #[cfg(unix)]
    if let (true, Ok(pid)) = (group, i32::try_from(child.id())) {
        use nix::sys::signal::{Signal, killpg};
        let _ = killpg(nix::unistd::Pid::from_raw(pid), Signal::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A remote is a name or a URL, never an option of git's.
fn check_remote(remote: &str) -> Result<()> {
    if remote.is_empty() || remote.starts_with('-') || remote.contains('\0') {
        return Err(Error::input("`--push=` names no remote (or one starting with `-`)")
            .hint("name a remote (`origin`) or a URL after `--push=`"));
    }
    Ok(())
}
