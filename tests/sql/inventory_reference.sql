-- Inventory functions against Snyder & Shen's examples as computed by stockpyl
-- (values from the issue), to 1e-9 relative, and against the stockpyl values
-- for random parameter sets in fixtures_inventory.stockpyl.
BEGIN;
SELECT plan(22);

CREATE FUNCTION pg_temp.close(got float8, want float8, tol float8 DEFAULT 1e-9) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT abs(got - want) <= tol * greatest(1.0, abs(want)) $$;

SELECT ok(pg_temp.close(order_quantity, 304.0467800264368) AND pg_temp.close(cost, 68.41052550594829),
          'eoq: K=8, h=0.225, lambda=1300')
FROM supplyml.eoq(demand_rate => 1300, order_cost => 8, holding_cost => 0.225);
SELECT ok(pg_temp.close(order_quantity, 308.5737801203754) AND pg_temp.close(backorder_fraction, 0.02912621359223301)
          AND pg_temp.close(cost, 67.40689371561598), 'eoq with planned backorders, p=7.5')
FROM supplyml.eoq(1300, 8, 0.225, stockout_cost => 7.5);
SELECT ok(pg_temp.close(order_up_to, 56.60395592743389) AND pg_temp.close(expected_cost, 1.9976051931766445),
          'newsvendor: h=0.18, p=0.70, N(50, 8)')
FROM supplyml.newsvendor(0.18, 0.70, 50, 8);
SELECT ok(pg_temp.close(supplyml.newsvendor_cost(60, 0.18, 0.70, 50, 8), 2.156131552870387),
          'newsvendor cost at S=60');
SELECT ok((p).reorder_point = 4 AND (p).order_up_to = 10 AND pg_temp.close((p).expected_cost, 8.034111561471642),
          '(s,S): h=1, p=4, K=5, Poisson(6)')
FROM (SELECT supplyml.ss_policy(1, 4, 5, 6) AS p) x;
SELECT ok(pg_temp.close(supplyml.ss_cost(4, 10, 1, 4, 5, 6), 8.034111561471642), 'ss_cost(4, 10)');
SELECT ok((p).reorder_point = 6 AND (p).order_up_to = 40 AND round((p).expected_cost::numeric, 3) = 35.022,
          'Zheng-Federgruen table: h=1, p=9, K=64, Poisson(10) gives (6, 40, 35.022)')
FROM (SELECT supplyml.ss_policy(1, 9, 64, 10) AS p) x;
SELECT ok(pg_temp.close(supplyml.rq_cost(126.8, 328.5, 0.225, 7.5, 8, 1300, 150, 1.0/12), 78.07116250928294),
          'rq_cost(126.8, 328.5)');
SELECT ok(pg_temp.close((p).reorder_point, 126.8670634479628) AND pg_temp.close((p).order_quantity, 328.4491421980451),
          '(r,Q) loss-function method')
FROM (SELECT supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 1.0/12, method => 'loss_function') AS p) x;
SELECT ok((e).expected_cost <= (a).expected_cost,
          'exact (r,Q) costs no more than the loss-function approximation')
FROM (SELECT supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 1.0/12) AS e,
             supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 1.0/12, 'loss_function') AS a) x;
SELECT ok(pg_temp.close(supplyml.newsvendor_cost((e).reorder_point, 0.225, 7.5, 1300.0/12, 150/sqrt(12.0)), (e).expected_cost)
          AND pg_temp.close(supplyml.newsvendor_cost((e).order_up_to, 0.225, 7.5, 1300.0/12, 150/sqrt(12.0)), (e).expected_cost),
          'exact (r,Q) meets its optimality condition g(r) = g(r+Q) = cost')
FROM (SELECT supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 1.0/12) AS e) x;
SELECT ok((p).reorder_point = 10 AND (p).order_quantity = 40 AND pg_temp.close((p).expected_cost, 32.1194224940454),
          'exact Poisson (r,Q), stockpyl r_q_poisson_exact(1, 4, 100, 6, 3)')
FROM (SELECT supplyml.rq_policy(1, 4, 100, 6, NULL, 3, distribution => 'poisson') AS p) x;
SELECT ok(pg_temp.close(supplyml.reorder_point(100, 10, 4, 0.5), 400 + 1.6448536269514722 * sqrt(2900.0))
          AND pg_temp.close(supplyml.safety_stock(100, 10, 4, 0.5), 1.6448536269514722 * sqrt(2900.0)),
          'reorder point and safety stock, cycle service 95 % with lead-time variability');
SELECT ok(pg_temp.close(1 - supplyml.newsvendor_cost(r, 0, 1, 400, 60) / 500, 0.99, 1e-12),
          'fill-rate reorder point gives 1 - n(r)/Q = beta')
FROM (SELECT supplyml.reorder_point(100, 30, 4, service_level => 0.99, service_type => 'fill_rate',
                                    order_quantity => 500) AS r) x;
SELECT ok(pg_temp.close((b).order_up_to, s) AND pg_temp.close((b).expected_cost, c),
          'base-stock with review period 1 equals the newsvendor over L+1 periods')
FROM (SELECT supplyml.base_stock_policy(50, 8, lead_time => 2, holding_cost => 0.18, stockout_cost => 0.7) AS b,
             (supplyml.newsvendor(0.18, 0.7, 150, 8 * sqrt(3.0))).order_up_to AS s,
             (supplyml.newsvendor(0.18, 0.7, 150, 8 * sqrt(3.0))).expected_cost AS c) x;

-- stockpyl on random parameter sets.
SELECT is(count(*) FILTER (WHERE NOT ok), 0::bigint, 'eoq and eoq with backorders match stockpyl')
FROM (SELECT CASE function
               WHEN 'eoq' THEN pg_temp.close(e.order_quantity, y1, rel_tol) AND pg_temp.close(e.cost, y2, rel_tol)
               ELSE pg_temp.close(b.order_quantity, y1, rel_tol) AND pg_temp.close(b.backorder_fraction, y2, rel_tol)
                    AND pg_temp.close(b.cost, y3, rel_tol) END AS ok
      FROM fixtures_inventory.stockpyl,
           LATERAL supplyml.eoq(mean, k, h) e, LATERAL supplyml.eoq(mean, k, h, p) b
      WHERE function IN ('eoq', 'eoq_backorders')) t;
SELECT is(count(*) FILTER (WHERE NOT (pg_temp.close(n.order_up_to, y1, rel_tol) AND pg_temp.close(n.expected_cost, y2, rel_tol)
                                      AND pg_temp.close(supplyml.newsvendor_cost(x1, h, p, mean, sd, substr(function, 12)), y3, rel_tol))),
          0::bigint, 'newsvendor (normal, poisson, negative binomial, gamma) matches stockpyl')
FROM fixtures_inventory.stockpyl, LATERAL supplyml.newsvendor(h, p, mean, sd, substr(function, 12)) n
WHERE function LIKE 'newsvendor%';
SELECT is(count(*) FILTER (WHERE NOT pg_temp.close(supplyml.rq_cost(x1, x2, h, p, k, mean, sd, lead_time), y1, rel_tol)),
          0::bigint, 'rq_cost matches stockpyl')
FROM fixtures_inventory.stockpyl WHERE function = 'rq_cost';
SELECT is(count(*) FILTER (WHERE NOT (pg_temp.close((q).reorder_point, y1, rel_tol) AND pg_temp.close((q).order_quantity, y2, rel_tol))),
          0::bigint, '(r,Q) loss_function, eoq_ss and eil match stockpyl')
FROM (SELECT *, supplyml.rq_policy(h, p, k, mean, sd, lead_time, substr(function, 4)) AS q
      FROM fixtures_inventory.stockpyl WHERE function IN ('rq_loss_function', 'rq_eoq_ss', 'rq_eil')) t;
SELECT is(count(*) FILTER (WHERE NOT ((q).reorder_point = y1 AND (q).order_quantity = y2 AND pg_temp.close((q).expected_cost, y3, rel_tol))),
          0::bigint, 'exact Poisson (r,Q) matches stockpyl')
FROM (SELECT *, supplyml.rq_policy(h, p, k, mean, NULL, lead_time, distribution => 'poisson') AS q
      FROM fixtures_inventory.stockpyl WHERE function = 'rq_poisson') t;
SELECT is(count(*) FILTER (WHERE NOT ((q).reorder_point = y1 AND (q).order_up_to = y2 AND pg_temp.close((q).expected_cost, y3, rel_tol))),
          0::bigint, 'exact Poisson (s,S) matches stockpyl')
FROM (SELECT *, supplyml.ss_policy(h, p, k, mean) AS q FROM fixtures_inventory.stockpyl WHERE function = 'ss_poisson') t;
SELECT is(count(*) FILTER (WHERE NOT (pg_temp.close((q).reorder_point, y1, rel_tol) AND pg_temp.close((q).order_up_to, y2, rel_tol))),
          0::bigint, '(s,S) power approximation matches stockpyl')
FROM (SELECT *, supplyml.ss_policy(h, p, k, mean, sd, 'normal', method => 'power') AS q
      FROM fixtures_inventory.stockpyl WHERE function = 'ss_power') t;

SELECT * FROM finish();
ROLLBACK;
