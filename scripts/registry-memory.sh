#!/usr/bin/env bash
# Peak memory of a backend that loads one large model from the registry, on a
# throwaway cluster with small shared buffers (so that the backend's resident
# set is mostly its private memory). Prints the payload size and how far the
# backend's peak resident set (VmHWM) rose above its size before the load.
#   scripts/registry-memory.sh [doubles]     default 25000000 (a 200 MB payload)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-25000000}
bindir=$(scripts/tmp-install.sh)
export PG_CONFIG="$bindir/pg_config" PATH="$bindir:$PATH"
dir=$(mktemp -d /tmp/supplyml-cluster.XXXXXX)
trap 'scripts/pgcluster.sh stop "$dir"' EXIT
export $(scripts/pgcluster.sh start "$dir" shared_buffers=16MB)
export PGDATABASE=postgres
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION supplyml;
CREATE SCHEMA supplyml_test;
CREATE FUNCTION supplyml_test.publish(name text, n integer, scale float8) RETURNS integer
  AS '\$libdir/supplyml_test', 'sml_test_publish' LANGUAGE C STRICT;
CREATE FUNCTION supplyml_test.load(name text, OUT version integer, OUT total float8, OUT builds integer)
  AS '\$libdir/supplyml_test', 'sml_test_load' LANGUAGE C STRICT;
SELECT supplyml_test.publish('memory_probe', $n, 1.0);
SQL
psql -X -q -At -v ON_ERROR_STOP=1 <<'SQL'
CREATE TEMP TABLE s AS SELECT pg_read_file('/proc/' || pg_backend_pid() || '/status') AS before;
SELECT version FROM supplyml_test.load('memory_probe') \gset
WITH st AS (SELECT before, pg_read_file('/proc/' || pg_backend_pid() || '/status') AS after FROM s),
     kb AS (SELECT (regexp_match(before, 'VmRSS:\s+(\d+)'))[1]::bigint AS rss_before,
                   (regexp_match(after, 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm_after FROM st)
SELECT format('payload %s MB; backend peak rose by %s MB (%s x the payload)',
              round(m.payload_bytes / 1048576.0), round((hwm_after - rss_before) / 1024.0),
              round((hwm_after - rss_before) * 1024.0 / m.payload_bytes, 2))
FROM kb, supplyml.model m WHERE m.name = 'memory_probe';
SQL
