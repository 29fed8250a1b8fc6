//! A train that deploys (`release_trains.deploy.environment` in the
//! policies, SPEC 7): each participant released during `executing` is
//! deployed to that environment right after its `release` and `health`
//! hooks passed, through the deploy command's own code
//! (`commands/deploy`): the same gates, strategy, health, automatic
//! rollback, progress records and ledger commit, made on the train's
//! transaction. Without the key a train deploys nothing.
//!
//! Whether a participant is deployed is read from the environment's
//! ledger (the deployment's own record), never from the train's state: a
//! run killed anywhere in a deployment goes on from the deploy command's
//! progress record, and a recorded deployment is never made again.

use super::session::Engine;
use crate::commands::deploy::{self, DeployReport, Request};
use crate::domain::deploy::Outcome;
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::Phase;
use crate::error::Result;
use crate::repo::ledger::Records;

/// What a participant's deployment left, as its ledger and progress say.
enum Left {
    /// Nothing recorded, nothing under way.
    Nothing,
    /// A deployment under way, or recorded and not yet told (the deploy
    /// command's progress record): going on finishes it.
    UnderWay,
    /// Recorded, with this result.
    Recorded(Outcome),
}

impl Engine<'_, '_> {
    /// The environment the policy has trains deploy to, if any.
    pub(super) fn deploy_env(&self) -> Result<Option<String>> {
        Ok(self.repo.policies()?.train_deploy)
    }

    fn left(&self, env: &str, step: &PlannedStep) -> Result<Left> {
        if Records::of(self.repo, env).read(&step.service)?.is_some() {
            return Ok(Left::UnderWay);
        }
        let found = deploy::recorded(self.repo, env, &step.service, &step.to.to_string())?;
        Ok(found.map_or(Left::Nothing, Left::Recorded))
    }

    /// Tells whether every participant the plan releases is deployed (true
    /// when the policy asks for no deployment).
    pub(super) fn all_deployed(&self) -> Result<bool> {
        let Some(env) = self.deploy_env()? else { return Ok(true) };
        for step in self.planned_releases() {
            if !matches!(self.left(&env, step)?, Left::Recorded(Outcome::Succeeded)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Before anything is released: every participant still to deploy
    /// passes the deployment's own checks that do not need its tag (its
    /// `deploy` hook, the promotion order, the approvals), and one
    /// confirmation covers them all. So a train never tags a participant
    /// it then cannot deploy.
    pub(super) fn check_deployments(&self, steps: &[PlannedStep]) -> Result<()> {
        let Some(env) = self.deploy_env()? else { return Ok(()) };
        let mut asked = None;
        let mut count = 0;
        for step in steps.iter().filter(|s| s.releases()) {
            if !matches!(self.left(&env, step)?, Left::Nothing) {
                continue;
            }
            let version = step.to.to_string();
            let req = request(&step.service, &version, &env, &self.train.name);
            let p = deploy::prepare(self.repo, &req, false)?;
            let tag = step.tag.clone().unwrap_or_else(|| p.unit.target.tags.render(&step.to));
            deploy::gate_promotion(self.cx, self.repo, &p.env, &p.service, &p.version, &tag)?;
            let ledger = self.repo.ledger(&p.env.name)?;
            deploy::gate_approvals(self.repo, &p.env, &ledger, &p.service, &p.version, &[])?;
            count += 1;
            asked = Some(p.env);
        }
        if let Some(env) = asked
            && !self.cx.global.dry_run
        {
            let what =
                format!("{count} participant(s) of train `{}` to `{}`", self.train.name, env.name);
            deploy::confirm_what(self.cx, &env, &what)?;
        }
        Ok(())
    }

    /// Deploys a released participant to the policy's environment, unless
    /// its deployment is recorded already. A deployment that failed (put
    /// back by its automatic rollback, or recorded as failed) fails the
    /// train as a failing hook does; `false` then.
    pub(super) fn deploy_released(&mut self, step: &PlannedStep) -> Result<bool> {
        let Some(env) = self.deploy_env()? else { return Ok(true) };
        let version = step.to.to_string();
        let result = match self.left(&env, step)? {
            Left::Recorded(result) => {
                self.cx.ui.step(&format!(
                    "{}: its deployment of {version} to `{env}` is recorded ({}); not deployed again",
                    step.service,
                    result.as_str()
                ));
                result
            }
            Left::Nothing | Left::UnderWay => {
                let (cx, repo, train) = (self.cx, self.repo, self.train.name.clone());
                let req = request(&step.service, &version, &env, &train);
                let prepared = deploy::prepare(repo, &req, true)?;
                let tag = prepared.tag.clone().unwrap_or_default();
                let report = deploy::deploy_in(cx, repo, &mut self.tx, &req, prepared, &tag)?;
                let result = report.result.unwrap_or(Outcome::Succeeded);
                self.body.deployments.push(report);
                result
            }
        };
        if result == Outcome::Succeeded {
            return Ok(true);
        }
        let how = match result {
            Outcome::RolledBack => "failed and was rolled back",
            _ => "failed",
        };
        self.fail(Some(step.service.clone()), format!("its deployment to `{env}` {how}"))?;
        Ok(false)
    }

    /// A dry run of `train run`: the deployments it would make, each as
    /// the deploy command's dry run shows it.
    pub(super) fn preview_deployments(&mut self) -> Result<()> {
        let Some(env) = self.deploy_env()? else { return Ok(()) };
        let steps = match (&self.preview, &self.state.plan) {
            (Some(steps), _) => steps.clone(),
            (None, Some(plan)) => plan.steps.clone(),
            (None, None) => Vec::new(),
        };
        let mut todo = Vec::new();
        for step in steps.into_iter().filter(PlannedStep::releases) {
            let phase = self.state.participant(&step.service).map(|p| p.phase).unwrap_or_default();
            let done = matches!(self.left(&env, &step)?, Left::Recorded(_));
            if !done && matches!(phase, Phase::Pending | Phase::Tagged | Phase::Released) {
                todo.push(step);
            }
        }
        self.check_deployments(&todo)?;
        for step in &todo {
            let version = step.to.to_string();
            let (cx, repo, train) = (self.cx, self.repo, self.train.name.clone());
            let req = request(&step.service, &version, &env, &train);
            let prepared = deploy::prepare(repo, &req, false)?;
            let tag =
                step.tag.clone().unwrap_or_else(|| prepared.unit.target.tags.render(&step.to));
            let report: DeployReport =
                deploy::deploy_in(cx, repo, &mut self.tx, &req, prepared, &tag)?;
            self.body.deployments.push(report);
        }
        Ok(())
    }
}

/// A train participant's deployment: the environment's own strategy, no
/// approval given on the spot, confirmed before anything was released.
fn request<'a>(service: &'a str, version: &'a str, env: &'a str, train: &'a str) -> Request<'a> {
    Request {
        service: Some(service),
        version,
        env,
        strategy: None,
        initial_traffic: None,
        approved_by: &[],
        train: Some(train),
        confirmed: true,
    }
}
