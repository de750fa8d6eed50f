#!/usr/bin/env bash
# The demo: uses the server that libpq is configured for (PGHOST, PGPORT, ...)
# when one answers, else starts a private cluster under $BUILD/demo-cluster;
# creates database supplyml_demo, loads real sample data and runs
# scripts/demo/*.sql in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
root=$(pwd)

data_dir=$root/data

if ! psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
  dir=$root/$BUILD/demo-cluster
  if [ -f "$dir/data/postmaster.pid" ] && PGHOST=$dir psql -X -q -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
    echo "demo: using the private cluster already running in $dir"
  else
    rm -rf "$dir"
    echo "demo: no server configured; starting a private cluster in $dir"
    scripts/pgcluster.sh start "$dir" >/dev/null
  fi
  export PGHOST=$dir PGPORT=5432 PGUSER=postgres
  stop_hint="scripts/pgcluster.sh stop $dir"
fi

PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS supplyml_demo' -c 'CREATE DATABASE supplyml_demo'
export PGDATABASE=supplyml_demo
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION supplyml'
for f in scripts/demo/*.sql; do
  echo
  echo "==== $(basename "$f" .sql) ===="
  PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -v data_dir="$data_dir" -f "$f"
done
echo
echo "demo: done. Explore with: PGHOST=${PGHOST:-} PGPORT=${PGPORT:-5432} psql -U ${PGUSER:-$USER} supplyml_demo"
[ -n "${stop_hint:-}" ] && echo "demo: stop the private cluster with: $stop_hint"
exit 0
