-- route_score and route_optimize against published references: TSPLIB optimal
-- tours (EUC_2D), CVRPLIB optimal routes of Solomon instances (trunc1),
-- haversine city pairs (haversine package README, Rosetta Code).
BEGIN;
SELECT plan(18);

-- Solomon routes scored per route with the instance's capacity.
CREATE TEMP VIEW solomon_scored AS
SELECT s.instance, s.route,
       supplyml.route_score(s.seq, s.x, s.y, s.demand, s.ready, s.due, s.service,
         jsonb_build_object('metric', 'trunc1', 'capacity', f.capacity)) AS r,
       supplyml.route_score(s.seq, s.x, s.y, s.demand, s.ready, s.due, s.service,
         jsonb_build_object('metric', 'euclidean', 'capacity', f.capacity)) AS full_precision
FROM fixtures_routing.solomon_stop s JOIN fixtures_routing.solomon_fleet f USING (instance)
GROUP BY s.instance, s.route;

SELECT results_eq(
  $$SELECT t.instance, (supplyml.route_score(t.pos, n.x, n.y, '{"metric": "euc2d"}')).distance
    FROM fixtures_routing.tsp_tour t JOIN fixtures_routing.tsp_node n USING (instance, node)
    GROUP BY t.instance ORDER BY t.instance$$,
  $$SELECT instance, optimal_length FROM fixtures_routing.tsp_optimum ORDER BY instance$$,
  'TSPLIB optimal tours of berlin52, eil51, kroA100 score exactly 7542, 426, 21282 with euc2d');

SELECT results_eq(
  $$SELECT instance, round(sum((r).distance)::numeric, 6) FROM solomon_scored GROUP BY instance ORDER BY instance$$,
  $$SELECT instance, round(cost::numeric, 6) FROM fixtures_routing.solomon_cost ORDER BY instance$$,
  'CVRPLIB routes of C101, C201, R101, RC101 sum to 827.3, 589.1, 1637.7, 1619.8 with trunc1');

SELECT is(
  (SELECT count(*) FILTER (WHERE (r).feasible AND (r).late_stops = 0 AND (r).capacity_excess = 0)
   FROM solomon_scored), 48::bigint,
  'all 48 CVRPLIB routes are feasible under trunc1 (windows and capacity)');

SELECT is(
  (SELECT sum((r).stops) FROM solomon_scored GROUP BY instance HAVING instance = 'C101'), 110::numeric,
  'C101: 100 customers plus the depot row of each of the 10 routes');

SELECT ok(
  (SELECT bool_or(NOT (full_precision).feasible) AND sum((full_precision).late_stops) > 0
   FROM solomon_scored WHERE instance = 'RC101'),
  'RC101 with full-precision euclidean reports its time-window violation');

SELECT is(
  (SELECT bool_and((full_precision).feasible) FROM solomon_scored WHERE instance <> 'RC101'), true,
  'C101, C201, R101 stay feasible at full precision');

SELECT is(
  (SELECT round(sum((full_precision).distance)::numeric, 2) FROM solomon_scored WHERE instance = 'C101'),
  828.94, 'C101 costs 828.94 at full precision (data README)');

-- Haversine: Lyon-Paris 392.2172595594006 km (haversine package, mean radius
-- 6371.0088 km); Nashville-Los Angeles 2887.2599506071106 km (Rosetta Code, R = 6372.8 km).
SELECT ok(
  abs((SELECT (supplyml.route_score(seq, lon, lat, '{"metric": "haversine", "return_to_depot": false}')).distance
       FROM (VALUES (1, 4.8422, 45.7597), (2, 2.3508, 48.8567)) v(seq, lon, lat)) - 392.2172595594006) < 1e-9,
  'haversine Lyon-Paris');
SELECT ok(
  abs((SELECT (supplyml.route_score(seq, lon, lat,
          '{"metric": "haversine", "return_to_depot": false, "earth_radius": 6372.8}')).distance
       FROM (VALUES (1, -86.67, 36.12), (2, -118.40, 33.94)) v(seq, lon, lat)) - 2887.2599506071106) < 1e-9,
  'haversine Nashville-Los Angeles');

-- route_optimize from a seeded pseudo-random order (md5 of the node id).
CREATE TEMP TABLE tsp_opt AS
SELECT instance, supplyml.route_optimize(seq, x, y, '{"metric": "euc2d", "iterations": 300, "seed": 7}') AS o
FROM (SELECT instance, x, y, row_number() OVER (PARTITION BY instance ORDER BY md5(instance || node)) AS seq
      FROM fixtures_routing.tsp_node) s
GROUP BY instance;

SELECT is(
  (SELECT count(*) FROM tsp_opt o JOIN fixtures_routing.tsp_optimum t USING (instance)
   WHERE (o.o).after.distance <= 1.03 * t.optimal_length
     AND (o.o).before.distance > 1.5 * t.optimal_length),
  3::bigint, 'route_optimize reaches within 3 % of the optimum on eil51, berlin52, kroA100');

-- The returned order, scored again, gives the reported distance.
SELECT results_eq(
  $$WITH s AS (SELECT instance, x, y, row_number() OVER (PARTITION BY instance ORDER BY md5(instance || node)) AS pos
               FROM fixtures_routing.tsp_node)
    SELECT s.instance, (supplyml.route_score(array_position((t.o).visit_order, s.pos::int), s.x, s.y,
                                            '{"metric": "euc2d"}')).distance
    FROM s JOIN tsp_opt t USING (instance) GROUP BY s.instance ORDER BY 1$$,
  $$SELECT instance, (o).after.distance FROM tsp_opt ORDER BY 1$$,
  'visit_order is the order whose score route_optimize reports');

-- Solomon routes: improving never makes a feasible route infeasible.
CREATE TEMP TABLE solomon_opt AS
SELECT s.instance, s.route,
       supplyml.route_optimize(s.seq, s.x, s.y, s.demand, s.ready, s.due, s.service,
         jsonb_build_object('metric', 'trunc1', 'capacity', f.capacity, 'iterations', 10)) AS o
FROM fixtures_routing.solomon_stop s JOIN fixtures_routing.solomon_fleet f USING (instance)
GROUP BY s.instance, s.route;
SELECT is(
  (SELECT count(*) FROM solomon_opt WHERE (o).before.feasible AND (o).after.feasible
     AND (o).after.cost <= (o).before.cost + 1e-9 AND (o).visit_order[1] = 1),
  48::bigint, 'route_optimize keeps all 48 Solomon routes feasible, no costlier, depot first');

-- From the reversed R101 routes (95 late stops), the search restores every
-- window and finds routes as short as CVRPLIB's optimum, 1637.7 in all.
CREATE TEMP TABLE r101_reversed AS
SELECT route, supplyml.route_optimize(CASE WHEN seq = 0 THEN 0 ELSE 100 - seq END, x, y, demand, ready, due, service,
                '{"metric": "trunc1", "capacity": 200, "iterations": 5}') AS hard,
       supplyml.route_optimize(CASE WHEN seq = 0 THEN 0 ELSE 100 - seq END, x, y, demand, ready, due, service,
                '{"metric": "trunc1", "time_windows": "soft", "cost_per_lateness": 100, "iterations": 5}') AS soft
FROM fixtures_routing.solomon_stop WHERE instance = 'R101' GROUP BY route;
SELECT results_eq(
  $$SELECT sum((hard).before.late_stops), count(*) FILTER (WHERE (hard).after.feasible),
           round(sum((hard).after.distance)::numeric, 6) FROM r101_reversed$$,
  $$VALUES (95::numeric, 20::bigint, 1637.7::numeric)$$,
  'hard windows: reversed R101 routes become feasible again at the optimum''s 1637.7');
SELECT is(
  (SELECT sum((soft).after.lateness) FROM r101_reversed), 0::float8,
  'soft windows with a lateness cost: the search removes all lateness too');

-- Batch form equals the aggregate, and the matrix form reproduces trunc1.
SELECT results_eq(
  $$SELECT route::int, round(distance::numeric, 6), feasible FROM supplyml.route_score_batch(
      'SELECT route, seq, x, y, demand, ready, due, service FROM fixtures_routing.solomon_stop WHERE instance = ''C101''',
      '{"metric": "trunc1", "capacity": 200, "with_windows": true}') ORDER BY 1$$,
  $$SELECT route, round((r).distance::numeric, 6), (r).feasible FROM solomon_scored WHERE instance = 'C101' ORDER BY 1$$,
  'route_score_batch gives the aggregate''s result per route');

CREATE TEMP TABLE c101_matrix AS
SELECT a.cust AS from_node, b.cust AS to_node,
       floor(sqrt(100 * ((a.x - b.x) ^ 2 + (a.y - b.y) ^ 2))) / 10 AS distance, NULL::float8 AS time
FROM fixtures_routing.solomon_node a JOIN fixtures_routing.solomon_node b USING (instance)
WHERE instance = 'C101';
SELECT is(
  (SELECT round(sum(distance)::numeric, 6) FROM supplyml.route_score_batch(
     'SELECT route, seq, cust, demand, ready, due, service FROM fixtures_routing.solomon_stop WHERE instance = ''C101''',
     '{"matrix": "SELECT from_node, to_node, distance, time FROM c101_matrix", "capacity": 200, "with_windows": true}')
   WHERE feasible),
  827.3, 'matrix form: C101 from a (from, to, distance) table sums to 827.3, all routes feasible');

-- Partial aggregation in parallel workers gives the same sums.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
-- A plain table (temporary ones are never scanned in parallel), stored in
-- random order so that each worker sees stops out of seq order.
CREATE TABLE pg_temp_stops_big AS
SELECT g * 1000 + s.route AS route, s.seq, s.x, s.y, s.demand, s.ready, s.due, s.service
FROM fixtures_routing.solomon_stop s, generate_series(1, 50) g WHERE instance = 'C101' ORDER BY random();
ANALYZE pg_temp_stops_big;
CREATE FUNCTION pg_temp.plan_text(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE line text; res text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP res := res || line || E'\n'; END LOOP;
  RETURN res;
END $f$;
SELECT matches(
  pg_temp.plan_text($$SELECT supplyml.route_score(seq, x, y, demand, ready, due, service, '{"metric": "trunc1"}')
                      FROM pg_temp_stops_big GROUP BY route$$),
  'Partial GroupAggregate', 'route_score is planned as a partial aggregate');
SELECT is(
  (SELECT round(sum(d)::numeric, 6) FROM (
     SELECT (supplyml.route_score(seq, x, y, demand, ready, due, service, '{"metric": "trunc1"}')).distance AS d
     FROM pg_temp_stops_big GROUP BY route) q),
  round(50 * 827.3, 6), 'partial (parallel) aggregation sorts by seq itself');

SELECT * FROM finish();
ROLLBACK;
