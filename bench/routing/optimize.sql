-- route_optimize on TSPLIB instances from a seeded scrambled order, with a
-- time budget :budget seconds (psql variable). Needs fixtures_routing
-- (tests/fixtures/routing_load.sql).
\set QUIET on
\pset footer off
SELECT t.instance, :budget AS budget_s,
       (o).before.distance AS start_length, (o).after.distance AS length, t.optimal_length AS optimum,
       round((100 * ((o).after.distance / t.optimal_length - 1))::numeric, 2) AS gap_pct,
       (o).iterations AS rounds
FROM (SELECT instance,
             supplyml.route_optimize(seq, x, y, jsonb_build_object('metric', 'euc2d', 'time_limit', :budget, 'seed', 7)) AS o
      FROM (SELECT instance, x, y, row_number() OVER (PARTITION BY instance ORDER BY md5(instance || node)) AS seq
            FROM fixtures_routing.tsp_node) s
      GROUP BY instance) q
JOIN fixtures_routing.tsp_optimum t USING (instance) ORDER BY instance;
