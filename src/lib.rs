//! relman: a release manager for single projects and multi-service release
//! trains, with the repository as its database.
//!
//! The library exists for the binary and its tests; it makes no semver
//! promise of its own. Layers: `cli` (clap types) → `settings` (resolution)
//! → `commands` (orchestration) over `domain` (pure logic) and `repo` (every
//! read and write of the user's repository), printed by `output`.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod error;
pub mod failpoint;
pub mod files;
pub mod hooks;
pub mod output;
pub mod repo;
pub mod settings;
pub mod yaml;

use std::ffi::OsString;

use clap::Parser as _;

/// Runs relman with `args` (the program name first) and returns the exit code.
///
/// Never calls `process::exit` and never panics on input, so tests can call
/// it in-process.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // A closed pipe while printing help is not an error worth a word.
            let _ = e.print();
            if code != 0 && wants_json(&args) {
                // Scripts asked for one JSON document, and get one.
                let text = e.kind().to_string();
                let detail = e.render().to_string();
                let first = detail.lines().next().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(&text).to_owned();
                let error = error::Error::input(message).hint("see `relman --help`");
                output::Ui::plain(cli::Format::Json, true).print_error_document(&error);
            }
            return code;
        }
    };
    let argv: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    commands::main(cli, &argv)
}

/// Tells whether the raw arguments ask for `--format json`, for errors
/// found before they could be parsed.
fn wants_json(args: &[OsString]) -> bool {
    args.iter().zip(args.iter().skip(1)).any(|(a, b)| a == "--format" && b == "json")
        || args.iter().any(|a| a == "--format=json")
}
