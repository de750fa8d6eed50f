-- route_score_batch and route_optimize_batch with on_error: a route whose
-- data fails (a latitude beyond the pole) is set aside, the others scored.
BEGIN;
SELECT plan(10);

CREATE TEMP VIEW two_routes AS
SELECT * FROM (VALUES (1, 1, 0.0, 0.0), (1, 2, 1, 1), (2, 1, 0, 0), (2, 2, 0, 95)) v(r, seq, x, y);
-- The closed route (0,0) -> (1,1) -> (0,0) by haversine on the mean-radius sphere (6371.0088 km).
CREATE TEMP VIEW expected AS
SELECT 2 * 6371.0088 * 2 * asin(sqrt(sin(radians(0.5)) ^ 2 * (1 + cos(radians(1))))) AS km;

SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT r, seq, x, y FROM two_routes', '{"metric": "haversine"}')$$,
                 '22003', 'route 2: latitude of stop 2 is out of range', 'on_error error (default): the route is named');
CREATE TEMP TABLE scored AS
  SELECT * FROM supplyml.route_score_batch('SELECT r, seq, x, y FROM two_routes', '{"metric": "haversine", "on_error": "null"}');
SELECT ok((SELECT abs(distance - km) < 1e-9 * km AND error IS NULL FROM scored, expected WHERE route = '1'),
          'on_error null: route 1 scored by the haversine closed form');
SELECT is((SELECT error FROM scored WHERE route = '2'), '22003: route 2: latitude of stop 2 is out of range',
          'on_error null: route 2 has its error');
SELECT ok((SELECT distance IS NULL AND feasible IS NULL AND device IS NULL FROM scored WHERE route = '2'),
          'a failing route''s measures are NULL');
SET LOCAL client_min_messages = warning;  -- skip's NOTICE counts the skipped routes
SELECT is((SELECT array_agg(route) FROM supplyml.route_optimize_batch('SELECT r, seq, x, y FROM two_routes',
                                                                      '{"metric": "haversine", "on_error": "skip"}')),
          ARRAY['1'], 'route_optimize_batch on_error skip: only route 1');
SELECT is((SELECT error FROM supplyml.route_optimize_batch('SELECT r, seq, x, y FROM two_routes',
                                                           '{"metric": "haversine", "on_error": "null"}') WHERE route = '2'),
          '22003: route 2: latitude of stop 2 is out of range', 'route_optimize_batch on_error null');
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT r, seq, x, y FROM two_routes', '{"on_error": "ignore"}')$$,
                 '22023', 'invalid on_error "ignore"', 'an invalid on_error');
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT r, seq FROM two_routes', '{"on_error": "null"}')$$,
                 '42804', NULL, 'a source of the wrong shape still stops the statement');
-- The seq of a duplicate shows as the user wrote it (0.5, 2), not with six decimals.
SELECT throws_ok($$SELECT * FROM supplyml.route_score_batch('SELECT r, 0.5, x, y FROM two_routes', '{}')$$,
                 '23505', 'duplicate seq 0.5 in route 1', 'a fractional duplicate seq, as written');
SELECT throws_ok($$SELECT * FROM supplyml.route_optimize_batch('SELECT r, 2, x, y FROM two_routes', '{}')$$,
                 '23505', 'duplicate seq 2 in route 1', 'a whole duplicate seq, without decimals');

SELECT * FROM finish();
ROLLBACK;
