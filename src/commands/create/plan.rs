//! The release planned in the transaction: every check, the version, the
//! files, the commit and the tag.

use super::super::Context;
use super::super::release::{self, Staged, Unit};
use super::super::target::{Pending, Target};
use super::approvals::change_control;
use super::report::{CreateReport, FileChange};
use super::resume::{complete, untagged_release};
use super::{calendar_version, level_of, sign_tag};
use crate::cli::{CreateArgs, CreateLevel};
use crate::domain::audit::Verdict;
use crate::domain::commit::ReleaseType;
use crate::domain::version::Version;
use crate::error::{Error, ErrorKind, Problem, Result};
use crate::repo::Repo;
use crate::repo::transaction::Transaction;

pub(super) fn plan(
    cx: &Context,
    repo: &Repo,
    tx: &mut Transaction<'_>,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
    new_branch: Option<&(String, String)>,
) -> Result<CreateReport> {
    if let Some(done) = untagged_release(cx, repo, target, pending, args)? {
        return complete(cx, repo, tx, target, pending, args, done);
    }
    let mut problems = Vec::new();
    let refused =
        |p: &mut Vec<Problem>, msg: String, hint: &str| p.push(Problem::new(msg).hint(hint));
    // relman's own configuration, untracked, is what someone trying relman
    // has just written (`relman init`): it does not stop a release that
    // does not write it (docs/decisions.md).
    let written: Vec<&str> = target
        .version_files
        .iter()
        .chain(&target.changelog)
        .chain(std::iter::once(&repo.config.audit_log.value))
        .map(String::as_str)
        .collect();
    // So is the dotenv report an earlier `--ci` command of the job wrote.
    let dotenv = cx.own_dotenv(repo);
    let dirty: Vec<String> = repo
        .git
        .dirty()?
        .into_iter()
        .filter(|(p, untracked)| {
            let own = own_config(repo, p, &written) || dotenv.as_deref() == Some(p.as_str());
            !(*untracked && own)
        })
        .map(|(p, _)| p)
        .collect();
    if !dirty.is_empty() {
        let shown: Vec<&str> = dirty.iter().take(5).map(String::as_str).collect();
        let more =
            if dirty.len() > 5 { format!(" and {} more", dirty.len() - 5) } else { String::new() };
        refused(
            &mut problems,
            format!("the work tree is not clean: {}{more}", shown.join(", ")),
            "commit or stash your changes first",
        );
    }
    let branch = match new_branch {
        Some((b, _)) => Some(b.clone()),
        None => repo.git.branch()?,
    };
    problems.extend(release::branch_refusal(repo, branch.as_deref()));
    if repo.git.head()?.is_none() {
        refused(&mut problems, "the repository has no commits yet".into(), "make a first commit");
    }
    let sign = sign_tag(repo, args);

    // The version: from --version, from the level, or from the commits.
    let current = pending.current.clone();
    let calendar = calendar_version(cx, args)?;
    // `--calendar` with `auto` still needs something to release.
    let (version, level) = match (&args.version, calendar, args.level) {
        (Some(v), _, _) => (Version::parse(v)?.without_build(), None),
        (None, Some(c), level) if level != CreateLevel::Auto || pending.bump().is_some() => {
            (c, None)
        }
        (None, _, CreateLevel::Auto) => match pending.bump() {
            Some(level) => (current.bump(level, args.pre.as_deref())?, Some(level)),
            None => {
                let since = pending
                    .last
                    .as_ref()
                    .map_or("the first commit".to_owned(), |l| format!("`{}`", l.tag));
                let rules = repo.config.rules();
                let why =
                    rules.nothing_released(pending.commits.iter().map(|c| c.conventional.as_ref()));
                return Err(Error::rejected(format!(
                    "nothing to release: no {} commit since {since}",
                    rules.releasing()
                ))
                .hint(match why {
                    Some(why) => format!("{why}\n`relman next` lists the commits it read"),
                    None => "`relman next` lists the commits it read".to_owned(),
                }));
            }
        },
        (None, _, level) => {
            let level = level_of(level);
            (current.bump(level, args.pre.as_deref())?, Some(level))
        }
    };
    // The first release may be cut at exactly the version the files hold;
    // after that every release must be greater than the last (SPEC §2.1).
    let first = pending.last.is_none();
    if version < current || (version == current && !first) {
        refused(
            &mut problems,
            format!("version {version} is not greater than the current {current}"),
            "pick a higher `--version`, or a bump level",
        );
    }
    let control = change_control(cx, repo, target, args, &current, &version)?;
    let mut unit = Unit::new(repo, target, pending, version.clone());
    unit.urgency = control.urgency;
    unit.approvals = control.approvals.clone();
    unit.gates = control.gates.iter().flatten().map(Verdict::of).collect();
    // A branch created at the release holds none of the commits made since.
    if new_branch.is_some() {
        unit.entries.clear();
    }
    let tag = unit.tag.clone();
    crate::domain::tag::check_ref_name(&tag)?;
    problems.extend(release::tag_is_free(repo, &tag)?);
    // A dry run previews the release it would refuse, then says why.
    let would = |problems: &[Problem], kind: ErrorKind| {
        let would = problems
            .iter()
            .map(|p| Problem { message: format!("would refuse: {}", p.message), ..p.clone() });
        Error::many(kind, would.collect())
    };
    let mut refusal = (!problems.is_empty()).then(|| would(&problems, ErrorKind::Refused));
    if refusal.is_some() && tx.can_write() {
        return Err(Error::many(ErrorKind::Refused, problems));
    }
    // Missing approvals and failing gates: exit 1, nothing written.
    if refusal.is_none() && !control.problems.is_empty() {
        if tx.can_write() {
            return Err(Error::many(ErrorKind::Rejected, control.problems));
        }
        refusal = Some(would(&control.problems, ErrorKind::Rejected));
    }
    let Staged { notes, commit_message } = match release::stage(cx, repo, tx, &unit) {
        Ok(staged) => staged,
        // A preview that cannot be made still says why the run would refuse.
        Err(_) if refusal.is_some() => {
            return Err(match refusal {
                Some(r) if problems.is_empty() => r,
                _ => Error::many(ErrorKind::Refused, problems),
            });
        }
        Err(e) => return Err(e),
    };
    let tagged = !args.no_commit && !args.no_tag;
    if args.no_verify {
        tx.no_verify();
    }
    if !args.no_commit {
        tx.commit(commit_message.clone());
    }
    if tagged {
        tx.tag(tag.clone(), notes.clone(), sign);
    }
    // Nothing to publish from a release the real run would refuse, or
    // that relman pushes itself (`--push`).
    let by_hand = refusal.is_none() && cx.pushed().is_none();
    let push = branch.as_ref().filter(|_| !args.no_commit && by_hand).map(|b| {
        if args.no_tag {
            format!("git push origin {b}")
        } else {
            format!("git push --atomic origin {b} {tag}")
        }
    });
    Ok(CreateReport {
        service: target.name.clone(),
        previous: current,
        version,
        level,
        release_type: match (&args.version, args.level) {
            (Some(_), _) => None,
            (None, CreateLevel::Hotfix) => Some(ReleaseType::ServiceHotfix),
            (None, _) => pending.release_type(),
        },
        tag,
        files: file_changes(tx),
        branch_created: new_branch.map(|(b, _)| b.clone()),
        commit: None,
        commit_message,
        tagged,
        signed: sign && tagged,
        notes,
        dry_run: cx.global.dry_run,
        push,
        completed_interrupted: false,
        urgency: control.urgency,
        approvals: control.approvals,
        gates: control.gates,
        refusal,
    })
}

/// Tells whether an untracked `path` (a file, or a folder ending in `/`)
/// is relman's own configuration (`relman.yaml`, the catalog, the policy
/// file) holding none of the files the release writes.
fn own_config(repo: &Repo, path: &str, written: &[&str]) -> bool {
    let c = &repo.config;
    let catalog = format!("{}/", c.catalog.value.trim_end_matches('/'));
    let own = path == crate::config::CONFIG_FILE
        || path.starts_with(&catalog)
        || [c.policies.value.as_str(), "config/upgrade-policies.yaml"].contains(&path);
    // An untracked folder is all its files.
    let writes = written.iter().any(|f| *f == path || (path.ends_with('/') && f.starts_with(path)));
    own && !writes
}

fn file_changes(tx: &Transaction<'_>) -> Vec<FileChange> {
    tx.files()
        .iter()
        .map(|f| FileChange { path: f.path.clone(), role: f.role, diff: None })
        .collect()
}
