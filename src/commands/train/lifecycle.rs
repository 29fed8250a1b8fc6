//! `relman train start|advance|run|pause|resume NAME`: a train's lifecycle
//! (SPEC §4, §4.1), through its session (`session.rs`).

use std::path::Path;

use super::super::Context;
use super::super::release::{self};
use crate::domain::train::{self, Move, Status};
use crate::error::{Error, ErrorKind, Result};
use crate::repo::Repo;
use crate::repo::progress;

/// `relman train start NAME`: planning → validating.
pub fn start(cx: &Context, name: &str) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    if engine.state.status != Status::Planning {
        let refused =
            train::transition(engine.state.status, Move::Advance, engine.state.paused_from);
        let allowed = refused.err().map_or_else(String::new, |r| format!("; {r}"));
        return Err(Error::refused(format!(
            "train `{name}` has started already: it is {}{allowed}",
            engine.state.status
        )));
    }
    if cx.global.dry_run {
        engine.transition(Move::Advance, None)?;
        return Ok(TransitionReport(engine.finish()));
    }
    engine.advance()?;
    Ok(TransitionReport(engine.finish()))
}

/// `relman train advance NAME [--plan FILE]`: one transition.
pub fn advance(
    cx: &Context,
    name: &str,
    plan: Option<&Path>,
    jobs: u16,
) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    engine.jobs = usize::from(jobs);
    if let Some(file) = plan {
        engine.use_saved_plan(file)?;
    }
    if cx.global.dry_run {
        engine.transition(Move::Advance, None)?;
        return Ok(TransitionReport(engine.finish()));
    }
    engine.advance()?;
    Ok(TransitionReport(engine.finish()))
}

/// `relman train run NAME [--plan FILE]`: every transition that remains.
pub fn run(cx: &Context, name: &str, plan: Option<&Path>, jobs: u16) -> Result<RunReport> {
    let repo = cx.repo()?;
    let mut engine = Engine::open(cx, repo, name)?;
    engine.jobs = usize::from(jobs);
    if let Some(file) = plan {
        engine.use_saved_plan(file)?;
    }
    if cx.global.dry_run {
        engine.preview_run()?;
        return Ok(RunReport(engine.finish()));
    }
    if engine.recovered && matches!(engine.state.status, Status::RolledBack | Status::Failed) {
        // The killed run's last commit, completed on opening, ended the
        // train: say how it ended (SPEC 4.1: exit 4, as that run would).
        engine.body.code = 4;
        engine.body.failure = engine.state.failure.clone();
        return Ok(RunReport(engine.finish()));
    }
    while engine.state.status != Status::Completed && engine.advance()? {}
    Ok(RunReport(engine.finish()))
}

/// `relman train pause NAME` and `resume NAME`.
pub fn pause_or_resume(cx: &Context, name: &str, asked: Move) -> Result<TransitionReport> {
    let repo = cx.repo()?;
    let mut engine = match Engine::open(cx, repo, name) {
        Ok(engine) => engine,
        Err(e) if asked == Move::Pause && !cx.global.dry_run && e.kind == ErrorKind::Refused => {
            return ask_to_pause(cx, repo, name).unwrap_or(Err(e));
        }
        Err(e) => return Err(e),
    };
    if asked == Move::Resume
        && matches!(
            engine.state.paused_from,
            Some(Status::Staging | Status::Executing | Status::Verifying)
        )
    {
        engine.check_inputs()?;
    }
    engine.transition(asked, None)?;
    Ok(TransitionReport(engine.finish()))
}

/// `train pause` while a `train run` or `train advance` of the train holds
/// the lock: asks it to pause between two participants (it records the
/// pause). `None` when no such command holds the lock.
fn ask_to_pause(cx: &Context, repo: &Repo, name: &str) -> Option<Result<TransitionReport>> {
    let holder = crate::repo::lock::holder(repo.git.common_dir())?;
    let words: Vec<&str> = holder.command.split_whitespace().collect();
    let running = words
        .windows(3)
        .any(|w| w[0] == "train" && matches!(w[1], "run" | "advance") && w[2] == name);
    if !running {
        return None;
    }
    let asked = progress::Records::of(repo, name).request_pause(&release::who(repo));
    Some(asked.map(|()| {
        cx.ui.step(&format!(
            "asked {holder} to pause train `{name}` once its current participant is done"
        ));
        TransitionReport(Body {
            train: name.to_owned(),
            // As its state says now; the running command moves it.
            status: repo
                .catalog()
                .ok()
                .and_then(|c| c.train(name).cloned())
                .and_then(|t| repo.train_state(&t).ok())
                .map_or(Status::Executing, |s| s.status),
            transitions: Vec::new(),
            gates: None,
            participants: Vec::new(),
            failure: None,
            deployments: Vec::new(),
            dry_run: false,
            code: 0,
        })
    }))
}

pub use super::report::{Body, ParticipantView, RunReport, Step, TransitionReport};
pub use super::session::Engine;
