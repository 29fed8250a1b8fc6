//! `relman create LEVEL [SERVICE]`: cut a release (SPEC §2.1).
//!
//! The whole release is planned first (every file's old and new text, the
//! audit line, the commit message, the tag and its notes); `--dry-run`
//! renders that plan with unified diffs, and a real run executes the same
//! plan. Nothing is written until every check has passed, and every check
//! runs, so one refusal names every problem.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::Context;
use super::release::{self, Staged, Unit};
use super::target::{Pending, Target};
use crate::cli::{CreateArgs, CreateLevel, CreateUrgency};
use crate::domain::change_control;
use crate::domain::changelog;
use crate::domain::commit::ReleaseType;
use crate::domain::gates::{self, Gate, GateResult, Inputs};
use crate::domain::policy::Urgency;
use crate::domain::redact::Secrets;
use crate::domain::train::Approval;
use crate::domain::version::{Level, Version};
use crate::error::{Error, ErrorKind, Location, Problem, Result};
use crate::output::{Report, Style};
use crate::repo::Repo;
use crate::repo::transaction::{Recovered, Transaction};

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
    /// This run only tagged a release commit an interrupted run had made
    /// (nothing else was written).
    pub completed_interrupted: bool,
    /// A hotfix's urgency (`--urgency`), `null` otherwise.
    pub urgency: Option<Urgency>,
    /// The approvals given (`--approved-by`), each with its time.
    pub approvals: Vec<Approval>,
    /// The urgency's gates, when it has any, evaluated for the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gates: Option<Vec<GateResult>>,
    /// With `--dry-run`: why the real run would refuse (exit 3).
    #[serde(skip)]
    pub refusal: Option<Error>,
}

impl Report for CreateReport {
    const SCHEMA: &'static str = "relman.create/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let would = if self.dry_run { "would " } else { "" };
        if self.completed_interrupted {
            writeln!(
                w,
                "{}completed the interrupted release {}: {} tag {} on its release commit {}",
                if self.dry_run { "dry run: " } else { "" },
                st.bold(&self.version.to_string()),
                if self.dry_run { "would create" } else { "created" },
                self.tag,
                self.commit.as_deref().map_or("", |c| &c[..7.min(c.len())])
            )?;
            if let Some(push) = &self.push {
                writeln!(w, "publish with: {push}")?;
            }
            return Ok(());
        }
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
        if let Some(u) = self.urgency {
            writeln!(w, "  urgency: {}", change_control::urgency_name(u))?;
        }
        for a in &self.approvals {
            writeln!(w, "  approved by {} as {} ({})", a.by, a.role, a.at)?;
        }
        for g in self.gates.iter().flatten() {
            write_gate(w, st, g)?;
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

/// One gate's result, as `train validate` shows it.
fn write_gate(w: &mut dyn Write, st: &Style, g: &GateResult) -> io::Result<()> {
    let mark = if g.passed {
        st.green("pass")
    } else if g.blocking {
        st.red("FAIL")
    } else {
        st.yellow("warn")
    };
    writeln!(w, "  {mark}  gate {}", g.gate)?;
    for f in &g.failures {
        let who = f.service.as_deref().unwrap_or("release");
        match &f.value {
            Some(seen) => writeln!(w, "          {who}: {seen} (needs {})", f.required)?,
            None => writeln!(w, "          {who}: no data (needs {})", f.required)?,
        }
    }
    Ok(())
}

/// What change control decided for a release (SPEC §2.1).
struct Control {
    urgency: Option<Urgency>,
    approvals: Vec<Approval>,
    gates: Option<Vec<GateResult>>,
    /// Missing approvals and failing blocking gates (exit 1).
    problems: Vec<Problem>,
}

/// Checks the approvals a hotfix of `--urgency` and a major release need
/// and evaluates the urgency's gates for the service. Bad flags, a role
/// the policy does not ask for and a gate the policy misspells are input
/// errors (exit 2); what is missing or failing is returned as problems.
fn change_control(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    args: &CreateArgs,
    previous: &Version,
    version: &Version,
) -> Result<Control> {
    let urgency = args.urgency.map(|u| match u {
        CreateUrgency::Critical => Urgency::Critical,
        CreateUrgency::High => Urgency::High,
        CreateUrgency::Medium => Urgency::Medium,
        CreateUrgency::Low => Urgency::Low,
    });
    let hotfix = args.level == CreateLevel::Hotfix;
    if urgency.is_some() && !hotfix {
        return Err(Error::input("`--urgency` is the urgency of a hotfix")
            .hint("run `relman create hotfix --urgency LEVEL`, or leave `--urgency` out"));
    }
    let policies = repo.policies()?;
    let policy_file = || {
        repo.policies_file()
            .ok()
            .flatten()
            .unwrap_or_else(|| repo.catalog_file("upgrade-policies.yaml"))
    };
    if hotfix && urgency.is_none() && !policies.hotfix_approvals.is_empty() {
        let levels: Vec<&str> =
            policies.hotfix_approvals.keys().map(|u| change_control::urgency_name(*u)).collect();
        return Err(Error::input(format!(
            "a hotfix needs `--urgency`: `{}` sets approvals for {}",
            policy_file(),
            levels.join(", ")
        ))
        .hint(format!("run `relman create hotfix --urgency {}`", levels.join("|"))));
    }
    let major = change_control::is_major(previous, version);
    let required = change_control::required_roles(&policies, urgency, major);
    let secrets = Secrets::from_env(&cx.global.env);
    let at = cx.global.time();
    let mut approvals: Vec<Approval> = Vec::new();
    for text in &args.approved_by {
        let (role, who) = change_control::parse_approval(text)
            .map_err(|m| Error::input(m).hint("write `--approved-by ROLE=WHO`"))?;
        if !required.contains(&role) {
            let asks = if required.is_empty() {
                "this release asks for no approval".to_owned()
            } else {
                format!("this release asks for: {}", required.join(", "))
            };
            return Err(Error::input(format!(
                "`--approved-by {role}=...`: the policy does not ask for the role `{role}` here"
            ))
            .hint(asks));
        }
        if approvals.iter().any(|a| a.role == role) {
            return Err(Error::input(format!("`--approved-by {role}=...` is given twice"))
                .hint("one approval per role"));
        }
        approvals.push(Approval { role, by: secrets.redact(&who), at: at.clone(), note: None });
    }
    let mut problems = Vec::new();
    let urgency_roles = urgency.and_then(|u| policies.hotfix_approvals.get(&u));
    for role in change_control::missing_roles(&required, &approvals) {
        let why = match urgency {
            Some(u) if urgency_roles.is_some_and(|r| r.contains(&role)) => {
                format!("a hotfix of urgency {}", change_control::urgency_name(u))
            }
            _ => format!("a major release ({previous} → {version})"),
        };
        problems.push(
            Problem::new(format!("missing approval from `{role}`: {why} needs it"))
                .hint(format!("give it with `--approved-by {role}=WHO`")),
        );
    }
    let gate_texts = urgency.and_then(|u| policies.hotfix_gates.get(&u)).filter(|g| !g.is_empty());
    let gates = match (urgency, gate_texts) {
        (Some(u), Some(texts)) => {
            let mut parsed = Vec::new();
            for text in texts {
                let kind = gates::parse_expression(text).map_err(|(message, hint)| {
                    let e = Error::input(format!(
                        "`hotfix.urgency.{}.gates`: {message}",
                        change_control::urgency_name(u)
                    ))
                    .at(Location::file(policy_file()));
                    match hint {
                        Some(h) => e.hint(h),
                        None => e,
                    }
                })?;
                parsed.push(Gate { text: text.clone(), kind, blocking: true, critical: false });
            }
            let participants = vec![(target.name.clone(), repo.metrics(&target.name)?)];
            let inputs = Inputs {
                participants: &participants,
                policy: &policies.quality_gates,
                approved_roles: &[],
            };
            let results: Vec<GateResult> =
                parsed.iter().map(|g| gates::evaluate(g, &inputs, None)).collect();
            for g in results.iter().filter(|g| !g.passed && g.blocking) {
                problems.push(
                    Problem::new(format!(
                        "gate `{}` of urgency {} failed: {}",
                        g.gate,
                        change_control::urgency_name(u),
                        g.message
                    ))
                    .hint(format!(
                        "the metrics are read from `{}`",
                        repo.catalog_file(&format!("metrics/{}.yaml", target.name))
                    )),
                );
            }
            Some(results)
        }
        _ => None,
    };
    Ok(Control { urgency, approvals, gates, problems })
}

/// Cuts a release.
pub fn run(cx: &Context, args: &CreateArgs) -> Result<CreateReport> {
    let repo = cx.repo()?;
    let target = Target::resolve_with(repo, args.service.as_deref(), &args.one_off)?;
    // Everything below is read with the lock held (a dry run takes none).
    let (mut tx, recovered) = cx.transaction(repo)?;
    if let Some(report) = recovered.and_then(|r| completed_report(cx, repo, &target, &r, args)) {
        // The interrupted release is this run's result: never a second one.
        return Ok(report);
    }
    let pending = Pending::read(repo, &target)?;
    let new_branch =
        if args.level == CreateLevel::Hotfix { hotfix_branch(repo, &pending)? } else { None };
    if let Some((name, at)) = &new_branch {
        tx.new_branch(name.clone(), at.clone());
    }
    let mut report = plan(cx, repo, &mut tx, &target, &pending, args, new_branch.as_ref())?;
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
    tx: &mut Transaction<'_>,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
    new_branch: Option<&(String, String)>,
) -> Result<CreateReport> {
    if let Some(done) = untagged_release(repo, target, pending, args)? {
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
    let dirty: Vec<String> = repo
        .git
        .dirty()?
        .into_iter()
        .filter(|(p, untracked)| !(*untracked && own_config(repo, p, &written)))
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
    let (version, level) = match (&args.version, args.level) {
        (Some(v), _) => (Version::parse(v)?.without_build(), None),
        (None, CreateLevel::Auto) => match pending.bump() {
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
    let control = change_control(cx, repo, target, args, &current, &version)?;
    let mut unit = Unit::new(repo, target, pending, version.clone());
    unit.urgency = control.urgency;
    unit.approvals = control.approvals.clone();
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

/// The report of a release of `target` an interrupted run made and this
/// run's recovery completed, if that is what it completed.
fn completed_report(
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

/// Whether the tag is signed: `--sign`, `release.sign`, or git's own
/// `tag.gpgSign` (SPEC §2.1: as `git tag -s` would).
fn sign_tag(repo: &Repo, args: &CreateArgs) -> bool {
    args.sign || repo.config.sign.value || repo.git.config_bool("tag.gpgsign")
}

/// A release commit relman made whose tag is missing (a run killed between
/// the two, `--no-tag`, a failed signature): its commit and tag.
struct Untagged {
    commit: String,
    tag: String,
    version: Version,
}

/// Finds a release commit of `target` since its last release whose tag
/// does not exist. At HEAD, a `create` asking for that same version
/// completes it; anywhere else, or for another version, it is refused with
/// what to run, so a retried job never releases twice.
fn untagged_release(
    repo: &Repo,
    target: &Target,
    pending: &Pending,
    args: &CreateArgs,
) -> Result<Option<Untagged>> {
    let pattern = &repo.config.commit_message.value;
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
fn complete(
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
