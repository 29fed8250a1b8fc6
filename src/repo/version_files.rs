//! The version files: the version the first one holds, a Cargo virtual
//! workspace's members, and the files `relman init` suggests.

use super::{Repo, file_name};
use crate::domain::version::Version;
use crate::error::Result;
use crate::files;

/// Version files relman looks for when `relman.yaml` names none.
pub(crate) const DETECTED_VERSION_FILES: [&str; 4] =
    ["Cargo.toml", "package.json", "pyproject.toml", "VERSION"];

impl Repo {
    /// Returns the version written in the first version file, if any.
    pub(crate) fn file_version(&self, version_files: &[String]) -> Result<Option<Version>> {
        let Some(first) = version_files.first() else { return Ok(None) };
        let Some(text) = self.read_text(first, "version file (`version_files`)")? else {
            return Ok(None);
        };
        let kind = crate::domain::version_file::Kind::of(file_name(first));
        let Ok(span) = crate::domain::version_file::find(kind, &text) else { return Ok(None) };
        Ok(Version::parse(&text[span.start..span.end]).ok())
    }

    /// Returns the manifests that hold the versions of the Cargo virtual
    /// workspace whose root manifest is `manifest` (its `text`): its
    /// members' `Cargo.toml` with a literal version, sorted; empty when it
    /// is not a virtual workspace.
    pub(crate) fn workspace_manifests(&self, manifest: &str, text: &str) -> Vec<String> {
        let Some(members) = crate::domain::version_file::virtual_workspace_members(text) else {
            return Vec::new();
        };
        let base = manifest.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut out = Vec::new();
        for member in members {
            let pattern = if base.is_empty() { member } else { format!("{base}/{member}") };
            for dir in self.expand(&pattern) {
                let path = format!("{dir}/Cargo.toml");
                let holds = files::read_text(&self.root().join(&path), &path)
                    .ok()
                    .flatten()
                    .is_some_and(|t| {
                        crate::domain::version_file::find(
                            crate::domain::version_file::Kind::of("Cargo.toml"),
                            &t,
                        )
                        .is_ok()
                    });
                if holds {
                    out.push(path);
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Returns the folders a `*` glob of folder names (`crates/*`) names
    /// under the root; a component without `*` is taken as written.
    fn expand(&self, pattern: &str) -> Vec<String> {
        let mut found = vec![String::new()];
        for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
            let mut next = Vec::new();
            for dir in &found {
                let join = |name: &str| {
                    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
                };
                if !part.contains('*') {
                    next.push(join(part));
                    continue;
                }
                let Ok(entries) = std::fs::read_dir(self.root().join(dir)) else { continue };
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.') && crate::domain::glob::matches(part, n))
                    .collect();
                names.sort();
                next.extend(names.iter().map(|n| join(n)));
            }
            found = next;
        }
        found.into_iter().filter(|d| !d.is_empty() && self.root().join(d).is_dir()).collect()
    }

    /// Returns the version files `relman init` writes down when detection
    /// alone would miss them: a virtual workspace's members' manifests, or
    /// the Python module (`pkg/__version__.py`, `src/pkg/_version.py`) a
    /// pyproject.toml with a dynamic version reads. `None` when the
    /// detected ones are right.
    pub(crate) fn suggested_version_files(&self) -> Option<Vec<String>> {
        let read = |f: &str| files::read_text(&self.root().join(f), f).ok().flatten();
        if let Some(text) = read("Cargo.toml") {
            let members = self.workspace_manifests("Cargo.toml", &text);
            if !members.is_empty() {
                return Some(members);
            }
        }
        let dynamic = read("pyproject.toml")
            .is_some_and(|t| crate::domain::version_file::dynamic_version(&t));
        if !dynamic || self.config.version_files.value.iter().any(|f| f != "pyproject.toml") {
            return None;
        }
        let mut modules = Vec::new();
        for pattern in ["*", "src/*"] {
            for dir in self.expand(pattern) {
                for name in ["__version__.py", "_version.py", "version.py"] {
                    let path = format!("{dir}/{name}");
                    let holds = read(&path)
                        .is_some_and(|t| crate::domain::version_file::find_assignment(&t).is_ok());
                    if holds {
                        modules.push(path);
                        break;
                    }
                }
            }
        }
        (modules.len() == 1).then_some(modules)
    }
}
