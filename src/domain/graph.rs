//! Dependency graphs: cycle detection (the cycle printed in order) and the
//! waves of a train.
//!
//! A wave holds participants with no dependency among them; wave n+1
//! depends only on waves ≤ n. Dependencies on services outside the train are
//! satisfied by their released versions and do not order the train. Ties
//! are broken by name, so a plan is the same on every machine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Returns one dependency cycle as `[a, b, c, a]`, or `None`.
///
/// Services are visited in catalog order and dependencies in listed order,
/// so the same catalog always reports the same cycle.
pub fn find_cycle(services: &[(&str, &[String])]) -> Option<Vec<String>> {
    let index: HashMap<&str, usize> =
        services.iter().enumerate().map(|(i, (name, _))| (*name, i)).collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut color = vec![0u8; services.len()];
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..services.len() {
        if color[start] != 0 {
            continue;
        }
        // Iterative DFS: (node, next dependency to look at).
        let mut frames: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = 1;
        stack.push(start);
        while let Some(&mut (node, ref mut next)) = frames.last_mut() {
            let deps = services[node].1;
            if *next < deps.len() {
                let dep = deps[*next].as_str();
                *next += 1;
                let Some(&d) = index.get(dep) else { continue };
                match color[d] {
                    0 => {
                        color[d] = 1;
                        stack.push(d);
                        frames.push((d, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&n| n == d).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[from..].iter().map(|&n| services[n].0.to_owned()).collect();
                        cycle.push(services[d].0.to_owned());
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                color[node] = 2;
                stack.pop();
                frames.pop();
            }
        }
    }
    None
}

/// Groups `participants` into waves by their dependencies among each other.
///
/// `depends_on(name)` returns a participant's direct dependencies; the
/// catalog is acyclic (validation refuses cycles), so layering terminates.
pub fn waves<'a>(
    participants: &[&'a str],
    depends_on: impl Fn(&str) -> &'a [String],
) -> Vec<Vec<&'a str>> {
    let set: BTreeSet<&str> = participants.iter().copied().collect();
    let mut wave_of: BTreeMap<&'a str, usize> = BTreeMap::new();
    // Kahn's algorithm over the participants only, smallest name first.
    let mut indegree: BTreeMap<&'a str, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
    for &p in participants {
        indegree.entry(p).or_insert(0);
        for d in depends_on(p) {
            if let Some(&dep) = set.get(d.as_str())
                && dep != p
            {
                *indegree.entry(p).or_insert(0) += 1;
                dependents.entry(dep).or_default().push(p);
            }
        }
    }
    let mut ready: BTreeSet<&'a str> =
        indegree.iter().filter(|(_, n)| **n == 0).map(|(p, _)| *p).collect();
    while let Some(p) = ready.pop_first() {
        let w = depends_on(p)
            .iter()
            .filter_map(|d| wave_of.get(d.as_str()).map(|w| w + 1))
            .max()
            .unwrap_or(0);
        wave_of.insert(p, w);
        for &next in dependents.get(p).map(Vec::as_slice).unwrap_or_default() {
            if let Some(n) = indegree.get_mut(next) {
                *n -= 1;
                if *n == 0 {
                    ready.insert(next);
                }
            }
        }
    }
    let count = wave_of.values().max().map_or(0, |m| m + 1);
    let mut out: Vec<Vec<&'a str>> = vec![Vec::new(); count];
    for (p, w) in wave_of {
        out[w].push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_in_order() {
        let deps = |d: &[&str]| d.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let (curve, backtesting, scenario) =
            (deps(&["scenario"]), deps(&["curve"]), deps(&["backtesting"]));
        let graph =
            [("curve", &curve[..]), ("backtesting", &backtesting[..]), ("scenario", &scenario[..])];
        assert_eq!(find_cycle(&graph).unwrap(), ["curve", "scenario", "backtesting", "curve"]);
        let a = deps(&["a"]);
        let none: [(&str, &[String]); 2] = [("a", &[]), ("b", &a[..])];
        assert_eq!(find_cycle(&none), None);
    }

    #[test]
    fn waves_follow_dependencies() {
        let deps: BTreeMap<&str, Vec<String>> = [
            ("curve", vec![]),
            ("backtesting", vec!["curve".to_owned()]),
            ("scenario", vec!["curve".to_owned(), "backtesting".to_owned()]),
        ]
        .into_iter()
        .collect();
        let depends = |n: &str| deps.get(n).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(
            waves(&["scenario", "curve", "backtesting"], depends),
            vec![vec!["curve"], vec!["backtesting"], vec!["scenario"]]
        );
    }
}
