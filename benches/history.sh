#!/usr/bin/env bash
# Reading history, before and after a change: each line times an earlier
# relman build (BEFORE), this one (RELMAN) and the line's floor in turn,
# RUNS times each, so that all three meet the same host; medians, and each
# build's ratio to the floor. Every line runs without and with a
# commit-graph (the `-cg` copy of the repository).
#
#   BEFORE=/path/to/old/relman RELMAN=target/release/relman benches/history.sh
#
# Uses the repositories benches/run.sh generates under target/bench/
# (behind-200k, maint-200k, released-15k); run it once first.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
BENCH=target/bench
RELMAN=${RELMAN:-$PWD/target/release/relman}
BEFORE=${BEFORE:?set BEFORE to the relman binary to compare with}
export RELMAN_NOW=2026-11-22T10:00:00Z NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1

time_us() {
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))
}
middle() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'; }

# A copy of DIR with a commit-graph, made once.
with_graph() {
  local cg=$1-cg
  if [ ! -e "$cg/.git/objects/info/commit-graph" ]; then
    rm -rf "$cg" && cp -a "$1" "$cg" && git -C "$cg" commit-graph write --reachable
  fi
}

# name target dir relman-args... -- floor-command... (`DIR` in the floor is
# replaced by the repository).
line() {
  local name=$1 target=$2 dir=$3 args=() floor=()
  shift 3
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  floor=("$@")
  local dirs=("$dir")
  [ -d "$dir-cg" ] && dirs+=("$dir-cg")
  for d in "${dirs[@]}"; do
    local a=() b=() f=() fl=()
    for x in "${floor[@]}"; do fl+=("${x//DIR/$d}"); done
    for _ in $(seq "$RUNS"); do
      a+=("$(time_us "$BEFORE" -C "$d" "${args[@]}")")
      b+=("$(time_us "$RELMAN" -C "$d" "${args[@]}")")
      f+=("$(time_us "${fl[@]}")")
    done
    awk -v n="$name$([ "$d" != "$dir" ] && echo ', commit-graph')" -v o="$(middle "${a[@]}")" \
      -v r="$(middle "${b[@]}")" -v f="$(middle "${f[@]}")" -v t="$target" 'BEGIN {
      printf "%-40s floor %8.1f ms   before %8.1f ms (%5.2fx)   after %8.1f ms (%5.2fx)   target %s\n",
        n, f, o, o / f, r, r / f, t }'
  done
}

next_floor() { # dir
  local t
  t=$(git -C "$1" tag --merged HEAD --list 'v*' | sort -V | tail -1)
  git -C "$1" log --format=%B "$t..HEAD"
}
export -f next_floor

for r in behind-200k maint-200k released-15k; do with_graph "$BENCH/$r"; done

dir=$BENCH/behind-200k
last=$(git -C "$dir" describe --tags --abbrev=0)
line "next, behind-200k" "<= 1.5x" "$dir" next -- git -C DIR log --format=%B "$last..HEAD"
dir=$BENCH/maint-200k
line "next, maint-200k" "<= 1.5x" "$dir" next -- bash -c 'next_floor DIR'
top=$(git -C "$dir" tag -l 'v*' --sort=-v:refname | awk 'NR==1')
line "next, maint-200k vs merge-base" "<= 2x" "$dir" next -- git -C DIR merge-base --is-ancestor "$top" HEAD
dir=$BENCH/released-15k
line "train plan, released-15k" "<= 1x" "$dir" train plan big --format json -- git -C DIR log --format=%H --name-only
line "status, released-15k" "reported" "$dir" status -- git -C DIR log --format=%H --name-only
# The same history as a clone gets it: packed by git's pack-objects, whose
# deltas run from the newest objects back (fast-import's run forward).
dir=$BENCH/released-15k-repacked
if [ ! -d "$dir/.git" ]; then
  cp -a "$BENCH/released-15k" "$dir" && git -C "$dir" repack -adfq --window=10 --depth=50
fi
line "train plan, released-15k repacked" "<= 1x" "$dir" train plan big --format json -- git -C DIR log --format=%H --name-only
line "status, released-15k repacked" "reported" "$dir" status -- git -C DIR log --format=%H --name-only
