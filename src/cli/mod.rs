//! Command-line types: clap derive structs only, no behaviour.
//!
//! Doc comments here are the user-facing help: imperative first line, no
//! trailing period. `settings.rs` turns these into `Settings`; commands never
//! see clap types other than their own `XxxArgs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod trains;

pub use trains::*;

/// Cut releases, run release trains behind gates, and keep an audited record in git
#[derive(Debug, Parser)]
#[command(name = "relman", version, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Run as if started in DIR (default: the repository containing the current directory)
    #[arg(short = 'C', long = "repo", global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Output format: tables and lines for people, or one JSON document for scripts
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Show what would change and change nothing: no file, ref, index entry, lock or log
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Answer yes to every confirmation (needed without a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// Print only data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (can be repeated)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to color output (`NO_COLOR` is respected by `auto`)
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
    /// Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone
    #[arg(long, global = true, value_name = "REMOTE", num_args = 0..=1, require_equals = true, default_missing_value = "origin")]
    pub push: Option<String>,
    /// Write key results for the CI system: GitHub Actions step outputs and summary, GitLab's dotenv report (also `RELMAN_CI=1`)
    #[arg(long, global = true)]
    pub ci: bool,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables and one line per step
    Human,
    /// Exactly one JSON document on stdout, with a `schema` key
    Json,
}

/// When to use color.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and `NO_COLOR` is not set
    Auto,
    /// Always color
    Always,
    /// Never color
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write commented starter files (never overwrites)
    Init(InitArgs),
    /// Build a scratch repository from the reference catalog and walk relman through it
    Demo(DemoArgs),
    /// Show current versions, commits since, next versions and trains
    Status(StatusArgs),
    /// Show the next version and why: bump level, release type, commits behind it
    Next(NextArgs),
    /// Cut a release: version files, changelog, audit line, commit and annotated tag
    Create(CreateArgs),
    /// Print release notes in markdown for a range of commits
    Notes(NotesArgs),
    /// Version arithmetic for shell scripts
    #[command(subcommand)]
    Semver(SemverCommand),
    /// Manage release trains
    #[command(subcommand)]
    Train(TrainCommand),
    /// Record an approval for a train, or for a deployment to an environment
    Approve(ApproveArgs),
    /// Roll back a train in reverse order, one service, or an environment
    Rollback(RollbackArgs),
    /// Deploy a released version to an environment: checks, approvals, strategy, health
    Deploy(DeployArgs),
    /// Read the audit trail, or verify its hash chain
    Audit(AuditArgs),
    /// Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates
    Metrics(MetricsArgs),
    /// List the bi-weekly train calendar: versions, phase dates, scheduled trains
    Calendar(CalendarArgs),
    /// Write one self-contained HTML page: trains, releases, metrics, calendar
    Report(ReportArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
}

/// Arguments of `relman init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write a complete sample instead of starter files
    #[arg(long, value_enum, value_name = "NAME")]
    pub example: Option<Example>,
}

/// Embedded examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Example {
    /// The reference catalog: services, trains, metrics, specs and policies
    Platform,
}

/// Arguments of `relman demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to build the scratch repository (default: a new temporary folder)
    pub dir: Option<PathBuf>,
}

/// Arguments of `relman status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the effective settings and where each came from
    #[arg(long)]
    pub show_settings: bool,
    /// Show one environment's deployment history
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    #[command(flatten)]
    pub one_off: OneOffArgs,
}

/// Arguments of `relman next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// The service (default: the single project)
    pub service: Option<String>,
    /// Show this two-week train's calendar version (`YYYY.N.0`) as the next one
    #[arg(long)]
    pub calendar: bool,
    #[command(flatten)]
    pub one_off: OneOffArgs,
}

/// One-off overrides for use without a relman.yaml (as git-cliff's
/// `--tag-pattern` and `--include-path`).
#[derive(Debug, Clone, Default, Args)]
pub struct OneOffArgs {
    /// Use this tag pattern instead of the configured one (`{version}` required)
    #[arg(long, value_name = "PATTERN")]
    pub tag_pattern: Option<String>,
    /// Count only commits that change something under this path
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
}

/// Release levels accepted by `relman create`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CreateLevel {
    /// Breaking release: x.0.0
    Major,
    /// Feature release: x.y.0
    Minor,
    /// Fix release: x.y.z
    Patch,
    /// Next prerelease (1.2.3 → 1.2.4-0, 1.2.4-rc.0 → 1.2.4-rc.1)
    Prerelease,
    /// Prerelease of the next major
    Premajor,
    /// Prerelease of the next minor
    Preminor,
    /// Prerelease of the next patch
    Prepatch,
    /// Drop the prerelease (1.2.4-rc.1 → 1.2.4)
    Release,
    /// The level the Conventional Commits since the last release ask for
    Auto,
    /// A patch of the newest release, on a `hotfix/*` branch (created at its tag if needed)
    Hotfix,
}

/// Hotfix urgencies of `relman create hotfix --urgency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CreateUrgency {
    /// The policy's `hotfix.urgency.critical`
    Critical,
    /// The policy's `hotfix.urgency.high`
    High,
    /// The policy's `hotfix.urgency.medium`
    Medium,
    /// The policy's `hotfix.urgency.low`
    Low,
}

/// Arguments of `relman create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// How to bump the version
    #[arg(value_enum)]
    pub level: CreateLevel,
    /// The service to release (default: the single project)
    pub service: Option<String>,
    /// Set the new version outright instead of bumping
    #[arg(long, value_name = "X")]
    pub version: Option<String>,
    /// Set the new version to this two-week train's calendar version (`YYYY.N.0`)
    #[arg(long, conflicts_with_all = ["version", "pre"])]
    pub calendar: bool,
    /// Prerelease identifier (`rc` gives 1.2.4-rc.0)
    #[arg(long, value_name = "ID")]
    pub pre: Option<String>,
    /// Sign the tag with your git signing setup, as `git tag -s` does
    #[arg(long)]
    pub sign: bool,
    /// Leave the changes in the work tree: no commit and no tag
    #[arg(long)]
    pub no_commit: bool,
    /// Commit but do not tag
    #[arg(long)]
    pub no_tag: bool,
    /// Skip the repository's `commit-msg` hook, as `git commit --no-verify` does
    #[arg(long)]
    pub no_verify: bool,
    /// A hotfix's urgency: the approvals and gates of the policy's `hotfix.urgency.<level>`
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub urgency: Option<CreateUrgency>,
    /// An approval the release needs, given in this call (repeatable)
    #[arg(long = "approved-by", value_name = "ROLE=WHO")]
    pub approved_by: Vec<String>,
    #[command(flatten)]
    pub one_off: OneOffArgs,
}

/// Arguments of `relman notes`.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Commits to read, as `FROM..TO` or `FROM` (default: last release tag to HEAD)
    pub range: Option<String>,
    /// The whole history, one section per release tag
    #[arg(long, conflicts_with = "range")]
    pub all: bool,
    /// The service whose tags and path to use (default: the single project)
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// Render with a template: changelog, release-notes, announcement, or a minijinja file
    #[arg(long, value_name = "NAME|FILE")]
    pub template: Option<String>,
    #[command(flatten)]
    pub one_off: OneOffArgs,
}

/// `relman semver` subcommands.
#[derive(Debug, Subcommand)]
pub enum SemverCommand {
    /// Print the version LEVEL leads to, with npm `semver.inc` rules
    Bump(SemverBumpArgs),
    /// Print -1, 0 or 1 as A is lower than, equal to or greater than B
    Compare(SemverCompareArgs),
    /// Exit 0 when VERSION satisfies RANGE, 1 when it does not
    Satisfies(SemverSatisfiesArgs),
}

/// Arguments of `relman semver bump`.
#[derive(Debug, Args)]
pub struct SemverBumpArgs {
    /// The version to bump
    pub version: String,
    /// major, minor, patch, premajor, preminor, prepatch, prerelease or release
    pub level: String,
    /// Prerelease identifier
    #[arg(long, value_name = "ID")]
    pub pre: Option<String>,
}

/// Arguments of `relman semver compare`.
#[derive(Debug, Args)]
pub struct SemverCompareArgs {
    /// First version
    pub a: String,
    /// Second version
    pub b: String,
}

/// Arguments of `relman semver satisfies`.
#[derive(Debug, Args)]
pub struct SemverSatisfiesArgs {
    /// The version
    pub version: String,
    /// The range, e.g. ">=1.4, <2" or "^1.2 || ~2.0"
    pub range: String,
}

/// Arguments of `relman audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// What to do (default: list entries)
    #[command(subcommand)]
    pub action: Option<AuditCommand>,
    /// Only entries about this train
    #[arg(long, value_name = "NAME")]
    pub train: Option<String>,
    /// Only entries at or after this date (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

/// `relman audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the hash chain; name the first line altered or removed
    Verify,
}

/// Arguments of `relman metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Start of the window (YYYY-MM-DD or RFC 3339; default: 90 days before --until)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the window (YYYY-MM-DD or RFC 3339; default: now)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only this service's releases, rollbacks and trains
    #[arg(long, value_name = "S")]
    pub service: Option<String>,
    /// Deployments to this environment (default: the last of `environments.order`)
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

/// Arguments of `relman calendar`.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// A day in the first train listed (YYYY-MM-DD or RFC 3339; default: today)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// How many trains to list
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
}

/// Arguments of `relman report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write the page (`-` for stdout)
    #[arg(long, value_name = "FILE", default_value = "relman-report.html")]
    pub out: PathBuf,
}

/// Arguments of `relman completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
