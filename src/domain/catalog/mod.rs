//! The catalog: services, trains, metrics and specs (SPEC §1.1–1.4).
//!
//! Two stages, as ripgrep's low/high args: `raw` types mirror the YAML
//! exactly and refuse unknown keys; `validate` turns them into the model
//! defined here, resolving aliases and checking names, versions, ranges,
//! gate forms, durations and cycles, and reports **every** problem with its
//! location.

mod raw;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

pub use self::raw::{RawServices, RawSpecs, RawTrains};
pub use self::validate::validate;
use super::gates::Gate;
use super::range::Range;
use super::train::Status;
use super::version::{Level, Version};

/// FNV-1a: the catalog's names are the user's own, so a hash that resists
/// flooding buys nothing, and FNV is several times faster on short names.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by names, hashed with FNV.
pub(crate) type NameMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;

/// A place in an input file (path, 1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pos {
    /// File, relative to the repository.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// What to do, e.g. `did you mean `curve`?`.
    pub hint: Option<String>,
}

/// A hook: a string run with `sh -c`, or an argv list run directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Hook {
    /// `sh -c TEXT`.
    Shell(String),
    /// argv.
    Argv(Vec<String>),
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shell(s) => f.write_str(s),
            Self::Argv(v) => f.write_str(&v.join(" ")),
        }
    }
}

impl<'de> Deserialize<'de> for Hook {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Hook;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a command string or a list of arguments")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Hook, E> {
                Ok(Hook::Shell(v.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Hook, A::Error> {
                let mut argv = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    argv.push(s);
                }
                Ok(Hook::Argv(argv))
            }
        }
        d.deserialize_any(V)
    }
}

/// `hooks:` of a service.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hooks {
    /// Run after a service is tagged.
    pub release: Option<Hook>,
    /// Health check.
    pub health: Option<Hook>,
    /// Restores the previous version.
    pub rollback: Option<Hook>,
    /// Deploys a version to an environment.
    pub deploy: Option<Hook>,
    /// Blue-green: moves traffic to `RELMAN_SLOT`.
    pub switch: Option<Hook>,
}

// ---------------------------------------------------------------- model

/// The tag pattern of a service that names none.
pub(crate) const DEFAULT_TAG: &str = "{name}-v{version}";

/// A validated service.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// Canonical name.
    pub name: String,
    /// Other names trains may use.
    pub aliases: Vec<String>,
    /// Commits touching this path belong to the service.
    pub path: String,
    /// Services that must be released first (canonical names).
    pub depends_on: Vec<String>,
    /// Tag pattern.
    pub tag: String,
    /// Version files.
    pub version_files: Vec<String>,
    /// Changelog, if it has one.
    pub changelog: Option<String>,
    /// Hooks.
    pub hooks: Hooks,
}

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

/// A train participant.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    /// Canonical service name.
    pub service: String,
    /// How its version is chosen.
    pub rule: VersionRule,
    /// Where that rule is written: the train's `target_version` for a
    /// train target, else the participant's entry (for an error about the
    /// version it leads to, such as one below the current version).
    #[serde(skip)]
    pub rule_at: Pos,
}

/// Kind of a train dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DependencyKind {
    /// A spec (`catalog/specs.yaml` `specs:`).
    Spec,
    /// A library (`libraries:`).
    Library,
}

/// A train dependency: NAME and RANGE.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// Spec or library.
    pub kind: DependencyKind,
    /// Name in specs.yaml.
    pub name: String,
    /// The range required.
    pub range: Range,
}

/// A validated train.
#[derive(Debug, Clone)]
pub struct Train {
    /// Name.
    pub name: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Participants, as listed.
    pub participants: Vec<Participant>,
    /// Dependencies.
    pub dependencies: Vec<Dependency>,
    /// Gates.
    pub gates: Vec<Gate>,
    /// Status as written in release-trains.yaml.
    pub status: Status,
    /// Where the value of `status:` is written (for the surgical edit),
    /// if the key is; an empty value is placed at the key's colon.
    pub status_pos: Option<Pos>,
    /// Where the train's name is written (a missing `status:` goes below).
    pub name_pos: Pos,
    /// Scheduled start (RFC 3339 text).
    pub start_time: Option<String>,
    /// Estimated duration in seconds.
    pub estimated_duration: Option<u64>,
    /// Rollback enabled.
    pub rollback_enabled: bool,
    /// Rollback timeout in seconds.
    pub rollback_timeout: Option<u64>,
    /// Health check threshold in percent.
    pub health_check_threshold: Option<f64>,
}

/// Versions available per spec and library.
#[derive(Debug, Clone, Default)]
pub struct Specs {
    /// `specs:`.
    pub specs: BTreeMap<String, Vec<Version>>,
    /// `libraries:`.
    pub libraries: BTreeMap<String, Vec<Version>>,
}

/// The whole validated catalog.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Services, as listed.
    pub services: Vec<Service>,
    /// Trains, as listed.
    pub trains: Vec<Train>,
    /// Specs and libraries.
    pub specs: Specs,
    /// Name or alias → index in `services`.
    names: NameMap<usize>,
}

impl Catalog {
    /// Returns the service called `name` (or with that alias).
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.get(*self.names.get(name)?)
    }

    /// Returns the train called `name`.
    pub fn train(&self, name: &str) -> Option<&Train> {
        self.trains.iter().find(|t| t.name == name)
    }

    /// Returns every service and alias name.
    pub(crate) fn known_names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

/// Parsed catalog files, each with the path it is reported under.
#[derive(Debug, Default)]
pub struct Parsed {
    /// `catalog/services.yaml`.
    pub services: Option<(String, RawServices)>,
    /// `catalog/release-trains.yaml`.
    pub trains: Option<(String, RawTrains)>,
    /// `catalog/specs.yaml`.
    pub specs: Option<(String, RawSpecs)>,
}
