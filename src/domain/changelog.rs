//! Release notes and the changelog (SPEC §3.3).
//!
//! Notes are grouped into sections, each present only when it has entries.
//! The changelog keeps everything that was there: a new section is inserted
//! above the previous newest one, in the file's own line endings.

use std::fmt::Write as _;

use super::commit::{Commit, Conventional};
use super::rules::{OTHER, Rules};

/// One line of the notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The section heading it belongs under.
    pub section: std::borrow::Cow<'static, str>,
    /// The Conventional Commit type, `None` when the commit is not one.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The commit scope, if any.
    pub scope: Option<String>,
    /// A breaking change.
    pub breaking: bool,
    /// The summary (or the subject line of a non-conventional commit).
    pub summary: String,
    /// The message after the subject line.
    pub body: String,
    /// The full commit id.
    pub id: String,
    /// The first seven characters of the id.
    pub short_id: String,
    /// `Name <email>` of the author.
    pub author: String,
}

impl Entry {
    /// Returns the entry for a commit that is listed.
    pub fn new(commit: &Commit, conventional: Option<&Conventional>, rules: &Rules) -> Self {
        Self {
            section: rules.section(conventional),
            kind: conventional.map(|c| c.kind.clone()),
            scope: conventional.and_then(|c| c.scope.clone()),
            breaking: conventional.is_some_and(|c| c.breaking),
            summary: conventional
                .map_or_else(|| commit.subject().to_owned(), |c| c.summary.clone()),
            body: commit.body().to_owned(),
            id: commit.id.clone(),
            short_id: commit.short_id().to_owned(),
            author: commit.author.clone(),
        }
    }
}

/// Returns the entries for `commits`, newest first as given, leaving out
/// those `rules` skip or omit from notes and relman's own release commits.
pub fn entries<'a>(
    commits: impl IntoIterator<Item = (&'a Commit, Option<&'a Conventional>)>,
    rules: &Rules,
) -> Vec<Entry> {
    commits
        .into_iter()
        .filter(|(commit, conv)| rules.counts(commit) && rules.listed(commit, *conv))
        .map(|(commit, conv)| Entry::new(commit, conv, rules))
        .collect()
}

/// Renders the body of a release's notes: `### Section` blocks of entries,
/// in the order of `sections`. An entry under "Other" keeps its type, as
/// its subject line shows it.
pub fn render_sections(out: &mut String, entries: &[Entry], sections: &[&str]) {
    let mut first = true;
    for section in sections {
        let mut in_section = entries.iter().filter(|e| e.section == *section).peekable();
        if in_section.peek().is_none() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        let _ = writeln!(out, "### {section}\n");
        for e in in_section {
            match (&e.kind, &e.scope) {
                (Some(kind), scope) if *section == OTHER => {
                    let scope = scope.as_ref().map(|s| format!("({s})")).unwrap_or_default();
                    let _ = writeln!(out, "- {kind}{scope}: {} ({})", e.summary, e.short_id);
                }
                (_, Some(scope)) => {
                    let _ = writeln!(out, "- **{scope}:** {} ({})", e.summary, e.short_id);
                }
                (_, None) => {
                    let _ = writeln!(out, "- {} ({})", e.summary, e.short_id);
                }
            }
        }
    }
    if first {
        out.push_str("No notable changes.\n");
    }
}

/// Renders one release section for a changelog: `## heading` then the notes.
pub fn render_release(heading: &str, entries: &[Entry], sections: &[&str]) -> String {
    let mut out = format!("## {heading}\n\n");
    render_sections(&mut out, entries, sections);
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
    fn sections_in_order_and_scope_bold() {
        let commits = [
            Commit::new("1111111aaaa", "fix(curve): off by one"),
            Commit::new("2222222bbbb", "feat: tenor"),
            Commit::new("3333333cccc", "tidy up"),
            Commit::new("4444444dddd", "chore(release): v1.0.0"),
            Commit::new("5555555eeee", "ci(lint): pin clippy"),
        ];
        let conv: Vec<_> = commits.iter().map(|c| Conventional::parse(&c.message)).collect();
        let rules = Rules::default();
        let e = entries(commits.iter().zip(conv.iter().map(Option::as_ref)), &rules);
        let mut out = String::new();
        render_sections(&mut out, &e, &rules.sections());
        assert_eq!(
            out,
            "### New Features\n\n- tenor (2222222)\n\n### Bug Fixes\n\n- **curve:** off by one (1111111)\n\n### Other\n\n- tidy up (3333333)\n- ci(lint): pin clippy (5555555)\n"
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
