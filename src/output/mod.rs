//! Rendering: stdout carries data (a human rendering or exactly one JSON
//! document), stderr carries progress, warnings, errors and hints.
//!
//! Commands return reports; this module prints them. Writes go through
//! `writeln!` on a locked handle, so a closed pipe (`relman ... | head -1`)
//! is an `io::Error` that `run` turns into a quiet exit, never a panic.
#![expect(clippy::print_stderr, reason = "this module is where relman writes to the terminal")]

pub mod ci;
pub mod progress;
pub mod table;
pub mod template;

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::Format;
use crate::error::Error;

/// A command's result, renderable for people and as JSON.
pub trait Report: Serialize {
    /// The JSON schema id, `relman.<command>[.<sub>]/<n>`.
    const SCHEMA: &'static str;

    /// Writes the human rendering.
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()>;

    /// Returns the exit code the report stands for (a failed gate is 1).
    fn exit_code(&self) -> u8 {
        0
    }

    /// What the dry run this report stands for would push, for a command
    /// that previews its steps rather than staging them in its
    /// transaction: whether they commit (the branch), and the tags they
    /// make. `None` (the default): the transaction records it.
    fn would_push(&self) -> Option<(bool, Vec<String>)> {
        None
    }
}

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to emit escape codes.
    pub color: bool,
    /// The terminal's width in columns, when writing to one (tables fit it).
    pub width: Option<u16>,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    /// Bold text.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Green text (success).
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Red text (failure).
    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Yellow text (warning).
    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// A check's verdict as relman prints it: `pass`, `FAIL` when it
    /// blocks, else `warn`.
    pub fn verdict(&self, passed: bool, blocking: bool) -> String {
        match (passed, blocking) {
            (true, _) => self.green("pass"),
            (false, true) => self.red("FAIL"),
            (false, false) => self.yellow("warn"),
        }
    }

    /// Dim text (detail).
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Where messages go and how they look.
#[derive(Debug, Clone)]
pub struct Ui {
    /// Output format.
    pub format: Format,
    /// Styling on stdout.
    pub out: Style,
    /// Styling on stderr.
    pub err: Style,
    /// Only data and errors.
    pub quiet: bool,
    /// stdout and stderr are terminals: control characters from the
    /// repository (commit messages, tag names) are shown escaped there.
    pub terminal: (bool, bool),
    /// The progress bars drawn, once a command draws any.
    pub bars: std::cell::RefCell<Option<indicatif::MultiProgress>>,
}

pub use crate::domain::text::escape_controls;

impl Ui {
    /// Prints a warning on stderr, unless quiet (`-q`): JSON reports keep
    /// theirs in `warnings`.
    pub fn warn(&self, message: &str) {
        if self.quiet {
            return;
        }
        let line = format!("{} {}", self.err.yellow("warning:"), self.shown_err(message));
        if !self.println_above_bars(&line) {
            eprintln!("{line}");
        }
    }

    /// A Ui with no color and no terminal, for errors before settings.
    pub fn plain(format: Format, quiet: bool) -> Self {
        let plain = Style { color: false, width: None };
        Self {
            format,
            out: plain,
            err: plain,
            quiet,
            terminal: (false, false),
            bars: std::cell::RefCell::default(),
        }
    }

    fn shown_err(&self, text: &str) -> String {
        if self.terminal.1 { escape_controls(text, false) } else { text.to_owned() }
    }

    /// Prints a progress line on stderr unless quiet.
    pub fn step(&self, message: &str) {
        if !self.quiet {
            let line = self.shown_err(message);
            if !self.println_above_bars(&line) {
                eprintln!("{line}");
            }
        }
    }

    /// Prints `report` on stdout and returns its exit code.
    pub fn emit<R: Report>(&self, report: &R) -> io::Result<u8> {
        self.emit_with(report, Map::new())
    }

    /// Prints `report` as `emit` does, its JSON document with `extra`
    /// keys (such as `pushed`) after its own.
    pub fn emit_with<R: Report>(&self, report: &R, extra: Map<String, Value>) -> io::Result<u8> {
        // Buffered: stdout alone writes each line with its own system call
        // (4,000 for the commits of a long `next`).
        let mut w = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        match self.format {
            Format::Human if self.terminal.0 => {
                let mut buf = Vec::new();
                report.human(&mut buf, &self.out)?;
                let text = String::from_utf8_lossy(&buf);
                w.write_all(escape_controls(&text, self.out.color).as_bytes())?;
            }
            Format::Human => report.human(&mut w, &self.out)?,
            Format::Json => {
                let mut doc = envelope(R::SCHEMA, report).map_err(io::Error::other)?;
                if let Value::Object(map) = &mut doc {
                    map.extend(extra);
                }
                serde_json::to_writer_pretty(&mut w, &doc)?;
                writeln!(w)?;
            }
        }
        w.flush()?;
        Ok(report.exit_code())
    }

    /// Prints an error: human text on stderr, and in JSON mode also a
    /// `relman.error/1` document on stdout so scripts always get one document.
    pub fn error(&self, error: &Error) {
        let st = self.err;
        for p in &error.problems {
            let location = p.location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
            eprintln!("{} {location}{}", st.red("error:"), self.shown_err(&p.message));
            if let Some(hint) = &p.hint {
                eprintln!("  {} {}", st.bold("hint:"), self.shown_err(hint));
            }
        }
        if self.format == Format::Json {
            self.print_error_document(error);
        }
    }

    /// Prints `error` as one `relman.error/1` document on stdout.
    pub fn print_error_document(&self, error: &Error) {
        {
            #[derive(Serialize)]
            struct ErrorReport<'a> {
                kind: crate::error::ErrorKind,
                exit_code: u8,
                problems: &'a [crate::error::Problem],
            }
            let report = ErrorReport {
                kind: error.kind,
                exit_code: error.exit_code(),
                problems: &error.problems,
            };
            let stdout = io::stdout();
            let mut w = stdout.lock();
            if let Ok(doc) = envelope("relman.error/1", &report)
                && serde_json::to_writer_pretty(&mut w, &doc).is_ok()
            {
                let _ = writeln!(w);
            }
        }
    }
}

/// Returns `{"schema": schema, ...report}`.
pub fn envelope<R: Serialize + ?Sized>(schema: &str, report: &R) -> serde_json::Result<Value> {
    let mut map = Map::new();
    map.insert("schema".into(), Value::from(schema));
    match serde_json::to_value(report)? {
        Value::Object(fields) => map.extend(fields),
        other => {
            map.insert("value".into(), other);
        }
    }
    Ok(Value::Object(map))
}
