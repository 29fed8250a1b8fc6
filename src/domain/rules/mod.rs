//! Which commits count and where they go: relman.yaml's `commits:` section
//! (commits to skip, extra types with their section and bump, the `0.y.z`
//! rule) and relman's own release commits.

use std::borrow::Cow;

use super::commit::{Analysis, Commit, Conventional, InitialDevelopment, ReleaseType};
use super::version::{Level, Version};

/// The sections of SPEC §3.3 that come before any a `commits.types` entry
/// adds; "Other" always comes last.
pub const BUILT_IN_SECTIONS: [&str; 5] =
    ["Breaking Changes", "New Features", "Improvements", "Bug Fixes", "Security Updates"];

/// The section of commits no rule places.
pub const OTHER: &str = "Other";

/// The Conventional Commit types relman knows without `commits.types`
/// (the Angular convention's, and `security`): only other types are
/// "unlisted" for `commits.default_bump.conventional`.
pub const KNOWN_TYPES: [&str; 12] = [
    "feat", "fix", "perf", "security", "build", "chore", "ci", "docs", "refactor", "revert",
    "style", "test",
];

/// Tells whether a `commits.omit_from_notes` entry is a type (`docs`,
/// `build-system`) rather than a subject glob.
pub fn is_type_name(entry: &str) -> bool {
    !entry.is_empty() && entry.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// What commits no type rule names bump (`commits.default_bump`): a
/// runtime whose commits are typed by module (`rt:`, `sync:`) counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct DefaultBump {
    /// Conventional commits of a type neither known nor in `commits.types`.
    pub conventional: Bump,
    /// Commits that are not conventional.
    pub other: Bump,
}

/// Commits that are never counted nor listed (`commits.skip`): every given
/// glob must match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    /// Matches the subject line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Matches `Name <email>` of the author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl Skip {
    fn matches(&self, commit: &Commit) -> bool {
        let subject =
            self.subject.as_deref().is_none_or(|p| super::glob::matches(p, commit.subject()));
        let author = self.author.as_deref().is_none_or(|p| super::glob::matches(p, &commit.author));
        subject && author
    }
}

/// What a commit type bumps: `none` never releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Never releases on its own.
    #[default]
    None,
    /// A patch.
    Patch,
    /// A minor release.
    Minor,
    /// A major release.
    Major,
}

impl Bump {
    /// Returns the level it bumps, `None` for `none`.
    pub fn level(self) -> Option<Level> {
        match self {
            Self::None => None,
            Self::Patch => Some(Level::Patch),
            Self::Minor => Some(Level::Minor),
            Self::Major => Some(Level::Major),
        }
    }
}

/// One entry of `commits.types`: the section and the bump of a type, each
/// replacing the built-in one when given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TypeRule {
    /// The type, lower-cased.
    #[serde(rename = "type")]
    pub name: String,
    /// The section heading its commits go under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The bump it asks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bump: Option<Bump>,
}

/// relman's own release commits, recognised by the subject
/// `release.commit_message` gives them (`chore(release): {tag}`): they
/// never appear in notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnReleases {
    prefix: String,
    suffix: String,
}

impl OwnReleases {
    /// Reads the commit message pattern: the text around its first
    /// `{tag}` or `{version}`, anything in between.
    pub fn new(pattern: &str) -> Self {
        let pattern = pattern.lines().next().unwrap_or_default();
        let at = [pattern.find("{tag}"), pattern.find("{version}")].into_iter().flatten().min();
        match at {
            Some(i) => {
                let rest = &pattern[i..];
                let len = if rest.starts_with("{tag}") { 5 } else { 9 };
                let suffix = rest[len..].rsplit('}').next().unwrap_or_default();
                Self { prefix: pattern[..i].to_owned(), suffix: suffix.to_owned() }
            }
            None => Self { prefix: pattern.to_owned(), suffix: String::new() },
        }
    }

    /// Tells whether `subject` is one of relman's release commits.
    pub fn matches(&self, subject: &str) -> bool {
        subject.len() > self.prefix.len() + self.suffix.len()
            && subject.starts_with(&self.prefix)
            && subject.ends_with(&self.suffix)
    }
}

/// The commit rules in force.
#[derive(Debug, Clone)]
pub struct Rules {
    own: OwnReleases,
    skip: Vec<Skip>,
    types: Vec<TypeRule>,
    /// Bumps while the version is `0.y.z`.
    pub initial: InitialDevelopment,
    /// What commits no rule names bump.
    pub default_bump: DefaultBump,
    /// Types (`docs`) and subject globs (`*typo*`) left out of notes only.
    omit: Vec<String>,
}

impl Default for Rules {
    fn default() -> Self {
        Self::new("chore(release): {tag}", Vec::new(), Vec::new(), InitialDevelopment::default())
    }
}

impl Rules {
    /// Returns the rules of a project.
    pub fn new(
        commit_message: &str,
        skip: Vec<Skip>,
        types: Vec<TypeRule>,
        initial: InitialDevelopment,
    ) -> Self {
        Self {
            own: OwnReleases::new(commit_message),
            skip,
            types,
            initial,
            default_bump: DefaultBump::default(),
            omit: Vec::new(),
        }
    }

    /// Returns the rules with `commits.omit_from_notes` set.
    pub fn with_omit_from_notes(mut self, omit: Vec<String>) -> Self {
        self.omit = omit;
        self
    }

    /// Returns the rules with `commits.default_bump` set.
    pub fn with_default_bump(mut self, default_bump: DefaultBump) -> Self {
        self.default_bump = default_bump;
        self
    }

    /// Tells whether the rules read commits' authors.
    pub fn needs_authors(&self) -> bool {
        self.skip.iter().any(|s| s.author.is_some())
    }

    /// Tells whether a commit counts at all: `commits.skip` leaves it out
    /// of versions and notes alike.
    pub fn counts(&self, commit: &Commit) -> bool {
        !self.skip.iter().any(|s| s.matches(commit))
    }

    /// Tells whether a commit that counts is listed in notes: relman's own
    /// release commits are not, nor those `commits.omit_from_notes` names
    /// (by type, or by a subject glob), unless they are breaking.
    pub fn listed(&self, commit: &Commit, c: Option<&Conventional>) -> bool {
        if self.own.matches(commit.subject()) {
            return false;
        }
        if c.is_some_and(|c| c.breaking) {
            return true;
        }
        !self.omit.iter().any(|o| {
            if is_type_name(o) {
                c.is_some_and(|c| c.kind.eq_ignore_ascii_case(o))
            } else {
                super::glob::matches(o, commit.subject())
            }
        })
    }

    fn rule(&self, kind: &str) -> Option<&TypeRule> {
        self.types.iter().find(|t| t.name == kind)
    }

    /// Returns the bump a commit asks for on its own, before the `0.y.z` rule.
    pub fn bump(&self, c: &Conventional) -> Option<Level> {
        if c.breaking {
            return Some(Level::Major);
        }
        match self.rule(&c.kind).and_then(|r| r.bump) {
            Some(bump) => bump.level(),
            None if KNOWN_TYPES.contains(&c.kind.as_str()) => c.bump(),
            None => self.default_bump.conventional.level(),
        }
    }

    /// Returns the bump of any commit: a conventional one as `bump` says,
    /// another as `commits.default_bump.other` says.
    pub fn bump_of(&self, c: Option<&Conventional>) -> Option<Level> {
        match c {
            Some(c) => self.bump(c),
            None => self.default_bump.other.level(),
        }
    }

    /// Returns what releases, for "nothing to release" messages:
    /// `feat, fix, perf, security or breaking`, with the types
    /// `commits.types` and `commits.default_bump` add and those it turns off.
    pub fn releasing(&self) -> String {
        let mut kinds: Vec<&str> = ["feat", "fix", "perf", "security"]
            .into_iter()
            .filter(|k| self.rule(k).and_then(|r| r.bump).is_none_or(|b| b != Bump::None))
            .collect();
        for t in &self.types {
            if t.bump.is_some_and(|b| b != Bump::None) && !kinds.contains(&t.name.as_str()) {
                kinds.push(&t.name);
            }
        }
        if self.default_bump.conventional != Bump::None {
            kinds.push("any unlisted type");
        }
        if self.default_bump.other != Bump::None {
            kinds.push("non-conventional");
        }
        format!("{} or breaking", kinds.join(", "))
    }

    /// Explains why `commits` (none of which releases) release nothing:
    /// the types seen, the non-conventional ones, and the `relman.yaml`
    /// setting that would count them. `None` when there are no commits.
    pub fn nothing_released<'a>(
        &self,
        commits: impl IntoIterator<Item = Option<&'a Conventional>>,
    ) -> Option<String> {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let mut other = 0usize;
        for c in commits {
            match c {
                Some(c) => match seen.iter_mut().find(|(k, _)| *k == c.kind) {
                    Some(entry) => entry.1 += 1,
                    None => seen.push((&c.kind, 1)),
                },
                None => other += 1,
            }
        }
        if seen.is_empty() && other == 0 {
            return None;
        }
        seen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut parts = Vec::new();
        if !seen.is_empty() {
            let list: Vec<String> = seen.iter().map(|(k, n)| format!("`{k}` ({n})")).collect();
            parts.push(format!("types seen that release nothing: {}", list.join(", ")));
        }
        if other > 0 {
            parts.push(format!(
                "{other} commit{} not conventional",
                if other == 1 { "" } else { "s" }
            ));
        }
        let unlisted: Vec<&str> = seen
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !KNOWN_TYPES.contains(k) && self.rule(k).is_none())
            .collect();
        let mut keys = Vec::new();
        if !unlisted.is_empty() {
            keys.push("conventional: patch");
        }
        if other > 0 {
            keys.push("other: patch");
        }
        let mut text = parts.join("; ");
        if !keys.is_empty() {
            text.push_str(&format!(
                "\nto count them as patches, write in relman.yaml:\n  commits:\n    default_bump: {{{}}}",
                keys.join(", ")
            ));
        }
        if let Some((example, _)) = seen.first() {
            text.push_str(&format!(
                "\n(or give one type its bump under `commits.types`, as `{example}: {{bump: patch}}`)"
            ));
        }
        Some(text)
    }

    /// Returns the section a commit goes under (a built-in one borrowed,
    /// so a long history's entries share it).
    pub fn section(&self, c: Option<&Conventional>) -> Cow<'static, str> {
        let Some(c) = c else { return Cow::Borrowed(OTHER) };
        if c.breaking {
            return Cow::Borrowed(BUILT_IN_SECTIONS[0]);
        }
        if c.is_security() {
            return Cow::Borrowed(BUILT_IN_SECTIONS[4]);
        }
        if let Some(section) = self.rule(&c.kind).and_then(|r| r.section.as_deref()) {
            return Cow::Owned(section.to_owned());
        }
        Cow::Borrowed(match c.kind.as_str() {
            "feat" => BUILT_IN_SECTIONS[1],
            "perf" | "refactor" => BUILT_IN_SECTIONS[2],
            "fix" => BUILT_IN_SECTIONS[3],
            _ => OTHER,
        })
    }

    /// Returns every section in the order notes print them: the built-in
    /// ones, those `commits.types` adds (as written), then "Other".
    pub fn sections(&self) -> Vec<&str> {
        let mut out: Vec<&str> = BUILT_IN_SECTIONS.to_vec();
        for section in self.types.iter().filter_map(|t| t.section.as_deref()) {
            if section != OTHER && !out.contains(&section) {
                out.push(section);
            }
        }
        out.push(OTHER);
        out
    }
}

/// Returns the bump and release type that `commits` add up to for `current`.
///
/// Each commit bumps as `rules` say (breaking changes give `major`); while
/// the version is `0.y.z`, breaking changes and features bump as
/// `rules.initial` says.
pub fn analyze<'a>(
    current: &Version,
    commits: impl IntoIterator<Item = &'a Option<Conventional>>,
    rules: &Rules,
) -> Analysis {
    let initial = rules.initial;
    let mut bump: Option<Level> = None;
    let mut hotfix = false;
    let mut security = false;
    for c in commits {
        let Some(level) = rules.bump_of(c.as_ref()) else { continue };
        // Level orders Major < Minor < Patch, so the smallest is the strongest.
        bump = Some(bump.map_or(level, |b| b.min(level)));
        if let Some(c) = c {
            hotfix |= c.urgency_critical;
            security |= c.is_security();
        }
    }
    let bump = bump.map(|b| match b {
        Level::Major if current.major == 0 => initial.breaking,
        Level::Minor if current.major == 0 => initial.feat,
        b => b,
    });
    let release_type = bump.map(|b| {
        if hotfix {
            ReleaseType::ServiceHotfix
        } else if security {
            ReleaseType::SecurityPatch
        } else {
            match b {
                Level::Major => ReleaseType::PlatformMajor,
                Level::Minor => ReleaseType::PlatformMinor,
                _ => ReleaseType::PlatformPatch,
            }
        }
    });
    Analysis { bump, release_type }
}

#[cfg(test)]
mod tests;
