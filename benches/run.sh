#!/usr/bin/env bash
# relman's benchmarks: each figure is timed against its floor in the same run.
#
#   benches/run.sh            all of them (first run generates the repositories
#                             under target/bench/, about a minute)
#   RUNS=21 benches/run.sh    more runs per median
#   benches/run.sh --only train-100,next-maint   only those lines (ONLY=... too),
#                             generating only the repositories they need; the
#                             names: version next-single notes shapes maint-elsewhere
#                             catalog released mono checkpoint train-100
#                             train-1000 train-state-100 train-state-1000
#                             next-maint deploy
#
# Prints one line per benchmark: relman's median, the floor's median, the ratio
# and the target. Needs a release build (`cargo build --release`), git and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-11}
ONLY=${ONLY:-}
if [ "${1:-}" = "--only" ]; then ONLY=$2; fi
# Whether the line NAME is to be run.
want() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
BENCH=target/bench
RELMAN=${RELMAN:-$PWD/target/release/relman}
export RELMAN_NOW=2026-11-22T10:00:00Z NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
cargo build --release --quiet
mkdir -p "$BENCH"

generate() { # dir kind args...
  local dir=$1; shift
  [ -d "$dir/.git" ] && return
  echo "generating $dir ($*)" >&2
  rm -rf "$dir" && git init -q -b main "$dir"
  python3 benches/generate.py "$@" | git -C "$dir" fast-import --quiet
  git -C "$dir" checkout -q main
  git -C "$dir" pack-refs --all
  git -C "$dir" config user.name Bench && git -C "$dir" config user.email bench@relman.invalid
}

# One run's wall time in microseconds of a command (output discarded).
time_us() {
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))
}

# The median, in milliseconds, of times in microseconds.
middle() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'; }

# Median wall time in milliseconds of RUNS runs of a command.
median_ms() {
  local t=()
  for _ in $(seq "$RUNS"); do t+=("$(time_us "$@")"); done
  middle "${t[@]}"
}

# One line: relman's command against its floor's, run in turn RUNS times
# each, so that both meet the same host (this machine's speed drifts by
# tens of percent within a minute, which skews a ratio of medians taken
# one after the other). The two commands are separated by the first `--`.
paired() { # name target relman_command... -- floor_command...
  local name=$1 target=$2 mine=() floor=() a=() b=()
  shift 2
  while [ "$1" != "--" ]; do mine+=("$1"); shift; done
  shift
  floor=("$@")
  for _ in $(seq "$RUNS"); do
    a+=("$(time_us "${mine[@]}")")
    b+=("$(time_us "${floor[@]}")")
  done
  report "$name" "$(middle "${a[@]}")" "$(middle "${b[@]}")" "$target"
}

report() { # name relman_ms floor_ms target
  awk -v n="$1" -v r="$2" -v f="$3" -v t="$4" 'BEGIN {
    if (f > 0) printf "%-44s relman %8.1f ms   floor %8.1f ms   ratio %5.2fx   target %s\n", n, r, f, r / f, t;
    else       printf "%-44s relman %8.1f ms   %-35s target %s\n", n, r, "", t }'
}

# The maintenance shapes: release/1.x checked out.
maint() { # dir branch_commits
  [ -d "$1/.git" ] && return
  generate "$1" maintenance 200000 10000 4000 "$2"
  git -C "$1" checkout -q release/1.x
}
want shapes || want maint-elsewhere || want next-maint && maint "$BENCH/maint-200k" 50
want shapes || want next-maint && maint "$BENCH/maint4k-200k" 4000

want version && report "relman --version" "$(median_ms "$RELMAN" --version)" 0 "< 5 ms"
for size in 10k 200k; do
  want next-single || want notes || continue
  dir=$BENCH/single-$size
  case $size in
    10k) generate "$dir" single 10000 1000 ;;
    200k) generate "$dir" single 200000 10000 ;;
  esac
  last=$(git -C "$dir" tag -l 'v*' --sort=-v:refname | awk 'NR==1')
  want next-single && paired "next, $size commits" "<= 3x git rev-list --count" \
    "$RELMAN" -C "$dir" next -- git -C "$dir" rev-list --count "$last..HEAD"
  want notes && paired "notes --all (full changelog), $size commits" "<= 2x git log" \
    "$RELMAN" -C "$dir" notes --all -- git -C "$dir" log '--format=%H%x00%B'
done

# The shapes users have: the last tag far behind HEAD (with merges), and
# maintenance branches whose higher tags all live on main (cut 4,000 commits
# behind main's HEAD; with 4,000 and with 50 commits of their own). The
# floor is reading the messages of that range, which any tool must do.
want shapes && generate "$BENCH/behind-200k" behind 200000 10000 4000
for shape in behind maint4k maint; do
  want shapes || break
  dir=$BENCH/$shape-200k
  last=$(git -C "$dir" describe --tags --abbrev=0)
  n=$(git -C "$dir" rev-list --count "$last..HEAD")
  paired "next, $shape: $n commits since $last" "<= 2x git log --format=%B" \
    "$RELMAN" -C "$dir" next -- git -C "$dir" log --format=%B "$last..HEAD"
done
# On the maintenance branch every tag above its last one is on main. Telling
# that they are not in HEAD's history is git's own merge-base walk from
# main's newest tag down to the fork: the floor for any exact answer.
if want maint-elsewhere; then
  dir=$BENCH/maint-200k
  top=$(git -C "$dir" tag -l 'v*' --sort=-v:refname | awk 'NR==1')
  paired "next, maint: vs deciding $top is elsewhere" "<= 2x git merge-base" \
    "$RELMAN" -C "$dir" next -- git -C "$dir" merge-base --is-ancestor "$top" HEAD
fi

if want catalog; then
  dir=$BENCH/catalog-10k
  generate "$dir" catalog 10000 1000
  report "train plan, 10k services / 1k participants" "$(median_ms "$RELMAN" -C "$dir" train plan big)" 0 "< 100 ms"
  report "train validate, 10k services / 1k" "$(median_ms "$RELMAN" -C "$dir" train validate big)" 0 "< 200 ms"
fi

# Every service released before: 10,000 services under services/<2>/<name>,
# each tagged, half changed since, a train of 1,000 (issue "Fast at real
# monorepo scale"). The floor is git listing every commit's changed paths.
if want released; then
generate "$BENCH/released-15k" released 10000 1000 0
generate "$BENCH/released-115k" released 10000 1000 100000
for shape in released-15k released-115k; do
  dir=$BENCH/$shape
  paired "train plan, $shape, 1k of 10k services" "<= 1x git log --name-only" \
    "$RELMAN" -C "$dir" train plan big --format json -- git -C "$dir" log --format=%H --name-only
  paired "status, $shape, 10k services" "<= 1x git log --name-only" \
    "$RELMAN" -C "$dir" status -- git -C "$dir" log --format=%H --name-only
done
# The same history as a clone gets it: packed by git's pack-objects, whose
# deltas run from the newest objects back (fast-import's run forward).
dir=$BENCH/released-15k-repacked
if [ ! -d "$dir/.git" ]; then
  rm -rf "$dir" && cp -a "$BENCH/released-15k" "$dir"
  git -C "$dir" repack -adfq --window=10 --depth=50
fi
paired "train plan, released-15k repacked" "<= 1x git log --name-only" \
  "$RELMAN" -C "$dir" train plan big --format json -- git -C "$dir" log --format=%H --name-only
paired "status, released-15k repacked" "<= 1x git log --name-only" \
  "$RELMAN" -C "$dir" status -- git -C "$dir" log --format=%H --name-only
report "train validate, released-15k" "$(median_ms "$RELMAN" -C "$BENCH/released-15k" train validate big)" 0 "< 100 ms"
fi

if want mono; then
dir=$BENCH/mono-200k
generate "$dir" monorepo 200000 10000 100
oldest=""
for k in $(seq 0 99); do
  t=$(git -C "$dir" tag -l "s$k-v*" --sort=-v:refname | awk 'NR==1')
  c=$(git -C "$dir" rev-list -1 "$t")
  n=$(git -C "$dir" rev-list --count "$c")
  if [ -z "$oldest" ] || [ "$n" -lt "$oldest_n" ]; then oldest=$c; oldest_n=$n; fi
done
paths=()
for k in $(seq 0 99); do paths+=("services/s$k"); done
paired "status, 100 services, 200k commits" "<= 3x git log -- paths" \
  "$RELMAN" -C "$dir" status -- git -C "$dir" log --format=%H "$oldest..HEAD" -- "${paths[@]}"
# One service of that monorepo: its last tag lies some 2,000 commits back,
# a few dozen of them under its path. The floor reads those messages.
t=$(git -C "$dir" tag -l 's7-v*' --sort=-v:refname | awk 'NR==1')
paired "next s7, $(git -C "$dir" rev-list --count "$t..HEAD") commits since $t" "<= 2x git log -- path" \
  "$RELMAN" -C "$dir" next s7 -- git -C "$dir" log --format=%B "$t..HEAD" -- services/s7
fi

# A train run end to end: N participants, each released (version file,
# changelog-less, state checkpoint, audit line, commit, annotated tag) with
# no-op `release` and `health` hooks, then verified (health again). Every
# participant's last tag lies 10N commits of history behind HEAD. Timed
# from a staged copy. relman's own share is its time minus the hooks'
# (3N runs of `sh -c true`, timed here); the floor is what git itself takes
# to commit one file and make one annotated tag, N times, in a copy of the
# same staged repository.
train_run() { # n
  local n=$1
  local src=$BENCH/train-$n-h staged=$BENCH/train-$n-h-staged scratch=$BENCH/train-scratch
  generate "$src" train "$n" $((10 * n))
  if [ ! -d "$staged" ]; then
    cp -a "$src" "$staged"
    "$RELMAN" -C "$staged" -q train start run >/dev/null
    "$RELMAN" -C "$staged" -q train advance run >/dev/null
  fi
  local t=() s e
  for _ in 1 2 3; do
    rm -rf "$scratch" && cp -a "$staged" "$scratch"
    s=$(date +%s%N); "$RELMAN" -C "$scratch" -q train run run >/dev/null; e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  local mine hooks floor
  mine=$(printf '%s\n' "${t[@]}" | sort -n | awk 'NR==2 {printf "%.1f", $1/1000}')
  s=$(date +%s%N); for _ in $(seq $((3 * n))); do sh -c true; done; e=$(date +%s%N)
  hooks=$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.1f", (b - a) / 1e6}')
  # The floor: git committing one file and tagging it, N times, in the same
  # repository (its index, trees and refs are what relman's commits pay
  # for too), and for reference in a repository holding one file.
  floor=$(git_floor "$staged" "$scratch" "$n")
  rm -rf "$scratch" && git init -q "$scratch" && echo 0 > "$scratch/f" && git -C "$scratch" add f
  git -C "$scratch" -c user.name=B -c user.email=b@x commit -qm start
  local empty
  empty=$(git_floor "$scratch" "$scratch" "$n")
  rm -rf "$scratch"
  awk -v n="$n" -v m="$mine" -v h="$hooks" -v f="$floor" -v e="$empty" 'BEGIN {
    p = (m - h) / n
    printf "%-44s relman %8.2f ms   floor %8.2f ms   ratio %5.2fx   target <= 1x (per participant; run %.0f ms, hooks %.0f ms; floor in a one-file repository %.2f ms)\n",
      "train run, " n " participants", p, f, p / f, m, h, e }'
}

# What git takes, per release, to commit one file (each participant's
# VERSION, or `f`) with `git commit -a` and make an annotated tag, N times
# in a copy of repository `src`.
git_floor() { # src scratch n
  local src=$1 scratch=$2 n=$3 s e i=0
  if [ "$src" != "$scratch" ]; then
    rm -rf "$scratch" && cp -a "$src" "$scratch"
  fi
  local files
  files=$(git -C "$scratch" ls-files 'services/*/VERSION' | head -n "$n")
  if [ -z "$files" ]; then
    files=$(for _ in $(seq "$n"); do echo f; done)
  fi
  s=$(date +%s%N)
  for f in $files; do
    i=$((i + 1))
    echo "9.9.$i" > "$scratch/$f"
    git -C "$scratch" -c user.name=B -c user.email=b@x commit -qam "chore(release): v$i"
    git -C "$scratch" -c user.name=B -c user.email=b@x tag -a -m "v$i" "floor-v$i"
  done
  e=$(date +%s%N)
  awk -v a="$s" -v b="$e" -v n="$n" 'BEGIN {printf "%.2f", (b - a) / 1e6 / n}'
}
want train-100 && train_run 100
want train-1000 && train_run 1000

# A state checkpoint (serialise the state, temp file, fsync, rename, fsync
# of the folder) for trains of 10, 100 and 1,000 participants.
for n in 10 100 1000; do
  want checkpoint || break
  cargo bench --quiet --bench checkpoint -- "$n" 2>/dev/null | tail -1
done

# Issue 17, "a train's state that costs the same at its 1,000th participant"
# (docs/benchmarks.md, "Train state at scale"). N participants, each with a
# VERSION file and a changelog of its own, no-op `release` and `health`
# hooks (`true`), every last tag 1,000 commits behind HEAD. relman runs the
# staged train to the end (`train run`) in a fresh copy of the staged
# repository; its share is its time minus the hooks' (3N `sh -c true`,
# timed in the same round). The floor, in another fresh copy of the same
# repository, is a script that for each participant edits the same version
# file and changelog and runs `git commit -a` and `git tag -a`. Each round
# times relman, the floor and the hooks in turn (TRAIN_RUNS rounds, 3 by
# default); the medians are reported per participant, with the bytes each
# added under .git/objects (auto gc off for git, which relman never runs).
release_floor() { # dir n
  local dir=$1 n=$2 svc cl lines=()
  for svc in $(git -C "$dir" ls-files 'services/*/VERSION' | head -n "$n" | cut -d/ -f2); do
    echo 1.1.0 > "$dir/services/$svc/VERSION"
    cl=$dir/services/$svc/CHANGELOG.md
    mapfile -t lines < "$cl"
    {
      printf '%s\n\n## 1.1.0 (2026-11-22)\n\n### New Features\n\n- **%s:** more (0000000)\n' "${lines[0]}" "$svc"
      printf '%s\n' "${lines[@]:1}"
    } > "$cl"
    git -C "$dir" -c gc.auto=0 -c user.name=B -c user.email=b@x commit -a -q -m "chore(release): $svc-v1.1.0"
    git -C "$dir" -c gc.auto=0 -c user.name=B -c user.email=b@x tag -a -m "$svc-v1.1.0" -m "### New Features" -m "- **$svc:** more (0000000)" "$svc-v1.1.0"
  done
}
hooks_floor() { # n
  local i
  for i in $(seq $((3 * $1))); do sh -c true; done
}
objects_bytes() { du -sb "$1/.git/objects" | cut -f1; }
train_state() { # n
  local n=$1
  local src=$BENCH/train-state-$n staged=$BENCH/train-state-$n-staged
  local a=$BENCH/train-state-relman b=$BENCH/train-state-floor
  generate "$src" train "$n" $((1000 - n)) 1
  if [ ! -d "$staged" ]; then
    cp -a "$src" "$staged"
    "$RELMAN" -C "$staged" -q train start run >/dev/null
    "$RELMAN" -C "$staged" -q train advance run >/dev/null
  fi
  local mine=() floor=() hooks=() ob_m=() ob_f=() x
  for _ in $(seq "${TRAIN_RUNS:-3}"); do
    rm -rf "$a" && cp -a "$staged" "$a"
    x=$(objects_bytes "$a")
    mine+=("$(time_us "$RELMAN" -C "$a" -q train run run)")
    ob_m+=($(( $(objects_bytes "$a") - x )))
    if [ "$(git -C "$a" tag -l '*-v1.1.0' | wc -l)" != "$n" ] || [ -n "$(git -C "$a" status --porcelain)" ]; then
      echo "train run of $n did not release every participant" >&2; exit 1
    fi
    rm -rf "$b" && cp -a "$staged" "$b"
    x=$(objects_bytes "$b")
    floor+=("$(time_us release_floor "$b" "$n")")
    ob_f+=($(( $(objects_bytes "$b") - x )))
    [ "$(git -C "$b" tag -l '*-v1.1.0' | wc -l)" = "$n" ] || { echo "the floor did not tag $n" >&2; exit 1; }
    hooks+=("$(time_us hooks_floor "$n")")
  done
  rm -rf "$a" "$b"
  awk -v n="$n" -v m="$(middle "${mine[@]}")" -v h="$(middle "${hooks[@]}")" -v f="$(middle "${floor[@]}")" \
    -v om="$(middle "${ob_m[@]}")" -v of="$(middle "${ob_f[@]}")" 'BEGIN {
    p = (m - h) / n; q = f / n
    printf "%-44s relman %8.2f ms   floor %8.2f ms   ratio %5.2fx   target <= 1x (per participant; run %.0f ms, hooks %.0f ms, floor %.0f ms)\n",
      "train state, " n " participants", p, q, p / q, m, h, f
    printf "%-44s relman %8.0f KB   floor %8.0f KB   ratio %5.2fx   target <= 2x (%.0f / %.0f bytes a participant)\n",
      "  objects added, " n " participants", om, of, om / of, om * 1000 / n, of * 1000 / n }'
}
want train-state-100 && train_state 100
want train-state-1000 && train_state 1000

# `deploy` with no-op hooks (issue 22), at the 1st and at the 5,000th
# deployment in the ledger (the 4,999 before written directly by
# benches/ledger.py, with their audit records), against one `git commit` of
# one file with the git CLI in the same repository. Each run starts from a
# fresh copy, so every run is the 1st (or the 5,000th).
deploy_bench() { # n
  local n=$1 src=$BENCH/deploy-$1 a=$BENCH/deploy-relman b=$BENCH/deploy-floor
  if [ ! -d "$src/.git" ]; then
    rm -rf "$src" && git init -q -b main "$src"
    git -C "$src" config user.name Bench && git -C "$src" config user.email bench@relman.invalid
    printf 'project:\n  name: app\n  hooks:\n    deploy: [true]\n' > "$src/relman.yaml"
    printf 'environments:\n  order: [dev]\n' > "$src/upgrade-policies.yaml"
    printf 'paths:\n  policies: upgrade-policies.yaml\n' >> "$src/relman.yaml"
    printf '.relman/logs/\n' > "$src/.gitignore"
    echo 1.0.0 > "$src/VERSION"
    python3 benches/ledger.py "$src" "$n"
    git -C "$src" add -A && git -C "$src" commit -q -m "chore: $((n - 1)) deployments"
    git -C "$src" tag -a -m v1.0.0 v1.0.0
  fi
  local mine=() floor=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$a" "$b" && cp -a "$src" "$a" && cp -a "$src" "$b"
    # A copy's index has stale stat data (new inodes): refreshed untimed in
    # both, or git's commit would hash every file again.
    git -C "$a" update-index -q --refresh && git -C "$b" update-index -q --refresh
    mine+=("$(time_us "$RELMAN" -C "$a" -q deploy 1.0.0 dev)")
    grep -q "^count: $n\$" "$a/.relman/state/environments/dev.yaml" || { echo "deploy $n was not recorded" >&2; exit 1; }
    [ -z "$(git -C "$a" status --porcelain)" ] || { echo "deploy $n left the tree dirty" >&2; exit 1; }
    echo x >> "$b/VERSION"
    floor+=("$(time_us git -C "$b" -c gc.auto=0 commit -q -m deploy -- VERSION)")
  done
  rm -rf "$a" "$b"
  report "deploy, deployment $n in the ledger" "$(middle "${mine[@]}")" "$(middle "${floor[@]}")" "<= 1x one git commit of one file"
}
if want deploy; then
  deploy_bench 1
  deploy_bench 5000
fi

# `next` on a maintenance branch (release/1.x cut 4,000 commits behind main's
# HEAD, 200,000 commits and 10,000 tags on main; 50 and 4,000 commits of its
# own), against the shortest script that answers the same: the highest
# `v*` tag merged into HEAD, then the messages since it. Each shape without
# and with a commit-graph (`git commit-graph write --reachable`, in a copy).
next_floor() { # dir
  local t
  t=$(git -C "$1" tag --merged HEAD --list 'v*' | sort -V | tail -1)
  git -C "$1" log --format=%B "$t..HEAD"
}
if want next-maint; then
  for shape in maint maint4k; do
    dir=$BENCH/$shape-200k cg=$BENCH/$shape-200k-graph
    if [ ! -d "$cg/.git" ]; then
      cp -a "$dir" "$cg" && git -C "$cg" commit-graph write --reachable
    fi
    last=$(git -C "$dir" describe --tags --abbrev=0)
    n=$(git -C "$dir" rev-list --count "$last..HEAD")
    [ -e "$dir/.git/objects/info/commit-graph" ] && { echo "$dir has a commit-graph" >&2; exit 1; }
    paired "next, $shape ($n since $last)" "<= 1.5x tag --merged + log" \
      "$RELMAN" -C "$dir" next -- next_floor "$dir"
    paired "next, $shape, commit-graph" "<= 1.5x tag --merged + log" \
      "$RELMAN" -C "$cg" next -- next_floor "$cg"
  done
fi
# Metrics and report (issue 21). `metrics` over a window holding the whole
# history (200,000 commits, 10,000 tags), against what git takes to list
# the tags with their dates and the commits of the window with their
# author times; `report` on 10,000 services and a train of 1,000.
if want metrics; then
  dir=$BENCH/single-200k
  paired "metrics, 200k commits / 10k tags" "<= 2x for-each-ref + git log" \
    "$RELMAN" -C "$dir" metrics --since 2020-09-01 --until 2020-10-01 -- \
    sh -c "git -C '$dir' for-each-ref --format='%(creatordate:unix) %(refname)' refs/tags && git -C '$dir' log --format=%H%x00%at --since=2020-09-01 --until=2020-10-01"
fi
if want report; then
  dir=$BENCH/catalog-10k
  report "report, 10k services / 1k participants" \
    "$(median_ms "$RELMAN" -C "$dir" report --out "$PWD/$BENCH/catalog-10k-report.html")" 0 "< 1000 ms"
fi
