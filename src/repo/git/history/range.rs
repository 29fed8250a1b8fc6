//! One target's range: the commits of `since..tip`, newest first, as
//! `git log` prints them, and walks along the first-parent line.

use std::collections::BinaryHeap;

use gix::ObjectId as Oid;

use super::super::{Git, shallow_error};
use super::many::trie_of;
use super::objects::{Loaded, OidMap, Trees, id as oid};
use super::trie::PathTrie;
use super::{CommitInfo, Queued, WalkOptions, WalkTarget, followed};
use crate::error::Result;

impl Git {
    /// Visits the commits reachable from `tip` and not from `hide`, newest
    /// first, in the order `git log hide..tip` prints them: committer time,
    /// and among equal times the order they were reached (libgit2's own
    /// time sort is not stable there). Each object is read once.
    ///
    /// Like git, a commit is left out when `hide` reaches it, even if the
    /// walk met it first (a clock that went backwards); it stops a few
    /// commits after only hidden ones are left. A commit whose parents a
    /// shallow clone cut off cannot be walked past: that is an error.
    ///
    /// Returns whether the walk met `hide` as the parent of a commit it
    /// keeps (or as `tip`), which proves `hide` an ancestor of `tip`.
    /// Every commit between them is kept, so when `hide` is an ancestor
    /// through the parents walked, the walk meets it.
    pub(super) fn walk_range(
        &self,
        tip: Oid,
        hide: Option<Oid>,
        first_parent: bool,
        mut visit: impl FnMut(&Loaded) -> Result<()>,
    ) -> Result<bool> {
        // Hidden: reachable from `hide`. Every commit seen is in the map.
        let mut hidden: OidMap<bool> = OidMap::default();
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        let mut queued = |id: Oid| self.queued(&mut seq, id);
        let mut kept: Vec<Loaded> = Vec::new();
        let mut met = hide == Some(tip);
        if let Some(h) = hide {
            hidden.insert(h, true);
            queue.push(queued(h)?);
        }
        if let gix::hashtable::hash_map::Entry::Vacant(e) = hidden.entry(tip) {
            e.insert(false);
            queue.push(queued(tip)?);
        }
        let mut slop = 5;
        while let Some(Queued { commit, .. }) = queue.pop() {
            let id = commit.id;
            if hidden.get(&id) == Some(&true) {
                // Mark everything below as hidden, the commits seen included.
                let mut stack: Vec<Oid> = commit.header.parents.clone();
                while let Some(p) = stack.pop() {
                    match hidden.insert(p, true) {
                        None => queue.push(queued(p)?),
                        Some(false) => {
                            if let Ok(c) = self.load(p) {
                                stack.extend(c.header.parents);
                            }
                        }
                        Some(true) => {}
                    }
                }
                if queue.iter().all(|q| hidden.get(&q.commit.id) == Some(&true)) {
                    slop -= 1;
                    if slop == 0 {
                        break;
                    }
                }
                continue;
            }
            slop = 5;
            if self.shallow.contains(&id) {
                return Err(shallow_error("the commits since the last release"));
            }
            let parents = &commit.header.parents;
            met |= hide.is_some_and(|h| parents.contains(&h));
            for &p in followed(parents, first_parent) {
                if let gix::hashtable::hash_map::Entry::Vacant(e) = hidden.entry(p) {
                    e.insert(false);
                    queue.push(queued(p)?);
                }
            }
            if hide.is_some() {
                kept.push(commit);
            } else {
                visit(&commit)?;
            }
        }
        for commit in kept {
            if hidden.get(&commit.id) != Some(&true) {
                visit(&commit)?;
            }
        }
        Ok(met)
    }

    /// The commits of `since..tip` (`all`, or those that change something
    /// `trie` watches), and whether the walk met `since` (see `walk_range`).
    pub(super) fn commits_single(
        &self,
        tip: Oid,
        since: Option<Oid>,
        opts: WalkOptions,
        all: bool,
        trie: &PathTrie,
        trees: &mut Trees,
    ) -> Result<(bool, Vec<CommitInfo>)> {
        let mut out = Vec::new();
        let met = self.walk_range(tip, since, opts.first_parent, |commit| {
            let mut touches = || -> Result<bool> {
                let before = match commit.header.parents.first() {
                    Some(&p) => Some(self.load(p)?.header.tree),
                    None => None,
                };
                Ok(!trees.touched_ids(trie, Some(commit.header.tree), before)?.is_empty())
            };
            if all || touches()? {
                out.push(self.info_loaded(commit, opts.authors)?);
            }
            Ok(())
        })?;
        Ok((met, out))
    }

    /// The commits of `since..HEAD` under `paths` (all with `None`), newest
    /// first, when the walk shows `since` to be an ancestor of HEAD: one
    /// walk where `last_releases` and `commits` take two. `None` when it
    /// does not (then ask them).
    pub(super) fn commits_if_ancestor(
        &self,
        since: &str,
        opts: WalkOptions,
        paths: Option<&[String]>,
    ) -> Result<Option<Vec<CommitInfo>>> {
        let Some(head) = self.head()? else { return Ok(None) };
        let target = WalkTarget { since: None, paths: paths.map(<[String]>::to_vec) };
        let trie = trie_of(std::slice::from_ref(&target));
        let mut trees = self.trees();
        let (tip, since) = (oid(&head)?, Some(oid(since)?));
        let (met, out) =
            self.commits_single(tip, since, opts, paths.is_none(), &trie, &mut trees)?;
        Ok(met.then_some(out))
    }

    /// Returns a commit's first parent.
    pub fn first_parent(&self, commit: &str) -> Result<Option<String>> {
        Ok(self.load(oid(commit)?)?.header.parents.first().map(ToString::to_string))
    }

    /// Returns the commit of HEAD's first-parent history whose first parent
    /// is `start`, if any (the release commit a train made on top of it).
    pub fn first_parent_child(&self, start: &str) -> Result<Option<String>> {
        let start = oid(start)?;
        let Some(head) = self.head()? else { return Ok(None) };
        let mut at = self.load(oid(&head)?)?;
        loop {
            let Some(&parent) = at.header.parents.first() else { return Ok(None) };
            if parent == start {
                return Ok(Some(at.id.to_string()));
            }
            if at.id == start {
                return Ok(None);
            }
            if self.shallow.contains(&at.id) {
                return Err(shallow_error("where an interrupted train release started"));
            }
            at = self.load(parent)?;
        }
    }
}
