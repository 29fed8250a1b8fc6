//! One release's changes, shared by `create` and every participant of
//! `train run`: the version files, the changelog section, the audit
//! record, and the commit message and tag notes (SPEC §2.1, §4.1).

use super::Context;
use super::target::{Pending, Target};
use crate::domain::audit::Event;
use crate::domain::change_control;
use crate::domain::changelog::{self, Entry};
use crate::domain::policy::Urgency;
use crate::domain::train::Approval;
use crate::domain::version::Version;
use crate::domain::version_file;
use crate::error::{Error, Location, Problem, Result};
use crate::repo::Repo;
use crate::repo::transaction::Transaction;

/// What one release is.
#[derive(Debug)]
pub struct Unit<'a> {
    /// What is released.
    pub target: &'a Target,
    /// The version before.
    pub previous: Version,
    /// The new version.
    pub version: Version,
    /// Its tag.
    pub tag: String,
    /// The notes' entries.
    pub entries: Vec<Entry>,
    /// The train it belongs to.
    pub train: Option<&'a str>,
    /// A hotfix's urgency, recorded with the release.
    pub urgency: Option<Urgency>,
    /// The approvals given for it (SPEC §2.1).
    pub approvals: Vec<Approval>,
    /// The verdicts of the urgency's gates (SPEC §2.1), recorded with it.
    pub gates: Vec<crate::domain::audit::Verdict>,
}

impl<'a> Unit<'a> {
    /// A release of `target` at `version`, its notes from `pending`.
    pub fn new(repo: &Repo, target: &'a Target, pending: &Pending, version: Version) -> Self {
        let rules = repo.config.rules();
        Self {
            tag: target.tags.render(&version),
            previous: pending.current.clone(),
            entries: pending.entries(&rules),
            target,
            version,
            train: None,
            urgency: None,
            approvals: Vec::new(),
            gates: Vec::new(),
        }
    }
}

/// What staging a release produced.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The tag's message: the tag, then the notes.
    pub notes: String,
    /// The release commit's message.
    pub commit_message: String,
}

/// Writes the release's files and audit record into `tx` and returns its
/// notes and commit message; the caller commits and tags.
pub fn stage(
    cx: &Context,
    repo: &Repo,
    tx: &mut Transaction<'_>,
    unit: &Unit<'_>,
) -> Result<Staged> {
    let (target, version, tag) = (unit.target, &unit.version, &unit.tag);
    for path in &target.version_files {
        let what = format!("version file (`version_files`) of {}", target.name);
        let old = tx.read(path, &what)?.ok_or_else(|| {
            Error::input(format!("version file `{path}` does not exist"))
                .hint("fix `version_files` in relman.yaml or the catalog")
        })?;
        let span = version_file::find(version_file::Kind::of(crate::repo::file_name(path)), &old)
            .map_err(|e| {
                let error = Error::input(e.message.clone());
                // A virtual workspace's root holds no version: its members do.
                let members = repo.workspace_manifests(path, &old);
                let error = if members.is_empty() {
                    error
                } else {
                    Error::input(format!(
                        "{path} is a virtual workspace ({}); the versions are in its members' manifests",
                        e.message
                    ))
                    .hint(format!(
                        "list them as the version files, in relman.yaml (or the service's `version_files` in the catalog):\n  project:\n    version_files: [{}]",
                        members.join(", ")
                    ))
                };
                error.at(Location::new(path.clone(), e.line as u64, 1))
            })?;
        tx.write(path, &what, "version", version_file::replace(&old, &span, &version.to_string()))?;
    }
    let rules = repo.config.rules();
    let sections = rules.sections();
    let date = cx.global.now.format("%Y-%m-%d").to_string();
    let mut notes = tag_notes(repo, tag, &unit.entries);
    add_approvals(&mut notes, &unit.approvals, unit.urgency);
    if let Some(path) = &target.changelog {
        let what = format!("changelog (`changelog`) of {}", target.name);
        let old = tx.read(path, &what)?;
        let section =
            changelog::render_release(&format!("{version} ({date})"), &unit.entries, &sections);
        tx.write(
            path,
            &what,
            "changelog",
            changelog::prepend(old.as_deref().unwrap_or_default(), &section),
        )?;
    }
    let event = Event::Release {
        service: target.name.clone(),
        version: version.to_string(),
        previous: unit.previous.to_string(),
        tag: tag.clone(),
        files: tx.files().iter().map(|f| f.path.clone()).collect(),
        who: who(repo),
        train: unit.train.map(str::to_owned),
        urgency: unit.urgency,
        approvals: unit.approvals.clone(),
        gates: unit.gates.clone(),
    };
    tx.audit(event.record(&cx.global.time()))?;
    let commit_message = repo
        .config
        .commit_message
        .value
        .replace("{tag}", tag)
        .replace("{version}", &version.to_string());
    Ok(Staged { notes, commit_message })
}

/// A release tag's message: the tag, then the notes of its entries. The
/// one writer of it, for a release cut now and for one completed later.
pub fn tag_notes(repo: &Repo, tag: &str, entries: &[Entry]) -> String {
    let mut notes = format!("{tag}\n\n");
    changelog::render_sections(&mut notes, entries, &repo.config.rules().sections());
    notes
}

/// Ends a tag's notes with the urgency and the "Approved by" section,
/// when there is either.
pub fn add_approvals(notes: &mut String, approvals: &[Approval], urgency: Option<Urgency>) {
    let approved = change_control::approved_by_section(approvals, urgency);
    if !approved.is_empty() {
        if !notes.ends_with("\n\n") {
            notes.push('\n');
        }
        notes.push_str(&approved);
    }
}

/// Who is acting: git's author identity, `Name <email>` (`GIT_AUTHOR_NAME`
/// and `GIT_AUTHOR_EMAIL`, else the config).
pub fn who(repo: &Repo) -> String {
    repo.git.identity().unwrap_or_else(|_| "unknown".into())
}

/// The branch rule of `relman create` (SPEC §2.1), for every command that
/// releases: why HEAD's branch may not release, if it may not.
pub fn branch_refusal(repo: &Repo, branch: Option<&str>) -> Option<Problem> {
    match branch {
        None => Some(Problem::new("HEAD is detached").hint("check out a release branch first")),
        Some(b) if !crate::config::branch_allowed(b, &repo.config.branches.value) => Some(
            Problem::new(format!(
                "branch `{b}` is not allowed to release (allowed: {})",
                repo.config.branches.value.join(", ")
            ))
            .hint("switch to an allowed branch, or list this one under `release.branches` in relman.yaml"),
        ),
        Some(_) => None,
    }
}

/// Refuses a tag that exists, naming where it is and what to do.
pub fn tag_is_free(repo: &Repo, tag: &str) -> Result<Option<Problem>> {
    let Some(on) = repo.git.tag_commit(tag)? else { return Ok(None) };
    let head = repo.git.head()?.unwrap_or_default();
    if repo.git.is_commit(&on) && !head.is_empty() && !repo.git.is_ancestor(&on, &head)? {
        return Ok(Some(
            Problem::new(format!(
                "tag `{tag}` already exists on commit {}, which is not in the history of HEAD (a release made elsewhere, or one whose commit was reset away)",
                &on[..7.min(on.len())]
            ))
            .hint(format!(
                "if that release is abandoned, delete its tag (`git tag -d {tag}`); otherwise bump past it with `--version`"
            )),
        ));
    }
    Ok(Some(
        Problem::new(format!("tag `{tag}` already exists"))
            .hint("bump again, or pass a higher `--version`"),
    ))
}
