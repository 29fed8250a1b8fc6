//! The deployment ledger (SPEC §7): one file per environment,
//! `.relman/state/environments/<env>.yaml`, holding what is live per
//! service, the approvals waiting and the newest 64 entries of its history;
//! older entries are sealed beside it in `<env>.000001.yaml`, … and never
//! written again. So a deployment rewrites a file whose size does not grow
//! with the history (docs/decisions.md).
//!
//! Beside it, in git's common directory, a deployment's progress: a
//! record per environment and service, written before each hook starts and
//! after it ends, so a run killed after a hook passed does not run that
//! hook again and a deployment whose hooks all passed is recorded by the
//! next run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::Repo;
use super::transaction::Transaction;
use crate::domain::deploy::{Ledger, LedgerFault, Segment};
use crate::error::{Error, Location, Result};
use crate::files;

const HEADER: &str = "# relman's deployment ledger (SPEC 7): written by relman, not by hand.\n";
const WHAT: &str = "deployment ledger (`paths.state`)";

impl Repo {
    /// `<state>/environments/<env>.yaml`.
    pub fn ledger_file(&self, env: &str) -> String {
        format!("{}/environments/{env}.yaml", self.config.state.value.trim_end_matches('/'))
    }

    /// The sealed segment `n` of `env`'s history.
    pub fn ledger_segment(&self, env: &str, n: u32) -> String {
        format!("{}/environments/{env}.{n:06}.yaml", self.config.state.value.trim_end_matches('/'))
    }

    /// Reads `env`'s ledger (empty when nothing was deployed there).
    pub fn ledger(&self, env: &str) -> Result<Ledger> {
        let file = self.ledger_file(env);
        parse_ledger(env, self.read_text(&file, WHAT)?, &file)
    }

    /// Every entry of `env`'s history, oldest first: the sealed segments,
    /// then the open part.
    pub fn ledger_history(&self, env: &str) -> Result<Ledger> {
        let mut ledger = self.ledger(env)?;
        let mut all = Vec::new();
        for n in 1..=ledger.sealed {
            let file = self.ledger_segment(env, n);
            let Some(text) = self.read_text(&file, WHAT)? else {
                return Err(Error::refused(format!(
                    "segment {n} of the ledger of `{env}` is missing"
                ))
                .at(Location::file(file)));
            };
            let segment: Segment = crate::yaml::parse(&text, &file)?;
            all.extend(segment.history);
        }
        all.append(&mut ledger.history);
        ledger.history = all;
        Ok(ledger)
    }

    /// Reads `env`'s ledger as `tx` will leave it.
    pub fn ledger_in(&self, tx: &Transaction<'_>, env: &str) -> Result<Ledger> {
        let file = self.ledger_file(env);
        parse_ledger(env, tx.read(&file, WHAT)?, &file)
    }

    /// Writes `ledger` in `tx`, and `sealed` beside it first.
    pub fn save_ledger(
        &self,
        tx: &mut Transaction<'_>,
        ledger: &Ledger,
        sealed: Option<Segment>,
    ) -> Result<()> {
        if let Some(segment) = sealed {
            let file = self.ledger_segment(&ledger.environment, segment.segment);
            if tx.read(&file, WHAT)?.is_some() {
                return Err(Error::refused(format!(
                    "`{file}` exists already: the ledger's segments are out of order"
                ))
                .at(Location::file(file)));
            }
            tx.write(&file, WHAT, "state", yaml(&segment)?)?;
        }
        tx.write(&self.ledger_file(&ledger.environment), WHAT, "state", yaml(ledger)?)?;
        Ok(())
    }
}

fn parse_ledger(env: &str, text: Option<String>, file: &str) -> Result<Ledger> {
    match text.filter(|t| !t.trim().lines().all(|l| l.trim().is_empty() || l.starts_with('#'))) {
        Some(text) => {
            let ledger: Ledger = crate::yaml::parse(&text, file)?;
            if ledger.environment != env {
                return Err(Error::input(format!(
                    "the ledger of `{env}` says it is the ledger of `{}`",
                    ledger.environment
                ))
                .at(Location::file(file)));
            }
            if let Err(fault) = ledger.check() {
                return Err(Error::input(format!(
                    "the ledger of `{env}` was changed by hand: {}",
                    fault.why
                ))
                .at(place(&text, file, &fault))
                .hint("relman writes the ledger; put back the committed one (`git log -p -- FILE`) rather than editing it"));
            }
            Ok(ledger)
        }
        None => Ok(Ledger { environment: env.to_owned(), ..Ledger::default() }),
    }
}

/// The places of the keys a ledger check names, read again with their
/// spans only when a check failed.
#[derive(Deserialize)]
struct Places {
    #[serde(default)]
    count: Option<Spanned<u64>>,
    #[serde(default)]
    live: BTreeMap<String, LivePlaces>,
    #[serde(default)]
    history: Vec<EntryPlace>,
}

#[derive(Deserialize)]
struct LivePlaces {
    #[serde(default)]
    version: Option<Spanned<String>>,
    #[serde(default)]
    previous: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct EntryPlace {
    #[serde(default)]
    n: Option<Spanned<u64>>,
}

/// Where the key `fault` names (`count`, `n`, `live.SERVICE.version` or
/// `.previous`) is written in `text`, else the whole file.
fn place(text: &str, file: &str, fault: &LedgerFault) -> Location {
    fn at<T>(file: &str, s: &Spanned<T>) -> Location {
        Location::new(file, s.referenced.line(), s.referenced.column())
    }
    let Ok(places) = crate::yaml::parse::<Places>(text, file) else {
        return Location::file(file);
    };
    let found = match fault.key.as_str() {
        "count" => places.count.as_ref().map(|c| at(file, c)),
        "n" => places
            .history
            .iter()
            .filter_map(|e| e.n.as_ref())
            .find(|n| n.value.to_string() == fault.value)
            .map(|n| at(file, n)),
        key => key.strip_prefix("live.").and_then(|k| k.rsplit_once('.')).and_then(
            |(service, which)| {
                let live = places.live.get(service)?;
                let span = if which == "previous" { &live.previous } else { &live.version };
                span.as_ref().map(|v| at(file, v))
            },
        ),
    };
    found.unwrap_or_else(|| Location::file(file))
}

fn yaml(value: &impl Serialize) -> Result<String> {
    let text = serde_saphyr::to_string(value)
        .map_err(|e| Error::input(format!("cannot write the deployment ledger: {e}")))?;
    Ok(format!("{HEADER}{text}"))
}

/// A deployment under way: which hooks passed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The ledger's entry count when it started: its entry comes after.
    pub after: u64,
    /// The version deployed.
    pub version: String,
    /// When it started.
    pub at: String,
    /// The strategy.
    pub strategy: String,
    /// The steps (their keys) whose hook passed, in order.
    pub passed: Vec<String>,
    /// The step whose hook started and has not ended, if one has.
    pub running: Option<String>,
    /// The step that failed, once one did.
    pub failed: Option<String>,
}

/// The progress records of one environment.
#[derive(Debug, Clone)]
pub struct Records {
    dir: PathBuf,
}

impl Records {
    /// The records of `env` in `repo`.
    pub fn of(repo: &Repo, env: &str) -> Self {
        Self {
            dir: repo
                .git
                .common_dir()
                .join("relman-progress")
                .join("_environments")
                .join(files::path_component(env)),
        }
    }

    /// The records of `rollback --env` in `env`, beside the deployments'
    /// (`<env>/_rollback/<service>.json`): an interrupted rollback and an
    /// interrupted deployment of the same service never read each other's.
    pub fn rollbacks_of(repo: &Repo, env: &str) -> Self {
        Self { dir: Self::of(repo, env).dir.join("_rollback") }
    }

    fn path(&self, service: &str) -> PathBuf {
        self.dir.join(format!("{}.json", files::path_component(service)))
    }

    /// The record of `service`, if a deployment left one.
    pub fn read(&self, service: &str) -> Result<Option<Progress>> {
        let file = self.path(service);
        let shown = file.display().to_string();
        let Some(text) = files::read_text(&file, &shown)? else { return Ok(None) };
        serde_json::from_str(&text).map(Some).map_err(|_| {
            Error::refused("the record of a deployment's progress is unreadable")
                .at(Location::file(shown))
                .hint("delete that file: that deployment's hooks then run again")
        })
    }

    /// Records `p` for `service`.
    pub fn write(&self, service: &str, p: &Progress) -> Result<()> {
        files::create_dir_all(&self.dir)?;
        let text = serde_json::to_vec(p)
            .map_err(|e| Error::input(format!("cannot record a hook's progress: {e}")))?;
        // A run killed while writing it left a temporary file beside it:
        // the lock is held, so none of these is being written now.
        let path = self.path(service);
        files::remove_all_temps(&path)?;
        files::replace_unsynced(&path, &text)
    }

    /// Forgets the record of `service`.
    pub fn clear(&self, service: &str) -> Result<()> {
        let file = self.path(service);
        files::remove_all_temps(&file)?;
        if files::exists(&file) { files::remove(&file) } else { Ok(()) }
    }
}
