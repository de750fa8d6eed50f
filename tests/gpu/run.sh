#!/usr/bin/env bash
# The prepared GPU check: builds everything, installs into a private
# installation, starts a throwaway cluster, runs the GPU self-test and every
# parity file tests/gpu/*.sql (GPU results against the CPU on fresh random
# inputs and real data), and times them. Skips, saying so, where no GPU exists.
# Meant to finish well under 10 minutes on one GPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "SKIP: no NVIDIA GPU on this machine; the GPU checks did not run."
  exit 0
fi
nvidia-smi -L
BUILD=${BUILD:-build-gpu}
export BUILD
t0=$(date +%s)
make all BUILD="$BUILD" JOBS="$(nproc)" >/dev/null
echo "build: $(( $(date +%s) - t0 )) s"
. scripts/private-cluster.sh
createdb supplyml_gpu
export PGDATABASE=supplyml_gpu
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION supplyml'
psql -X -c 'SELECT * FROM supplyml.devices()' -c 'SELECT * FROM supplyml.gpu_selftest()'
data_dir=$(pwd)/tests/data
status=0
for f in tests/gpu/*.sql; do
  [ -e "$f" ] || continue
  s=$(date +%s.%N)
  psql -X -v ON_ERROR_STOP=1 -v data_dir="$data_dir" -f "$f" || status=1
  echo "$(basename "$f"): $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
done
exit $status
