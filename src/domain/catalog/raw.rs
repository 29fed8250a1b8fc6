//! The catalog files as written: types that mirror the YAML exactly and
//! refuse unknown keys (ripgrep's "low-level args"). `validate` turns them
//! into the model.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::{DependencyKind, Hooks};

/// `services.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServices {
    pub(super) services: Vec<RawService>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) aliases: Vec<Spanned<String>>,
    pub(super) path: Spanned<String>,
    #[serde(default)]
    pub(super) depends_on: Vec<Spanned<String>>,
    pub(super) tag: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) version_files: Vec<Spanned<String>>,
    pub(super) changelog: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) hooks: Hooks,
}

/// `release-trains.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrains {
    pub(super) trains: Vec<Spanned<RawTrain>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrain {
    pub(super) name: Spanned<String>,
    pub(super) description: Option<String>,
    pub(super) target_version: Option<Spanned<String>>,
    pub(super) participants: Vec<Spanned<RawParticipant>>,
    #[serde(default)]
    pub(super) dependencies: Vec<Spanned<RawDependency>>,
    #[serde(default)]
    pub(super) gates: Vec<Spanned<RawGate>>,
    /// `Some` whenever the key is written, its value `None` when it is
    /// empty or null (`status:`, `status: ~`): the edit of `status:` goes
    /// there, never to a second `status:` key.
    #[serde(default, deserialize_with = "present")]
    pub(super) status: Option<Spanned<Option<String>>>,
    pub(super) schedule: Option<RawSchedule>,
    pub(super) rollback: Option<RawRollback>,
}

/// Reads a key that is written, even with a null value, as `Some` (serde
/// reads a null `Option` as a missing key).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchedule {
    pub(super) start_time: Option<Spanned<String>>,
    pub(super) estimated_duration: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRollback {
    pub(super) enabled: Option<bool>,
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) health_check_threshold: Option<Spanned<String>>,
}

/// A participant: a bare name, or a map pinning a version or a bump.
#[derive(Debug)]
pub(super) struct RawParticipant {
    pub(super) name: String,
    pub(super) version: Option<String>,
    pub(super) bump: Option<String>,
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
pub(super) struct RawDependency {
    pub(super) kind: DependencyKind,
    pub(super) text: String,
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
pub(super) struct RawGate {
    pub(super) form: String,
    pub(super) value: RawGateValue,
    pub(super) blocking: Option<bool>,
    pub(super) critical: Option<bool>,
}

#[derive(Debug)]
pub(super) enum RawGateValue {
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

/// `specs.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpecs {
    #[serde(default)]
    pub(super) specs: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) libraries: BTreeMap<String, Vec<Spanned<String>>>,
}
