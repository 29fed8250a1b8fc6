//! Collecting a transaction's changes, and showing them (`--dry-run`).

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{FileWrite, TagWrite, Transaction};
use crate::error::{Error, Location, Result};
use crate::files;
use crate::repo::audit;

/// One file as a dry run shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FilePreview {
    /// Path relative to the root.
    pub path: String,
    /// What it is: `version`, `changelog`, `audit`, `file`, `export`.
    pub role: &'static str,
    /// The unified diff.
    pub diff: String,
}

/// What a transaction would do.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The files, in order.
    pub files: Vec<FilePreview>,
}

impl Transaction<'_> {
    /// Returns the text `relative` will have once the transaction is
    /// applied: its pending write, else the file as it is (on a new
    /// branch: as committed where the branch starts).
    pub fn read(&self, relative: &str, what: &str) -> Result<Option<String>> {
        let path = self.repo.resolve(relative, what)?;
        if let Some(f) = self.files.iter().find(|f| f.path == path) {
            return Ok(f.new.clone());
        }
        self.current(&path)
    }

    /// The file as it is now: read again at every step, since a hook or
    /// the user may have rewritten it since relman did.
    fn current(&self, path: &str) -> Result<Option<String>> {
        match &self.new_branch {
            Some((_, at)) => self.repo.git.read_at(at, path),
            None => files::read_text(&self.repo.root().join(path), path),
        }
    }

    /// Writes `new` to `relative` (a path from configuration; `what` names
    /// the setting in errors). Returns the path it resolved to.
    pub fn write(
        &mut self,
        relative: &str,
        what: &str,
        role: &'static str,
        new: String,
    ) -> Result<String> {
        self.put(relative, what, role, Some(new))
    }

    /// Removes `relative` (a path from configuration) if it exists.
    pub fn remove(&mut self, relative: &str, what: &str) -> Result<()> {
        self.put(relative, what, "state", None).map(drop)
    }

    fn put(
        &mut self,
        relative: &str,
        what: &str,
        role: &'static str,
        new: Option<String>,
    ) -> Result<String> {
        let path = self.repo.resolve(relative, what)?;
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            f.new = new;
            return Ok(path);
        }
        let old = self.current(&path)?;
        if old.is_none() && new.is_none() {
            return Ok(path);
        }
        self.files.push(FileWrite { path: path.clone(), role, old, new });
        Ok(path)
    }

    /// Writes `new` to a file the user named on the command line (such as
    /// `train plan --out`), which may lie outside the repository.
    pub fn export(&mut self, path: PathBuf, new: String) -> Result<()> {
        let old = files::read_text(&path, &path.display().to_string())?;
        let path = path.to_string_lossy().into_owned();
        self.files.push(FileWrite { path, role: "export", old, new: Some(new) });
        Ok(())
    }

    /// Appends one record to the audit trail, chained to the line before
    /// it; secret values in it are redacted.
    pub fn audit(&mut self, entry: Map<String, Value>) -> Result<()> {
        let what = "`paths.audit_log`";
        let relative = self.repo.config.audit_log.value.clone();
        let existing = self.read(&relative, what)?.unwrap_or_default();
        let existing = audit::repair_tail(&existing, &relative)?;
        // An empty open segment chains to the last sealed one.
        let before = match audit::last_line(&existing) {
            Some(_) => String::new(),
            None => match self.repo.sealed_segments()?.pop() {
                Some((_, path)) => self.read(&path, what)?.unwrap_or_default(),
                None => String::new(),
            },
        };
        let last = audit::last_line(&existing).or_else(|| audit::last_line(&before));
        let line = audit::next_line(last, entry, &self.env);
        if !existing.is_empty() && existing.len() + line.len() + 1 > audit::SEGMENT_BYTES {
            // Sealed as it is (git keeps the same blob); a new open segment.
            let number = self.repo.sealed_segments()?.last().map_or(0, |(n, _)| *n) + 1;
            let sealed = audit::sealed_name(&relative, number);
            if self.read(&sealed, what)?.is_some() {
                return Err(Error::refused(format!(
                    "`{sealed}` exists already: the audit trail's segments are out of order"
                ))
                .at(Location::file(sealed))
                .hint("`relman audit verify` names what is wrong"));
            }
            self.write(&sealed, what, "audit", existing)?;
            self.write(&relative, what, "audit", format!("{line}\n"))?;
        } else {
            self.write(&relative, what, "audit", format!("{existing}{line}\n"))?;
        }
        Ok(())
    }

    /// Commits the written files with `message` on the current branch.
    pub fn commit(&mut self, message: String) {
        self.commit = Some(message);
        self.note_would_push();
    }

    /// Creates the annotated tag `name` on the commit (or on HEAD).
    pub fn tag(&mut self, name: String, message: String, sign: bool) {
        self.tags.push(TagWrite { name, message, sign, at: None });
        self.note_would_push();
    }

    /// Creates the annotated tag `name` on the existing commit `at`.
    pub fn tag_at(&mut self, name: String, message: String, sign: bool, at: String) {
        self.tags.push(TagWrite { name, message, sign, at: Some(at) });
        self.note_would_push();
    }

    /// Makes the commit on a new branch `name` started at `at`, and
    /// switches to it (the work tree must be clean). Call it before any
    /// `write`: files are then read as committed at `at`.
    pub fn new_branch(&mut self, name: String, at: String) {
        self.new_branch = Some((name, at));
        self.note_would_push();
    }

    /// Skips the repository's `commit-msg` hook (`--no-verify`).
    pub fn no_verify(&mut self) {
        self.verify = false;
    }

    /// Returns the files written so far.
    pub fn files(&self) -> &[FileWrite] {
        &self.files
    }

    /// Returns what applying the transaction would do, with unified diffs.
    pub fn preview(&self) -> Preview {
        let files = self
            .files
            .iter()
            .map(|f| FilePreview {
                path: f.path.clone(),
                role: f.role,
                diff: unified_diff(
                    &f.path,
                    f.old.as_deref().unwrap_or_default(),
                    f.new.as_deref().unwrap_or_default(),
                ),
            })
            .collect();
        Preview { files }
    }
}

/// Returns a unified diff of `old` → `new` for `path`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
