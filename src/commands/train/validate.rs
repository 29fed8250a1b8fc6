//! `relman train validate NAME`: evaluate every gate and dependency.
//!
//! Exit 0 when every blocking gate and every dependency passes, 1
//! otherwise. A plan that releases a major version without the policy's
//! `release_types.major` approvals is a failing blocking check listed
//! after the gates, as `train run --dry-run` lists it: staging would
//! refuse it. `command:` gates run with the hook rules of SPEC §6.3: the
//! text as written under `sh -c`, values only in `RELMAN_*` variables.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::super::Context;
use super::majors::{self, MajorApprovals};
use crate::domain::catalog::{Catalog, DependencyKind, Train};
use crate::domain::gates::{self, GateKind, GateResult, Inputs, Metrics};
use crate::error::Result;
use crate::hooks::{self, Hook};
use crate::output::{Report, Style};
use crate::repo::Repo;

/// A dependency's result.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyResult {
    /// `spec` or `library`.
    pub kind: DependencyKind,
    /// Its name.
    pub name: String,
    /// The range required.
    pub requirement: String,
    /// The highest listed version that satisfies it, else the highest listed.
    pub found: Option<String>,
    /// Whether some listed version satisfies the range.
    pub passed: bool,
}

/// `relman train validate` result (schema `relman.train.validate/1`).
#[derive(Debug, Clone, Serialize)]
pub struct ValidateReport {
    /// Train name.
    pub train: String,
    /// Every blocking gate and every dependency passed.
    pub passed: bool,
    /// Every gate, in the order written.
    pub gates: Vec<GateResult>,
    /// Every dependency.
    pub dependencies: Vec<DependencyResult>,
}

impl Report for ValidateReport {
    const SCHEMA: &'static str = "relman.train.validate/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        for g in &self.gates {
            let mark = st.verdict(g.passed, g.blocking);
            writeln!(w, "{mark}  {}", g.gate)?;
            for f in &g.failures {
                match (&f.service, &f.value) {
                    (Some(who), Some(seen)) => {
                        writeln!(w, "        {who}: {seen} (needs {})", f.required)?;
                    }
                    (Some(who), None) => {
                        writeln!(w, "        {who}: no data (needs {})", f.required)?;
                    }
                    (None, Some(seen)) => writeln!(w, "        {seen} (needs {})", f.required)?,
                    (None, None) => writeln!(w, "        missing {}", f.required)?,
                }
            }
        }
        for d in &self.dependencies {
            let mark = st.verdict(d.passed, true);
            let kind = match d.kind {
                DependencyKind::Spec => "spec",
                DependencyKind::Library => "library",
            };
            let found = d.found.as_deref().unwrap_or("none listed");
            writeln!(w, "{mark}  {kind} {} {} (found {found})", d.name, d.requirement)?;
        }
        let failed = self.gates.iter().filter(|g| !g.passed && g.blocking).count()
            + self.dependencies.iter().filter(|d| !d.passed).count();
        let warned = self.gates.iter().filter(|g| !g.passed && !g.blocking).count();
        if self.passed {
            writeln!(
                w,
                "{}: train `{}` may go{}",
                st.green("passed"),
                self.train,
                if warned > 0 { format!(" ({warned} warning(s))") } else { String::new() }
            )
        } else {
            writeln!(
                w,
                "{}: {failed} blocking check(s) failed for train `{}`",
                st.red("failed"),
                self.train
            )
        }
    }

    fn exit_code(&self) -> u8 {
        u8::from(!self.passed)
    }
}

/// Evaluates every gate and dependency of `train`.
pub fn evaluate(
    cx: &Context,
    repo: &Repo,
    catalog: &Catalog,
    train: &Train,
) -> Result<ValidateReport> {
    let policies = repo.policies()?;
    let mut participants: Vec<(String, Option<Metrics>)> = Vec::new();
    for p in &train.participants {
        participants.push((p.service.clone(), repo.metrics(&p.service)?));
    }
    let approved = repo.approved_roles(train)?;
    let inputs = Inputs {
        participants: &participants,
        policy: &policies.quality_gates,
        approved_roles: &approved,
    };
    let mut results = Vec::new();
    for gate in &train.gates {
        let command = match &gate.kind {
            GateKind::Command { command: text } => {
                let vars = [(hooks::env::TRAIN, train.name.clone())];
                let timeout = Duration::from_secs(policies.health_check_timeout);
                cx.ui.step(&format!("running gate command `{text}`"));
                let outcome =
                    hooks::run(&Hook::Shell(text.clone()), repo.root(), &vars, timeout, None);
                if let Ok(o) = &outcome {
                    o.check_interrupted()?;
                }
                if let (Ok(o), true) = (&outcome, cx.global.verbose > 0) {
                    for line in o.output.lines() {
                        cx.ui.step(&format!("  | {line}"));
                    }
                }
                Some(match outcome {
                    Ok(o) if o.timed_out => {
                        Err(format!("timed out after {}s", policies.health_check_timeout))
                    }
                    Ok(o) => Ok(o.code.unwrap_or(-1)),
                    Err(e) => Err(e.to_string()),
                })
            }
            _ => None,
        };
        results.push(gates::evaluate(gate, &inputs, command));
    }
    let dependencies = train
        .dependencies
        .iter()
        .map(|d| {
            let listed = match d.kind {
                DependencyKind::Spec => catalog.specs.specs.get(&d.name),
                DependencyKind::Library => catalog.specs.libraries.get(&d.name),
            };
            let versions = listed.map(Vec::as_slice).unwrap_or_default();
            let best = versions.iter().filter(|v| d.range.satisfies(v)).max();
            DependencyResult {
                kind: d.kind,
                name: d.name.clone(),
                requirement: d.range.to_string(),
                found: best.or_else(|| versions.iter().max()).map(ToString::to_string),
                passed: best.is_some(),
            }
        })
        .collect::<Vec<_>>();
    let passed =
        results.iter().all(|g| g.passed || !g.blocking) && dependencies.iter().all(|d| d.passed);
    Ok(ValidateReport { train: train.name.clone(), passed, gates: results, dependencies })
}

/// Lists the missing `release_types.major` approvals after the gates, as
/// a failing blocking check: the report no longer passes.
pub fn add_major_approvals(report: &mut ValidateReport, missing: &MajorApprovals) {
    report.gates.push(missing.as_gate(&report.train));
    report.passed = false;
}

/// Validates the train `name`: its gates, its dependencies, and the
/// major approvals its plan needs.
pub fn run(cx: &Context, name: &str) -> Result<ValidateReport> {
    let repo = cx.repo()?;
    let catalog = repo.catalog_optional()?.ok_or_else(|| repo.no_catalog())?;
    let train = super::find(&catalog, name)?;
    let mut report = evaluate(cx, repo, &catalog, train)?;
    if let Some(missing) = majors::missing(repo, &catalog, train, cx.global.now.date_naive())? {
        add_major_approvals(&mut report, &missing);
    }
    Ok(report)
}
