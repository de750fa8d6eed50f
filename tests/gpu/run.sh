#!/usr/bin/env bash
# The prepared GPU check. Builds the parity harness (tests/gpu/parity.cpp) for
# sm_90 with nvcc, runs it (every kernel against the CPU path, two sizes and
# the edge cases, fp32 and fp16 factor storage, the GPU's binary16 rounding
# against the emulator's, times against the floor), runs compute-sanitizer memcheck,
# racecheck and synccheck over the small cases where the tool exists, then,
# only if PostgreSQL is installed, the SQL parity files tests/gpu/*.sql on a
# throwaway cluster. Needs no PostgreSQL for the harness. Prints
# "N passed, N failed" last; meant to finish in under 6 minutes.
#
#   tests/gpu/run.sh             on a GPU machine
#   tests/gpu/run.sh --emulated  the same harness, small cases, on the device
#                                emulator (no GPU needed): a smoke test
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build-gpu}
JOBS=${JOBS:-$(nproc)}
passed=0 failed=0
tally() {  # name, status
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
harness_counts() {  # adds the harness's own last line to the tally
  local line; line=$(tail -n 1 "$1" 2>/dev/null)
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
  else
    tally "the harness ran to its end" 1
  fi
}
t0=$(date +%s)
mode=gpu
[ "${1:-}" = "--emulated" ] && mode=emu
if [ $mode = gpu ] && ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
  echo "SKIP: no NVIDIA GPU on this machine; run with --emulated for the emulator smoke test."
  echo "0 passed, 0 failed"
  exit 0
fi
# The CPU reference (the kernels library) is built by CMake without the
# extension's PostgreSQL parts being needed at run time.
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSUPPLYML_CUDA=OFF -DSUPPLYML_TESTS=OFF >/dev/null &&
  cmake --build "$BUILD" -j"$JOBS" --target supplyml_kernels supplyml_emu -- --no-print-directory >/dev/null
tally "build the CPU reference" $?
INC="-Ikernels/include -Ikernels $(pkg-config --cflags eigen3 2>/dev/null || echo -I/usr/include/eigen3)"
out="$BUILD/parity"
if [ $mode = gpu ]; then
  flags="-std=c++17 -O3 -arch=sm_90 $INC -DEIGEN_MPL2_ONLY -Xptxas=-warn-spills,-warn-lmem-usage,-Werror"
  nvcc $flags -x cu -c tests/gpu/parity.cpp -o "$out.o" &&
    nvcc $flags "$out.o" kernels/cuda/blas_cublas.cu "$BUILD/libsupplyml_kernels.a" -lcublas -o "$out"
else
  g++ -std=c++17 -O2 $INC -DEIGEN_MPL2_ONLY tests/gpu/parity.cpp "$BUILD/libsupplyml_emu.a" \
    "$BUILD/libsupplyml_kernels.a" -pthread -o "$out"
fi
tally "build the harness ($mode)" $?
echo "build: $(( $(date +%s) - t0 )) s"
args=""; [ $mode = emu ] && args="--small"
"$out" $args | tee "$BUILD/parity.log"
harness_counts "$BUILD/parity.log"
if [ $mode = gpu ]; then
  nvidia-smi -L
  if command -v compute-sanitizer >/dev/null 2>&1; then
    for tool in memcheck racecheck synccheck; do
      compute-sanitizer --tool $tool --error-exitcode 99 "$out" --small >"$BUILD/sanitizer-$tool.log" 2>&1
      tally "compute-sanitizer $tool" $?
      tail -n 3 "$BUILD/sanitizer-$tool.log"
    done
  else
    echo "SKIP: compute-sanitizer not installed"
  fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    export BUILD="$BUILD-sql"
    make all BUILD="$BUILD" JOBS="$JOBS" >/dev/null && . scripts/private-cluster.sh &&
      createdb supplyml_gpu && psql -X -q -d supplyml_gpu -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION supplyml'
    tally "SQL stage setup" $?
    for f in tests/gpu/*.sql; do
      [ -e "$f" ] || continue
      psql -X -d supplyml_gpu -v ON_ERROR_STOP=1 -v data_dir="$(pwd)/tests/data" -f "$f" >"$BUILD/$(basename "$f").log" 2>&1 &&
        ! grep -q '^not ok' "$BUILD/$(basename "$f").log"
      tally "$(basename "$f")" $?
    done
  else
    echo "SKIP: no PostgreSQL here; the SQL stage did not run"
  fi
fi
echo "total: $(( $(date +%s) - t0 )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
