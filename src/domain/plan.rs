//! A train's plan: each participant's step and the decision behind it
//! (SPEC §4: staging). The order comes from `graph::waves`.

use serde::{Deserialize, Serialize};

pub use super::graph::waves;
use super::version::{Level, Version, VersionError};

/// How a participant's target version is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum VersionRule {
    /// `version:` on the participant.
    Pinned(Version),
    /// The train's `target_version`.
    TrainTarget(Version),
    /// The train's `target_version: calendar`: the calendar version
    /// (`YYYY.N.0`) of its `schedule.start_time`, else of the day it is
    /// staged, resolved by the plan (SPEC §9).
    Calendar,
    /// `bump:` on the participant.
    Bump(Level),
    /// Computed from the Conventional Commits under its path.
    Commits,
}

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
/// dependencies `released` in this train gets a patch. `calendar` is the
/// train's calendar version, for `target_version: calendar`. A target
/// equal to `from` is a skip; below it, a refusal.
pub fn decide(
    rule: &VersionRule,
    calendar: Option<&Version>,
    from: &Version,
    from_commits: Option<(Version, Level)>,
    released: &[&str],
    dependents_patch: bool,
) -> Result<Decision, Refusal> {
    let (to, reason) = match rule {
        VersionRule::Pinned(v) => (Some(v.clone()), "pinned".to_owned()),
        VersionRule::TrainTarget(v) => (Some(v.clone()), "train target".to_owned()),
        VersionRule::Calendar => (calendar.cloned(), "calendar".to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_decides_the_version_and_the_action() {
        let from = Version::new(1, 4, 2);
        let minor = Some((Version::new(1, 5, 0), Level::Minor));
        let d = |rule, commits, released: &[&str], patch| {
            decide(&rule, None, &from, commits, released, patch)
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
        let cal = Version::new(2026, 27, 0);
        let c = decide(&VersionRule::Calendar, Some(&cal), &from, None, &[], false).unwrap();
        assert_eq!((c.to, c.reason.as_str()), (cal.clone(), "calendar"));
        let ahead = Version::new(2027, 1, 0);
        assert_eq!(
            decide(&VersionRule::Calendar, Some(&cal), &ahead, None, &[], false),
            Err(Refusal::Down(cal))
        );
    }

    #[test]
    fn a_step_reads_versions_as_text() {
        let yaml =
            "service: a\nfrom: \"1.10.0\"\nto: \"1.11.0\"\nwave: 1\naction: release\nreason: x\n";
        let step: Step = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(step.from, Version::new(1, 10, 0));
        assert!(step.releases());
    }
}
