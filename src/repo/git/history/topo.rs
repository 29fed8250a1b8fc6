//! The topological order of the walk of many targets: every child before
//! its parents, the commits in the order libgit2's revision walk gives them
//! (`GIT_SORT_TOPOLOGICAL`, which relman used before it read history with
//! gix), so that the commits listed for each target keep their order.
//!
//! That order is libgit2's `limit_list` (commits taken newest first by
//! committer time, stopping a few commits after only hidden ones are
//! left) and then its `sort_in_topological_order` (a stack of commits whose
//! children are all out, the tips first in the order they were met).

use gix::ObjectId;

use super::super::Git;
use super::objects::{Header, OidMap};
use crate::error::Result;

/// A commit the walk met: parsed (its header read) or only named.
struct Node {
    id: ObjectId,
    header: Option<Header>,
    parents: Vec<usize>,
    hidden: bool,
    seen: bool,
    added: bool,
    in_degree: usize,
}

/// The commits met, each once.
struct Nodes<'g> {
    git: &'g Git,
    nodes: Vec<Node>,
    at: OidMap<usize>,
}

impl Nodes<'_> {
    fn node(&mut self, id: ObjectId) -> usize {
        let nodes = &mut self.nodes;
        *self.at.entry(id).or_insert_with(|| {
            nodes.push(Node {
                id,
                header: None,
                parents: Vec::new(),
                hidden: false,
                seen: false,
                added: false,
                in_degree: 0,
            });
            nodes.len() - 1
        })
    }

    fn parse(&mut self, n: usize) -> Result<()> {
        if self.nodes[n].header.is_some() {
            return Ok(());
        }
        let header = self.git.load(self.nodes[n].id)?.header;
        let parents = header.parents.iter().map(|&p| self.node(p)).collect();
        self.nodes[n].parents = parents;
        self.nodes[n].header = Some(header);
        Ok(())
    }

    fn time(&self, n: usize) -> i64 {
        self.nodes[n].header.as_ref().map_or(0, |h| h.time.0)
    }

    /// Inserts `n` in `list` before the first commit older than it.
    fn insert_by_date(&self, n: usize, list: &mut Vec<usize>) {
        let time = self.time(n);
        let at = list.iter().position(|&p| self.time(p) < time).unwrap_or(list.len());
        list.insert(at, n);
    }

    /// Hides the ancestors of `n` that were read, down to those hidden.
    fn hide_parents(&mut self, n: usize) {
        let mut stack: Vec<usize> = self.nodes[n].parents.clone();
        while let Some(c) = stack.pop() {
            let node = &mut self.nodes[c];
            if node.hidden {
                continue;
            }
            node.hidden = true;
            if node.header.is_some() {
                stack.extend(node.parents.iter().copied());
            }
        }
    }

    fn add_parents(&mut self, n: usize, list: &mut Vec<usize>) -> Result<()> {
        if std::mem::replace(&mut self.nodes[n].added, true) {
            return Ok(());
        }
        let hidden = self.nodes[n].hidden;
        for k in 0..self.nodes[n].parents.len() {
            let p = self.nodes[n].parents[k];
            if hidden {
                self.nodes[p].hidden = true;
                self.parse(p)?;
                self.hide_parents(p);
                self.nodes[p].seen = true;
                self.insert_by_date(p, list);
            } else {
                self.parse(p)?;
                if !std::mem::replace(&mut self.nodes[p].seen, true) {
                    self.insert_by_date(p, list);
                }
            }
        }
        Ok(())
    }

    /// Whether hidden commits are still worth reading (libgit2's slop).
    fn still_interesting(&self, list: &[usize], time: i64, slop: usize) -> usize {
        const SLOP: usize = 5;
        let Some(&first) = list.first() else { return 0 };
        if time <= self.time(first) {
            return SLOP;
        }
        if list.iter().any(|&c| !self.nodes[c].hidden || self.time(c) > time) {
            return SLOP;
        }
        slop - 1
    }
}

impl Git {
    /// The commits reachable from `tip` and not from `hide`, every child
    /// before its parents, with their headers.
    pub(super) fn topological(
        &self,
        tip: ObjectId,
        hide: Option<ObjectId>,
    ) -> Result<Vec<(ObjectId, Header)>> {
        let mut g = Nodes { git: self, nodes: Vec::new(), at: OidMap::default() };
        let t = g.node(tip);
        // libgit2 keeps what it was given newest-given first.
        let mut input = Vec::from([t]);
        if let Some(h) = hide {
            let h = g.node(h);
            g.nodes[h].hidden = true;
            input.insert(0, h);
        }
        let mut list = Vec::new();
        for n in input {
            g.parse(n)?;
            if g.nodes[n].hidden {
                g.hide_parents(n);
            }
            if !std::mem::replace(&mut g.nodes[n].seen, true) {
                list.push(n);
            }
        }
        // `limit_list`: newest first, until only hidden commits are left.
        let (mut slop, mut time) = (5, i64::MAX);
        let mut kept: Vec<usize> = Vec::new();
        // (The list is the walk's frontier: a few commits at most.)
        while !list.is_empty() {
            let n = list.remove(0);
            g.add_parents(n, &mut list)?;
            if g.nodes[n].hidden {
                g.hide_parents(n);
                slop = g.still_interesting(&list, time, slop);
                if slop > 0 {
                    continue;
                }
                break;
            }
            time = g.time(n);
            kept.push(n);
        }
        // `sort_in_topological_order`, without a time sort.
        for &n in &kept {
            g.nodes[n].in_degree = 1;
        }
        for &n in &kept {
            for k in 0..g.nodes[n].parents.len() {
                let p = g.nodes[n].parents[k];
                if g.nodes[p].in_degree > 0 {
                    g.nodes[p].in_degree += 1;
                }
            }
        }
        let mut stack: Vec<usize> =
            kept.iter().copied().filter(|&n| g.nodes[n].in_degree == 1).rev().collect();
        let mut out = Vec::with_capacity(kept.len());
        while let Some(n) = stack.pop() {
            for k in 0..g.nodes[n].parents.len() {
                let p = g.nodes[n].parents[k];
                if g.nodes[p].in_degree == 0 {
                    continue;
                }
                g.nodes[p].in_degree -= 1;
                if g.nodes[p].in_degree == 1 {
                    stack.push(p);
                }
            }
            g.nodes[n].in_degree = 0;
            if !g.nodes[n].hidden {
                out.push(n);
            }
        }
        Ok(out
            .into_iter()
            .filter_map(|n| {
                let node = &mut g.nodes[n];
                Some((node.id, node.header.take()?))
            })
            .collect())
    }
}
