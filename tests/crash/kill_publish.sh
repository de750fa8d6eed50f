#!/usr/bin/env bash
# Crash safety of the registry: a backend killed with SIGKILL in the middle of
# a publish (a model row and part of its chunks written, not committed). The
# postmaster restarts every backend and recovers; the registry must then hold
# the old version and never a partial new one, and every stored version must
# verify. Run by scripts/sql-tests.sh against its throwaway cluster (PGHOST,
# PGPORT, PGUSER, PGDATABASE set); the argument is the cluster folder.
#
# The publish is paused at a known point by a trigger on model_chunk that,
# for one chunk, waits for an advisory lock this script holds.
set -euo pipefail
dir=${1:?cluster folder}
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
n=0; failed=0
check() {  # check GOT EXPECTED DESCRIPTION
  n=$((n + 1))
  if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3 (got '$1', expected '$2')"; failed=1; fi
}
wait_for() {  # wait_for SQL: until it returns t (30 s at most)
  for _ in $(seq 300); do
    [ "$(q -c "$1" 2>/dev/null || true)" = t ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  return 1
}
echo "1..8"

q >/dev/null <<'SQL'
SELECT supplyml_test.publish('crash_big', 3000000, 1.0);   -- 24 MB: chunks 0 and 1
SELECT version FROM supplyml.mf_train('crash_reco',
  'SELECT ''u'' || (g % 7), ''i'' || (g % 5), 1.0::float8 FROM generate_series(1, 60) g',
  factors => 2, iterations => 2);
CREATE FUNCTION public.crash_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq = (SELECT CASE m.name WHEN 'crash_big' THEN 1 ELSE 0 END
                  FROM supplyml.model m WHERE m.model_id = NEW.model_id) THEN
        PERFORM pg_advisory_xact_lock_shared(7301);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER crash_pause BEFORE INSERT ON supplyml.model_chunk
    FOR EACH ROW EXECUTE FUNCTION public.crash_pause();
SQL

# kill_mid_publish NAME SQL: runs SQL in a session of its own, waits until
# it blocks in the trigger, and kills that backend with SIGKILL.
kill_mid_publish() {
  psql -X -q -c "SELECT pg_advisory_lock(7301)" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
  local holder=$!
  wait_for "SELECT count(*) = 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 7301 AND granted"
  PGAPPNAME=crash_publisher psql -X -q -c "$2" >/dev/null 2>&1 &
  local publisher=$!
  wait_for "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'crash_publisher'
            AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
  local pid
  pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'crash_publisher'")
  check "$(q -c "SELECT count(*) FROM supplyml.model m WHERE m.name = '$1'")" 1 \
        "$1: the paused publish is invisible to other sessions"
  kill -9 "$pid"
  wait "$publisher" "$holder" 2>/dev/null || true
  wait_for "SELECT true"
}

kill_mid_publish crash_big "SELECT supplyml_test.publish('crash_big', 3000000, 2.0)"
check "$(grep -c 'terminated by signal 9' "$dir/server.log")" 1 "crash_big: the server saw a backend killed by SIGKILL"
check "$(q -c "SELECT string_agg(version::text, ',' ORDER BY version) FROM supplyml.model WHERE name = 'crash_big'")" 1 \
      "crash_big: after recovery the registry holds version 1 only"
check "$(q -c "SELECT round(total::numeric, 6) = round((SELECT sum(sin(i)) FROM generate_series(0, 2999999) i)::numeric, 6)
               FROM supplyml_test.load('crash_big')")" t \
      "crash_big: version 1 reads back with its own values"

kill_mid_publish crash_reco "SELECT supplyml.mf_train('crash_reco',
  'SELECT ''u'' || (g % 7), ''i'' || (g % 5), 2.0::float8 FROM generate_series(1, 60) g',
  factors => 2, iterations => 2)"
check "$(q -c "SELECT string_agg(version::text, ',' ORDER BY version) FROM supplyml.model WHERE name = 'crash_reco'")" 1 \
      "crash_reco: a training killed while publishing leaves version 1 current"
check "$(q -c "SELECT count(*) FROM supplyml.recommend('crash_reco', 'u1', k => 3, exclude_seen => false)")" 3 \
      "crash_reco: and version 1 serves recommendations"
q -c "DROP TRIGGER crash_pause ON supplyml.model_chunk; DROP FUNCTION public.crash_pause()"
check "$(q -c "SELECT bool_and(v.payload_bytes = m.payload_bytes) AND count(*) = (SELECT count(*) FROM supplyml.model)
               FROM supplyml.model m, supplyml.model_verify(m.name, m.version) v")" t \
      "every stored version verifies after the crashes"
q -c "SELECT supplyml.model_drop('crash_big'), supplyml.model_drop('crash_reco')" >/dev/null
exit $failed
