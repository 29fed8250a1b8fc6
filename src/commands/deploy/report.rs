//! `relman deploy`'s report (schema `relman.deploy/1`).

use std::io::{self, Write};

use serde::Serialize;

use crate::domain::deploy::{Approval, Entry, Outcome, Step};
use crate::domain::policy::Strategy;
use crate::output::{Report, Style};

/// One hook of the deployment.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// `deploy`, `health`, `switch` or `rollback`.
    pub hook: String,
    /// `RELMAN_TRAFFIC`.
    pub traffic: u64,
    /// `RELMAN_SLOT` (blue-green).
    pub slot: Option<String>,
    /// `RELMAN_VERSION`.
    pub version: String,
    /// `planned` (a dry run), `passed`, `failed`, `no hook`, or `not run`.
    pub result: String,
}

impl StepReport {
    /// A step as planned.
    pub fn planned(step: &Step, slot: Option<&str>, version: &str) -> Self {
        Self {
            hook: step.hook.to_owned(),
            traffic: step.traffic,
            slot: slot.map(str::to_owned),
            version: version.to_owned(),
            result: "planned".into(),
        }
    }
}

/// `relman deploy` result.
#[derive(Debug, Clone, Serialize)]
pub struct DeployReport {
    /// The environment.
    pub env: String,
    /// The service (the project's name for a single project).
    pub service: String,
    /// The version deployed.
    pub version: String,
    /// The version live before.
    pub previous: Option<String>,
    /// The strategy.
    pub strategy: Strategy,
    /// Blue-green: the slot deployed to.
    pub slot: Option<String>,
    /// Why the promotion order allows it.
    pub promotion: String,
    /// The environment's checks.
    pub checks: Vec<String>,
    /// The approvals it is made with.
    pub approvals: Vec<Approval>,
    /// The hooks, in order.
    pub steps: Vec<StepReport>,
    /// `succeeded`, `failed` or `rolled_back` (`null` in a dry run).
    pub result: Option<Outcome>,
    /// The version put back, when rolled back.
    pub rolled_back_to: Option<String>,
    /// The commit that records it (`null` in a dry run).
    pub commit: Option<String>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl DeployReport {
    /// A deployment an interrupted run recorded already: what it recorded.
    pub fn recorded(env: &str, e: &Entry) -> Self {
        Self {
            env: env.to_owned(),
            service: e.service.clone(),
            version: e.version.clone(),
            previous: e.previous.clone(),
            strategy: e.strategy,
            slot: e.slot.clone(),
            promotion: "recorded by the interrupted run".into(),
            checks: Vec::new(),
            approvals: e.approvals.clone(),
            steps: Vec::new(),
            result: Some(e.result),
            rolled_back_to: if e.result == Outcome::RolledBack { e.previous.clone() } else { None },
            commit: None,
            dry_run: false,
        }
    }
}

impl Report for DeployReport {
    const SCHEMA: &'static str = "relman.deploy/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        let from = self.previous.as_deref().map_or_else(String::new, |p| format!(" (from {p})"));
        let slot = self.slot.as_deref().map_or_else(String::new, |s| format!(", slot {s}"));
        let verb = if self.dry_run { "would deploy" } else { "deploy" };
        writeln!(
            w,
            "{verb} {} {} to {}{from}: {}{slot}",
            st.bold(&self.service),
            self.version,
            st.bold(&self.env),
            self.strategy
        )?;
        writeln!(w, "  order: {}", self.promotion)?;
        for c in &self.checks {
            writeln!(w, "  check: {c}")?;
        }
        for a in &self.approvals {
            writeln!(w, "  approved: {} by {} ({})", a.role, a.by, a.at)?;
        }
        for s in &self.steps {
            let slot = s.slot.as_deref().map_or_else(String::new, |x| format!(" slot {x}"));
            let version =
                if s.version.is_empty() { String::new() } else { format!(" {}", s.version) };
            writeln!(w, "  {:<8} traffic {:>3}%{slot}{version}  {}", s.hook, s.traffic, s.result)?;
        }
        match self.result {
            None => Ok(()),
            Some(Outcome::Succeeded) => {
                writeln!(w, "{} {} is live in {}", st.green("deployed:"), self.version, self.env)
            }
            Some(Outcome::RolledBack) => writeln!(
                w,
                "{} a hook failed; {} was put back in {} (both recorded)",
                st.red("rolled back:"),
                self.rolled_back_to.as_deref().unwrap_or("the previous version"),
                self.env
            ),
            Some(Outcome::Failed) => writeln!(
                w,
                "{} a hook failed; recorded as failed in {}",
                st.red("failed:"),
                self.env
            ),
        }
    }

    fn exit_code(&self) -> u8 {
        match self.result {
            Some(Outcome::Failed | Outcome::RolledBack) => 4,
            _ => 0,
        }
    }

    /// A deployment is one commit of the ledger, and makes no tag.
    fn would_push(&self) -> Option<(bool, Vec<String>)> {
        Some((true, Vec::new()))
    }
}
