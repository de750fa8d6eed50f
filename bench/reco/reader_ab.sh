#!/usr/bin/env bash
# mf_train end to end against (ALS fit + SELECT count(*) over the source), for
# two builds of supplyml.so on the same cluster and data, interleaved, so that
# a noisy machine affects both alike. Each run is a fresh backend, which loads
# the module file installed just before it.
#   bench/reco/reader_ab.sh INTERACTIONS.csv A.so B.so [rounds] [threads] [iterations]
# Prints one line per run: label, end-to-end seconds (mf_train's session,
# bench/timed_sql.sh), fit seconds, count(*) seconds (the statement's own
# time), ratio end to end / (fit + count), and the CPU seconds the backend
# (all its threads) spent in mf_train, which a loaded machine inflates less
# than the wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
csv=$(realpath "$1"); a=$(realpath "$2"); b=$(realpath "$3")
rounds=${4:-3}; threads=${5:-2}; iterations=${6:-3}
. scripts/private-cluster.sh
. bench/timed_sql.sh
createdb reco_ab
export PGDATABASE=reco_ab
pkglib=$("$bindir/pg_config" --pkglibdir)
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION supplyml;
CREATE TABLE pl (u bigint, i bigint, w float8);
\copy pl FROM '$csv' WITH (FORMAT csv)
VACUUM ANALYZE pl;
SQL
ms() { psql -X -q -At -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; }
for round in $(seq "$rounds"); do
  for label in A B; do
    so=$a; [ "$label" = B ] && so=$b
    rm -f "$pkglib/supplyml.so"; cp "$so" "$pkglib/supplyml.so"
    count_ms=$(ms 'SELECT count(*) FROM pl')
    timed_sql "SET supplyml.device = cpu; SET supplyml.threads = $threads;
      SELECT seconds FROM supplyml.mf_train('pl_$label', 'SELECT u, i, w FROM pl', factors => 64,
        iterations => $iterations, regularization => 0.01, alpha => 1)" >/dev/null
    fit=$(psql -X -At -c "SELECT metrics->>'fit_seconds' FROM supplyml.models WHERE name = 'pl_$label'")
    psql -X -q -At -c "SELECT supplyml.model_drop('pl_$label')" >/dev/null
    awk -v l="$label" -v r="$round" -v t="$elapsed" -v f="$fit" -v c="$count_ms" -v u="$cpu" 'BEGIN {
      printf "%s round %d: mf_train %.2f s, fit %.2f s, count(*) %.2f s, ratio %.2f, backend CPU %.2f s\n",
             l, r, t, f, c / 1000, t / (f + c / 1000), u }'
  done
done
