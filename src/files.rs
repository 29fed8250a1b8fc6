//! Reading and writing files in the user's repository.
//!
//! Reads name the file in every error. Writes are atomic (SPEC §6.4): a
//! temporary file in the same folder is written, flushed to disk, and renamed
//! over the target, then the folder itself is flushed, so a crash leaves the
//! old file or the new one and never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::domain::repo_path;
use crate::error::{Error, Result};
use crate::failpoint::failpoint;

/// The largest input file relman parses (SPEC §6.2: hostile input is
/// refused before it is parsed, since YAML budgets do not apply to
/// in-memory text). Files relman only edits (changelogs, version files, the
/// audit log) have no such limit: `read_text` reads them whole.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a text file relman only edits, whatever its size; `None` when absent.
pub fn read_text(path: &Path, display: &str) -> Result<Option<String>> {
    read(path, display, u64::MAX)
}

/// Reads an input file relman parses, `None` when it does not exist.
pub fn read_optional(path: &Path, display: &str) -> Result<Option<String>> {
    read(path, display, MAX_INPUT_BYTES)
}

fn read(path: &Path, display: &str, limit: u64) -> Result<Option<String>> {
    match fs::metadata(path) {
        Ok(meta) if meta.len() > limit => {
            return Err(Error::input(format!(
                "file is {} bytes, more than relman's limit of {MAX_INPUT_BYTES} bytes for an input file",
                meta.len()
            ))
            .at(crate::error::Location::new(display, 1, 1)));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", Path::new(display), &e)),
    }
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let at = crate::error::Location::at_byte(display, e.as_bytes(), valid);
            Error::input(format!("file is not UTF-8 (byte {valid})")).at(at)
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", Path::new(display), &e)),
    }
}

/// Writes `contents` to `path` atomically, keeping the old file's permissions.
pub fn atomic_write(path: &Path, contents: &[u8]) -> Result<()> {
    write_renamed(path, contents, true)?;
    sync_dir(path)
}

/// Writes `contents` to `path` atomically, its content flushed, leaving the
/// folder's entry to `sync_dir` (one sync per folder for a step writing
/// several files there).
pub fn atomic_write_in_step(path: &Path, contents: &[u8]) -> Result<()> {
    write_renamed(path, contents, true)
}

/// Makes the entries of `path`'s folder durable (a rename is durable only
/// once the folder is on disk).
pub fn sync_dir(path: &Path) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io("write", path, &e))
}

/// Writes `contents` to `path` whole or not at all (a temporary file renamed
/// over it) without waiting for the disk: for relman's own advisory
/// records, which a process killed at any point leaves whole, and which a
/// power cut may take back to their previous content.
pub fn replace_unsynced(path: &Path, contents: &[u8]) -> Result<()> {
    write_renamed(path, contents, false)
}

fn write_renamed(path: &Path, contents: &[u8], sync: bool) -> Result<()> {
    let fail = |e: io::Error| Error::io("write", path, &e);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(fail)?;
    let tmp = temp_path(path, std::process::id());
    let step = |name: &str| failpoint(name).map_err(|e| io::Error::other(e.to_string()));
    let result = (|| {
        let _ = fs::remove_file(&tmp);
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        step("temp file created")?;
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(contents)?;
        if sync {
            file.sync_all()?;
        }
        drop(file);
        step("temp file written")?;
        fs::rename(&tmp, path)?;
        step("renamed")
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// Joins a path from configuration to the repository root, refusing any
/// that would leave the repository (absolute, `..` above the root).
/// `real_root` is `root` with its symlinks resolved (`fs::canonicalize`).
pub fn inside(root: &Path, real_root: &Path, relative: &str, what: &str) -> Result<PathBuf> {
    Ok(root.join(resolve(root, real_root, relative, what)?))
}

/// Returns where `relative` really is inside the repository at `root`, with
/// every symlink followed, as a path relative to the root (`/`-separated).
///
/// The check is on the resolved path (SPEC §6.4): a committed folder
/// symlink `services/evil -> /elsewhere` cannot carry a write out of the
/// repository, and a file that is a symlink to another file of the
/// repository resolves to that file, so a write goes through to it and the
/// link itself is never replaced by a copy. Paths into `.git` are refused.
/// `real_root` is `root` with its symlinks resolved (`fs::canonicalize`).
pub fn resolve(root: &Path, real_root: &Path, relative: &str, what: &str) -> Result<String> {
    let refuse = |shown: &str| {
        Error::input(format!("{what} `{relative}` resolves to `{shown}`, outside the repository"))
            .hint(repo_path::HINT)
    };
    if repo_path::escapes(relative) || relative.contains('\0') {
        return Err(Error::input(format!("{what} `{relative}` is outside the repository"))
            .hint(repo_path::HINT));
    }
    // The longest part that exists is resolved by the OS; the rest is plain names.
    let mut existing = root.join(relative);
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let resolved = loop {
        match fs::canonicalize(&existing) {
            Ok(real) => break real,
            Err(_) => {
                // A dangling symlink cannot be followed: refuse rather than guess.
                if fs::symlink_metadata(&existing).is_ok_and(|m| m.file_type().is_symlink()) {
                    let target = fs::read_link(&existing).unwrap_or_default();
                    return Err(refuse(&target.display().to_string()));
                }
                let Some(name) = existing.file_name() else {
                    return Err(refuse(&existing.display().to_string()));
                };
                rest.push(name.to_owned());
                if !existing.pop() {
                    return Err(refuse(relative));
                }
            }
        }
    };
    let mut full = resolved;
    for name in rest.iter().rev() {
        full.push(name);
    }
    let Ok(inner) = full.strip_prefix(real_root) else {
        return Err(refuse(&full.display().to_string()));
    };
    let inner = inner.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
    if inner.is_empty() || inner == ".git" || inner.starts_with(".git/") {
        return Err(refuse(&full.display().to_string()));
    }
    Ok(inner)
}

/// Returns the temporary file `atomic_write` uses for `path` in process `pid`.
fn temp_path(path: &Path, pid: u32) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.relman-tmp.{pid}"))
}

/// Removes the temporary file a killed `atomic_write` of `path` left.
pub fn remove_temp(path: &Path, pid: u32) -> Result<()> {
    remove(&temp_path(path, pid))
}

/// Removes every temporary file `atomic_write` of `path` left, whatever
/// process made it (call it only with the repository lock held).
pub fn remove_all_temps(path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.relman-tmp.");
    let Ok(entries) = fs::read_dir(dir) else { return Ok(()) };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            remove(&entry.path())?;
        }
    }
    Ok(())
}

/// Removes the files in `dir` and in its subfolders one level down whose
/// names `stale` accepts and that were last modified before `before`:
/// temporary files a killed process left (call it only with the
/// repository lock held). Returns what it removed.
pub fn remove_stale(
    dir: &Path,
    stale: impl Fn(&str) -> bool,
    before: std::time::SystemTime,
) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(removed) };
    let mut dirs = vec![dir.to_path_buf()];
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            dirs.push(entry.path());
        }
    }
    for d in dirs {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < before);
            if stale(&name) && old && entry.file_type().is_ok_and(|t| t.is_file()) {
                remove(&entry.path())?;
                removed.push(entry.path());
            }
        }
    }
    Ok(removed)
}

/// Removes the folders above `path` that are empty, up to `root`: what
/// `atomic_write` created for a new file that is taken back.
pub fn remove_empty_parents(path: &Path, root: &Path) -> Result<()> {
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(root) && *d != root) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Reads a file's bytes, `None` when it does not exist.
pub fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

/// Returns when a file was last modified, `None` when it does not exist.
pub fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A log written in place, line by line as it comes: a log is not state,
/// so a run killed while writing it leaves part of it, never a temp file.
#[derive(Debug)]
pub struct LogFile {
    file: File,
    path: PathBuf,
}

impl LogFile {
    /// Creates (or empties) the log at `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|e| Error::io("write", path, &e))?;
        Ok(Self { file, path: path.to_path_buf() })
    }

    /// Appends one line.
    pub fn line(&mut self, line: &str) -> Result<()> {
        writeln!(self.file, "{line}").map_err(|e| Error::io("write", &self.path, &e))
    }

    /// Appends `text` (whole lines) in one write.
    pub fn write(&mut self, text: &str) -> Result<()> {
        self.file.write_all(text.as_bytes()).map_err(|e| Error::io("write", &self.path, &e))
    }
}

/// Returns `path` with symlinks resolved, or as given when it cannot be.
pub fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Tells whether `path` is a file its owner may execute.
pub fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    path.is_file()
}

/// Creates a fresh folder outside the repository (in the system's
/// temporary folder) for scratch files.
pub fn scratch_dir(prefix: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, &e))?;
    Ok(dir)
}

/// Removes a folder and everything in it.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path).map_err(|e| Error::io("remove", path, &e))
}

/// Removes a file; a file already gone is fine.
pub fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io("remove", path, &e)),
        _ => Ok(()),
    }
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("create", path, &e))
}

/// Tells whether `path` is a folder with something in it (or unreadable).
pub fn is_non_empty_dir(path: &Path) -> bool {
    path.exists() && fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(true)
}

/// Tells whether a path exists.
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// A name made safe as one path component: what is not a letter, a digit,
/// `.`, `_` or `-` becomes `_`.
pub fn path_component(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
