#!/usr/bin/env bash
# A CI job that releases a project when its commits ask for it.
# relman never prompts without a terminal, and its exit codes say what
# happened: 0 released, 1 nothing to release, 2 bad input, 3 the
# repository refused, 4 a hook failed.
set -uo pipefail

# The reasoning goes to the job log: the version, the bump, the commits.
relman next || exit $?
relman create auto --yes
case $? in
  0) echo "released; publishing"
     # relman never pushes: the branch and its tag go together or not at all.
     git push --atomic origin HEAD "$(git describe --tags --exact-match)" ;;
  1) echo "nothing to release" ;;
  *) echo "release refused" >&2; exit 1 ;;
esac
