//! The one error type: its kind decides the exit code (SPEC §6.1), and it
//! carries every problem found, each with a location and a hint.
//!
//! Checks that the user can fix all at once (catalog validation, `create`'s
//! pre-checks) collect problems and fail once, so a run names them all.

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// What kind of failure this is; it decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A gate, validation or check said no, including "nothing to release".
    Rejected,
    /// Bad invocation or bad input files.
    Input,
    /// The repository refuses: dirty tree, tag exists, lock held, invalid transition.
    Refused,
    /// A hook command failed.
    Hook,
    /// relman got this signal (SIGINT, SIGTERM, SIGHUP) while a hook ran,
    /// ended the hook and stopped; exit 128 + the signal's number, as a
    /// shell reports a process the signal killed (130, 143, 129).
    Interrupted(i32),
}

impl Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl ErrorKind {
    /// Returns the process exit code for this kind.
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            Self::Rejected => 1,
            Self::Input => 2,
            Self::Refused => 3,
            Self::Hook => 4,
            Self::Interrupted(sig) => u8::try_from(128 + sig.clamp(1, 127)).unwrap_or(130),
        }
    }

    /// The name scripts see in `relman.error/1`'s `kind`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Rejected => "rejected",
            Self::Input => "input",
            Self::Refused => "refused",
            Self::Hook => "hook",
            Self::Interrupted(_) => "interrupted",
        }
    }
}

/// A place in a file: path relative to the repository, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as the user would name it.
    pub file: String,
    /// 1-based line, 0 when unknown (and then left out of JSON).
    #[serde(skip_serializing_if = "is_zero")]
    pub line: u64,
    /// 1-based column, 0 when unknown (and then left out of JSON).
    #[serde(skip_serializing_if = "is_zero")]
    pub column: u64,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Location {
    /// Returns a location in `file`.
    pub(crate) fn new(file: impl Into<String>, line: u64, column: u64) -> Self {
        Self { file: file.into(), line, column }
    }

    /// Returns a location naming a whole file.
    pub(crate) fn file(file: impl Into<String>) -> Self {
        Self::new(file, 0, 0)
    }

    /// Returns the place of byte `offset` of `bytes` (the contents of
    /// `file`), which are valid UTF-8 up to it: the column counts
    /// characters.
    pub(crate) fn at_byte(file: impl Into<String>, bytes: &[u8], offset: usize) -> Self {
        let before = std::str::from_utf8(&bytes[..offset.min(bytes.len())]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        Self::new(file, line as u64, column as u64)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        Ok(())
    }
}

/// One thing that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
    /// Where, when it is about a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Problem {
    /// Returns a problem with no location or hint.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), location: None, hint: None }
    }

    /// Sets where the problem is.
    #[must_use]
    pub(crate) fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the hint.
    #[must_use]
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// relman's error: a kind and one or more problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Decides the exit code.
    pub kind: ErrorKind,
    /// At least one.
    pub problems: Vec<Problem>,
}

/// Result with relman's error.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Returns an error of `kind` with one problem.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, problems: vec![Problem::new(message)] }
    }

    /// A gate or check said no (exit 1).
    pub(crate) fn rejected(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rejected, message)
    }

    /// relman stopped for signal `sig` (exit 128 + `sig`).
    pub(crate) fn interrupted(sig: i32, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Interrupted(sig), message)
    }

    /// Bad invocation or input (exit 2).
    pub(crate) fn input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Input, message)
    }

    /// The repository refuses (exit 3).
    pub(crate) fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }

    /// A hook failed (exit 4).
    pub(crate) fn hook(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Hook, message)
    }

    /// Bad input naming an unknown `what` (exit 2), with an optional hint
    /// (from `domain::suggestion`).
    pub(crate) fn unknown(what: &str, name: &str, hint: Option<String>) -> Self {
        let e = Self::input(format!("unknown {what} `{name}`"));
        match hint {
            Some(h) => e.hint(h),
            None => e,
        }
    }

    /// Returns an error of `kind` with all of `problems` (at least one).
    pub(crate) fn many(kind: ErrorKind, problems: Vec<Problem>) -> Self {
        Self { kind, problems }
    }

    /// Sets the location of the last problem.
    #[must_use]
    pub(crate) fn at(mut self, location: Location) -> Self {
        if let Some(p) = self.problems.last_mut() {
            p.location = Some(location);
        }
        self
    }

    /// Sets the hint of the last problem.
    #[must_use]
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        if let Some(p) = self.problems.last_mut() {
            p.hint = Some(hint.into());
        }
        self
    }

    /// Returns an input error for an I/O failure on `path`.
    pub(crate) fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Self::input(format!("cannot {action} `{}`: {err}", path.display()))
    }

    /// Returns the exit code for this error.
    pub(crate) fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match &p.location {
                Some(l) => write!(f, "{l}: {}", p.message)?,
                None => f.write_str(&p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_spec_exit_codes() {
        assert_eq!(Error::rejected("x").exit_code(), 1);
        assert_eq!(Error::input("x").exit_code(), 2);
        assert_eq!(Error::refused("x").exit_code(), 3);
        assert_eq!(Error::hook("x").exit_code(), 4);
        assert_eq!(Error::interrupted(2, "x").exit_code(), 130);
        assert_eq!(Error::interrupted(15, "x").exit_code(), 143);
        assert_eq!(
            serde_json::to_value(ErrorKind::Interrupted(15)).ok(),
            Some("interrupted".into())
        );
        assert_eq!(serde_json::to_value(ErrorKind::Hook).ok(), Some("hook".into()));
    }

    #[test]
    fn a_location_without_a_position_has_none_in_json() {
        let json = serde_json::to_string(&Location::file("a.yaml")).unwrap_or_default();
        assert_eq!(json, r#"{"file":"a.yaml"}"#);
        let json = serde_json::to_string(&Location::new("a.yaml", 2, 3)).unwrap_or_default();
        assert_eq!(json, r#"{"file":"a.yaml","line":2,"column":3}"#);
        assert_eq!(Location::at_byte("a", b"x\n\xc3\xa9\xc3\xa9\xff", 6), Location::new("a", 2, 3));
    }

    #[test]
    fn display_names_location() {
        let e = Error::input("unknown key `stauts`").at(Location::new("relman.yaml", 3, 5));
        assert_eq!(e.to_string(), "relman.yaml:3:5: unknown key `stauts`");
    }
}
