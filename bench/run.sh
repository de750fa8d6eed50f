#!/usr/bin/env bash
# Runs every benchmark: bench/*/run.sh, one after the other.
set -euo pipefail
cd "$(dirname "$0")"
for b in */run.sh; do
  echo "== $b"
  "./$b"
done
