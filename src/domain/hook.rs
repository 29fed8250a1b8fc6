//! Hooks: the commands relman runs for a service or a project, as written
//! in the catalog, `relman.yaml` and the policies.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

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
