#!/usr/bin/env bash
# In-database figures of the recommender, on a throwaway cluster started from
# the private test installation (so no installed server is needed):
# mf_train end to end against (ALS fit time + SELECT count(*) over the source),
# the mf_fit aggregate, peak backend memory, recommend latency (p50, p95) and
# recommend_all throughput.
#   bench/reco/sql_bench.sh INTERACTIONS.csv [threads] [iterations]
# INTERACTIONS.csv: (user, item, weight) rows without header, e.g. from powerlaw.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
csv=$(realpath "$1")
threads=${2:-2}
iterations=${3:-3}
. scripts/private-cluster.sh
createdb reco_bench
export PGDATABASE=reco_bench
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -v ON_ERROR_STOP=1 -v csv="$csv" -v threads="$threads" -v iterations="$iterations" \
  -f bench/reco/sql_bench.sql
