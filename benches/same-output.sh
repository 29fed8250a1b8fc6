#!/usr/bin/env bash
# Are two relman builds' outputs the same, byte for byte? Runs read-only
# commands (human and JSON) with BEFORE and AFTER on two fixture
# repositories made from examples/ (deterministic dates, tags, a merge) and
# on the benchmark repositories under target/bench/, and compares stdout,
# stderr and the exit code of each with cmp. Prints one line per command.
#
#   BEFORE=/path/old/relman AFTER=target/release/relman benches/same-output.sh
set -uo pipefail
cd "$(dirname "$0")/.."
BEFORE=${BEFORE:?}
AFTER=${AFTER:?}
FX=$(mktemp -d)
trap 'rm -rf "$FX"' EXIT
(
set -euo pipefail
src=$PWD/examples
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@x GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@x
t=1700000000
c() { t=$((t+60)); GIT_AUTHOR_DATE="$t +0100" GIT_COMMITTER_DATE="$t +0100" git commit -q --allow-empty -m "$1"; }
edit() { echo "$2" >> "$1"; git add -A; c "$2"; }
cp -r $src/monorepo $FX/mono && cd $FX/mono && git init -q -b main && git add -A && c "chore: init"
git tag ledger-v1.0.0 && git tag -a -m p payments-v1.0.0
for i in $(seq 1 30); do
  case $((i % 5)) in
    0) edit services/ledger/f.txt "feat(ledger): thing $i";;
    1) edit services/payments/f.txt "fix(payments): bug $i";;
    2) edit README.txt "docs: words $i";;
    3) edit services/ledger/g.txt "fix(ledger): other $i";;
    4) edit services/payments/g.txt "feat(payments)!: break $i";;
  esac
  [ $i = 10 ] && git tag ledger-v1.1.0
  [ $i = 15 ] && { git checkout -q -b topic; edit services/ledger/t.txt "feat(ledger): topic a"; edit services/payments/t.txt "fix(payments): topic b"; git checkout -q main; edit services/ledger/m.txt "fix(ledger): on main"; t=$((t+60)); GIT_COMMITTER_DATE="$t +0100" GIT_AUTHOR_DATE="$t +0100" git merge -q --no-ff -m "Merge branch 'topic'" topic; }
  [ $i = 20 ] && git tag -a -m p payments-v2.0.0
done
git pack-refs --all
cp -r $src/single-project $FX/single && cd $FX/single && git init -q -b main && git add -A && c "chore: init" && git tag v0.1.0
for i in $(seq 1 25); do edit src$((i%3)).txt "$([ $((i%4)) = 0 ] && echo feat || echo fix): change $i"; [ $i = 12 ] && git tag -a -m r v0.2.0; done
)
export RELMAN_NOW=2026-11-22T10:00:00Z NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
out=$FX/out; mkdir -p $out
same=0; diff=0
run() { # dir args...
  local dir=$1; shift
  [ -d "$dir/.git" ] || return 0
  local key; key=$(echo "$(basename $dir) $*" | tr ' /' '__')
  for side in before after; do
    local bin=$BEFORE; [ $side = after ] && bin=$AFTER
    (cd "$dir" && timeout 600 "$bin" "$@" >"$out/$key.$side.out" 2>"$out/$key.$side.err"; echo $? >"$out/$key.$side.rc")
  done
  if cmp -s "$out/$key.before.out" "$out/$key.after.out" && cmp -s "$out/$key.before.err" "$out/$key.after.err" && cmp -s "$out/$key.before.rc" "$out/$key.after.rc"; then
    same=$((same+1)); printf 'same  %-60s rc=%s out=%s bytes\n' "$(basename $dir) $*" "$(cat $out/$key.after.rc)" "$(wc -c <$out/$key.after.out)"
  else
    diff=$((diff+1)); printf 'DIFF  %-60s\n' "$(basename $dir) $*"
  fi
}
B=$PWD/target/bench
common=("status" "status --format json" "next" "next --format json" "notes --all" "notes --all --format json")
for d in $FX/single $FX/mono $B/behind-200k $B/behind-200k-cg $B/maint-200k $B/released-15k $B/released-15k-cg $B/catalog-10k; do
  for c in "${common[@]}"; do run $d $c; done
done
for d in $FX/mono; do
  run $d next ledger; run $d next payments --format json; run $d notes ledger
  run $d train plan payments-2026.49; run $d train plan payments-2026.49 --format json
done
for d in $B/released-15k $B/released-15k-cg $B/catalog-10k; do
  run $d train plan big; run $d train plan big --format json
done
echo "same $same, different $diff"
[ "$diff" = 0 ]
