//! The one door to git: the only module that names `git2`.
//!
//! Every call returns owned relman values (names, ids, messages), never git2
//! types. Signed tags go through the `git` CLI, the only way to honour the
//! user's own signing setup (`gpg.format`, `user.signingKey`, agents).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository, RepositoryState, Sort, StatusOptions};

use crate::domain::commit::Commit;
use crate::error::{Error, Result};

/// A commit as read from the repository.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    /// Id and message.
    pub commit: Commit,
    /// Number of parents (merges have more than one).
    pub parents: usize,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

/// An open repository.
pub struct Git {
    repo: Repository,
    root: PathBuf,
}

fn git_err(action: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::input(format!("git: cannot {action}: {}", e.message()))
}

impl Git {
    /// Opens the repository that contains `dir`.
    pub fn discover(dir: &Path) -> Result<Self> {
        let repo = Repository::discover(dir).map_err(|e| {
            Error::input(format!(
                "`{}` is not inside a git repository: {}",
                dir.display(),
                e.message()
            ))
            .hint("run relman inside a git repository, or pass `-C DIR`")
        })?;
        let root = repo
            .workdir()
            .ok_or_else(|| {
                Error::input("relman needs a repository with a work tree, not a bare one")
            })?
            .to_path_buf();
        Ok(Self { repo, root })
    }

    /// Creates a new repository in `dir` whose first branch is `branch`.
    pub fn init(dir: &Path, branch: &str) -> Result<Self> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head(branch);
        let repo = Repository::init_opts(dir, &opts).map_err(|e| {
            Error::input(format!(
                "cannot create a repository in `{}`: {}",
                dir.display(),
                e.message()
            ))
        })?;
        let root = repo.workdir().unwrap_or(dir).to_path_buf();
        Ok(Self { repo, root })
    }

    /// Sets a value in the repository's own git config.
    pub fn set_config(&self, key: &str, value: &str) -> Result<()> {
        let mut config = self.repo.config().map_err(git_err("open the config"))?;
        config.set_str(key, value).map_err(git_err("write the config"))
    }

    /// Returns the work tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the `.git` directory.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Returns the current branch, or `None` when HEAD is detached.
    /// On an unborn branch it returns the branch HEAD names.
    pub fn branch(&self) -> Result<Option<String>> {
        match self.repo.head() {
            Ok(head) if head.is_branch() => Ok(head.shorthand().ok().map(str::to_owned)),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => {
                let head = self.repo.find_reference("HEAD").map_err(git_err("read HEAD"))?;
                Ok(head
                    .symbolic_target()
                    .ok()
                    .flatten()
                    .map(|t| t.trim_start_matches("refs/heads/").to_owned()))
            }
            Err(e) => Err(git_err("read HEAD")(e)),
        }
    }

    /// Returns the commit HEAD points at, `None` in an empty repository.
    pub fn head(&self) -> Result<Option<String>> {
        match self.repo.head() {
            Ok(head) => Ok(head.target().map(|o| o.to_string())),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => Ok(None),
            Err(e) => Err(git_err("read HEAD")(e)),
        }
    }

    /// Returns the paths that make the work tree dirty (untracked included,
    /// ignored files not), plus an in-progress merge or rebase if any.
    pub fn dirty_paths(&self) -> Result<Vec<String>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(false).include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts)).map_err(git_err("read status"))?;
        let mut out: Vec<String> = statuses
            .iter()
            .filter(|s| !s.status().is_ignored())
            .map(|s| String::from_utf8_lossy(s.path_bytes()).into_owned())
            .collect();
        if self.repo.state() != RepositoryState::Clean {
            out.push(format!("(a {:?} is in progress)", self.repo.state()).to_lowercase());
        }
        Ok(out)
    }

    /// Returns every tag name starting with `prefix`.
    pub fn tag_names(&self, prefix: &str) -> Result<Vec<String>> {
        // fnmatch patterns treat `*?[` specially; escape what the prefix holds.
        let mut pattern = String::new();
        for c in prefix.chars() {
            if matches!(c, '*' | '?' | '[' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('*');
        let names = self.repo.tag_names(Some(&pattern)).map_err(git_err("list tags"))?;
        Ok(names.iter().filter_map(|n| n.ok().flatten()).map(str::to_owned).collect())
    }

    /// Returns the commit a tag points at, `None` when there is no such tag.
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>> {
        let Ok(reference) = self.repo.find_reference(&format!("refs/tags/{name}")) else {
            return Ok(None);
        };
        let commit = reference.peel_to_commit().map_err(git_err("read a tag"))?;
        Ok(Some(commit.id().to_string()))
    }

    /// Returns the message of an annotated tag, `None` for a lightweight one.
    pub fn tag_message(&self, name: &str) -> Result<Option<String>> {
        let reference = self
            .repo
            .find_reference(&format!("refs/tags/{name}"))
            .map_err(git_err("read a tag"))?;
        let tag = reference.peel_to_tag().ok();
        Ok(tag.map(|t| String::from_utf8_lossy(t.message_bytes().unwrap_or_default()).into_owned()))
    }

    /// Returns the commits reachable from HEAD and not from any of `hide`,
    /// newest first. With `paths`, keeps only commits that change something
    /// under one of them (compared with the first parent).
    pub fn commits(
        &self,
        hide: &[String],
        first_parent: bool,
        paths: Option<&[String]>,
    ) -> Result<Vec<CommitInfo>> {
        if self.head()?.is_none() {
            return Ok(Vec::new());
        }
        let mut walk = self.repo.revwalk().map_err(git_err("walk history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL).map_err(git_err("walk history"))?;
        walk.push_head().map_err(git_err("walk history"))?;
        if first_parent {
            walk.simplify_first_parent().map_err(git_err("walk history"))?;
        }
        for h in hide {
            let oid = Oid::from_str(h).map_err(git_err("read a commit id"))?;
            walk.hide(oid).map_err(git_err("walk history"))?;
        }
        let mut out = Vec::new();
        for oid in walk {
            let oid = oid.map_err(git_err("walk history"))?;
            let commit = self.repo.find_commit(oid).map_err(git_err("read a commit"))?;
            if let Some(paths) = paths
                && !self.touches(&commit, paths)?
            {
                continue;
            }
            out.push(CommitInfo {
                commit: Commit::new(
                    oid.to_string(),
                    String::from_utf8_lossy(commit.message_bytes()),
                ),
                parents: commit.parent_count(),
                time: commit.time().seconds(),
            });
        }
        Ok(out)
    }

    /// Tells whether `commit` changes anything under one of `paths`
    /// relative to its first parent (a root commit changes what it adds).
    fn touches(&self, commit: &git2::Commit<'_>, paths: &[String]) -> Result<bool> {
        let tree = commit.tree().map_err(git_err("read a tree"))?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => Some(p.tree().map_err(git_err("read a tree"))?),
            Err(_) => None,
        };
        for path in paths {
            let path = Path::new(path.trim_end_matches('/'));
            if path.as_os_str().is_empty() || path == Path::new(".") {
                return Ok(true);
            }
            let now = tree.get_path(path).ok().map(|e| e.id());
            let before = parent_tree.as_ref().and_then(|t| t.get_path(path).ok()).map(|e| e.id());
            if now != before {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Resolves a revision (`v1.0.0`, `HEAD~3`, a hash) to a commit id.
    pub fn resolve(&self, spec: &str) -> Result<String> {
        let object = self
            .repo
            .revparse_single(spec)
            .map_err(|e| Error::input(format!("unknown revision `{spec}`: {}", e.message())))?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| Error::input(format!("`{spec}` is not a commit: {}", e.message())))?;
        Ok(commit.id().to_string())
    }

    /// Returns a git config value, `None` when unset.
    pub fn config(&self, key: &str) -> Option<String> {
        let config = self.repo.config().ok()?;
        config.get_string(key).ok().filter(|v| !v.is_empty())
    }

    /// Returns `user.name <user.email>`, as git would sign a commit.
    pub fn identity(&self) -> Result<String> {
        let sig = self.repo.signature().map_err(|e| {
            Error::refused(format!("git has no identity to commit with: {}", e.message()))
                .hint("set it with `git config user.name NAME` and `git config user.email EMAIL`")
        })?;
        Ok(format!(
            "{} <{}>",
            String::from_utf8_lossy(sig.name_bytes()),
            String::from_utf8_lossy(sig.email_bytes())
        ))
    }

    /// Commits exactly `paths` (relative to the root) on the current branch
    /// and returns the new commit id. Other changes in the index are left out.
    pub fn commit_paths(&self, paths: &[String], message: &str) -> Result<String> {
        let sig = self.repo.signature().map_err(git_err("find the committer identity"))?;
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let mut index = self.repo.index().map_err(git_err("read the index"))?;
        for path in paths {
            let p = Path::new(path);
            if self.root.join(p).exists() {
                index.add_path(p).map_err(git_err("stage a file"))?;
            } else {
                index.remove_path(p).map_err(git_err("stage a removal"))?;
            }
        }
        index.write().map_err(git_err("write the index"))?;
        let tree_id = index.write_tree().map_err(git_err("write a tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("read a tree"))?;
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .map_err(git_err("commit"))?;
        Ok(oid.to_string())
    }

    /// Creates the annotated tag `name` on `commit`; fails if it exists.
    pub fn create_tag(&self, name: &str, commit: &str, message: &str) -> Result<()> {
        let sig = self.repo.signature().map_err(git_err("find the tagger identity"))?;
        let oid = Oid::from_str(commit).map_err(git_err("read a commit id"))?;
        let object = self.repo.find_object(oid, None).map_err(git_err("read a commit"))?;
        self.repo.tag(name, &object, &sig, message, false).map_err(|e| {
            if e.code() == git2::ErrorCode::Exists {
                Error::refused(format!("tag `{name}` already exists"))
            } else {
                git_err("create a tag")(e)
            }
        })?;
        Ok(())
    }

    /// Tells whether the user has configured tag signing well enough for
    /// `git tag -s` to work without guessing a key.
    pub fn signing_configured(&self) -> bool {
        self.config("user.signingkey").is_some()
    }

    /// Creates a signed annotated tag through `git tag -s`, so the user's own
    /// signing setup (gpg, ssh, x509, agents) applies.
    pub fn create_signed_tag(&self, name: &str, commit: &str, message: &str) -> Result<()> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["tag", "-s", "--cleanup=verbatim", "-F", "-", name, commit])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(message.as_bytes())?;
                }
                child.wait_with_output()
            })
            .map_err(|e| Error::refused(format!("cannot run `git tag -s`: {e}")))?;
        if !out.status.success() {
            return Err(Error::refused(format!(
                "`git tag -s {name}` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }

    /// Maps every commit that a tag starting with `prefix` points at to the
    /// tag names on it.
    pub fn tags_by_commit(&self, prefix: &str) -> Result<HashMap<String, Vec<String>>> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for name in self.tag_names(prefix)? {
            if let Some(commit) = self.tag_commit(&name)? {
                map.entry(commit).or_default().push(name);
            }
        }
        Ok(map)
    }
}
