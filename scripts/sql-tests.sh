#!/usr/bin/env bash
# Runs every pgTAP file in tests/sql with pg_prove against a throwaway cluster
# started from a private installation (scripts/tmp-install.sh), so no running
# server, no root and no system install are needed. Fixtures in
# tests/fixtures/*.sql (test module functions, data loaders) run once, before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
root=$(pwd)
. scripts/private-cluster.sh
export PGDATABASE=supplyml_test

data_dir=$(cd "${SUPPLYML_DATA:-$root/../shared/data}" 2>/dev/null && pwd || echo "")
createdb supplyml_test
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION pgtap;
CREATE EXTENSION dblink;
CREATE EXTENSION supplyml;
SQL
for f in tests/fixtures/*.sql; do
  [ -e "$f" ] || continue
  psql -X -q -v ON_ERROR_STOP=1 -v data_dir="$data_dir" -v source_dir="$root" -f "$f" >/dev/null
done

pg_prove --ext .sql -r tests/sql

# Again without the CUDA module, as on a server with no CUDA installed: the
# extension must load and its core tests pass unchanged.
echo "Core tests with the CUDA module removed:"
rm -f "$($PG_CONFIG --pkglibdir)/supplyml_cuda.so"
scripts/pgcluster.sh restart "$dir"
pg_prove --ext .sql tests/sql/core_*.sql
