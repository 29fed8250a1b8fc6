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

/// The top-level modules and which others each one names (`crate::x`).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::support::source_path("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in &files {
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_owned();
        if top == "lib" || top == "main" {
            continue;
        }
        let arrows = graph.entry(top.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != top {
                arrows.insert(name);
            }
        }
    }
    graph
}

#[test]
fn the_modules_arrows_point_down_without_a_circle() {
    let graph = graph();
    // Depth-first search for a circle, naming it.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import circle: {} → {node}", path[at..].join(" → "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
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
