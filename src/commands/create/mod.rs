//! `relman create LEVEL [SERVICE]`: cut a release (SPEC §2.1).
//!
//! The whole release is planned first (every file's old and new text, the
//! audit line, the commit message, the tag and its notes); `--dry-run`
//! renders that plan with unified diffs, and a real run executes the same
//! plan. Nothing is written until every check has passed, and every check
//! runs, so one refusal names every problem.
//!
//! - `report`: the `relman.create/1` document and its human rendering;
//! - `approvals`: change control, the approvals and urgency gates;
//! - `plan`: the checks and the release staged in the transaction;
//! - `resume`: a release commit an interrupted run left without its tag.

mod approvals;
mod plan;
mod report;
mod resume;

pub use report::{CreateReport, FileChange};

use super::Context;
use super::target::{Pending, Target};
use crate::cli::{CreateArgs, CreateLevel};
use crate::domain::calendar;
use crate::domain::version::{Level, Version};
use crate::error::{Error, Result};
use crate::repo::Repo;

/// Cuts a release.
pub fn run(cx: &Context, args: &CreateArgs) -> Result<CreateReport> {
    let repo = cx.repo()?;
    let target = Target::resolve_with(repo, args.service.as_deref(), &args.one_off)?;
    // Everything below is read with the lock held (a dry run takes none).
    let (mut tx, recovered) = cx.transaction(repo)?;
    if let Some(report) = recovered
        .filter(|r| r.undone_push.is_none())
        .and_then(|r| resume::completed_report(cx, repo, &target, &r, args))
    {
        // The interrupted release is this run's result: never a second one.
        return Ok(report);
    }
    let pending = Pending::read(repo, &target)?;
    let new_branch =
        if args.level == CreateLevel::Hotfix { hotfix_branch(repo, &pending)? } else { None };
    if let Some((name, at)) = &new_branch {
        tx.new_branch(name.clone(), at.clone());
    }
    let mut report = plan::plan(cx, repo, &mut tx, &target, &pending, args, new_branch.as_ref())?;
    if !tx.can_write() {
        let preview = tx.preview();
        for (f, p) in report.files.iter_mut().zip(preview.files) {
            f.diff = Some(p.diff);
        }
        return Ok(report);
    }
    let finished = tx.finish()?;
    report.commit = finished.commit;
    if args.no_commit {
        report.commit_message.clear();
    }
    Ok(report)
}

/// The `hotfix/<tag>` branch a hotfix must create, with the newest
/// release's commit it starts at; `None` when HEAD is on a `hotfix/*` branch
/// already, which patches the newest release in its own history (SPEC §1.1,
/// §2.1), as a maintenance branch does.
fn hotfix_branch(repo: &Repo, pending: &Pending) -> Result<Option<(String, String)>> {
    let Some(last) = &pending.last else {
        return Err(Error::refused("there is no release to hotfix yet")
            .hint("cut a first release with `relman create minor` (or another level)"));
    };
    if repo.git.branch()?.is_some_and(|b| b.starts_with("hotfix/")) {
        return Ok(None);
    }
    let name = format!("hotfix/{}", last.tag);
    crate::domain::tag::check_ref_name(&name)?;
    if repo.git.branch_exists(&name) {
        return Err(Error::refused(format!("branch `{name}` already exists")).hint(format!(
            "switch to it (`git switch {name}`) and run `relman create hotfix` there"
        )));
    }
    Ok(Some((name, last.commit.clone())))
}

/// Returns the `Level` a CLI level bumps by (`hotfix` is a patch; `auto` is
/// resolved from the commits before this is asked).
pub(super) fn level_of(level: CreateLevel) -> Level {
    match level {
        CreateLevel::Major => Level::Major,
        CreateLevel::Minor => Level::Minor,
        CreateLevel::Prerelease => Level::Prerelease,
        CreateLevel::Premajor => Level::Premajor,
        CreateLevel::Preminor => Level::Preminor,
        CreateLevel::Prepatch => Level::Prepatch,
        CreateLevel::Release => Level::Release,
        CreateLevel::Patch | CreateLevel::Auto | CreateLevel::Hotfix => Level::Patch,
    }
}

/// Whether the tag is signed: `--sign`, `release.sign`, or git's own
/// `tag.gpgSign` (SPEC §2.1: as `git tag -s` would).
pub(super) fn sign_tag(repo: &Repo, args: &CreateArgs) -> bool {
    args.sign || repo.config.sign.value || repo.git.config_bool("tag.gpgsign")
}

/// With `--calendar`, the calendar version of the two-week train holding
/// today (SPEC 9, `YYYY.N.0`: docs/decisions.md); a hotfix bumps the patch
/// of the release it fixes, never to a calendar version.
pub(super) fn calendar_version(cx: &Context, args: &CreateArgs) -> Result<Option<Version>> {
    if !args.calendar {
        return Ok(None);
    }
    if args.level == CreateLevel::Hotfix {
        return Err(Error::input("`--calendar` sets a train's version; a hotfix bumps the patch")
            .hint("run `relman create hotfix` without `--calendar`"));
    }
    let today = cx.global.now.date_naive();
    calendar::version_of(today).map(Some).ok_or_else(|| {
        Error::input(format!("{today} has no calendar version")).hint("check `RELMAN_NOW`")
    })
}
