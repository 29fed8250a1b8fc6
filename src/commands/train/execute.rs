//! Executing: each participant released in plan order, one release commit
//! and tag each, its hooks run after (SPEC §4.1), with every input that
//! decides a release checked where it is used.

use std::time::Duration;

use super::super::release::{self, Unit};
use super::super::target::{Pending, Target};
use super::session::Engine;
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{self, Move, Observed, Phase, Resume};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::failpoint::failpoint;

impl Engine<'_, '_> {
    /// Releases every participant not yet released, in plan order (with
    /// `enter`, moving staging → executing first, once the checks pass).
    /// Returns `false` when stopped.
    pub(super) fn execute(&mut self, enter: bool) -> Result<bool> {
        self.check_logs()?;
        self.check_branch()?;
        // The dotenv report an earlier `--ci` command of the job wrote,
        // untracked, is relman's own output, not a change (docs/ci.md).
        let dotenv = self.cx.own_dotenv(self.repo);
        let dirty: Vec<String> = (self.repo.git.dirty()?.into_iter())
            .filter(|(p, untracked)| !(*untracked && dotenv.as_deref() == Some(p.as_str())))
            .map(|(p, _)| p)
            .collect();
        if !dirty.is_empty() {
            return Err(Error::refused(format!(
                "the work tree is not clean: {}",
                dirty.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            ))
            .hint("commit or stash your changes first"));
        }
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        self.check_participants(&steps)?;
        self.check_released()?;
        let policies = self.repo.policies()?;
        let timeout = Duration::from_secs(policies.health_check_timeout);
        // One walk of the history reads what every participant still to
        // release has pending: the train's own release commits touch no
        // other participant's path.
        let mut targets = Vec::new();
        for step in steps.iter().filter(|s| s.releases()) {
            let phase = self.state.participant(&step.service).map(|p| p.phase).unwrap_or_default();
            if phase == Phase::Pending {
                targets.push(Target::from_service(self.service(&step.service)?)?);
            }
        }
        let pending: Vec<(Target, Pending)> =
            targets.clone().into_iter().zip(Pending::read_many(self.repo, &targets)?).collect();
        self.check_paths(&pending)?;
        self.check_deployments(&steps)?;
        if enter {
            // Staging → executing, once every check passed.
            self.transition(Move::Advance, None)?;
        }
        let mut pending: std::collections::HashMap<String, (Target, Pending)> =
            pending.into_iter().map(|(t, p)| (t.name.clone(), (t, p))).collect();
        let releases: Vec<&PlannedStep> = steps.iter().filter(|s| s.releases()).collect();
        let bar = self.cx.ui.phase_bar("executing", releases.len() as u64);
        // Wave by wave: tags one at a time in plan order; with `--jobs N`
        // the wave's hooks then run N at a time, else each participant's
        // hooks run right after its tag.
        let mut at = 0;
        while at < releases.len() {
            let wave = releases[at].wave;
            let end = releases[at..]
                .iter()
                .position(|s| s.wave != wave)
                .map_or(releases.len(), |n| at + n);
            let mut tagged = Vec::new();
            for &step in &releases[at..end] {
                if self.pause_requested()? {
                    bar.finish();
                    return Ok(false);
                }
                let phase =
                    self.state.participant(&step.service).map(|p| p.phase).unwrap_or_default();
                bar.set_message(step.service.clone());
                match phase {
                    Phase::Pending => {
                        let Some((target, read)) = pending.remove(&step.service) else { continue };
                        self.release(step, &target, &read)?;
                    }
                    Phase::Tagged => self.check_release(step)?,
                    Phase::Released => {
                        // Released by a run stopped before its deployment.
                        if !self.deploy_released(step)? {
                            bar.finish();
                            return Ok(false);
                        }
                        bar.inc();
                        continue;
                    }
                    _ => {
                        bar.inc();
                        continue;
                    }
                }
                failpoint("participant tagged")?;
                if self.jobs > 1 {
                    tagged.push(step);
                } else if !self.hooks_in_turn(step, timeout)? || !self.deploy_released(step)? {
                    bar.finish();
                    return Ok(false);
                } else {
                    bar.inc();
                }
            }
            if !tagged.is_empty() && !self.hooks_together(&tagged, timeout, &bar)? {
                bar.finish();
                return Ok(false);
            }
            // The wave's deployments, one at a time in plan order.
            for step in tagged {
                if !self.deploy_released(step)? {
                    bar.finish();
                    return Ok(false);
                }
            }
            at = end;
        }
        bar.finish();
        // The checkpoint of the last hooks goes with the next transition.
        Ok(true)
    }

    /// Refuses a plan that would release a service that is not one of the
    /// train's participants (a plan edited by hand): exit 3, naming it.
    pub(super) fn check_participants(&self, steps: &[PlannedStep]) -> Result<()> {
        for s in steps {
            if matches!(s.service.as_str(), "train" | "plan") {
                return Err(Error::input(format!(
                    "a participant named `{}` would take the name of the train's own `{}.yaml` in its state folder",
                    s.service, s.service
                ))
                .at(Location::file(self.repo.trains_file()))
                .hint("rename the service, or leave it out of the train"));
            }
            if !self.train.participants.iter().any(|p| p.service == s.service) {
                return Err(Error::refused(format!(
                    "the plan releases `{}`, which is not a participant of train `{}`",
                    s.service, self.train.name
                ))
                .at(Location::file(self.repo.state_paths(&self.train.name).plan()))
                .hint("relman releases only the train's participants; put the plan back as staging recorded it"));
            }
        }
        Ok(())
    }

    /// Pauses the train between two participants when `train pause` asked
    /// for it while this command held the lock; `true` when it paused.
    pub(super) fn pause_requested(&mut self) -> Result<bool> {
        if !self.tx.can_write() {
            return Ok(false);
        }
        let Some(by) = self.progress.take_pause_request()? else { return Ok(false) };
        self.cx.ui.step(&format!("{}: pausing between participants, as asked", self.train.name));
        self.transition(Move::Pause, Some(format!("asked by {}", by.trim())))?;
        Ok(true)
    }

    /// Checks every participant its state records as released against the
    /// repository (SPEC 4.1: the record is never trusted alone): its tag
    /// exists, on the commit the state records. Exit 3 naming the file.
    pub(super) fn check_released(&self) -> Result<()> {
        let git = &self.repo.git;
        for s in self.planned_releases() {
            let Some(p) = self.state.participant(&s.service) else { continue };
            if !matches!(p.phase, Phase::Released | Phase::Healthy | Phase::RolledBack) {
                continue;
            }
            let file = self.repo.state_paths(&self.train.name).participant(&s.service);
            let found = match &p.tag {
                Some(tag) => git.tag_commit(tag)?,
                None => None,
            };
            if found.is_none() || found != p.commit {
                let tag = p.tag.as_deref().unwrap_or("(none)");
                return Err(Error::refused(format!(
                    "`{}` is recorded as {} but its tag `{tag}` {}",
                    s.service,
                    serde_json::to_value(p.phase)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    match (&found, &p.commit) {
                        (None, _) => "does not exist".to_owned(),
                        (Some(on), Some(commit)) => format!(
                            "is on commit {}, not on the release commit {} it records",
                            &on[..7.min(on.len())],
                            &commit[..7.min(commit.len())]
                        ),
                        (Some(on), None) => format!(
                            "is on commit {} and no release commit is recorded",
                            &on[..7.min(on.len())]
                        ),
                    }
                ))
                .at(Location::file(file))
                .hint("relman compares its records with the tags; put the file back as relman wrote it (`git log -- FILE`)"));
            }
        }
        Ok(())
    }

    /// Tells whether every participant the plan releases is released.
    pub(super) fn all_released(&self) -> bool {
        self.planned_releases().all(|s| {
            self.state
                .participant(&s.service)
                .is_some_and(|p| matches!(p.phase, Phase::Released | Phase::Healthy))
        })
    }

    pub(super) fn planned_releases(&self) -> impl Iterator<Item = &PlannedStep> {
        self.state.plan.iter().flat_map(|p| p.steps.iter()).filter(|s| s.releases())
    }

    /// The branch rule of `relman create` (SPEC §2.1): a train releases
    /// only from a branch allowed to release.
    pub(super) fn check_branch(&self) -> Result<()> {
        match release::branch_refusal(self.repo, self.repo.git.branch()?.as_deref()) {
            Some(problem) => Err(Error::many(ErrorKind::Refused, vec![problem])),
            None => Ok(()),
        }
    }

    /// Refuses (exit 3, naming the path and the commit) when a commit made
    /// since the plan's HEAD changed what a participant still to release
    /// would release: the gates passed on the code as it was at staging.
    /// The train's own commits (its transitions and release commits) are
    /// left out.
    pub(super) fn check_paths(&self, pending: &[(Target, Pending)]) -> Result<()> {
        let Some(head) = self.state.plan.as_ref().and_then(|p| p.head.clone()) else {
            return Ok(());
        };
        let own: std::collections::HashSet<&str> =
            self.state.participants.iter().filter_map(|p| p.commit.as_deref()).collect();
        let transition = format!("chore(release): train {} ", self.train.name);
        // Deployments record the ledger only (`release_trains.deploy`).
        let deployment = "chore(release): deploy ";
        let since: std::collections::HashSet<String> = self
            .repo
            .git
            .commits(None, Some(&head), crate::repo::git::WalkOptions::default(), None)?
            .into_iter()
            .filter(|c| {
                !own.contains(c.commit.id.as_str())
                    && !c.commit.message.starts_with(&transition)
                    && !c.commit.message.starts_with(deployment)
            })
            .map(|c| c.commit.id)
            .collect();
        if since.is_empty() {
            return Ok(());
        }
        for (target, read) in pending {
            if let Some(c) = read.commits.iter().find(|c| since.contains(&c.info.commit.id)) {
                let id = &c.info.commit.id;
                let subject = c.info.commit.message.lines().next().unwrap_or_default();
                return Err(Error::refused(format!(
                    "`{}` changed since the train was staged: commit {} \"{subject}\" touches the path of `{}`, which the gates did not see",
                    target.path.as_deref().unwrap_or("."),
                    &id[..7.min(id.len())],
                    target.name
                ))
                .at(Location::file(self.repo.state_paths(&self.train.name).plan()))
                .hint("roll the train back or fail it, and plan a new train with that change"));
            }
        }
        Ok(())
    }

    /// Releases one participant: one commit and its tag, the state
    /// checkpoint (the intent: its tag and start) inside it.
    pub(super) fn release(
        &mut self,
        step: &PlannedStep,
        target: &Target,
        pending: &Pending,
    ) -> Result<()> {
        let to = step.to.clone();
        if pending.current != step.from {
            return Err(Error::refused(format!(
                "`{}` is at {} now, but the plan released it from {}",
                step.service, pending.current, step.from
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("a release was made outside the train since staging; roll the train back and plan it again"));
        }
        let mut unit = Unit::new(self.repo, target, pending, to);
        let name = self.train.name.clone();
        unit.train = Some(&name);
        if let Some(problem) = release::tag_is_free(self.repo, &unit.tag)? {
            return Err(Error::many(ErrorKind::Refused, vec![problem]));
        }
        let start = self.repo.git.head()?;
        {
            let p = self.state.participant_mut(&step.service);
            p.phase = Phase::Tagged;
            p.start = start;
            p.tag = Some(unit.tag.clone());
        }
        self.checkpoint_one(&step.service)?;
        let staged = release::stage(self.cx, self.repo, &mut self.tx, &unit)?;
        let sign = self.repo.config.sign.value || self.repo.git.config_bool("tag.gpgsign");
        self.tx.tag(unit.tag.clone(), staged.notes, sign);
        let commit = self.commit(staged.commit_message)?;
        self.cx.ui.step(&format!("{}: released {} ({})", step.service, unit.version, unit.tag));
        self.state.participant_mut(&step.service).commit = commit;
        Ok(())
    }

    /// A participant recorded as tagged (a run stopped after it): its tag
    /// must sit on the release commit made on top of the recorded start.
    pub(super) fn check_release(&mut self, step: &PlannedStep) -> Result<()> {
        let p = self.state.participant(&step.service).cloned().unwrap_or_default();
        let (Some(start), Some(tag)) = (&p.start, &p.tag) else { return Ok(()) };
        let git = &self.repo.git;
        let tag_commit = git.tag_commit(tag)?;
        let tag_parent = tag_commit.as_deref().map(|c| git.first_parent(c)).transpose()?.flatten();
        let release_commit = git.first_parent_child(start)?;
        let seen = Observed { tag_commit, tag_parent, release_commit };
        match train::resume_point(start, &seen) {
            Resume::Finished { commit } => {
                self.state.participant_mut(&step.service).commit = Some(commit);
                Ok(())
            }
            Resume::TagOnly { commit } => {
                // The notes it was cut with: the commits since the release
                // it started from, up to where it started.
                let target = Target::from_service(self.service(&step.service)?)?;
                let since = git.tag_commit(&target.tags.render(&step.from))?;
                let entries = Pending::entries_at(self.repo, &target, start, since.as_deref())?;
                let notes = release::tag_notes(self.repo, tag, &entries);
                self.tx.tag_at(tag.clone(), notes, false, commit.clone());
                if self.tx.can_write() {
                    self.tx.finish_step()?;
                }
                self.state.participant_mut(&step.service).commit = Some(commit);
                Ok(())
            }
            Resume::Conflict { found, expected } => Err(Error::refused(format!(
                "tag `{tag}` is on commit {}, but the train's release of `{}` is commit {}",
                &found[..7.min(found.len())],
                step.service,
                &expected[..7.min(expected.len())]
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("someone moved the tag; put it back, or roll the train back")),
            Resume::Redo => {
                // Recorded as tagged but nothing is there: release it again.
                self.state.participant_mut(&step.service).phase = Phase::Pending;
                let target = Target::from_service(self.service(&step.service)?)?;
                let pending = Pending::read(self.repo, &target)?;
                self.release(step, &target, &pending)
            }
        }
    }
}
