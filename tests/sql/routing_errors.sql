-- Every bad input of the routing functions raises its own SQLSTATE.
BEGIN;
SELECT plan(20);

CREATE TEMP TABLE two (seq int, x float8, y float8, demand float8, ready float8, due float8, service float8);
INSERT INTO two VALUES (1, 0, 0, 0, 0, 100, 0), (2, 3, 4, 1, 0, 100, 1);

SELECT throws_ok($$SELECT supplyml.route_score(seq, NULL::float8, y, '{}') FROM two$$,
  '22004', 'x coordinate must not be null', 'NULL coordinate');
SELECT throws_ok($$SELECT supplyml.route_score(seq, CASE WHEN seq = 2 THEN 'NaN'::float8 ELSE x END, y, '{}') FROM two$$,
  '22023', NULL, 'NaN coordinate');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y + 91, '{"metric": "haversine"}') FROM two$$,
  '22003', NULL, 'latitude outside [-90, 90]');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, demand, 50, 10, service, '{}') FROM two$$,
  '22023', NULL, 'ready after due');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, -1, ready, due, service, '{}') FROM two$$,
  '22023', NULL, 'negative demand');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, demand, ready, due, -1, '{}') FROM two$$,
  '22023', NULL, 'negative service time');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{"speed": -2}') FROM two$$,
  '22023', 'speed must be a finite positive number', 'negative speed');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{"metric": "manhattan"}') FROM two$$,
  '22023', NULL, 'unknown metric');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{"metrc": "euc2d"}') FROM two$$,
  '22023', NULL, 'unknown option key');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{"iterations": 5}') FROM two$$,
  '22023', NULL, 'search option given to route_score');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{}') FROM two WHERE false$$,
  '22000', 'route has no stops', 'route with no stops');
SELECT throws_ok($$SELECT supplyml.route_optimize(seq, x, y, '{}') FROM two WHERE false$$,
  '22000', 'route has no stops', 'route_optimize with no stops');
SELECT throws_ok($$SELECT supplyml.route_score(1, x, y, '{}') FROM two$$,
  '23505', 'duplicate seq 1 in a route', 'duplicate seq');
SELECT throws_ok($$SELECT supplyml.route_score(seq, x, y, '{"depot": [1, 2, 3]}') FROM two$$,
  '22023', 'depot must be an array of two numbers', 'depot with three numbers');
SELECT throws_ok($$SELECT supplyml.route_optimize(seq, x, y, '{"iterations": -1}') FROM two$$,
  '22023', NULL, 'negative iterations');

CREATE TEMP TABLE m (a int, b int, d float8, t float8);
INSERT INTO m VALUES (1, 2, 5, NULL), (2, 1, 5, NULL);
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT 1, seq, node FROM (VALUES (1, 1), (2, 2), (3, 3)) v(seq, node)',
                    '{"matrix": "SELECT a, b, d, t FROM m"}')$$,
  '22000', NULL, 'a stop whose node the matrix never names');
INSERT INTO m VALUES (3, 1, 5, NULL);
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT 1, seq, node FROM (VALUES (1, 1), (2, 2), (3, 3)) v(seq, node)',
                    '{"matrix": "SELECT a, b, d, t FROM m"}')$$,
  '22000', 'route 1: distance matrix has no entry from node 1 to node 3', 'a matrix missing a pair, named with its route');
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT 1, seq, node FROM (VALUES (1, 1)) v(seq, node)',
                    '{"matrix": "SELECT a, b, d, t FROM m", "metric": "euc2d"}')$$,
  '22023', 'metric and matrix cannot be given together', 'metric with a matrix');

SELECT throws_ok($$SELECT * FROM supplyml.route_plan_optimize('SELECT 1, 1, 0.0, 0.0',
                    '{"matrix": "SELECT 1, 1, 0.0, 0.0"}')$$,
  '22023', NULL, 'route_plan_optimize takes no matrix');

-- statement_timeout stops a search with a 60-second budget in under a second,
-- in the aggregate and in the batch function's worker threads. plpgsql's WHEN
-- OTHERS does not catch a cancel, so the probe catches query_canceled itself.
CREATE FUNCTION pg_temp.cancel_probe(q text, OUT code text, OUT seconds float8)
LANGUAGE plpgsql AS $f$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  code := 'none';
EXCEPTION WHEN query_canceled THEN
  GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE;
  seconds := extract(epoch FROM clock_timestamp() - t0);
END $f$;
CREATE TEMP TABLE probe (what text, code text, seconds float8);
SET statement_timeout = '300ms';
INSERT INTO probe SELECT 'aggregate', p.* FROM pg_temp.cancel_probe(
  $$SELECT supplyml.route_optimize(g, random() * 1000, random() * 1000, '{"time_limit": 60}')
    FROM generate_series(1, 300) g$$) p;
INSERT INTO probe SELECT 'batch', p.* FROM pg_temp.cancel_probe(
  $$SELECT * FROM supplyml.route_optimize_batch(
      'SELECT g % 4, g, random() * 1000, random() * 1000 FROM generate_series(1, 400) g', '{"time_limit": 60}')$$) p;
INSERT INTO probe SELECT 'plan', p.* FROM pg_temp.cancel_probe(
  $$SELECT * FROM supplyml.route_plan_optimize(
      'SELECT g % 4, g, random() * 1000, random() * 1000 FROM generate_series(1, 400) g', '{"time_limit": 60}')$$) p;
RESET statement_timeout;
SELECT results_eq($$SELECT what, code, seconds < 1.0 FROM probe ORDER BY what$$,
  $$VALUES ('aggregate', '57014', true), ('batch', '57014', true), ('plan', '57014', true)$$,
  'statement_timeout cancels route_optimize, route_optimize_batch and route_plan_optimize within a second');

SELECT * FROM finish();
ROLLBACK;
