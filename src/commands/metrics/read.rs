//! What the metrics are read from: the tags (one `git for-each-ref`), the
//! release units, the audit trail's gate verdicts, the deployment ledger
//! of the environment asked and the author times of the releases (one `git log`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::target::Target;
use crate::domain::audit::Verdict;
use crate::domain::catalog::Catalog;
use crate::domain::metrics::{Deployment, GateVerdict, History, from_ledger};
use crate::domain::tag::TagPattern;
use crate::error::Result;
use crate::repo::Repo;
use crate::settings::parse_time;

/// A tag as `for-each-ref` gives it.
#[derive(Debug, Clone)]
pub struct TagRecord {
    /// Its name (without `refs/tags/`).
    pub name: String,
    /// Its date, unix seconds.
    pub time: i64,
    /// The commit it points at.
    pub commit: String,
}

/// Every tag with its date and commit, sorted by name, ignored tags left out.
pub fn read_tags(repo: &Repo) -> Result<Vec<TagRecord>> {
    let args = [
        "for-each-ref".to_owned(),
        "--format=%(creatordate:unix)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(refname:strip=2)"
            .to_owned(),
        "refs/tags".to_owned(),
    ];
    let text = repo.git.git_cli(&args, "", &[])?;
    let mut out: Vec<TagRecord> = text
        .lines()
        .filter_map(|line| {
            let mut f = line.splitn(6, '\0');
            let time = f.next()?.trim().parse().ok()?;
            let (kind, object) = (f.next()?, f.next()?);
            let (peeled_kind, peeled) = (f.next()?, f.next()?);
            let name = f.next()?;
            // A tag of a tree or a blob is no release (as everywhere else).
            let commit = match (kind, peeled_kind) {
                ("commit", _) => object,
                ("tag", "commit") => peeled,
                _ => return None,
            };
            Some(TagRecord { name: name.to_owned(), time, commit: commit.to_owned() })
        })
        .filter(|t| !repo.is_ignored_tag(&t.name))
        .collect();
    out.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The tags of `pattern` among `tags` (sorted by name), by name prefix.
pub fn pattern_tags<'t>(tags: &'t [TagRecord], pattern: &TagPattern) -> Vec<&'t TagRecord> {
    let start = tags.partition_point(|t| t.name.as_str() < pattern.prefix());
    tags[start..]
        .iter()
        .take_while(|t| t.name.starts_with(pattern.prefix()))
        .filter(|t| pattern.parse(&t.name).is_some())
        .collect()
}

/// The release units the metrics are over: the project, every service, or one.
pub fn units(repo: &Repo, catalog: Option<&Catalog>, service: Option<&str>) -> Result<Vec<Target>> {
    match (catalog, service) {
        (_, Some(s)) => Ok(vec![Target::resolve(repo, Some(s))?]),
        (Some(c), None) if !c.services.is_empty() => {
            c.services.iter().map(Target::from_service).collect()
        }
        _ => Ok(vec![Target::resolve(repo, None)?]),
    }
}

/// The deployments recorded in the ledgers of `envs` (SPEC §7), of
/// `service` only when given: only those environments' files are read
/// (the open part and its sealed segments). `None` when they record no
/// deployment, which every deployment figure reports as no data.
pub fn ledger(
    repo: &Repo,
    envs: &[String],
    service: Option<&str>,
) -> Result<Option<Vec<Deployment>>> {
    let mut out = Vec::new();
    for env in envs {
        let ledger = repo.ledger_history(env)?;
        out.extend(
            from_ledger(env, &ledger.history)
                .into_iter()
                .filter(|d| service.is_none_or(|s| d.service == s)),
        );
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Gate verdicts given at `validating` transitions (entering it and
/// leaving it) of the trains in `trains` (all without it), as the audit
/// trail records them; `None` when the trail records none at all (a trail
/// written before verdicts were recorded), which is no data, not 0.
pub fn gate_verdicts(
    records: &[Value],
    trains: Option<&BTreeSet<&str>>,
) -> Option<Vec<GateVerdict>> {
    let mut out = Vec::new();
    let mut any = false;
    for r in records {
        let get = |k: &str| r.get(k).and_then(Value::as_str);
        if get("action") != Some("transition")
            || (get("from") != Some("validating") && get("to") != Some("validating"))
        {
            continue;
        }
        let Some(gates) = r.get("gates") else { continue };
        any = true;
        let Some(train) = get("train") else { continue };
        if trains.is_some_and(|set| !set.contains(train)) {
            continue;
        }
        let Some(at) = get("time").and_then(parse_time).map(|t| t.timestamp()) else { continue };
        let verdicts: Vec<Verdict> = serde_json::from_value(gates.clone()).unwrap_or_default();
        out.extend(verdicts.into_iter().map(|v| GateVerdict {
            train: train.to_owned(),
            gate: v.gate,
            passed: v.passed,
            at,
        }));
    }
    any.then_some(out)
}

/// The author time and parents of the commits reachable from `tips` and
/// not from `hide`, in one `git log`.
pub(super) fn history(repo: &Repo, tips: &[&str], hide: Option<&str>) -> Result<History> {
    if tips.is_empty() {
        return Ok(History::default());
    }
    let mut input = String::with_capacity(41 * (tips.len() + 1) + 1);
    for t in tips {
        input.push_str(t);
        input.push('\n');
    }
    if let Some(h) = hide {
        input.push('^');
        input.push_str(h);
        input.push('\n');
    }
    let args = ["log".to_owned(), "--stdin".to_owned(), "--format=%H %at %P".to_owned()];
    let text = repo.git.git_cli(&args, &input, &[])?;
    Ok(History::parse(&text))
}
