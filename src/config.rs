//! `relman.yaml` (SPEC §1.0): the project's settings as written, resolved
//! with their defaults, each with where its value came from. Read by the
//! repository layer; the flags and the environment are in `settings.rs`.

use serde::Serialize;
use serde_saphyr::Spanned;

use crate::domain::commit::InitialDevelopment;
use crate::domain::rules::{Bump, DefaultBump, Rules, Skip, TypeRule};
use crate::domain::version::Level;
use crate::error::{Error, Location, Problem, Result};

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// relman's built-in default.
    Default,
    /// `relman.yaml`.
    File,
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Environment,
    /// Found by looking at the repository (version files).
    Detected,
}

/// `relman.yaml` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    project: Option<RawProject>,
    release: Option<RawRelease>,
    paths: Option<RawPaths>,
    commits: Option<RawCommits>,
    ci: Option<bool>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommits {
    initial_development: Option<RawInitialDevelopment>,
    skip: Option<Vec<Spanned<RawSkip>>>,
    types: Option<InOrder<Spanned<RawType>>>,
    default_bump: Option<RawDefaultBump>,
    omit_from_notes: Option<Vec<Spanned<String>>>,
}

/// `commits.default_bump` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaultBump {
    conventional: Option<UnlistedBump>,
    other: Option<OtherBump>,
}

/// What a conventional commit of an unlisted type bumps.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum UnlistedBump {
    None,
    Patch,
    Minor,
}

/// What a commit that is not conventional bumps.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum OtherBump {
    None,
    Patch,
}

/// One `commits.skip` entry as written.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    subject: Option<String>,
    author: Option<String>,
}

/// One `commits.types` entry as written.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    section: Option<String>,
    bump: Option<Bump>,
}

/// A mapping read in the order it is written (the order of sections).
#[derive(Debug)]
struct InOrder<T>(Vec<(String, T)>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for InOrder<T> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = InOrder<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(InOrder(out))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

/// `commits.initial_development` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInitialDevelopment {
    breaking: Option<BreakingBump>,
    feat: Option<FeatBump>,
}

/// What a breaking change bumps while `0.y.z`.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum BreakingBump {
    Minor,
    Major,
}

/// What a feature bumps while `0.y.z`.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum FeatBump {
    Minor,
    Patch,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: Option<String>,
    tag: Option<Spanned<String>>,
    version_files: Option<Vec<Spanned<String>>>,
    changelog: Option<Spanned<String>>,
    hooks: Option<crate::domain::catalog::Hooks>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    branches: Option<Vec<String>>,
    history: Option<History>,
    commit_message: Option<Spanned<String>>,
    sign: Option<bool>,
    push: Option<bool>,
    dependents: Option<Dependents>,
    ignore_tags: Option<Vec<String>>,
}

/// What a service gets when an in-repository dependency is released with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dependents {
    /// Nothing: it releases only for its own commits.
    None,
    /// At least a patch (release-plz's re-release of dependents).
    Patch,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    catalog: Option<Spanned<String>>,
    policies: Option<Spanned<String>>,
    state: Option<Spanned<String>>,
    audit_log: Option<Spanned<String>>,
}

/// Which commits count since a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum History {
    /// Every commit reachable from HEAD.
    Full,
    /// Only the first-parent chain (merges stand for their branches).
    FirstParent,
}

/// A resolved value and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

fn pick<T>(file: Option<T>, default: T) -> Setting<T> {
    match file {
        Some(value) => Setting { value, source: Source::File },
        None => Setting { value: default, source: Source::Default },
    }
}

/// The effective project settings (SPEC §1.0).
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Project name (the `{name}` of the tag pattern).
    pub name: Setting<String>,
    /// Tag pattern.
    pub tag: Setting<String>,
    /// Version files; empty value with source `default` means "detect".
    pub version_files: Setting<Vec<String>>,
    /// Changelog path; empty turns it off.
    pub changelog: Setting<String>,
    /// Branches releases may be cut from (`*` globs).
    pub branches: Setting<Vec<String>>,
    /// History mode.
    pub history: Setting<History>,
    /// Release commit message pattern.
    pub commit_message: Setting<String>,
    /// Sign tags by default.
    pub sign: Setting<bool>,
    /// Push every commit and tag to `origin` (`--push`).
    pub push: Setting<bool>,
    /// Write the CI system's outputs (`--ci`).
    pub ci: Setting<bool>,
    /// Catalog folder.
    pub catalog: Setting<String>,
    /// Policies file.
    pub policies: Setting<String>,
    /// State folder.
    pub state: Setting<String>,
    /// Audit log.
    pub audit_log: Setting<String>,
    /// Bumps while the version is `0.y.z`.
    pub initial_development: Setting<InitialDevelopment>,
    /// What a dependent of a released service gets.
    pub dependents: Setting<Dependents>,
    /// Tags that are never releases (`*` globs), such as `*-nightly`.
    pub ignore_tags: Setting<Vec<String>>,
    /// Commits never counted nor listed.
    pub skip: Setting<Vec<Skip>>,
    /// Extra commit types, or other sections and bumps for known ones.
    pub types: Setting<Vec<TypeRule>>,
    /// What commits no type rule names bump.
    pub default_bump: Setting<DefaultBump>,
    /// Types and subject globs left out of notes (still counted).
    pub omit_from_notes: Setting<Vec<String>>,
    /// The single project's hooks (`project.hooks`: deploy, health, rollback, switch).
    pub project_hooks: crate::domain::catalog::Hooks,
}

/// The file relman reads its project settings from.
pub const CONFIG_FILE: &str = "relman.yaml";

impl Config {
    /// Resolves `relman.yaml` as read (`None`: absent or empty) against the
    /// defaults. The repository reads and parses the file.
    ///
    /// `dir_name` is the repository folder's name, the default project name.
    pub fn resolve(raw: Option<RawConfig>, dir_name: &str) -> Result<Self> {
        let raw = raw.unwrap_or_default();
        let project = raw.project.unwrap_or_default();
        let release = raw.release.unwrap_or_default();
        let paths = raw.paths.unwrap_or_default();
        let commits = raw.commits.unwrap_or_default();
        let initial = commits.initial_development;
        let mut problems = Vec::new();
        fn at<T>(s: &Spanned<T>) -> Location {
            Location::new(CONFIG_FILE, s.referenced.line(), s.referenced.column())
        }
        let name = pick(project.name, dir_name.to_owned());
        if let Some(tag) = &project.tag
            && let Err(e) = crate::domain::tag::TagPattern::new(&tag.value, &name.value)
        {
            problems.push(
                Problem::new(e.0)
                    .at(at(tag))
                    .hint("for example `v{version}` or `{name}-v{version}`"),
            );
        }
        if let Some(msg) = &release.commit_message
            && !msg.value.contains("{tag}")
            && !msg.value.contains("{version}")
        {
            problems.push(
                Problem::new("`commit_message` names neither `{tag}` nor `{version}`")
                    .at(at(msg))
                    .hint("for example `chore(release): {tag}`"),
            );
        }
        let mut check_path = |s: Option<&Spanned<String>>, what: &str, allow_empty: bool| {
            let Some(s) = s else { return };
            if s.value.is_empty() {
                if !allow_empty {
                    problems.push(Problem::new(format!("{what} is empty")).at(at(s)));
                }
            } else if crate::domain::repo_path::escapes(&s.value) {
                problems.push(
                    Problem::new(format!("{what} `{}` is outside the repository", s.value))
                        .at(at(s))
                        .hint(crate::domain::repo_path::HINT),
                );
            }
        };
        check_path(project.changelog.as_ref(), "changelog", true);
        for f in project.version_files.iter().flatten() {
            check_path(Some(f), "version file", false);
        }
        check_path(paths.catalog.as_ref(), "catalog", false);
        check_path(paths.policies.as_ref(), "policies", false);
        check_path(paths.state.as_ref(), "state", false);
        check_path(paths.audit_log.as_ref(), "audit_log", false);
        let mut skip = Vec::new();
        for entry in commits.skip.iter().flatten() {
            let raw = &entry.value;
            if raw.subject.is_none() && raw.author.is_none() {
                problems.push(
                    Problem::new("a `commits.skip` entry names neither `subject` nor `author`")
                        .at(at(entry))
                        .hint(
                            "for example `- subject: \"release: v*\"` or `- author: \"*[bot]*\"`",
                        ),
                );
            }
            skip.push(Skip { subject: raw.subject.clone(), author: raw.author.clone() });
        }
        let mut types: Vec<TypeRule> = Vec::new();
        for (name, entry) in commits.types.iter().flat_map(|t| &t.0) {
            let valid =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                problems.push(
                    Problem::new(format!("`commits.types`: `{name}` is not a commit type"))
                        .at(at(entry))
                        .hint("a type is letters, digits and `-`, as in `deps` or `build-system`"),
                );
            }
            if entry.value.section.as_deref().is_some_and(|s| s.trim().is_empty()) {
                problems.push(
                    Problem::new(format!("`commits.types.{name}.section` is empty")).at(at(entry)),
                );
            }
            let name = name.to_ascii_lowercase();
            if types.iter().any(|t| t.name == name) {
                problems.push(
                    Problem::new(format!("`commits.types` names `{name}` twice")).at(at(entry)),
                );
            }
            types.push(TypeRule {
                name,
                section: entry.value.section.as_ref().map(|s| s.trim().to_owned()),
                bump: entry.value.bump,
            });
        }
        for entry in commits.omit_from_notes.iter().flatten() {
            if entry.value.trim().is_empty() {
                problems.push(
                    Problem::new("a `commits.omit_from_notes` entry is empty")
                        .at(at(entry))
                        .hint("a type (`docs`) or a subject glob (`*typo*`)"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(crate::error::ErrorKind::Input, problems));
        }
        let value = |s: Option<Spanned<String>>| s.map(|s| s.value);
        Ok(Self {
            tag: pick(value(project.tag), "v{version}".to_owned()),
            name,
            version_files: pick(
                project.version_files.map(|v| v.into_iter().map(|s| s.value).collect()),
                Vec::new(),
            ),
            changelog: pick(value(project.changelog), "CHANGELOG.md".to_owned()),
            branches: pick(
                release.branches,
                ["main", "master", "release/*", "hotfix/*"].map(str::to_owned).to_vec(),
            ),
            history: pick(release.history, History::Full),
            commit_message: pick(value(release.commit_message), "chore(release): {tag}".to_owned()),
            sign: pick(release.sign, false),
            push: pick(release.push, false),
            ci: pick(raw.ci, false),
            dependents: pick(release.dependents, Dependents::None),
            ignore_tags: pick(release.ignore_tags, Vec::new()),
            skip: pick(commits.skip.is_some().then_some(skip), Vec::new()),
            types: pick(commits.types.is_some().then_some(types), Vec::new()),
            default_bump: pick(
                commits.default_bump.map(|d| DefaultBump {
                    conventional: match d.conventional {
                        None | Some(UnlistedBump::None) => Bump::None,
                        Some(UnlistedBump::Patch) => Bump::Patch,
                        Some(UnlistedBump::Minor) => Bump::Minor,
                    },
                    other: match d.other {
                        None | Some(OtherBump::None) => Bump::None,
                        Some(OtherBump::Patch) => Bump::Patch,
                    },
                }),
                DefaultBump::default(),
            ),
            omit_from_notes: pick(
                commits
                    .omit_from_notes
                    .map(|v| v.into_iter().map(|s| s.value.trim().to_owned()).collect()),
                Vec::new(),
            ),
            project_hooks: project.hooks.unwrap_or_default(),
            catalog: pick(value(paths.catalog), "catalog".to_owned()),
            policies: pick(value(paths.policies), String::new()),
            state: pick(value(paths.state), ".relman/state".to_owned()),
            audit_log: pick(value(paths.audit_log), "analysis/reports/audit.log".to_owned()),
            initial_development: pick(
                initial.map(|i| {
                    let default = InitialDevelopment::default();
                    InitialDevelopment {
                        breaking: match i.breaking {
                            Some(BreakingBump::Major) => Level::Major,
                            Some(BreakingBump::Minor) => Level::Minor,
                            None => default.breaking,
                        },
                        feat: match i.feat {
                            Some(FeatBump::Patch) => Level::Patch,
                            Some(FeatBump::Minor) => Level::Minor,
                            None => default.feat,
                        },
                    }
                }),
                InitialDevelopment::default(),
            ),
        })
    }
}

impl Config {
    /// Returns the commit rules these settings give.
    pub fn rules(&self) -> Rules {
        Rules::new(
            &self.commit_message.value,
            self.skip.value.clone(),
            self.types.value.clone(),
            self.initial_development.value,
        )
        .with_default_bump(self.default_bump.value)
        .with_omit_from_notes(self.omit_from_notes.value.clone())
    }
}

/// Tells whether `branch` matches one of `patterns` (`*` matches any run of
/// characters, including `/`).
pub fn branch_allowed(branch: &str, patterns: &[String]) -> bool {
    crate::domain::glob::any(branch, patterns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_patterns() {
        let p = ["main".to_owned(), "release/*".to_owned()];
        assert!(branch_allowed("main", &p));
        assert!(branch_allowed("release/1.2", &p));
        assert!(!branch_allowed("feature/x", &p));
        assert!(!branch_allowed("mainline", &p));
    }

    #[test]
    fn config_errors_are_located() {
        let resolve =
            |text: &str| Config::resolve(Some(crate::yaml::parse(text, CONFIG_FILE)?), "x");
        let e = resolve("project:\n  tag: \"release\"\n").unwrap_err();
        assert_eq!(e.problems[0].location, Some(Location::new("relman.yaml", 2, 8)));
        let e = resolve("paths:\n  state: ../../etc\n").unwrap_err();
        assert!(e.to_string().contains("outside the repository"), "{e}");
    }
}
