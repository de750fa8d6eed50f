#!/usr/bin/env bash
# make bench: runs every bench/*/run.sh against the installed extension.
# Each benchmark compares with its peer on the same data in the same run and
# prints the figures that go into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")"
status=0
for b in */run.sh; do
  [ -e "$b" ] || continue
  echo "==== bench/$(dirname "$b") ===="
  bash "$b" || { echo "bench/$(dirname "$b") failed"; status=1; }
done
exit $status
