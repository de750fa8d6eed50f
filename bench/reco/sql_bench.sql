-- Run by sql_bench.sh with :csv, :threads, :iterations. Each measurement that
-- reports peak memory runs in a fresh backend (\c), whose VmHWM then covers
-- that statement only (plus the backend's own start-up and shared buffers read).
-- supplyml.device = cpu throughout: with 'auto' the first training in a backend
-- loads the CUDA module and its libraries, about 150 MB of mapped library
-- pages that VmHWM would count as if they were training memory.
\pset footer off
CREATE TABLE pl (u bigint, i bigint, w float8);
\set copycmd '\\copy pl FROM ' :'csv' ' WITH (FORMAT csv)'
:copycmd
VACUUM ANALYZE pl;
CREATE VIEW peak AS
SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1]::bigint / 1024 AS peak_mb;

\echo '-- SELECT count(*) over the source (warm), and the backend peak it leaves'
\c
SELECT count(*) AS rows FROM pl;
\timing on
SELECT count(*) AS rows FROM pl;
\timing off
SELECT * FROM peak;

\echo '-- mf_train end to end (psql time), its ALS fit time, peak backend memory'
\c
SET supplyml.threads = :threads;
SET supplyml.device = cpu;
\timing on
SELECT users, items, interactions, round(seconds::numeric, 3) AS seconds FROM supplyml.mf_train('pl',
  'SELECT u, i, w FROM pl', factors => 64, iterations => :iterations, regularization => 0.01, alpha => 1);
\timing off
SELECT round((metrics->>'fit_seconds')::numeric, 3) AS fit_seconds,
       round((metrics->>'seconds')::numeric, 3) AS seconds FROM supplyml.models WHERE name = 'pl';
SELECT * FROM peak;

\echo '-- the mf_fit aggregate and mf_publish, same settings'
\set opts '{"factors": 64, "iterations": ' :iterations ', "regularization": 0.01, "alpha": 1}'
\c
SET supplyml.threads = :threads;
SET supplyml.device = cpu;
\timing on
SELECT p.users, p.items, round(p.seconds::numeric, 3) AS final_function_seconds
FROM (SELECT supplyml.mf_fit(u, i, w, :'opts') m FROM pl) s, supplyml.mf_publish('pl_agg', s.m) p;
\timing off
SELECT * FROM peak;
SELECT round((metrics->>'fit_seconds')::numeric, 3) AS fit_seconds FROM supplyml.models WHERE name = 'pl_agg';

\echo '-- recommend for one user, k = 10, model cached: 500 users, one statement each'
\c
SET supplyml.threads = :threads;
SET supplyml.device = cpu;
CREATE TEMP TABLE sample AS SELECT u FROM (SELECT DISTINCT u FROM pl) d ORDER BY hashint8(u) LIMIT 500;
SELECT count(*) FROM supplyml.recommend('pl', (SELECT min(u) FROM sample), 10);  -- loads the model
CREATE TEMP TABLE lat (ms float8);
DO $$
DECLARE r record; t0 timestamptz;
BEGIN
  FOR r IN SELECT u FROM sample LOOP
    t0 := clock_timestamp();
    PERFORM count(*) FROM supplyml.recommend('pl', r.u, 10);
    INSERT INTO lat VALUES (1000 * extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
END $$;
SELECT (SELECT items FROM supplyml.models m, LATERAL (SELECT (m.metrics->>'items')::bigint AS items) x
        WHERE name = 'pl') AS items,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p50_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p95_ms FROM lat;

\echo '-- recommend_all, k = 10, for 20000 users'
CREATE TEMP TABLE many AS SELECT u FROM (SELECT DISTINCT u FROM pl) d ORDER BY hashint8(u) LIMIT 20000;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows FROM supplyml.recommend_all('pl', 10, 'SELECT u FROM many');
SELECT (SELECT count(*) FROM many) AS users,
       round(((SELECT count(*) FROM many) / extract(epoch FROM clock_timestamp() - :'t0'::timestamptz))::numeric)
         AS users_per_second;
