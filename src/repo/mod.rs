//! The user's repository is relman's database: every read and write of it
//! goes through this module.

pub mod audit;
pub mod catalog;
pub mod files;
pub mod git;
pub mod lock;
pub mod progress;
pub mod state;
pub mod train_status;
pub mod transaction;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config, Setting, Source};
use crate::domain::tag::TagPattern;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::git::Reach;

/// Where hook logs go, relative to the root (SPEC §6.3).
pub const LOGS: &str = ".relman/logs/";

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
    /// Warnings about what was read.
    warnings: std::cell::RefCell<Vec<String>>,
    /// Release tags passed over because HEAD's history lacks them, with
    /// the tag used instead: one warning for all (a maintenance branch
    /// sees every service's newer tags).
    passed_over: std::cell::RefCell<Vec<(String, Option<String>)>>,
    /// The root with its symlinks resolved, found once per run.
    real_root: std::cell::OnceCell<PathBuf>,
    /// Commits a walk showed not to be in the history of a HEAD: (HEAD, commit).
    not_ancestors: std::cell::RefCell<std::collections::HashSet<(String, String)>>,
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
    /// Opens the repository containing `dir` and reads `relman.yaml`.
    pub fn open(dir: &Path) -> Result<Self> {
        let git = git::Git::discover(dir)?;
        let text = files::read_optional(&git.root().join(CONFIG_FILE), CONFIG_FILE)?;
        let dir_name = git
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project".to_owned());
        let raw = match text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(yaml::parse(t, CONFIG_FILE)?),
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
                "an interrupted relman run left `{}`: the next relman command that writes completes it",
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
            not_ancestors: std::cell::RefCell::default(),
        })
    }

    /// Returns the work tree root.
    pub fn root(&self) -> &Path {
        self.git.root()
    }

    /// Returns a path from configuration, checked to stay inside the repository.
    pub fn path(&self, relative: &str, what: &str) -> Result<PathBuf> {
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
    pub fn resolve(&self, relative: &str, what: &str) -> Result<String> {
        files::resolve(self.root(), self.real_root()?, relative, what)
    }

    /// Reads a file relman only edits (no size limit), `None` when absent.
    pub fn read_text(&self, relative: &str, what: &str) -> Result<Option<String>> {
        let path = self.resolve(relative, what)?;
        files::read_text(&self.root().join(&path), relative)
    }

    /// Reads a file of the repository, `None` when absent.
    pub fn read(&self, relative: &str) -> Result<Option<String>> {
        files::read_optional(&self.path(relative, "file")?, relative)
    }

    /// Returns the project's tag pattern.
    pub fn project_tags(&self) -> Result<TagPattern> {
        TagPattern::new(&self.config.tag.value, &self.config.name.value).map_err(Error::from)
    }

    /// Returns, for each pattern, the highest matching tag among the tags
    /// reachable from HEAD, as `git describe` picks one: a higher tag on
    /// another branch (`v2.0.0` seen from `release/1.x`) is passed over with
    /// a warning. One walk per round of candidates, whatever the number of
    /// patterns; more rounds only where the highest tag is elsewhere.
    pub fn last_releases(&self, patterns: &[&TagPattern]) -> Result<Vec<Option<LastRelease>>> {
        // Each pattern's tags in a heap: `pop` takes the highest version
        // left (of equal versions, the last by name), and the first round,
        // which almost always has the answer, needs no sort of them all.
        let mut candidates: Vec<std::collections::BinaryHeap<(Version, &String)>> = patterns
            .iter()
            .map(|pattern| Ok(self.release_tags(pattern)?.collect()))
            .collect::<Result<_>>()?;
        let mut out: Vec<Option<LastRelease>> = vec![None; patterns.len()];
        let Some(head) = self.git.head()? else { return Ok(out) };
        let mut passed_over: Vec<Option<String>> = vec![None; patterns.len()];
        // The first round tries each pattern's highest tag, which is almost
        // always the answer. Where it is on another branch, the next rounds
        // try the following tags in batches of 255, highest first (a
        // maintenance branch sees every tag made on main since it was cut);
        // the walk stops as soon as each pattern's best is reached, and
        // commits read once stay in libgit2's cache for the next round.
        let mut batch = 1;
        loop {
            let mut round: Vec<(usize, Version, String, String)> = Vec::new();
            for (i, list) in candidates.iter_mut().enumerate() {
                let mut taken = 0;
                while taken < batch
                    && let Some((version, tag)) = list.pop()
                {
                    match self.git.tag_commit(tag)? {
                        Some(commit) if self.git.is_commit(&commit) => {
                            round.push((i, version, tag.clone(), commit));
                            taken += 1;
                        }
                        Some(_) => {
                            self.git.skip_tag(tag, "it points at a tree or a blob, not a commit");
                        }
                        None => {}
                    }
                }
            }
            if round.is_empty() {
                break;
            }
            batch = 255;
            // Only what no walk has answered yet is asked.
            let known = self.not_ancestors.borrow();
            let asked: Vec<usize> = (0..round.len())
                .filter(|&k| {
                    known.is_empty() || !known.contains(&(head.clone(), round[k].3.clone()))
                })
                .collect();
            drop(known);
            let commits: Vec<String> = asked.iter().map(|&k| round[k].3.clone()).collect();
            let groups: Vec<usize> = asked.iter().map(|&k| round[k].0).collect();
            let mut reach = vec![Reach::No; round.len()];
            for (k, r) in asked.into_iter().zip(self.git.reachable(&head, &commits, &groups)?) {
                reach[k] = r;
            }
            // Highest first per pattern: the first reached one is the answer.
            for ((i, version, tag, commit), reach) in round.into_iter().zip(reach) {
                if out[i].is_some() {
                    continue;
                }
                match reach {
                    Reach::Yes => {
                        candidates[i].clear();
                        out[i] = Some(LastRelease { tag, version, commit });
                    }
                    Reach::No => {
                        passed_over[i].get_or_insert(tag);
                    }
                    Reach::Unknown => {
                        return Err(git::shallow_error("which release is the current one"));
                    }
                }
            }
        }
        let mut all = self.passed_over.borrow_mut();
        for (last, passed) in out.iter().zip(passed_over) {
            if let Some(passed) = passed {
                let entry = (passed, last.as_ref().map(|l| l.tag.clone()));
                if !all.contains(&entry) {
                    all.push(entry);
                }
            }
        }
        drop(all);
        Ok(out)
    }

    /// The tags that are releases by `pattern` (ignored tags left out), with
    /// their versions; every tag name is read once per run.
    fn release_tags<'a>(
        &'a self,
        pattern: &'a TagPattern,
    ) -> Result<impl Iterator<Item = (Version, &'a String)> + 'a> {
        if self.tags.get().is_none() {
            let _ = self.tags.set(self.git.tag_names("")?);
        }
        let all = self.tags.get().map(Vec::as_slice).unwrap_or_default();
        // Sorted by name, so the tags with the pattern's prefix are one run.
        let start = all.partition_point(|t| t.as_str() < pattern.prefix());
        Ok(all[start..]
            .iter()
            .take_while(|t| t.starts_with(pattern.prefix()))
            .filter(|t| !self.is_ignored_tag(t))
            .filter_map(|t| pattern.parse(t).map(|v| (v, t))))
    }

    /// Returns the tag pattern most of the repository's version-like tags
    /// follow, with how many do and its newest tag (see `tag::conventions`).
    pub fn tag_convention(&self) -> Result<Option<(String, usize, String)>> {
        Ok(self.tag_conventions()?.into_iter().next().map(|c| (c.pattern, c.count, c.newest)))
    }

    /// Returns the tag conventions of the repository's tags (ignored tags
    /// left out), the most followed first; the tag list is the one read
    /// once per run.
    fn tag_conventions(&self) -> Result<Vec<crate::domain::tag::Convention>> {
        if self.tags.get().is_none() {
            let _ = self.tags.set(self.git.tag_names("")?);
        }
        let all = self.tags.get().map(Vec::as_slice).unwrap_or_default();
        Ok(crate::domain::tag::conventions(
            all.iter().map(String::as_str).filter(|t| !self.is_ignored_tag(t)),
        ))
    }

    /// Warns when the project's tags follow another convention than
    /// `pattern`: no tag matches it, or (when the pattern is relman's
    /// default, not one the user chose) another convention has more tags or
    /// a newer one. The warning names both conventions with their newest
    /// tag and the `relman.yaml` lines to write. Reads only the tag list.
    pub fn check_tag_convention(&self, pattern: &TagPattern, chosen: bool) -> Result<()> {
        let template = pattern.template();
        let mut count = 0usize;
        let mut newest: Option<(Version, &String)> = None;
        for (version, tag) in self.release_tags(pattern)? {
            count += 1;
            if newest.as_ref().is_none_or(|(v, _)| version > *v) {
                newest = Some((version, tag));
            }
        }
        if chosen && count > 0 {
            return Ok(());
        }
        let conventions = self.tag_conventions()?;
        let Some(other) = conventions.iter().filter(|c| c.pattern != template).find(|c| {
            c.count > count || newest.as_ref().is_none_or(|(v, _)| c.newest_version > *v)
        }) else {
            return Ok(());
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let ours = match &newest {
            Some((_, tag)) => format!(
                "the tag pattern `{template}` matches {count} tag{}, the newest `{tag}`",
                plural(count)
            ),
            None => format!("no tag matches the pattern `{template}`"),
        };
        self.warn(format!(
            "{ours}, but {} tag{} follow `{}`, the newest `{}`; if those are this project's releases, write in relman.yaml:\n  project:\n    tag: \"{}\"",
            other.count,
            plural(other.count),
            other.pattern,
            other.newest,
            other.pattern
        ));
        Ok(())
    }

    /// Records a warning (shown on stderr, and in reports that carry them).
    pub fn warn(&self, message: String) {
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// Returns the warnings so far, leaving them to be printed.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.warnings.borrow().clone();
        out.extend(passed_over_warning(&self.passed_over.borrow()));
        out.extend(self.git.warnings());
        out
    }

    /// Tells whether `release.ignore_tags` says a tag is never a release.
    pub fn is_ignored_tag(&self, name: &str) -> bool {
        crate::domain::glob::any(name, &self.config.ignore_tags.value)
    }

    /// Takes the warnings met while reading the repository (each once).
    pub fn take_warnings(&self) -> Vec<String> {
        let mut out = std::mem::take(&mut *self.warnings.borrow_mut());
        out.extend(passed_over_warning(&std::mem::take(&mut *self.passed_over.borrow_mut())));
        out.extend(self.git.take_warnings());
        out
    }

    /// Returns the version written in the first version file, if any.
    pub fn file_version(&self, version_files: &[String]) -> Result<Option<Version>> {
        let Some(first) = version_files.first() else { return Ok(None) };
        let Some(text) = self.read_text(first, "version file (`version_files`)")? else {
            return Ok(None);
        };
        let kind = crate::domain::version_file::Kind::of(file_name(first));
        let Ok(span) = crate::domain::version_file::find(kind, &text) else { return Ok(None) };
        Ok(Version::parse(&text[span.start..span.end]).ok())
    }
}

impl Repo {
    /// Returns the manifests that hold the versions of the Cargo virtual
    /// workspace whose root manifest is `manifest` (its `text`): its
    /// members' `Cargo.toml` with a literal version, sorted; empty when it
    /// is not a virtual workspace.
    pub fn workspace_manifests(&self, manifest: &str, text: &str) -> Vec<String> {
        let Some(members) = crate::domain::version_file::virtual_workspace_members(text) else {
            return Vec::new();
        };
        let base = manifest.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut out = Vec::new();
        for member in members {
            let pattern = if base.is_empty() { member } else { format!("{base}/{member}") };
            for dir in self.expand(&pattern) {
                let path = format!("{dir}/Cargo.toml");
                let holds = files::read_text(&self.root().join(&path), &path)
                    .ok()
                    .flatten()
                    .is_some_and(|t| {
                        crate::domain::version_file::find(
                            crate::domain::version_file::Kind::of("Cargo.toml"),
                            &t,
                        )
                        .is_ok()
                    });
                if holds {
                    out.push(path);
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Returns the folders a `*` glob of folder names (`crates/*`) names
    /// under the root; a component without `*` is taken as written.
    fn expand(&self, pattern: &str) -> Vec<String> {
        let mut found = vec![String::new()];
        for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
            let mut next = Vec::new();
            for dir in &found {
                let join = |name: &str| {
                    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
                };
                if !part.contains('*') {
                    next.push(join(part));
                    continue;
                }
                let Ok(entries) = std::fs::read_dir(self.root().join(dir)) else { continue };
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.') && crate::domain::glob::matches(part, n))
                    .collect();
                names.sort();
                next.extend(names.iter().map(|n| join(n)));
            }
            found = next;
        }
        found.into_iter().filter(|d| !d.is_empty() && self.root().join(d).is_dir()).collect()
    }

    /// Returns the version files `relman init` writes down when detection
    /// alone would miss them: a virtual workspace's members' manifests, or
    /// the Python module (`pkg/__version__.py`, `src/pkg/_version.py`) a
    /// pyproject.toml with a dynamic version reads. `None` when the
    /// detected ones are right.
    pub fn suggested_version_files(&self) -> Option<Vec<String>> {
        let read = |f: &str| files::read_text(&self.root().join(f), f).ok().flatten();
        if let Some(text) = read("Cargo.toml") {
            let members = self.workspace_manifests("Cargo.toml", &text);
            if !members.is_empty() {
                return Some(members);
            }
        }
        let dynamic = read("pyproject.toml")
            .is_some_and(|t| crate::domain::version_file::dynamic_version(&t));
        if !dynamic || self.config.version_files.value.iter().any(|f| f != "pyproject.toml") {
            return None;
        }
        let mut modules = Vec::new();
        for pattern in ["*", "src/*"] {
            for dir in self.expand(pattern) {
                for name in ["__version__.py", "_version.py", "version.py"] {
                    let path = format!("{dir}/{name}");
                    let holds = read(&path)
                        .is_some_and(|t| crate::domain::version_file::find_assignment(&t).is_ok());
                    if holds {
                        modules.push(path);
                        break;
                    }
                }
            }
        }
        (modules.len() == 1).then_some(modules)
    }
}

/// The one warning for release tags HEAD's history lacks (each with the
/// tag used instead), `None` when there are none.
fn passed_over_warning(passed: &[(String, Option<String>)]) -> Option<String> {
    let used = |u: &Option<String>| {
        u.as_ref().map_or_else(|| "no release tag".to_owned(), |t| format!("`{t}`"))
    };
    match passed {
        [] => None,
        [(tag, instead)] => Some(format!(
            "tag `{tag}` is not in the history of HEAD (another branch?), so it is not the current version here; using {}",
            used(instead)
        )),
        many => {
            let list: Vec<String> =
                many.iter().map(|(t, u)| format!("`{t}` (using {})", used(u))).collect();
            Some(format!(
                "{} tags are not in the history of HEAD (another branch?), so they are not the current versions here: {}",
                many.len(),
                list.join(", ")
            ))
        }
    }
}

/// Returns the file name part of a repository path.
pub fn file_name(path: &str) -> &str {
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
