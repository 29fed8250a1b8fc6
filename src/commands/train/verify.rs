//! Verifying: the critical gates and every released participant's
//! `health` hook; below the threshold, the automatic rollback (SPEC §4.1);
//! then the train's notes.

use std::time::Duration;

use super::session::Engine;
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{Failure, Phase};
use crate::error::Result;

impl Engine<'_, '_> {
    /// Leaving verifying: critical gates and every released participant's
    /// `health` hook; below the threshold, an automatic rollback (SPEC
    /// §4.1) or failed.
    pub(super) fn verify(&mut self, timeout: Duration) -> Result<bool> {
        // Evaluated before the move into verifying (which recorded them),
        // or now, on a resumed verifying: the move that ends it records them.
        let gates = match self.verify_gates.take() {
            Some(gates) => gates,
            None => self.evaluate_gates()?,
        };
        let critical: Vec<String> = gates
            .gates
            .iter()
            .zip(&self.train.gates)
            .filter(|(r, g)| g.critical && !r.passed)
            .map(|(r, _)| r.gate.clone())
            .collect();
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        // Released, or found healthy already by a run stopped since.
        let released: Vec<PlannedStep> = steps
            .into_iter()
            .filter(|s| {
                self.state
                    .participant(&s.service)
                    .is_some_and(|p| matches!(p.phase, Phase::Released | Phase::Healthy))
            })
            .collect();
        let mut unhealthy = Vec::new();
        let bar = self.cx.ui.phase_bar("verifying", released.len() as u64);
        for step in &released {
            bar.set_message(step.service.clone());
            bar.inc();
            if self.state.participant(&step.service).is_some_and(|p| p.phase == Phase::Healthy) {
                continue;
            }
            let service = self.service(&step.service)?.clone();
            let healthy = match &service.hooks.health {
                Some(hook) => self.run_hook(step, "health", hook, timeout)?,
                None => true,
            };
            if healthy {
                self.state.participant_mut(&step.service).phase = Phase::Healthy;
                self.save_progress(&step.service)?;
            } else {
                unhealthy.push(step.service.clone());
            }
        }
        bar.finish();
        if !critical.is_empty() {
            self.fail(None, format!("critical gate(s) failed: {}", critical.join(", ")))?;
            self.body.code = 1;
            return Ok(false);
        }
        let share = if released.is_empty() {
            100.0
        } else {
            100.0 * (released.len() - unhealthy.len()) as f64 / released.len() as f64
        };
        let threshold = self.train.health_check_threshold.unwrap_or(100.0);
        if share + f64::EPSILON < threshold {
            let reason = format!(
                "unhealthy after release: {} ({share:.0}% healthy, {threshold:.0}% required)",
                unhealthy.join(", ")
            );
            if self.train.rollback_enabled {
                self.cx.ui.step(&format!("{}: {reason}; rolling back", self.train.name));
                self.state.failure = Some(Failure { service: None, reason: reason.clone() });
                self.body.failure = self.state.failure.clone();
                (self.cx.roll_back_train)(self, &reason)?;
            } else {
                self.fail(None, reason)?;
            }
            self.body.code = 4;
            return Ok(false);
        }
        Ok(true)
    }

    /// Tells whether verifying's health checks found every participant
    /// released healthy.
    pub(super) fn all_healthy(&self) -> bool {
        self.planned_releases()
            .all(|s| self.state.participant(&s.service).is_some_and(|p| p.phase == Phase::Healthy))
    }

    /// The train's notes, written when it completes: each participant
    /// released, with the notes of its tag.
    pub(super) fn write_notes(&mut self) -> Result<()> {
        let steps = self.state.plan.as_ref().map(|p| p.steps.clone()).unwrap_or_default();
        let mut out = format!("# {}\n", self.train.name);
        if let Some(d) = &self.train.description {
            out.push_str(&format!("\n{d}\n"));
        }
        for s in &steps {
            let Some(tag) = s.tag.as_deref().filter(|_| s.releases()) else { continue };
            out.push_str(&format!("\n## {} {} → {} (`{tag}`)\n\n", s.service, s.from, s.to));
            let notes = self.repo.git.tag_message(tag).unwrap_or_default();
            // The tag's message starts with the tag itself.
            let body = notes.split_once("\n\n").map_or("", |(_, b)| b).trim_end();
            out.push_str(if body.is_empty() { "No notable changes." } else { body });
            out.push('\n');
        }
        let skipped: Vec<&str> =
            steps.iter().filter(|s| !s.releases()).map(|s| s.service.as_str()).collect();
        if !skipped.is_empty() {
            out.push_str(&format!("\nNot released (nothing to release): {}\n", skipped.join(", ")));
        }
        let file = self.repo.train_notes_file(&self.train.name);
        self.tx.write(&file, "train notes (`paths.state`)", "notes", out)?;
        Ok(())
    }
}
