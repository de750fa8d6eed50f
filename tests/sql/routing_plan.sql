-- route_plan_optimize on Solomon C101: stops move between routes.
BEGIN;
SELECT plan(4);

-- A poor plan: customers dealt round-robin over the instance's 25 vehicles,
-- each route starting at the depot (seq 0).
CREATE TEMP TABLE rr AS
SELECT c.cust % 25 AS route, row_number() OVER (PARTITION BY c.cust % 25 ORDER BY c.cust) AS seq, c.*
FROM fixtures_routing.solomon_node c WHERE instance = 'C101' AND cust > 0
UNION ALL
SELECT r, 0, d.* FROM fixtures_routing.solomon_node d, generate_series(0, 24) r
WHERE instance = 'C101' AND cust = 0;

CREATE TEMP TABLE moved AS
SELECT * FROM supplyml.route_plan_optimize(
  'SELECT route, seq, x, y, demand, ready, due, service FROM rr',
  '{"metric": "trunc1", "capacity": 200, "with_windows": true, "iterations": 5}');

-- The new plan, scored with route_score.
CREATE TEMP TABLE rescored AS
SELECT m.new_route, supplyml.route_score(m.new_seq, r.x, r.y, r.demand, r.ready, r.due, r.service,
                                         '{"metric": "trunc1", "capacity": 200}') AS s
FROM moved m JOIN rr r ON r.route::text = m.route AND r.seq = m.seq
GROUP BY m.new_route;

SELECT results_eq(
  $$SELECT count(*), count(DISTINCT (route, seq)), count(DISTINCT new_route) FROM moved$$,
  $$VALUES (125::bigint, 125::bigint, 25::bigint)$$,
  'every stop comes back once; the 25 routes keep their depot rows');

SELECT ok(
  (SELECT bool_and((s).feasible) FROM rescored)
  AND NOT (SELECT bool_and((s).feasible) FROM (
        SELECT supplyml.route_score(seq, x, y, demand, ready, due, service, '{"metric": "trunc1", "capacity": 200}') AS s
        FROM rr GROUP BY route) q),
  'the infeasible round-robin plan becomes feasible');

SELECT ok(
  (SELECT sum((s).distance) FROM rescored) BETWEEN 827.3 - 1e-6
    AND (SELECT sum(d) FROM (SELECT (supplyml.route_score(seq, x, y, '{"metric": "trunc1"}')).distance AS d
                             FROM rr GROUP BY route) q),
  'the new plan is shorter than the old, and not shorter than the proven optimum 827.3');

-- From the CVRPLIB solution nothing shorter exists: it stays at 827.3.
SELECT is(
  (SELECT round(sum((s).distance)::numeric, 6) FROM (
     SELECT supplyml.route_score(m.new_seq, t.x, t.y, '{"metric": "trunc1"}') AS s
     FROM supplyml.route_plan_optimize(
            'SELECT route, seq, x, y, demand, ready, due, service FROM fixtures_routing.solomon_stop WHERE instance = ''C101''',
            '{"metric": "trunc1", "capacity": 200, "with_windows": true}') m
     JOIN fixtures_routing.solomon_stop t ON t.instance = 'C101' AND t.route::text = m.route AND t.seq = m.seq
     GROUP BY m.new_route) q),
  827.3, 'the optimal C101 plan stays at 827.3');

SELECT * FROM finish();
ROLLBACK;
