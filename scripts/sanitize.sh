#!/usr/bin/env bash
# make sanitize: builds the kernels and the unit tests with AddressSanitizer
# and UndefinedBehaviorSanitizer (any finding aborts the run) in a separate
# build directory, without the CUDA module, and runs every unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${SANITIZE_BUILD:-build-sanitize}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
cmake -S . -B "$BUILD" -DPG_CONFIG="${PG_CONFIG:-pg_config}" -DSUPPLYML_CUDA=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target unit_tests -- --no-print-directory
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$BUILD/unit_tests" --gtest_brief=1
echo "sanitize: unit tests passed under AddressSanitizer and UndefinedBehaviorSanitizer"
