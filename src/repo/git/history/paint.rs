//! Merge-base painting: which candidates are ancestors of a tip, and a
//! commit that every one of some commits reaches.

use std::collections::{BinaryHeap, HashMap};

use gix::ObjectId as Oid;

use super::super::Git;
use super::Queued;
use super::objects::{Loaded, OidMap, id as oid};
use crate::error::Result;

fn get_bit(bits: &[u64], b: usize) -> bool {
    bits[b / 64] & (1 << (b % 64)) != 0
}

fn set_bit(bits: &mut [u64], b: usize) {
    bits[b / 64] |= 1 << (b % 64);
}

fn clear_bit(bits: &mut [u64], b: usize) {
    bits[b / 64] &= !(1 << (b % 64));
}

/// Whether a commit carrying `f` can still lead the tip to an undecided
/// candidate (`want`): it is reachable from the tip (bit 0) and not from
/// some undecided candidate, since a commit below a candidate cannot lie
/// above it.
fn leads(f: &[u64], want: &[u64]) -> bool {
    get_bit(f, 0) && f.iter().zip(want).any(|(x, w)| w & !x != 0)
}

/// The paint of `Git::reachable` and `Git::common_base`: for every commit met, its bits and
/// whether it is queued, in flat vectors (one slot per commit).
struct Paint {
    words: usize,
    slot_of: OidMap<usize>,
    bits: Vec<u64>,
    queued: Vec<bool>,
}

impl Paint {
    fn new(words: usize) -> Self {
        Self { words, slot_of: OidMap::default(), bits: Vec::new(), queued: Vec::new() }
    }

    fn slot(&mut self, id: Oid) -> usize {
        let (bits, queued, words) = (&mut self.bits, &mut self.queued, self.words);
        *self.slot_of.entry(id).or_insert_with(|| {
            bits.extend(std::iter::repeat_n(0, words));
            queued.push(false);
            queued.len() - 1
        })
    }

    fn bits(&self, s: usize) -> &[u64] {
        &self.bits[s * self.words..(s + 1) * self.words]
    }

    fn bits_mut(&mut self, s: usize) -> &mut [u64] {
        &mut self.bits[s * self.words..(s + 1) * self.words]
    }

    fn count_live(&self, queue: &BinaryHeap<Queued<Loaded>>, want: &[u64]) -> usize {
        queue
            .iter()
            .filter(|q| self.slot_of.get(&q.commit.id).is_some_and(|&s| leads(self.bits(s), want)))
            .count()
    }
}

/// Whether a commit is HEAD or one of its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// It is.
    Yes,
    /// It is not.
    No,
    /// A shallow clone cut the history that would tell.
    Unknown,
}

impl Git {
    /// A commit that every one of `commits` reaches (itself or an
    /// ancestor), found by painting them down the history newest first:
    /// the first commit met with every one's mark. `None` when there is
    /// none (unrelated histories, a shallow clone's cut).
    ///
    /// (libgit2's `merge_base_many` answers another question, git's
    /// `merge-base A B C`: the merge base of the first commit with a merge
    /// of the others. Where the first was not the oldest, commits that the
    /// older ones had not released were hidden.)
    pub(super) fn common_base(&self, commits: &[Oid]) -> Result<Option<Oid>> {
        let mut distinct: Vec<Oid> = commits.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if let [only] = distinct[..] {
            return Ok(Some(only));
        }
        let words = distinct.len().div_ceil(64);
        let mut full = vec![0u64; words];
        (0..distinct.len()).for_each(|i| set_bit(&mut full, i));
        let mut paint = Paint::new(words);
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        for (i, &c) in distinct.iter().enumerate() {
            let s = paint.slot(c);
            set_bit(paint.bits_mut(s), i);
            paint.queued[s] = true;
            queue.push(self.queued(&mut seq, c)?);
        }
        let mut bits = vec![0u64; words];
        while let Some(Queued { commit, .. }) = queue.pop() {
            let s = paint.slot(commit.id);
            paint.queued[s] = false;
            bits.copy_from_slice(paint.bits(s));
            if bits == full {
                return Ok(Some(commit.id));
            }
            for &p in &commit.header.parents {
                let ps = paint.slot(p);
                if bits.iter().zip(paint.bits(ps)).any(|(b, p)| b & !p != 0) {
                    for (w, b) in paint.bits_mut(ps).iter_mut().zip(&bits) {
                        *w |= b;
                    }
                    if !paint.queued[ps] {
                        paint.queued[ps] = true;
                        queue.push(self.queued(&mut seq, p)?);
                    }
                }
            }
        }
        Ok(None)
    }

    /// Tells whether `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool> {
        let reach = self.reachable(descendant, &[ancestor.to_owned()], &[0])?;
        Ok(reach == [Reach::Yes])
    }

    /// Tells, for each of `candidates`, whether it is `tip` or one of its
    /// ancestors, in one walk whatever their number.
    ///
    /// This is git's merge-base painting: commits are visited newest first,
    /// each carrying a bit for "reachable from `tip`" and one per candidate
    /// for "reachable from that candidate". A queued commit can still lead
    /// `tip` to candidate `i` only if it carries the tip's bit and not `i`'s
    /// (a commit below both cannot lie above `i`), so the walk stops when no
    /// queued commit can, and a candidate not reached by then is not an
    /// ancestor. That is exact on any history and costs the commits between
    /// `tip` and the candidates, not the whole history. Where a shallow
    /// clone cut the walk short, the answer is `Unknown`.
    ///
    /// `group[i]` puts candidates in groups, each in order of preference:
    /// once one is reached, the later ones of its group are no longer asked
    /// about (they are left `No`), so the walk stops as soon as every group
    /// has its answer.
    pub fn reachable(
        &self,
        tip: &str,
        candidates: &[String],
        group: &[usize],
    ) -> Result<Vec<Reach>> {
        let n = candidates.len();
        let mut out = vec![Reach::No; n];
        if n == 0 {
            return Ok(out);
        }
        // For each candidate, the later ones of its group.
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, g) in group.iter().enumerate().take(n) {
            members.entry(*g).or_default().push(i);
        }
        let later = |i: usize| -> Vec<usize> {
            group.get(i).and_then(|g| members.get(g)).map_or_else(Vec::new, |m| {
                m.iter().copied().skip_while(|&j| j != i).skip(1).collect()
            })
        };
        let mut paint = Paint::new((n + 1).div_ceil(64));
        let mut at: OidMap<Vec<usize>> = OidMap::default();
        let tip = oid(tip)?;
        let mut start = vec![(tip, 0usize)];
        for (i, c) in candidates.iter().enumerate() {
            let c = oid(c)?;
            at.entry(c).or_default().push(i);
            start.push((c, i + 1));
        }
        // Bit i + 1: candidate i is still undecided (bit 0 stays clear).
        let mut want = vec![0u64; paint.words];
        for i in 0..n {
            set_bit(&mut want, i + 1);
        }
        let mut left = n;
        // Their header is all the painting needs: the commit-graph's where
        // there is one.
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        let mut queued = |id: Oid| self.queued(&mut seq, id);
        for (id, b) in start {
            let s = paint.slot(id);
            set_bit(paint.bits_mut(s), b);
            if !paint.queued[s] {
                paint.queued[s] = true;
                queue.push(queued(id)?);
            }
        }
        // The queued commits that can still lead somewhere.
        let mut live = paint.count_live(&queue, &want);
        let (mut stale, mut since) = (false, 0usize);
        let mut cut: Vec<usize> = Vec::new();
        let mut f = vec![0u64; paint.words];
        let mut before = vec![0u64; paint.words];
        while let Some(Queued { commit, .. }) = queue.pop() {
            let id = commit.id;
            let s = paint.slot(id);
            paint.queued[s] = false;
            f.copy_from_slice(paint.bits(s));
            live = live.saturating_sub(usize::from(leads(&f, &want)));
            let mut settled = false;
            let mut reach = |hits: &[usize], want: &mut [u64], out: &mut [Reach]| {
                for &i in hits {
                    out[i] = Reach::Yes;
                    for j in std::iter::once(i).chain(later(i)) {
                        if get_bit(want, j + 1) {
                            clear_bit(want, j + 1);
                            left -= 1;
                            settled = true;
                        }
                    }
                }
            };
            if get_bit(&f, 0)
                && let Some(hits) = at.get(&id)
            {
                reach(hits, &mut want, &mut out);
            }
            if self.shallow.contains(&id) && leads(&f, &want) {
                // The cut-off parents might lead to these candidates.
                cut.extend((0..n).filter(|&i| get_bit(&want, i + 1) && !get_bit(&f, i + 1)));
            } else {
                for &p in &commit.header.parents {
                    let ps = paint.slot(p);
                    before.copy_from_slice(paint.bits(ps));
                    for (w, x) in paint.bits_mut(ps).iter_mut().zip(&f) {
                        *w |= x;
                    }
                    if paint.bits(ps) == before.as_slice() {
                        continue;
                    }
                    if get_bit(paint.bits(ps), 0)
                        && let Some(hits) = at.get(&p)
                    {
                        // Reached: decided now, not when it is popped.
                        reach(hits, &mut want, &mut out);
                    }
                    let now = leads(paint.bits(ps), &want);
                    if paint.queued[ps] {
                        // (Off by one only until a settled round recounts.)
                        live = (live + usize::from(now))
                            .saturating_sub(usize::from(leads(&before, &want)));
                    } else {
                        paint.queued[ps] = true;
                        live += usize::from(now);
                        queue.push(queued(p)?);
                    }
                }
            }
            if left == 0 {
                break;
            }
            // Settling only ever lowers the true count, so `live` may run
            // high (never low) until it is recounted, at most once per
            // queue's length of steps: stopping at 0 is always right.
            stale |= settled;
            since += 1;
            if stale && since >= queue.len().max(64) {
                live = paint.count_live(&queue, &want);
                (stale, since) = (false, 0);
            }
            if live == 0 {
                break;
            }
        }
        for i in cut {
            if out[i] != Reach::Yes {
                out[i] = Reach::Unknown;
            }
        }
        Ok(out)
    }
}
