//! Pure release logic: no files, git, clap, printing or clock. Every
//! function takes data and returns data, so it is tested without a repository.
#![warn(missing_docs)]

pub mod changelog;
pub mod commit;
pub mod range;
pub mod suggestion;
pub mod tag;
pub mod version;
pub mod version_file;
pub mod catalog;
pub mod gates;
pub mod plan;
pub mod policy;
