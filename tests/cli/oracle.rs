//! relman's reading of a monorepo's history held against git's own: for
//! every service, the commits since its last tag that change its path.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::TestRepo;

/// 36 services sharded as `services/<2>/<name>` (12 per shard, so the wide
/// folders are compared entry by entry), each tagged once, then history
/// with feature branches merged back, commits touching several services,
/// a service added after the tags, and tags made along the way.
fn sharded() -> (TestRepo, Vec<(String, String)>) {
    let repo = TestRepo::new();
    let mut services = Vec::new();
    let mut catalog = String::from("services:\n");
    for k in 0..36 {
        let name = format!("svc{k:02}");
        let path = format!("services/s{}/{name}", k % 3);
        catalog.push_str(&format!("  - name: {name}\n    path: {path}\n"));
        services.push((name, path));
    }
    catalog.push_str("  - name: late\n    path: services/s0/late\n");
    repo.write("catalog/services.yaml", &catalog);
    for (_, path) in &services {
        repo.write(&format!("{path}/Cargo.toml"), "[package]\nversion = \"1.0.0\"\n");
    }
    repo.commit("chore: import");
    for (name, _) in &services {
        repo.tag(&format!("{name}-v1.0.0"));
    }
    // A deterministic pseudo-random history.
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % n
    };
    for round in 0..6 {
        repo.git(&["checkout", "-q", "-b", &format!("topic{round}")]);
        for i in 0..4 {
            let (_, path) = &services[next(36)];
            repo.change(&format!("{path}/src/topic.rs"), &format!("feat: topic {round}.{i}"));
        }
        repo.git(&["checkout", "-q", "main"]);
        for i in 0..5 {
            let (a, b) = (&services[next(36)].1, &services[next(36)].1);
            repo.write(&format!("{a}/src/main.rs"), &format!("// {round} {i}\n"));
            repo.write(&format!("{b}/README.md"), &format!("{round} {i}\n"));
            repo.commit(&format!("fix: main {round}.{i}"));
        }
        repo.git(&["merge", "-q", "--no-ff", "--no-edit", &format!("topic{round}")]);
        if round == 2 {
            repo.write("services/s0/late/VERSION", "0.1.0\n");
            repo.commit("feat(late): arrives");
            let (name, _) = &services[next(36)];
            repo.tag(&format!("{name}-v1.1.0"));
        }
    }
    services.push(("late".to_owned(), "services/s0/late".to_owned()));
    (repo, services)
}

/// The commits since `from` (or all) that change something under `path`
/// compared with their first parent, by git: `--diff-merges=first-parent`
/// shows a merge's changes against its first parent, as relman reads it.
fn git_count(repo: &TestRepo, from: Option<&str>, path: &str) -> usize {
    let range = from.map_or_else(|| "HEAD".to_owned(), |t| format!("{t}..HEAD"));
    let log =
        repo.git(&["log", "--format=>%H", "--name-only", "--diff-merges=first-parent", &range]);
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut current = String::new();
    for line in log.lines() {
        if let Some(id) = line.strip_prefix('>') {
            current = id.to_owned();
        } else if line.starts_with(&format!("{path}/")) {
            touched.insert(current.clone());
        }
    }
    touched.len()
}

#[test]
fn status_counts_what_git_counts_for_every_service() {
    let (repo, services) = sharded();
    let json = repo.relman(&["status", "--format", "json"]).success().json();
    let ours: BTreeMap<String, (Option<String>, u64)> = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_owned(),
                (u["last_tag"].as_str().map(str::to_owned), u["commits_since"].as_u64().unwrap()),
            )
        })
        .collect();
    assert_eq!(ours.len(), services.len());
    let mut changed = 0;
    for (name, path) in &services {
        let (tag, count) = &ours[name];
        let want = git_count(&repo, tag.as_deref(), path);
        assert_eq!(*count as usize, want, "{name} since {tag:?}");
        // The one-service walk agrees with the all-services walk.
        let next = repo.relman(&["next", name, "--format", "json"]).success().json();
        assert_eq!(next["commits"].as_array().unwrap().len(), want, "{name}");
        changed += usize::from(want > 0);
    }
    assert!(changed > 10, "the history touches too few services to prove much");
}
