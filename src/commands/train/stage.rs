//! Validating → staging: the plan recorded with its inputs' digests, a
//! saved plan applied exactly; the checks that later steps repeat; and
//! what a dry run of `train run` shows.

use std::path::Path;

use super::super::target::Target;
use super::majors::{self, MajorApprovals};
use super::report::Step;
use super::session::Engine;
use super::validate;
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{self, Move, Phase, RecordedPlan, Status};
use crate::error::{Error, Location, Result};
use crate::files::path_component as safe;

/// A plan saved by `train plan --out`, as far as staging reads it.
#[derive(Debug, serde::Deserialize)]
struct SavedPlan {
    schema: String,
    train: String,
    sequence: Vec<PlannedStep>,
    inputs: Option<SavedInputs>,
}

#[derive(Debug, serde::Deserialize)]
struct SavedInputs {
    files: std::collections::BTreeMap<String, String>,
}

impl Engine<'_, '_> {
    /// Reads a plan saved with `train plan --out` and checks it still
    /// holds: the same train, and every input as it was when it was saved
    /// (exit 3 naming the file and the field that differs). A train staged
    /// already must have recorded that same plan.
    pub fn use_saved_plan(&mut self, file: &Path) -> Result<()> {
        let shown = file.display().to_string();
        let text = crate::files::read_text(file, &shown)?.ok_or_else(|| {
            Error::input(format!("the plan `{shown}` does not exist"))
                .hint("save one with `relman train plan NAME --out FILE`")
        })?;
        let saved: SavedPlan = serde_json::from_str(&text).map_err(|e| {
            Error::input(format!("this is not a plan saved by relman: {e}")).at(Location::new(
                shown.clone(),
                e.line() as u64,
                e.column() as u64,
            ))
        })?;
        let refused = |field: &str, what: String| {
            Error::refused(format!("`{field}`: {what}"))
                .at(Location::file(shown.clone()))
                .hint("compute the plan again with `relman train plan NAME --out FILE`")
        };
        if saved.schema != "relman.train.plan/1" {
            return Err(Error::input(format!(
                "`schema` is `{}`, not a relman.train.plan/1 plan",
                saved.schema
            ))
            .at(Location::file(shown.clone())));
        }
        if saved.train != self.train.name {
            return Err(refused(
                "train",
                format!("the plan is for train `{}`, not `{}`", saved.train, self.train.name),
            ));
        }
        let Some(inputs) = &saved.inputs else {
            return Err(Error::input(
                "the plan has no `inputs`: it was printed, not saved with `--out`",
            )
            .at(Location::file(shown.clone())));
        };
        let now = super::plan::inputs(self.repo, &self.catalog, &self.train)?;
        if let Some(path) = super::plan::changed_input(&inputs.files, &now.files) {
            return Err(refused(
                &format!("inputs.files.{path}"),
                format!("`{path}` changed since the plan was saved"),
            ));
        }
        let steps = saved.sequence;
        if let Some(recorded) = &self.state.plan {
            if recorded.steps != steps {
                return Err(refused(
                    "sequence",
                    "the train was staged with another plan".to_owned(),
                ));
            }
        } else {
            // Not staged yet: the saved plan must be the plan computed now.
            let trains_file = self.repo.trains_file();
            let now = super::plan::compute(
                self.repo,
                &self.catalog,
                &self.train,
                &trains_file,
                self.cx.global.now.date_naive(),
            )?
            .sequence;
            if let Some(field) = first_difference(&steps, &now) {
                return Err(refused(
                    &field,
                    "the saved plan differs from the plan computed from the repository now"
                        .to_owned(),
                ));
            }
        }
        self.saved = Some(steps);
        Ok(())
    }

    /// The plan's steps as the catalog and the repository give them now.
    fn compute_steps(&self) -> Result<Vec<crate::domain::plan::Step>> {
        let trains_file = self.repo.trains_file();
        let plan = super::plan::compute(
            self.repo,
            &self.catalog,
            &self.train,
            &trains_file,
            self.cx.global.now.date_naive(),
        )?;
        Ok(plan.sequence)
    }

    /// validating → staging: the plan, with its inputs' digests, recorded.
    pub(super) fn stage(&mut self) -> Result<()> {
        let steps = match self.saved.take() {
            Some(steps) => steps,
            None => self.compute_steps()?,
        };
        self.check_participants(&steps)?;
        self.check_major_approvals(&steps)?;
        let inputs = super::plan::inputs(self.repo, &self.catalog, &self.train)?;
        // Every participant released must have somewhere to roll back to.
        let mut missing = Vec::new();
        for s in steps.iter().filter(|s| s.releases()) {
            let Some(service) = self.catalog.service(&s.service) else { continue };
            let target = Target::from_service(service)?;
            let previous = target.tags.render(&s.from);
            if self.repo.git.tag_commit(&previous)?.is_none() {
                missing.push(format!("{} (`{previous}`)", s.service));
            }
        }
        if !missing.is_empty() {
            return Err(Error::refused(format!(
                "no release to roll back to for {}",
                missing.join(", ")
            ))
            .hint("release each of them once on its own (`relman create ... SERVICE`) before it joins a train"));
        }
        self.state.participants.clear();
        for s in &steps {
            let p = self.state.participant_mut(&s.service);
            p.phase = if s.releases() { Phase::Pending } else { Phase::Skipped };
            p.tag = s.tag.clone();
        }
        self.state.plan = Some(RecordedPlan { head: inputs.head, inputs: inputs.files, steps });
        self.transition(Move::Advance, None)?;
        Ok(())
    }

    /// A train whose plan releases a major version needs the policy's
    /// `release_types.major` roles among its approvals before staging
    /// (SPEC §2.1): exit 1 naming the missing roles and the participants.
    fn check_major_approvals(&self, steps: &[PlannedStep]) -> Result<()> {
        let Some(missing) = self.missing_major_approvals(steps)? else { return Ok(()) };
        Err(Error::rejected(missing.message(&self.train.name)).hint(format!(
            "record it with `relman approve {} --role {}`",
            self.train.name,
            missing.missing.first().map(String::as_str).unwrap_or_default()
        )))
    }

    /// The `release_types.major` roles a plan releasing a major version
    /// lacks, with those majors; `None` when nothing is missing.
    fn missing_major_approvals(&self, steps: &[PlannedStep]) -> Result<Option<MajorApprovals>> {
        Ok(majors::of(self.repo, &self.train, steps)?.filter(|m| !m.is_met()))
    }

    /// Checks where hook logs go (inside the repository, on the resolved
    /// path) before anything is released or recorded.
    pub(super) fn check_logs(&self) -> Result<()> {
        let logs = format!("{}{}", crate::repo::LOGS, safe(&self.train.name));
        self.repo.resolve(&logs, "hook log (`.relman/logs/`)").map(drop)
    }

    /// Refuses (exit 3, naming the file) when an input of the recorded
    /// plan changed since staging.
    pub(super) fn check_inputs(&self) -> Result<()> {
        let Some(plan) = &self.state.plan else {
            return Err(Error::refused("the train has no recorded plan")
                .at(Location::file(self.repo.state_file(&self.train.name))));
        };
        let now = super::plan::inputs(self.repo, &self.catalog, &self.train)?;
        match super::plan::changed_input(&plan.inputs, &now.files) {
            Some(file) => Err(Error::refused(format!(
                "`{file}` changed since the train was staged (its digest in `plan.inputs` differs)"
            ))
            .at(Location::file(self.repo.state_file(&self.train.name)))
            .hint("pause and re-plan: roll the train back or move it to a new train")),
            None => Ok(()),
        }
    }

    /// What `train run --dry-run` shows (SPEC 4): every transition that
    /// remains, in order; each participant's from → to, tag and hooks
    /// (from the recorded plan, else the plan computed now); the gates it
    /// would evaluate on the way. Nothing is written.
    pub(super) fn preview_run(&mut self) -> Result<()> {
        let mut status = self.state.status;
        if status == Status::Paused || !status.is_active() {
            train::transition(status, Move::Advance, self.state.paused_from)
                .map_err(|refused| Error::refused(refused.to_string()))?;
        }
        if matches!(status, Status::Planning | Status::Validating) {
            let gates = validate::evaluate(self.cx, self.repo, &self.catalog, &self.train)?;
            if !gates.passed {
                self.body.code = 1;
            }
            self.body.gates = Some(gates);
        }
        if self.state.plan.is_none() {
            let steps = match self.saved.clone() {
                Some(steps) => steps,
                None => self.compute_steps()?,
            };
            self.preview = Some(steps);
        }
        // Staging would refuse a major release without its approvals: the
        // preview shows it as a failing check beside the gates (exit 1).
        let missing = match (&self.preview, &self.body.gates) {
            (Some(steps), Some(_)) => self.missing_major_approvals(steps)?,
            _ => None,
        };
        if let (Some(missing), Some(gates)) = (missing, &mut self.body.gates) {
            validate::add_major_approvals(gates, &missing);
            self.body.code = 1;
        }
        while let Some(next) = status.next() {
            self.body.transitions.push(Step { from: status, to: next, commit: None });
            status = next;
        }
        self.preview_deployments()
    }
}

/// Where a saved plan's sequence first differs from the one computed now,
/// as the JSON field that differs (`sequence[2].to`).
fn first_difference(saved: &[PlannedStep], now: &[PlannedStep]) -> Option<String> {
    for (i, (a, b)) in saved.iter().zip(now).enumerate() {
        let field = if a.service != b.service {
            "service"
        } else if a.from != b.from {
            "from"
        } else if a.to != b.to {
            "to"
        } else if a.tag != b.tag {
            "tag"
        } else if a.action != b.action {
            "action"
        } else if a.wave != b.wave {
            "wave"
        } else if a.depends_on != b.depends_on {
            "depends_on"
        } else {
            continue;
        };
        return Some(format!("sequence[{i}].{field}"));
    }
    (saved.len() != now.len()).then(|| format!("sequence[{}]", saved.len().min(now.len())))
}
