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
    git_commits(repo, from, Some(path), false).len()
}

/// The ids of the commits since `from` (or all) that change something
/// under `path` (`None`: every commit) compared with their first parent,
/// newest first, as `git log` lists them; with `first_parent`, those of
/// `git log --first-parent`.
pub(crate) fn git_commits(
    repo: &TestRepo,
    from: Option<&str>,
    path: Option<&str>,
    first_parent: bool,
) -> Vec<String> {
    let range = from.map_or_else(|| "HEAD".to_owned(), |t| format!("{t}..HEAD"));
    let mut args = vec!["log", "--format=>%H", "--name-only", "--diff-merges=first-parent"];
    if first_parent {
        args.push("--first-parent");
    }
    args.push(&range);
    let log = repo.git(&args);
    let mut touched: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in log.lines() {
        if let Some(id) = line.strip_prefix('>') {
            current = id.to_owned();
            if path.is_none() {
                touched.push(current.clone());
            }
        } else if path.is_some_and(|p| line.starts_with(&format!("{p}/")))
            && touched.last() != Some(&current)
        {
            touched.push(current.clone());
        }
    }
    touched
}

/// The `relman.yaml` that selects a history mode.
pub(crate) fn history_mode(repo: &TestRepo, first_parent: bool) {
    let mode = if first_parent { "first-parent" } else { "full" };
    repo.write("relman.yaml", &format!("release:\n  history: {mode}\n"));
}

#[test]
fn status_counts_what_git_counts_for_every_service() {
    let (repo, services) = sharded();
    for first_parent in [false, true] {
        status_counts_what_git_counts(&repo, &services, first_parent);
    }
}

/// `status` against git for every service, `next` against `status`, in
/// one history mode.
fn status_counts_what_git_counts(
    repo: &TestRepo,
    services: &[(String, String)],
    first_parent: bool,
) {
    history_mode(repo, first_parent);
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
    for (name, path) in services {
        let (tag, count) = &ours[name];
        let want = git_commits(repo, tag.as_deref(), Some(path), first_parent).len();
        assert_eq!(*count as usize, want, "{name} since {tag:?}, first parent: {first_parent}");
        // The one-service walk agrees with the all-services walk.
        let next = repo.relman(&["next", name, "--format", "json"]).success().json();
        assert_eq!(next["commits"].as_array().unwrap().len(), want, "{name}");
        changed += usize::from(want > 0);
    }
    assert!(changed > 10, "the history touches too few services to prove much");
}

/// Feeds `stream` to `git fast-import` in `repo`.
fn fast_import(repo: &TestRepo, stream: &str) {
    use std::io::Write as _;
    let mut child = std::process::Command::new("git")
        .current_dir(&repo.root)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

/// A monorepo built with `git fast-import`: 2,000 services under
/// `services/<2>/<name>`, all released at the import, a tenth released
/// again along the way (the first of the catalog and of the train among
/// them, late), then 1,500 commits (`feat`, `fix`, `docs`) each
/// touching one or two services, some on a branch merged back twice.
/// Returns the repository and every service's (name, path).
fn big() -> (TestRepo, Vec<(String, String)>) {
    use std::fmt::Write as _;
    let repo = TestRepo::new();
    let services: Vec<(String, String)> = (0..2000)
        .map(|k| {
            let name = format!("svc{k:04}");
            let path = format!("services/{:02}/{name}", k % 97);
            (name, path)
        })
        .collect();
    let mut s = String::new();
    let mut time = 1_700_000_000u64;
    let mut mark = 0u32;
    let mut commit = |s: &mut String,
                      branch: &str,
                      message: &str,
                      files: &[(String, String)],
                      merge: Option<u32>| {
        mark += 1;
        time += 60;
        let _ = write!(
            s,
            "commit refs/heads/{branch}\nmark :{mark}\ncommitter T <t@x> {time} +0000\ndata {}\n{message}\n",
            message.len() + 1
        );
        if let Some(m) = merge {
            let _ = writeln!(s, "merge :{m}");
        }
        for (path, text) in files {
            let _ = write!(s, "M 100644 inline {path}\ndata {}\n{text}\n", text.len());
        }
        mark
    };
    let mut catalog = String::from("services:\n");
    let mut trains = String::from("trains:\n  - name: big\n    participants:\n");
    for (k, (name, path)) in services.iter().enumerate() {
        let _ = write!(catalog, "  - name: {name}\n    path: {path}\n");
        if k % 10 == 3 {
            let _ = writeln!(trains, "      - {name}");
        }
    }
    let mut files = vec![
        ("catalog/services.yaml".to_owned(), catalog),
        ("catalog/release-trains.yaml".to_owned(), trains),
    ];
    files.extend(services.iter().map(|(_, p)| (format!("{p}/VERSION"), "1.0.0".to_owned())));
    let import = commit(&mut s, "main", "chore: import", &files, None);
    let tag = |s: &mut String, name: &str, at: u32| {
        let _ = write!(s, "tag {name}\nfrom :{at}\ntagger T <t@x> 1700000000 +0000\ndata 3\nrel\n");
    };
    for (name, _) in &services {
        tag(&mut s, &format!("{name}-v1.0.0"), import);
    }
    let mut seed = 11u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % n
    };
    let mut topic: Vec<(String, String)> = Vec::new();
    let mut topic_tip = None;
    let mut last = import;
    for i in 0..1500 {
        let kind = ["feat", "fix", "docs"][next(3)];
        let on_topic = (200..260).contains(&i) || (900..930).contains(&i);
        let mut changed =
            vec![(format!("{}/src/{i}.rs", services[next(2000)].1), format!("// {i}"))];
        if next(4) == 0 {
            changed.push((format!("{}/README.md", services[next(2000)].1), format!("{i}")));
        }
        if on_topic {
            if topic_tip.is_none() {
                let _ = write!(s, "reset refs/heads/topic\nfrom :{last}\n\n");
            }
            topic_tip =
                Some(commit(&mut s, "topic", &format!("{kind}: topic {i}"), &changed, None));
            topic.extend(changed);
            continue;
        }
        if let Some(tip) = topic_tip.take() {
            // The merge brings the branch's files: its tree is the first
            // parent's plus those.
            let files = std::mem::take(&mut topic);
            commit(&mut s, "main", &format!("Merge topic at {i}"), &files, Some(tip));
        }
        let at = commit(&mut s, "main", &format!("{kind}: change {i}"), &changed, None);
        last = at;
        if i < 600 && next(20) == 0 {
            let (name, _) = &services[next(2000)];
            tag(&mut s, &format!("{name}-v1.1.{i}"), at);
        }
        if i == 700 {
            // The first service of the catalog and of the train released
            // late: their last release is not the oldest.
            tag(&mut s, "svc0000-v1.2.0", at);
            tag(&mut s, "svc0003-v1.2.0", at);
        }
    }
    fast_import(&repo, &s);
    repo.git(&["checkout", "-q", "-f", "main"]);
    (repo, services)
}

/// The commits since `from` that change something under `path` compared
/// with their first parent, with their subjects, by git.
fn git_subjects(repo: &TestRepo, from: &str, path: &str) -> Vec<String> {
    let log = repo.git(&[
        "log",
        "--format=>%s",
        "--name-only",
        "--diff-merges=first-parent",
        &format!("{from}..HEAD"),
        "--",
        path,
    ]);
    let mut out = Vec::new();
    let mut subject = None;
    for line in log.lines() {
        if let Some(s) = line.strip_prefix('>') {
            subject = Some(s.to_owned());
        } else if line.starts_with(&format!("{path}/"))
            && let Some(s) = subject.take()
        {
            out.push(s);
        }
    }
    out
}

/// The objects of a JSON array by the value of their field `key`.
fn by<'a>(list: &'a serde_json::Value, key: &str) -> BTreeMap<&'a str, &'a serde_json::Value> {
    list.as_array().unwrap().iter().map(|o| (o[key].as_str().unwrap(), o)).collect()
}

/// On a monorepo of 2,000 released services, `status` and the plan of a
/// 200-service train give, for every one of those 200, what git gives
/// service by service: the last tag, the commits since it under the
/// service's path, and the version those commits make.
/// (Its 1,500 commits are enough for relman to compare their trees on two
/// threads, so both halves are held to git.)
#[test]
fn plan_and_status_agree_with_git_service_by_service_on_a_big_monorepo() {
    let (repo, services) = big();
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let units = by(&status["units"], "name");
    let plan = repo.relman(&["train", "plan", "big", "--format", "json"]).success().json();
    let steps = by(&plan["sequence"], "service");
    assert_eq!(steps.len(), 200);
    let (mut released, mut again, mut merged) = (0, 0, 0);
    for (k, (name, path)) in services.iter().enumerate().filter(|(k, _)| k % 10 == 3) {
        let tag = repo.git(&["tag", "-l", &format!("{name}-v*"), "--sort=-v:refname"]);
        let tag = tag.lines().next().unwrap();
        let from = tag.strip_prefix(&format!("{name}-v")).unwrap();
        let subjects = git_subjects(&repo, tag, path);
        let unit = units[name.as_str()];
        assert_eq!(unit["last_tag"], *tag, "{name}");
        assert_eq!(
            unit["commits_since"].as_u64().unwrap() as usize,
            subjects.len(),
            "{name} ({k})"
        );
        let step = steps[name.as_str()];
        assert_eq!(step["from"], from, "{name}");
        let (major, minor, patch) = {
            let v: Vec<u64> = from.split('.').map(|n| n.parse().unwrap()).collect();
            (v[0], v[1], v[2])
        };
        let to = if subjects.iter().any(|s| s.starts_with("feat")) {
            Some(format!("{major}.{}.0", minor + 1))
        } else if subjects.iter().any(|s| s.starts_with("fix")) {
            Some(format!("{major}.{minor}.{}", patch + 1))
        } else {
            None
        };
        match to {
            Some(to) => {
                assert_eq!(step["action"], "release", "{name}: {subjects:?}");
                assert_eq!(step["to"], to.as_str(), "{name}: {subjects:?}");
                released += 1;
            }
            None => assert_eq!(step["action"], "skip", "{name}: {subjects:?} {step}"),
        }
        again += usize::from(from != "1.0.0");
        merged += usize::from(subjects.iter().any(|s| s.starts_with("Merge topic")));
    }
    assert!(
        released > 50 && again > 3 && merged > 3,
        "too little to prove much: {released} released, {again} re-released, {merged} through a merge"
    );
}

/// A random history for `next`: four branches cut from random commits,
/// merges between them, and tags `v1.<k>.0` with random `k` on random
/// commits, some on branches HEAD never merges; HEAD on a random branch.
fn random_history(seed: u64) -> TestRepo {
    use std::fmt::Write as _;
    let mut state = seed;
    let mut next = |n: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    let mut s = String::new();
    let mut tips: Vec<Option<usize>> = vec![None; 4];
    let mut tags = BTreeSet::new();
    for mark in 1..=60usize {
        let branch = if mark == 1 { 0 } else { next(4) };
        if tips[branch].is_none() && mark > 1 {
            let _ = write!(s, "reset refs/heads/b{branch}\nfrom :{}\n\n", 1 + next(mark - 1));
        }
        let message = format!("{}: change {mark}", ["feat", "fix", "docs"][next(3)]);
        let _ = write!(
            s,
            "commit refs/heads/b{branch}\nmark :{mark}\ncommitter T <t@x> {} +0000\ndata {}\n{message}\n",
            1_700_000_000 + mark * 60,
            message.len() + 1
        );
        let other = next(4);
        if let Some(tip) = tips[other].filter(|_| other != branch && next(5) == 0) {
            let _ = writeln!(s, "merge :{tip}");
        }
        let _ = write!(s, "M 100644 inline f{mark}.txt\ndata 2\n{}\n\n", mark % 10);
        tips[branch] = Some(mark);
        if next(4) == 0 {
            let k = next(40);
            if tags.insert(k) {
                let _ = write!(
                    s,
                    "tag v1.{k}.0\nfrom :{mark}\ntagger T <t@x> 1700000000 +0000\ndata 3\nrel\n"
                );
            }
        }
    }
    let repo = TestRepo::new();
    fast_import(&repo, &s);
    let heads: Vec<usize> = (0..4).filter(|&b| tips[b].is_some()).collect();
    repo.git(&["checkout", "-q", "-f", &format!("b{}", heads[next(heads.len())])]);
    repo
}

#[test]
fn next_finds_the_tag_and_the_commits_git_finds_on_random_histories() {
    for first_parent in [false, true] {
        next_finds_what_git_finds(first_parent);
    }
}

/// `next` against git on 24 random histories, in one history mode.
fn next_finds_what_git_finds(first_parent: bool) {
    let minor =
        |t: &&str| t.trim_start_matches("v1.").trim_end_matches(".0").parse::<u32>().unwrap();
    // How many histories had their highest tag elsewhere, and merges in range.
    let (mut elsewhere, mut merges) = (0, 0);
    for seed in 0..24 {
        let repo = random_history(seed);
        history_mode(&repo, first_parent);
        let merged = repo.git(&["tag", "--merged", "HEAD", "-l", "v*"]);
        let last = merged.lines().max_by_key(minor);
        let all = repo.git(&["tag", "-l", "v*"]);
        elsewhere += usize::from(all.lines().max_by_key(minor) != last);
        let range = last.map_or_else(|| "HEAD".to_owned(), |t| format!("{t}..HEAD"));
        let want = git_commits(&repo, last, None, first_parent);
        let run = repo.relman(&["next", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| {
            panic!("seed {seed}: {run}");
        });
        let current = last.map_or("0.0.0", |t| t.trim_start_matches('v'));
        assert_eq!(json["current"], current, "seed {seed}: {run}");
        let got: Vec<&str> =
            json["commits"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(got, want, "seed {seed}: since {last:?}, first parent: {first_parent}\n{run}");
        merges += usize::from(!repo.git(&["log", "--merges", "--format=%H", &range]).is_empty());
    }
    assert!((3..=21).contains(&elsewhere), "highest tag elsewhere in {elsewhere} of 24");
    assert!(merges >= 3, "merges in range in {merges} of 24");
}

/// The walk of many services stops below a commit every last release
/// reaches. The catalog's first service was released last of three, the
/// second first: the commits since the second's release must all count
/// (they were hidden when the stop was the merge base of the first's
/// release with the others', libgit2's `merge_base_many`).
#[test]
fn the_oldest_last_release_counts_whatever_the_catalog_order() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: a\n    path: services/a\n  - name: b\n    path: services/b\n  - name: c\n    path: services/c\n",
    )
    .write(
        "catalog/release-trains.yaml",
        "trains:\n  - name: t\n    participants: [a, b, c]\n",
    );
    for s in ["a", "b", "c"] {
        repo.write(&format!("services/{s}/VERSION"), "1.0.0\n");
    }
    repo.commit("chore: import");
    repo.tag("b-v1.0.0");
    for i in 2..5 {
        repo.change("services/b/src.txt", &format!("feat(b): change {i}"));
    }
    repo.change("services/a/src.txt", "fix(a): five");
    repo.tag("a-v1.0.0");
    repo.change("services/c/src.txt", "fix(c): six");
    repo.tag("c-v1.0.0");
    assert_eq!(git_count(&repo, Some("b-v1.0.0"), "services/b"), 3);
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let units = by(&status["units"], "name");
    assert_eq!(units["b"]["commits_since"], 3, "{status}");
    assert_eq!(units["b"]["next"], "1.1.0");
    assert_eq!(
        (units["a"]["commits_since"].as_u64(), units["c"]["commits_since"].as_u64()),
        (Some(0), Some(0))
    );
    let plan = repo.relman(&["train", "plan", "t", "--format", "json"]).success().json();
    let steps = by(&plan["sequence"], "service");
    assert_eq!(steps["b"]["to"], "1.1.0", "{plan}");
}

/// Two histories joined by a merge (`--allow-unrelated-histories`), a
/// service released on each before the merge: no commit is reached by
/// both releases, so the walk stops nowhere early and still counts what
/// git counts for each.
#[test]
fn last_releases_on_unrelated_histories_count_what_git_counts() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: a\n    path: services/a\n  - name: b\n    path: services/b\n",
    );
    repo.write("services/a/VERSION", "1.0.0\n");
    repo.commit("chore: a's history");
    repo.tag("a-v1.0.0");
    repo.change("services/a/src.txt", "feat(a): before the merge");
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.git(&["rm", "-rqf", "."]);
    repo.write("services/b/VERSION", "1.0.0\n");
    repo.commit("chore: b's history");
    repo.tag("b-v1.0.0");
    repo.change("services/b/src.txt", "fix(b): before the merge");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--allow-unrelated-histories", "-m", "Merge b's history", "other"]);
    repo.change("services/b/src.txt", "feat(b): after the merge");
    repo.change("services/a/src.txt", "fix(a): after the merge");
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let units = by(&status["units"], "name");
    for (name, path) in [("a", "services/a"), ("b", "services/b")] {
        let want = git_count(&repo, Some(&format!("{name}-v1.0.0")), path);
        assert_eq!(units[name]["commits_since"].as_u64(), Some(want as u64), "{name}: {status}");
    }
    assert_eq!(
        (units["a"]["next"].as_str(), units["b"]["next"].as_str()),
        (Some("1.1.0"), Some("1.1.0"))
    );
}

/// With `release.history: first-parent`, a tag on a side branch merged
/// back releases every commit it reaches, through any parent: the commits
/// of main below the branch point are released for it, as `next` and git
/// (`git log --first-parent TAG..HEAD`) say. First-parent history only
/// limits which commits are candidates. `status` and `train plan` walk
/// many services at once and must agree (issue 18, item 27).
#[test]
fn first_parent_status_and_plan_count_a_tag_on_a_merged_branch_as_released() {
    let repo = TestRepo::new();
    repo.write("relman.yaml", "release:\n  history: first-parent\n")
        .write(
            "catalog/services.yaml",
            "services:\n  - name: a\n    path: services/a\n  - name: b\n    path: services/b\n",
        )
        .write("catalog/release-trains.yaml", "trains:\n  - name: t\n    participants: [a, b]\n");
    for s in ["a", "b"] {
        repo.write(&format!("services/{s}/VERSION"), "1.0.0\n");
    }
    repo.commit("chore: import");
    repo.tag("a-v1.0.0");
    repo.tag("b-v1.0.0");
    repo.change("services/a/src.txt", "feat(a): on main before the branch");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.change("docs/a.md", "docs: on the branch");
    repo.tag("a-v1.1.0");
    repo.git(&["checkout", "-q", "main"]);
    repo.change("services/b/src.txt", "fix(b): on main after the branch");
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge topic", "topic"]);
    assert_eq!(git_count(&repo, Some("a-v1.1.0"), "services/a"), 0);

    let next = repo.relman(&["next", "a", "--format", "json"]).success().json();
    assert_eq!(
        (next["current"].as_str(), next["releasable"].as_bool()),
        (Some("1.1.0"), Some(false))
    );
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let units = by(&status["units"], "name");
    assert_eq!(units["a"]["last_tag"], "a-v1.1.0", "{status}");
    assert_eq!(units["a"]["commits_since"], 0, "{status}");
    assert_eq!(units["b"]["commits_since"], 1, "{status}");
    let plan = repo.relman(&["train", "plan", "t", "--format", "json"]).success().json();
    let steps = by(&plan["sequence"], "service");
    assert_eq!(steps["a"]["action"], "skip", "{plan}");
    assert_eq!(
        (steps["b"]["action"].as_str(), steps["b"]["to"].as_str()),
        (Some("release"), Some("1.0.1"))
    );
}

/// The services of `random_services_history`.
pub(crate) const RANDOM_SERVICES: [&str; 4] = ["s0", "s1", "s2", "s3"];

/// A random history of a monorepo of four services (`services/<name>`),
/// in the manner of `random_history`: four branches cut from random
/// commits, merges between them, each commit changing one service or two,
/// and tags `<name>-v1.<k>.0` on random commits, some on branches HEAD
/// never merges (or merges with a later commit); HEAD on a random branch.
/// The train `t` takes every service.
pub(crate) fn random_services_history(seed: u64) -> TestRepo {
    use std::fmt::Write as _;
    let mut state = seed;
    let mut next = |n: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    let mut catalog = String::from("services:\n");
    for name in RANDOM_SERVICES {
        let _ = write!(catalog, "  - name: {name}\n    path: services/{name}\n");
    }
    let trains =
        format!("trains:\n  - name: t\n    participants: [{}]\n", RANDOM_SERVICES.join(", "));
    let mut s = String::new();
    let mut tips: Vec<Option<usize>> = vec![None; 4];
    let mut tags = BTreeSet::new();
    for mark in 1..=60usize {
        let branch = if mark == 1 { 0 } else { next(4) };
        if tips[branch].is_none() && mark > 1 {
            let _ = write!(s, "reset refs/heads/b{branch}\nfrom :{}\n\n", 1 + next(mark - 1));
        }
        let message = format!("{}: change {mark}", ["feat", "fix", "docs"][next(3)]);
        let _ = write!(
            s,
            "commit refs/heads/b{branch}\nmark :{mark}\ncommitter T <t@x> {} +0000\ndata {}\n{message}\n",
            1_700_000_000 + mark * 60,
            message.len() + 1
        );
        let other = next(4);
        if let Some(tip) = tips[other].filter(|_| other != branch && next(3) == 0) {
            let _ = writeln!(s, "merge :{tip}");
        }
        if mark == 1 {
            for (path, text) in
                [("catalog/services.yaml", &catalog), ("catalog/release-trains.yaml", &trains)]
            {
                let _ = write!(s, "M 100644 inline {path}\ndata {}\n{text}\n", text.len());
            }
        }
        let mut touched = vec![RANDOM_SERVICES[next(4)]];
        if next(4) == 0 {
            touched.push(RANDOM_SERVICES[next(4)]);
        }
        for name in touched {
            let _ =
                write!(s, "M 100644 inline services/{name}/f{mark}.txt\ndata 2\n{}\n\n", mark % 10);
        }
        tips[branch] = Some(mark);
        if next(3) == 0 {
            let name = RANDOM_SERVICES[next(4)];
            let k = next(40);
            if tags.insert((name, k)) {
                let _ = write!(
                    s,
                    "tag {name}-v1.{k}.0\nfrom :{mark}\ntagger T <t@x> 1700000000 +0000\ndata 3\nrel\n"
                );
            }
        }
    }
    let repo = TestRepo::new();
    fast_import(&repo, &s);
    let heads: Vec<usize> = (0..4).filter(|&b| tips[b].is_some()).collect();
    repo.git(&["checkout", "-q", "-f", &format!("b{}", heads[next(heads.len())])]);
    repo
}

/// What a random monorepo history shows: for each service, whether the
/// commits since its last release came through a merge's other parent,
/// and whether its last release is on a branch merged back (off HEAD's
/// first-parent line).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Seen {
    pub released_off_the_line: usize,
    pub pending: usize,
}

/// Holds `status`, `train plan t` and `next <service>` to git and to each
/// other for every service of `random_services_history`, in one history
/// mode: the last tag is the highest one HEAD reaches, the commits since
/// it are `git log [--first-parent] TAG..HEAD` that change the service's
/// path, and the next version is what their types make.
pub(crate) fn status_plan_and_next_agree_with_git(repo: &TestRepo, first_parent: bool) -> Seen {
    history_mode(repo, first_parent);
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    let units = by(&status["units"], "name");
    let plan = repo.relman(&["train", "plan", "t", "--format", "json"]).success().json();
    let steps = by(&plan["sequence"], "service");
    let mut seen = Seen::default();
    let line = repo.git(&["rev-list", "--first-parent", "HEAD"]);
    for name in RANDOM_SERVICES {
        let minor = |t: &&str| {
            t.trim_start_matches(&format!("{name}-v1."))
                .trim_end_matches(".0")
                .parse::<u32>()
                .unwrap()
        };
        let merged = repo.git(&["tag", "--merged", "HEAD", "-l", &format!("{name}-v*")]);
        let last = merged.lines().max_by_key(minor);
        let want = git_commits(repo, last, Some(&format!("services/{name}")), first_parent);
        let subjects: Vec<String> =
            want.iter().map(|id| repo.git(&["log", "-1", "--format=%s", id])).collect();
        let current = last.map_or_else(
            || "0.0.0".to_owned(),
            |t| t.trim_start_matches(&format!("{name}-v")).to_owned(),
        );
        let (major, minor_v, patch) = {
            let v: Vec<u64> = current.split('.').map(|n| n.parse().unwrap()).collect();
            (v[0], v[1], v[2])
        };
        let to = if subjects.iter().any(|s| s.starts_with("feat")) {
            Some(format!("{major}.{}.0", minor_v + 1))
        } else if subjects.iter().any(|s| s.starts_with("fix")) {
            Some(format!("{major}.{minor_v}.{}", patch + 1))
        } else {
            None
        };
        let at = format!("{name}, since {last:?}, first parent: {first_parent}");

        let next = repo.relman(&["next", name, "--format", "json"]).success().json();
        let got: Vec<&str> =
            next["commits"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(got, want, "next {at}");
        assert_eq!(next["current"], current.as_str(), "next {at}");
        assert_eq!(next["next"].as_str(), to.as_deref(), "next {at}: {subjects:?}");

        let unit = units[name];
        assert_eq!(unit["last_tag"].as_str(), last, "status {at}");
        assert_eq!(
            unit["commits_since"].as_u64(),
            Some(want.len() as u64),
            "status {at}: {status}"
        );
        assert_eq!(unit["next"].as_str(), to.as_deref(), "status {at}: {subjects:?}");

        let step = steps[name];
        assert_eq!(step["from"], current.as_str(), "plan {at}");
        match &to {
            Some(to) => {
                assert_eq!(step["action"], "release", "plan {at}: {subjects:?}");
                assert_eq!(step["to"], to.as_str(), "plan {at}");
            }
            None => assert_eq!(step["action"], "skip", "plan {at}: {subjects:?} {step}"),
        }

        if let Some(tag) = last {
            let commit = repo.git(&["rev-parse", &format!("{tag}^{{commit}}")]);
            seen.released_off_the_line += usize::from(!line.lines().any(|c| c == commit));
        }
        seen.pending += usize::from(!want.is_empty());
    }
    seen
}

#[test]
fn status_plan_and_next_agree_with_git_on_random_monorepo_histories() {
    for first_parent in [false, true] {
        let mut total = Seen::default();
        for seed in 0..8 {
            let repo = random_services_history(seed);
            let seen = status_plan_and_next_agree_with_git(&repo, first_parent);
            total.released_off_the_line += seen.released_off_the_line;
            total.pending += seen.pending;
        }
        assert!(
            total.released_off_the_line >= 3 && total.pending >= 8,
            "too little to prove much: {total:?}"
        );
    }
}
