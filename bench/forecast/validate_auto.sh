#!/usr/bin/env bash
# Chooses the rule of forecasting method auto on validation cuts only: every
# training series of M3 monthly (validation part, h 18, season 12), M4 Weekly
# (h 13, season 1) and M4 Hourly (h 48, season 24) loses its last h periods,
# which become the target, and each candidate rule (bench/forecast/validate_auto.cpp)
# forecasts them from what is before. Neither the M3 test periods nor the M4
# test files are read. Scores: sMAPE and MASE (in-sample lag-12 monthly, lag-1
# weekly, lag-24 hourly) per series, averaged; plus the seconds each member's
# fits took.
# Settings (environment): SUPPLYML_DATA (a data folder with m4/ and
# m3_validation/; default data/, M3 from tests/data/), THREADS (2),
# VALIDATE_SETS ("Monthly Weekly Hourly"), VALIDATE_SERIES (first N series of
# each set; all by default), VALIDATE_HOURLY_SERIES (first N hourly series: 60),
# VALIDATE_HOURLY_ARIMA (first N hourly series on which the rules with ARIMA
# are scored too: 10; an automatic ARIMA search on a whole hourly series
# takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
BUILD=${BUILD:-build}
data=${SUPPLYML_DATA:-$root/data}
out=$root/bench/out/validate
threads=${THREADS:-2}
sets=${VALIDATE_SETS:-Monthly Weekly Hourly}
mkdir -p "$out"
cmake --build "$BUILD" --target validate_auto -- --no-print-directory >/dev/null

# wide FILE: the file, or its xz-compressed form FILE.xz, as plain text.
wide() { if [ -e "$1" ]; then cat "$1"; else xz -dc "$1.xz"; fi; }
m3=$data/m3_validation/m3_monthly_train.csv
[ -e "$m3" ] || [ -e "$m3.xz" ] || m3=$root/tests/data/m3_validation/m3_monthly_train.csv
for set in $sets; do
  case $set in
    Monthly) wide "$m3" > "$out/Monthly.csv"; args=(12 18 12); n=${VALIDATE_SERIES:-} ;;
    Weekly) wide "$data/m4/Weekly-train.csv" > "$out/Weekly.csv"; args=(1 13 1); n=${VALIDATE_SERIES:-} ;;
    Hourly) wide "$data/m4/Hourly-train.csv" > "$out/Hourly.csv"; args=(24 48 24)
            n=${VALIDATE_HOURLY_SERIES:-${VALIDATE_SERIES:-60}} ;;
    *) echo "unknown set $set" >&2; exit 2 ;;
  esac
  if [ "$set" = Hourly ]; then
    "$BUILD/validate_auto" "$set" "$out/$set.csv" "${args[@]}" "$threads" "$n" noarima | tee "$out/$set.txt"
    "$BUILD/validate_auto" "Hourly (ARIMA)" "$out/$set.csv" "${args[@]}" "$threads" \
      "${VALIDATE_HOURLY_ARIMA:-10}" | tee -a "$out/$set.txt"
  else
    "$BUILD/validate_auto" "$set" "$out/$set.csv" "${args[@]}" "$threads" "${n:-0}" | tee "$out/$set.txt"
  fi
done
