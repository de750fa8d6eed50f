#!/usr/bin/env bash
# Automatic ARIMA on the 427 M3 monthly validation series with the tools at
# once, one thread each, so that each meets the same contention on a shared
# machine: supplyml forecast_batch with R's default rule for the
# approximation, supplyml with '{"approximation": true}' (two sessions of one
# private cluster), statsforecast AutoARIMA and, with ARIMA_CONCURRENT_R=1,
# R auto.arima. A tool that has finished spins on its core until all have.
# Each prints its CPU seconds (the backend's threads; the peers' processes),
# whose ratios are the result; then sMAPE and MASE of every tool (MASE scale:
# in-sample mean absolute lag-12 difference). Files: bench/out/arima_concurrent.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=$root/bench/out/arima_concurrent
rm -rf "$out"
mkdir -p "$out"
data=${SUPPLYML_DATA:-$root/data}
m3dir=$data
[ -e "$data/m3_validation/m3_monthly_test.csv" ] || m3dir=$root/tests/data
: > "$out/m4_train.csv"
: > "$out/m4_test.csv"
python3 bench/forecast/prepare_m3.py "$m3dir" "$out"
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import statsforecast' 2>/dev/null || bench/.venv/bin/pip install -q statsforecast==2.1.1 pandas
. scripts/private-cluster.sh
export PGDATABASE=postgres PGOPTIONS="-c supplyml.threads=1"
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/load.sql >/dev/null
. bench/timed_sql.sh

names=(supplyml supplyml_approx statsforecast)
[ "${ARIMA_CONCURRENT_R:-0}" = 1 ] && names+=(r)
all_done() {
  local t
  for t in "${names[@]}"; do [ -e "$out/$t.done" ] || return 1; done
}
run_tool() {  # NAME COMMAND...: runs it, then keeps its core busy until all are done
  local name=$1
  shift
  "$@" > "$out/$name.log" 2>&1 || echo "$name failed" >> "$out/$name.log"
  touch "$out/$name.done"
  while ! all_done; do :; done  # shell builtins only: no process started
}
supplyml() {  # SOURCE OPTIONS
  timed_sql "INSERT INTO m4.fc SELECT '$1', 'Monthly', series_key, step, point, method
    FROM supplyml.forecast_batch('SELECT id, month, value FROM m4.monthly', 18, 'arima', season => 12,
                                 options => '$2')"
  echo "$1: 427 series in $elapsed s = $(per_second 427 "$elapsed") series/s; CPU $cpu s = $(per_second 427 "$cpu") series per CPU second"
}
run_tool supplyml supplyml 'supplyml arima' '{}' &
run_tool supplyml_approx supplyml 'supplyml arima approximation' '{"approximation": true}' &
run_tool statsforecast bench/.venv/bin/python bench/forecast/peer_statsforecast.py \
  "$out/m4_train.csv" "$out/peer_sf_Monthly.csv" Monthly 12 18 1 AutoARIMA &
if [ ${#names[@]} = 4 ]; then
  run_tool r Rscript bench/forecast/peer_r_ets.R "$out/m4_train.csv" "$out/peer_r_Monthly.csv" \
    Monthly 12 18 1 "" auto.arima &
fi
wait
cat "$out"/*.log
for f in "$out"/peer_*_Monthly.csv; do
  psql -X -q -c "\\copy m4.fc (source, freq, id, step, point) FROM '$f' CSV"
done
psql -X -f bench/forecast/score.sql
