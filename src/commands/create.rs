//! `relman create LEVEL [SERVICE]`: cut a release (SPEC §2.1).
//!
//! The whole release is planned first (every file's old and new text, the
//! audit line, the commit message, the tag and its notes); `--dry-run`
//! renders that plan with unified diffs, and a real run executes the same
//! plan. Nothing is written until every check has passed, and every check
//! runs, so one refusal names every problem.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::Context;
use super::target::{Pending, Target};
use crate::cli::{CreateArgs, CreateLevel};
use crate::domain::changelog;
use crate::domain::commit::ReleaseType;
use crate::domain::version::{Level, Version};
use crate::domain::version_file;
use crate::error::{Error, ErrorKind, Location, Problem, Result};
use crate::output::{Report, Style};
use crate::repo::{Repo, audit, files};
use crate::settings::branch_allowed;

/// One file the release changes.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    /// Path relative to the repository root.
    pub path: String,
    /// What changes: `version`, `changelog` or `audit`.
    pub role: &'static str,
    /// The unified diff (only in `--dry-run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    #[serde(skip)]
    old: Option<String>,
    #[serde(skip)]
    new: String,
}

/// `relman create` result (schema `relman.create/1`).
#[derive(Debug, Serialize)]
pub struct CreateReport {
    /// The service, or the project name.
    pub service: String,
    /// The version before.
    pub previous: Version,
    /// The new version.
    pub version: Version,
    /// The level used (`null` with `--version`).
    pub level: Option<Level>,
    /// The release type, when computed from commits.
    pub release_type: Option<ReleaseType>,
    /// The new tag.
    pub tag: String,
    /// Files changed.
    pub files: Vec<FileChange>,
    /// The `hotfix/<tag>` branch created (or that would be) for a hotfix.
    pub branch_created: Option<String>,
    /// The release commit, `null` with `--no-commit` or `--dry-run`.
    pub commit: Option<String>,
    /// The commit message.
    pub commit_message: String,
    /// Whether the tag was (or would be) created.
    pub tagged: bool,
    /// Whether the tag is signed.
    pub signed: bool,
    /// The release notes (the tag's message).
    pub notes: String,
    /// Nothing was changed.
    pub dry_run: bool,
    /// What to run to publish, `null` when nothing was committed.
    pub push: Option<String>,
}

impl Report for CreateReport {
    const SCHEMA: &'static str = "relman.create/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let would = if self.dry_run { "would " } else { "" };
        writeln!(
            w,
            "{}{} {} → {}{}",
            if self.dry_run { "dry run: " } else { "" },
            st.bold(&self.service),
            self.previous,
            st.green(&self.version.to_string()),
            self.level.map(|l| format!(" ({l})")).unwrap_or_default()
        )?;
        if let Some(b) = &self.branch_created {
            let verb = if self.dry_run { "would create" } else { "created" };
            writeln!(w, "  {verb} branch {b} at the last release and switched to it")?;
        }
        for f in &self.files {
            let what = match f.role {
                "version" => format!("set version in {}", f.path),
                "changelog" => format!("add a {} section to {}", self.version, f.path),
                _ => format!("append the release record to {}", f.path),
            };
            writeln!(w, "  {would}{what}")?;
        }
        if !self.commit_message.is_empty() {
            match &self.commit {
                Some(id) => writeln!(
                    w,
                    "  committed `{}` ({})",
                    self.commit_message,
                    &id[..7.min(id.len())]
                )?,
                None if self.dry_run => writeln!(w, "  would commit `{}`", self.commit_message)?,
                None => writeln!(w, "  left the changes uncommitted (--no-commit)")?,
            }
        }
        if self.tagged {
            let kind = if self.signed { "signed annotated" } else { "annotated" };
            writeln!(
                w,
                "  {}{kind} tag {}",
                if self.dry_run { "would create " } else { "created " },
                self.tag
            )?;
        }
        if self.dry_run {
            for f in &self.files {
                if let Some(diff) = &f.diff {
                    writeln!(w)?;
                    w.write_all(diff.as_bytes())?;
                }
            }
            writeln!(w, "\n{}", st.dim("notes:"))?;
            w.write_all(self.notes.as_bytes())?;
        }
        if let Some(push) = &self.push {
            writeln!(w, "publish with: {push}")?;
        }
        Ok(())
    }
}

/// Cuts a release.
pub fn run(cx: &Context, args: &CreateArgs) -> Result<CreateReport> {
    let repo = cx.repo()?;
    let target = Target::resolve(&repo, args.service.as_deref())?;
    let head_before = repo.git.head()?;
    let dry_run = cx.global.dry_run;
    // SPEC §6.4: a dry run takes no lock, so it leaves no file behind.
    let _lock = if dry_run { None } else { Some(cx.lock(&repo)?) };
    // Re-read under the lock: another writer may have released in between.
    if !dry_run && repo.git.head()? != head_before {
        return Err(Error::refused("the repository changed while relman was starting")
            .hint("run the command again"));
    }
    let pending = Pending::read(&repo, &target)?;
    let new_branch =
        if args.level == CreateLevel::Hotfix { hotfix_branch(&repo, &pending)? } else { None };
    let plan = plan(cx, &repo, &target, &pending, args, new_branch.as_ref())?;
    if dry_run {
        return Ok(plan);
    }
    execute(&repo, plan, args, new_branch.as_ref())
}

/// The `hotfix/<tag>` branch a hotfix must create, with the newest
/// release's commit it starts at; `None` when HEAD is on a `hotfix/*` branch
/// already, which must contain that release (SPEC §2.1).
fn hotfix_branch(repo: &Repo, pending: &Pending) -> Result<Option<(String, String)>> {
    let Some(last) = &pending.last else {
        return Err(Error::refused("there is no release to hotfix yet")
            .hint("cut a first release with `relman create minor` (or another level)"));
    };
    if repo.git.branch()?.is_some_and(|b| b.starts_with("hotfix/")) {
        let head = repo.git.head()?.unwrap_or_default();
        if !repo.git.is_ancestor(&last.commit, &head)? {
            return Err(Error::refused(format!(
                "this hotfix branch does not contain the newest release `{}`, so a hotfix here would not patch it",
                last.tag
            ))
            .hint("hotfixes patch the newest release: run `relman create hotfix` from another branch to start one"));
        }
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
fn level_of(level: CreateLevel) -> Level {
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

fn plan(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
    new_branch: Option<&(String, String)>,
) -> Result<CreateReport> {
    // A hotfix on a branch still to be created reads the files as released.
    let read = |path: &str| match new_branch {
        Some((_, commit)) => repo.git.read_at(commit, path),
        None => repo.read(path),
    };
    let mut problems = Vec::new();
    let refused =
        |p: &mut Vec<Problem>, msg: String, hint: &str| p.push(Problem::new(msg).hint(hint));
    let dirty = repo.git.dirty_paths()?;
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
    match &branch {
        None => {
            refused(&mut problems, "HEAD is detached".into(), "check out a release branch first");
        }
        Some(b) if !branch_allowed(b, &repo.config.branches.value) => refused(
            &mut problems,
            format!(
                "branch `{b}` is not allowed to release (allowed: {})",
                repo.config.branches.value.join(", ")
            ),
            "switch to an allowed branch, or list this one under `release.branches` in relman.yaml",
        ),
        Some(_) => {}
    }
    if repo.git.head()?.is_none() {
        refused(&mut problems, "the repository has no commits yet".into(), "make a first commit");
    }
    let sign = args.sign || repo.config.sign.value;
    if sign && !args.no_commit && !args.no_tag && !repo.git.signing_configured() {
        refused(
            &mut problems,
            "`--sign` was asked for, but git has no signing key configured".into(),
            "set `git config user.signingKey KEY` (and `gpg.format ssh` for an SSH key); relman never falls back to an unsigned tag",
        );
    }

    // The version: from --version, from the level, or from the commits.
    let current = pending.current.clone();
    let (version, level) = match (&args.version, args.level) {
        (Some(v), _) => (Version::parse(v)?.without_build(), None),
        (None, CreateLevel::Auto) => match pending.bump() {
            Some(level) => (current.bump(level, args.pre.as_deref())?, Some(level)),
            None => {
                let since = pending
                    .last
                    .as_ref()
                    .map_or("the first commit".to_owned(), |l| format!("`{}`", l.tag));
                return Err(Error::rejected(format!(
                    "nothing to release: no feat, fix, perf or breaking commit since {since}"
                ))
                .hint("`relman next` lists the commits it read"));
            }
        },
        (None, level) => {
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
    let tag = target.tags.render(&version);
    crate::domain::tag::check_ref_name(&tag)?;
    if repo.git.tag_commit(&tag)?.is_some() {
        refused(
            &mut problems,
            format!("tag `{tag}` already exists"),
            "bump again, or pass a higher `--version`",
        );
    }
    if !problems.is_empty() {
        return Err(Error::many(ErrorKind::Refused, problems));
    }

    // Files: version files, the changelog, the audit line.
    let mut changes = Vec::new();
    for path in &target.version_files {
        let old = read(path)?.ok_or_else(|| {
            Error::input(format!("version file `{path}` does not exist"))
                .hint("fix `version_files` in relman.yaml or the catalog")
        })?;
        let span = version_file::find(version_file::Kind::of(crate::repo::file_name(path)), &old)
            .map_err(|e| {
            Error::input(e.message.clone()).at(Location::new(path.clone(), e.line as u64, 1))
        })?;
        let new = version_file::replace(&old, &span, &version.to_string());
        changes.push(FileChange {
            path: path.clone(),
            role: "version",
            diff: None,
            old: Some(old),
            new,
        });
    }
    // A branch created at the release holds none of the commits made since.
    let entries = if new_branch.is_some() { Vec::new() } else { pending.entries() };
    let date = cx.global.now.format("%Y-%m-%d").to_string();
    let mut notes = format!("{tag}\n\n");
    changelog::render_sections(&mut notes, &entries);
    if let Some(path) = &target.changelog {
        let old = read(path)?;
        let section = changelog::render_release(&format!("{version} ({date})"), &entries);
        let new = changelog::prepend(old.as_deref().unwrap_or_default(), &section);
        changes.push(FileChange { path: path.clone(), role: "changelog", diff: None, old, new });
    }
    let files: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
    let audit_path = repo.config.audit_log.value.clone();
    repo.path(&audit_path, "audit_log")?;
    let old_audit = read(&audit_path)?;
    let mut entry = Map::new();
    entry.insert("time".into(), Value::from(cx.global.now.to_rfc3339()));
    entry.insert("action".into(), Value::from("release"));
    entry.insert("service".into(), Value::from(target.name.clone()));
    entry.insert("version".into(), Value::from(version.to_string()));
    entry.insert("previous".into(), Value::from(current.to_string()));
    entry.insert("tag".into(), Value::from(tag.clone()));
    entry.insert("files".into(), Value::from(files));
    entry.insert(
        "who".into(),
        Value::from(repo.git.identity().unwrap_or_else(|_| "unknown".into())),
    );
    let existing = old_audit.as_deref().unwrap_or_default();
    let line = audit::next_line(existing, entry, &cx.global.env);
    let new_audit = format!("{existing}{line}\n");
    changes.push(FileChange {
        path: audit_path,
        role: "audit",
        diff: None,
        old: old_audit,
        new: new_audit,
    });

    if cx.global.dry_run {
        for c in &mut changes {
            c.diff = Some(unified_diff(&c.path, c.old.as_deref().unwrap_or_default(), &c.new));
        }
    }
    let commit_message = repo
        .config
        .commit_message
        .value
        .replace("{tag}", &tag)
        .replace("{version}", &version.to_string());
    let push = branch.as_ref().filter(|_| !args.no_commit).map(|b| {
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
        files: changes,
        branch_created: new_branch.map(|(b, _)| b.clone()),
        commit: None,
        commit_message,
        tagged: !args.no_commit && !args.no_tag,
        signed: sign && !args.no_commit && !args.no_tag,
        notes,
        dry_run: cx.global.dry_run,
        push,
    })
}

fn execute(
    repo: &Repo,
    mut report: CreateReport,
    args: &CreateArgs,
    new_branch: Option<&(String, String)>,
) -> Result<CreateReport> {
    if let Some((name, commit)) = new_branch {
        repo.git.create_and_switch(name, commit)?;
    }
    for c in &report.files {
        files::atomic_write(&repo.path(&c.path, "file")?, c.new.as_bytes())?;
    }
    if args.no_commit {
        report.commit_message.clear();
        return Ok(report);
    }
    let paths: Vec<String> = report.files.iter().map(|c| c.path.clone()).collect();
    let commit = match repo.git.commit_paths(&paths, &report.commit_message) {
        Ok(commit) => commit,
        Err(mut e) => {
            // Put the files back: the repository is as before, or released.
            for c in &report.files {
                let path = repo.path(&c.path, "file")?;
                let undone = match &c.old {
                    Some(old) => files::atomic_write(&path, old.as_bytes()),
                    None => files::remove(&path),
                };
                if let Err(undo) = undone {
                    e.problems.extend(undo.problems);
                }
            }
            e.problems.push(Problem::new("nothing was released; the files are as they were"));
            if let Some((name, _)) = new_branch {
                e.problems.push(
                    Problem::new(format!("branch `{name}` was created and is checked out"))
                        .hint("`git switch -` goes back to where you were"),
                );
            }
            return Err(e);
        }
    };
    if report.tagged {
        let made = if report.signed {
            repo.git.create_signed_tag(&report.tag, &commit, &report.notes)
        } else {
            repo.git.create_tag(&report.tag, &commit, &report.notes)
        };
        made.map_err(|mut e| {
            e.problems.push(
                Problem::new(format!(
                    "the release commit {} exists without its tag `{}`",
                    &commit[..7],
                    report.tag
                ))
                .hint(format!(
                    "finish it with `git tag -a {} {}`",
                    report.tag,
                    &commit[..7]
                )),
            );
            e
        })?;
    }
    report.commit = Some(commit);
    Ok(report)
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
