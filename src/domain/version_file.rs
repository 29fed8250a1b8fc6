//! Finding and replacing the version in a version file, touching only the
//! version text (SPEC §6.4: comments, order, quoting, CRLF stay byte-for-byte).
//!
//! Supported: `Cargo.toml` (`[package] version`), `pyproject.toml`
//! (`[project] version`, else `[tool.poetry] version`), any other `.toml`
//! with a `[package]` table, `package.json` and other `.json` (top-level
//! `"version"`), Python modules (`pkg/__version__.py`: the first
//! `__version__ = "1.2.3"` assignment, see `find_assignment`), and plain
//! files (`VERSION`) holding just a version.

/// The byte range of the version text inside a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// First byte of the version text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// Why a version could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FindError {
    /// What was expected and not found.
    pub message: String,
    /// 1-based line where the problem is, when known.
    pub line: usize,
}

/// The kinds of version file, chosen by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A TOML file; the tables are tried in order.
    Toml(&'static [&'static str]),
    /// A JSON file with a top-level `"version"`.
    Json,
    /// A Python module assigning the version to `__version__`.
    Python,
    /// A file holding only a version.
    Plain,
}

impl Kind {
    /// Returns the kind for a file name.
    pub fn of(file_name: &str) -> Self {
        if file_name == "pyproject.toml" {
            Self::Toml(&["project", "tool.poetry"])
        } else if file_name.ends_with(".toml") {
            Self::Toml(&["package", "workspace.package"])
        } else if file_name.ends_with(".json") {
            Self::Json
        } else if file_name.ends_with(".py") {
            Self::Python
        } else {
            Self::Plain
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Finds the version text in `text`.
pub fn find(kind: Kind, text: &str) -> Result<Span, FindError> {
    match kind {
        Kind::Toml(tables) => {
            if tables.contains(&"project") && dynamic_version(text) {
                return Err(FindError {
                    message: "`[project]` declares its version dynamic (`dynamic = [\"version\"]`): the build backend reads it from another file; list that file (a `VERSION` file, say) in `version_files` instead".into(),
                    line: 1,
                });
            }
            for table in tables {
                match find_toml(text, table) {
                    Ok(Some(span)) => return Ok(span),
                    Ok(None) => {}
                    // `version.workspace = true` in the workspace's own
                    // Cargo.toml inherits `[workspace.package] version`, as
                    // Cargo reads it.
                    Err(e) if e.message.contains("inherited from the workspace") => {
                        return find_toml(text, "workspace.package")?.ok_or(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(FindError {
                message: format!(
                    "no `version = \"...\"` in a `[{}]` table",
                    tables.join("]` or `[")
                ),
                line: 1,
            })
        }
        Kind::Json => find_json(text),
        Kind::Python => find_assignment(text),
        Kind::Plain => {
            let start = text.len() - text.trim_start().len();
            let end = text.trim_end().len();
            if start >= end || text[start..end].contains(char::is_whitespace) {
                return Err(FindError {
                    message: "expected a file holding only a version".into(),
                    line: 1,
                });
            }
            Ok(Span { start, end })
        }
    }
}

/// The names a Python version assignment may have, most common first.
pub const PYTHON_NAMES: [&str; 3] = ["__version__", "VERSION", "version"];

/// Finds the version in a Python module: the first line that starts (at
/// column 1, so not inside a function or class) with one of
/// `PYTHON_NAMES`, an optional annotation, `=`, then a quoted string
/// (`__version__ = "1.2.3"`, `__version__: str = '1.2.3'`, `VERSION = "1.2.3"`).
/// Other assignments (`VERSION_INFO = (1, 2, 3)`) are left alone, and only
/// the string's text is replaced.
pub fn find_assignment(text: &str) -> Result<Span, FindError> {
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

/// Returns the `members` globs of a Cargo virtual workspace's manifest
/// (a `[workspace]` table, no version in `[package]` or
/// `[workspace.package]`); `None` for any other manifest.
pub fn virtual_workspace_members(text: &str) -> Option<Vec<String>> {
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

/// Returns the package name a manifest declares: `name` in Cargo.toml's
/// `[package]`, pyproject.toml's `[project]` (else `[tool.poetry]`), or
/// package.json's top level. `None` for other files, or without one.
pub fn manifest_name(file_name: &str, text: &str) -> Option<String> {
    if file_name.ends_with(".json") {
        let doc: serde_json::Value = serde_json::from_str(text).ok()?;
        return doc.get("name")?.as_str().map(str::to_owned).filter(|n| !n.is_empty());
    }
    let tables: &[&str] = match file_name {
        "Cargo.toml" => &["package"],
        "pyproject.toml" => &["project", "tool.poetry"],
        _ => return None,
    };
    tables.iter().find_map(|table| toml_string(text, table, "name"))
}

/// Returns the literal string value of `key` in `[table]`, for simple
/// one-line `key = "value"` entries.
fn toml_string(text: &str, table: &str, key: &str) -> Option<String> {
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
pub fn dynamic_version(text: &str) -> bool {
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

fn find_toml(text: &str, table: &str) -> Result<Option<Span>, FindError> {
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

/// Scans JSON for the top-level `"version"` string without building a tree.
fn find_json(text: &str) -> Result<Span, FindError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_value_for_version = false;
    let mut last_key_at_depth1: Option<(usize, usize)> = None;
    let mut found: Option<Span> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_value_for_version = false;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b':' => {
                expect_value_for_version =
                    depth == 1 && last_key_at_depth1.is_some_and(|(s, e)| &text[s..e] == "version");
            }
            b',' => last_key_at_depth1 = None,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    return Err(FindError {
                        message: "unterminated JSON string".into(),
                        line: line_of(text, i),
                    });
                }
                if expect_value_for_version {
                    if let Some(first) = &found {
                        return Err(FindError {
                            message: format!(
                                "`\"version\"` appears twice at the top level (lines {} and {}); npm reads the last one, so relman will not guess: remove one",
                                line_of(text, first.start),
                                line_of(text, start)
                            ),
                            line: line_of(text, start),
                        });
                    }
                    found = Some(Span { start, end: j });
                    expect_value_for_version = false;
                }
                if depth == 1 && last_key_at_depth1.is_none() {
                    last_key_at_depth1 = Some((start, j));
                }
                i = j;
            }
            c if !c.is_ascii_whitespace() && expect_value_for_version => {
                return Err(FindError {
                    message: "top-level `\"version\"` is not a string".into(),
                    line: line_of(text, i),
                });
            }
            _ => {}
        }
        i += 1;
    }
    found.ok_or_else(|| FindError { message: "no top-level `\"version\"` key".into(), line: 1 })
}

/// Returns `text` with the version at `span` replaced by `new`.
pub fn replace(text: &str, span: &Span, new: &str) -> String {
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..span.start]);
    out.push_str(new);
    out.push_str(&text[span.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bump(name: &str, text: &str, new: &str) -> String {
        let span = find(Kind::of(name), text).unwrap();
        replace(text, &span, new)
    }

    #[test]
    fn cargo_toml_only_package_version() {
        let text = "# top\r\n[package]\r\nname = \"x\"\r\nversion   =   \"0.1.0\" # keep\r\n\r\n[dependencies]\r\nserde = { version = \"1\" }\r\n";
        let out = bump("Cargo.toml", text, "0.2.0");
        assert_eq!(out, text.replace("\"0.1.0\"", "\"0.2.0\""));
    }

    #[test]
    fn package_json_top_level_only() {
        let text = "{\n  \"name\": \"x\",\n  \"dependencies\": {\"version\": \"9\"},\n  \"version\": \"1.0.0\"\n}\n";
        let out = bump("package.json", text, "1.1.0");
        assert_eq!(out, text.replace("\"1.0.0\"", "\"1.1.0\""));
    }

    #[test]
    fn pyproject_and_plain() {
        let text = "[tool.black]\nversion = \"no\"\n[project]\nversion = '0.3.0'\n";
        assert_eq!(bump("pyproject.toml", text, "0.4.0"), text.replace("0.3.0", "0.4.0"));
        assert_eq!(bump("VERSION", "1.2.3\n", "1.3.0"), "1.3.0\n");
    }

    #[test]
    fn read_as_the_ecosystems_own_tools_do() {
        // Cargo: a workspace root inheriting its own `[workspace.package]`.
        let root = "[workspace]\nmembers = [\"a\"]\n[package]\nname = \"r\"\nversion.workspace = true\n[workspace.package]\nversion = \"2.1.0\"\n";
        assert_eq!(bump("Cargo.toml", root, "2.2.0"), root.replace("2.1.0", "2.2.0"));
        // TOML: multi-line strings holding `version = ` lines are text.
        let doc = "[package]\nname = \"x\"\ndescription = \"\"\"\nversion = \"9.9.9\"\n\"\"\"\nnotes = '''\nversion = \"8.8.8\"\n'''\nversion = \"1.0.0\"\n";
        assert_eq!(bump("Cargo.toml", doc, "1.1.0"), doc.replace("1.0.0", "1.1.0"));
        // npm: two top-level `"version"` keys are refused, naming both lines.
        let twice =
            "{\n  \"version\": \"1.0.0\",\n  \"name\": \"x\",\n  \"version\": \"2.0.0\"\n}\n";
        let e = find(Kind::of("package.json"), twice).unwrap_err();
        assert!(e.message.contains("lines 2 and 4"), "{e}");
        // PEP 621: a dynamic version lives in another file.
        let py = "[project]\nname = \"x\"\ndynamic = [\n  \"readme\",\n  \"version\",\n]\n";
        assert!(dynamic_version(py));
        assert!(find(Kind::of("pyproject.toml"), py).unwrap_err().message.contains("dynamic"));
        assert!(!dynamic_version("[project]\nversion = \"1.0.0\"\ndynamic = [\"readme\"]\n"));
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        assert!(find(Kind::of("Cargo.toml"), "[package]\nversion.workspace = true\n").is_err());
        assert!(find(Kind::of("Cargo.toml"), "[workspace]\n").is_err());
        assert!(find(Kind::of("package.json"), "{\"version\": 1}").is_err());
        assert!(find(Kind::of("VERSION"), "").is_err());
    }

    #[test]
    fn python_version_assignments() {
        let text = "\"\"\"Doc.\"\"\"\nVERSION_INFO = (1, 2, 3)\n__version__ = \"1.2.3\"  # keep\n";
        assert_eq!(bump("__version__.py", text, "1.3.0"), text.replace("1.2.3", "1.3.0"));
        let text = "__version__: str = '0.1.0'\n";
        assert_eq!(bump("_version.py", text, "0.2.0"), "__version__: str = '0.2.0'\n");
        assert_eq!(bump("about.py", "VERSION = \"2.0.0\"\n", "2.1.0"), "VERSION = \"2.1.0\"\n");
        // Indented, compared, or not a string: not the version.
        assert!(find(Kind::Python, "    __version__ = \"1.0.0\"\n").is_err());
        assert!(find(Kind::Python, "__version__ == \"1.0.0\"\n").is_err());
        assert!(find(Kind::Python, "__version__ = get_version()\n").is_err());
    }

    #[test]
    fn virtual_workspaces_name_their_members() {
        let root = "[workspace]\nmembers = [\n  \"crates/*\",\n  'tools/x',\n]\n";
        assert_eq!(
            virtual_workspace_members(root),
            Some(vec!["crates/*".to_owned(), "tools/x".to_owned()])
        );
        let inherited =
            "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nversion = \"1.0.0\"\n";
        assert_eq!(virtual_workspace_members(inherited), None);
        assert_eq!(virtual_workspace_members("[package]\nversion = \"1.0.0\"\n"), None);
    }

    #[test]
    fn manifests_name_their_package() {
        let cargo = "[workspace]\n[package]\nname = \"tokio\"\nversion = \"1.0.0\"\n[dependencies]\nname = \"x\"\n";
        assert_eq!(manifest_name("Cargo.toml", cargo).as_deref(), Some("tokio"));
        let py = "[tool.poetry]\nname = 'poetry-pkg'\n";
        assert_eq!(manifest_name("pyproject.toml", py).as_deref(), Some("poetry-pkg"));
        let npm = "{\"version\": \"1.0.0\", \"name\": \"@scope/pkg\"}";
        assert_eq!(manifest_name("package.json", npm).as_deref(), Some("@scope/pkg"));
        assert_eq!(manifest_name("Cargo.toml", "[workspace]\nmembers = []\n"), None);
        assert_eq!(manifest_name("VERSION", "1.0.0"), None);
    }
}
