//! `relman notes [RANGE]`: release notes in markdown (SPEC §3.3).
//!
//! Without a range: the commits since the last release tag, as `create`
//! would write them. `FROM..TO` or `FROM` (meaning `FROM..HEAD`) read that
//! range. `--all` reads the whole history and splits it at each release
//! tag, newest first, so it prints a full changelog. `--template` renders
//! them through a built-in or a user's minijinja template instead.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use super::target::{Pending, Target};
use crate::cli::NotesArgs;
use crate::config::History;
use crate::domain::changelog::{self, Entry};
use crate::domain::commit::Conventional;
use crate::domain::rules::Rules;
use crate::error::{Error, Result};
use crate::output::template::{self, Source};
use crate::output::{Report, Style};
use crate::repo::Repo;
use crate::repo::git::{CommitInfo, WalkOptions};

/// One release's notes.
#[derive(Debug, Serialize)]
pub struct Release {
    /// The release tag, `null` for unreleased commits.
    pub tag: Option<String>,
    /// The version: the tag's, or for the commits since the last release
    /// the one `create` would make (`null` when nothing is releasable).
    pub version: Option<String>,
    /// The version before it, `null` for the first.
    pub previous: Option<String>,
    /// The release date (`YYYY-MM-DD`): the tag's, or today's.
    pub date: Option<String>,
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
    /// The template rendered, `null` for the default format.
    pub template: Option<String>,
    /// Releases, newest first.
    pub releases: Vec<Release>,
    /// The rendered notes.
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
    let rules = repo.config.rules();
    // Authors are read only where they are shown or matched.
    let authors = cx.global.format == crate::cli::Format::Json
        || args.template.is_some()
        || rules.needs_authors();
    // Read first: a missing template is found before any history is read.
    let source = args.template.as_deref().map(template_source).transpose()?;
    let target = Target::resolve_with(repo, args.service.as_deref(), &args.one_off)?;
    let today = cx.global.now.format("%Y-%m-%d").to_string();
    let (range, releases) = if args.range.is_none() && !args.all {
        since_last_release(repo, &target, &rules, today, authors)?
    } else {
        history(repo, &target, &rules, args, authors)?
    };
    let markdown = match &source {
        Some(source) => {
            let views: Vec<template::Release<'_>> = releases
                .iter()
                .map(|r| template::Release {
                    version: r.version.as_deref(),
                    tag: r.tag.as_deref(),
                    previous: r.previous.as_deref(),
                    date: r.date.as_deref(),
                    sections: template::sections(&r.entries, &rules.sections()),
                    entries: &r.entries,
                })
                .collect();
            let context = template::Context {
                name: &target.name,
                all: args.all,
                release: &views[0],
                releases: &views,
            };
            template::render(source, &context)?
        }
        None => markdown(&releases, &rules, args.all),
    };
    Ok(NotesReport {
        service: target.name,
        range,
        template: source.map(|s| s.name),
        releases,
        markdown,
    })
}

/// Finds `--template NAME|FILE`: a built-in name, else a file.
fn template_source(name: &str) -> Result<Source> {
    if let Some(source) = Source::built_in(name) {
        return Ok(source);
    }
    let names: Vec<&str> = template::BUILT_IN.iter().map(|(n, _)| *n).collect();
    match crate::files::read_text(std::path::Path::new(name), name)? {
        Some(text) => Ok(Source { name: name.to_owned(), text }),
        None => Err(Error::input(format!("no built-in template and no file named `{name}`"))
            .hint(format!("the built-in templates are {}", names.join(", ")))),
    }
}

/// The default: what `create` would release now.
fn since_last_release(
    repo: &Repo,
    target: &Target,
    rules: &Rules,
    today: String,
    authors: bool,
) -> Result<(String, Vec<Release>)> {
    let pending = Pending::read_authored(repo, target, authors)?;
    let last = pending.last.as_ref();
    let release = Release {
        tag: None,
        version: pending.next().map(|v| v.to_string()),
        previous: last.map(|l| l.version.to_string()),
        date: Some(today),
        entries: pending.entries(rules),
    };
    let from = last.map(|l| l.tag.clone()).unwrap_or_default();
    Ok((format!("{from}..HEAD"), vec![release]))
}

/// A range, or with `--all` the whole history split at release tags.
fn history(
    repo: &Repo,
    target: &Target,
    rules: &Rules,
    args: &NotesArgs,
    authors: bool,
) -> Result<(String, Vec<Release>)> {
    let opts =
        WalkOptions { first_parent: repo.config.history.value == History::FirstParent, authors };
    let paths = target.path.as_ref().map(|p| vec![p.clone()]);
    let (from, to) = match &args.range {
        Some(range) if !args.all => match range.split_once("..") {
            Some((from, to)) => (
                Some(from.to_owned()).filter(|f| !f.is_empty()),
                if to.is_empty() { "HEAD".to_owned() } else { to.to_owned() },
            ),
            None => (Some(range.clone()), "HEAD".to_owned()),
        },
        _ => (None, "HEAD".to_owned()),
    };
    // An empty repository has nothing to read, whatever the range.
    let tip = if repo.git.head()?.is_some() { Some(repo.git.resolve(&to)?) } else { None };
    let hide = from.as_deref().map(|f| repo.git.resolve(f)).transpose()?;
    let commits = repo.git.commits(tip.as_deref(), hide.as_deref(), opts, paths.as_deref())?;
    // `--all` splits the history at release tags. A tag may sit on a commit
    // the notes leave out (a merge, or one outside the service's path), so
    // the split walks every commit and only the entries are filtered.
    let every = match (&paths, args.all) {
        (Some(_), true) => Some(repo.git.commits(tip.as_deref(), hide.as_deref(), opts, None)?),
        _ => None,
    };
    let history: &[CommitInfo] = every.as_deref().unwrap_or(&commits);
    let mut tags: HashMap<String, Vec<String>> = if args.all {
        repo.git.tags_by_commit(target.tags.prefix())?
    } else {
        // A range ending at a release reports that release.
        let mut at_tip = HashMap::new();
        if let (Some(tip), Some(first)) = (&tip, history.first())
            && first.commit.id == *tip
        {
            let names = repo.git.tags_by_commit(target.tags.prefix())?.remove(tip);
            at_tip.extend(names.map(|n| (tip.clone(), n)));
        }
        at_tip
    };
    for names in tags.values_mut() {
        names.retain(|t| !repo.is_ignored_tag(t));
    }
    let kept: HashSet<&str> =
        commits.iter().filter(|c| c.parents <= 1).map(|c| c.commit.id.as_str()).collect();

    let mut releases: Vec<Release> = Vec::new();
    let mut current =
        Release { tag: None, version: None, previous: None, date: None, entries: Vec::new() };
    for info in history {
        let release_tag = tags
            .get(&info.commit.id)
            .and_then(|names| names.iter().filter_map(|n| Some((target.tags.parse(n)?, n))).max());
        if let Some((version, tag)) = release_tag {
            // The release commit's date, as git-cliff dates a release; for
            // relman's own releases it is the moment of the release.
            let (seconds, offset) = info.time;
            let date = chrono::FixedOffset::east_opt(offset * 60).and_then(|zone| {
                let at = chrono::DateTime::from_timestamp(seconds, 0)?.with_timezone(&zone);
                Some(at.format("%Y-%m-%d").to_string())
            });
            let done = std::mem::replace(
                &mut current,
                Release {
                    tag: Some(tag.clone()),
                    version: Some(version.to_string()),
                    previous: None,
                    date,
                    entries: Vec::new(),
                },
            );
            if done.tag.is_some() || !done.entries.is_empty() {
                releases.push(done);
            }
        }
        if kept.contains(info.commit.id.as_str()) && rules.counts(&info.commit) {
            let conventional = Conventional::parse(&info.commit.message);
            if rules.listed(&info.commit, conventional.as_ref()) {
                current.entries.push(Entry::new(&info.commit, conventional.as_ref(), rules));
            }
        }
    }
    if current.tag.is_some() || !current.entries.is_empty() || releases.is_empty() {
        releases.push(current);
    }
    // Each release follows the next older one; a range's start is a
    // release when it parses as one.
    let start = from.as_deref().and_then(|f| target.tags.parse(f)).map(|v| v.to_string());
    for i in 0..releases.len() {
        let older = releases.get(i + 1).and_then(|r| r.version.clone());
        releases[i].previous =
            older.or_else(|| if i + 1 == releases.len() { start.clone() } else { None });
    }
    Ok((format!("{}..{to}", from.unwrap_or_default()), releases))
}

/// The default format: `### Section` blocks, and with `--all` a heading
/// per release with its date, as the changelog has.
fn markdown(releases: &[Release], rules: &Rules, all: bool) -> String {
    let sections = rules.sections();
    let mut out = String::new();
    for (i, r) in releases.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if all {
            match (&r.version, &r.date) {
                (Some(v), Some(d)) if r.tag.is_some() => out.push_str(&format!("## {v} ({d})\n\n")),
                (Some(v), None) if r.tag.is_some() => out.push_str(&format!("## {v}\n\n")),
                _ => out.push_str("## Unreleased\n\n"),
            }
        }
        changelog::render_sections(&mut out, &r.entries, &sections);
    }
    out
}
