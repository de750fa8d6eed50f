-- Adversarial inputs of the inventory functions: each one either finishes in
-- bounded time, stops on statement_timeout, or is refused with a clear error.
-- (Before these limits some crashed the backend or ran for hours.)
BEGIN;
SELECT plan(24);

CREATE TEMP TABLE probe (name text, code text, seconds float8);
SET statement_timeout = '300ms';
INSERT INTO probe SELECT 'rq poisson 1e9', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.rq_policy(1, 10, 100, 1e9, NULL, 1, 'exact', 'poisson')$$) p;
INSERT INTO probe SELECT 'ss span', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.ss_policy(1, 1, 1e9, 1e4)$$) p;
INSERT INTO probe SELECT 'sim periods', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.simulate_policy(NULL, 'rq', 10, 5, 1, 2147483647, 2, distribution => 'poisson', demand_mean => 3)$$) p;
INSERT INTO probe SELECT 'sim table', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.simulate_policy(NULL, 'rq', 10, 5, 1, 10, 10, distribution => 'poisson', demand_mean => 1e9)$$) p;
RESET statement_timeout;

SELECT is(code, '57014', name || ': stopped by statement_timeout') FROM probe ORDER BY name;
SELECT cmp_ok(seconds, '<', 1.0::float8, name || ': within a second') FROM probe ORDER BY name;

-- Crashed the backend: the span of bigint periods overflowed.
SELECT throws_ok($$SELECT supplyml.reorder_policy(p, 1.0, '{}')
                   FROM (VALUES ('-9223372036854775808'::bigint), (9223372036854775807)) v(p)$$,
                 '22023', 'demand history spans too many periods', 'periods at both ends of bigint');
SELECT throws_ok($$SELECT supplyml.reorder_policy(p, 1.0, '{}') FROM (VALUES (0::bigint), (10000000)) v(p)$$,
                 '22023', 'demand history spans too many periods', 'history of more than 1e7 periods');
-- Ran for hours (linear walks over units).
SELECT throws_ok($$SELECT supplyml.rq_cost(0, 1e12, 1, 10, 100, 10, NULL, 1, 'poisson')$$,
                 '22023', 'discrete (r,Q) order quantity exceeds 1000000 units', 'discrete rq_cost sum is bounded');
SELECT throws_ok($$SELECT supplyml.base_stock_policy(1, NULL, 0, 100000, 1, 10, 0, 0.95, 'poisson')$$,
                 '22023', 'review period must be between 1 and 1000 periods', 'review period bounded');
SELECT is((supplyml.base_stock_policy(1, NULL, 0, 1000, 1, 10, 0, 0.95, 'poisson')).order_up_to, 909::float8,
          'review period 1000 by cost: S between the quantiles of 1 and 1000 periods');
SELECT throws_ok($$SELECT supplyml.ss_policy(1, 1, 10, 5, lead_time => 2147483647)$$,
                 '22023', 'lead time must be between 0 and 1000000 periods', 'lead time bounded (L + 1 overflowed)');
SELECT throws_ok($$SELECT supplyml.simulate_policy(NULL, 'rq', 10, 5, 1, 10, 2147483647, distribution => 'poisson', demand_mean => 3)$$,
                 '22023', 'replications must be between 2 and 1000000', 'replications bounded');
SELECT throws_ok($$SELECT supplyml.simulate_policy(NULL, 'rq', 10, 5, 1, 10, 10, distribution => 'negative_binomial', demand_mean => 1e3, demand_sd => 1e6)$$,
                 '22023', 'negative_binomial demand is too spread out to sample', 'sampler table bounded');
-- Boost.Math's own quantile ran for minutes here; the integer search is O(log).
SELECT is((supplyml.newsvendor(1e-15, 1, 1e3, 1e6, 'negative_binomial')).order_up_to, 17646841844::float8,
          'over-dispersed negative binomial quantile');
-- Internal errors (XX000) from Boost.Math before.
SELECT throws_ok($$SELECT supplyml.newsvendor(0, 1, 10, NULL, 'poisson')$$,
                 '22023', 'probability 1 has no finite quantile for poisson demand', 'zero holding cost, poisson');
SELECT throws_ok($$SELECT supplyml.newsvendor(1, 1, 1e18, NULL, 'poisson')$$,
                 '22023', 'poisson demand is too large', 'poisson mean above 1e9');
-- Wrong answers without an error before.
SELECT throws_ok($$SELECT supplyml.eoq(1300, 8, 0.225, 'NaN')$$,
                 '22023', 'stockout_cost must not be NaN', 'an explicit NaN is not a missing argument');
SELECT throws_ok($$SELECT supplyml.base_stock_policy(10, 2, 0, 1, 'NaN', 'NaN')$$,
                 '22023', 'holding_cost must not be NaN', 'NaN costs do not mean a service-level policy');
SELECT throws_ok($$SELECT supplyml.eoq(1e308, 1e308, 0.225)$$,
                 '22003', 'economic order quantity is out of range', 'EOQ overflow is an error, not Infinity');
SELECT throws_ok($$SELECT supplyml.reorder_point(1e200, 1e200, 1e200)$$,
                 '22003', 'lead-time demand is out of range', 'lead-time demand overflow');
-- Looped forever: a step of 1 was absorbed by a mean of 1e300. A standard
-- deviation that small next to the mean is now refused before any search.
SELECT throws_ok($$SELECT supplyml.reorder_point(1e300, 1, 1, service_type => 'fill_rate', order_quantity => 1e300,
                                 service_level => 0.5)$$, '22003', 'demand standard deviation is too small for its mean',
                 'fill-rate search at a huge mean ends with an error');

SELECT * FROM finish();
ROLLBACK;
