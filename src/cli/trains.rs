//! The arguments of the trains' and the environments' commands: `train`,
//! `approve`, `rollback` and `deploy`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `relman train` subcommands.
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// List every train with status, participants and progress
    List,
    /// Show one train: status, participants, gates, dependencies
    Show(TrainNameArgs),
    /// Print the dependency-ordered plan: waves, versions, actions
    Plan(TrainPlanArgs),
    /// Evaluate every gate and dependency; exit 1 if a blocking one fails
    Validate(TrainNameArgs),
    /// Start a train: planning → validating (every gate evaluated)
    Start(TrainNameArgs),
    /// Make the train's next transition
    Advance(TrainAdvanceArgs),
    /// Make every transition that remains, releasing each participant
    Run(TrainRunArgs),
    /// Pause an active train
    Pause(TrainNameArgs),
    /// Resume a paused train where it was
    Resume(TrainNameArgs),
}

/// Arguments of `relman train advance`.
#[derive(Debug, Args)]
pub struct TrainAdvanceArgs {
    /// The train
    pub name: String,
    /// Stage exactly this saved plan (`train plan --out`); refused if an input changed
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Run up to N hooks of a wave at once (tags are still made in plan order)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// Arguments of `relman train run`.
#[derive(Debug, Args)]
pub struct TrainRunArgs {
    /// The train
    pub name: String,
    /// Continue an interrupted run from the first participant not finished
    #[arg(long)]
    pub resume: bool,
    /// Stage exactly this saved plan (`train plan --out`); refused if an input changed
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Run up to N hooks of a wave at once (tags are still made in plan order)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// Arguments of `relman approve`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["train", "env"])))]
pub struct ApproveArgs {
    /// The train
    pub train: Option<String>,
    /// Approve a deployment to this environment (with `--version`)
    #[arg(long, value_name = "ENV", requires = "version")]
    pub env: Option<String>,
    /// The version approved for `--env`
    #[arg(long, value_name = "VERSION", requires = "env")]
    pub version: Option<String>,
    /// The service approved for `--env` (default: the single project)
    #[arg(long, value_name = "SERVICE", requires = "env")]
    pub service: Option<String>,
    /// The role approving (one the train's `approvals:` gate, or the environment's policy, requires)
    #[arg(long)]
    pub role: String,
    /// Who approves (default: git's author, `Name <email>`)
    #[arg(long, value_name = "WHO")]
    pub by: Option<String>,
    /// A note recorded with the approval
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Arguments of `relman rollback`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["train", "service", "env"])))]
pub struct RollbackArgs {
    /// Roll back every released participant of this train, in reverse order
    #[arg(long, value_name = "NAME", conflicts_with = "env")]
    pub train: Option<String>,
    /// Roll back one service (with `--env`: that service in the environment)
    pub service: Option<String>,
    /// Put an environment back to the version it ran before (through the ledger)
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// The version to restore (default: the one before)
    #[arg(long, value_name = "VERSION", conflicts_with = "train")]
    pub to: Option<String>,
    /// Why (recorded, and passed to hooks as RELMAN_REASON)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Also tag the restored version's commit `<tag>-rollback.<n>`
    #[arg(long)]
    pub tag: bool,
}

/// Arguments of `relman deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The version to deploy (its tag must exist)
    pub version: String,
    /// The environment (one of the policy's `environments.order`)
    pub env: String,
    /// The service (default: the single project)
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// rolling, blue-green or canary (default: the environment's policy)
    #[arg(long, value_name = "STRATEGY")]
    pub strategy: Option<String>,
    /// A canary's first traffic step, in percent
    #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u64).range(1..=100))]
    pub initial_traffic: Option<u64>,
    /// Record an approval in the same commit: ROLE=WHO (repeatable)
    #[arg(long = "approved-by", value_name = "ROLE=WHO")]
    pub approved_by: Vec<String>,
}

/// A train name.
#[derive(Debug, Args)]
pub struct TrainNameArgs {
    /// The train
    pub name: String,
}

/// Arguments of `relman train plan`.
#[derive(Debug, Args)]
pub struct TrainPlanArgs {
    /// The train
    pub name: String,
    /// Save the plan, with a digest of every input, to FILE
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
