#!/usr/bin/env bash
# M3 monthly validation series (427 of 1,428, tests/data/m3_validation; Makridakis
# & Hibon 2000), h = 18, season 12: forecast_batch with each method, scored by
# sMAPE on the test periods beside the competition's official forecasts of the
# same series (bench/forecast/m3_validation.sql), and the series/s of auto and
# ets against statsforecast AutoETS with the same threads.
# Runs on a private cluster from a private installation.
# Settings (environment): THREADS (2), M3_METHODS ("naive ses theta damped ets auto"),
# M3_PEERS ("statsforecast"; "none" skips it).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=$root/bench/out/forecast
threads=${THREADS:-2}
methods=${M3_METHODS:-naive ses theta damped ets auto}
peers=${M3_PEERS:-statsforecast}
mkdir -p "$out"
python3 - "$root/tests/data/m3_validation" "$out" <<'PY'
import csv, os, sys
src, out = sys.argv[1], sys.argv[2]
def rows(name):
    with open(os.path.join(src, name), newline="") as f:
        r = csv.reader(f); next(r)
        for line in r: yield line[0], [v for v in line[1:] if v != ""]
with open(os.path.join(out, "m3_train.csv"), "w", newline="") as f:
    w = csv.writer(f)
    for sid, vals in rows("m3_monthly_train.csv"):
        for t, v in enumerate(vals): w.writerow(("Monthly", sid, t, v))
with open(os.path.join(out, "m3_test.csv"), "w", newline="") as f:
    w = csv.writer(f)
    for sid, vals in rows("m3_monthly_test.csv"):
        for t, v in enumerate(vals): w.writerow((sid, t + 1, v))
with open(os.path.join(out, "m3_official.csv"), "w", newline="") as f:
    w = csv.writer(f)
    for line in csv.reader(open(os.path.join(src, "m3_monthly_official_forecasts.csv"))):
        if line[0] == "method": continue
        for s, v in enumerate(line[2:]): w.writerow((line[0], line[1], s + 1, v))
PY
. scripts/private-cluster.sh
export PGDATABASE=postgres PGOPTIONS="-c supplyml.threads=$threads"
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/m3_validation.sql

. bench/timed_sql.sh
for method in $methods; do
  timed_sql "INSERT INTO m3.fc SELECT 'supplyml $method', series_key, step, point, method
    FROM supplyml.forecast_batch('SELECT id, month, value FROM m3.monthly', 18, '$method', season => 12)"
  echo "supplyml forecast_batch $method: 427 series in $elapsed s = $(per_second 427 $elapsed) series/s; CPU $cpu s = $(per_second 427 $cpu) series per CPU second"
done
if [[ " $peers " == *" statsforecast "* ]]; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/python -c 'import statsforecast' 2>/dev/null || bench/.venv/bin/pip install -q statsforecast==2.1.1 pandas
  rm -f "$out/m3_peers.csv"
  bench/.venv/bin/python bench/forecast/peer_statsforecast.py "$out/m3_train.csv" "$out/m3_peers.csv" Monthly 12 18 "$threads"
  psql -X -q -c "CREATE TEMP TABLE p (source text, freq text, id text, step int, point float8)" \
       -c "\\copy p FROM '$out/m3_peers.csv' CSV" -c "INSERT INTO m3.fc SELECT source, id, step, point, NULL FROM p"
fi
echo "-- sMAPE on the test periods (h 1-18), mean of per-series means"
psql -X -c "SELECT source, count(*) AS series, round(avg(smape)::numeric, 3) AS smape
  FROM (SELECT f.source, f.id, avg(200 * abs(a.value - f.point) / (abs(a.value) + abs(f.point))) AS smape
        FROM m3.fc f JOIN m3.test a USING (id, step) GROUP BY 1, 2) s
  GROUP BY source ORDER BY smape"
echo "-- what auto combined or chose"
psql -X -c "SELECT CASE WHEN method LIKE 'mean(%' THEN 'mean of ' || (SELECT count(*) FROM regexp_matches(regexp_replace(method, 'ETS\\([^)]*\\)', 'ETS', 'g'), ',', 'g')) + 1 || ' members'
                        ELSE method END AS auto_output, count(*) AS series
  FROM m3.fc WHERE source = 'supplyml auto' AND step = 1 GROUP BY 1 ORDER BY 2 DESC"
