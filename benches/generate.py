#!/usr/bin/env python3
"""Writes a `git fast-import` stream for relman's benchmarks.

  generate.py single N_COMMITS N_TAGS          a single project, tags v1.K.0
  generate.py behind N_COMMITS N_TAGS GAP      the last tag GAP commits behind HEAD,
                                               with merged topic branches
  generate.py maintenance N TAGS GAP BRANCH    release/1.x cut GAP commits behind
                                               main, BRANCH commits of its own
  generate.py monorepo N_COMMITS N_TAGS N_SVC  services/sK touched at random,
                                               tags sK-v1.J.0 spread evenly
  generate.py released N_SVC N_PART EXTRA       every service tagged, EXTRA commits of
                                               history, then a feat under every second
  generate.py catalog N_SVC N_PARTICIPANTS     a catalog of N_SVC services and
                                               one train (no history to speak of)
  generate.py train N_SVC EXTRA [CHANGELOG]    N_SVC services with no-op release and
                                               health hooks, each tagged, EXTRA commits
                                               of history under random services, then
                                               a feat under each; a train `run` of all;
                                               with CHANGELOG=1 each service has its
                                               own services/<name>/CHANGELOG.md

Deterministic (fixed seed), so every run measures the same repository.
"""
import random
import sys

MESSAGES = [
    "feat(api): add endpoint {i}",
    "fix: handle case {i}",
    "chore: tidy {i}",
    "perf(core): faster path {i}",
    "docs: explain {i}",
    "refactor: split module {i}",
    "fix(io): retry read {i}\n\nSome body text that explains the change {i}.",
]


def data(text):
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def commit(out, mark, parent, when, message, files, ref="refs/heads/main"):
    out.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
    out.write(b"author Bench <bench@relman.invalid> %d +0000\n" % when)
    out.write(b"committer Bench <bench@relman.invalid> %d +0000\n" % when)
    out.write(data(message))
    if parent:
        out.write(b"from :%d\n" % parent)
    for path, content in files:
        out.write(b"M 100644 inline %s\n" % path.encode())
        out.write(data(content))
    out.write(b"\n")


def commit_merge(out, mark, first, second, when, message):
    out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
    out.write(b"author Bench <bench@relman.invalid> %d +0000\n" % when)
    out.write(b"committer Bench <bench@relman.invalid> %d +0000\n" % when)
    out.write(data(message))
    out.write(b"from :%d\nmerge :%d\n\n" % (first, second))


def tag(out, name, mark, when):
    out.write(b"tag %s\nfrom :%d\n" % (name.encode(), mark))
    out.write(b"tagger Bench <bench@relman.invalid> %d +0000\n" % when)
    out.write(data(name))


def single(n, tags):
    out = sys.stdout.buffer
    every = max(1, n // tags)
    when = 1_600_000_000
    for i in range(1, n + 1):
        commit(out, i, i - 1, when + i, MESSAGES[i % len(MESSAGES)].format(i=i),
               [("VERSION", "1.0.0\n"), ("src/lib.rs", "// change %d\n" % i)])
        if i % every == 0 and i // every <= tags:
            tag(out, "v1.%d.0" % (i // every), i, when + i)


def behind(n, tags, gap):
    """A single project of `n` commits whose last tag is `gap` commits
    behind HEAD, with a merged topic branch (two commits and the merge)
    every 50 commits, as pull requests make."""
    out = sys.stdout.buffer
    tagged = n - gap
    when = 1_600_000_000
    count = 0  # commits so far (the marks)
    main = 0
    made = 0  # tags so far
    while count < n:
        when += 1
        if count % 50 == 46 and main and count + 3 <= n:
            fork = main
            for k in range(2):
                count += 1
                commit(out, count, fork, when, "fix(topic): branch work %d.%d" % (count, k),
                       [("src/topic.rs", "// %d %d\n" % (count, k))], ref="refs/heads/topic")
                fork = count
            count += 1
            commit_merge(out, count, main, fork, when, "Merge branch 'topic-%d'" % count)
            main = count
        else:
            count += 1
            commit(out, count, main, when, MESSAGES[count % len(MESSAGES)].format(i=count),
                   [("VERSION", "1.0.0\n"), ("src/lib.rs", "// change %d\n" % count)])
            main = count
        # Tags spread evenly over the first `tagged` commits, the last at `tagged`.
        while made < tags and count >= (made + 1) * tagged // tags and count <= tagged:
            made += 1
            tag(out, "v1.%d.0" % made, main, when)
    out.write(b"reset refs/heads/topic\nfrom 0000000000000000000000000000000000000000\n\n")


def maintenance(n, tags, gap, branch_commits):
    """`behind` on main, plus `release/1.x` cut at the tag `gap` commits
    behind main's HEAD, with `branch_commits` fixes of its own (checked out
    by run.sh): every tag above the cut is on main, not in its history."""
    out = sys.stdout.buffer
    every = max(1, n // tags)
    when = 1_600_000_000
    cut_at = ((n - gap) // every) * every
    cut_tag = None
    for i in range(1, n + 1):
        commit(out, i, i - 1, when + i, MESSAGES[i % len(MESSAGES)].format(i=i),
               [("VERSION", "1.0.0\n"), ("src/lib.rs", "// change %d\n" % i)])
        if i % every == 0 and i // every <= tags:
            tag(out, "v1.%d.0" % (i // every), i, when + i)
            if i == cut_at:
                cut_tag = i
    parent = cut_tag
    for k in range(branch_commits):
        mark = n + 1 + k
        commit(out, mark, parent, when + n + k + 1, "fix(lts): backport %d" % k,
               [("src/lts.rs", "// %d\n" % k)], ref="refs/heads/release/1.x")
        parent = mark


def monorepo(n, tags, services):
    rng = random.Random(7)
    out = sys.stdout.buffer
    every = max(1, n // tags)
    when = 1_600_000_000
    catalog = "services:\n" + "".join(
        '  - name: s%d\n    path: services/s%d\n    tag: "s%d-v{version}"\n' % (k, k, k)
        for k in range(services))
    commit(out, 1, 0, when, "chore: start", [("catalog/services.yaml", catalog)])
    counts = {}
    for i in range(2, n + 1):
        k = rng.randrange(services)
        commit(out, i, i - 1, when + i, MESSAGES[i % len(MESSAGES)].format(i=i),
               [("services/s%d/src/f%d.txt" % (k, i % 7), "// change %d\n" % i)])
        if i % every == 0:
            t = (i // every) % services
            counts[t] = counts.get(t, 0) + 1
            tag(out, "s%d-v1.%d.0" % (t, counts[t]), i, when + i)


def catalog_files(service_lines, members):
    """services.yaml from its lines, a train `big` of `members` (name, k)
    with five gates, and a metrics file for each member."""
    trains = [
        "trains:",
        "  - name: big",
        "    participants: [%s]" % ", ".join(name for name, _ in members),
        "    gates:",
        "      - all_participants_quality >=80",
        "      - no_open_critical_vulns",
        "      - min_coverage",
        "      - all_services_healthy",
        '      - custom: "latency_ms < 250"',
        "        blocking: false",
    ]
    files = [("catalog/services.yaml", "\n".join(service_lines) + "\n"),
             ("catalog/release-trains.yaml", "\n".join(trains) + "\n")]
    for name, m in members:
        files.append(("catalog/metrics/%s.yaml" % name,
                      "quality_score: %d\ncritical_vulns: 0\ncoverage: %d\nhealthy: true\nlatency_ms: %d\n"
                      % (80 + m % 20, 75 + m % 25, 100 + m % 200)))
    return files


def released(services, participants, extra):
    """A monorepo where every service has been released: `services` under
    services/<2 chars>/<name>, the catalog, then one commit adding each
    service, tagged <name>-v1.0.0, `extra` commits of ordinary
    history under random services, then one feat commit under every second
    service; a train of `participants` with five gates."""
    rng = random.Random(13)
    out = sys.stdout.buffer
    names = ["svc%05d" % k for k in range(services)]
    path = lambda name: "services/%s/%s" % (name[-2:], name)
    lines = ["services:"]
    for k, name in enumerate(names):
        deps = sorted({names[rng.randrange(k)] for _ in range(min(k, rng.randrange(3)))})
        lines.append('  - name: %s\n    path: %s\n    tag: "{name}-v{version}"\n    depends_on: [%s]'
                     % (name, path(name), ", ".join(deps)))
    members = sorted(rng.sample(range(services), participants))
    files = catalog_files(lines, [(names[m], m) for m in members])
    when = 1_600_000_000
    commit(out, 1, 0, when, "chore: the catalog", files)
    mark = 1
    for name in names:
        mark += 1
        commit(out, mark, mark - 1, when + mark, "feat(%s): first release" % name,
               [("%s/Cargo.toml" % path(name), '[package]\nname = "%s"\nversion = "1.0.0"\n' % name)])
        tag(out, "%s-v1.0.0" % name, mark, when + mark)
    for i in range(extra):
        mark += 1
        name = names[rng.randrange(services)]
        commit(out, mark, mark - 1, when + mark, "chore(%s): tidy %d" % (name, i),
               [("%s/notes.txt" % path(name), "tidy %d\n" % i)])
    for k in range(0, services, 2):
        mark += 1
        name = names[k]
        commit(out, mark, mark - 1, when + mark, "feat(%s): new endpoint" % name,
               [("%s/src/lib.rs" % path(name), "// endpoint\n")])


def catalog(services, participants):
    rng = random.Random(11)
    out = sys.stdout.buffer
    lines = ["services:"]
    for k in range(services):
        deps = sorted({"s%d" % rng.randrange(k) for _ in range(min(k, rng.randrange(4)))})
        lines.append("  - name: s%d\n    path: services/s%d\n    depends_on: [%s]" % (k, k, ", ".join(deps)))
    members = rng.sample(range(services), participants)
    files = catalog_files(lines, [("s%d" % m, m) for m in members])
    commit(out, 1, 0, 1_600_000_000, "chore: catalog", files)


def train(services, extra, changelog=0):
    """A train of `services` participants to run end to end: each service
    has a VERSION file, no-op hooks (`true`) and a tag; then `extra`
    commits of ordinary history under random services, so every last tag
    lies far behind HEAD, and a feat under each; dependencies point at
    earlier services, so the plan has many waves. With `changelog`, each
    service has a changelog of its own that its release edits."""
    rng = random.Random(17)
    out = sys.stdout.buffer
    names = ["svc%04d" % k for k in range(services)]
    lines = ["services:"]
    for k, name in enumerate(names):
        deps = sorted({names[rng.randrange(k)] for _ in range(min(k, rng.randrange(3)))})
        lines.append("  - name: %s\n    path: services/%s\n    depends_on: [%s]\n"
                     "    version_files: [services/%s/VERSION]\n"
                     "    hooks: {release: \"true\", health: \"true\"}" % (name, name, ", ".join(deps), name))
        if changelog:
            lines.append("    changelog: services/%s/CHANGELOG.md" % name)
    trains = "trains:\n  - name: run\n    participants: [%s]\n" % ", ".join(names)
    files = [("catalog/services.yaml", "\n".join(lines) + "\n"),
             ("catalog/release-trains.yaml", trains),
             (".gitignore", ".relman/logs/\n")]
    files += [("services/%s/VERSION" % name, "1.0.0\n") for name in names]
    if changelog:
        files += [("services/%s/CHANGELOG.md" % name, "# Changelog\n\n## 1.0.0\n\n- first release\n")
                  for name in names]
    when = 1_600_000_000
    commit(out, 1, 0, when, "chore: the platform", files)
    for name in names:
        tag(out, "%s-v1.0.0" % name, 1, when + 1)
    mark = 1
    for i in range(extra):
        mark += 1
        name = names[rng.randrange(services)]
        commit(out, mark, mark - 1, when + mark, "chore(%s): tidy %d" % (name, i),
               [("services/%s/notes.txt" % name, "tidy %d\n" % i)])
    for name in names:
        mark += 1
        commit(out, mark, mark - 1, when + mark, "feat(%s): more" % name,
               [("services/%s/src.txt" % name, "more\n")])


if __name__ == "__main__":
    kind, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    {"single": single, "behind": behind, "maintenance": maintenance,
     "monorepo": monorepo, "released": released, "catalog": catalog,
     "train": train}[kind](*args)
