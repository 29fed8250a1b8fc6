//! The one door to git: the only module that names `git2`.
//!
//! Every call returns owned relman values (names, ids, messages), never git2
//! types. Signed tags go through the `git` CLI, the only way to honour the
//! user's own signing setup (`gpg.format`, `user.signingKey`, agents).
//!
//! The rooms: this file holds the handle, its settings and the errors;
//! `refs` the refs and tags; `status` the work tree and the index;
//! `write` the writes a transaction makes; `history` the reading of
//! commits and trees.

mod history;
pub mod push;
mod refs;
mod status;
mod write;

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository};

use history::Reader;
pub use history::{Ask, CommitInfo, Reach, WalkOptions, WalkTarget, pending};

use crate::error::{Error, Result};

fn oid(hex: &str) -> Result<Oid> {
    Oid::from_str(hex).map_err(git_err("read a commit id"))
}

/// Which of git's two identities a signature is.
#[derive(Debug, Clone, Copy)]
enum Role {
    /// Who made the change (`GIT_AUTHOR_*`).
    Author,
    /// Who committed it, and who tags (`GIT_COMMITTER_*`).
    Committer,
}

/// An open repository: libgit2's handle for the writes, the index, the
/// status and the config; gix's for reading history.
pub struct Git {
    repo: Repository,
    /// gix's handle, shared by the threads that read history.
    gix: gix::ThreadSafeRepository,
    /// This thread's reader of objects, made on first use.
    reader: std::cell::OnceCell<Reader>,
    root: PathBuf,
    /// The commits whose parents a shallow clone cut off (`.git/shallow`).
    shallow: HashSet<gix::ObjectId>,
    /// Warnings about the repository met while reading (skipped tags).
    warnings: RefCell<Vec<String>>,
    /// `info/grafts` rewrites some commits' parents (libgit2 reads it).
    grafts: bool,
}

/// The hint for a history that a shallow clone cut.
pub const UNSHALLOW_HINT: &str = "fetch the whole history and the tags: `git fetch --unshallow --tags` (in GitHub Actions, `actions/checkout` with `fetch-depth: 0`)";

/// Returns the refusal for a history a shallow clone cut while `what`.
pub fn shallow_error(what: &str) -> Error {
    Error::refused(format!("this is a shallow clone and the history it cut could change {what}"))
        .hint(UNSHALLOW_HINT)
}

fn git_err(action: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| {
        if e.code() == git2::ErrorCode::NotFound && e.class() == git2::ErrorClass::Odb {
            // A partial clone (`--filter=tree:0`) or a broken object store.
            return Error::refused(format!(
                "git: cannot {action}: an object is missing from the local repository ({})",
                e.message()
            ))
            .hint(PARTIAL_HINT);
        }
        Error::input(format!("git: cannot {action}: {}", e.message()))
    }
}

/// What makes a repository one relman cannot read, from libgit2's refusal
/// to open it, with a hint; `None` for any other failure.
fn unsupported(message: &str) -> Option<(&'static str, &'static str)> {
    let message = message.to_ascii_lowercase();
    if message.contains("object format") || message.contains("objectformat") {
        return Some((
            "it names objects with SHA-256 (`extensions.objectFormat = sha256`), and relman reads and writes SHA-1 repositories only (libgit2, which relman writes with, does not support SHA-256)",
            "use relman in a SHA-1 repository",
        ));
    }
    if message.contains("refstorage") {
        return Some((
            "its refs are stored as a reftable (`extensions.refStorage = reftable`), which relman cannot read or write (neither libgit2 nor gix supports it yet)",
            "move the refs back to files with `git refs migrate --ref-format=files`",
        ));
    }
    None
}

/// The hint for an object a partial clone left out.
pub const PARTIAL_HINT: &str = "relman reads commits and trees locally and never fetches: in a partial clone made with `--filter=tree:0` run `git fetch --refetch --filter=blob:none origin` (blob-less clones work), or clone without `--filter`";

/// libgit2, which reads blobs and the index, does not re-hash every object
/// it reads (git does not either; libgit2 does by default).
fn tune() {
    git2::opts::strict_hash_verification(false);
}

impl Git {
    /// Opens the repository that contains `dir`.
    pub fn discover(dir: &Path) -> Result<Self> {
        tune();
        let repo = Repository::discover(dir).map_err(|e| match unsupported(e.message()) {
            Some((what, hint)) => Error::input(format!(
                "`{}` is in a git repository relman cannot read: {what}",
                dir.display()
            ))
            .hint(hint),
            None => Error::input(format!(
                "`{}` is not inside a git repository: {}",
                dir.display(),
                e.message()
            ))
            .hint("run relman inside a git repository, or pass `-C DIR`"),
        })?;
        // A `.git` file (a clone made with `--separate-git-dir`, a worktree)
        // names the git directory; the work tree is the folder holding it.
        // libgit2 takes the git directory's parent for a separate one.
        let gitlink = dir.ancestors().find(|d| d.join(".git").exists());
        if let Some(top) = gitlink.filter(|d| d.join(".git").is_file()) {
            repo.set_workdir(top, false).map_err(git_err("open the work tree"))?;
        }
        let root = repo
            .workdir()
            .ok_or_else(|| {
                Error::input("relman needs a repository with a work tree, not a bare one")
            })?
            .to_path_buf();
        Self::with(repo, root)
    }

    fn with(repo: Repository, root: PathBuf) -> Result<Self> {
        let gix = gix::ThreadSafeRepository::open(repo.path()).map_err(|e| {
            Error::input(format!("git: cannot open `{}`: {e}", repo.path().display()))
        })?;
        let shallow = std::fs::read_to_string(repo.commondir().join("shallow"))
            .map(|text| {
                text.lines()
                    .filter_map(|l| gix::ObjectId::from_hex(l.trim().as_bytes()).ok())
                    .collect()
            })
            .unwrap_or_default();
        let grafts = repo.commondir().join("info/grafts").exists();
        Ok(Self {
            repo,
            gix,
            reader: std::cell::OnceCell::new(),
            root,
            shallow,
            warnings: RefCell::default(),
            grafts,
        })
    }

    /// Whether the commit-graph, where there is one, gives what the
    /// commits themselves would: not where a shallow clone cut parents off,
    /// `info/grafts` rewrites them or `refs/replace/` replaces commits (git
    /// does not read it then either).
    fn graph_usable(&self) -> bool {
        self.shallow.is_empty() && !self.grafts && self.gix.objects.replacements().next().is_none()
    }

    /// Records that tag `name` is skipped, and why (reported as a warning).
    pub fn skip_tag(&self, name: &str, why: &str) {
        let message = format!("tag `{name}` is skipped: {why}");
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// Takes the warnings met while reading (each once).
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    /// Returns the warnings so far, leaving them to be taken.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.borrow().clone()
    }

    /// Creates a new repository in `dir` whose first branch is `branch`.
    pub fn init(dir: &Path, branch: &str) -> Result<Self> {
        tune();
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
        Self::with(repo, root)
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

    /// Runs `git ARGS` in the work tree with `input` on stdin and `vars` in
    /// its environment; returns stdout, or a refusal with git's own words.
    pub fn git_cli(&self, args: &[String], input: &str, vars: &[(&str, &str)]) -> Result<String> {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.root).args(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(input.as_bytes())?;
                }
                child.wait_with_output()
            })
            .map_err(|e| Error::refused(format!("cannot run `git {}`: {e}", args.join(" "))))?;
        if !out.status.success() {
            return Err(Error::refused(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Returns the folder the repository's own git hooks live in.
    pub fn hooks_dir(&self) -> PathBuf {
        match self.config("core.hookspath") {
            Some(p) => self.root.join(p),
            None => self.repo.commondir().join("hooks"),
        }
    }

    /// Returns the common git directory (shared by every worktree).
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// Tells whether a git config boolean is set to true.
    pub fn config_bool(&self, key: &str) -> bool {
        self.repo.config().and_then(|c| c.get_bool(key)).unwrap_or(false)
    }

    /// Returns a git config value, `None` when unset.
    pub fn config(&self, key: &str) -> Option<String> {
        let config = self.repo.config().ok()?;
        config.get_string(key).ok().filter(|v| !v.is_empty())
    }

    /// Returns `Name <email>` of the author of the commits relman makes,
    /// as git would write it (see `ident`).
    pub fn identity(&self) -> Result<String> {
        let (name, email) = self.ident(Role::Author)?;
        Ok(format!("{name} <{email}>"))
    }

    /// Returns the name and email git would give `role`: the environment
    /// (`GIT_AUTHOR_NAME`, ...) first, then `author.name` or
    /// `committer.name`, then `user.name` (the email last from `EMAIL`), as
    /// git's `ident.c` reads them. CI jobs often set only the environment.
    /// Unlike git, relman guesses no identity from the host.
    fn ident(&self, role: Role) -> Result<(String, String)> {
        let (var, key) = match role {
            Role::Author => ("GIT_AUTHOR", "author"),
            Role::Committer => ("GIT_COMMITTER", "committer"),
        };
        let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let name = env(&format!("{var}_NAME"))
            .or_else(|| self.config(&format!("{key}.name")))
            .or_else(|| self.config("user.name"));
        let email = env(&format!("{var}_EMAIL"))
            .or_else(|| self.config(&format!("{key}.email")))
            .or_else(|| self.config("user.email"))
            .or_else(|| env("EMAIL"));
        let missing = |what: &str, field: &str| {
            Error::refused(format!(
                "git has no {key} {what}: neither `{var}_{field}` nor `user.{what}` is set"
            ))
            .hint(format!(
                "set it with `git config user.{what} ...`, or set `{var}_{field}` in the environment"
            ))
        };
        let name = name.ok_or_else(|| missing("name", "NAME"))?;
        let email = email.ok_or_else(|| missing("email", "EMAIL"))?;
        Ok((name, email))
    }

    /// The signature git would write for `role`, dated now.
    fn signature(&self, role: Role) -> Result<git2::Signature<'static>> {
        let (name, email) = self.ident(role)?;
        git2::Signature::now(&name, &email).map_err(|e| {
            Error::refused(format!("git cannot sign as `{name} <{email}>`: {}", e.message()))
        })
    }
}
