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

/// The largest input file relman reads (SPEC §6.2: hostile input is refused
/// before it is parsed, since YAML budgets do not apply to in-memory text).
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a text file, `None` when it does not exist.
pub fn read_optional(path: &Path, display: &str) -> Result<Option<String>> {
    match fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_INPUT_BYTES => {
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
            Error::input(format!("file is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
                .at(crate::error::Location::file(display))
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", Path::new(display), &e)),
    }
}

/// Writes `contents` to `path` atomically, keeping the old file's permissions.
pub fn atomic_write(path: &Path, contents: &[u8]) -> Result<()> {
    let fail = |e: io::Error| Error::io("write", path, &e);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(fail)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.relman-tmp.{}", std::process::id()));
    let result = (|| {
        let _ = fs::remove_file(&tmp);
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        // The rename is durable only once the folder's entry is on disk.
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// Appends `line` to `path` (creating it) and flushes it to disk.
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    let fail = |e: io::Error| Error::io("append to", path, &e);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = OpenOptions::new().create(true).append(true).open(path).map_err(fail)?;
    file.write_all(format!("{line}\n").as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// Joins a path from configuration to the repository root, refusing any
/// that would leave the repository (absolute, `..` above the root).
pub fn inside(root: &Path, relative: &str, what: &str) -> Result<PathBuf> {
    if repo_path::escapes(relative) {
        return Err(Error::input(format!("{what} `{relative}` is outside the repository"))
            .hint(repo_path::HINT));
    }
    Ok(root.join(relative))
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
