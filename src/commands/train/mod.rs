//! `relman train ...`: release trains over the catalog.

mod deploy;
mod execute;
pub mod hooks;
pub mod lifecycle;
pub mod list;
pub mod majors;
pub mod plan;
mod report;
mod session;
pub mod show;
mod stage;
pub mod validate;
mod verify;

use super::Context;
use crate::cli::TrainCommand;
use crate::domain::catalog::{Catalog, Train};
use crate::domain::suggestion;
use crate::domain::train::Move;
use crate::error::{Error, Result};

/// Rolls a train's released participants back in reverse order, for
/// `reason` (the rollback command's steps; see `Context::roll_back_train`).
pub type RollBackTrain = fn(&mut lifecycle::Engine<'_, '_>, &str) -> Result<()>;

/// Returns the train called `name`, or an error suggesting the closest.
pub fn find<'a>(catalog: &'a Catalog, name: &str) -> Result<&'a Train> {
    catalog.train(name).ok_or_else(|| {
        let names: Vec<&str> = catalog.trains.iter().map(|t| t.name.as_str()).collect();
        Error::unknown("train", name, suggestion::hint(name, &names, "trains"))
    })
}

/// Runs a `relman train` subcommand.
pub fn run(cx: &Context, command: TrainCommand) -> Result<u8> {
    match command {
        TrainCommand::List => cx.emit(list::run(cx)?),
        TrainCommand::Show(args) => cx.emit(show::run(cx, &args.name)?),
        TrainCommand::Plan(args) => cx.emit(plan::run(cx, &args)?),
        TrainCommand::Validate(args) => cx.emit(validate::run(cx, &args.name)?),
        TrainCommand::Start(args) => cx.emit(lifecycle::start(cx, &args.name)?),
        TrainCommand::Advance(args) => {
            cx.emit(lifecycle::advance(cx, &args.name, args.plan.as_deref(), args.jobs)?)
        }
        TrainCommand::Run(args) => {
            cx.emit(lifecycle::run(cx, &args.name, args.plan.as_deref(), args.jobs)?)
        }
        TrainCommand::Pause(args) => {
            cx.emit(lifecycle::pause_or_resume(cx, &args.name, Move::Pause)?)
        }
        TrainCommand::Resume(args) => {
            cx.emit(lifecycle::pause_or_resume(cx, &args.name, Move::Resume)?)
        }
    }
}
