//! Many targets at once: one topological walk whose commits carry the set
//! of targets already released, and the comparison of each commit with its
//! first parent along every target's paths in one pruned pass.

use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::ObjectId as Oid;

use super::super::{Git, shallow_error};
use super::objects::{OidMap, Reader, Trees, id as oid};
use super::trie::PathTrie;
use super::{CommitInfo, Queued, WalkOptions, WalkTarget, followed};
use crate::error::{Error, Result};

pub(super) fn trie_of(targets: &[WalkTarget]) -> PathTrie {
    PathTrie::new(
        targets
            .iter()
            .enumerate()
            .flat_map(|(i, t)| t.paths.iter().flatten().map(move |p| (i, p.as_str()))),
    )
}

/// A commit of the topological walk of many targets: its id, root tree,
/// every parent, and whether it may be pending (with first-parent
/// history, only the commits of the tip's first-parent line may).
struct Walked {
    id: Oid,
    tree: Oid,
    parents: Vec<Oid>,
    candidate: bool,
}

/// Compares commits with their first parents along `trie`'s paths, newest
/// first from `tip` (committer time, as the painting goes), until `stop`:
/// what `commits_for` would compute for them, computed while the walk for
/// the last releases runs, with its own reader: an object it cannot read
/// ends it early, and the walk compares the rest.
pub(super) fn compare_ahead(
    reader: Reader,
    tip: Oid,
    shallow: &HashSet<Oid>,
    first_parent: bool,
    trie: &PathTrie,
    stop: &std::sync::atomic::AtomicBool,
) -> OidMap<Vec<usize>> {
    let mut out = OidMap::default();
    let mut trees = Trees::new(reader);
    let mut tree_of: OidMap<Oid> = OidMap::default();
    let mut queue = BinaryHeap::new();
    let mut seq = 0u64;
    let Some(h) = trees.header(tip, shallow) else { return out };
    tree_of.insert(tip, h.tree);
    queue.push(Queued { time: h.time.0, seq, commit: (tip, h) });
    while !stop.load(std::sync::atomic::Ordering::Relaxed)
        && let Some(Queued { commit: (id, header), .. }) = queue.pop()
    {
        for &p in followed(&header.parents, first_parent) {
            if tree_of.contains_key(&p) {
                continue;
            }
            let Some(h) = trees.header(p, shallow) else { return out };
            tree_of.insert(p, h.tree);
            seq += 1;
            queue.push(Queued { time: h.time.0, seq, commit: (p, h) });
        }
        let before = header.parents.first().and_then(|p| tree_of.get(p).copied());
        let Ok(hit) = trees.touched_ids(trie, Some(header.tree), before) else { return out };
        out.insert(id, hit);
    }
    out
}

impl Git {
    /// `commits_for` from HEAD for targets watching `paths`, whose `since`
    /// commits `before` finds (with what else it returns): while it runs
    /// (the walk that finds the last releases, on one core), a second
    /// thread already compares the newest commits with their parents
    /// along those paths, and `commits_for` uses what it compared.
    pub(super) fn commits_for_after<R>(
        &self,
        paths: &[Option<Vec<String>>],
        opts: WalkOptions,
        before: impl FnOnce() -> Result<(R, Vec<Option<String>>)>,
    ) -> Result<(R, Vec<Vec<CommitInfo>>)> {
        let targets = |since: Vec<Option<String>>| -> Vec<WalkTarget> {
            paths
                .iter()
                .zip(since)
                .map(|(p, since)| WalkTarget { since, paths: p.clone() })
                .collect()
        };
        let trie = trie_of(&targets(vec![None; paths.len()]));
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let tip = match self.head()? {
            Some(h) if paths.len() > 1 && !trie.is_empty() && !self.grafts && cores > 1 => oid(&h)?,
            _ => {
                let (r, since) = before()?;
                return Ok((r, self.commits_for(None, &targets(since), opts)?));
            }
        };
        let stop = std::sync::atomic::AtomicBool::new(false);
        let halt = || stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (shallow, reader) = (&self.shallow, self.new_reader());
        std::thread::scope(|scope| {
            let ahead = scope
                .spawn(|| compare_ahead(reader, tip, shallow, opts.first_parent, &trie, &stop));
            // It compares on while the last releases are found and the
            // commits since them listed; it stops on every way out.
            let known = || {
                halt();
                ahead.join().unwrap_or_default()
            };
            let found = before().and_then(|(r, since)| {
                let commits = self.commits_for_known(None, &targets(since), opts, known)?;
                Ok((r, commits))
            });
            halt();
            found
        })
    }

    /// `commits_for`, with the targets that the commits of `known()` touch
    /// already compared (asked once the walk's commits are listed).
    pub(super) fn commits_for_known(
        &self,
        tip: Option<&str>,
        targets: &[WalkTarget],
        opts: WalkOptions,
        known: impl FnOnce() -> OidMap<Vec<usize>>,
    ) -> Result<Vec<Vec<CommitInfo>>> {
        let mut out: Vec<Vec<CommitInfo>> = vec![Vec::new(); targets.len()];
        let tip = match tip {
            Some(t) => oid(t)?,
            None => match self.head()? {
                Some(h) => oid(&h)?,
                None => return Ok(out),
            },
        };
        if targets.is_empty() {
            return Ok(out);
        }
        let since: Vec<Option<Oid>> = targets
            .iter()
            .map(|t| t.since.as_deref().map(oid).transpose())
            .collect::<Result<_>>()?;
        let words = targets.len().div_ceil(64);
        let mut released: HashMap<Oid, Vec<u64>> = HashMap::new();
        for (i, s) in since.iter().enumerate() {
            if let Some(s) = s {
                released.entry(*s).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
            }
        }
        // One target needs no propagation: the walk's own `hide` is exact.
        let single = targets.len() == 1;
        let trie = trie_of(targets);
        let mut trees = self.trees();
        if single {
            let all = targets[0].paths.is_none();
            out[0] = self.commits_single(tip, since[0], opts, all, &trie, &mut trees)?.1;
            return Ok(out);
        }
        // Every parent is walked: what a `since` reaches through a merge's
        // other parents is released, whichever history is read.
        let all_since: Vec<Oid> = since.iter().flatten().copied().collect();
        // Below a commit every `since` reaches, nothing is pending for anyone.
        let base = match all_since.len() == targets.len() {
            true => self.common_base(&all_since)?,
            false => None,
        };
        let walk = self.topological(tip, base)?;
        // Targets watching everything take every pending commit.
        let everything: Vec<usize> =
            targets.iter().enumerate().filter(|(_, t)| t.paths.is_none()).map(|(i, _)| i).collect();
        // The walk's commits, then what each changes along the watched
        // paths (on two cores for a long walk), then the sets handed down.
        let mut walked: Vec<Walked> = Vec::new();
        let mut tree_of: OidMap<Oid> = OidMap::default();
        // The first-parent line: each of its commits, met after its child
        // on the line (the walk is topological), names the next one.
        let mut line: HashSet<Oid> = HashSet::from([tip]);
        for (id, header) in walk {
            tree_of.insert(id, header.tree);
            let parents = header.parents;
            let candidate = !opts.first_parent || line.remove(&id);
            if opts.first_parent
                && candidate
                && let Some(&p) = parents.first()
            {
                line.insert(p);
            }
            walked.push(Walked { id, tree: header.tree, parents, candidate });
        }
        let mut pairs = Vec::with_capacity(walked.len());
        for w in walked.iter().filter(|w| w.candidate) {
            let before = match w.parents.first() {
                Some(p) => match tree_of.get(p) {
                    Some(t) => Some(*t),
                    None => Some(self.load(*p)?.header.tree),
                },
                None => None,
            };
            pairs.push((Some(w.tree), before));
        }
        drop(tree_of);
        // The commits compared ahead are not compared again.
        let mut known = known();
        let mut ahead: Vec<Option<Vec<usize>>> = walked
            .iter()
            .map(|w| if w.candidate { known.remove(&w.id) } else { Some(Vec::new()) })
            .collect();
        drop(known);
        let todo: Vec<_> = pairs
            .iter()
            .zip(ahead.iter().zip(&walked).filter(|(_, w)| w.candidate))
            .filter(|(_, (a, _))| a.is_none())
            .map(|(p, _)| *p)
            .collect();
        let mut touched = self.touched_all(&trie, &todo, trees)?.into_iter();
        let empty = vec![0u64; words];
        for (k, Walked { id, parents, candidate, .. }) in walked.into_iter().enumerate() {
            let mut hit = match ahead[k].take() {
                Some(hit) => hit,
                None => touched.next().unwrap_or_default(),
            };
            let done = released.remove(&id);
            let done = done.as_ref().unwrap_or(&empty);
            let pending = |i: usize| done[i / 64] & (1 << (i % 64)) == 0;
            let released_here: usize = done.iter().map(|w| w.count_ones() as usize).sum();
            if candidate && released_here < targets.len() {
                if self.shallow.contains(&id) {
                    return Err(shallow_error("the commits since the last release"));
                }
                hit.extend(&everything);
                hit.sort_unstable();
                hit.dedup();
                hit.retain(|&i| pending(i));
                if !hit.is_empty() {
                    let info = self.info_loaded(&self.load(id)?, opts.authors)?;
                    for i in hit {
                        out[i].push(info.clone());
                    }
                }
            }
            if released_here > 0 {
                for p in parents {
                    let set = released.entry(p).or_insert_with(|| vec![0; words]);
                    for (w, d) in set.iter_mut().zip(done) {
                        *w |= d;
                    }
                }
            }
        }
        Ok(out)
    }

    /// For each pair of root trees `(now, before)`, the targets of `trie`
    /// whose paths differ between them. A long list is cut in two, and the
    /// second half compared on a second thread with its own reader;
    /// `trees` compares the first.
    pub(super) fn touched_all(
        &self,
        trie: &PathTrie,
        pairs: &[(Option<Oid>, Option<Oid>)],
        mut trees: Trees,
    ) -> Result<Vec<Vec<usize>>> {
        /// Below this many commits a second thread costs more than it saves.
        const SPLIT: usize = 1_000;
        let compare = |trees: &mut Trees, pairs: &[(Option<Oid>, Option<Oid>)]| {
            pairs.iter().map(|&(now, before)| trees.touched_ids(trie, now, before)).collect()
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if trie.is_empty() || pairs.len() < SPLIT || cores < 2 {
            return compare(&mut trees, pairs);
        }
        let (first, second) = pairs.split_at(pairs.len() / 2);
        let reader = self.new_reader();
        std::thread::scope(|scope| {
            let later = scope.spawn(move || -> Result<Vec<Vec<usize>>> {
                compare(&mut Trees::new(reader), second)
            });
            let mut out: Vec<Vec<usize>> = compare(&mut trees, first)?;
            let rest = later
                .join()
                .unwrap_or_else(|_| Err(Error::refused("comparing trees stopped unexpectedly")))?;
            out.extend(rest);
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Runs git in `dir` and returns its output as text.
    fn git(dir: &Path, args: &[&str], input: Option<&str>) -> String {
        String::from_utf8(crate::repo::run_git(dir, args, input.map(str::as_bytes))).unwrap()
    }

    /// A history of 240 commits by fast-import: files in and out of the
    /// watched paths, a branch merged back twice (the merges bring changes
    /// of their own), and commits with equal times.
    fn merged_history() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"], None);
        let files = ["a/x.txt", "b/sub/y.txt", "b/other.txt", "c", "d/w.txt"];
        let mut s = String::new();
        let mut mark = 0u32;
        let mut topic = None;
        for i in 0..240u32 {
            mark += 1;
            let on_topic = (50..80).contains(&i) || (150..170).contains(&i);
            let branch = if on_topic { "topic" } else { "main" };
            if on_topic && topic.is_none() {
                s += &format!("reset refs/heads/topic\nfrom :{}\n\n", mark - 1);
            }
            s += &format!(
                "commit refs/heads/{branch}\nmark :{mark}\ncommitter T <t@x> {} +0000\ndata 4\nc{:02}\n",
                1_700_000_000 + i / 3,
                i % 100
            );
            if on_topic {
                topic = Some(mark);
            } else if let Some(t) = topic.take() {
                s += &format!("merge :{t}\n");
            }
            for (k, f) in files.iter().enumerate() {
                if (i as usize + k).is_multiple_of(k + 2) {
                    s += &format!("M 100644 inline {f}\ndata <<E\n{i}\nE\n");
                }
            }
            s += "\n";
        }
        git(dir.path(), &["fast-import", "--quiet"], Some(&s));
        git(dir.path(), &["checkout", "-q", "main"], None);
        dir
    }

    #[test]
    fn commits_compared_ahead_are_compared_as_git_compares_them() {
        let dir = merged_history();
        let paths = ["a", "b/sub", "c", "b/sub/y.txt"];
        let trie = PathTrie::new(paths.iter().enumerate().map(|(i, p)| (i, *p)));
        let tip = oid(git(dir.path(), &["rev-parse", "HEAD"], None).trim()).unwrap();
        let go = std::sync::atomic::AtomicBool::new(false);
        let none = HashSet::new();
        let shared = gix::open(dir.path()).unwrap().into_sync();
        let packs = || Reader::new(&shared, false);
        for first_parent in [false, true] {
            let ahead = compare_ahead(packs(), tip, &none, first_parent, &trie, &go);
            // git: each commit's files against its first parent.
            let mut walk = vec!["log", "--format=>%H", "--name-only", "--diff-merges=first-parent"];
            if first_parent {
                walk.push("--first-parent");
            }
            let log = git(dir.path(), &walk, None);
            let mut want: Vec<(String, Vec<usize>)> = Vec::new();
            for line in log.lines().filter(|l| !l.is_empty()) {
                match line.strip_prefix('>') {
                    Some(id) => want.push((id.to_owned(), Vec::new())),
                    None => {
                        let hits = &mut want.last_mut().unwrap().1;
                        for (i, p) in paths.iter().enumerate() {
                            if (line == *p || line.starts_with(&format!("{p}/")))
                                && !hits.contains(&i)
                            {
                                hits.push(i);
                            }
                        }
                    }
                }
            }
            assert_eq!(ahead.len(), want.len(), "first parent: {first_parent}");
            assert!(
                want.iter().any(|(_, h)| h.is_empty()) && want.iter().any(|(_, h)| h.len() > 1)
            );
            for (id, mut hits) in want {
                let mut got = ahead[&oid(&id).unwrap()].clone();
                got.sort_unstable();
                got.dedup();
                hits.sort_unstable();
                assert_eq!(got, hits, "{id}, first parent: {first_parent}");
            }
        }
        // Told to stop before it starts, it compares nothing.
        let stop = std::sync::atomic::AtomicBool::new(true);
        assert!(compare_ahead(packs(), tip, &none, false, &trie, &stop).is_empty());
    }

    /// The walk of many lists commits in the order libgit2's topological
    /// revision walk gave them (which relman used before gix), hidden base
    /// or not: the commits listed for each target keep their order.
    #[test]
    fn the_topological_walk_keeps_libgit2s_order() {
        let dir = merged_history();
        // A clock that goes back on a side branch, merged in.
        let skewed = "commit refs/heads/main\ncommitter T <t@x> 1600000000 +0000\ndata 2\nx\nfrom refs/heads/main^0\n\n";
        git(dir.path(), &["fast-import", "--quiet", "--force"], Some(skewed));
        let git_ = Git::discover(dir.path()).unwrap();
        let repo = git2::Repository::open(dir.path()).unwrap();
        let tip = git(dir.path(), &["rev-parse", "HEAD"], None);
        let all = git(dir.path(), &["rev-list", "--all"], None);
        let hides: Vec<Option<&str>> =
            std::iter::once(None).chain(all.lines().step_by(37).map(Some)).collect();
        for hide in hides {
            let mut walk = repo.revwalk().unwrap();
            walk.set_sorting(git2::Sort::TOPOLOGICAL).unwrap();
            walk.push(git2::Oid::from_str(tip.trim()).unwrap()).unwrap();
            if let Some(h) = hide {
                walk.hide(git2::Oid::from_str(h).unwrap()).unwrap();
            }
            let want: Vec<String> = walk.map(|c| c.unwrap().to_string()).collect();
            let got: Vec<String> = git_
                .topological(oid(tip.trim()).unwrap(), hide.map(|h| oid(h).unwrap()))
                .unwrap()
                .into_iter()
                .map(|(id, _)| id.to_string())
                .collect();
            assert_eq!(got, want, "hide {hide:?}");
        }
    }
}
