//! Deployments (SPEC §7): an environment's ledger, the steps a strategy
//! takes, and the promotion rule. Pure: the repository reads and writes
//! the ledger (`repo/ledger.rs`), the command runs the hooks.

use serde::{Deserialize, Serialize};

use super::environment::Environment;
use super::policy::Strategy;

/// What an environment's deployment ended as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Deployed and healthy.
    Succeeded,
    /// A hook failed; nothing was put back.
    Failed,
    /// A hook failed and the previous version was put back.
    RolledBack,
}

impl Outcome {
    /// The name as recorded.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
        }
    }
}

/// What an entry of the history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A deployment.
    Deploy,
    /// The previous version put back (automatically or by `rollback --env`).
    Rollback,
}

/// What runs in an environment for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Live {
    /// The version live.
    pub version: String,
    /// The version live before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// How it was deployed.
    pub strategy: Strategy,
    /// Blue-green: the slot taking traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// The share of traffic it takes, in percent.
    pub traffic: u64,
    /// When it went live.
    pub at: String,
}

/// One line of an environment's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Its number in the environment, from 1.
    pub n: u64,
    /// Deployment or rollback.
    pub kind: Kind,
    /// The service (the project's name for a single project).
    pub service: String,
    /// The version deployed (a rollback: the version restored).
    pub version: String,
    /// The version live before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The strategy.
    pub strategy: Strategy,
    /// Blue-green: the slot deployed to (a rollback: switched back to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// Traffic at the end, in percent.
    pub traffic: u64,
    /// Who.
    pub by: String,
    /// When it started.
    pub at: String,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// How it ended.
    pub result: Outcome,
    /// Why (a rollback; a failed deployment: the hook that failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The approvals it was deployed with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
}

/// An approval to deploy a version of a service to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The service.
    pub service: String,
    /// The version.
    pub version: String,
    /// The role.
    pub role: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
}

/// An environment's ledger file: what is live, the approvals waiting, and
/// the newest part of the history (older parts are sealed beside it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// The environment.
    pub environment: String,
    /// Entries recorded in all (the last entry's `n`).
    #[serde(default)]
    pub count: u64,
    /// Segments of history sealed beside this file.
    #[serde(default)]
    pub sealed: u32,
    /// Per service, what is live.
    #[serde(default)]
    pub live: std::collections::BTreeMap<String, Live>,
    /// Approvals given for deployments not made yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// The newest entries, oldest first.
    #[serde(default)]
    pub history: Vec<Entry>,
}

/// A sealed segment of an environment's history: written once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// The environment.
    pub environment: String,
    /// Its number, from 1.
    pub segment: u32,
    /// Its entries, oldest first.
    pub history: Vec<Entry>,
}

/// Entries an open history holds before it is sealed.
pub const SEGMENT_ENTRIES: usize = 64;

impl Ledger {
    /// Appends `entry` (numbered here); returns the history to seal first,
    /// when the open part is full.
    pub fn push(&mut self, mut entry: Entry) -> Option<Segment> {
        let sealed = (self.history.len() >= SEGMENT_ENTRIES).then(|| {
            self.sealed += 1;
            Segment {
                environment: self.environment.clone(),
                segment: self.sealed,
                history: std::mem::take(&mut self.history),
            }
        });
        self.count += 1;
        entry.n = self.count;
        self.history.push(entry);
        sealed
    }

    /// Checks what a hand edit could break and every step relies on: the
    /// entries are numbered 1, 2, … without a gap, `count` is the last
    /// number (each sealed segment holding its 64), and what is live is a
    /// version. Returns the key at fault (`count`, or `live.SERVICE.version`,
    /// `live.SERVICE.previous`), its value, and what is wrong.
    pub fn check(&self) -> Result<(), LedgerFault> {
        let fault = |key: String, value: String, why: String| Err(LedgerFault { key, value, why });
        let sealed = u64::from(self.sealed) * SEGMENT_ENTRIES as u64;
        let expected = sealed + self.history.len() as u64;
        if self.count != expected {
            return fault(
                "count".into(),
                self.count.to_string(),
                format!(
                    "the ledger holds {expected} entries ({} sealed and {} open), not {}",
                    sealed,
                    self.history.len(),
                    self.count
                ),
            );
        }
        for (i, e) in self.history.iter().enumerate() {
            let n = sealed + i as u64 + 1;
            if e.n != n {
                return fault(
                    "n".into(),
                    e.n.to_string(),
                    format!("entry {} of the open history is numbered {}, not {n}", i + 1, e.n),
                );
            }
        }
        for (service, live) in &self.live {
            let versions = [("version", Some(&live.version)), ("previous", live.previous.as_ref())];
            for (key, value) in versions {
                if let Some(v) = value
                    && super::version::Version::parse(v).is_err()
                {
                    return fault(
                        format!("live.{service}.{key}"),
                        v.clone(),
                        format!("`{v}` is not a version (MAJOR.MINOR.PATCH)"),
                    );
                }
            }
        }
        Ok(())
    }

    /// Tells whether `version` of `service` is recorded here as deployed
    /// successfully, in what is live or in the open history.
    pub fn has_succeeded(&self, service: &str, version: &str) -> bool {
        self.live.get(service).is_some_and(|l| l.version == version)
            || self.history.iter().any(|e| is_success_of(e, service, version))
    }
}

/// What [`Ledger::check`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFault {
    /// The key at fault, as a path (`count`, `live.api.version`, `n`).
    pub key: String,
    /// Its value as written.
    pub value: String,
    /// What is wrong.
    pub why: String,
}

/// Tells whether `e` is a successful deployment of `version` of `service`.
pub fn is_success_of(e: &Entry, service: &str, version: &str) -> bool {
    e.kind == Kind::Deploy
        && e.result == Outcome::Succeeded
        && e.service == service
        && e.version == version
}

/// The environment before `env` in `order` (`None` for the first).
pub fn before<'e>(envs: &'e [Environment], env: &str) -> Option<&'e Environment> {
    let i = envs.iter().position(|e| e.name == env)?;
    i.checked_sub(1).map(|j| &envs[j])
}

/// The blue-green slot not taking traffic (`blue` when none does).
pub fn idle_slot(live: Option<&Live>) -> &'static str {
    match live.and_then(|l| l.slot.as_deref()) {
        Some("blue") => "green",
        _ => "blue",
    }
}

/// One step of a strategy: a hook with the traffic it sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// A key unique in the deployment (`deploy@25`, `health@25`, `switch`),
    /// what a resumed run skips once it passed.
    pub key: String,
    /// The hook: `deploy`, `health` or `switch`.
    pub hook: &'static str,
    /// `RELMAN_TRAFFIC`.
    pub traffic: u64,
    /// Seconds to wait before it (a canary's interval).
    pub wait: u64,
}

/// The steps of `strategy` in order; `initial` replaces a canary's first
/// traffic step.
pub fn steps(strategy: Strategy, env: &Environment, initial: Option<u64>) -> Vec<Step> {
    let step = |hook: &'static str, traffic: u64, wait: u64, key: String| Step {
        key,
        hook,
        traffic,
        wait,
    };
    match strategy {
        Strategy::Rolling => {
            vec![step("deploy", 100, 0, "deploy".into()), step("health", 100, 0, "health".into())]
        }
        Strategy::BlueGreen => vec![
            step("deploy", 0, 0, "deploy".into()),
            step("health", 0, 0, "health".into()),
            step("switch", 100, 0, "switch".into()),
        ],
        Strategy::Canary => {
            let mut pcts = env.canary_steps.clone();
            if let (Some(first), Some(pct)) = (pcts.first_mut(), initial) {
                *first = pct;
            }
            let mut out = Vec::new();
            for pct in pcts {
                out.push(step("deploy", pct, 0, format!("deploy@{pct}")));
                out.push(step("health", pct, env.canary_interval, format!("health@{pct}")));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(service: &str, version: &str) -> Entry {
        Entry {
            n: 0,
            kind: Kind::Deploy,
            service: service.into(),
            version: version.into(),
            previous: None,
            strategy: Strategy::Rolling,
            slot: None,
            traffic: 100,
            by: "me".into(),
            at: "t".into(),
            duration_ms: 1,
            result: Outcome::Succeeded,
            reason: None,
            approvals: Vec::new(),
        }
    }

    #[test]
    fn a_full_history_is_sealed_before_the_next_entry() {
        let mut l = Ledger { environment: "dev".into(), ..Ledger::default() };
        for i in 0..SEGMENT_ENTRIES {
            assert!(l.push(entry("api", &format!("1.0.{i}"))).is_none());
        }
        let sealed = l.push(entry("api", "2.0.0")).expect("sealed");
        assert_eq!((sealed.segment, sealed.history.len()), (1, SEGMENT_ENTRIES));
        assert_eq!((l.count, l.history.len(), l.history[0].n), (65, 1, 65));
    }

    #[test]
    fn a_ledger_edited_by_hand_is_caught_by_its_numbers_and_versions() {
        let mut l = Ledger { environment: "dev".into(), ..Ledger::default() };
        for i in 0..=SEGMENT_ENTRIES {
            let _ = l.push(entry("api", &format!("1.0.{i}")));
        }
        assert_eq!(l.check(), Ok(()));
        let mut lowered = l.clone();
        lowered.count -= 1;
        assert_eq!(lowered.check().unwrap_err().key, "count");
        let mut renumbered = l.clone();
        renumbered.history[0].n = 3;
        assert_eq!(renumbered.check().unwrap_err().key, "n");
        let live = |version: &str, previous: Option<&str>| Live {
            version: version.into(),
            previous: previous.map(Into::into),
            strategy: Strategy::Rolling,
            slot: None,
            traffic: 100,
            at: "t".into(),
        };
        l.live.insert("api".into(), live("1.0.64", Some("1.0.63")));
        assert_eq!(l.check(), Ok(()));
        l.live.insert("api".into(), live("1.10", None));
        let fault = l.check().unwrap_err();
        assert_eq!((fault.key.as_str(), fault.value.as_str()), ("live.api.version", "1.10"));
        l.live.insert("api".into(), live("1.1.0", Some("latest")));
        assert_eq!(l.check().unwrap_err().key, "live.api.previous");
    }

    #[test]
    fn blue_green_alternates_slots() {
        let mut live = Live {
            version: "1".into(),
            previous: None,
            strategy: Strategy::BlueGreen,
            slot: None,
            traffic: 100,
            at: "t".into(),
        };
        assert_eq!(idle_slot(None), "blue");
        live.slot = Some("blue".into());
        assert_eq!(idle_slot(Some(&live)), "green");
        live.slot = Some("green".into());
        assert_eq!(idle_slot(Some(&live)), "blue");
    }
}
