//! Pure release logic: no files, git, clap, printing or clock. Every
//! function takes data and returns data, so it is tested without a repository.
#![warn(missing_docs)]

pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod change_control;
pub mod changelog;
pub mod commit;
pub mod deploy;
pub mod environment;
pub mod gates;
pub mod glob;
pub mod graph;
pub mod hook;
pub mod metrics;
pub mod plan;
pub mod policy;
pub mod range;
pub mod redact;
pub mod repo_path;
pub mod rules;
pub mod suggestion;
pub mod tag;
pub mod text;
pub mod timeout;
pub mod train;
pub mod version;
pub mod version_file;
