#!/usr/bin/env bash
# make fuzz: the fuzz driver (tests/fuzz/fuzz.sh) against a throwaway cluster
# started from the private installation, so no running server is needed.
#   FUZZ_CALLS (default 100000), FUZZ_SEED (default: the clock; printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/private-cluster.sh
tests/fuzz/fuzz.sh "${FUZZ_CALLS:-100000}" "${FUZZ_SEED:-$(date +%s)}"
