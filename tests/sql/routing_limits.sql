-- Long route searches stop on statement_timeout even when every candidate
-- move is walked in full (time windows), and matrix routes are bounded.
BEGIN;
SELECT plan(5);

-- Two routes of 3000 stops with (wide) time windows.
CREATE TEMP TABLE big_route AS
SELECT g / 3000 AS rid, g::bigint AS seq, (g * 7919 % 1000)::float8 / 10 AS x, (g * 104729 % 1000)::float8 / 10 AS y,
       1.0::float8 AS demand, 0.0::float8 AS ready, 1e9::float8 AS due, 0.0::float8 AS service
FROM generate_series(0, 5999) g;
CREATE TEMP TABLE probe (name text, code text, seconds float8);
SET statement_timeout = '300ms';
-- Polled once per row of the 2-opt scan: each row walked 3000 candidates in full.
INSERT INTO probe SELECT 'route_optimize with windows', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.route_optimize(seq, x, y, demand, ready, due, service, '{}') FROM big_route WHERE rid = 0$$) p;
-- Polled once per pair of routes: relocating between two long routes ran for minutes.
INSERT INTO probe SELECT 'route_plan_optimize', p.* FROM supplyml_test.cancel_probe(
  $$SELECT count(*) FROM supplyml.route_plan_optimize('SELECT rid, seq, x, y FROM big_route', '{}')$$) p;
RESET statement_timeout;

SELECT is(code, '57014', name || ': stopped by statement_timeout') FROM probe ORDER BY name;
SELECT cmp_ok(seconds, '<', 1.0::float8, name || ': within a second') FROM probe ORDER BY name;

-- A dense leg table per route: 100k stops asked for 160 GB.
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT 1, g, 1 FROM generate_series(1, 2049) g',
                   '{"matrix": "SELECT 1, 1, 0.0, NULL::float8"}')$$,
                 '22023', 'route 1: route of 2049 stops is too long for the matrix form', 'matrix routes are bounded');

SELECT * FROM finish();
ROLLBACK;
