//! The version of a Python module: its first `__version__ = "..."`.

use super::{FindError, Span, line_of};

/// The names a Python version assignment may have, most common first.
const PYTHON_NAMES: [&str; 3] = ["__version__", "VERSION", "version"];

/// Finds the version in a Python module: the first line that starts (at
/// column 1, so not inside a function or class) with one of
/// `PYTHON_NAMES`, an optional annotation, `=`, then a quoted string
/// (`__version__ = "1.2.3"`, `__version__: str = '1.2.3'`, `VERSION = "1.2.3"`).
/// Other assignments (`VERSION_INFO = (1, 2, 3)`) are left alone, and only
/// the string's text is replaced.
pub(crate) fn find_assignment(text: &str) -> Result<Span, FindError> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let Some(rest) = PYTHON_NAMES.iter().find_map(|n| line.strip_prefix(n)) else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        // `__version__: str = ...`
        let rest = match rest.strip_prefix(':') {
            Some(annotated) => annotated.split_once('=').map_or("", |(_, v)| v),
            None => match rest.strip_prefix('=') {
                Some(v) if !v.starts_with('=') => v,
                _ => continue,
            },
        };
        let value = rest.trim_start_matches([' ', '\t']);
        let value_at = at + (line.len() - value.len());
        let Some(q @ ('"' | '\'')) = value.chars().next() else {
            return Err(FindError {
                message: "the version is not assigned a quoted string; relman edits only a literal version".into(),
                line: line_of(text, at),
            });
        };
        let inner = &value[1..];
        let Some(close) = inner.find(q).filter(|&c| !inner[..c].contains('\n')) else {
            return Err(FindError {
                message: "unterminated version string".into(),
                line: line_of(text, at),
            });
        };
        return Ok(Span { start: value_at + 1, end: value_at + 1 + close });
    }
    Err(FindError {
        message:
            "no `__version__ = \"...\"` line (nor `VERSION` or `version`) at the start of a line"
                .into(),
        line: 1,
    })
}
