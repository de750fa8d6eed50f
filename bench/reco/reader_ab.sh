#!/usr/bin/env bash
# mf_train end to end against (ALS fit + SELECT count(*) over the source), for
# two builds of supplyml.so on the same cluster and data, interleaved, so that
# a noisy machine affects both alike. Each run is a fresh backend, which loads
# the module file installed just before it.
#   bench/reco/reader_ab.sh INTERACTIONS.csv A.so B.so [rounds] [threads] [iterations]
# Prints one line per run: label, end-to-end seconds, fit seconds, count(*)
# seconds, ratio end to end / (fit + count), and the CPU seconds the backend
# process (all its threads) spent in mf_train, which a loaded machine
# inflates less than the wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
csv=$(realpath "$1"); a=$(realpath "$2"); b=$(realpath "$3")
rounds=${4:-3}; threads=${5:-2}; iterations=${6:-3}
. scripts/private-cluster.sh
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
    run=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
SET supplyml.device = cpu;
SET supplyml.threads = $threads;
\! awk '{ print "cpu0", \$14 + \$15 }' /proc/\$BPID/stat
\timing on
SELECT seconds FROM supplyml.mf_train('pl_$label', 'SELECT u, i, w FROM pl', factors => 64,
  iterations => $iterations, regularization => 0.01, alpha => 1);
\timing off
\! awk '{ print "cpu1", \$14 + \$15 }' /proc/\$BPID/stat
SQL
)
    train_ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$run" | tail -1)
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu0" { a = $2 } $1 == "cpu1" { b = $2 } END { printf "%.2f", (b - a) / hz }' <<<"$run")
    fit=$(psql -X -At -c "SELECT metrics->>'fit_seconds' FROM supplyml.models WHERE name = 'pl_$label'")
    psql -X -q -At -c "SELECT supplyml.model_drop('pl_$label')" >/dev/null
    awk -v l="$label" -v r="$round" -v t="$train_ms" -v f="$fit" -v c="$count_ms" -v u="$cpu" 'BEGIN {
      printf "%s round %d: mf_train %.2f s, fit %.2f s, count(*) %.2f s, ratio %.2f, backend CPU %.2f s\n",
             l, r, t / 1000, f, c / 1000, (t / 1000) / (f + c / 1000), u }'
  done
done
