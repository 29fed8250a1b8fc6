//! The user's repository is relman's database: every read and write of it
//! goes through this module.

pub mod audit;
pub mod catalog;
pub mod files;
pub mod git;
pub mod lock;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::domain::tag::TagPattern;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::settings::{Config, Global, Setting, Source};

/// Version files relman looks for when `relman.yaml` names none.
pub const DETECTED_VERSION_FILES: [&str; 4] =
    ["Cargo.toml", "package.json", "pyproject.toml", "VERSION"];

/// An open repository with its effective settings.
pub struct Repo {
    /// Git access.
    pub git: git::Git,
    /// Effective `relman.yaml` settings.
    pub config: Config,
    /// Every tag name, read once per run (sorted).
    tags: std::cell::OnceCell<Vec<String>>,
}

/// The newest release of a project or service, as tags say.
#[derive(Debug, Clone)]
pub struct LastRelease {
    /// Its tag.
    pub tag: String,
    /// Its version.
    pub version: Version,
    /// The commit it points at.
    pub commit: String,
}

impl Repo {
    /// Opens the repository containing `global.dir` and reads `relman.yaml`.
    pub fn open(global: &Global) -> Result<Self> {
        let git = git::Git::discover(&global.dir)?;
        let text = files::read_optional(
            &git.root().join(crate::settings::CONFIG_FILE),
            crate::settings::CONFIG_FILE,
        )?;
        let dir_name = git
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project".to_owned());
        let mut config = Config::resolve(text.as_deref(), &dir_name)?;
        if config.version_files.source == Source::Default {
            let found: Vec<String> = DETECTED_VERSION_FILES
                .iter()
                .filter(|f| git.root().join(f).is_file())
                .map(|f| (*f).to_owned())
                .collect();
            config.version_files = Setting { value: found, source: Source::Detected };
        }
        Ok(Self { git, config, tags: std::cell::OnceCell::new() })
    }

    /// Returns the work tree root.
    pub fn root(&self) -> &Path {
        self.git.root()
    }

    /// Returns a path from configuration, checked to stay inside the repository.
    pub fn path(&self, relative: &str, what: &str) -> Result<PathBuf> {
        files::inside(self.root(), relative, what)
    }

    /// Reads a file of the repository, `None` when absent.
    pub fn read(&self, relative: &str) -> Result<Option<String>> {
        files::read_optional(&self.path(relative, "file")?, relative)
    }

    /// Returns the project's tag pattern.
    pub fn project_tags(&self) -> Result<TagPattern> {
        TagPattern::new(&self.config.tag.value, &self.config.name.value).map_err(Error::from)
    }

    /// Returns the highest tag matching `pattern` (SemVer precedence).
    pub fn last_release(&self, pattern: &TagPattern) -> Result<Option<LastRelease>> {
        let mut best: Option<(Version, &String)> = None;
        if self.tags.get().is_none() {
            let _ = self.tags.set(self.git.tag_names("")?);
        }
        let all = self.tags.get().map(Vec::as_slice).unwrap_or_default();
        // Sorted by name, so the tags with the pattern's prefix are one run.
        let start = all.partition_point(|t| t.as_str() < pattern.prefix());
        for tag in all[start..].iter().take_while(|t| t.starts_with(pattern.prefix())) {
            if let Some(v) = pattern.parse(tag)
                && best.as_ref().is_none_or(|(b, _)| v > *b)
            {
                best = Some((v, tag));
            }
        }
        let Some((version, tag)) = best else { return Ok(None) };
        let commit = self.git.tag_commit(tag)?.unwrap_or_default();
        Ok(Some(LastRelease { tag: tag.clone(), version, commit }))
    }

    /// Returns the version written in the first version file, if any.
    pub fn file_version(&self, version_files: &[String]) -> Result<Option<Version>> {
        let Some(first) = version_files.first() else { return Ok(None) };
        let Some(text) = self.read(first)? else { return Ok(None) };
        let kind = crate::domain::version_file::Kind::of(file_name(first));
        let Ok(span) = crate::domain::version_file::find(kind, &text) else { return Ok(None) };
        Ok(Version::parse(&text[span.start..span.end]).ok())
    }
}

/// Returns the file name part of a repository path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
