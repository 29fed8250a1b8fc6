//! The repository lock: one writer at a time (SPEC §6.4).
//!
//! The lock is an OS lock (`flock`) on `.git/relman.lock`, kept apart from the
//! data so data files can still be replaced atomically. The kernel releases
//! it when the holder dies, so a killed run never wedges the repository; the
//! file records who holds it, so a refused writer can name the holder, and a
//! record left by a dead holder is reported when it is taken over.

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
    /// Takes the lock in `git_dir`, or fails with exit 3 naming the holder.
    pub fn acquire(git_dir: &Path, me: Holder) -> Result<(Self, TakenOver)> {
        let path = git_dir.join("relman.lock");
        let fail = |e: std::io::Error| Error::io("open the lock", &path, &e);
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
                let holder = read_holder(&mut file);
                let who =
                    holder.map_or_else(|| "another relman process".to_owned(), |h| h.to_string());
                return Err(Error::refused(format!(
                    "the repository is locked by {who} (lock `{}`)",
                    path.display()
                ))
                .hint("wait for that command to finish, then run this one again"));
            }
            Err(TryLockError::Error(e)) => return Err(fail(e)),
        }
        let previous = read_holder(&mut file);
        if let Some(prev) = &previous
            && prev.host != me.host
        {
            return Err(Error::refused(format!(
                    "the lock `{}` records {prev}, on another host; relman cannot tell whether it is still running",
                    path.display()
                ))
                .hint("if that run is over, empty the lock file and try again"));
        }
        let body = serde_json::to_string(&me).unwrap_or_default();
        (|| {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(body.as_bytes())?;
            file.sync_all()
        })()
        .map_err(fail)?;
        Ok((Self { file, path }, previous))
    }

    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Clear the record first: an empty file means "nobody", and the OS
        // lock goes when the descriptor closes. The file itself stays, so it
        // is never deleted while someone else holds it open.
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
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
