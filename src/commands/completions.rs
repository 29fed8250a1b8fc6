//! `relman completions SHELL`: shell completions from the clap definition.
//!
//! `completions/` in the source tree holds them pre-generated; a test
//! regenerates them and fails when the committed files are stale.

use std::io::Write as _;

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::Context;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Result};

/// Returns the completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "relman", &mut out);
    out
}

/// Returns the file name `completions/` uses for `shell`.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "relman.bash",
        Shell::Zsh => "_relman",
        Shell::Fish => "relman.fish",
        Shell::PowerShell => "_relman.ps1",
        Shell::Elvish => "relman.elv",
        _ => "relman.completion",
    }
}

/// Prints the completion script (a script, whatever `--format` says).
pub fn run(_cx: &Context, args: &CompletionsArgs) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    match w.write_all(&script(args.shell)).and_then(|()| w.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::input(format!("cannot write output: {e}"))),
    }
}
