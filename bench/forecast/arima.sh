#!/usr/bin/env bash
# Automatic ARIMA on M3 monthly (validation part: 427 series, h 18, m 12) and
# M4 Weekly (359 series, h 13, m 1): supplyml forecast_batch (method arima)
# against statsforecast AutoARIMA and R forecast::auto.arima on the same
# series with the same number of threads; series per second, sMAPE and MASE
# (scale: in-sample lag-12 monthly, lag-1 weekly) of each, also on the
# series R forecast. Each timing is printed as elapsed time and as CPU time
# (the backend's threads; the peers' processes and workers), which a busy
# machine disturbs far less.
# Settings (environment): SUPPLYML_DATA (the data folder with m4/ and, if it
# has both parts, m3_validation/; default data/, M3 then from tests/data/), THREADS (2), ARIMA_SERIES (first N series of each set; all by
# default), ARIMA_R_SERIES (first N series of each set for R, which takes
# about 1.6 s a series on one core: 40 by default, "all" for every series),
# ARIMA_PEERS ("statsforecast r"; "none" keeps and scores the peers' forecasts
# of an earlier run, bench/out/arima/peer_{sf,r}_FREQ.csv, so that long peer
# runs can go first, in the background, with the commands below),
# ARIMA_SUPPLYML ("run"; "keep" scores supplyml's forecasts of an earlier run,
# bench/out/arima/supplyml_FREQ.csv, instead of computing them again),
# ARIMA_SETS ("Monthly Weekly": which sets to run), ARIMA_OPTIONS (the options
# jsonb of supplyml's forecast_batch, '{}' by default; e.g.
# '{"approximation": true}'), ARIMA_OUT (the folder of the run's files,
# bench/out/arima by default; one a run when runs go side by side).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
data=${SUPPLYML_DATA:-$root/data}
out=${ARIMA_OUT:-$root/bench/out/arima}
threads=${THREADS:-2}
peers=${ARIMA_PEERS:-statsforecast r}
r_series=${ARIMA_R_SERIES:-40}
[ "$r_series" = all ] && r_series=
mkdir -p "$out"

python3 bench/forecast/prepare.py "$data" "$out" "${ARIMA_SERIES:-}"
# data/ keeps only the M3 training part; tests/data/ has both parts.
m3dir=$data
[ -e "$data/m3_validation/m3_monthly_test.csv" ] || m3dir=$root/tests/data
python3 bench/forecast/prepare_m3.py "$m3dir" "$out" "${ARIMA_SERIES:-}"
. scripts/private-cluster.sh
export PGDATABASE=postgres PGOPTIONS="-c supplyml.threads=$threads"
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/load.sql

. bench/timed_sql.sh
arima_options=${ARIMA_OPTIONS:-'{}'}
for freq in ${ARIMA_SETS:-Monthly Weekly}; do
  if [ $freq = Monthly ]; then src='SELECT id, month, value FROM m4.monthly'; h=18; m=12
  else src='SELECT id, day, value FROM m4.weekly'; h=13; m=1; fi
  n=$(psql -X -q -At -c "SELECT count(DISTINCT id) FROM m4.train WHERE freq = '$freq'")
  if [ "${ARIMA_SUPPLYML:-run}" = keep ]; then
    psql -X -q -c "\\copy m4.fc FROM '$out/supplyml_$freq.csv' CSV"
  else
    timed_sql "INSERT INTO m4.fc SELECT 'supplyml arima', '$freq', series_key, step, point, method
      FROM supplyml.forecast_batch('$src', $h, 'arima', season => $m, options => '$arima_options')"
    echo "supplyml forecast_batch arima (options $arima_options) $freq: $n series in $elapsed s = $(per_second $n $elapsed) series/s ($threads threads); CPU $cpu s = $(per_second $n $cpu) series per CPU second"
    psql -X -q -c "\\copy (SELECT * FROM m4.fc WHERE source = 'supplyml arima' AND freq = '$freq') TO '$out/supplyml_$freq.csv' CSV"
  fi
  if [[ " $peers " == *" statsforecast "* ]]; then
    rm -f "$out/peer_sf_$freq.csv"
    [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
    bench/.venv/bin/python -c 'import statsforecast' 2>/dev/null || bench/.venv/bin/pip install -q statsforecast==2.1.1 pandas
    bench/.venv/bin/python bench/forecast/peer_statsforecast.py "$out/m4_train.csv" "$out/peer_sf_$freq.csv" $freq $m $h "$threads" AutoARIMA
  fi
  if [[ " $peers " == *" r "* ]]; then
    rm -f "$out/peer_r_$freq.csv"
    Rscript bench/forecast/peer_r_ets.R "$out/m4_train.csv" "$out/peer_r_$freq.csv" $freq $m $h "$threads" "$r_series" auto.arima
  fi
  for f in "$out/peer_sf_$freq.csv" "$out/peer_r_$freq.csv"; do
    [ -s "$f" ] && psql -X -q -c "\\copy m4.fc (source, freq, id, step, point) FROM '$f' CSV"
  done
done

echo "-- models chosen by supplyml"
psql -X -c "SELECT freq, method, count(*) AS series FROM m4.fc WHERE source = 'supplyml arima' AND step = 1
            GROUP BY 1, 2 ORDER BY 1, 3 DESC LIMIT 20"
echo "-- scores, all series"
psql -X -f bench/forecast/score.sql
if grep -q '^R auto.arima' "$out"/peer_r_*.csv 2>/dev/null; then
  echo "-- scores on the series R forecast"
  psql -X -c "CREATE TEMP VIEW r_ids AS SELECT DISTINCT freq, id FROM m4.fc WHERE source = 'R auto.arima'" \
       -c "DELETE FROM m4.fc WHERE (freq, id) NOT IN (SELECT * FROM r_ids)" -f bench/forecast/score.sql
fi
