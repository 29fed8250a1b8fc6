//! Conventional Commits: parsing a message, the bump it asks for, and the
//! release type a set of commits adds up to (SPEC §3.2).
//!
//! A message that is not a Conventional Commit is kept as such and listed,
//! never guessed at.

use serde::Serialize;

use super::version::Level;

/// A commit as the domain sees it: an id and a message, nothing from git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full hex object id.
    pub id: String,
    /// The whole message.
    pub message: String,
    /// `Name <email>` of the author (empty when not read).
    pub author: String,
}

impl Commit {
    /// Returns a commit from its id and message (tests build them directly).
    pub fn new(id: impl Into<String>, message: impl Into<String>) -> Self {
        Self { id: id.into(), message: message.into(), author: String::new() }
    }

    /// Returns the first seven characters of the id.
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }

    /// Returns the first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("").trim_end()
    }

    /// Returns the message after the subject line, trimmed.
    pub fn body(&self) -> &str {
        self.message.split_once('\n').map_or("", |(_, rest)| rest.trim())
    }
}

/// What a Conventional Commit header and footers say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conventional {
    /// The type, lower-cased (`feat`, `fix`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The scope inside the parentheses, if any.
    pub scope: Option<String>,
    /// `!` after the type or a `BREAKING CHANGE:` footer.
    pub breaking: bool,
    /// The summary after `: `.
    pub summary: String,
    /// A `Security:` footer is present.
    #[serde(skip)]
    pub security_footer: bool,
    /// An `Urgency: critical` footer is present.
    #[serde(skip)]
    pub urgency_critical: bool,
}

impl Conventional {
    /// Parses a message; `None` when it is not a Conventional Commit.
    pub fn parse(message: &str) -> Option<Self> {
        let mut lines = message.lines();
        let header = lines.next()?.trim_end();
        let (head, summary) = header.split_once(':')?;
        let summary = summary.strip_prefix(' ')?.trim();
        if summary.is_empty() {
            return None;
        }
        let (head, bang) = match head.strip_suffix('!') {
            Some(head) => (head, true),
            None => (head, false),
        };
        let (kind, scope) = match head.split_once('(') {
            Some((kind, scope)) => {
                let scope = scope.strip_suffix(')')?;
                if scope.is_empty() || scope.contains(['(', ')']) {
                    return None;
                }
                (kind, Some(scope.to_owned()))
            }
            None => (head, None),
        };
        if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        let mut breaking = bang;
        let mut security_footer = false;
        let mut urgency_critical = false;
        for line in lines {
            let Some((token, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            match token {
                "BREAKING CHANGE" | "BREAKING-CHANGE" => breaking = true,
                t if t.eq_ignore_ascii_case("security") => security_footer = true,
                t if t.eq_ignore_ascii_case("urgency") => {
                    urgency_critical |= value.eq_ignore_ascii_case("critical");
                }
                _ => {}
            }
        }
        Some(Self {
            kind: kind.to_ascii_lowercase(),
            scope,
            breaking,
            summary: summary.to_owned(),
            security_footer,
            urgency_critical,
        })
    }

    /// Tells whether this commit is a security change.
    pub fn is_security(&self) -> bool {
        self.kind == "security" || self.scope.as_deref() == Some("security") || self.security_footer
    }

    /// Returns the bump this commit asks for on its own, before the `0.y.z` rule.
    pub fn bump(&self) -> Option<Level> {
        if self.breaking {
            return Some(Level::Major);
        }
        match self.kind.as_str() {
            "feat" => Some(Level::Minor),
            // `security` releases as a patch: a security fix nobody can
            // install is not what its author meant (docs/decisions.md).
            "fix" | "perf" | "security" => Some(Level::Patch),
            _ => None,
        }
    }
}

/// The release type of SPEC §3.2, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseType {
    /// A footer `Urgency: critical`.
    ServiceHotfix,
    /// A security commit.
    SecurityPatch,
    /// A major bump.
    PlatformMajor,
    /// A minor bump.
    PlatformMinor,
    /// A patch bump.
    PlatformPatch,
}

impl ReleaseType {
    /// Returns the snake_case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServiceHotfix => "service_hotfix",
            Self::SecurityPatch => "security_patch",
            Self::PlatformMajor => "platform_major",
            Self::PlatformMinor => "platform_minor",
            Self::PlatformPatch => "platform_patch",
        }
    }
}

/// The outcome of reading a range of commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// The bump, after the `0.y.z` rule; `None` when nothing is releasable.
    pub bump: Option<Level>,
    /// The release type; `None` when nothing is releasable.
    pub release_type: Option<ReleaseType>,
}

/// What a breaking change and a feature bump while the version is `0.y.z`
/// (initial development): SPEC §3.2's rule is `minor` for both, as
/// semantic-release does; cocogitto goes to `1.0.0` on a breaking change
/// (`breaking: major`), and Cargo's convention (release-plz) bumps the
/// patch for a feature (`feat: patch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct InitialDevelopment {
    /// The bump a breaking change gives: `minor` or `major`.
    pub breaking: Level,
    /// The bump a feature gives: `minor` or `patch`.
    pub feat: Level,
}

impl Default for InitialDevelopment {
    fn default() -> Self {
        Self { breaking: Level::Minor, feat: Level::Minor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::{Rules, analyze};
    use crate::domain::version::Version;

    fn parse(m: &str) -> Option<Conventional> {
        Conventional::parse(m)
    }

    #[test]
    fn initial_development_rules_are_configurable() {
        let breaking = vec![parse("feat!: new api")];
        let feat = vec![parse("feat: more")];
        let zero = Version::new(0, 34, 0);
        let cocogitto = InitialDevelopment { breaking: Level::Major, feat: Level::Minor };
        let cargo = InitialDevelopment { breaking: Level::Minor, feat: Level::Patch };
        let with = |initial| Rules::new("chore(release): {tag}", Vec::new(), Vec::new(), initial);
        assert_eq!(analyze(&zero, &breaking, &Rules::default()).bump, Some(Level::Minor));
        assert_eq!(analyze(&zero, &breaking, &with(cocogitto)).bump, Some(Level::Major));
        assert_eq!(analyze(&zero, &feat, &with(cargo)).bump, Some(Level::Patch));
        // From 1.0.0 on, the rules are SemVer's own.
        assert_eq!(analyze(&Version::new(1, 0, 0), &feat, &with(cargo)).bump, Some(Level::Minor));
    }

    #[test]
    fn parses_headers_and_footers() {
        let c = parse("feat(api)!: drop v1").unwrap();
        assert_eq!((c.kind.as_str(), c.scope.as_deref(), c.breaking), ("feat", Some("api"), true));
        assert!(parse("fix: x\n\nBREAKING CHANGE: gone").unwrap().breaking);
        assert!(parse("fix: x\n\nBREAKING-CHANGE: gone").unwrap().breaking);
        assert!(parse("fix: x\n\nUrgency: critical").unwrap().urgency_critical);
        assert!(parse("fix: x\n\nSecurity: CVE-1").unwrap().is_security());
        for not in ["update stuff", "feat:missing space", "feat(): x", "feat: ", "fe at: x", ""] {
            assert_eq!(parse(not), None, "{not:?}");
        }
    }

    #[test]
    fn zero_major_breaking_is_minor() {
        let commits = [parse("feat!: x")];
        let a = analyze(&Version::new(0, 3, 1), &commits, &Rules::default());
        assert_eq!(a.bump, Some(Level::Minor));
        let a = analyze(&Version::new(1, 3, 1), &commits, &Rules::default());
        assert_eq!(
            (a.bump, a.release_type),
            (Some(Level::Major), Some(ReleaseType::PlatformMajor))
        );
    }

    #[test]
    fn nothing_releasable() {
        let commits = [parse("chore: x"), parse("docs: y"), None];
        assert_eq!(analyze(&Version::new(1, 0, 0), &commits, &Rules::default()).bump, None);
    }
}
