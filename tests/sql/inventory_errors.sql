-- Every bad input of the inventory functions gets its own SQLSTATE.
BEGIN;
SELECT plan(21);

SELECT throws_ok($$SELECT supplyml.eoq(1300, 8, -0.225)$$, '22023', 'holding cost must be positive', 'negative holding cost');
SELECT throws_ok($$SELECT supplyml.eoq(1300, -8, 0.225)$$, '22023', 'order cost must not be negative', 'negative order cost');
SELECT throws_ok($$SELECT supplyml.eoq(-1300, 8, 0.225)$$, '22023', 'demand rate must not be negative', 'negative demand');
SELECT throws_ok($$SELECT supplyml.eoq('NaN', 8, 0.225)$$, '22023', NULL, 'NaN demand');
SELECT throws_ok($$SELECT supplyml.eoq(NULL, 8, 0.225)$$, '22004', 'demand_rate must not be null', 'NULL demand');
SELECT throws_ok($$SELECT supplyml.newsvendor(0.18, 0.7, 50, 8, 'weibull')$$, '22023',
                 'unknown demand distribution "weibull"', 'unknown distribution');
SELECT throws_ok($$SELECT supplyml.newsvendor(0.18, 0.7, 50)$$, '22004', 'demand_sd must not be null',
                 'normal demand without a standard deviation');
SELECT throws_ok($$SELECT supplyml.newsvendor(0.18, 0.7, 5, 2, 'negative_binomial')$$, '22023',
                 'negative binomial demand needs a variance above its mean', 'underdispersed negative binomial');
SELECT throws_ok($$SELECT supplyml.newsvendor(0.18, 0.7, '{}'::float8[])$$, '22023', 'demand observations are empty',
                 'empty observations');
SELECT throws_ok($$SELECT supplyml.reorder_point(100, 10, 4, service_level => 1.0)$$, '22023',
                 'service level must lie strictly between 0 and 1', 'service level of 1');
SELECT throws_ok($$SELECT supplyml.reorder_point(100, 10, 4, service_type => 'gamma')$$, '22023',
                 'unknown service type "gamma"', 'unknown service type');
SELECT throws_ok($$SELECT supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 0)$$, '22023',
                 'lead time must be positive for normal (r,Q) policies', 'zero lead time for a normal (r,Q)');
SELECT throws_ok($$SELECT supplyml.rq_policy(0.225, 7.5, 8, 1300, 150, 0.1, 'newton')$$, '22023',
                 'unknown (r,Q) method "newton"', 'unknown (r,Q) method');
SELECT throws_ok($$SELECT supplyml.ss_policy(1, 4, 5, 6, 2, 'normal')$$, '0A000',
                 'exact (s,S) needs integer demand, not normal', 'exact (s,S) with continuous demand');
SELECT throws_ok($$SELECT supplyml.ss_cost(4.5, 10, 1, 4, 5, 6)$$, '22023', 's and S must be integers with s < S',
                 'fractional s');
SELECT throws_ok($$SELECT supplyml.reorder_policy(d, q, '{"lead_tme": 3}') FROM (VALUES (1::bigint, 2.0::float8)) v(d, q)$$,
                 '22023', NULL, 'unknown option key');
SELECT throws_ok($$SELECT supplyml.reorder_policy(d, q, '{"policy": "kanban"}') FROM (VALUES (1::bigint, 2.0::float8)) v(d, q)$$,
                 '22023', NULL, 'unknown policy');
SELECT throws_ok($$SELECT supplyml.reorder_policy(d, q, '{"order_quantity": 5, "duplicates": "error"}') FROM (VALUES (1::bigint, 2.0::float8), (1, 3)) v(d, q)$$,
                 '23505', 'duplicate period 1 in demand history', 'duplicate period under duplicates error');
SELECT is((SELECT supplyml.reorder_policy(d, q, '{"order_quantity": 5}') FROM (VALUES (1::bigint, 2.0::float8)) v(d, q) WHERE false),
          NULL, 'no rows: NULL, as the forecast aggregate');
SELECT throws_ok($$SELECT supplyml.simulate_policy('{1,2,3}', 'kanban', 1, 2, 1, 100)$$, '22023',
                 'unknown policy "kanban"', 'simulate_policy with an unknown policy');

SELECT throws_ok($$SELECT supplyml.ss_policy(1, 1000, 1e9, 5000)$$, '22023', NULL,
                 'an exact (s,S) too large to search stops with a hint instead of running for hours');

SELECT * FROM finish();
ROLLBACK;
