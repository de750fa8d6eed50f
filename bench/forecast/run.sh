#!/usr/bin/env bash
# Forecasting on M4 Weekly (359 series, h 13, m 1) and Hourly (414, h 48, m 24):
#  1. accuracy: naive, snaive, ses, damped, theta and auto through forecast_batch,
#     scored with the M4 sMAPE / MASE beside the official table;
#  2. intermittent: the auto rule's methods per demand class on carparts
#     (backtest of SBA, TSB and Croston);
#  3. throughput: automatic ETS (method ets, R's AICc selection) and method
#     auto (holdout selection) through forecast_batch against statsforecast
#     AutoETS and R forecast::ets on the same series in the same run, with the
#     same number of threads; MASE of each; time of SELECT count(*) on the input;
#  4. arima: automatic ARIMA on M3 monthly and M4 weekly against statsforecast
#     AutoARIMA and R auto.arima (bench/forecast/arima.sh, its own settings).
# Runs on a private cluster from a private installation (scripts/tmp-install.sh);
# about 20 minutes on 2 busy cores with the defaults, most of it in the peers.
# Settings (environment): THREADS (2), FORECAST_SERIES (first N series of each
# frequency; all by default), FORECAST_FREQS ("Weekly Hourly"), FORECAST_PARTS ("accuracy intermittent throughput arima"),
# FORECAST_PEERS ("statsforecast r"; "none" keeps and scores the peers'
# forecasts of the previous run, bench/out/forecast/peers.csv), FORECAST_R_SERIES (first N series of each
# frequency for R's ets, which takes about 8 s per hourly series on one core:
# 40 by default, "all" for every series). Peers' MASE is also compared on R's
# subset.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
BUILD=${BUILD:-build}
data=$root/data
out=$root/bench/out/forecast
threads=${THREADS:-2}
parts=${FORECAST_PARTS:-accuracy intermittent throughput arima}
peers=${FORECAST_PEERS:-statsforecast r}
freqs=${FORECAST_FREQS:-Weekly Hourly}
r_series=${FORECAST_R_SERIES:-40}
[ "$r_series" = all ] && r_series=
mkdir -p "$out"

python3 bench/forecast/prepare.py "$data" "$out" "${FORECAST_SERIES:-}"
. scripts/private-cluster.sh
export PGDATABASE=postgres PGOPTIONS="-c supplyml.threads=$threads"
psql -X -q -c 'CREATE EXTENSION supplyml'
psql -X -q -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/load.sql

now() { date +%s.%N; }
. bench/timed_sql.sh
# batch LABEL FREQ METHOD: forecast_batch over one frequency into m4.fc; sets
# $elapsed and $cpu (timed_sql).
batch() {
  local label=$1 freq=$2 method=$3 src h m
  if [ "$freq" = Weekly ]; then src='SELECT id, day, value FROM m4.weekly'; h=13; m=1
  else src='SELECT id, ts, value FROM m4.hourly'; h=48; m=24; fi
  timed_sql "INSERT INTO m4.fc SELECT '$label', '$freq', series_key, step, point, method
    FROM supplyml.forecast_batch('$src', $h, '$method', season => $m)"
}

if [[ " $parts " == *" accuracy "* ]]; then
  echo "-- accuracy: forecast_batch, M4 conventions (weekly season 1, hourly season 24)"
  for method in naive ses damped theta auto; do
    for freq in $freqs; do
      batch "$method" $freq $method
      echo "supplyml $method $freq: $elapsed s"
    done
  done
  if [[ " $freqs " == *" Hourly "* ]]; then
    batch snaive Hourly snaive
    echo "supplyml snaive Hourly: $elapsed s (weekly: m = 1, snaive = naive)"
  fi
  psql -X -q -c "INSERT INTO m4.fc SELECT 'snaive', freq, id, step, point, method FROM m4.fc WHERE source = 'naive' AND freq = 'Weekly'"
  psql -X -c "SELECT freq, method, count(*) AS series FROM m4.fc WHERE source = 'auto' AND step = 1 GROUP BY 1, 2 ORDER BY 1 DESC, 3 DESC"
fi

if [[ " $parts " == *" intermittent "* ]]; then
  echo "-- intermittent demand: carparts, backtest per Syntetos-Boylan class"
  psql -X -v ON_ERROR_STOP=1 -v out_dir="$out" -f bench/forecast/intermittent.sql
fi

if [[ " $parts " == *" throughput "* ]]; then
  echo "-- throughput: automatic ETS, $threads threads"
  for freq in $freqs; do
    tbl=$( [ $freq = Weekly ] && echo m4.weekly || echo m4.hourly )
    t0=$(now); psql -X -q -At -c "SELECT count(*) FROM $tbl" >/dev/null; t1=$(now)
    n=$(psql -X -q -At -c "SELECT count(DISTINCT id) FROM $tbl")
    echo "SELECT count(*) FROM $tbl: $(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}') s"
    for method in ets auto; do
      batch "supplyml $method" $freq $method
      echo "supplyml forecast_batch $method $freq: $n series in $elapsed s = $(per_second $n $elapsed) series/s; CPU $cpu s = $(per_second $n $cpu) series per CPU second"
    done
  done
  [ "$peers" = none ] || rm -f "$out/peers.csv"
  if [[ " $peers " == *" statsforecast "* ]]; then
    [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
    bench/.venv/bin/python -c 'import statsforecast' 2>/dev/null || bench/.venv/bin/pip install -q statsforecast==2.1.1 pandas
    [[ " $freqs " == *" Weekly "* ]] && bench/.venv/bin/python bench/forecast/peer_statsforecast.py "$out/m4_train.csv" "$out/peers.csv" Weekly 1 13 "$threads"
    [[ " $freqs " == *" Hourly "* ]] && bench/.venv/bin/python bench/forecast/peer_statsforecast.py "$out/m4_train.csv" "$out/peers.csv" Hourly 24 48 "$threads"
  fi
  if [[ " $peers " == *" r "* ]]; then
    [[ " $freqs " == *" Weekly "* ]] && Rscript bench/forecast/peer_r_ets.R "$out/m4_train.csv" "$out/peers.csv" Weekly 1 13 "$threads" "$r_series"
    [[ " $freqs " == *" Hourly "* ]] && Rscript bench/forecast/peer_r_ets.R "$out/m4_train.csv" "$out/peers.csv" Hourly 24 48 "$threads" "$r_series"
  fi
  [ -s "$out/peers.csv" ] && psql -X -q -c "\\copy m4.fc (source, freq, id, step, point) FROM '$out/peers.csv' CSV"
fi

echo "-- scores (official M4: see bench/RESULTS.md)"
psql -X -f bench/forecast/score.sql
if [[ " $parts " == *" throughput "* ]] && grep -q '^R ets' "$out/peers.csv" 2>/dev/null; then
  echo "-- automatic ETS on the series R's ets forecast"
  psql -X -c "CREATE TEMP VIEW r_ids AS SELECT DISTINCT freq, id FROM m4.fc WHERE source = 'R ets'" \
       -c "DELETE FROM m4.fc WHERE source NOT IN ('supplyml ets', 'supplyml auto', 'statsforecast AutoETS', 'R ets')
             OR (freq, id) NOT IN (SELECT * FROM r_ids)" -f bench/forecast/score.sql
fi

if [[ " $parts " == *" arima "* ]]; then
  echo "-- automatic ARIMA (bench/forecast/arima.sh)"
  SUPPLYML_DATA="$data" THREADS="$threads" bash bench/forecast/arima.sh
fi
