#!/usr/bin/env bash
# Runs every pgTAP file in tests/sql with pg_prove, then the upgrade test
# (scripts/upgrade-test.sh).
#   scripts/sql-tests.sh               a throwaway cluster started from a private
#                                      installation (scripts/tmp-install.sh): no
#                                      running server, no root, no system install
#   scripts/sql-tests.sh installcheck  the server libpq points at (PGHOST, PGPORT,
#                                      PGUSER; PGDATABASE to connect first), with
#                                      supplyml installed by make install; the tests
#                                      run in a new database supplyml_installcheck
# Fixtures in tests/fixtures/*.sql (test module functions, data loaders) run
# once, before the tests. Test files that call functions of the test-only
# module (tests/module) are skipped, saying so, where the server lacks it.
# SQL_TESTS="tests/sql/a.sql tests/sql/b.sql" runs only those files.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
mode=${1:-check}
root=$(pwd)
data_dir=$root/tests/data

if [ "$mode" = installcheck ]; then
  db=supplyml_installcheck
  PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
    -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
else
  . scripts/private-cluster.sh
  db=supplyml_test
  createdb "$db"
fi
export PGDATABASE=$db

psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION pgtap;
CREATE EXTENSION dblink;
CREATE EXTENSION supplyml;
SQL
for f in tests/fixtures/*.sql; do
  [ -e "$f" ] || continue
  if [ "$mode" = installcheck ] && [ "$(basename "$f")" = test_module.sql ]; then
    # Without the test-only module its C functions fail to create; the rest stay.
    psql -X -q -v data_dir="$data_dir" -v source_dir="$root" -f "$f" >/dev/null 2>&1 || true
    continue
  fi
  psql -X -q -v ON_ERROR_STOP=1 -v data_dir="$data_dir" -v source_dir="$root" -f "$f" >/dev/null
done

files=()
have=" $(psql -X -At -c "SELECT string_agg(name, ' ') FROM (
  SELECT p.proname AS name FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'supplyml_test'
  UNION SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'supplyml_test') o") "
for f in ${SQL_TESTS:-tests/sql/*.sql}; do
  lacking=""
  for fn in $(grep -o 'supplyml_test\.[a-z_]*' "$f" | sort -u | cut -d. -f2); do
    case "$have" in *" $fn "*) ;; *) lacking="$lacking $fn" ;; esac
  done
  if [ -n "$lacking" ]; then
    echo "skipped $(basename "$f"): the server lacks the test-only module (supplyml_test:$lacking)"
  else
    files+=("$f")
  fi
done
# Every part runs even when an earlier one fails; the exit status says whether all passed.
status=0
pg_prove --ext .sql "${files[@]}" || status=1

# A short seeded fuzz run: no crash, no internal error, no NaN or infinity.
tests/fuzz/fuzz.sh "${FUZZ_CHECK_CALLS:-3000}" "${FUZZ_CHECK_SEED:-1}" || status=1

echo "Upgrade from the previous release:"
scripts/upgrade-test.sh || status=1

[ "$mode" = installcheck ] && exit $status

# Again with a CUDA module that reports a GPU: each MODULE=TESTS pair of
# DEVICE_STAGES installs MODULE as supplyml_cuda.so, restarts the cluster and
# runs the pgTAP files TESTS (globs separated by commas). By default: the stand-in module of
# tests/stub_cuda, which fails on request, with tests/device/stub_*.sql and the
# files for any module (tests/device/any_*.sql), then the emulated CUDA module
# (kernels/emu), where built, with tests/device/any_*.sql and emu_*.sql.
pkglib=$($PG_CONFIG --pkglibdir)
default_stages="$BUILD/supplyml_cuda_stub.so=tests/device/stub_*.sql,tests/device/any_*.sql"
[ -f "$BUILD/supplyml_cuda_emu.so" ] && default_stages="$default_stages $BUILD/supplyml_cuda_emu.so=tests/device/any_*.sql,tests/device/emu_*.sql"
for stage in ${DEVICE_STAGES:-$default_stages}; do
  module=${stage%%=*}; tests=${stage#*=}; tests=${tests//,/ }
  echo "Device tests with $(basename "$module") as the CUDA module:"
  rm -f "$pkglib/supplyml_cuda.so"
  cp "$module" "$pkglib/supplyml_cuda.so"
  scripts/pgcluster.sh restart "$dir"
  # shellcheck disable=SC2086 # the glob expands here
  pg_prove --ext .sql $tests || status=1
done

echo "Crash safety (a publishing backend killed with SIGKILL):"
tests/crash/kill_publish.sh "$dir" || status=1

# Again without the CUDA module, as on a server with no CUDA installed: the
# extension must load and its core tests pass unchanged.
echo "Core tests with the CUDA module removed:"
rm -f "$($PG_CONFIG --pkglibdir)/supplyml_cuda.so"
scripts/pgcluster.sh restart "$dir"
pg_prove --ext .sql tests/sql/core_*.sql || status=1
exit $status
