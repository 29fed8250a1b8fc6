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

use serde::Serialize;

pub use self::raw::{RawServices, RawSpecs, RawTrains};
pub use self::validate::validate;
use super::gates::Gate;
pub use super::hook::{Hook, Hooks};
pub use super::plan::VersionRule;
use super::range::Range;
use super::train::Status;
use super::version::Version;
use crate::error::Location;

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
    pub rule_at: Location,
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
    pub status_pos: Option<Location>,
    /// Where the train's name is written (a missing `status:` goes below).
    pub name_pos: Location,
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
