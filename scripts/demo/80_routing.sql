-- Delivery routes: Solomon's C101 instance (100 customers with time windows,
-- vehicles of capacity 200) and the 10 routes of its best known solution
-- (CVRPLIB), loaded as the stop rows a dispatcher holds. The dispatcher's plan
-- visits each route's customers by customer number; supplyml scores it,
-- improves every route and writes the results table routing_results.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
CREATE TEMP TABLE c101_lines (n bigserial, line text);
\set f :data_dir/solomon/C101.txt
\set cmd '\\copy c101_lines(line) FROM ' :'f'
:cmd
CREATE TEMP TABLE c101_sol (n bigserial, line text);
\set f :data_dir/solomon/C101.sol
\set cmd '\\copy c101_sol(line) FROM ' :'f'
:cmd

CREATE TABLE c101_customers AS
SELECT f[1]::int AS cust, f[2]::float8 AS x, f[3]::float8 AS y, f[4]::float8 AS demand,
       f[5]::float8 AS ready, f[6]::float8 AS due, f[7]::float8 AS service
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM c101_lines) s
WHERE cardinality(f) = 7 AND f[1] ~ '^[0-9]+$';

-- The plan: per route the depot (seq 0), then its customers by customer number.
CREATE TABLE route_stops AS
SELECT route, row_number() OVER (PARTITION BY route ORDER BY cust)::int AS seq, cust
FROM (SELECT substring(line FROM 'Route #([0-9]+)')::int AS route,
             unnest(regexp_split_to_array(btrim(split_part(line, ':', 2), E' \r'), '\s+'))::int AS cust
      FROM c101_sol WHERE line LIKE 'Route #%') r
UNION ALL
SELECT DISTINCT substring(line FROM 'Route #([0-9]+)')::int, 0, 0 FROM c101_sol WHERE line LIKE 'Route #%';

\echo 'Dispatcher''s plan for C101, scored per route (CVRPLIB distances: Euclidean truncated to one decimal):'
SELECT s.route, (r).stops, round((r).distance::numeric, 1) AS distance, (r).late_stops,
       round((r).lateness::numeric, 1) AS lateness, (r).max_load, (r).feasible
FROM (SELECT route, supplyml.route_score(seq, x, y, demand, ready, due, service,
                                          '{"metric": "trunc1", "capacity": 200}') AS r
      FROM route_stops JOIN c101_customers USING (cust) GROUP BY route) s
ORDER BY route;

-- Improve every route: hard windows, 20 perturbation rounds, fixed seed.
CREATE TABLE routing_results AS
SELECT route, (o).visit_order,
       (o).before.distance AS distance_before, (o).after.distance AS distance_after,
       (o).before.late_stops AS late_before, (o).after.late_stops AS late_after,
       (o).before.feasible AS feasible_before, (o).after.feasible AS feasible_after,
       (o).after.duration AS duration_after, (o).after.max_load AS load, (o).moves
FROM (SELECT route, supplyml.route_optimize(seq, x, y, demand, ready, due, service,
                '{"metric": "trunc1", "capacity": 200, "iterations": 20, "seed": 1}') AS o
      FROM route_stops JOIN c101_customers USING (cust) GROUP BY route) q;

\echo 'Improved routes (table routing_results); visit_order lists positions of the planned stops:'
SELECT route, round(distance_before::numeric, 1) AS before, round(distance_after::numeric, 1) AS after,
       late_before, late_after, feasible_after, visit_order
FROM routing_results ORDER BY route;

\echo 'The plan as a whole, against the best known solution (827.3):'
SELECT count(*) AS vehicles, round(sum(distance_before)::numeric, 1) AS planned,
       round(sum(distance_after)::numeric, 1) AS improved,
       sum(late_before) AS late_before, sum(late_after) AS late_after,
       bool_and(feasible_after) AS all_feasible
FROM routing_results;

\echo 'Across routes (route_plan_optimize: stops may change vehicle), re-scored per new route:'
SELECT count(*) FILTER (WHERE (s).stops > 1) AS vehicles_used,
       round(sum((s).distance)::numeric, 1) AS distance, sum((s).late_stops) AS late_stops,
       bool_and((s).feasible) AS all_feasible
FROM (SELECT m.new_route, supplyml.route_score(m.new_seq, c.x, c.y, c.demand, c.ready, c.due, c.service,
                                               '{"metric": "trunc1", "capacity": 200}') AS s
      FROM supplyml.route_plan_optimize(
             'SELECT route, seq, x, y, demand, ready, due, service FROM route_stops JOIN c101_customers USING (cust)',
             '{"metric": "trunc1", "capacity": 200, "with_windows": true, "iterations": 20}') m
      JOIN route_stops r ON r.route::text = m.route AND r.seq = m.seq
      JOIN c101_customers c USING (cust)
      GROUP BY m.new_route) q;
