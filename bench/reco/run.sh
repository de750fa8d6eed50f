#!/usr/bin/env bash
# ALS against the implicit package (CPU build) on Online Retail, time split:
# quality (P@10, NDCG@10 vs popularity) and time per iteration, same factors,
# regularization, confidence, cg_steps and threads. RECO_POWERLAW=N adds a
# generated power-law run with N interactions (e.g. 10000000, about ten
# minutes on 2 cores): kernel against implicit, then the in-database figures
# (sql_bench.sh: mf_train end to end, mf_fit, memory, recommend, recommend_all).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
data=$root/data
out=bench/out/reco
mkdir -p "$out"
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import implicit, pandas, threadpoolctl' 2>/dev/null ||
  bench/.venv/bin/pip install -q implicit pandas scipy threadpoolctl
py=bench/.venv/bin/python
threads=${THREADS:-2}

g++ -std=c++17 -O3 -DNDEBUG -DEIGEN_MPL2_ONLY -Ikernels/include -I/usr/include/eigen3 \
  bench/reco/als_bench.cpp kernels/cpu/reco_*.cpp kernels/cpu/parallel.cpp kernels/cpu/blob.cpp \
  kernels/cpu/bytes.cpp -pthread -o "$out/als_bench"
$py bench/reco/prepare.py "$data" "$out"

echo "-- tuning on the validation split (train < 2011-07-01, test 2011-07-01 .. 2011-09-30)"
for f in 32 64 128; do for a in 1 5; do for r in 0.01 1; do
  echo -n "factors=$f alpha=$a regularization=$r: "
  "$out/als_bench" "$out/valid_train.csv" "$out/valid_test.csv" factors=$f alpha=$a regularization=$r \
    iterations=15 threads=$threads | grep '^ratio'
done; done; done

echo "-- final split (train < 2011-10-01), settings of the demo"
"$out/als_bench" "$out/train.csv" "$out/test.csv" factors=64 alpha=1 regularization=0.01 iterations=15 threads=$threads

echo "-- time per iteration, factors 64, cg_steps 3, threads $threads (3 runs each)"
for run in 1 2 3; do
  "$out/als_bench" "$out/train.csv" - factors=64 iterations=15 regularization=0.01 alpha=1 cg_steps=3 threads=$threads
  $py bench/reco/implicit_bench.py "$out/train.csv" - 64 15 0.01 1 3 $threads
  $py bench/reco/implicit_bench.py "$out/train.csv" - 64 15 0.01 1 3 $threads loss
done

if [ -n "${RECO_POWERLAW:-}" ]; then
  $py bench/reco/powerlaw.py "$RECO_POWERLAW" "$out/powerlaw.csv"
  for run in 1 2 3; do
    /usr/bin/time -f "peak RSS %M KB" "$out/als_bench" "$out/powerlaw.csv" - factors=64 iterations=3 threads=$threads
    $py bench/reco/implicit_bench.py "$out/powerlaw.csv" - 64 3 0.01 1 3 $threads
  done
  # In the database: mf_train vs (fit + count(*)), mf_fit, peak backend memory,
  # recommend latency, recommend_all throughput.
  bash bench/reco/sql_bench.sh "$out/powerlaw.csv" "$threads" 3
fi
