#!/usr/bin/env bash
# relman's benchmarks: each figure is timed against its floor in the same run.
#
#   benches/run.sh            all of them (first run generates the repositories
#                             under target/bench/, about a minute)
#   RUNS=21 benches/run.sh    more runs per median
#
# Prints one line per benchmark: relman's median, the floor's median, the ratio
# and the target. Needs a release build (`cargo build --release`), git and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-11}
BENCH=target/bench
RELMAN=$PWD/target/release/relman
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

generate "$BENCH/single-10k" single 10000 1000
generate "$BENCH/single-200k" single 200000 10000
generate "$BENCH/mono-200k" monorepo 200000 10000 100
generate "$BENCH/catalog-10k" catalog 10000 1000
generate "$BENCH/released-15k" released 10000 1000 0
generate "$BENCH/released-115k" released 10000 1000 100000
generate "$BENCH/behind-200k" behind 200000 10000 4000
generate "$BENCH/maint-200k" maintenance 200000 10000 4000 50
generate "$BENCH/maint4k-200k" maintenance 200000 10000 4000 4000
git -C "$BENCH/maint-200k" checkout -q release/1.x
git -C "$BENCH/maint4k-200k" checkout -q release/1.x

report "relman --version" "$(median_ms "$RELMAN" --version)" 0 "< 5 ms"
for size in 10k 200k; do
  dir=$BENCH/single-$size
  last=$(git -C "$dir" tag -l 'v*' --sort=-v:refname | awk 'NR==1')
  paired "next, $size commits" "<= 3x git rev-list --count" \
    "$RELMAN" -C "$dir" next -- git -C "$dir" rev-list --count "$last..HEAD"
  paired "notes --all (full changelog), $size commits" "<= 2x git log" \
    "$RELMAN" -C "$dir" notes --all -- git -C "$dir" log '--format=%H%x00%B'
done

# The shapes users have: the last tag far behind HEAD (with merges), and
# maintenance branches whose higher tags all live on main (cut 4,000 commits
# behind main's HEAD; with 4,000 and with 50 commits of their own). The
# floor is reading the messages of that range, which any tool must do.
for shape in behind maint4k maint; do
  dir=$BENCH/$shape-200k
  last=$(git -C "$dir" describe --tags --abbrev=0)
  n=$(git -C "$dir" rev-list --count "$last..HEAD")
  paired "next, $shape: $n commits since $last" "<= 2x git log --format=%B" \
    "$RELMAN" -C "$dir" next -- git -C "$dir" log --format=%B "$last..HEAD"
done
# On the maintenance branch every tag above its last one is on main. Telling
# that they are not in HEAD's history is git's own merge-base walk from
# main's newest tag down to the fork: the floor for any exact answer.
dir=$BENCH/maint-200k
top=$(git -C "$dir" tag -l 'v*' --sort=-v:refname | awk 'NR==1')
paired "next, maint: vs deciding $top is elsewhere" "<= 2x git merge-base" \
  "$RELMAN" -C "$dir" next -- git -C "$dir" merge-base --is-ancestor "$top" HEAD

dir=$BENCH/catalog-10k
report "train plan, 10k services / 1k participants" "$(median_ms "$RELMAN" -C "$dir" train plan big)" 0 "< 100 ms"
report "train validate, 10k services / 1k" "$(median_ms "$RELMAN" -C "$dir" train validate big)" 0 "< 200 ms"

# Every service released before: 10,000 services under services/<2>/<name>,
# each tagged, half changed since, a train of 1,000 (issue "Fast at real
# monorepo scale"). The floor is git listing every commit's changed paths.
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

dir=$BENCH/mono-200k
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
train_run 100
train_run 1000

# A state checkpoint (serialise the state, temp file, fsync, rename, fsync
# of the folder) for trains of 10, 100 and 1,000 participants.
for n in 10 100 1000; do
  cargo bench --quiet --bench checkpoint -- "$n" 2>/dev/null | tail -1
done

# Metrics and report (issue 21). `metrics` over a window holding the whole
# history (200,000 commits, 10,000 tags), against what git takes to list
# the tags with their dates and the commits of the window with their
# author times; `report` on 10,000 services and a train of 1,000.
dir=$BENCH/single-200k
paired "metrics, 200k commits / 10k tags" "<= 2x for-each-ref + git log" \
  "$RELMAN" -C "$dir" metrics --since 2020-09-01 --until 2020-10-01 -- \
  sh -c "git -C '$dir' for-each-ref --format='%(creatordate:unix) %(refname)' refs/tags && git -C '$dir' log --format=%H%x00%at --since=2020-09-01 --until=2020-10-01"
dir=$BENCH/catalog-10k
report "report, 10k services / 1k participants" \
  "$(median_ms "$RELMAN" -C "$dir" report --out "$PWD/$BENCH/catalog-10k-report.html")" 0 "< 1000 ms"
