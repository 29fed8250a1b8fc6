//! TOML files: the version of a table, and what relman reads of a
//! manifest besides (a virtual workspace's members, a dynamic version, a
//! one-line string such as the package's name).

use super::{FindError, Kind, Span, find, line_of};

/// Returns the `members` globs of a Cargo virtual workspace's manifest
/// (a `[workspace]` table, no version in `[package]` or
/// `[workspace.package]`); `None` for any other manifest.
pub(crate) fn virtual_workspace_members(text: &str) -> Option<Vec<String>> {
    let has_table = |t: &str| text.lines().any(|l| l.trim() == t);
    if !has_table("[workspace]") || find(Kind::of("Cargo.toml"), text).is_ok() {
        return None;
    }
    let mut in_workspace = false;
    let mut members = String::new();
    let mut collecting = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if collecting {
            members.push_str(trimmed);
            if trimmed.contains(']') {
                break;
            }
            continue;
        }
        if trimmed.starts_with('[') {
            in_workspace = trimmed == "[workspace]";
        } else if in_workspace
            && let Some(value) = trimmed.strip_prefix("members")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            members.push_str(value);
            if value.contains(']') {
                break;
            }
            collecting = true;
        }
    }
    let inside = members.split_once('[')?.1.split(']').next()?;
    Some(
        inside
            .split(',')
            .map(|m| m.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|m| !m.is_empty())
            .collect(),
    )
}

/// Returns the literal string value of `key` in `[table]`, for simple
/// one-line `key = "value"` entries.
pub(super) fn toml_string(text: &str, table: &str, key: &str) -> Option<String> {
    let mut in_table = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            in_table = name == table && !trimmed.starts_with("[[");
            continue;
        }
        if !in_table {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix(key) else { continue };
        let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
        let value = value.trim_start();
        let q = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let inner = &value[1..];
        return inner.find(q).map(|end| inner[..end].to_owned()).filter(|n| !n.is_empty());
    }
    None
}

/// Tells whether a pyproject.toml's `[project]` lists `version` in `dynamic`.
pub(crate) fn dynamic_version(text: &str) -> bool {
    let names_version = |s: &str| s.contains("\"version\"") || s.contains("'version'");
    let mut in_project = false;
    let mut in_dynamic = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_dynamic {
            if names_version(trimmed) {
                return true;
            }
            in_dynamic = !trimmed.contains(']');
            continue;
        }
        if trimmed.starts_with('[') {
            in_project = trimmed == "[project]";
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("dynamic").filter(|_| in_project) else {
            continue;
        };
        if let Some(value) = rest.trim_start().strip_prefix('=') {
            if names_version(value) {
                return true;
            }
            in_dynamic = !value.contains(']');
        }
    }
    false
}

pub(super) fn find_toml(text: &str, table: &str) -> Result<Option<Span>, FindError> {
    const MULTILINE: [&str; 2] = ["\"\"\"", "'''"];
    let mut offset = 0;
    let mut in_table = false;
    // Inside a multi-line string, nothing is a key.
    let mut open: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        if let Some(delim) = open {
            if line.matches(delim).count() % 2 == 1 {
                open = None;
            }
            offset += line.len();
            continue;
        }
        open = MULTILINE.into_iter().find(|d| line.matches(d).count() % 2 == 1);
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            in_table = name == table && !trimmed.starts_with("[[");
        } else if in_table {
            let body = line.trim_start();
            if let Some(rest) = body.strip_prefix("version") {
                let after_key = rest.trim_start();
                if let Some(value) = after_key.strip_prefix('=') {
                    let value_trimmed = value.trim_start();
                    let quote = value_trimmed.chars().next();
                    let value_at = offset + (line.len() - value_trimmed.len());
                    return match quote {
                        Some(q @ ('"' | '\'')) => {
                            let inner = &value_trimmed[1..];
                            let Some(close) = inner.find(q) else {
                                return Err(FindError {
                                    message: "unterminated version string".into(),
                                    line: line_of(text, value_at),
                                });
                            };
                            Ok(Some(Span { start: value_at + 1, end: value_at + 1 + close }))
                        }
                        _ => Err(FindError {
                            message: format!(
                                "`version` in `[{table}]` is not a string (inherited with `.workspace = true`?); relman edits only a literal version"
                            ),
                            line: line_of(text, value_at),
                        }),
                    };
                }
                if after_key.starts_with(".workspace") {
                    return Err(FindError {
                        message: format!(
                            "`version` in `[{table}]` is inherited from the workspace; list the workspace's Cargo.toml instead"
                        ),
                        line: line_of(text, offset),
                    });
                }
            }
        }
        offset += line.len();
    }
    Ok(None)
}
