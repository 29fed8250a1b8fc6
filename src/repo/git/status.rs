//! The work tree and the index: what is dirty, and staging.

use std::path::Path;

use git2::{RepositoryState, StatusOptions};

use super::{Git, git_err};
use crate::error::Result;
use crate::repo::LOGS;

impl Git {
    /// Returns the paths that make the work tree dirty (untracked included,
    /// ignored files not), plus an in-progress merge or rebase if any.
    pub fn dirty_paths(&self) -> Result<Vec<String>> {
        Ok(self.dirty()?.into_iter().map(|(path, _)| path).collect())
    }

    /// Returns what `dirty_paths` does, each path with whether it is
    /// untracked (a folder of untracked files is one entry, `catalog/`).
    pub fn dirty(&self) -> Result<Vec<(String, bool)>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(false).include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts)).map_err(git_err("read status"))?;
        // A sparse checkout leaves the files outside its cone out of the work
        // tree, marked skip-worktree in the index: git does not call them
        // deleted, and neither does relman (libgit2's status does).
        const SKIP_WORKTREE: u16 = 1 << 14;
        let index = self.repo.index().map_err(git_err("read the index"))?;
        let skipped = |path: &[u8]| {
            index
                .get_path(Path::new(&*String::from_utf8_lossy(path)), 0)
                .is_some_and(|e| e.flags_extended & SKIP_WORKTREE != 0)
        };
        // relman's own hook logs (`.relman/logs/`, not committed) are
        // not a change, whether or not `.gitignore` says so.
        let root = self.root().to_path_buf();
        let only_logs = |path: &str| {
            path.starts_with(LOGS)
                || (path == ".relman/"
                    && std::fs::read_dir(root.join(".relman"))
                        .is_ok_and(|d| d.filter_map(|e| e.ok()).all(|e| e.file_name() == "logs")))
        };
        let mut out: Vec<(String, bool)> = statuses
            .iter()
            .filter(|s| !s.status().is_ignored())
            .filter(|s| !(s.status() == git2::Status::WT_DELETED && skipped(s.path_bytes())))
            .map(|s| (String::from_utf8_lossy(s.path_bytes()).into_owned(), s.status().is_wt_new()))
            .filter(|(p, _)| !only_logs(p))
            .collect();
        if self.repo.state() != RepositoryState::Clean {
            out.push((format!("(a {:?} is in progress)", self.repo.state()).to_lowercase(), false));
        }
        Ok(out)
    }

    /// Stages `paths` as they are in the work tree (removed when absent).
    pub fn stage(&self, paths: &[String]) -> Result<()> {
        let mut index = self.repo.index().map_err(git_err("read the index"))?;
        for path in paths {
            let p = Path::new(path);
            if self.root.join(p).exists() {
                index.add_path(p).map_err(git_err("stage a file"))?;
            } else {
                index.remove_path(p).map_err(git_err("stage a removal"))?;
            }
        }
        index.write().map_err(git_err("write the index"))
    }
}
