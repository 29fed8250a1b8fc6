//! What a release is about (the single project or one service) and what is
//! pending for it: its last release, current version, and the commits since.
//!
//! `next`, `create`, `status` and `notes` all start here, so they agree on
//! which commits count and which version is current (SPEC §1.1, §3.2).

use serde::Serialize;

use crate::cli::OneOffArgs;
use crate::config::History;
use crate::domain::catalog::Service;
use crate::domain::commit::{Analysis, Conventional, ReleaseType};
use crate::domain::rules::Rules;
use crate::domain::tag::TagPattern;
use crate::domain::version::{Level, Version};
use crate::error::{Error, Result};
use crate::repo::git::{Ask, CommitInfo, WalkOptions, pending};
use crate::repo::{LastRelease, Repo};

/// The thing being released.
#[derive(Debug, Clone)]
pub struct Target {
    /// Display name (the project or service name).
    pub name: String,
    /// Tag pattern.
    pub tags: TagPattern,
    /// Version files, relative to the root.
    pub version_files: Vec<String>,
    /// Changelog, relative to the root; `None` when off.
    pub changelog: Option<String>,
    /// For a service, only commits touching this path count.
    pub path: Option<String>,
    /// The tag pattern was written down (relman.yaml, a flag, the catalog),
    /// not relman's default.
    pub tag_chosen: bool,
}

impl Target {
    /// Resolves `service` (or the single project when `None`), with the
    /// one-off `--tag-pattern` and `--path` applied.
    pub fn resolve_with(repo: &Repo, service: Option<&str>, one_off: &OneOffArgs) -> Result<Self> {
        let mut target = Self::resolve(repo, service)?;
        if let Some(pattern) = &one_off.tag_pattern {
            target.tags = TagPattern::new(pattern, &target.name)
                .map_err(|e| Error::input(format!("--tag-pattern: {}", e.0)))?;
            target.tag_chosen = true;
        }
        if let Some(path) = &one_off.path {
            // Where it really is: commits change the folder a symlink names.
            target.path = Some(repo.resolve(path.trim_end_matches('/'), "--path")?);
        }
        Ok(target)
    }

    /// Resolves `service` (or the single project when `None`).
    pub fn resolve(repo: &Repo, service: Option<&str>) -> Result<Self> {
        match service {
            None => {
                let c = &repo.config;
                Ok(Self {
                    name: c.name.value.clone(),
                    tags: repo.project_tags()?,
                    version_files: c.version_files.value.clone(),
                    changelog: Some(c.changelog.value.clone()).filter(|s| !s.is_empty()),
                    path: None,
                    tag_chosen: c.tag.source != crate::config::Source::Default,
                })
            }
            Some(name) => {
                let catalog = repo.catalog()?;
                // Typos only: a catalog can list thousands of services.
                let svc = catalog.service(name).ok_or_else(|| {
                    let hint = crate::domain::suggestion::did_you_mean(name, catalog.known_names());
                    Error::unknown("service", name, hint)
                })?;
                Self::from_service(svc)
            }
        }
    }

    /// Returns the target for a catalog service.
    pub fn from_service(svc: &Service) -> Result<Self> {
        Ok(Self {
            name: svc.name.clone(),
            tags: TagPattern::new(&svc.tag, &svc.name)?,
            version_files: svc.version_files.clone(),
            changelog: svc.changelog.clone(),
            path: Some(svc.path.clone()),
            tag_chosen: true,
        })
    }
}

/// A commit with its Conventional Commit reading.
#[derive(Debug, Clone)]
pub struct ReadCommit {
    /// The commit.
    pub info: CommitInfo,
    /// `None` when it is not a Conventional Commit.
    pub conventional: Option<Conventional>,
}

/// Where the current version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CurrentSource {
    /// The highest matching tag.
    Tag,
    /// The first version file (no tag yet).
    VersionFile,
    /// Neither: `0.0.0`.
    Default,
}

/// What is pending for a target.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The last release, from tags.
    pub last: Option<LastRelease>,
    /// The current version.
    pub current: Version,
    /// Where `current` came from.
    pub current_source: CurrentSource,
    /// Commits since the last release, newest first.
    pub commits: Vec<ReadCommit>,
    /// Bump and release type they add up to.
    pub analysis: Analysis,
}

impl Pending {
    /// Reads what is pending for `target`.
    pub fn read(repo: &Repo, target: &Target) -> Result<Self> {
        Self::read_authored(repo, target, false)
    }

    /// Reads what is pending for `target`, its commits with their authors
    /// when `authors` (they are read anyway where the rules match them).
    pub fn read_authored(repo: &Repo, target: &Target, authors: bool) -> Result<Self> {
        let mut one = Self::read_many_authored(repo, std::slice::from_ref(target), authors)?;
        Ok(one.pop().expect("read_many returns one result per target"))
    }

    /// Reads what is pending for every target with one walk of the history.
    pub fn read_many(repo: &Repo, targets: &[Target]) -> Result<Vec<Self>> {
        Self::read_many_authored(repo, targets, false)
    }

    fn read_many_authored(repo: &Repo, targets: &[Target], authors: bool) -> Result<Vec<Self>> {
        let mut currents = Vec::with_capacity(targets.len());
        let rules = repo.config.rules();
        let opts = WalkOptions {
            first_parent: repo.config.history.value == History::FirstParent,
            authors: authors || rules.needs_authors(),
        };
        let asks: Vec<Ask<'_>> = targets
            .iter()
            .map(|t| Ask { name: &t.name, tags: &t.tags, path: t.path.as_deref() })
            .collect();
        let (lasts, commits): (Vec<_>, Vec<_>) = pending(repo, &asks, opts)?.into_iter().unzip();
        for (target, last) in targets.iter().zip(lasts) {
            let (current, current_source) = match &last {
                Some(l) => (l.version.clone(), CurrentSource::Tag),
                None => match repo.file_version(&target.version_files)? {
                    Some(v) => (v, CurrentSource::VersionFile),
                    None => (Version::new(0, 0, 0), CurrentSource::Default),
                },
            };
            if target.path.is_none() {
                // A project whose tags follow another convention would be
                // released from the wrong tag, or as if it had never been:
                // say so (issue 20).
                repo.check_tag_convention(&target.tags, target.tag_chosen)?;
            }
            currents.push((last, current, current_source));
        }
        Ok(currents
            .into_iter()
            .zip(commits)
            .map(|((last, current, current_source), commits)| {
                let commits: Vec<ReadCommit> = commits
                    .into_iter()
                    .filter(|info| {
                        let counts = rules.counts(&info.commit);
                        if !counts
                            && Conventional::parse(&info.commit.message).is_some_and(|c| c.breaking)
                        {
                            // Never silently (issue 20).
                            let id = &info.commit.id;
                            repo.warn(format!(
                                "`commits.skip` leaves out the breaking change {} `{}`: it changes neither the version nor the notes; to hide it from the notes only, use `commits.omit_from_notes` (a breaking change stays listed)",
                                &id[..7.min(id.len())],
                                info.commit.subject()
                            ));
                        }
                        counts
                    })
                    .map(|info| {
                        let conventional = Conventional::parse(&info.commit.message);
                        ReadCommit { info, conventional }
                    })
                    .collect();
                let analysis =
                    crate::domain::rules::analyze(&current, commits.iter().map(|c| &c.conventional), &rules);
                Self { last, current, current_source, commits, analysis }
            })
            .collect())
    }

    /// Returns the next version, `None` when nothing is releasable.
    pub fn next(&self) -> Option<Version> {
        let level = self.analysis.bump?;
        self.current.bump(level, None).ok()
    }

    /// Returns the release type, if releasable.
    pub fn release_type(&self) -> Option<ReleaseType> {
        self.analysis.release_type
    }

    /// Returns the bump, if releasable.
    pub fn bump(&self) -> Option<Level> {
        self.analysis.bump
    }

    /// Returns the changelog entries for the pending commits (merges and
    /// relman's own release commits left out).
    /// The notes' entries of a release of `target` made at `tip` since the
    /// release `since` (a commit): what `entries` gave when it was cut, for
    /// a release completed later (its tag made again).
    pub fn entries_at(
        repo: &Repo,
        target: &Target,
        tip: &str,
        since: Option<&str>,
    ) -> Result<Vec<crate::domain::changelog::Entry>> {
        let rules = repo.config.rules();
        let first_parent = repo.config.history.value == History::FirstParent;
        let paths = target.path.clone().map(|p| vec![p]);
        let options = WalkOptions { first_parent, authors: false };
        let commits = repo.git.commits(Some(tip), since, options, paths.as_deref())?;
        let read: Vec<ReadCommit> = commits
            .into_iter()
            .filter(|info| rules.counts(&info.commit))
            .map(|info| {
                let conventional = Conventional::parse(&info.commit.message);
                ReadCommit { info, conventional }
            })
            .collect();
        Ok(crate::domain::changelog::entries(
            read.iter()
                .filter(|c| c.info.parents <= 1)
                .map(|c| (&c.info.commit, c.conventional.as_ref())),
            &rules,
        ))
    }

    /// The notes' entries of what is pending.
    pub fn entries(&self, rules: &Rules) -> Vec<crate::domain::changelog::Entry> {
        crate::domain::changelog::entries(
            self.commits
                .iter()
                .filter(|c| c.info.parents <= 1)
                .map(|c| (&c.info.commit, c.conventional.as_ref())),
            rules,
        )
    }
}

/// One commit as `next` and `status` report it.
#[derive(Debug, Clone, Serialize)]
pub struct CommitView {
    /// Full commit id.
    pub id: String,
    /// Conventional type, `null` when not conventional.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Scope, if any.
    pub scope: Option<String>,
    /// Breaking change.
    pub breaking: bool,
    /// Summary (the subject line when not conventional).
    pub summary: String,
    /// Whether it is a Conventional Commit.
    pub conventional: bool,
}

impl From<&ReadCommit> for CommitView {
    fn from(c: &ReadCommit) -> Self {
        match &c.conventional {
            Some(cc) => Self {
                id: c.info.commit.id.clone(),
                kind: Some(cc.kind.clone()),
                scope: cc.scope.clone(),
                breaking: cc.breaking,
                summary: cc.summary.clone(),
                conventional: true,
            },
            None => Self {
                id: c.info.commit.id.clone(),
                kind: None,
                scope: None,
                breaking: false,
                summary: c.info.commit.subject().to_owned(),
                conventional: false,
            },
        }
    }
}
