//! `relman metrics [--since DATE] [--until DATE] [--service S] [--env ENV]`:
//! release KPIs from the tags, the audit trail and the deployment
//! ledger (SPEC §8).
//!
//! The reading is here; the arithmetic (bands, rates, medians, weekly
//! buckets, the commits of each release) is `domain::metrics`.
//!
//! Tags are read with one `git for-each-ref` (the tag's date: the tagger's
//! for an annotated tag, the commit's for a lightweight one) through
//! `Git::git_cli`, as relman has no other reader of tag dates; which tags
//! are releases is decided as everywhere else: the service's
//! `TagPattern`, the repository's ignored tags. Author times come from one
//! `git log` of the releases in the window, each pattern's last release
//! before the window hidden.
//!
//! - `report`: the `relman.metrics/1` model and its human rendering;
//! - `read`: the tags, the release units, the audit trail's verdicts, the
//!   ledger of the environment asked and the `git log` of the releases;
//! - `compute`: the figures over a window.

mod compute;
mod read;
mod report;

pub use compute::compute_with;
pub use read::{TagRecord, gate_verdicts, ledger, pattern_tags, read_tags, units};
pub use report::{
    Banded, EnvRate, LeadTime, MetricsReport, Rate, Recovery, ReleaseFrequency, RollbackRate,
    ServiceReleases, Sources, Window,
};

use super::Context;
use crate::cli::MetricsArgs;
use crate::domain::catalog::Catalog;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::settings::parse_time;

fn parse_flag(flag: &str, text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    parse_time(text).ok_or_else(|| {
        Error::input(format!("`{flag} {text}` is not a date"))
            .hint("write YYYY-MM-DD or an RFC 3339 time")
    })
}

/// The window of `--since`/`--until` (default: the 90 days before now).
pub fn window(cx: &Context, since: Option<&str>, until: Option<&str>) -> Result<(i64, i64)> {
    let until = match until {
        Some(t) => parse_flag("--until", t)?,
        None => cx.global.now,
    };
    let since = match since {
        Some(t) => parse_flag("--since", t)?,
        None => until - chrono::Duration::days(90),
    };
    if since > until {
        return Err(Error::input(format!(
            "`--since` ({}) is after `--until` ({})",
            since.to_rfc3339(),
            until.to_rfc3339()
        )));
    }
    Ok((since.timestamp(), until.timestamp()))
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Computes the metrics: the model `relman metrics` prints and `relman
/// report` renders.
pub fn compute(
    repo: &Repo,
    catalog: Option<&Catalog>,
    service: Option<&str>,
    env: Option<&str>,
    window: (i64, i64),
) -> Result<MetricsReport> {
    let units = units(repo, catalog, service)?;
    let tags = read_tags(repo)?;
    compute_with(repo, catalog, &units, &tags, service, env, window)
}

/// Computes and returns the metrics.
pub fn run(cx: &Context, args: &MetricsArgs) -> Result<MetricsReport> {
    let repo = cx.repo()?;
    if let Some(env) = &args.env {
        crate::domain::tag::check_ref_name(env)
            .map_err(|_| Error::input(format!("`--env {env}` is not an environment name")))?;
    }
    let window = window(cx, args.since.as_deref(), args.until.as_deref())?;
    let catalog = repo.catalog_optional()?;
    compute(repo, catalog.as_ref(), args.service.as_deref(), args.env.as_deref(), window)
}
