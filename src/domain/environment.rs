//! The `environments:` policy (SPEC §7): the promotion order, and per
//! environment its approvals, checks, strategy, canary steps, health
//! retries and automatic rollback. `defaults:` gives what an environment
//! leaves out. Unknown keys are refused with the closest known one; an
//! environment that is not in `order` is refused with the closest name.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::hook::Hook;
use super::timeout::MAX_SECONDS;

/// Deployment strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Replace instances gradually.
    Rolling,
    /// Switch between two environments.
    BlueGreen,
    /// Send a share of traffic first.
    Canary,
}

impl Strategy {
    /// The name as written in the policy and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rolling => "rolling",
            Self::BlueGreen => "blue-green",
            Self::Canary => "canary",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `environments:` as written: `order`, `defaults` and one entry per
/// environment, read in the order written.
#[derive(Debug, Default)]
pub struct RawEnvironments {
    order: Vec<String>,
    defaults: RawEnvironment,
    named: Vec<(String, RawEnvironment)>,
}

impl<'de> Deserialize<'de> for RawEnvironments {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEnvironments;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`order`, `defaults` and one key per environment")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut raw = RawEnvironments::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "order" => raw.order = map.next_value()?,
                        "defaults" => raw.defaults = map.next_value()?,
                        _ => {
                            if raw.named.iter().any(|(n, _)| *n == key) {
                                return Err(de::Error::custom(format!(
                                    "environment `{key}` is written twice"
                                )));
                            }
                            let e = map.next_value()?;
                            raw.named.push((key, e));
                        }
                    }
                }
                Ok(raw)
            }
        }
        d.deserialize_map(V)
    }
}

/// One environment's policy as written (also `defaults:`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    approvals: Option<Vec<String>>,
    strategy: Option<Strategy>,
    checks: Option<Vec<Hook>>,
    canary: Option<RawCanary>,
    health: Option<RawHealth>,
    auto_rollback: Option<bool>,
    timeout: Option<Seconds>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCanary {
    steps: Option<Vec<u64>>,
    interval: Option<Seconds>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHealth {
    retries: Option<u32>,
    interval: Option<Seconds>,
}

/// A duration: a number of seconds, or text such as `30s`, `10m`, `1h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub u64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as `30s`, `10m`, `1h` or a number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                if v <= MAX_SECONDS { Ok(Seconds(v)) } else { Err(too_long(&v.to_string())) }
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Seconds, E> {
                Err(too_long(&v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(Seconds)
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                let t = v.trim();
                let digits = t.strip_suffix(['s', 'm', 'h']).unwrap_or(t);
                let number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                match parse_duration(v) {
                    Some(secs) if secs <= MAX_SECONDS => Ok(Seconds(secs)),
                    // Written as a duration, but too long (or past u64).
                    Some(_) => Err(too_long(t)),
                    None if number => Err(too_long(t)),
                    None => Err(E::custom(format!(
                        "`{v}` is not a duration: write `30s`, `10m`, `1h` or seconds"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The error of a duration over 7 days, which no clock is asked to wait.
fn too_long<E: de::Error>(written: &str) -> E {
    E::custom(format!(
        "`{written}` is more than 7 days: a duration is at most {MAX_SECONDS} seconds (`168h`)"
    ))
}

/// Reads `30s`, `10m`, `2h` or a plain number of seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// An environment's validated policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Environment {
    /// Name.
    pub name: String,
    /// Roles that must approve a version before it is deployed here.
    pub approvals: Vec<String>,
    /// Default strategy.
    pub strategy: Strategy,
    /// Commands that must pass before deploying here.
    pub checks: Vec<Hook>,
    /// The canary's traffic steps, in percent.
    pub canary_steps: Vec<u64>,
    /// Seconds between two canary steps.
    pub canary_interval: u64,
    /// How many times a failing `health` hook is run again.
    pub health_retries: u32,
    /// Seconds between two health attempts.
    pub health_interval: u64,
    /// A failing health check puts the previous version back.
    pub auto_rollback: bool,
    /// Seconds a `deploy`, `switch` or `rollback` hook may run.
    pub timeout: u64,
}

/// The promotion order when the policy gives none.
pub const DEFAULT_ORDER: [&str; 4] = ["dev", "qa", "staging", "production"];

/// The canary steps when the policy gives none.
pub const DEFAULT_CANARY: [u64; 3] = [10, 50, 100];

/// Validates `environments:` into the environments in promotion order.
pub fn resolve(raw: RawEnvironments) -> Result<Vec<Environment>, String> {
    let order =
        if raw.order.is_empty() { DEFAULT_ORDER.map(str::to_owned).to_vec() } else { raw.order };
    for (i, name) in order.iter().enumerate() {
        check_name(name)?;
        if order[..i].contains(name) {
            return Err(format!("environment `{name}` is twice in `environments.order`"));
        }
    }
    let mut named: BTreeMap<String, RawEnvironment> = BTreeMap::new();
    for (name, e) in raw.named {
        if !order.contains(&name) {
            let known: Vec<&str> = order.iter().map(String::as_str).collect();
            let hint = super::suggestion::did_you_mean(&name, known.iter().copied())
                .map_or_else(String::new, |h| format!(" ({h})"));
            return Err(format!(
                "environment `{name}` has a policy but is not in `environments.order`{hint}"
            ));
        }
        named.insert(name, e);
    }
    order
        .iter()
        .map(|name| {
            let e = named.remove(name).unwrap_or_default();
            merge(name, e, &raw.defaults)
        })
        .collect()
}

fn merge(name: &str, e: RawEnvironment, d: &RawEnvironment) -> Result<Environment, String> {
    let canary = e.canary.clone().unwrap_or_default();
    let dc = d.canary.clone().unwrap_or_default();
    let health = e.health.clone().unwrap_or_default();
    let dh = d.health.clone().unwrap_or_default();
    let canary_steps = canary.steps.or(dc.steps).unwrap_or_else(|| DEFAULT_CANARY.to_vec());
    check_steps(name, &canary_steps)?;
    Ok(Environment {
        name: name.to_owned(),
        approvals: e.approvals.or_else(|| d.approvals.clone()).unwrap_or_default(),
        strategy: e.strategy.or(d.strategy).unwrap_or(Strategy::Rolling),
        checks: e.checks.or_else(|| d.checks.clone()).unwrap_or_default(),
        canary_steps,
        canary_interval: canary.interval.or(dc.interval).map_or(0, |s| s.0),
        health_retries: health.retries.or(dh.retries).unwrap_or(0),
        health_interval: health.interval.or(dh.interval).map_or(0, |s| s.0),
        auto_rollback: e.auto_rollback.or(d.auto_rollback).unwrap_or(true),
        timeout: e.timeout.or(d.timeout).map_or(1800, |s| s.0),
    })
}

/// Canary steps: percentages from 1 to 100, each above the one before.
pub fn check_steps(env: &str, steps: &[u64]) -> Result<(), String> {
    if steps.is_empty() {
        return Err(format!("`{env}.canary.steps` is empty"));
    }
    for (i, s) in steps.iter().enumerate() {
        if !(1..=100).contains(s) || (i > 0 && *s <= steps[i - 1]) {
            return Err(format!(
                "`{env}.canary.steps` must rise from 1 to at most 100 percent; {s} does not"
            ));
        }
    }
    Ok(())
}

/// An environment's name becomes a file name and a hook's variable:
/// letters, digits, `.`, `-` and `_`, starting with a letter or digit.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not an environment name: use letters, digits, `.`, `-` and `_`",
            name.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(parse_duration("30s"), Some(30));
        assert_eq!(parse_duration("10m"), Some(600));
        assert_eq!(parse_duration("2h"), Some(7200));
        assert_eq!(parse_duration("45"), Some(45));
        assert_eq!(parse_duration("5d"), None);
        assert_eq!(parse_duration("m"), None);
    }

    #[test]
    fn canary_steps_rise() {
        assert!(check_steps("p", &[5, 25, 50, 100]).is_ok());
        assert!(check_steps("p", &[25, 5]).is_err());
        assert!(check_steps("p", &[0, 100]).is_err());
        assert!(check_steps("p", &[50, 101]).is_err());
    }

    #[test]
    fn names_stay_plain() {
        assert!(check_name("prod-eu.1").is_ok());
        assert!(check_name("$(touch x)").is_err());
        assert!(check_name("../up").is_err());
        assert!(check_name("").is_err());
    }
}
