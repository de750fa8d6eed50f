-- reorder_policy over the Online Retail top-100 daily demand, and the
-- simulation against the exact (s,S) and (r,Q) costs.
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE pol AS
SELECT stock_code, supplyml.reorder_policy(day, qty_sold,
         '{"lead_time": 7, "service_level": 0.95, "holding_cost": 0.1, "order_cost": 20, "distribution": "normal"}') AS p,
       avg(qty_sold) AS m, stddev_samp(qty_sold) AS s
FROM fixtures_inventory.retail_daily GROUP BY stock_code;

SELECT is(count(*), 100::bigint, 'one policy per product') FROM pol;
SELECT is(count(*) FILTER (WHERE abs((p).reorder_point - supplyml.reorder_point(m, s, 7)) > 1e-9 * (p).reorder_point
                              OR abs((p).order_quantity - (supplyml.eoq(m, 20, 0.1)).order_quantity) > 1e-9 * (p).order_quantity),
          0::bigint, 'each policy equals reorder_point() and eoq() on the SQL mean and standard deviation')
FROM pol;

CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN RETURN QUERY EXECUTE 'EXPLAIN ' || q; END $$;

-- Rows in any order and partial aggregation in parallel workers give the same policies.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', true) IS NOT NULL AS forced \gset
SELECT ok(count(*) > 0, 'the planner runs reorder_policy as a partial aggregate')
FROM (SELECT pg_temp.explain_lines($x$SELECT stock_code, supplyml.reorder_policy(day, qty_sold, '{"order_quantity": 5}')
      FROM fixtures_inventory.retail_daily GROUP BY stock_code$x$) AS line) e WHERE line LIKE '%Partial%Aggregate%';
SELECT is(count(*), 0::bigint, 'shuffled and parallel aggregation agrees')
FROM (SELECT stock_code, supplyml.reorder_policy(day, qty_sold,
         '{"lead_time": 7, "service_level": 0.95, "holding_cost": 0.1, "order_cost": 20, "distribution": "normal"}') AS p
      FROM (SELECT * FROM fixtures_inventory.retail_daily ORDER BY md5(stock_code || day)) r GROUP BY stock_code) q
JOIN pol USING (stock_code) WHERE (q.p).reorder_point <> (pol.p).reorder_point;

-- Auto fit: an intermittent integer series gets a discrete law and says so.
SELECT is((supplyml.reorder_policy(t, q, '{"order_quantity": 10, "lead_time": 2}')).distribution, 'negative_binomial',
          'intermittent history is fitted with a negative binomial')
FROM (VALUES (1::bigint, 0.0::float8), (2, 6), (4, 2), (5, 4)) v(t, q);
SELECT is((supplyml.reorder_policy(t, q, '{"order_quantity": 10}')).method, 'zero_demand', 'an all-zero history says so')
FROM (VALUES (1::bigint, 0.0::float8), (2, 0)) v(t, q);

-- The forecast form: lead-time demand N(sum of points, sum of variances read off the intervals).
SELECT ok(abs((supplyml.reorder_policy(f, '{"lead_time": 2, "order_quantity": 50}')).reorder_point
              - supplyml.reorder_point(11, sqrt(6.5), 2)) < 1e-9,
          'policy from a forecast: r = 22 + z sqrt(2^2 + 3^2)')
FROM (SELECT ROW('test', '{}'::jsonb, NULL, NULL, ARRAY[10, 12, 14], ARRAY[10 - 1.959963984540054 * 2, 12 - 1.959963984540054 * 3, 10],
                 ARRAY[10 + 1.959963984540054 * 2, 12 + 1.959963984540054 * 3, 18], 0.95, 'daily', NULL, 'cpu')::supplyml.forecast_result AS f) x;
SELECT throws_ok($$SELECT supplyml.reorder_policy(ROW('t', '{}', NULL, NULL, ARRAY[1.0], ARRAY[0.0], ARRAY[2.0], 0.9, 'd', NULL, 'cpu')::supplyml.forecast_result,
                                                  '{"lead_time": 5, "order_quantity": 5}')$$,
                 '22023', 'the forecast must cover the lead time', 'a forecast shorter than the lead time');
SELECT is(count(*) FILTER (WHERE abs((p).reorder_point - supplyml.reorder_point(m, s, 7)) > 1e-9 * abs((p).reorder_point)),
          0::bigint, 'policies from real forecasts of five products follow their lead-time forecast')
FROM (SELECT supplyml.reorder_policy(f, '{"lead_time": 7, "holding_cost": 0.1, "order_cost": 20}') AS p,
             (SELECT sum(greatest(v, 0)) / 7 FROM unnest((f).point[1:7]) v) AS m,
             (SELECT sqrt(sum(((u - l) / (2 * 1.959963984540054))^2) / 7)
              FROM unnest((f).lower[1:7], (f).upper[1:7]) AS b(l, u)) AS s
      FROM (SELECT supplyml.forecast(day, qty_sold, 14, '{"level": 0.95}') AS f
            FROM fixtures_inventory.retail_daily WHERE stock_code IN ('85123A', '22423', '47566', '84879', '22720')
            GROUP BY stock_code) g) t;

-- Simulation against exact costs, within its own 95 % interval.
SELECT ok(cost_ci_low < 8.034111561471642 AND 8.034111561471642 < cost_ci_high,
          'simulated (4, 10) policy brackets the exact (s,S) cost')
FROM supplyml.simulate_policy(NULL, 'ss', 4, NULL, 0, 2000, replications => 400, holding_cost => 1, stockout_cost => 4,
                              order_cost => 5, order_up_to => 10, distribution => 'poisson', demand_mean => 6);
-- Periodic review with lead time L charges L+1 periods of demand: the (r,Q) cost with lead time 3.
SELECT ok(cost_ci_low < 32.1194224940454 AND 32.1194224940454 < cost_ci_high,
          'simulated (10, 40) policy brackets the exact (r,Q) cost')
FROM supplyml.simulate_policy(NULL, 'rq', 10, 40, 2, 2000, replications => 400, seed => 7, holding_cost => 1,
                              stockout_cost => 4, order_cost => 100, distribution => 'poisson', demand_mean => 6);
SELECT is(a, b, 'simulation is deterministic per seed')
FROM (SELECT (supplyml.simulate_policy('{0,3,5,8}', 'rq', 5, 10, 1, 500, 50, 9)).cost_per_period AS a,
             (supplyml.simulate_policy('{0,3,5,8}', 'rq', 5, 10, 1, 500, 50, 9)).cost_per_period AS b) x;

SELECT * FROM finish();
ROLLBACK;
