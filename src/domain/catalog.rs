//! The catalog: services, trains, metrics and specs (SPEC §1.1–1.4).
//!
//! Two stages, as ripgrep's low/high args: `Raw*` types mirror the YAML
//! exactly and refuse unknown keys; `validate` turns them into the model,
//! resolving aliases and checking names, versions, ranges, gate forms,
//! durations and cycles, and reports **every** problem with its location.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::gates::{self, Gate};
use super::range::Range;
use super::repo_path;
use super::suggestion::{did_you_mean, hint};
use super::tag::TagPattern;
use super::train::Status;
use super::version::{Level, Version};

/// FNV-1a: the catalog's names are the user's own, so a hash that resists
/// flooding buys nothing, and FNV is several times faster on short names.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

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
pub type NameMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;

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

fn pos<T>(file: &str, s: &Spanned<T>) -> Pos {
    Pos { file: file.to_owned(), line: s.referenced.line(), column: s.referenced.column() }
}

// ---------------------------------------------------------------- raw types

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
}

/// `services.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServices {
    services: Vec<RawService>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    path: Spanned<String>,
    #[serde(default)]
    depends_on: Vec<Spanned<String>>,
    tag: Option<Spanned<String>>,
    #[serde(default)]
    version_files: Vec<Spanned<String>>,
    changelog: Option<Spanned<String>>,
    #[serde(default)]
    hooks: Hooks,
}

/// `release-trains.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrains {
    trains: Vec<Spanned<RawTrain>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrain {
    name: Spanned<String>,
    description: Option<String>,
    target_version: Option<Spanned<String>>,
    participants: Vec<Spanned<RawParticipant>>,
    #[serde(default)]
    dependencies: Vec<Spanned<RawDependency>>,
    #[serde(default)]
    gates: Vec<Spanned<RawGate>>,
    status: Option<Spanned<String>>,
    schedule: Option<RawSchedule>,
    rollback: Option<RawRollback>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    start_time: Option<Spanned<String>>,
    estimated_duration: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRollback {
    enabled: Option<bool>,
    timeout: Option<Spanned<String>>,
    health_check_threshold: Option<Spanned<String>>,
}

/// A participant: a bare name, or a map pinning a version or a bump.
#[derive(Debug)]
struct RawParticipant {
    name: String,
    version: Option<String>,
    bump: Option<String>,
}

const PARTICIPANT_KEYS: &[&str] = &["name", "version", "bump"];

impl<'de> Deserialize<'de> for RawParticipant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParticipant;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a service name, or a map with `name` and optionally `version` or `bump`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawParticipant, E> {
                Ok(RawParticipant { name: v.to_owned(), version: None, bump: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawParticipant, A::Error> {
                let (mut name, mut version, mut bump) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value::<String>()?),
                        "version" => version = Some(map.next_value::<String>()?),
                        "bump" => bump = Some(map.next_value::<String>()?),
                        other => return Err(de::Error::unknown_field(other, PARTICIPANT_KEYS)),
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
                Ok(RawParticipant { name, version, bump })
            }
        }
        d.deserialize_any(V)
    }
}

/// `- spec: NAME RANGE` or `- library: NAME RANGE`.
#[derive(Debug)]
struct RawDependency {
    kind: DependencyKind,
    text: String,
}

const DEPENDENCY_KEYS: &[&str] = &["spec", "library"];

impl<'de> Deserialize<'de> for RawDependency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDependency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map `spec: NAME RANGE` or `library: NAME RANGE`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDependency, A::Error> {
                let mut out = None;
                while let Some(key) = map.next_key::<String>()? {
                    let kind = match key.as_str() {
                        "spec" => DependencyKind::Spec,
                        "library" => DependencyKind::Library,
                        other => return Err(de::Error::unknown_field(other, DEPENDENCY_KEYS)),
                    };
                    if out.is_some() {
                        return Err(de::Error::custom(
                            "a dependency has exactly one of `spec` or `library`",
                        ));
                    }
                    out = Some(RawDependency { kind, text: map.next_value::<String>()? });
                }
                out.ok_or_else(|| de::Error::custom("a dependency needs `spec` or `library`"))
            }
        }
        d.deserialize_map(V)
    }
}

/// A gate as written: a string, or a map with one form key plus options.
#[derive(Debug)]
struct RawGate {
    form: String,
    value: RawGateValue,
    blocking: Option<bool>,
    critical: Option<bool>,
}

#[derive(Debug)]
enum RawGateValue {
    Text(String),
    Roles(Vec<String>),
}

const GATE_KEYS: &[&str] = &["gate", "custom", "command", "approvals", "blocking", "critical"];

impl<'de> Deserialize<'de> for RawGate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawGate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a gate string, or a map with one of `gate`, `custom`, `command`, `approvals`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawGate, E> {
                Ok(RawGate {
                    form: "gate".into(),
                    value: RawGateValue::Text(v.to_owned()),
                    blocking: None,
                    critical: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawGate, A::Error> {
                let mut form: Option<(String, RawGateValue)> = None;
                let (mut blocking, mut critical) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let value = match key.as_str() {
                        "gate" | "custom" | "command" => {
                            RawGateValue::Text(map.next_value::<String>()?)
                        }
                        "approvals" => RawGateValue::Roles(map.next_value::<Vec<String>>()?),
                        "blocking" => {
                            blocking = Some(map.next_value::<bool>()?);
                            continue;
                        }
                        "critical" => {
                            critical = Some(map.next_value::<bool>()?);
                            continue;
                        }
                        other => return Err(de::Error::unknown_field(other, GATE_KEYS)),
                    };
                    if form.is_some() {
                        return Err(de::Error::custom(
                            "a gate has exactly one of `gate`, `custom`, `command`, `approvals`",
                        ));
                    }
                    form = Some((key, value));
                }
                let (form, value) = form.ok_or_else(|| {
                    de::Error::custom(
                        "a gate needs one of `gate`, `custom`, `command`, `approvals`",
                    )
                })?;
                Ok(RawGate { form, value, blocking, critical })
            }
        }
        d.deserialize_any(V)
    }
}

/// A metric value: a number or a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MetricValue {
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for MetricValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MetricValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<MetricValue, E> {
                Ok(MetricValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// `specs.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpecs {
    #[serde(default)]
    specs: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    libraries: BTreeMap<String, Vec<Spanned<String>>>,
}

// ---------------------------------------------------------------- model

/// The tag pattern of a service that names none.
pub const DEFAULT_TAG: &str = "{name}-v{version}";

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
    /// Where `status:` is written (for the surgical edit), if present.
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
    pub fn known_names(&self) -> impl Iterator<Item = &str> {
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

/// Validates parsed catalog files into the model, returning every problem.
pub fn validate(parsed: Parsed) -> Result<Catalog, Vec<Issue>> {
    let (services_file, raw_services) = split(parsed.services, "catalog/services.yaml");
    let (trains_file, raw_trains) = split(parsed.trains, "catalog/release-trains.yaml");
    let (specs_file, raw_specs) = split(parsed.specs, "catalog/specs.yaml");
    validate_raw(&services_file, raw_services, &trains_file, raw_trains, &specs_file, raw_specs)
}

fn split<T>(file: Option<(String, T)>, default: &str) -> (String, Option<T>) {
    match file {
        Some((f, t)) => (f, Some(t)),
        None => (default.to_owned(), None),
    }
}

fn validate_raw(
    services_file: &str,
    raw_services: Option<RawServices>,
    trains_file: &str,
    raw_trains: Option<RawTrains>,
    specs_file: &str,
    raw_specs: Option<RawSpecs>,
) -> Result<Catalog, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut issue =
        |pos: Pos, message: String, hint: Option<String>| issues.push(Issue { pos, message, hint });
    let raw_services: Vec<RawService> = raw_services.map(|r| r.services).unwrap_or_default();

    // Names and aliases.
    let mut names: NameMap<String> = NameMap::default();
    for s in &raw_services {
        let name = &s.name;
        if name.value.trim().is_empty() {
            issue(pos(services_file, name), "a service name is empty".into(), None);
        } else if let Err(e) = super::tag::check_ref_name(&name.value) {
            issue(pos(services_file, name), format!("service name: {}", e.0), None);
        }
        if names.insert(name.value.clone(), name.value.clone()).is_some() {
            issue(pos(services_file, name), format!("duplicate service `{}`", name.value), None);
        }
    }
    for s in &raw_services {
        for alias in &s.aliases {
            if let Some(owner) = names.get(&alias.value) {
                let what = if owner == &alias.value {
                    "a service name"
                } else {
                    "an alias of another service"
                };
                issue(
                    pos(services_file, alias),
                    format!(
                        "alias `{}` of `{}` is already {what} (`{owner}`)",
                        alias.value, s.name.value
                    ),
                    None,
                );
            } else {
                names.insert(alias.value.clone(), s.name.value.clone());
            }
        }
    }
    let known_refs = || names.keys().map(String::as_str);

    // Services.
    let mut services = Vec::new();
    for r in &raw_services {
        let mut depends_on = Vec::new();
        for d in &r.depends_on {
            match names.get(&d.value) {
                Some(c) if c == &r.name.value => {
                    issue(
                        pos(services_file, d),
                        format!("service `{}` depends on itself", r.name.value),
                        None,
                    );
                }
                Some(c) => depends_on.push(c.clone()),
                None => issue(
                    pos(services_file, d),
                    format!("`{}` depends on unknown service `{}`", r.name.value, d.value),
                    did_you_mean(&d.value, known_refs()),
                ),
            }
        }
        if r.path.value.trim().is_empty() {
            issue(
                pos(services_file, &r.path),
                format!("path of `{}` is empty", r.name.value),
                Some("write `.` for a service that owns the whole repository".into()),
            );
        } else if repo_path::escapes(&r.path.value) {
            issue(
                pos(services_file, &r.path),
                format!("path `{}` of `{}` is outside the repository", r.path.value, r.name.value),
                Some(repo_path::HINT.into()),
            );
        }
        for f in r.version_files.iter().chain(r.changelog.iter()) {
            if f.value.is_empty() || repo_path::escapes(&f.value) {
                issue(
                    pos(services_file, f),
                    format!("path `{}` is outside the repository", f.value),
                    Some(repo_path::HINT.into()),
                );
            }
        }
        let tag = r.tag.as_ref().map_or_else(|| DEFAULT_TAG.to_owned(), |t| t.value.clone());
        // The default pattern is valid for any name that passed the checks above.
        if let Some(t) = &r.tag
            && let Err(e) = TagPattern::new(&t.value, &r.name.value)
        {
            issue(pos(services_file, t), e.0, Some("for example `{name}-v{version}`".into()));
        }
        services.push(Service {
            name: r.name.value.clone(),
            aliases: r.aliases.iter().map(|a| a.value.clone()).collect(),
            path: r.path.value.trim_end_matches('/').to_owned(),
            depends_on,
            tag,
            version_files: r.version_files.iter().map(|f| f.value.clone()).collect(),
            changelog: r.changelog.as_ref().map(|c| c.value.clone()),
            hooks: r.hooks.clone(),
        });
    }
    if let Some(cycle) = super::plan::find_cycle(&services) {
        let first = raw_services.iter().find(|s| s.name.value == cycle[0]);
        let at = first
            .and_then(|s| s.depends_on.iter().find(|d| names.get(&d.value) == Some(&cycle[1])))
            .map_or_else(
                || Pos { file: services_file.into(), line: 1, column: 1 },
                |d| pos(services_file, d),
            );
        issue(
            at,
            format!("dependency cycle: {}", cycle.join(" → ")),
            Some("remove one of these `depends_on` entries".into()),
        );
    }

    // Specs.
    let mut specs = Specs::default();
    if let Some(raw) = raw_specs {
        for (kind, table, out) in [
            ("spec", raw.specs, &mut specs.specs),
            ("library", raw.libraries, &mut specs.libraries),
        ] {
            for (name, versions) in table {
                let mut list = Vec::new();
                for v in versions {
                    match Version::parse(&v.value) {
                        Ok(ver) => list.push(ver),
                        Err(e) => issue(
                            pos(specs_file, &v),
                            format!("{kind} `{name}`: {e}"),
                            Some("write versions as MAJOR.MINOR.PATCH, quoted".into()),
                        ),
                    }
                }
                out.insert(name, list);
            }
        }
    }

    // Trains.
    let mut trains = Vec::new();
    let mut train_names = BTreeSet::new();
    for t in raw_trains.map(|r| r.trains).unwrap_or_default() {
        let at_train = pos(trains_file, &t);
        let r = t.value;
        if !train_names.insert(r.name.value.clone()) {
            issue(pos(trains_file, &r.name), format!("duplicate train `{}`", r.name.value), None);
        }
        let mut participants: Vec<Participant> = Vec::new();
        let mut seen = BTreeSet::new();
        for p in &r.participants {
            let at = pos(trains_file, p);
            let Some(canonical) = names.get(&p.value.name) else {
                issue(
                    at,
                    format!(
                        "train `{}` names unknown participant `{}`",
                        r.name.value, p.value.name
                    ),
                    did_you_mean(&p.value.name, known_refs()),
                );
                continue;
            };
            if !seen.insert(canonical.clone()) {
                issue(
                    at.clone(),
                    format!(
                        "participant `{}` is listed twice in train `{}`",
                        p.value.name, r.name.value
                    ),
                    None,
                );
            }
            let rule = match (&p.value.version, &p.value.bump) {
                (Some(_), Some(_)) => {
                    issue(
                        at.clone(),
                        format!("participant `{}` has both `version` and `bump`", p.value.name),
                        Some("keep one".into()),
                    );
                    VersionRule::Commits
                }
                (Some(v), None) => match Version::parse(v) {
                    Ok(v) => VersionRule::Pinned(v),
                    Err(e) => {
                        issue(at.clone(), e.to_string(), None);
                        VersionRule::Commits
                    }
                },
                (None, Some(b)) => match Level::parse(b) {
                    Some(l) if l != Level::Release => VersionRule::Bump(l),
                    _ => {
                        let names: Vec<&str> = Level::ALL
                            .iter()
                            .map(|l| l.as_str())
                            .filter(|l| *l != "release")
                            .collect();
                        issue(at.clone(), format!("unknown bump `{b}`"), hint(b, &names, "bumps"));
                        VersionRule::Commits
                    }
                },
                (None, None) => VersionRule::Commits,
            };
            participants.push(Participant { service: canonical.clone(), rule });
        }
        if r.participants.is_empty() {
            issue(at_train.clone(), format!("train `{}` has no participants", r.name.value), None);
        }
        if let Some(tv) = &r.target_version {
            let (who, version) = match tv.value.rsplit_once(':') {
                Some((who, v)) => (Some(who.trim()), v.trim()),
                None => (None, tv.value.trim()),
            };
            match Version::parse(version) {
                Err(e) => issue(
                    pos(trains_file, tv),
                    format!("target_version: {e}"),
                    Some("write it as \"VERSION\" or \"SERVICE:VERSION\", quoted".into()),
                ),
                Ok(v) => {
                    let targets: Vec<usize> = match who {
                        None => (0..participants.len()).collect(),
                        Some(who) => {
                            let canonical = names.get(who);
                            let idx: Vec<usize> = participants
                                .iter()
                                .enumerate()
                                .filter(|(_, p)| Some(&p.service) == canonical)
                                .map(|(i, _)| i)
                                .collect();
                            if idx.is_empty() {
                                let parts: Vec<&str> =
                                    participants.iter().map(|p| p.service.as_str()).collect();
                                issue(
                                    pos(trains_file, tv),
                                    format!(
                                        "target_version names `{who}`, which is not a participant of `{}`",
                                        r.name.value
                                    ),
                                    hint(who, &parts, "participants"),
                                );
                            }
                            idx
                        }
                    };
                    for i in targets {
                        if participants[i].rule == VersionRule::Commits {
                            participants[i].rule = VersionRule::TrainTarget(v.clone());
                        }
                    }
                }
            }
        }
        let mut dependencies = Vec::new();
        for d in &r.dependencies {
            let text = d.value.text.trim();
            let (name, range) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
            if range.trim().is_empty() {
                issue(
                    pos(trains_file, d),
                    format!("dependency `{text}` has no range"),
                    Some("write `NAME RANGE`, e.g. `curves-api >=2.0.0`".into()),
                );
                continue;
            }
            match Range::parse(range.trim()) {
                Ok(range) => {
                    dependencies.push(Dependency {
                        kind: d.value.kind,
                        name: name.to_owned(),
                        range,
                    });
                }
                Err(e) => issue(pos(trains_file, d), e.to_string(), None),
            }
        }
        let mut gate_list = Vec::new();
        for g in &r.gates {
            let at = pos(trains_file, g);
            let parsed = match (&g.value.form[..], &g.value.value) {
                ("approvals", RawGateValue::Roles(roles)) => {
                    if roles.is_empty() {
                        Err(("an `approvals` gate lists no roles".to_owned(), None))
                    } else {
                        Ok(gates::GateKind::Approvals { roles: roles.clone() })
                    }
                }
                ("command", RawGateValue::Text(text)) => {
                    if text.trim().is_empty() {
                        Err(("a `command` gate is empty".to_owned(), None))
                    } else {
                        Ok(gates::GateKind::Command { command: text.clone() })
                    }
                }
                ("custom", RawGateValue::Text(text)) => gates::parse_custom(text),
                (_, RawGateValue::Text(text)) => gates::parse_expression(text),
                _ => Err(("malformed gate".to_owned(), None)),
            };
            match parsed {
                Ok(kind) => gate_list.push(Gate {
                    text: match &g.value.value {
                        RawGateValue::Text(t) if g.value.form == "gate" => t.clone(),
                        RawGateValue::Text(t) => format!("{}: {t}", g.value.form),
                        RawGateValue::Roles(roles) => format!("approvals: [{}]", roles.join(", ")),
                    },
                    kind,
                    blocking: g.value.blocking.unwrap_or(true),
                    critical: g.value.critical.unwrap_or(false),
                }),
                Err((message, hint)) => issue(at, message, hint),
            }
        }
        let status = match &r.status {
            None => Status::Planning,
            Some(s) => Status::parse(&s.value).unwrap_or_else(|| {
                let names = super::train::ALL.map(Status::as_str);
                issue(
                    pos(trains_file, s),
                    format!("unknown status `{}`", s.value),
                    hint(&s.value, &names, "statuses"),
                );
                Status::Planning
            }),
        };
        let mut duration = |d: &Spanned<String>| {
            let secs = parse_duration(&d.value);
            if secs.is_none() {
                issue(
                    pos(trains_file, d),
                    format!("bad duration `{}`", d.value),
                    Some("write it like 90s, 10m, 2h or 1h30m".into()),
                );
            }
            secs
        };
        let estimated_duration =
            r.schedule.as_ref().and_then(|s| s.estimated_duration.as_ref()).and_then(&mut duration);
        let rollback_timeout =
            r.rollback.as_ref().and_then(|rb| rb.timeout.as_ref()).and_then(&mut duration);
        let start_time = r.schedule.as_ref().and_then(|s| s.start_time.as_ref());
        if let Some(t) = start_time
            && chrono::DateTime::parse_from_rfc3339(&t.value).is_err()
        {
            issue(
                pos(trains_file, t),
                format!("start_time `{}` is not an RFC 3339 time", t.value),
                Some("e.g. 2026-12-01T09:00:00Z".into()),
            );
        }
        let start_time = start_time.map(|t| t.value.clone());
        let rollback_enabled = r.rollback.as_ref().and_then(|rb| rb.enabled).unwrap_or(true);
        let threshold =
            r.rollback.as_ref().and_then(|rb| rb.health_check_threshold.as_ref()).and_then(|p| {
                let v = parse_percent(&p.value);
                if v.is_none() {
                    issue(
                        pos(trains_file, p),
                        format!("bad percentage `{}`", p.value),
                        Some("write a number from 0 to 100, e.g. 90%".into()),
                    );
                }
                v
            });
        trains.push(Train {
            name: r.name.value.clone(),
            description: r.description,
            participants,
            dependencies,
            gates: gate_list,
            status,
            status_pos: r.status.as_ref().map(|s| pos(trains_file, s)),
            name_pos: pos(trains_file, &r.name),
            start_time,
            estimated_duration,
            rollback_enabled,
            rollback_timeout,
            health_check_threshold: threshold,
        });
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let index: HashMap<&str, usize> =
        services.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let names =
        names.into_iter().filter_map(|(n, c)| index.get(c.as_str()).map(|i| (n, *i))).collect();
    Ok(Catalog { services, trains, specs, names })
}

/// Parses `90s`, `10m`, `2h`, `1h30m`, `1d` into seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let n: u64 = number.parse().ok()?;
            number.clear();
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return None,
            };
            total = total.checked_add(n.checked_mul(unit)?)?;
        }
    }
    if !number.is_empty() {
        return None;
    }
    Some(total)
}

/// Parses `90%` or `90` into a percentage from 0 to 100.
pub fn parse_percent(text: &str) -> Option<f64> {
    let n: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&n).then_some(n)
}
