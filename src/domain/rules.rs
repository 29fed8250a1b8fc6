//! Which commits count and where they go: relman.yaml's `commits:` section
//! (commits to skip, extra types with their section and bump, the `0.y.z`
//! rule) and relman's own release commits.

use std::borrow::Cow;

use super::commit::{Commit, Conventional, InitialDevelopment};
use super::version::Level;

/// The sections of SPEC §3.3 that come before any a `commits.types` entry
/// adds; "Other" always comes last.
pub const BUILT_IN_SECTIONS: [&str; 5] =
    ["Breaking Changes", "New Features", "Improvements", "Bug Fixes", "Security Updates"];

/// The section of commits no rule places.
pub const OTHER: &str = "Other";

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Never releases on its own.
    None,
    /// A patch.
    Patch,
    /// A minor release.
    Minor,
    /// A major release.
    Major,
}

impl Bump {
    fn level(self) -> Option<Level> {
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
        Self { own: OwnReleases::new(commit_message), skip, types, initial }
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
    /// release commits are not.
    pub fn listed(&self, commit: &Commit) -> bool {
        !self.own.matches(commit.subject())
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
            None => c.bump(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(subject: &str, author: &str) -> Commit {
        let mut c = Commit::new("1234567890", subject);
        c.author = author.to_owned();
        c
    }

    #[test]
    fn own_release_commits_follow_the_message_pattern() {
        let own = OwnReleases::new("chore(release): {tag}");
        assert!(own.matches("chore(release): v1.2.0"));
        assert!(!own.matches("chore(release): "));
        assert!(!own.matches("release: v1.2.0"));
        let own = OwnReleases::new("release {version} ({tag})");
        assert!(own.matches("release 1.2.0 (v1.2.0)"));
        assert!(!own.matches("release 1.2.0"));
    }

    #[test]
    fn skip_needs_every_given_pattern() {
        let rules = Rules::new(
            "chore(release): {tag}",
            vec![
                Skip { subject: Some("release: v*".into()), author: None },
                Skip { subject: Some("fix(deps):*".into()), author: Some("*[bot]*".into()) },
            ],
            Vec::new(),
            InitialDevelopment::default(),
        );
        assert!(!rules.counts(&commit("release: v8.2.2", "A <a@x>")));
        assert!(!rules.counts(&commit("fix(deps): bump x", "dependabot[bot] <b@x>")));
        assert!(rules.counts(&commit("fix(deps): bump x", "A <a@x>")));
        assert!(rules.counts(&commit("fix: x", "dependabot[bot] <b@x>")));
        assert!(!rules.listed(&commit("chore(release): v1.0.0", "A <a@x>")));
    }

    #[test]
    fn types_set_section_and_bump() {
        let rules = Rules::new(
            "chore(release): {tag}",
            Vec::new(),
            vec![
                TypeRule {
                    name: "deps".into(),
                    section: Some("Dependencies".into()),
                    bump: Some(Bump::Patch),
                },
                TypeRule { name: "perf".into(), section: None, bump: Some(Bump::None) },
                TypeRule { name: "docs".into(), section: Some("Documentation".into()), bump: None },
            ],
            InitialDevelopment::default(),
        );
        let parse = |m| Conventional::parse(m).unwrap();
        assert_eq!(rules.bump(&parse("deps: bump x")), Some(Level::Patch));
        assert_eq!(rules.section(Some(&parse("deps: bump x"))), "Dependencies");
        assert_eq!(rules.bump(&parse("perf: faster")), None);
        assert_eq!(rules.section(Some(&parse("perf: faster"))), "Improvements");
        assert_eq!(rules.bump(&parse("docs: x")), None);
        // A breaking change is breaking whatever its type.
        assert_eq!(rules.bump(&parse("deps!: drop x")), Some(Level::Major));
        assert_eq!(rules.section(Some(&parse("deps!: drop x"))), "Breaking Changes");
        assert_eq!(
            rules.sections(),
            [
                "Breaking Changes",
                "New Features",
                "Improvements",
                "Bug Fixes",
                "Security Updates",
                "Dependencies",
                "Documentation",
                "Other"
            ]
        );
    }
}
