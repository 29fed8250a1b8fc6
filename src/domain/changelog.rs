//! Release notes and the changelog (SPEC §3.3).
//!
//! Notes are grouped into sections, each present only when it has entries.
//! The changelog keeps everything that was there: a new section is inserted
//! above the previous newest one, in the file's own line endings.

use std::fmt::Write as _;

use super::commit::{Commit, Conventional};

/// The sections of SPEC §3.3, in the order they are printed.
pub const SECTIONS: [&str; 6] =
    ["Breaking Changes", "New Features", "Improvements", "Bug Fixes", "Security Updates", "Other"];

/// One line of the notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The section heading it belongs under.
    pub section: &'static str,
    /// The commit scope, if any.
    pub scope: Option<String>,
    /// The summary (or the subject line of a non-conventional commit).
    pub summary: String,
    /// The short commit id.
    pub id: String,
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

/// Returns the section a commit belongs under.
fn section_of(conventional: Option<&Conventional>) -> &'static str {
    let Some(c) = conventional else {
        return "Other";
    };
    if c.breaking {
        "Breaking Changes"
    } else if c.is_security() {
        "Security Updates"
    } else {
        match c.kind.as_str() {
            "feat" => "New Features",
            "perf" | "refactor" => "Improvements",
            "fix" => "Bug Fixes",
            _ => "Other",
        }
    }
}

/// Returns the entries for `commits`, newest first as given, leaving out
/// relman's own release commits.
pub fn entries<'a>(
    commits: impl IntoIterator<Item = (&'a Commit, Option<&'a Conventional>)>,
    own: &OwnReleases,
) -> Vec<Entry> {
    commits
        .into_iter()
        .filter_map(|(commit, conv)| {
            if own.matches(commit.subject()) {
                return None;
            }
            let section = section_of(conv);
            Some(Entry {
                section,
                scope: conv.and_then(|c| c.scope.clone()),
                summary: conv.map_or_else(|| commit.subject().to_owned(), |c| c.summary.clone()),
                id: commit.short_id().to_owned(),
            })
        })
        .collect()
}

/// Renders the body of a release's notes: `### Section` blocks of entries.
pub fn render_sections(out: &mut String, entries: &[Entry]) {
    let mut first = true;
    for section in SECTIONS {
        let mut in_section = entries.iter().filter(|e| e.section == section).peekable();
        if in_section.peek().is_none() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        let _ = writeln!(out, "### {section}\n");
        for e in in_section {
            match &e.scope {
                Some(scope) => {
                    let _ = writeln!(out, "- **{scope}:** {} ({})", e.summary, e.id);
                }
                None => {
                    let _ = writeln!(out, "- {} ({})", e.summary, e.id);
                }
            }
        }
    }
    if first {
        out.push_str("No notable changes.\n");
    }
}

/// Renders one release section for a changelog: `## heading` then the notes.
pub fn render_release(heading: &str, entries: &[Entry]) -> String {
    let mut out = format!("## {heading}\n\n");
    render_sections(&mut out, entries);
    out
}

fn is_unreleased_heading(line: &str) -> bool {
    let title = line.trim_start_matches('#').trim().trim_matches(['[', ']']);
    title.to_ascii_lowercase().starts_with("unreleased")
}

/// Returns `existing` with `section` inserted above the newest release.
///
/// The insertion point is the first `## ` heading that is not an
/// "Unreleased" one; without any, the section goes at the end. A missing or
/// empty changelog gets a `# Changelog` title. Line endings follow the file.
pub fn prepend(existing: &str, section: &str) -> String {
    let crlf = existing.contains("\r\n");
    let section = if crlf { section.replace('\n', "\r\n") } else { section.to_owned() };
    let nl = if crlf { "\r\n" } else { "\n" };
    if existing.trim().is_empty() {
        return format!("# Changelog{nl}{nl}{section}");
    }
    let mut offset = 0;
    for line in existing.split_inclusive('\n') {
        if line.starts_with("## ") && !is_unreleased_heading(line) {
            return format!("{}{section}{nl}{}", &existing[..offset], &existing[offset..]);
        }
        offset += line.len();
    }
    let sep = if existing.ends_with("\n\n") || existing.ends_with("\r\n\r\n") {
        ""
    } else if existing.ends_with('\n') {
        nl
    } else {
        // No final newline: end the last line, then leave one blank line.
        if crlf { "\r\n\r\n" } else { "\n\n" }
    };
    format!("{existing}{sep}{section}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn sections_in_order_and_scope_bold() {
        let commits = [
            Commit::new("1111111aaaa", "fix(curve): off by one"),
            Commit::new("2222222bbbb", "feat: tenor"),
            Commit::new("3333333cccc", "tidy up"),
            Commit::new("4444444dddd", "chore(release): v1.0.0"),
        ];
        let conv: Vec<_> = commits.iter().map(|c| Conventional::parse(&c.message)).collect();
        let own = OwnReleases::new("chore(release): {tag}");
        let e = entries(commits.iter().zip(conv.iter().map(Option::as_ref)), &own);
        let mut out = String::new();
        render_sections(&mut out, &e);
        assert_eq!(
            out,
            "### New Features\n\n- tenor (2222222)\n\n### Bug Fixes\n\n- **curve:** off by one (1111111)\n\n### Other\n\n- tidy up (3333333)\n"
        );
    }

    #[test]
    fn prepend_goes_above_newest_and_keeps_crlf() {
        let old = "# Changelog\r\n\r\n## Unreleased\r\n\r\n## 1.0.0\r\n- a\r\n";
        let new = prepend(old, "## 1.1.0\n\n- b\n");
        assert_eq!(
            new,
            "# Changelog\r\n\r\n## Unreleased\r\n\r\n## 1.1.0\r\n\r\n- b\r\n\r\n## 1.0.0\r\n- a\r\n"
        );
        assert_eq!(prepend("", "## 1.0.0\n"), "# Changelog\n\n## 1.0.0\n");
        assert_eq!(prepend("# Changelog\n", "## 1.0.0\n"), "# Changelog\n\n## 1.0.0\n");
    }
}
