//! Dependency order: cycle detection (the cycle printed in order) and the
//! waves of a train.
//!
//! A wave holds participants with no dependency among them; wave n+1
//! depends only on waves ≤ n. Dependencies on services outside the train are
//! satisfied by their released versions and do not order the train. Ties
//! are broken by name, so a plan is the same on every machine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::catalog::{Service, VersionRule};
use super::version::{Level, Version, VersionError};

/// What a train does with a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Released at `to`.
    Release,
    /// Left as it is.
    Skip,
}

/// One participant's step of a plan: printed by `train plan`, saved by
/// `--out`, recorded at staging and applied by `train run --plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Canonical service name.
    pub service: String,
    /// Current version.
    pub from: Version,
    /// Version after the train.
    pub to: Version,
    /// Wave number, from 1.
    pub wave: usize,
    /// Direct dependencies (all, inside the train or not).
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Release or skip.
    pub action: Action,
    /// Why this version: `pinned`, `train target`, `bump minor`, `commits: minor`, ...
    pub reason: String,
    /// The tag a release creates (`None` for a skip).
    #[serde(default)]
    pub tag: Option<String>,
}

impl Step {
    /// Tells whether the train releases this participant.
    pub fn releases(&self) -> bool {
        self.action == Action::Release
    }
}

/// What the plan decides for one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The version after the train.
    pub to: Version,
    /// Release or skip.
    pub action: Action,
    /// Why.
    pub reason: String,
}

/// Why a participant cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its rule would take it below where it is.
    Down(Version),
    /// The bump is impossible (such as past the largest number).
    Version(VersionError),
}

/// Decides a participant's version: its rule gives a target (`pinned`,
/// the train's target, a bump, or its commits' `next`, with its bump);
/// with `dependents_patch`, a participant with nothing of its own whose
/// dependencies `released` in this train gets a patch. A target equal to
/// `from` is a skip; below it, a refusal.
pub fn decide(
    rule: &VersionRule,
    from: &Version,
    from_commits: Option<(Version, Level)>,
    released: &[&str],
    dependents_patch: bool,
) -> Result<Decision, Refusal> {
    let (to, reason) = match rule {
        VersionRule::Pinned(v) => (Some(v.clone()), "pinned".to_owned()),
        VersionRule::TrainTarget(v) => (Some(v.clone()), "train target".to_owned()),
        VersionRule::Bump(level) => {
            (Some(from.bump(*level, None).map_err(Refusal::Version)?), format!("bump {level}"))
        }
        VersionRule::Commits => match from_commits {
            Some((v, level)) => (Some(v), format!("commits: {level}")),
            None => (None, "nothing to release".to_owned()),
        },
    };
    let (to, reason) = match to {
        None if dependents_patch && !released.is_empty() => (
            Some(from.bump(Level::Patch, None).map_err(Refusal::Version)?),
            format!("dependency {} released", released.join(", ")),
        ),
        to => (to, reason),
    };
    match to {
        Some(to) if to > *from => Ok(Decision { to, action: Action::Release, reason }),
        Some(to) if to == *from => {
            Ok(Decision { to, action: Action::Skip, reason: format!("already at {from}") })
        }
        Some(to) => Err(Refusal::Down(to)),
        None => Ok(Decision { to: from.clone(), action: Action::Skip, reason }),
    }
}

/// Returns one dependency cycle as `[a, b, c, a]`, or `None`.
///
/// Services are visited in catalog order and dependencies in listed order,
/// so the same catalog always reports the same cycle.
pub fn find_cycle(services: &[Service]) -> Option<Vec<String>> {
    let index: HashMap<&str, usize> =
        services.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
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
            let deps = &services[node].depends_on;
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
                            stack[from..].iter().map(|&n| services[n].name.clone()).collect();
                        cycle.push(services[d].name.clone());
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
    use crate::domain::catalog::Hooks;

    fn svc(name: &str, deps: &[&str]) -> Service {
        Service {
            name: name.into(),
            aliases: vec![],
            path: name.into(),
            depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
            tag: "{name}-v{version}".into(),
            version_files: vec![],
            changelog: None,
            hooks: Hooks::default(),
        }
    }

    #[test]
    fn each_rule_decides_the_version_and_the_action() {
        let from = Version::new(1, 4, 2);
        let minor = Some((Version::new(1, 5, 0), Level::Minor));
        let d = |rule, commits, released: &[&str], patch| {
            decide(&rule, &from, commits, released, patch)
        };
        assert_eq!(
            d(VersionRule::Commits, minor.clone(), &[], false).unwrap(),
            Decision {
                to: Version::new(1, 5, 0),
                action: Action::Release,
                reason: "commits: minor".into()
            }
        );
        let none = d(VersionRule::Commits, None, &[], false).unwrap();
        assert_eq!((none.action, none.reason.as_str()), (Action::Skip, "nothing to release"));
        let dep = d(VersionRule::Commits, None, &["curve"], true).unwrap();
        assert_eq!(
            (dep.to, dep.reason.as_str()),
            (Version::new(1, 4, 3), "dependency curve released")
        );
        let same = d(VersionRule::Pinned(from.clone()), None, &[], false).unwrap();
        assert_eq!((same.action, same.reason.as_str()), (Action::Skip, "already at 1.4.2"));
        assert_eq!(
            d(VersionRule::Pinned(Version::new(1, 0, 0)), None, &[], false),
            Err(Refusal::Down(Version::new(1, 0, 0)))
        );
        let bump = d(VersionRule::Bump(Level::Major), None, &[], false).unwrap();
        assert_eq!((bump.to, bump.reason.as_str()), (Version::new(2, 0, 0), "bump major"));
    }

    #[test]
    fn a_step_reads_versions_as_text() {
        let yaml =
            "service: a\nfrom: \"1.10.0\"\nto: \"1.11.0\"\nwave: 1\naction: release\nreason: x\n";
        let step: Step = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(step.from, Version::new(1, 10, 0));
        assert!(step.releases());
    }

    #[test]
    fn cycle_in_order() {
        let s = vec![
            svc("curve", &["scenario"]),
            svc("backtesting", &["curve"]),
            svc("scenario", &["backtesting"]),
        ];
        assert_eq!(find_cycle(&s).unwrap(), ["curve", "scenario", "backtesting", "curve"]);
        assert_eq!(find_cycle(&[svc("a", &[]), svc("b", &["a"])]), None);
    }

    #[test]
    fn waves_follow_dependencies() {
        let s = [
            svc("curve", &[]),
            svc("backtesting", &["curve"]),
            svc("scenario", &["curve", "backtesting"]),
        ];
        let deps = |n: &str| {
            s.iter().find(|x| x.name == n).map(|x| x.depends_on.as_slice()).unwrap_or_default()
        };
        assert_eq!(
            waves(&["scenario", "curve", "backtesting"], deps),
            vec![vec!["curve"], vec!["backtesting"], vec!["scenario"]]
        );
    }
}
