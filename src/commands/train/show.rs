//! `relman train show NAME`: one train with its participants, gates and
//! dependencies as written, and its plan.

use std::io::{self, Write};

use serde::Serialize;

use super::super::Context;
use super::list::TrainSummary;
use super::plan;
use crate::domain::catalog::VersionRule;
use crate::domain::gates::Gate;
use crate::domain::plan::Step;
use crate::domain::train::{Approval, ParticipantState};
use crate::error::Result;
use crate::output::{Report, Style};

/// A dependency as written.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyView {
    /// `spec` or `library`.
    pub kind: crate::domain::catalog::DependencyKind,
    /// Name.
    pub name: String,
    /// Range.
    pub requirement: String,
}

/// How a participant's version is chosen.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// The participant.
    pub service: String,
    /// Its rule: `{"kind": "pinned"|"train_target"|"bump"|"commits", "value": ...}`.
    pub rule: VersionRule,
}

/// `relman train show` result (schema `relman.train.show/1`).
#[derive(Debug, Clone, Serialize)]
pub struct ShowReport {
    /// Summary (name, status, participants, progress).
    #[serde(flatten)]
    pub summary: TrainSummary,
    /// Description, if any.
    pub description: Option<String>,
    /// Each participant's version rule.
    pub rules: Vec<RuleView>,
    /// The plan's steps.
    pub sequence: Vec<Step>,
    /// Gates as written.
    pub gates: Vec<Gate>,
    /// Dependencies.
    pub dependencies: Vec<DependencyView>,
    /// Each participant's progress from the state file (empty until staged).
    pub progress: Vec<ParticipantState>,
    /// Approvals recorded.
    pub approvals: Vec<Approval>,
}

impl Report for ShowReport {
    const SCHEMA: &'static str = "relman.train.show/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let s = &self.summary;
        writeln!(
            w,
            "{}  {}  {}/{} released",
            st.bold(&s.name),
            s.status,
            s.released,
            s.participants.len()
        )?;
        if let Some(d) = &self.description {
            writeln!(w, "{d}")?;
        }
        if let Some(t) = &s.start_time {
            writeln!(w, "starts {t}")?;
        }
        writeln!(w)?;
        w.write_all(plan::steps_table(&self.sequence, st.width).as_bytes())?;
        if !self.progress.is_empty() {
            writeln!(w, "\nprogress:")?;
            for p in &self.progress {
                let phase = serde_json::to_value(p.phase).ok();
                let phase = phase.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
                let tag = p.tag.as_deref().unwrap_or("-");
                writeln!(w, "  {:<24} {phase:<12} {tag}", p.service)?;
            }
        }
        for a in &self.approvals {
            writeln!(w, "approved as {} by {} at {}", a.role, a.by, a.at)?;
        }
        if !self.gates.is_empty() {
            writeln!(w, "\ngates:")?;
            for g in &self.gates {
                let mut flags = Vec::new();
                if !g.blocking {
                    flags.push("warning only");
                }
                if g.critical {
                    flags.push("critical");
                }
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", flags.join(", "))
                };
                writeln!(w, "  {}{flags}", g.text)?;
            }
        }
        if !self.dependencies.is_empty() {
            writeln!(w, "\ndependencies:")?;
            for d in &self.dependencies {
                writeln!(w, "  {} {}", d.name, d.requirement)?;
            }
        }
        Ok(())
    }
}

/// Shows the train `name`.
pub fn run(cx: &Context, name: &str) -> Result<ShowReport> {
    let repo = cx.repo()?;
    let catalog = repo.catalog()?;
    let train = super::find(&catalog, name)?;
    let state = repo.train_state(train)?;
    // Once staged, the plan is the one recorded, not one computed now.
    let sequence = match &state.plan {
        Some(recorded) => recorded.steps.clone(),
        None => {
            plan::compute(repo, &catalog, train, &repo.trains_file(), cx.global.now.date_naive())?
                .sequence
        }
    };
    Ok(ShowReport {
        summary: TrainSummary::new(train, &state),
        progress: state.participants.clone(),
        approvals: state.approvals.clone(),
        description: train.description.clone(),
        rules: train
            .participants
            .iter()
            .map(|p| RuleView { service: p.service.clone(), rule: p.rule.clone() })
            .collect(),
        sequence,
        gates: train.gates.clone(),
        dependencies: train
            .dependencies
            .iter()
            .map(|d| DependencyView {
                kind: d.kind,
                name: d.name.clone(),
                requirement: d.range.to_string(),
            })
            .collect(),
    })
}
