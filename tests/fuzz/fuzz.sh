#!/usr/bin/env bash
# Randomized calls of every public function and aggregate of supplyml, read
# from the catalog, with NULL, NaN, infinities, extreme and negative sizes, odd
# and long strings, malformed and deeply nested jsonb, bad query texts and
# repeated keys (tests/fuzz/fuzz.sql draws them).
#
#   tests/fuzz/fuzz.sh [CALLS] [SEED]     defaults: $FUZZ_CALLS or 100000, $FUZZ_SEED or the clock
#
# Runs against the server in the PG* environment (make fuzz and make sqltest
# start a throwaway one), in a fresh database supplyml_fuzz. Each call is its
# own statement in its own rolled-back subtransaction, under statement_timeout
# ($FUZZ_TIMEOUT, default 5s). Fails on a backend crash (a lost connection),
# an internal error (XX000) or a result carrying NaN or an infinity; prints the seed, the counts by outcome and SQLSTATE, and the time.
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-${FUZZ_CALLS:-100000}}
seed=${2:-${FUZZ_SEED:-$(date +%s)}}
size=${FUZZ_CHUNK:-2000}
timeout=${FUZZ_TIMEOUT:-5s}
db=supplyml_fuzz
echo "fuzz: seed $seed, $calls calls (repeat with FUZZ_SEED=$seed FUZZ_CALLS=$calls)"

q() { psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 "$@"; }
dropdb --if-exists "$db" >/dev/null
createdb "$db"
q -c "CREATE EXTENSION supplyml" \
  -c "CREATE UNLOGGED TABLE fuzz_call (id bigint PRIMARY KEY, target text, query text)" \
  -c "CREATE UNLOGGED TABLE fuzz_log (id bigint PRIMARY KEY, outcome text, message text, ms float8)"

start=$(date +%s.%N)
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
chunks=$(( (calls + size - 1) / size ))
for ((c = 0; c < chunks; c++)); do
  n=$(( calls - c * size < size ? calls - c * size : size ))
  # The sample model that calls may query, made fresh for every chunk.
  q -c "SELECT supplyml.mf_train('sml_sample', 'SELECT u, i, w FROM (VALUES (1, 1, 1.0), (1, 2, 2.0), (2, 2, 1.0),
          (2, 3, 1.0), (3, 1, 1.0), (3, 4, 3.0), (1, 4, 1.0), (2, 1, 1.0)) v(u, i, w)', factors => 2, iterations => 2)" >/dev/null
  rc=0
  psql -X -q -d "$db" -v seed="$seed" -v chunk="$c" -v size="$size" -v n="$n" -v timeout="$timeout" \
    -f tests/fuzz/fuzz.sql >/dev/null 2>"$errors" || rc=$?
  if [ "$rc" -ne 0 ] || grep -q "connection to server was lost\|server closed the connection" "$errors"; then
    for _ in $(seq 60); do pg_isready -q && break; sleep 1; done  # the server restarts after a crash
    echo "fuzz: FAILED, the server lost the connection in chunk $c (psql exit $rc):"
    tail -5 "$errors"
    q -c "SELECT 'call ' || id || ', ' || target || ': ' || query FROM fuzz_call
          WHERE id > coalesce((SELECT max(id) FROM fuzz_log), 0) ORDER BY id LIMIT 1"
    exit 1
  fi
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)

q -F ' ' <<SQL
SELECT 'fuzz: ' || $calls || ' calls in ' || round($elapsed) || ' s (' || round($calls / $elapsed) || ' calls/s), 0 crashes';
SELECT '  ' || rpad(CASE WHEN outcome ~ '^[0-9A-Z]{5}$' THEN 'error ' || outcome ELSE outcome END, 16) || count(*)
FROM fuzz_log GROUP BY outcome ORDER BY count(*) DESC, outcome;
SELECT '  ' || rpad('timeout 57014', 16) || count(*) FROM fuzz_call c
WHERE NOT EXISTS (SELECT 1 FROM fuzz_log l WHERE l.id = c.id) HAVING count(*) > 0;
SELECT 'slowest targets (total s, calls, max ms):';
SELECT '  ' || rpad(split_part(target, '(', 1), 30) || round((sum(ms) / 1000)::numeric, 1) || ' ' || count(*) || ' ' || round(max(ms)::numeric)
FROM fuzz_log JOIN fuzz_call USING (id) GROUP BY target ORDER BY sum(ms) DESC LIMIT 5;
SQL
# forecast_rows (SQL) returns the elements of the forecast it is given, so a
# NaN the fuzzer put in comes back out: that is not a computed result.
failed="(outcome = 'XX000' OR (outcome = 'nonfinite' AND c.target NOT LIKE 'supplyml.forecast_rows(%'))"
bad=$(q -c "SELECT count(*) FROM fuzz_log l JOIN fuzz_call c USING (id) WHERE $failed")
if [ "$bad" -ne 0 ]; then
  echo "fuzz: FAILED, $bad calls raised XX000 or returned NaN/Infinity, for example:"
  q -c "SELECT outcome || ' ' || coalesce(message, '') || E'\n    ' || c.query
        FROM fuzz_log l JOIN fuzz_call c USING (id) WHERE $failed
        ORDER BY id LIMIT 10"
  exit 1
fi
echo "fuzz: passed"
