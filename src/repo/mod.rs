//! The user's repository is relman's database: every read and write of it
//! goes through this module.

pub mod audit;
pub mod catalog;
pub mod git;
pub mod ledger;
pub mod lock;
pub mod progress;
pub mod state;
pub mod train_status;
pub mod transaction;

// Parts of `Repo` itself.
mod releases;
mod version_files;

pub use self::releases::LastRelease;
pub(crate) use self::version_files::DETECTED_VERSION_FILES;

use std::path::{Path, PathBuf};

use crate::files;

use crate::config::{CONFIG_FILE, Config, Setting, Source};
use crate::error::{Error, Result};

/// Where hook logs go, relative to the root (SPEC §6.3).
pub(crate) const LOGS: &str = ".relman/logs/";

/// How the warning about an interrupted run's journal begins.
const JOURNAL_WARNING: &str = "an interrupted relman run left";

/// An open repository with its effective settings.
pub struct Repo {
    /// Git access.
    pub git: git::Git,
    /// Effective `relman.yaml` settings.
    pub config: Config,
    /// Every tag name, read once per run (sorted).
    tags: std::cell::OnceCell<Vec<String>>,
    /// Warnings about what was read.
    warnings: std::cell::RefCell<Vec<String>>,
    /// Release tags passed over because HEAD's history lacks them, with
    /// the tag used instead: one warning for all (a maintenance branch
    /// sees every service's newer tags).
    passed_over: std::cell::RefCell<Vec<(String, Option<String>)>>,
    /// The root with its symlinks resolved, found once per run.
    real_root: std::cell::OnceCell<PathBuf>,
    /// The policies, read and checked once per run: every step of a
    /// command (a train's thousand participants) reads the same ones.
    policies: std::cell::OnceCell<crate::domain::policy::Policies>,
    /// Commits a walk showed not to be in the history of a HEAD: (HEAD, commit).
    not_ancestors: std::cell::RefCell<std::collections::HashSet<(String, String)>>,
}

impl Repo {
    /// Opens the repository containing `dir` and reads `relman.yaml`.
    pub(crate) fn open(dir: &Path) -> Result<Self> {
        let git = git::Git::discover(dir)?;
        let text = files::read_optional(&git.root().join(CONFIG_FILE), CONFIG_FILE)?;
        let dir_name = git
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project".to_owned());
        let raw = match text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(crate::yaml::parse(t, CONFIG_FILE)?),
            None => None,
        };
        let mut config = Config::resolve(raw, &dir_name)?;
        if config.version_files.source == Source::Default {
            // A pyproject.toml whose version is dynamic holds none to edit:
            // its build backend reads it from another file (`VERSION`, say).
            let dynamic = |f: &str| {
                files::read_text(&git.root().join(f), f)
                    .ok()
                    .flatten()
                    .is_some_and(|t| crate::domain::version_file::dynamic_version(&t))
            };
            let found: Vec<String> = DETECTED_VERSION_FILES
                .iter()
                .filter(|f| git.root().join(f).is_file())
                .filter(|f| **f != "pyproject.toml" || !dynamic(f))
                .map(|f| (*f).to_owned())
                .collect();
            config.version_files = Setting { value: found, source: Source::Detected };
        }
        if config.name.source == Source::Default {
            // The manifest's package name, as the ecosystem knows the
            // project, rather than the folder a clone happens to be in.
            let name = ["Cargo.toml", "package.json", "pyproject.toml"].iter().find_map(|f| {
                let text = files::read_text(&git.root().join(f), f).ok().flatten()?;
                crate::domain::version_file::manifest_name(f, &text)
                    .filter(|n| crate::domain::tag::check_ref_name(n).is_ok())
            });
            if let Some(name) = name {
                config.name = Setting { value: name, source: Source::Detected };
            }
        }
        let mut warnings = Vec::new();
        let journal = git.common_dir().join(transaction::JOURNAL);
        if files::exists(&journal) {
            warnings.push(format!(
                "{JOURNAL_WARNING} `{}`: the next relman command that writes completes it",
                journal.display()
            ));
        }
        Ok(Self {
            git,
            config,
            tags: std::cell::OnceCell::new(),
            warnings: std::cell::RefCell::new(warnings),
            passed_over: std::cell::RefCell::default(),
            real_root: std::cell::OnceCell::new(),
            policies: std::cell::OnceCell::new(),
            not_ancestors: std::cell::RefCell::default(),
        })
    }

    /// Returns the work tree root.
    pub(crate) fn root(&self) -> &Path {
        self.git.root()
    }

    /// Returns a path from configuration, checked to stay inside the repository.
    pub(crate) fn path(&self, relative: &str, what: &str) -> Result<PathBuf> {
        files::inside(self.root(), self.real_root()?, relative, what)
    }

    /// The root with its symlinks resolved: every containment check
    /// compares with it.
    fn real_root(&self) -> Result<&Path> {
        if let Some(real) = self.real_root.get() {
            return Ok(real);
        }
        let root = self.root();
        let real = std::fs::canonicalize(root).map_err(|e| Error::io("read", root, &e))?;
        Ok(self.real_root.get_or_init(|| real))
    }

    /// Returns where a path from configuration really is inside the
    /// repository (symlinks followed), relative to the root; `what` names
    /// the setting in errors.
    pub(crate) fn resolve(&self, relative: &str, what: &str) -> Result<String> {
        files::resolve(self.root(), self.real_root()?, relative, what)
    }

    /// Reads a file relman only edits (no size limit), `None` when absent.
    pub(crate) fn read_text(&self, relative: &str, what: &str) -> Result<Option<String>> {
        let path = self.resolve(relative, what)?;
        files::read_text(&self.root().join(&path), relative)
    }

    /// Reads a file of the repository, `None` when absent.
    pub(crate) fn read(&self, relative: &str) -> Result<Option<String>> {
        files::read_optional(&self.path(relative, "file")?, relative)
    }

    /// Records a warning (shown on stderr, and in reports that carry them).
    pub(crate) fn warn(&self, message: String) {
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// Returns the warnings so far, leaving them to be printed.
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut out = self.warnings.borrow().clone();
        out.extend(releases::passed_over_warning(&self.passed_over.borrow()));
        out.extend(self.git.warnings());
        out
    }

    /// Tells whether `release.ignore_tags` says a tag is never a release.
    pub(crate) fn is_ignored_tag(&self, name: &str) -> bool {
        crate::domain::glob::any(name, &self.config.ignore_tags.value)
    }

    /// Forgets the warning about an interrupted run's journal, once a
    /// transaction completed or undid it.
    pub(crate) fn journal_handled(&self) {
        self.warnings.borrow_mut().retain(|w| !w.starts_with(JOURNAL_WARNING));
    }

    /// Takes the warnings met while reading the repository (each once).
    pub(crate) fn take_warnings(&self) -> Vec<String> {
        let mut out = std::mem::take(&mut *self.warnings.borrow_mut());
        out.extend(releases::passed_over_warning(&std::mem::take(
            &mut *self.passed_over.borrow_mut(),
        )));
        out.extend(self.git.take_warnings());
        out
    }
}

/// Returns the file name part of a repository path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Runs git in `dir` with `input` on its standard input and returns its
/// output, for the unit tests that build repositories (no system or user
/// configuration).
#[cfg(test)]
pub(crate) fn run_git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Vec<u8> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(bytes) = input {
        std::io::Write::write_all(&mut stdin, bytes).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?} failed");
    out.stdout
}
