//! `relman notes [RANGE]`: release notes in markdown (SPEC §3.3).
//!
//! Without a range: the commits since the last release tag. `FROM..TO` or
//! `FROM` (meaning `FROM..HEAD`) read that range. `--all` reads the whole
//! history and splits it at each release tag, newest first, so it prints a
//! full changelog.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::target::Target;
use crate::cli::NotesArgs;
use crate::domain::changelog::{self, Entry};
use crate::domain::commit::Conventional;
use crate::error::Result;
use crate::output::{Report, Style};
use crate::settings::History;

/// One release's notes.
#[derive(Debug, Serialize)]
pub struct Release {
    /// The release tag, `null` for unreleased commits.
    pub tag: Option<String>,
    /// The entries, newest first.
    pub entries: Vec<Entry>,
}

/// `relman notes` result (schema `relman.notes/1`).
#[derive(Debug, Serialize)]
pub struct NotesReport {
    /// The service, or the project name.
    pub service: String,
    /// The range read, as `FROM..TO` (FROM empty for the first commit).
    pub range: String,
    /// Releases, newest first.
    pub releases: Vec<Release>,
    /// The rendered markdown.
    pub markdown: String,
}

impl Report for NotesReport {
    const SCHEMA: &'static str = "relman.notes/1";
    fn human(&self, w: &mut dyn Write, _: &Style) -> io::Result<()> {
        w.write_all(self.markdown.as_bytes())
    }
}

/// Renders the notes for a range or the whole history.
pub fn run(cx: &Context, args: &NotesArgs) -> Result<NotesReport> {
    let repo = cx.repo()?;
    let own = changelog::OwnReleases::new(&repo.config.commit_message.value);
    let target = Target::resolve_with(repo, args.service.as_deref(), &args.one_off)?;
    let first_parent = repo.config.history.value == History::FirstParent;
    let paths = target.path.as_ref().map(|p| vec![p.clone()]);
    let (from, to) = match (&args.range, args.all) {
        (_, true) => (None, "HEAD".to_owned()),
        (Some(range), false) => match range.split_once("..") {
            Some((from, to)) => (
                Some(from.to_owned()).filter(|f| !f.is_empty()),
                if to.is_empty() { "HEAD".to_owned() } else { to.to_owned() },
            ),
            None => (Some(range.clone()), "HEAD".to_owned()),
        },
        (None, false) => (repo.last_release(&target.tags)?.map(|l| l.tag), "HEAD".to_owned()),
    };
    // An empty repository has nothing to read, whatever the range.
    let tip = if repo.git.head()?.is_some() { Some(repo.git.resolve(&to)?) } else { None };
    let hide = from.as_deref().map(|f| repo.git.resolve(f)).transpose()?;
    let commits =
        repo.git.commits(tip.as_deref(), hide.as_deref(), first_parent, paths.as_deref())?;
    // `--all` splits the history at release tags. A tag may sit on a commit
    // the notes leave out (a merge, or one outside the service's path), so
    // the split walks every commit and only the entries are filtered.
    let every = match (&paths, args.all) {
        (Some(_), true) => {
            Some(repo.git.commits(tip.as_deref(), hide.as_deref(), first_parent, None)?)
        }
        _ => None,
    };
    let history = every.as_deref().unwrap_or(&commits);
    let mut tags =
        if args.all { repo.git.tags_by_commit(target.tags.prefix())? } else { HashMap::new() };
    for names in tags.values_mut() {
        names.retain(|t| !repo.is_ignored_tag(t));
    }
    let kept: HashSet<&str> =
        commits.iter().filter(|c| c.parents <= 1).map(|c| c.commit.id.as_str()).collect();

    let mut releases: Vec<Release> = Vec::new();
    let mut current = Release { tag: None, entries: Vec::new() };
    for info in history {
        let release_tag = tags.get(&info.commit.id).and_then(|names| {
            names.iter().filter_map(|n| Some((target.tags.parse(n)?, n))).max().map(|(_, n)| n)
        });
        if let Some(tag) = release_tag {
            let done = std::mem::replace(
                &mut current,
                Release { tag: Some(tag.clone()), entries: Vec::new() },
            );
            if done.tag.is_some() || !done.entries.is_empty() {
                releases.push(done);
            }
        }
        if kept.contains(info.commit.id.as_str()) {
            let conventional = Conventional::parse(&info.commit.message);
            current
                .entries
                .extend(changelog::entries([(&info.commit, conventional.as_ref())], &own));
        }
    }
    if current.tag.is_some() || !current.entries.is_empty() || releases.is_empty() {
        releases.push(current);
    }
    let mut markdown = String::new();
    for (i, r) in releases.iter().enumerate() {
        if i > 0 {
            markdown.push('\n');
        }
        if args.all {
            markdown.push_str(&format!("## {}\n\n", r.tag.as_deref().unwrap_or("Unreleased")));
        }
        changelog::render_sections(&mut markdown, &r.entries);
    }
    Ok(NotesReport {
        service: target.name,
        range: format!("{}..{to}", from.unwrap_or_default()),
        releases,
        markdown,
    })
}
