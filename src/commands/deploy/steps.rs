//! A strategy's hooks, in order, each recorded as it starts and as it
//! passes (`repo/ledger.rs`), so a run killed after a hook passed never
//! runs it again; and the rollback a failing one calls for.

use std::time::Duration;

use super::super::Context;
use super::super::hook_run::{passed, run_shown};
use super::report::{DeployReport, StepReport};
use crate::domain::catalog::{Hook, Hooks};
use crate::domain::deploy::Step;
use crate::domain::environment::Environment;
use crate::domain::policy::Strategy;
use crate::error::Result;
use crate::failpoint::failpoint;
use crate::hooks::{self, env};
use crate::repo::Repo;
use crate::repo::ledger::{Progress, Records};

/// One deployment's hooks and what they get.
pub(crate) struct Run<'a> {
    pub(crate) cx: &'a Context,
    pub(crate) repo: &'a Repo,
    pub(crate) env: &'a Environment,
    pub(crate) records: &'a Records,
    pub(crate) service: &'a str,
    pub(crate) version: &'a str,
    pub(crate) previous: Option<String>,
    pub(crate) strategy: Strategy,
    /// Blue-green: the slot deployed to.
    pub(crate) slot: Option<String>,
    /// Blue-green: the slot live before.
    pub(crate) old_slot: Option<String>,
    pub(crate) hooks: &'a Hooks,
    pub(crate) deploy_hook: &'a Hook,
    /// The train deploying it, for `RELMAN_TRAIN`.
    pub(crate) train: Option<&'a str>,
}

/// How the strategy's steps ended.
pub(crate) enum Ended {
    /// Every hook passed.
    Passed,
    /// This step's hook failed.
    Failed(String),
}

/// The rollback a failing step called for.
#[derive(Debug, Clone)]
pub(crate) struct RolledBack {
    /// The version put back (`None`: there was none before).
    pub(crate) to: Option<String>,
    /// Why.
    pub(crate) reason: String,
    /// It passed (or there was nothing to undo).
    pub(crate) passed: bool,
}

impl Run<'_> {
    fn vars(
        &self,
        version: &str,
        previous: Option<&str>,
        traffic: u64,
        slot: Option<&str>,
    ) -> hooks::Vars {
        let mut v = vec![
            (env::SERVICE, self.service.to_owned()),
            (env::VERSION, version.to_owned()),
            (env::PREVIOUS_VERSION, previous.unwrap_or_default().to_owned()),
            (env::ENV, self.env.name.clone()),
            (env::STRATEGY, self.strategy.to_string()),
            (env::TRAFFIC, traffic.to_string()),
        ];
        if let Some(slot) = slot {
            v.push((env::SLOT, slot.to_owned()));
        }
        if let Some(train) = self.train {
            v.push((env::TRAIN, train.to_owned()));
        }
        v
    }

    /// Runs one hook, recorded before it starts and after it ends.
    fn hook(
        &self,
        key: &str,
        name: &str,
        hook: &Hook,
        vars: &hooks::Vars,
        timeout: u64,
        progress: &mut Progress,
    ) -> Result<bool> {
        if let Some(cut) = progress.running.as_deref().filter(|r| *r == key) {
            self.cx.ui.warn(&format!(
                "{}: its `{name}` hook ({cut}) was interrupted mid-run; running it again",
                self.service
            ));
        }
        progress.running = Some(key.to_owned());
        self.records.write(self.service, progress)?;
        failpoint("before a hook")?;
        let label = format!("_env-{}", self.env.name);
        let outcome = run_shown(
            self.cx,
            self.repo,
            &label,
            self.service,
            name,
            hook,
            vars,
            Duration::from_secs(timeout),
        )?;
        outcome.check_interrupted()?;
        let ok = passed(&outcome);
        progress.running = None;
        if ok {
            progress.passed.push(key.to_owned());
        }
        self.records.write(self.service, progress)?;
        failpoint("after a hook")?;
        Ok(ok)
    }

    /// The strategy's steps in order; a step that passed in an earlier
    /// run of this deployment is not run again.
    pub(crate) fn strategy(
        &self,
        plan: &[Step],
        progress: &mut Progress,
        report: &mut DeployReport,
    ) -> Result<Ended> {
        if let Some(failed) = progress.failed.clone() {
            return Ok(Ended::Failed(failed));
        }
        let health_timeout = self.repo.policies()?.health_check_timeout;
        for (i, step) in plan.iter().enumerate() {
            if progress.passed.contains(&step.key) {
                self.cx.ui.step(&format!(
                    "{}: `{}` passed in the interrupted run; not run again",
                    self.service, step.key
                ));
                report.steps[i].result = "passed".into();
                continue;
            }
            let (hook, timeout) = match step.hook {
                "deploy" => (Some(self.deploy_hook), self.env.timeout),
                "switch" => (self.hooks.switch.as_ref(), self.env.timeout),
                _ => (self.hooks.health.as_ref(), health_timeout),
            };
            let Some(hook) = hook else {
                report.steps[i].result = "no hook".into();
                continue;
            };
            if step.wait > 0 {
                self.cx.ui.step(&format!("waiting {}s (the canary's interval)", step.wait));
                std::thread::sleep(Duration::from_secs(step.wait));
            }
            let vars = self.vars(
                self.version,
                self.previous.as_deref(),
                step.traffic,
                self.slot.as_deref(),
            );
            let attempts = if step.hook == "health" { 1 + self.env.health_retries } else { 1 };
            let mut ok = false;
            for attempt in 1..=attempts {
                if attempt > 1 {
                    self.cx.ui.step(&format!(
                        "{}: health attempt {attempt} of {attempts} in {}s",
                        self.service, self.env.health_interval
                    ));
                    std::thread::sleep(Duration::from_secs(self.env.health_interval));
                }
                ok = self.hook(&step.key, step.hook, hook, &vars, timeout, progress)?;
                if ok {
                    break;
                }
            }
            report.steps[i].result = if ok { "passed" } else { "failed" }.into();
            if !ok {
                progress.failed = Some(step.key.clone());
                self.records.write(self.service, progress)?;
                return Ok(Ended::Failed(step.key.clone()));
            }
        }
        Ok(Ended::Passed)
    }

    /// Puts the previous version back after `failed`: the `rollback` hook
    /// (else the `deploy` hook) with the previous version; blue-green
    /// switches back, or has nothing to undo when traffic never moved.
    pub(crate) fn roll_back(
        &self,
        failed: &str,
        progress: &mut Progress,
        report: &mut DeployReport,
    ) -> Result<RolledBack> {
        let reason = format!("automatic: `{failed}` failed");
        let Some(previous) = self.previous.clone() else {
            self.cx.ui.warn(&format!(
                "{}: no version ran in `{}` before: nothing to put back",
                self.service, self.env.name
            ));
            return Ok(RolledBack { to: None, reason, passed: false });
        };
        let (hook, slot) = match self.strategy {
            Strategy::BlueGreen if failed != "switch" => {
                self.cx.ui.step(&format!(
                    "{}: traffic never left {} {}: nothing to switch back",
                    self.service,
                    self.old_slot.as_deref().unwrap_or("the live slot"),
                    previous
                ));
                return Ok(RolledBack { to: Some(previous), reason, passed: true });
            }
            Strategy::BlueGreen => (self.hooks.switch.as_ref(), self.old_slot.clone()),
            _ => (self.hooks.rollback.as_ref().or(Some(self.deploy_hook)), None),
        };
        let Some(hook) = hook else {
            return Ok(RolledBack { to: Some(previous), reason, passed: false });
        };
        if progress.passed.iter().any(|k| k == "rollback") {
            return Ok(RolledBack { to: Some(previous), reason, passed: true });
        }
        // A `rollback` hook gets the version rolled back and the one
        // restored, as `rollback SERVICE` gives them; the `deploy` hook in
        // its place, and `switch`, get the version they put in service.
        let own_hook = self.strategy != Strategy::BlueGreen && self.hooks.rollback.is_some();
        let mut vars = if own_hook {
            self.vars(self.version, Some(&previous), 100, slot.as_deref())
        } else {
            self.vars(&previous, Some(self.version), 100, slot.as_deref())
        };
        vars.push((env::REASON, reason.clone()));
        let name = if self.strategy == Strategy::BlueGreen { "switch" } else { "rollback" };
        let ok = self.hook("rollback", name, hook, &vars, self.env.timeout, progress)?;
        report.steps.push(StepReport {
            hook: name.to_owned(),
            traffic: 100,
            slot,
            version: previous.clone(),
            result: if ok { "passed" } else { "failed" }.into(),
        });
        Ok(RolledBack { to: Some(previous), reason, passed: ok })
    }
}
