#!/usr/bin/env bash
# Automatic ARIMA with the tools at once, one thread each, so that each meets
# the same contention on a shared machine, on the sets named in ARIMA_SETS
# (default Monthly; one run each, one after the other):
# - Monthly, the 427 M3 monthly validation series (h 18, m 12): supplyml
#   forecast_batch with R's default rule for the approximation and with
#   '{"approximation": true}';
# - Weekly, the 359 M4 weekly series (h 13, m 1): supplyml with
#   '{"approximation": false}' (an exact-likelihood search, statsforecast's
#   own setting) and with R's default rule (which approximates when n > 150);
# the two supplyml runs in two sessions of one private cluster, beside
# statsforecast AutoARIMA and, with ARIMA_CONCURRENT_R=1, R auto.arima (on
# Weekly with approximation = FALSE, the setting of statsforecast and of the
# first supplyml run) and, with ARIMA_SF_R_CHECK=1, statsforecast once more
# with R's near-unit-root test (SF_R_ROOT_CHECK in
# bench/forecast/peer_statsforecast.py). A tool that has finished spins on its
# core until all have. Each prints its CPU
# seconds (the backend's threads; the peers' processes), whose ratios are the
# result; then sMAPE and MASE of every tool (MASE scale: in-sample mean
# absolute lag-m difference). Files: bench/out/arima_concurrent.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=$root/bench/out/arima_concurrent
rm -rf "$out"
mkdir -p "$out"
data=${SUPPLYML_DATA:-$root/data}
m3dir=$data
[ -e "$data/m3_validation/m3_monthly_test.csv" ] || m3dir=$root/tests/data
sets=${ARIMA_SETS:-Monthly}
if [[ " $sets " == *" Weekly "* ]]; then
  python3 bench/forecast/prepare.py "$data" "$out"
else
  : > "$out/m4_train.csv"
  : > "$out/m4_test.csv"
fi
[[ " $sets " == *" Monthly "* ]] && python3 bench/forecast/prepare_m3.py "$m3dir" "$out"
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import statsforecast' 2>/dev/null || bench/.venv/bin/pip install -q statsforecast==2.1.1 pandas
. scripts/private-cluster.sh
export PGDATABASE=postgres PGOPTIONS="-c supplyml.threads=1"
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/load.sql >/dev/null
. bench/timed_sql.sh

names=(supplyml supplyml_approx statsforecast)
[ "${ARIMA_CONCURRENT_R:-0}" = 1 ] && names+=(r)
[ "${ARIMA_SF_R_CHECK:-0}" = 1 ] && names+=(statsforecast_rcheck)
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
  timed_sql "INSERT INTO m4.fc SELECT '$1', '$freq', series_key, step, point, method
    FROM supplyml.forecast_batch('$src', $h, 'arima', season => $m, options => '$2')"
  echo "$1 ($freq): $n series in $elapsed s = $(per_second $n "$elapsed") series/s; CPU $cpu s = $(per_second $n "$cpu") series per CPU second"
}
for freq in $sets; do
  if [ $freq = Monthly ]; then
    src='SELECT id, month, value FROM m4.monthly'; h=18; m=12; r_model=auto.arima
    first=('supplyml arima' '{}') second=('supplyml arima approximation' '{"approximation": true}')
  else
    src='SELECT id, day, value FROM m4.weekly'; h=13; m=1; r_model=auto.arima-exact
    first=('supplyml arima exact' '{"approximation": false}') second=('supplyml arima' '{}')
  fi
  n=$(psql -X -q -At -c "SELECT count(DISTINCT id) FROM m4.train WHERE freq = '$freq'")
  rm -f "$out"/*.done
  run_tool supplyml supplyml "${first[@]}" &
  run_tool supplyml_approx supplyml "${second[@]}" &
  run_tool statsforecast bench/.venv/bin/python bench/forecast/peer_statsforecast.py \
    "$out/m4_train.csv" "$out/peer_sf_$freq.csv" $freq $m $h 1 AutoARIMA &
  if [ "${ARIMA_SF_R_CHECK:-0}" = 1 ]; then
    SF_R_ROOT_CHECK=1 run_tool statsforecast_rcheck bench/.venv/bin/python \
      bench/forecast/peer_statsforecast.py "$out/m4_train.csv" "$out/peer_sfr_$freq.csv" \
      $freq $m $h 1 AutoARIMA &
  fi
  if [ "${ARIMA_CONCURRENT_R:-0}" = 1 ]; then
    run_tool r Rscript bench/forecast/peer_r_ets.R "$out/m4_train.csv" "$out/peer_r_$freq.csv" \
      $freq $m $h 1 "" $r_model &
  fi
  wait
  for t in "${names[@]}"; do cp "$out/$t.log" "$out/${t}_$freq.log"; cat "$out/$t.log"; done
  for f in "$out"/peer_*_$freq.csv; do
    psql -X -q -c "\\copy m4.fc (source, freq, id, step, point) FROM '$f' CSV"
  done
done
psql -X -f bench/forecast/score.sql
