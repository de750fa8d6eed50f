#!/usr/bin/env bash
# Inventory policies: supplyml's SQL functions against stockpyl on N random SKUs
# (default 2000; the exact (s,S) on the first 60). Same parameters on both sides; reports the largest relative
# difference of every result and the time ratio. Runs on a throwaway cluster
# from the private test installation, so it needs no server.
#   bench/inventory/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-2000}
BUILD=${BUILD:-build}
venv=bench/.venv
[ -x $venv/bin/python ] || python3 -m venv $venv
$venv/bin/python -c 'import stockpyl' 2>/dev/null || $venv/bin/pip install -q stockpyl
mkdir -p bench/out
csv=$(pwd)/bench/out/inventory_skus.csv
py_times=$($venv/bin/python bench/inventory/bench.py "$N" "$csv")

. scripts/private-cluster.sh
createdb bench
psql -X -q -d bench -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION supplyml;
SET supplyml.threads = 1;
CREATE TABLE sku (sku int, h float8, p float8, k float8, lam float8, sd float8, lead_time float8, pois float8,
                  eoq_q float8, nv_s float8, nv_c float8, rq_r float8, rq_q float8, rq_c float8,
                  ss_lo float8, ss_hi float8, ss_c float8);
\copy sku FROM '$csv' WITH (FORMAT csv, HEADER true, NULL '')
CREATE FUNCTION rel(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  \$\$ SELECT abs(a - b) / greatest(1.0, abs(b)) \$\$;
CREATE FUNCTION timed(q text, OUT seconds float8, OUT worst float8) LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN EXECUTE q INTO worst; seconds := extract(epoch FROM clock_timestamp() - t0); END \$\$;
\pset footer off
SELECT 'eoq' AS function, * FROM timed(\$q\$SELECT max(rel((supplyml.eoq(lam, k, h)).order_quantity, eoq_q)) FROM sku\$q\$)
UNION ALL
SELECT 'newsvendor', * FROM timed(\$q\$SELECT max(greatest(rel(n.order_up_to, nv_s), rel(n.expected_cost, nv_c)))
                                    FROM sku, supplyml.newsvendor(h, p, lam, sd) n\$q\$)
UNION ALL
SELECT 'rq_loss_function', * FROM timed(\$q\$SELECT max(greatest(rel((x).reorder_point, rq_r), rel((x).order_quantity, rq_q)))
       FROM (SELECT *, supplyml.rq_policy(h, p, k, lam, sd, lead_time, 'loss_function') x FROM sku) t\$q\$)
UNION ALL
SELECT 'rq_cost', * FROM timed(\$q\$SELECT max(rel(supplyml.rq_cost(rq_r, rq_q, h, p, k, lam, sd, lead_time), rq_c)) FROM sku\$q\$)
UNION ALL
SELECT 'ss_exact_poisson', * FROM timed(\$q\$SELECT max(CASE WHEN (x).reorder_point = ss_lo AND (x).order_up_to = ss_hi
                                                    THEN rel((x).expected_cost, ss_c) ELSE 1 END)
       FROM (SELECT *, supplyml.ss_policy(h, p, k, pois) x FROM sku WHERE ss_c IS NOT NULL) t\$q\$)
\g $dir/sql.txt
SQL
echo "inventory: $N SKUs; stockpyl seconds: $py_times"
$venv/bin/python - "$dir/sql.txt" "$py_times" <<'PY'
import json, sys
py = json.loads(sys.argv[2])
rows = [l.split('|') for l in open(sys.argv[1]).read().splitlines()[2:] if '|' in l]
print(f"{'function':18} {'stockpyl s':>11} {'supplyml s':>11} {'speed-up':>9} {'max rel diff':>13}")
for name, sec, worst in rows:
    name, sec, worst = name.strip(), float(sec), float(worst)
    print(f"{name:18} {py[name]:11.3f} {sec:11.4f} {py[name] / sec:9.0f} {worst:13.2e}")
PY
