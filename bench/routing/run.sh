#!/usr/bin/env bash
# Routing benchmarks (make bench): scoring throughput of route_score against
# plain SQL, and route_optimize against OR-Tools routing at equal time on
# TSPLIB instances. Uses the server libpq points at, else a private cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
BUILD=${BUILD:-build}
data_dir=$root/tests/data
venv=bench/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import ortools' 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q ortools
fi

if ! psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
  dir=$root/$BUILD/bench-cluster
  rm -rf "$dir"
  scripts/pgcluster.sh start "$dir" >/dev/null
  trap 'scripts/pgcluster.sh stop "$dir"' EXIT
  export PGHOST=$dir PGPORT=5432 PGUSER=postgres
fi
PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres \
  -c 'DROP DATABASE IF EXISTS supplyml_bench_routing' -c 'CREATE DATABASE supplyml_bench_routing'
export PGDATABASE=supplyml_bench_routing
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v data_dir="$data_dir" -f tests/fixtures/routing_load.sql

echo "== scoring throughput"
psql -X -v ON_ERROR_STOP=1 -f bench/routing/score.sql

echo "== route_optimize (supplyml, time_limit) vs OR-Tools (guided local search, same limit)"
for budget in ${ROUTING_BUDGETS:-0.5 2}; do
  psql -X -v ON_ERROR_STOP=1 -v budget="$budget" -f bench/routing/optimize.sql
  echo "OR-Tools: instance budget_s length wall_s"
  for inst in eil51 berlin52 kroA100; do
    "$venv/bin/python" bench/routing/ortools_tsp.py "$data_dir" "$inst" "$budget"
  done
done
psql -X -q -d postgres -c 'DROP DATABASE supplyml_bench_routing'
