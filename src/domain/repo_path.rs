//! Paths written in relman's files are relative to the repository root and
//! stay inside it (SPEC §6.4): no absolute path, no `..` climbing above the
//! root. This is the one place the rule lives; `repo/files.rs` applies it
//! before touching the disk, and validation applies it to every path read.

use std::path::{Component, Path};

/// Tells whether `path` would leave the repository: absolute, or climbing
/// above the root with `..` at any point.
pub fn escapes(path: &str) -> bool {
    let mut depth: i64 = 0;
    for c in Path::new(path).components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => return true,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// The hint every "outside the repository" error carries.
pub const HINT: &str =
    "paths in relman's files are relative to the repository root and stay inside it";

#[cfg(test)]
mod tests {
    use super::escapes;

    #[test]
    fn refuses_paths_that_leave_the_root() {
        for ok in ["services/curve", "a/../b", ".", "./x", ""] {
            assert!(!escapes(ok), "{ok}");
        }
        for bad in ["../etc", "a/../../etc", "/etc/passwd", "a/b/../../.."] {
            assert!(escapes(bad), "{bad}");
        }
    }
}
