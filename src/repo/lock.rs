//! The repository lock: one writer at a time (SPEC §6.4).
//!
//! The lock is an OS lock (`flock`) on `relman.lock` in the common git
//! directory, so every worktree of a repository shares it, kept apart from
//! the data so data files can still be replaced atomically. The kernel
//! releases it when the holder dies, so a killed run never wedges the
//! repository; the file records who holds it, so a refused writer can name
//! the holder, and a record left by a dead holder (on this host or another:
//! CI containers get a new host name each job) is reported when it is taken
//! over. The lock is meant for a local file system, where `flock` holds.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Who holds the lock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// The command line, as relman was invoked.
    pub command: String,
    /// When it took the lock (RFC 3339).
    pub since: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on {} running `{}` since {}",
            self.pid, self.host, self.command, self.since
        )
    }
}

/// A held lock; dropping it releases the lock and clears the record.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// What taking the lock found: a record left by a holder that is gone.
pub type TakenOver = Option<Holder>;

impl Lock {
    /// Takes the lock in `git_dir` (the common one), or fails with exit 3
    /// naming the holder.
    pub fn acquire(git_dir: &Path, me: Holder) -> Result<(Self, TakenOver)> {
        let path = git_dir.join("relman.lock");
        let fail = |e: std::io::Error| Error::io("open the lock", &path, &e);
        // The file is removed on release, so between our open and our lock a
        // releasing holder may unlink it; a lock on an unlinked file guards
        // nothing. Retry until the locked file is the one at `path`.
        const ATTEMPTS: usize = 16;
        for attempt in 0..ATTEMPTS {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(fail)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    // The holder writes its record right after locking; give
                    // it a moment so the refusal can name it.
                    let mut holder = read_holder(&mut file);
                    for _ in 0..50 {
                        if holder.is_some() {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        holder = read_holder(&mut file);
                    }
                    // No record: the holder may be finishing (it empties the
                    // record before it unlocks); try again from the start.
                    if holder.is_none() && attempt + 1 < ATTEMPTS {
                        continue;
                    }
                    let who = holder
                        .map_or_else(|| "another relman process".to_owned(), |h| h.to_string());
                    return Err(Error::refused(format!(
                        "the repository is locked by {who} (lock `{}`)",
                        path.display()
                    ))
                    .hint("wait for that command to finish, then run this one again"));
                }
                Err(TryLockError::Error(e)) => return Err(fail(e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            // The OS lock is free, so whoever the record names is gone, on
            // this host or another (CI gives each job a new host name): the
            // record is reported, never obeyed.
            let previous = read_holder(&mut file);
            let body = serde_json::to_string(&me).unwrap_or_default();
            (|| {
                file.set_len(0)?;
                file.seek(SeekFrom::Start(0))?;
                file.write_all(body.as_bytes())?;
                file.sync_all()
            })()
            .map_err(fail)?;
            return Ok((Self { file, path }, previous));
        }
        Err(Error::refused(format!(
            "could not take the lock `{}`: it keeps changing",
            path.display()
        )))
    }

    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The holder named in the lock's record in `git_dir`, if any (read
/// without taking the lock: it may be gone).
pub fn holder(git_dir: &Path) -> Option<Holder> {
    let mut file = File::open(git_dir.join("relman.lock")).ok()?;
    read_holder(&mut file)
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock, then release it: a
        // finished run leaves nothing behind. A killed run leaves its record,
        // which the next run reports when it takes over (the OS lock itself
        // died with the process).
        let _ = self.file.set_len(0);
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(pid: u32) -> Holder {
        Holder { pid, host: "h".into(), command: "relman create".into(), since: "now".into() }
    }

    #[test]
    fn second_writer_is_refused_naming_holder() {
        let dir = tempfile::tempdir().unwrap();
        let (held, _) = Lock::acquire(dir.path(), me(1)).unwrap();
        let err = Lock::acquire(dir.path(), me(2)).unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("pid 1 on h running `relman create`"), "{err}");
        drop(held);
        let (_again, previous) = Lock::acquire(dir.path(), me(3)).unwrap();
        assert_eq!(previous, None);
    }
}
