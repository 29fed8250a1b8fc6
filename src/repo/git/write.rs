//! The writes a transaction makes: objects, refs, the index and checkouts.

use std::path::Path;

use git2::Oid;

use super::{Git, Role, git_err, oid};
use crate::error::{Error, Result};

impl Git {
    /// Writes `bytes` as a blob and returns its id (an object only).
    pub fn write_blob(&self, bytes: &[u8]) -> Result<String> {
        Ok(self.repo.blob(bytes).map_err(git_err("write a file's object"))?.to_string())
    }

    /// Returns the blob id of `bytes`, writing the blob only when the
    /// repository lacks it (a file's committed text is there already).
    pub fn ensure_blob(&self, bytes: &[u8]) -> Result<String> {
        let id = Oid::hash_object(git2::ObjectType::Blob, bytes)
            .map_err(git_err("hash a file's object"))?;
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        if odb.exists(id) { Ok(id.to_string()) } else { self.write_blob(bytes) }
    }

    /// Returns the tree of `base` (an empty tree when `None`) with each of
    /// `files` (path, blob id) set, keeping an existing file's mode.
    pub fn tree_with(
        &self,
        base: Option<&str>,
        files: &[(String, Option<String>)],
    ) -> Result<String> {
        let baseline = match base {
            Some(c) => self
                .repo
                .find_commit(oid(c)?)
                .and_then(|c| c.tree())
                .map_err(git_err("read a tree"))?,
            None => {
                let empty = self
                    .repo
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .map_err(git_err("write a tree"))?;
                self.repo.find_tree(empty).map_err(git_err("read a tree"))?
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, blob) in files {
            let Some(blob) = blob else {
                update.remove(path.as_str());
                continue;
            };
            let mode = match baseline.get_path(Path::new(path)).map(|e| e.filemode()) {
                Ok(0o100_755) => git2::FileMode::BlobExecutable,
                _ => git2::FileMode::Blob,
            };
            update.upsert(path.as_str(), oid(blob)?, mode);
        }
        Ok(update
            .create_updated(&self.repo, &baseline)
            .map_err(git_err("write a tree"))?
            .to_string())
    }

    /// Writes a commit object (no ref moves) and returns its id. With `sign`,
    /// `git commit-tree -S` makes it, so the user's signing setup applies.
    pub fn write_commit(
        &self,
        tree: &str,
        parent: Option<&str>,
        message: &str,
        sign: bool,
    ) -> Result<String> {
        if sign {
            let mut args = vec!["commit-tree".to_owned(), "-S".to_owned(), tree.to_owned()];
            if let Some(p) = parent {
                args.extend(["-p".to_owned(), p.to_owned()]);
            }
            args.extend(["-F".to_owned(), "-".to_owned()]);
            let out = self.git_cli(&args, message, &[])?;
            return Ok(out.trim().to_owned());
        }
        let (author, committer) = (self.signature(Role::Author)?, self.signature(Role::Committer)?);
        let tree = self.repo.find_tree(oid(tree)?).map_err(git_err("read a tree"))?;
        let parent = parent
            .map(|p| self.repo.find_commit(oid(p)?).map_err(git_err("read a commit")))
            .transpose()?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = self
            .repo
            .commit(None, &author, &committer, message, &tree, &parents)
            .map_err(git_err("write a commit"))?;
        Ok(id.to_string())
    }

    /// Writes an annotated tag object (no ref) and returns its id.
    pub fn write_tag_object(&self, name: &str, commit: &str, message: &str) -> Result<String> {
        let sig = self.signature(Role::Committer)?;
        let object = self.repo.find_object(oid(commit)?, None).map_err(git_err("read a commit"))?;
        let id = self
            .repo
            .tag_annotation_create(name, &object, &sig, message)
            .map_err(git_err("write a tag"))?;
        Ok(id.to_string())
    }

    /// Points `refname` at `to`, only if it still points at `from` (`None`:
    /// only if it does not exist): a compare-and-swap.
    pub fn swap_ref(&self, refname: &str, from: Option<&str>, to: &str, why: &str) -> Result<()> {
        let to = oid(to)?;
        let made = match from {
            Some(from) => self.repo.reference_matching(refname, to, true, oid(from)?, why),
            None => self.repo.reference(refname, to, false, why),
        };
        made.map(|_| ()).map_err(|e| {
            if matches!(e.code(), git2::ErrorCode::Modified | git2::ErrorCode::Exists) {
                Error::refused(format!("`{refname}` moved while relman was writing"))
                    .hint("run the command again")
            } else if e.code() == git2::ErrorCode::Locked {
                let dir = if refname.starts_with("refs/") { self.common_dir() } else { self.git_dir() };
                let lock = dir.join(format!("{refname}.lock"));
                Error::refused(format!(
                    "git: cannot update `{refname}`: its lock file `{}` exists",
                    lock.display()
                ))
                .hint("another git command is running, or one was killed: if none is running, remove that file and run relman again")
            } else {
                Error::input(format!("git: cannot update `{refname}`: {}", e.message()))
            }
        })
    }

    /// Deletes `refname` if it points at `id`.
    pub fn delete_ref_if(&self, refname: &str, id: &str) -> Result<()> {
        if let Ok(mut r) = self.repo.find_reference(refname)
            && r.target().map(|o| o.to_string()).as_deref() == Some(id)
        {
            r.delete().map_err(|e| {
                Error::input(format!("git: cannot delete `{refname}`: {}", e.message()))
            })?;
        }
        Ok(())
    }

    /// Points HEAD at the branch `refname` (`refs/heads/...`).
    pub fn set_head(&self, refname: &str) -> Result<()> {
        self.repo.set_head(refname).map_err(git_err("switch branches"))
    }

    /// Checks out `commit`'s tree over the work tree and index, never
    /// overwriting a local change ("safe") unless `force`.
    pub fn checkout(&self, commit: &str, force: bool) -> Result<()> {
        let commit = self.repo.find_commit(oid(commit)?).map_err(git_err("read a commit"))?;
        let mut checkout = git2::build::CheckoutBuilder::new();
        if force {
            checkout.force();
        } else {
            checkout.safe();
        }
        self.repo
            .checkout_tree(commit.as_object(), Some(&mut checkout))
            .map_err(git_err("check out the release"))
    }

    /// Changes git's index as git does: under git's lock (`index.lock`,
    /// taken first), the index is read from disk as it is now (whatever
    /// another git command, a hook or the user staged or committed while
    /// relman ran), `change` applies to that copy, and the result becomes
    /// the lock's content, renamed over the index.
    fn update_index(&self, change: impl FnOnce(&mut git2::Index) -> Result<()>) -> Result<()> {
        let path = self.git_dir().join("index");
        let lock = self.git_dir().join("index.lock");
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::refused(format!(
                    "git's index is locked (`{}`): another git command is running, or one was killed",
                    lock.display()
                ))
                .hint("if no git command is running, remove that file and run relman again"));
            }
            Err(e) => return Err(Error::io("create", &lock, &e)),
        }
        /// Gives git's lock back, unless the new index was renamed from it.
        struct Held<'a>(&'a Path);
        impl Drop for Held<'_> {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(self.0);
            }
        }
        let held = Held(&lock);
        let scratch = self.git_dir().join(format!("index.relman-tmp.{}", std::process::id()));
        let done = (|| {
            match std::fs::copy(&path, &scratch) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("read", &path, &e)),
            }
            let mut index = git2::Index::open(&scratch).map_err(git_err("read the index"))?;
            change(&mut index)?;
            index.write().map_err(git_err("write the index"))?;
            std::fs::rename(&scratch, &lock).map_err(|e| Error::io("write", &lock, &e))?;
            std::fs::rename(&lock, &path).map_err(|e| Error::io("write", &path, &e))
        })();
        let _ = std::fs::remove_file(&scratch);
        if done.is_ok() {
            // The lock is the index now: nothing of git's to give back.
            std::mem::forget(held);
        } else {
            drop(held);
        }
        done?;
        // The repository's own copy is read again from disk.
        if let Ok(mut index) = self.repo.index() {
            let _ = index.read(true);
        }
        Ok(())
    }

    /// Stages each file as the blob given (`None`: removed), with its stat
    /// data, so the index holds exactly what the commit holds without
    /// hashing the files again.
    pub fn stage_blobs(&self, files: &[(String, Option<String>)]) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            self.update_index(|index| {
                for (path, blob) in files {
                    let p = Path::new(path);
                    let meta = std::fs::symlink_metadata(self.root.join(p));
                    let (Some(blob), Ok(meta)) = (blob, meta) else {
                        index.remove_path(p).map_err(git_err("stage a removal"))?;
                        continue;
                    };
                    let mode = index.get_path(p, 0).map_or(0o100_644, |e| e.mode);
                    // The index keeps stat data in 32 bits, as git truncates it.
                    let low = |v: u64| (v & 0xffff_ffff) as u32;
                    let time = |secs: i64, nanos: i64| {
                        git2::IndexTime::new(secs as i32, u32::try_from(nanos).unwrap_or(0))
                    };
                    let entry = git2::IndexEntry {
                        ctime: time(meta.ctime(), meta.ctime_nsec()),
                        mtime: time(meta.mtime(), meta.mtime_nsec()),
                        dev: low(meta.dev()),
                        ino: low(meta.ino()),
                        mode,
                        uid: meta.uid(),
                        gid: meta.gid(),
                        file_size: low(meta.size()),
                        id: oid(blob)?,
                        flags: 0,
                        flags_extended: 0,
                        path: path.as_bytes().to_vec(),
                    };
                    index.add(&entry).map_err(git_err("stage a file"))?;
                }
                Ok(())
            })
        }
        #[cfg(not(unix))]
        {
            let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
            self.stage(&paths)
        }
    }

    /// Commits exactly `paths` (relative to the root) on the current branch
    /// and returns the new commit id. Other changes in the index are left out.
    pub fn commit_paths(&self, paths: &[String], message: &str) -> Result<String> {
        let (author, committer) = (self.signature(Role::Author)?, self.signature(Role::Committer)?);
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        self.stage(paths)?;
        let mut index = self.repo.index().map_err(git_err("read the index"))?;
        let tree_id = index.write_tree().map_err(git_err("write a tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("read a tree"))?;
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(git_err("commit"))?;
        Ok(oid.to_string())
    }

    /// Creates the annotated tag `name` on `commit`; fails if it exists.
    pub fn create_tag(&self, name: &str, commit: &str, message: &str) -> Result<()> {
        let sig = self.signature(Role::Committer)?;
        let object = self.repo.find_object(oid(commit)?, None).map_err(git_err("read a commit"))?;
        self.repo.tag(name, &object, &sig, message, false).map_err(|e| {
            if e.code() == git2::ErrorCode::Exists {
                Error::refused(format!("tag `{name}` already exists"))
            } else {
                git_err("create a tag")(e)
            }
        })?;
        Ok(())
    }

    /// Creates a signed annotated tag through `git tag -s`, so the user's own
    /// signing setup (gpg, ssh, x509, agents) applies; returns the tag object.
    pub fn create_signed_tag(&self, name: &str, commit: &str, message: &str) -> Result<String> {
        let args: Vec<String> = ["tag", "-s", "--cleanup=verbatim", "-F", "-", name, commit]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        self.git_cli(&args, message, &[])?;
        self.ref_target(&format!("refs/tags/{name}"))
            .ok_or_else(|| Error::refused(format!("`git tag -s {name}` made no tag")))
    }
}
