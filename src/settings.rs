//! Settings: flags, `relman.yaml` and the environment resolved in one place.
//!
//! Global flags are destructured exhaustively, so a new flag that nobody
//! wires up fails to compile. Environment reads that make runs
//! deterministic (`RELMAN_NOW`) or identify the process (host name) live here
//! and nowhere else.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::config::Source;
use crate::error::{Error, Result};

/// Settings that do not need a repository.
#[derive(Debug, Clone)]
pub struct Global {
    /// Where to look for the repository.
    pub dir: PathBuf,
    /// Output format.
    pub format: Format,
    /// Change nothing.
    pub dry_run: bool,
    /// Answer yes to confirmations.
    pub yes: bool,
    /// Only data and errors.
    pub quiet: bool,
    /// More detail.
    pub verbose: u8,
    /// Color on stdout.
    pub color: bool,
    /// Color on stderr.
    pub color_stderr: bool,
    /// A person is at a terminal that can answer a prompt.
    pub interactive: bool,
    /// stdout and stderr are terminals.
    pub terminal: (bool, bool),
    /// The width of the terminal stdout writes to, if it is one.
    pub width: Option<u16>,
    /// The time to record (`RELMAN_NOW`, else the clock).
    pub now: DateTime<FixedOffset>,
    /// Where `now` came from.
    pub now_source: Source,
    /// When the command started, for `time()`.
    pub started: std::time::Instant,
    /// This machine's name, for the lock record.
    pub host: String,
    /// The command line, for the lock record and the audit trail.
    pub command_line: String,
    /// The environment, for hooks and for redacting secrets.
    pub env: Vec<(String, String)>,
    /// `--push[=REMOTE]`: the remote to push to.
    pub push: Option<String>,
    /// `--ci` or `RELMAN_CI=1`: write the CI system's outputs.
    pub ci: bool,
}

impl Global {
    /// The time an event happens, for a record: `now` moved on by the
    /// time the command has run (so `RELMAN_NOW` fixes where a command's
    /// clock starts, not where it stays).
    pub(crate) fn time(&self) -> String {
        let elapsed = chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default();
        (self.now + elapsed).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// Resolves the global flags against the environment.
    pub(crate) fn resolve(args: GlobalArgs, argv: &[String]) -> Result<Self> {
        let GlobalArgs { repo, format, dry_run, yes, quiet, verbose, color, push, ci } = args;
        let env = environment();
        let var = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let no_color = var("NO_COLOR").is_some_and(|v| !v.is_empty());
        let choice = color.unwrap_or(ColorChoice::Auto);
        let color_for = |tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color && var("TERM").as_deref() != Some("dumb"),
        };
        let (now, now_source) = match var("RELMAN_NOW") {
            Some(text) => (
                parse_time(&text).ok_or_else(|| {
                    Error::input(format!("RELMAN_NOW=`{text}` is not an RFC 3339 time"))
                        .hint("write it like 2026-12-01T09:00:00Z")
                })?,
                Source::Environment,
            ),
            None => (chrono::Utc::now().fixed_offset(), Source::Default),
        };
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| var("HOSTNAME"))
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "unknown".to_owned());
        let dir = match repo {
            Some(dir) => dir,
            None => std::env::current_dir()
                .map_err(|e| Error::input(format!("cannot read the current directory: {e}")))?,
        };
        Ok(Self {
            dir,
            format: format.unwrap_or(Format::Human),
            dry_run,
            yes,
            quiet,
            verbose,
            color: color_for(std::io::stdout().is_terminal()),
            color_stderr: color_for(std::io::stderr().is_terminal()),
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            terminal: (std::io::stdout().is_terminal(), std::io::stderr().is_terminal()),
            width: std::io::stdout().is_terminal().then(terminal_width).flatten(),
            now,
            now_source,
            started: std::time::Instant::now(),
            host,
            command_line: argv.join(" "),
            ci: ci || var("RELMAN_CI").is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
            env,
            push,
        })
    }
}

/// Returns the process environment. A variable whose name or value is not
/// UTF-8 is kept with its bytes made lossy: relman reads a few names of its
/// own and passes the rest on, and must not stop at a stranger's bytes.
pub(crate) fn environment() -> Vec<(String, String)> {
    std::env::vars_os()
        .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
        .collect()
}

/// The terminal's width: `COLUMNS` when set, else what the terminal says.
fn terminal_width() -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()) {
        return Some(columns).filter(|c| *c > 0);
    }
    // The same TIOCGWINSZ question clap asks for its help's width.
    let (terminal_size::Width(columns), _) = terminal_size::terminal_size_of(std::io::stdout())?;
    Some(columns).filter(|c| *c > 0)
}

/// Parses an RFC 3339 time or a plain date (midnight UTC).
pub(crate) fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim()).ok().or_else(|| {
        let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
        Some(date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
    })
}
