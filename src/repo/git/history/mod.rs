//! Reading history: the commits pending for one target or for many, whether
//! commits are ancestors of others, and how objects are read.
//!
//! `pending` is the one call commands make: it picks the walk (one target's
//! range, or one pass over many targets' paths) for them.

mod many;
mod objects;
mod paint;
mod range;
mod topo;
mod trie;

use gix::ObjectId as Oid;

use super::Git;
use crate::domain::commit::Commit;
use crate::domain::tag::TagPattern;
use crate::error::Result;
use crate::repo::{LastRelease, Repo};
use objects::OidMap;
pub(super) use objects::Reader;
pub use paint::Reach;

/// A commit as read from the repository.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    /// Id and message.
    pub commit: Commit,
    /// Number of parents (merges have more than one).
    pub parents: usize,
    /// When it was committed: seconds and the committer's offset in minutes.
    pub time: (i64, i32),
}

/// What `commits_for` reads for one target.
#[derive(Debug, Clone)]
pub struct WalkTarget {
    /// The last release's commit: it and its ancestors are left out.
    pub since: Option<String>,
    /// Only commits changing something under these paths; `None` for all.
    pub paths: Option<Vec<String>>,
}

/// How a walk reads history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Follow only first parents (`history: first-parent`).
    pub first_parent: bool,
    /// The commits read carry their author (`Name <email>`); they do not
    /// otherwise, which spares a walk of a large history the work.
    pub authors: bool,
}

/// One target `pending` reads: its release tags, and the path it watches
/// (`None`: the whole repository).
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// Its name, for warnings.
    pub name: &'a str,
    /// The tags that are its releases.
    pub tags: &'a TagPattern,
    /// Only commits touching this path count.
    pub path: Option<&'a str>,
}

/// For each of `asks`, its last release and the commits since it that
/// touch its path, newest first.
///
/// This picks the walk: one target whose highest tag is in HEAD's history
/// (almost always) is read in one walk of its range, which shows that too.
/// Otherwise one walk finds every target's last release, and one pass
/// reads the commits since for all of them (comparing commits with their
/// parents on a second core while the first walk runs).
pub fn pending(
    repo: &Repo,
    asks: &[Ask<'_>],
    opts: WalkOptions,
) -> Result<Vec<(Option<LastRelease>, Vec<CommitInfo>)>> {
    let paths: Vec<Option<Vec<String>>> =
        asks.iter().map(|a| a.path.and_then(normalise).map(|p| vec![p])).collect();
    warn_missing(repo, asks, &paths)?;
    if let ([ask], [paths]) = (asks, &paths[..])
        && let Some((last, commits)) = last_release_walk(repo, ask.tags, paths.as_deref(), opts)?
    {
        return Ok(vec![(Some(last), commits)]);
    }
    let patterns: Vec<&TagPattern> = asks.iter().map(|a| a.tags).collect();
    let (lasts, commits) = repo.git.commits_for_after(&paths, opts, || {
        let lasts = repo.last_releases(&patterns)?;
        let since = lasts.iter().map(|l| l.as_ref().map(|l| l.commit.clone())).collect();
        Ok((lasts, since))
    })?;
    Ok(lasts.into_iter().zip(commits).collect())
}

/// A path as git reads a pathspec: `.` and empty components dropped, `..`
/// taking the component before it away (`services/../services/db` is
/// `services/db`). `None` for the root itself (`.`): every commit counts.
/// (Paths that climb above the root are refused when the catalog is read.)
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Warns, once for all, about the asks whose path names nothing at HEAD:
/// no commit can count for them until something is there (a path written
/// wrong, or a service not yet added).
fn warn_missing(repo: &Repo, asks: &[Ask<'_>], paths: &[Option<Vec<String>>]) -> Result<()> {
    let watched: Vec<(usize, &str)> = paths
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, p.as_ref()?.first()?.as_str())))
        .collect();
    if watched.is_empty() {
        return Ok(());
    }
    let missing = repo.git.missing_at_head(&watched)?;
    let named: Vec<String> = missing
        .iter()
        .take(5)
        .map(|&i| format!("`{}` (`{}`)", asks[i].name, asks[i].path.unwrap_or_default()))
        .collect();
    let more = match missing.len() {
        n if n > named.len() => format!(" and {} more", n - named.len()),
        _ => String::new(),
    };
    match missing.len() {
        0 => {}
        1 => repo.warn(format!(
            "the path of {} does not exist at HEAD: no commit counts for it until it does",
            named.join(", ")
        )),
        n => repo.warn(format!(
            "the paths of {n} services do not exist at HEAD: no commit counts for them until they do: {}{more}",
            named.join(", ")
        )),
    }
    Ok(())
}

/// For one pattern, its last release and the commits since it under
/// `paths`, read in one walk, when that walk shows the pattern's highest
/// tag to be in HEAD's history, as it almost always is. `None` otherwise
/// (a maintenance branch, a tag on a tree): then `Repo::last_releases`
/// and `Git::commits_for` decide, as for many patterns.
fn last_release_walk(
    repo: &Repo,
    pattern: &TagPattern,
    paths: Option<&[String]>,
    opts: WalkOptions,
) -> Result<Option<(LastRelease, Vec<CommitInfo>)>> {
    let git = &repo.git;
    // The highest version; of equal versions, the last by name (as
    // `last_releases` takes them).
    let Some((version, tag)) = repo.release_tags(pattern)?.max() else { return Ok(None) };
    let Some(commit) = git.tag_commit(tag)?.filter(|c| git.is_commit(c)) else {
        return Ok(None);
    };
    let Some(head) = git.head()? else { return Ok(None) };
    match git.commits_if_ancestor(&commit, opts, paths)? {
        Some(commits) => Ok(Some((LastRelease { tag: tag.clone(), version, commit }, commits))),
        None => {
            // A walk of every parent that did not meet it proves it is
            // not an ancestor: `last_releases` need not ask again.
            if !opts.first_parent {
                repo.not_ancestors.borrow_mut().insert((head, commit));
            }
            Ok(None)
        }
    }
}

/// The parents a walk follows: the first only, with `first_parent`.
pub(super) fn followed(parents: &[Oid], first_parent: bool) -> &[Oid] {
    &parents[..if first_parent { parents.len().min(1) } else { parents.len() }]
}

/// A commit in the date-ordered walk: newest first, then first queued.
pub(super) struct Queued<C> {
    pub(super) time: i64,
    pub(super) seq: u64,
    pub(super) commit: C,
}

impl<C> PartialEq for Queued<C> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}

impl<C> Eq for Queued<C> {}

impl<C> PartialOrd for Queued<C> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<C> Ord for Queued<C> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.time.cmp(&other.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

impl Git {
    /// Returns the commits reachable from `tip` (default HEAD) and not from
    /// `hide`, newest first. With `paths`, keeps only commits that
    /// change something under one of them (compared with the first parent).
    pub fn commits(
        &self,
        tip: Option<&str>,
        hide: Option<&str>,
        opts: WalkOptions,
        paths: Option<&[String]>,
    ) -> Result<Vec<CommitInfo>> {
        let target =
            WalkTarget { since: hide.map(str::to_owned), paths: paths.map(<[String]>::to_vec) };
        Ok(self.commits_for(tip, std::slice::from_ref(&target), opts)?.pop().unwrap_or_default())
    }

    /// Returns, for each target, the commits reachable from HEAD and not
    /// from its `since` commit that touch its paths, newest first, in one
    /// walk of the history whatever the number of targets.
    ///
    /// The walk is topological, so every child comes before its parents: each
    /// commit carries the set of targets for which it is already released
    /// (an ancestor of their `since`), handed down to all its parents. That
    /// is exact on any history, merges included. The walk stops below a
    /// commit every `since` reaches (`common_base`), which all targets have
    /// released.
    ///
    /// With `first_parent`, only the commits of the tip's first-parent line
    /// are candidates, but the marks still go down every parent: a release
    /// tagged on a branch merged back releases the commits of the line it
    /// reaches, as in `git log --first-parent since..tip`.
    pub(super) fn commits_for(
        &self,
        tip: Option<&str>,
        targets: &[WalkTarget],
        opts: WalkOptions,
    ) -> Result<Vec<Vec<CommitInfo>>> {
        self.commits_for_known(tip, targets, opts, OidMap::default)
    }
}
