//! Finding and replacing the version in a version file, touching only the
//! version text (SPEC §6.4: comments, order, quoting, CRLF stay byte-for-byte).
//!
//! Supported: `Cargo.toml` (`[package] version`), `pyproject.toml`
//! (`[project] version`, else `[tool.poetry] version`), any other `.toml`
//! with a `[package]` table, `package.json` and other `.json` (top-level
//! `"version"`), Python modules (`pkg/__version__.py`: the first
//! `__version__ = "1.2.3"` assignment, see `find_assignment`), and plain
//! files (`VERSION`) holding just a version.
//!
//! Each format has its reader: `toml.rs` (and what relman reads of a
//! manifest besides its version), `json.rs`, `python.rs`.

mod json;
mod python;
mod toml;

use self::json::find_json;
pub(crate) use self::python::find_assignment;
use self::toml::find_toml;
pub(crate) use self::toml::{dynamic_version, virtual_workspace_members};

/// The byte range of the version text inside a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// First byte of the version text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// Why a version could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct FindError {
    /// What was expected and not found.
    pub message: String,
    /// 1-based line where the problem is, when known.
    pub line: usize,
}

/// The kinds of version file, chosen by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
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
    pub(crate) fn of(file_name: &str) -> Self {
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
pub(crate) fn find(kind: Kind, text: &str) -> Result<Span, FindError> {
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

/// Returns the package name a manifest declares: `name` in Cargo.toml's
/// `[package]`, pyproject.toml's `[project]` (else `[tool.poetry]`), or
/// package.json's top level. `None` for other files, or without one.
pub(crate) fn manifest_name(file_name: &str, text: &str) -> Option<String> {
    if file_name.ends_with(".json") {
        let doc: serde_json::Value = serde_json::from_str(text).ok()?;
        return doc.get("name")?.as_str().map(str::to_owned).filter(|n| !n.is_empty());
    }
    let tables: &[&str] = match file_name {
        "Cargo.toml" => &["package"],
        "pyproject.toml" => &["project", "tool.poetry"],
        _ => return None,
    };
    tables.iter().find_map(|table| toml::toml_string(text, table, "name"))
}

/// Returns `text` with the version at `span` replaced by `new`.
pub(crate) fn replace(text: &str, span: &Span, new: &str) -> String {
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
