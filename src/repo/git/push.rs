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
            shown(String::from_utf8_lossy(&out.stderr).trim()),
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
            std::thread::spawn(move || pipe.map(read_bounded).unwrap_or_default())
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
        Ok(PushOutcome::Refused(self.refusal(&out, &err)))
    }

    /// Reads why git refused a push from its porcelain output and its
    /// stderr: the remote moved, a hook declined, or something else.
    fn refusal(&self, out: &str, err: &str) -> Refusal {
        // The porcelain lines of the refs refused: `!`, ref, `[kind] (reason)`.
        let refs: Vec<String> = out
            .lines()
            .filter(|l| l.starts_with('!'))
            .map(|l| shown(l.trim_start_matches('!').trim()).replace('\t', " "))
            .collect();
        // What is not porcelain on stdout is a `pre-push` hook's own
        // output (git gives a hook its stdout); it comes first.
        let hook_out: Vec<&str> = out.lines().filter(|l| !is_porcelain(l)).collect();
        let said = said(&format!("{}\n{err}", hook_out.join("\n")));
        // Refs git refused here only because another ref of the atomic
        // push was say nothing of why.
        let reasons: Vec<&String> =
            refs.iter().filter(|r| !r.contains("(atomic push failed)")).collect();
        // The remote's compare-and-swap lost: its ref was not where the
        // push expected any more (another push landed in between).
        let lost = err.contains("cannot lock ref") && err.contains("but expected");
        let kind = if lost || reasons.iter().any(|r| MOVED.iter().any(|m| r.contains(m))) {
            RefusalKind::Moved
        } else if let Some(hook) = reasons.iter().find_map(|r| declined_by(r)) {
            RefusalKind::RemoteHook(hook)
        } else if refs.is_empty()
            && !err.lines().any(|l| l.starts_with("fatal: "))
            && let Some(hook) = self.pre_push_hook()
        {
            RefusalKind::LocalHook(hook)
        } else {
            RefusalKind::Other
        };
        Refusal { kind, refs, said }
    }

    /// This clone's `pre-push` hook (in `core.hooksPath` or `.git/hooks`),
    /// when there is one git runs.
    fn pre_push_hook(&self) -> Option<String> {
        let (ok, out, _) = self.run_git(&["rev-parse", "--git-path", "hooks/pre-push"]).ok()?;
        let path = out.trim();
        if !ok || path.is_empty() {
            return None;
        }
        let meta = std::fs::metadata(self.root.join(path)).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            if meta.permissions().mode() & 0o111 == 0 {
                return None;
            }
        }
        meta.is_file().then(|| path.to_owned())
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
    /// git failed: why, as git said it.
    Refused(Refusal),
    /// Killed before it ended (a signal came, or it ran out of time).
    Stopped,
}

/// A push git refused, and what it said (control characters escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Why.
    pub kind: RefusalKind,
    /// The refs refused, one porcelain line each (`REF:REF [rejected] (fetch first)`).
    pub refs: Vec<String>,
    /// git's stderr (the remote's and the hooks' words included), without
    /// git's own advice about pulling.
    pub said: String,
}

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalKind {
    /// The remote's branch moved (not a fast-forward, stale) or holds the
    /// tag already: another machine pushed first.
    Moved,
    /// This clone's `pre-push` hook (its path) said no.
    LocalHook(String),
    /// A hook of the remote (`pre-receive`, `update`, ...) declined.
    RemoteHook(String),
    /// Anything else (the remote refused for another reason, git failed).
    Other,
}

/// The reasons git gives a ref it refuses because the remote has moved.
const MOVED: [&str; 4] =
    ["(fetch first)", "(non-fast-forward)", "(stale info)", "(already exists)"];

/// A line of `git push --porcelain`'s own: `To URL`, a ref's line (its
/// flag, a tab), `Done`.
fn is_porcelain(line: &str) -> bool {
    let mut chars = line.chars();
    line.starts_with("To ")
        || line == "Done"
        || (chars.next().is_some_and(|c| " +-*!=".contains(c)) && chars.next() == Some('\t'))
}

/// The remote hook that declined a ref (`[remote rejected] (pre-receive
/// hook declined)`), if one did.
fn declined_by(line: &str) -> Option<String> {
    let (_, reason) = line.split_once("[remote rejected] (")?;
    let reason = reason.strip_suffix(')').unwrap_or(reason);
    let hook = reason.strip_suffix("hook declined")?.trim();
    Some(if hook.is_empty() { "update".to_owned() } else { hook.to_owned() })
}

/// What git printed on stderr, for a message: control characters (a
/// remote's or a hook's ANSI escapes) shown escaped, a carriage return
/// read as a line break (it cannot hide what came before it), trailing
/// blanks (the remote's line padding) dropped, and git's own advice
/// (`hint:` lines, `failed to push some refs`) left out.
fn said(err: &str) -> String {
    let lines: Vec<&str> = err
        .split(['\n', '\r'])
        .map(str::trim_end)
        .filter(|l| !l.starts_with("hint:") && !l.starts_with("error: failed to push some refs"))
        .filter(|l| !l.is_empty() && *l != "remote:")
        .collect();
    // A hook that printed pages: its first lines and git's last ones.
    let (first, last) = (10, 20);
    let mut quoted: Vec<String> = Vec::new();
    if lines.len() > first + last + 1 {
        quoted.extend(lines[..first].iter().map(|l| clipped(l)));
        quoted.push(format!("[... {} lines left out ...]", lines.len() - first - last));
        quoted.extend(lines[lines.len() - last..].iter().map(|l| clipped(l)));
    } else {
        quoted.extend(lines.iter().map(|l| clipped(l)));
    }
    quoted.join("\n")
}

/// One line of git's output as quoted: escaped, at most 400 characters.
fn clipped(line: &str) -> String {
    const MAX: usize = 400;
    match line.char_indices().nth(MAX) {
        Some((end, _)) => format!("{} [... {} more bytes]", shown(&line[..end]), line.len() - end),
        None => shown(line),
    }
}

/// `text` with its control characters shown escaped (`\x1b`).
pub(crate) fn shown(text: &str) -> String {
    crate::domain::text::escape_controls(text, false)
}

/// How much of the start and of the end of git's output is kept: a
/// `pre-push` hook (git passes its output on) may print without end.
const KEPT_BYTES: usize = 16 * 1024;

/// Reads `pipe` to its end, keeping its first and last [`KEPT_BYTES`]
/// bytes and saying how many between them were left out: memory stays
/// bounded whatever a hook prints, until the push ends or is stopped.
fn read_bounded(mut pipe: Box<dyn Read + Send>) -> String {
    let (mut head, mut tail, mut left_out) = (Vec::new(), Vec::new(), 0usize);
    let mut buf = [0u8; 8192];
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let mut chunk = &buf[..n];
        if head.len() < KEPT_BYTES {
            let take = (KEPT_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
        }
        tail.extend_from_slice(chunk);
        if tail.len() > 2 * KEPT_BYTES {
            let cut = tail.len() - KEPT_BYTES;
            left_out += cut;
            tail.drain(..cut);
        }
    }
    if tail.len() > KEPT_BYTES {
        let cut = tail.len() - KEPT_BYTES;
        left_out += cut;
        tail.drain(..cut);
    }
    let mut text = String::from_utf8_lossy(&head).into_owned();
    if left_out > 0 {
        text.push_str(&format!("\n[... {left_out} bytes left out ...]\n"));
    }
    text.push_str(&String::from_utf8_lossy(&tail));
    text
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
