-- route_optimize_into: route_optimize_batch's rows in a table, the route key
-- in the source's type and the before/after scores as plain columns. Two
-- routes visited in a crossing order whose optimal tours are closed forms:
-- the unit square (given order 2 + 2 sqrt 2, best 4) and a 2 x 1 rectangle
-- (given order 2 + 2 sqrt 5, best 6), Euclidean, back to the depot.
BEGIN;
SELECT plan(11);

CREATE SCHEMA into_rt;
CREATE TABLE into_rt.stops (route bigint, seq integer, x float8, y float8);
INSERT INTO into_rt.stops VALUES
  (1, 1, 0, 0), (1, 2, 1, 1), (1, 3, 1, 0), (1, 4, 0, 1),
  (10, 1, 0, 0), (10, 2, 2, 1), (10, 3, 2, 0), (10, 4, 0, 1);

SELECT results_eq(
  $$SELECT run_id, rows_written, keys, errors FROM supplyml.route_optimize_into('into_rt.plan',
      'SELECT route, seq, x, y FROM into_rt.stops')$$,
  $$VALUES (1::bigint, 2::bigint, 2::bigint, 0::bigint)$$, 'one row per route');
SELECT col_type_is('into_rt', 'plan', 'route', 'bigint', 'a bigint route key stays bigint');
SELECT col_type_is('into_rt', 'plan', 'after_distance', 'double precision', 'scores are plain columns');
SELECT results_eq($$SELECT route FROM into_rt.plan ORDER BY route$$, $$VALUES (1::bigint), (10::bigint)$$,
                  'route keys sort numerically');
SELECT is((SELECT count(*) FROM into_rt.plan
           WHERE abs(before_distance - CASE route WHEN 1 THEN 2 + 2 * sqrt(2) ELSE 2 + 2 * sqrt(5) END) < 1e-12
             AND abs(after_distance - CASE route WHEN 1 THEN 4 ELSE 6 END) < 1e-12),
          2::bigint, 'before: the crossing tours; after: the perimeters');
SELECT is((SELECT visit_order FROM into_rt.plan WHERE route = 1) IN ('{1,3,2,4}', '{1,4,2,3}'), true,
          'the square is visited around its edge');
SELECT results_eq($$SELECT before_stops, after_stops, after_feasible, after_device FROM into_rt.plan WHERE route = 1$$,
                  $$VALUES (4::bigint, 4::bigint, true, 'cpu')$$, 'stops, feasibility and device');
SELECT results_eq($$SELECT function, rows_written, keys, method_counts, errors, device FROM into_rt.plan_summary$$,
                  $$VALUES ('supplyml.route_optimize_into', 2::bigint, 2::bigint, NULL::jsonb, 0::bigint, 'cpu')$$,
                  'the summary row');

SELECT lives_ok($$SELECT supplyml.route_optimize_into('into_rt.plan_text',
                    'SELECT ''r'' || route, seq, x, y FROM into_rt.stops', '{"metric": "euclidean"}')$$,
                'text route keys, with options');
SELECT col_type_is('into_rt', 'plan_text', 'route', 'text', 'a text route key stays text');
SELECT is((SELECT arguments FROM into_rt.plan_text_summary),
          '{"source": "SELECT ''r'' || route, seq, x, y FROM into_rt.stops", "options": {"metric": "euclidean"}}'::jsonb,
          'the summary keeps the arguments');

SELECT * FROM finish();
ROLLBACK;
