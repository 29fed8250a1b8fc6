//! The commits each release brought, from the history `git log` gave.

use std::collections::HashMap;

/// The history the lead-time reader walks: each commit's author time and
/// parents, read from `git log --format='%H %at %P'` lines. A commit is
/// known by the first 16 hex digits of its id (64 bits: ids that share
/// them are not met in practice); a parent outside the text was released
/// before (the log hid it).
#[derive(Debug, Default)]
pub struct History {
    /// Id prefix → index.
    index: HashMap<u64, u32>,
    /// Author times, by index.
    times: Vec<i64>,
    /// Parents, by index.
    parents: Vec<Vec<u32>>,
}

/// The 64-bit key of a hex commit id.
fn key(id: &str) -> Option<u64> {
    u64::from_str_radix(id.get(..16)?, 16).ok()
}

impl History {
    /// Reads `%H %at %P` lines; lines that are not are skipped.
    pub fn parse(text: &str) -> Self {
        let mut h = Self::default();
        let lines: Vec<(&str, i64, &str)> = text
            .lines()
            .filter_map(|line| {
                let (id, rest) = line.split_once(' ')?;
                let (at, parents) = rest.split_once(' ').unwrap_or((rest, ""));
                Some((id, at.parse().ok()?, parents))
            })
            .collect();
        h.index.reserve(lines.len());
        for (id, at, _) in &lines {
            if let Some(k) = key(id) {
                let next = h.times.len() as u32;
                if let std::collections::hash_map::Entry::Vacant(e) = h.index.entry(k) {
                    e.insert(next);
                    h.times.push(*at);
                }
            }
        }
        h.parents = vec![Vec::new(); h.times.len()];
        for (id, _, parents) in &lines {
            let Some(&i) = key(id).and_then(|k| h.index.get(&k)) else { continue };
            h.parents[i as usize] =
                parents.split(' ').filter_map(|p| h.index.get(&key(p)?).copied()).collect();
        }
        h
    }

    /// Commits read.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Tells whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    fn find(&self, id: &str) -> Option<u32> {
        self.index.get(&key(id)?).copied()
    }
}

/// For one tag pattern, the author times of the commits each release
/// brought: `releases` (commit ids, oldest release first) each get the
/// commits reachable from them and from no earlier release nor from
/// `before` (the pattern's releases before the window). Commits outside
/// `history` count as released before.
pub fn release_commits(history: &History, before: &[&str], releases: &[&str]) -> Vec<Vec<i64>> {
    let mut seen = vec![false; history.len()];
    for b in before {
        reach(history, b, &mut seen);
    }
    releases.iter().map(|r| reach(history, r, &mut seen)).collect()
}

/// The author times of the commits reachable from `tip` and not `seen`,
/// which they join.
fn reach(history: &History, tip: &str, seen: &mut [bool]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut stack: Vec<u32> = history.find(tip).into_iter().collect();
    while let Some(i) = stack.pop() {
        let i = i as usize;
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(history.times[i]);
        stack.extend(history.parents[i].iter().copied());
    }
    out
}
