-- Scoring throughput: route_score (aggregate and batch) against the same
-- haversine distance written in plain SQL with window functions, over a
-- million stops in 100,000 routes. Needs psql variables: none.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_stops;
SELECT setseed(0.42) \gset
CREATE TABLE bench_stops AS
SELECT r AS route, s AS seq, 2.25 + random() * 0.2 AS lon, 48.81 + random() * 0.09 AS lat
FROM generate_series(1, 100000) r, generate_series(1, 10) s ORDER BY random();
ANALYZE bench_stops;

-- Runs q into a table; returns its time and the sum of its distances.
CREATE OR REPLACE FUNCTION pg_temp.timed(q text, OUT seconds float8, OUT total float8)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  DROP TABLE IF EXISTS bench_out;
  t0 := clock_timestamp();
  EXECUTE 'CREATE TEMP TABLE bench_out AS ' || q;
  seconds := extract(epoch FROM clock_timestamp() - t0);
  EXECUTE 'SELECT sum(d) FROM bench_out' INTO total;
END $$;

CREATE TEMP TABLE timings (method text, run int, seconds float8, total_km float8);
\set agg 'SELECT route, (supplyml.route_score(seq, lon, lat, ''{"metric": "haversine"}'')).distance AS d FROM bench_stops GROUP BY route'
\set batch 'SELECT route, distance AS d FROM supplyml.route_score_batch(''SELECT route, seq, lon, lat FROM bench_stops'', ''{"metric": "haversine"}'')'
\set floor 'SELECT route, count(*) AS d FROM bench_stops GROUP BY route'
\set plain 'SELECT route, sum(2 * 6371.0088 * asin(sqrt(sin(radians(lat2 - lat1) / 2) ^ 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))) AS d FROM (SELECT route, lag(lon) OVER w AS lon1, lag(lat) OVER w AS lat1, lon AS lon2, lat AS lat2 FROM bench_stops WINDOW w AS (PARTITION BY route ORDER BY seq) UNION ALL SELECT route, (array_agg(lon ORDER BY seq DESC))[1], (array_agg(lat ORDER BY seq DESC))[1], (array_agg(lon ORDER BY seq))[1], (array_agg(lat ORDER BY seq))[1] FROM bench_stops GROUP BY route) legs WHERE lon1 IS NOT NULL GROUP BY route'
SELECT format('INSERT INTO timings SELECT %L, %s, t.* FROM pg_temp.timed(%L) t', m, r, q)
FROM (VALUES ('floor: GROUP BY route, count(*)', :'floor'), ('route_score aggregate', :'agg'), ('route_score_batch', :'batch'), ('plain SQL (window functions)', :'plain')) v(m, q),
     generate_series(1, 2) r
\gexec

\echo 'route_score over 1,000,000 stops in 100,000 routes (haversine, return to depot), best of 2 runs:'
SELECT method, round(min(seconds)::numeric, 3) AS seconds,
       round((1e6 / min(seconds))::numeric) AS stops_per_second,
       round((max(min(seconds)) FILTER (WHERE method LIKE 'plain%') OVER () / min(seconds))::numeric, 1) AS speedup_vs_sql,
       round(max(total_km)::numeric, 6) AS total_km_or_rows
FROM timings GROUP BY method ORDER BY min(seconds);
DROP TABLE bench_stops;
