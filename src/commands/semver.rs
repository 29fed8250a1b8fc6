//! `relman semver bump|compare|satisfies`: the version arithmetic itself.

use std::io::{self, Write};

use serde::Serialize;

use super::Context;
use crate::cli::SemverCommand;
use crate::domain::range::Range;
use crate::domain::suggestion;
use crate::domain::version::{Level, Version};
use crate::error::{Error, Result};
use crate::output::{Report, Style};

/// `relman semver bump` result.
#[derive(Debug, Serialize)]
pub struct BumpReport {
    /// The input version.
    pub version: String,
    /// The level.
    pub level: Level,
    /// The prerelease identifier, if given.
    pub pre: Option<String>,
    /// The bumped version.
    pub result: Version,
}

impl Report for BumpReport {
    const SCHEMA: &'static str = "relman.semver.bump/1";
    fn human(&self, w: &mut dyn Write, _: &Style) -> io::Result<()> {
        writeln!(w, "{}", self.result)
    }
}

/// `relman semver compare` result.
#[derive(Debug, Serialize)]
pub struct CompareReport {
    /// First version.
    pub a: Version,
    /// Second version.
    pub b: Version,
    /// -1, 0 or 1.
    pub result: i8,
}

impl Report for CompareReport {
    const SCHEMA: &'static str = "relman.semver.compare/1";
    fn human(&self, w: &mut dyn Write, _: &Style) -> io::Result<()> {
        writeln!(w, "{}", self.result)
    }
}

/// `relman semver satisfies` result.
#[derive(Debug, Serialize)]
pub struct SatisfiesReport {
    /// The version.
    pub version: Version,
    /// The range as written.
    pub range: String,
    /// Whether it satisfies the range.
    pub satisfies: bool,
}

impl Report for SatisfiesReport {
    const SCHEMA: &'static str = "relman.semver.satisfies/1";
    fn human(&self, w: &mut dyn Write, _: &Style) -> io::Result<()> {
        writeln!(w, "{}", self.satisfies)
    }
    fn exit_code(&self) -> u8 {
        u8::from(!self.satisfies)
    }
}

/// Runs a `relman semver` subcommand.
pub fn run(cx: &Context, command: SemverCommand) -> Result<u8> {
    match command {
        SemverCommand::Bump(args) => {
            let level = Level::parse(&args.level).ok_or_else(|| {
                let names: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
                Error::unknown(
                    "level",
                    &args.level,
                    suggestion::hint(&args.level, &names, "levels"),
                )
            })?;
            let version = Version::parse(&args.version)?;
            let result = version.bump(level, args.pre.as_deref())?;
            cx.emit(BumpReport { version: args.version, level, pre: args.pre, result })
        }
        SemverCommand::Compare(args) => {
            let a = Version::parse(&args.a)?;
            let b = Version::parse(&args.b)?;
            let result = a.cmp(&b) as i8;
            cx.emit(CompareReport { a, b, result })
        }
        SemverCommand::Satisfies(args) => {
            let version = Version::parse(&args.version)?;
            let range = Range::parse(&args.range)?;
            let satisfies = range.satisfies(&version);
            cx.emit(SatisfiesReport { version, range: args.range, satisfies })
        }
    }
}
