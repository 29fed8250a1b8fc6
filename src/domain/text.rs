//! Text shown to people: what comes from outside (commits, hooks, git,
//! a remote) shown without driving their terminal.

/// Returns `text` with control characters shown as `\x1b`-style escapes,
/// keeping line breaks and tabs, and the color codes relman itself writes
/// when `own_colors` (a commit message cannot clear a terminal, move its
/// cursor or retitle its window).
pub fn escape_controls(text: &str, own_colors: bool) -> String {
    const OURS: [&str; 6] = ["\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if own_colors
            && c == '\x1b'
            && let Some(code) = OURS.iter().find(|code| rest.starts_with(**code))
        {
            out.push_str(code);
            rest = &rest[code.len()..];
            continue;
        }
        if (c.is_control() && c != '\n' && c != '\t') || c == '\u{2028}' || c == '\u{2029}' {
            use std::fmt::Write as _;
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}
