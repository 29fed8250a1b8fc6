//! A release commit an interrupted run left without its tag: found,
//! completed by the `create` asking for that version, or refused.

use serde_json::Value;

use super::super::Context;
use super::super::release;
use super::super::target::{Pending, Target};
use super::report::CreateReport;
use super::{calendar_version, level_of, sign_tag};
use crate::cli::{CreateArgs, CreateLevel};
use crate::domain::changelog;
use crate::domain::policy::Urgency;
use crate::domain::train::Approval;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::repo::transaction::{Recovered, Transaction};

/// The report of a release of `target` an interrupted run made and this
/// run's recovery completed, if that is what it completed.
pub(super) fn completed_report(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    recovered: &Recovered,
    args: &CreateArgs,
) -> Option<CreateReport> {
    let commit = recovered.commit.clone()?;
    let (tag, version) =
        recovered.tags.iter().find_map(|t| target.tags.parse(t).map(|v| (t.clone(), v)))?;
    // The release record the interrupted run wrote names the version before.
    let audit = repo.read_text(&repo.config.audit_log.value, "`paths.audit_log`").ok()??;
    let record: Value = serde_json::from_str(audit.lines().last()?).ok()?;
    let previous =
        record.get("previous").and_then(Value::as_str).and_then(|v| Version::parse(v).ok());
    let notes = repo.git.tag_message(&tag).unwrap_or_default();
    let previous = previous.unwrap_or_else(|| version.clone());
    let done = Untagged { commit, tag, version };
    Some(completed(cx, repo, target, done, previous, notes, sign_tag(repo, args)))
}

/// A release commit relman made whose tag is missing (a run killed between
/// the two, `--no-tag`, a failed signature): its commit and tag.
pub(super) struct Untagged {
    commit: String,
    tag: String,
    version: Version,
}

/// Finds a release commit of `target` since its last release whose tag
/// does not exist. At HEAD, a `create` asking for that same version
/// completes it; anywhere else, or for another version, it is refused with
/// what to run, so a retried job never releases twice.
pub(super) fn untagged_release(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
) -> Result<Option<Untagged>> {
    let pattern = &repo.config.commit_message.value;
    let calendar = calendar_version(cx, args)?;
    let head = repo.git.head()?.unwrap_or_default();
    for c in &pending.commits {
        let subject = c.info.commit.subject();
        let Some((tag, version)) = release_subject(pattern, subject, target) else { continue };
        if repo.git.tag_commit(&tag)?.is_some() {
            continue;
        }
        let short = &c.info.commit.id[..7.min(c.info.commit.id.len())];
        let asked = match (&args.version, args.level) {
            (Some(v), _) => Version::parse(v).ok().map(|v| v.without_build()),
            (None, _) if args.calendar => calendar.clone(),
            (None, CreateLevel::Auto | CreateLevel::Hotfix) => Some(version.clone()),
            (None, level) => pending.current.bump(level_of(level), args.pre.as_deref()).ok(),
        };
        if c.info.commit.id == head && asked.as_ref() == Some(&version) && !args.no_tag {
            return Ok(Some(Untagged { commit: head, tag, version }));
        }
        let hint = if c.info.commit.id == head {
            format!(
                "run `relman create --version {version}{}` to tag it, or drop it with `git reset --hard HEAD~1`",
                target.path.as_ref().map(|_| format!(" {}", target.name)).unwrap_or_default()
            )
        } else {
            format!("tag it with `git tag -a {tag} {short} -m {tag}`, then run relman again")
        };
        return Err(Error::refused(format!(
            "commit {short} `{subject}` released {version} but its tag `{tag}` does not exist (an interrupted run?)"
        ))
        .hint(hint));
    }
    Ok(None)
}

/// Reads a release commit's subject made from `pattern` (`chore(release): {tag}`).
fn release_subject(pattern: &str, subject: &str, target: &Target) -> Option<(String, Version)> {
    let (slot, rest) = if let Some(i) = pattern.find("{tag}") {
        ("{tag}", (&pattern[..i], &pattern[i + 5..]))
    } else {
        let i = pattern.find("{version}")?;
        ("{version}", (&pattern[..i], &pattern[i + 9..]))
    };
    let (prefix, suffix) = rest;
    if prefix.contains('{') || suffix.contains('{') {
        return None;
    }
    let middle = subject.strip_prefix(prefix)?.strip_suffix(suffix)?;
    let (tag, version) = if slot == "{tag}" {
        (middle.to_owned(), target.tags.parse(middle)?)
    } else {
        let v = Version::parse(middle).ok()?;
        (target.tags.render(&v), v)
    };
    Some((tag, version))
}

/// Tags the untagged release commit at HEAD: the interrupted release ends
/// with one commit, one tag, one changelog section and one audit line.
pub(super) fn complete(
    cx: &Context,
    repo: &Repo,
    tx: &mut Transaction<'_>,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
    done: Untagged,
) -> Result<CreateReport> {
    let sign = sign_tag(repo, args);
    let mut notes = format!("{}\n\n", done.tag);
    // The release commit itself is relman's own, left out like any other.
    let rules = repo.config.rules();
    changelog::render_sections(&mut notes, &pending.entries(&rules), &rules.sections());
    // The approvals the interrupted run recorded go into the tag too.
    let (urgency, approvals) = recorded_approvals(repo, &done.tag);
    release::add_approvals(&mut notes, &approvals, urgency);
    tx.tag(done.tag.clone(), notes.clone(), sign);
    Ok(completed(cx, repo, target, done, pending.current.clone(), notes, sign))
}

/// The urgency and approvals the audit line of the release tagged `tag`
/// records (none when it records none or cannot be read).
fn recorded_approvals(repo: &Repo, tag: &str) -> (Option<Urgency>, Vec<Approval>) {
    let text = repo.read_text(&repo.config.audit_log.value, "`paths.audit_log`").ok().flatten();
    let record = text.as_deref().unwrap_or_default().lines().rev().find_map(|line| {
        let record: Value = serde_json::from_str(line).ok()?;
        (record.get("action").and_then(Value::as_str) == Some("release")
            && record.get("tag").and_then(Value::as_str) == Some(tag))
        .then_some(record)
    });
    let Some(record) = record else { return (None, Vec::new()) };
    let field = |k: &str| record.get(k).cloned().unwrap_or(Value::Null);
    (
        serde_json::from_value(field("urgency")).ok(),
        serde_json::from_value(field("approvals")).unwrap_or_default(),
    )
}

/// The report of a run that only finished an interrupted release.
fn completed(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    done: Untagged,
    previous: Version,
    notes: String,
    signed: bool,
) -> CreateReport {
    let branch = repo.git.branch().ok().flatten();
    CreateReport {
        service: target.name.clone(),
        previous,
        version: done.version,
        level: None,
        release_type: None,
        push: branch.map(|b| format!("git push --atomic origin {b} {}", done.tag)),
        tag: done.tag,
        files: Vec::new(),
        branch_created: None,
        commit: Some(done.commit),
        commit_message: String::new(),
        tagged: true,
        signed,
        notes,
        dry_run: cx.global.dry_run,
        completed_interrupted: true,
        urgency: None,
        approvals: Vec::new(),
        gates: None,
        refusal: None,
    }
}
