-- reorder_policy_into: a policy per SKU from a sales query and a parameters
-- query (per-SKU lead times and service levels overriding common options).
-- Reorder points against the closed form of a cycle-service (r,Q) policy with
-- normal demand (Snyder & Shen, ch. 5): r = L mu + z_alpha sqrt(L) sigma, where
-- mu and sigma are the sample mean and standard deviation of the SKU's daily
-- demand with days without sales counted as zero, and z_alpha the standard
-- normal quantile (1.2815515655446004 at 0.90, 1.6448536269514722 at 0.95,
-- 2.0537489106318225 at 0.98).
BEGIN;
SELECT plan(27);

CREATE SCHEMA into_ro;
-- SKU 1 sells on every day but a few, twice on some days; SKU 2 and 3 every
-- other day or third day; 5 has no parameters; 6 only zero quantities.
CREATE TABLE into_ro.sales (sku bigint, day date, qty numeric);
INSERT INTO into_ro.sales
  SELECT 1, DATE '2024-03-01' + d, 5 + (d * 7) % 11 FROM generate_series(0, 59) d WHERE d % 13 <> 4
  UNION ALL SELECT 1, DATE '2024-03-01' + d, 3 FROM generate_series(0, 59, 10) d
  UNION ALL SELECT 2, DATE '2024-03-02' + d, 20 + (d * 3) % 17 FROM generate_series(0, 58, 2) d
  UNION ALL SELECT 3, DATE '2024-03-01' + d, 1 + d % 4 FROM generate_series(0, 45, 3) d
  UNION ALL SELECT 5, DATE '2024-03-01' + d, 9 FROM generate_series(0, 9) d
  UNION ALL SELECT 6, DATE '2024-03-01' + d, 0 FROM generate_series(0, 9) d;
CREATE TABLE into_ro.items (sku bigint, lead_time integer, service_level numeric, supplier text);
INSERT INTO into_ro.items VALUES (1, 2, 0.95, 'a'), (2, 5, 0.98, 'b'), (3, 3, NULL, 'a'), (4, 7, 0.95, 'c'), (6, 1, 0.95, 'a');

-- The closed form, computed here from the sales table.
CREATE TEMP TABLE expected AS
WITH days AS (
  SELECT sku, d::date AS day FROM (SELECT sku, min(day) AS a, max(day) AS b FROM into_ro.sales GROUP BY sku) r,
       generate_series(r.a, r.b, INTERVAL '1 day') d),
daily AS (
  SELECT d.sku, coalesce(sum(s.qty), 0)::float8 AS qty FROM days d
  LEFT JOIN into_ro.sales s ON s.sku = d.sku AND s.day = d.day GROUP BY d.sku, d.day),
fit AS (SELECT sku, avg(qty) AS mu, stddev_samp(qty) AS sigma FROM daily GROUP BY sku)
SELECT f.sku, i.lead_time, f.mu, f.sigma,
       i.lead_time * f.mu + z.z * sqrt(i.lead_time) * f.sigma AS r
FROM fit f JOIN into_ro.items i USING (sku)
JOIN (VALUES (0.90, 1.2815515655446004), (0.95, 1.6448536269514722), (0.98, 2.0537489106318225)) z(level, z)
  ON z.level = coalesce(i.service_level, 0.90)
WHERE f.mu > 0;

SELECT results_eq(
  $$SELECT run_id, rows_written, keys, errors FROM supplyml.reorder_policy_into('into_ro.rp',
      sales => 'SELECT sku, day, qty FROM into_ro.sales',
      parameters => 'SELECT sku, lead_time, service_level FROM into_ro.items',
      options => '{"distribution": "normal", "order_quantity": 40, "service_level": 0.90}')$$,
  $$VALUES (1::bigint, 6::bigint, 6::bigint, 2::bigint)$$,
  'one row per SKU of either query; two SKUs without a policy');

SELECT col_type_is('into_ro', 'rp', 'sku', 'bigint', 'a bigint SKU stays bigint');
SELECT col_type_is('into_ro', 'rp', 'history_from', 'date', 'history dates are dates');
SELECT col_type_is('into_ro', 'rp', 'reorder_point', 'double precision', 'policy columns are plain columns');

SELECT is((SELECT count(*) FROM into_ro.rp p JOIN expected e USING (sku)
           WHERE abs(p.reorder_point - e.r) <= 1e-9 * e.r AND abs(p.demand_mean - e.mu) <= 1e-12 * e.mu
             AND abs(p.demand_sd - e.sigma) <= 1e-12 * e.sigma AND p.order_quantity = 40
             AND abs(p.safety_stock - (e.r - e.lead_time * e.mu)) <= 1e-9 * e.r),
          3::bigint, 'reorder points of SKUs 1-3 equal the closed form with their own lead times and service levels');
SELECT is((SELECT method FROM into_ro.rp WHERE sku = 1), 'cycle_service', 'a cycle-service (r,Q) policy');
SELECT results_eq($$SELECT policy, method, reorder_point, reason FROM into_ro.rp WHERE sku = 6$$,
                  $$VALUES ('rq', 'zero_demand', 0::float8, NULL::text)$$, 'an all-zero history holds nothing, said so');
SELECT results_eq($$SELECT sku, policy, reorder_point, history_from, reason FROM into_ro.rp WHERE reason IS NOT NULL ORDER BY sku$$,
                  $$VALUES (4::bigint, NULL::text, NULL::float8, NULL::date, 'no sales'),
                           (5::bigint, NULL::text, NULL::float8, NULL::date, 'no parameters')$$,
                  'a SKU without sales and one without parameters get a reason, not an error');
SELECT results_eq($$SELECT history_from, history_to FROM into_ro.rp WHERE sku = 2$$,
                  $$VALUES (DATE '2024-03-02', DATE '2024-04-29')$$, 'the history''s first and last day');
SELECT is((SELECT options FROM into_ro.rp WHERE sku = 3),
          '{"distribution": "normal", "order_quantity": 40, "service_level": 0.90, "lead_time": 3}'::jsonb,
          'a NULL parameter leaves the common option in force');
SELECT is((SELECT options->>'service_level' FROM into_ro.rp WHERE sku = 2), '0.98', 'a parameter overrides it');

SELECT results_eq(
  $$SELECT function, rows_written, keys, method_counts, errors, device, arguments->>'parameters'
    FROM into_ro.rp_summary$$,
  $$VALUES ('supplyml.reorder_policy_into', 6::bigint, 6::bigint, '{"cycle_service": 3, "zero_demand": 1}'::jsonb,
            2::bigint, 'cpu', 'SELECT sku, lead_time, service_level FROM into_ro.items')$$,
  'the summary counts SKUs per method and those without a policy');

-- Without a parameters query every SKU of the sales takes the common options;
-- integer periods stay integers, text SKUs stay text.
SELECT lives_ok($$SELECT supplyml.reorder_policy_into('into_ro.rp_text',
  sales => 'SELECT ''sku-'' || sku, (day - DATE ''2024-01-01'')::integer, qty FROM into_ro.sales WHERE sku IN (1, 2)',
  options => '{"distribution": "normal", "order_quantity": 40, "lead_time": 2, "service_level": 0.95}')$$,
  'sales alone, text SKUs, integer periods');
SELECT col_type_is('into_ro', 'rp_text', 'sku', 'text', 'a text SKU stays text');
SELECT col_type_is('into_ro', 'rp_text', 'history_from', 'bigint', 'integer periods are bigint');
SELECT ok((SELECT abs(p.reorder_point - e.r) <= 1e-9 * e.r FROM into_ro.rp_text p, expected e
           WHERE p.sku = 'sku-1' AND e.sku = 1), 'the same policy for SKU 1 (lead time 2, 0.95)');

-- Bad queries are errors before anything is written.
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad', 'SELECT sku, day FROM into_ro.sales')$$,
                 '42804', 'sales query of reorder_policy_into must return (sku, day, qty)', 'two sales columns');
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad',
                     'SELECT sku, day::timestamptz, qty FROM into_ro.sales')$$,
                 '42804', 'sales query of reorder_policy_into must return (sku, day, qty)', 'a timestamptz day');
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad', 'SELECT sku, day, qty FROM into_ro.sales',
                     'SELECT sku::text, lead_time FROM into_ro.items')$$,
                 '42804', NULL, 'text SKUs in the parameters, bigint ones in the sales');
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad', 'SELECT sku, day, qty FROM into_ro.sales',
                     'SELECT sku, lead_time FROM into_ro.items UNION ALL SELECT 2, 1')$$,
                 '21000', 'parameters query of reorder_policy_into returns sku 2 more than once', 'a SKU given twice');
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad', 'SELECT sku, day, qty FROM into_ro.sales',
                     'SELECT sku, lead_time AS lead_days FROM into_ro.items')$$,
                 '22023', NULL, 'a parameter column that is no reorder_policy option');
-- An error in one SKU's policy ends the call, and its message names the SKU
-- (the aggregate's option "label").
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad', 'SELECT sku, day, qty FROM into_ro.sales',
                     'SELECT sku, CASE WHEN sku = 3 THEN -1 ELSE lead_time END AS lead_time FROM into_ro.items')$$,
                 '22023', 'sku 3: option "lead_time" of supplyml.reorder_policy is out of range',
                 'a lead time out of range names its SKU');
SELECT throws_ok($$SELECT supplyml.reorder_policy_into('into_ro.bad',
                     'SELECT sku, day, qty FROM into_ro.sales UNION ALL SELECT 7, DATE ''2024-03-05'', NULL',
                     options => '{"lead_time": 2, "order_quantity": 10}')$$,
                 '22004', 'sku 7: demand quantity must not be null', 'a NULL quantity names its SKU');
SELECT hasnt_table('into_ro', 'bad', 'no failed call left a table');
-- The label of the aggregate itself, on each form.
SELECT throws_ok($$SELECT supplyml.reorder_policy(day, qty, '{"label": "store 12", "lead_time": 2}') FROM into_ro.sales$$,
                 '22023', 'store 12: policy rq needs holding_cost and order_cost', 'the history form labels its errors');
SELECT throws_ok($$SELECT supplyml.reorder_policy(supplyml.forecast(day, qty::float8, 7), '{"label": "store 9"}')
                   FROM into_ro.sales WHERE sku = 1$$,
                 '22023', 'store 9: policy rq needs holding_cost and order_cost', 'the forecast form labels its errors');
SELECT throws_ok($$SELECT supplyml.reorder_policy(day, qty, '{"label": 5}') FROM into_ro.sales$$,
                 '22023', 'option "label" of supplyml.reorder_policy must be a string', 'a label is text');

SELECT * FROM finish();
ROLLBACK;
