//! The house rules of `src/` (STYLE.md), read from the source itself so
//! they stay true: arrows between the top-level modules point down (no
//! circle; the repository layer never reaches up to the commands, the
//! settings, the hooks or the output; the domain touches nothing but
//! errors), and every use of git2 and gix is under `src/repo/git`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            // A file's tests may reach anywhere: they are not the design.
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, code.to_owned()));
        }
    }
}

/// The module path of a file relative to `src/` (`domain/catalog/mod.rs`
/// is `["domain", "catalog"]`; `lib.rs` is the crate, `[]`).
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> =
        rel.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The paths a file names: `crate::a::b`, `super::a`, `super::super::a`,
/// `self::a`, each with a `{x, y}` group opened into one path per name,
/// resolved to absolute module paths (as far as they go).
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts = ["crate::", "super::", "self::"].iter().find(|s| rest.starts_with(**s));
        let before_ok = i == 0 || !(word(bytes[i - 1] as char) || bytes[i - 1] == b':');
        let Some(start) = starts.filter(|_| before_ok) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        // `super::` counts from the file's module's parent (for a `mod.rs`
        // as for any other file), `self::` from the module itself.
        let mut base: Vec<String> = match *start {
            "crate::" => Vec::new(),
            _ => module.to_vec(),
        };
        let mut j = i + start.len();
        if *start == "super::" {
            base.pop();
            while code[j..].starts_with("super::") {
                base.pop();
                j += 7;
            }
        }
        let mut path = base;
        loop {
            if code[j..].starts_with('{') {
                let end = code[j..].find('}').map_or(code.len(), |e| j + e);
                for part in code[j + 1..end].split(',') {
                    let name: String = part.trim().chars().take_while(|c| word(*c)).collect();
                    if !name.is_empty() && name != "self" {
                        let mut p = path.clone();
                        p.push(name);
                        out.push(p);
                    }
                }
                out.push(path.clone());
                j = end;
                break;
            }
            let name: String = code[j..].chars().take_while(|c| word(*c)).collect();
            if name.is_empty() {
                break;
            }
            j += name.len();
            path.push(name);
            if code[j..].starts_with("::") {
                j += 2;
            } else {
                break;
            }
        }
        out.push(path);
        i = j.max(i + 1);
    }
    out
}

/// The modules directly inside `folder` (`[]` for the crate's top level)
/// and which of their siblings each one names.
fn graph_in(folder: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::support::source_path("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    let depth = folder.len();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in &files {
        let module = module_of(rel);
        if module.len() <= depth || module[..depth].iter().zip(folder).any(|(a, b)| a != b) {
            continue;
        }
        let me = module[depth].clone();
        if me == "main" {
            continue;
        }
        let arrows = graph.entry(me.clone()).or_default();
        for path in named_paths(&module, code) {
            if path.len() > depth
                && path[..depth].iter().zip(folder).all(|(a, b)| a == b)
                && path[depth] != me
            {
                arrows.insert(path[depth].clone());
            }
        }
    }
    // Only the sibling modules themselves (not items such as `Result`).
    let names: BTreeSet<String> = graph.keys().cloned().collect();
    for arrows in graph.values_mut() {
        arrows.retain(|n| names.contains(n));
    }
    graph
}

/// The top-level modules and which others each one names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    graph_in(&[])
}

/// Panics naming a circle of `graph`, if it has one.
fn assert_no_circle(graph: &BTreeMap<String, BTreeSet<String>>, folder: &str) {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        folder: &str,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import circle in src/{folder}: {} → {node}", path[at..].join(" → "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done, folder);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, folder);
    }
}

#[test]
fn the_modules_arrows_point_down_without_a_circle() {
    let graph = graph();
    assert_no_circle(&graph, "");
    for (from, forbidden) in [
        ("repo", &["commands", "settings", "hooks", "output", "cli"][..]),
        ("domain", &["commands", "settings", "hooks", "output", "cli", "repo", "config"]),
        ("config", &["commands", "settings", "hooks", "output", "cli", "repo"]),
    ] {
        let up: Vec<&String> =
            graph[from].iter().filter(|to| forbidden.contains(&to.as_str())).collect();
        assert!(up.is_empty(), "`{from}` reaches up to {up:?}: {graph:?}");
    }
}

/// Inside the commands, the domain, the repository layer and the output,
/// the modules' arrows point one way too (`crate::x::y`, `super::y` and
/// `{…}` groups read; a folder's `mod.rs`, which wires its modules
/// together, is not one of them).
#[test]
fn the_layers_modules_have_no_circle() {
    for folder in
        [&["commands"][..], &["domain"], &["repo"], &["repo", "git"], &["output"], &["hooks"]]
    {
        let graph = graph_in(folder);
        assert!(graph.len() > 1, "no modules found in src/{}", folder.join("/"));
        assert_no_circle(&graph, &folder.join("/"));
    }
}

#[test]
fn git_is_used_only_behind_the_repositorys_git_door() {
    let src = crate::support::source_path("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    for (rel, code) in files {
        if rel.starts_with("repo/git") {
            continue;
        }
        for lib in ["git2::", "gix::"] {
            assert!(!code.contains(lib), "src/{rel} uses {lib} outside src/repo/git");
        }
    }
}
