-- No successful result carries NaN or an infinity: an undefined measure is
-- NULL, an overflow is 22003, and probabilities stay within [0, 1]. Each case
-- below once returned a non-finite or impossible value.
BEGIN;
SELECT plan(19);

-- Inventory. Three equal observations are deterministic demand: the
-- newsvendor orders exactly that much, at zero expected cost.
SELECT is((SELECT (order_up_to, expected_cost)::text FROM supplyml.newsvendor(1, 9, '{1e308,1e308,1e308}'::float8[])),
          '(1e+308,0)', 'newsvendor on observations near the float8 limit: S = 1e308, cost 0');
SELECT is(supplyml.newsvendor_cost(1e308, 1, 9, '{1e308,1e308,1e308}'::float8[]), 0::float8,
          'newsvendor_cost at the deterministic demand is 0');
SELECT throws_ok($$SELECT supplyml.rq_cost(1e308, 10, 1, 9, 5, 100, 20, 1)$$, '22003',
                 'result of rq_cost is out of range', 'rq_cost at r = 1e308 overflows');
SELECT throws_ok($$SELECT * FROM supplyml.ss_policy(1, 4, 5, 6, 4.9e-324, 'normal', 100000, 'power')$$, '22003',
                 'result field "reorder_point" is out of range', 'power (s,S) with a denormal sd (was -Infinity)');
SELECT throws_ok($$SELECT * FROM supplyml.newsvendor(2, 9, 1e100, 0.1, 'gamma')$$, '22003',
                 'demand standard deviation is too small for its mean',
                 'gamma newsvendor whose sd is below the rounding of its mean (was a negative cost)');
-- Snyder & Shen (4.24): the optimal normal newsvendor cost (h + p) phi(z) sigma
-- is positive; the gamma cost stays non-negative at every level.
SELECT ok((SELECT bool_and(supplyml.newsvendor_cost(s, 2, 9, 1e6, 1e-3 * 1e6, 'gamma') >= 0)
           FROM generate_series(990000, 1010000, 500) s), 'gamma newsvendor cost is never negative');

-- Demand of 1-3 per period over a lead time of 2 (3 periods of exposure) is at
-- most 9, below the reorder point 10: no period ever stocks out.
SELECT is((SELECT (cycle_service_level, fill_rate)::text
           FROM supplyml.simulate_policy('{1,2,3}', 'rq', 10, 20, 2, 50, 20)),
          '(1,1)', 'simulate_policy: service levels are exactly 1, not 1.0000000000000002');
SELECT ok((SELECT bool_and(cycle_service_level BETWEEN 0 AND 1 AND fill_rate BETWEEN 0 AND 1)
           FROM generate_series(1, 12) r,
                LATERAL supplyml.simulate_policy('{0,1,2,3,7}', 'rq', r, 5, 2, 200, 7, seed => r)),
          'simulated probabilities stay within [0, 1]');

-- Routing: a speed of 1e-300 over legs of 1e9 overflows the travel time.
SELECT throws_ok($$SELECT supplyml.route_score(g, g * 1e9, g * 2e9, '{"speed": 1e-300}') FROM generate_series(1, 4) g$$,
                 '22003', 'route measures are out of range', 'route_score with an overflowing travel time');
SELECT throws_ok($$SELECT supplyml.route_optimize(g, g * 1e9, g * 2e9, '{"speed": 1e-300}') FROM generate_series(1, 4) g$$,
                 '22003', 'route measures are out of range', 'route_optimize with an overflowing travel time');

-- Forecasting. ETS(A,N,N) fits a constant series exactly: the likelihood is
-- -infinity, so AICc is undefined (NULL) and the forecast is the constant.
SELECT is((SELECT ((f).aicc IS NULL, (f).point)::text
           FROM (SELECT supplyml.forecast(DATE '2020-01-01' + g, 5.0, 3, '{"method": "ets", "model": "ANN"}') f
                 FROM generate_series(1, 24) g) s),
          '(t,"{5,5,5}")', 'fixed ETS on a constant series: AICc NULL, forecast 5');

-- MASE (Hyndman & Koehler 2006) scales by the in-sample naive error, zero for
-- a constant series: undefined, NULL. sMAPE, RMSE and bias of an exact naive
-- forecast are 0, coverage 1. The overall row averages the defined values only.
CREATE TEMP TABLE bt AS
SELECT * FROM supplyml.forecast_backtest(
  $$SELECT k, DATE '2020-01-01' + g, CASE WHEN k = 1 THEN 5 WHEN k = 2 THEN 0 ELSE g % 5 END::float8
    FROM generate_series(1, 30) g, generate_series(1, 3) k$$, 3, 'naive', 2);
SELECT is((SELECT (mase IS NULL, smape, rmse, bias, coverage)::text FROM bt WHERE series_key = '1'),
          '(t,0,0,0,1)', 'backtest of a constant series: MASE NULL, exact forecast');
SELECT is((SELECT mase IS NULL FROM bt WHERE series_key = '2'), true, 'backtest of an all-zero series: MASE NULL');
SELECT is((SELECT mase FROM bt WHERE series_key IS NULL), (SELECT mase FROM bt WHERE series_key = '3'),
          'overall MASE averages the one series where it is defined');
SELECT is((SELECT round(smape::numeric, 9) FROM bt WHERE series_key IS NULL),
          (SELECT round((smape / 3)::numeric, 9) FROM bt WHERE series_key = '3'),
          'overall sMAPE averages all three series');
SELECT is((SELECT count(*)::integer FROM supplyml.forecast_backtest(
             $$SELECT 1, DATE '2020-01-01' + g, 0::float8 FROM generate_series(1, 30) g$$, 3, 'naive', 2)
           WHERE series_key IS NULL AND mase IS NULL),
          1, 'overall MASE is NULL when no series defines it');

-- A level of 1 - 2^-53 made the interval's normal quantile overflow (XX000).
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, DATE ''2020-01-01'' + g, (g % 4)::float8
                   FROM generate_series(1, 24) g', 3, 'ets', level => 0.9999999999999999)$$, '22023',
                 'level must be between 0 and 100', 'forecast_batch with a level next to 1');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_backtest('SELECT 1, DATE ''2020-01-01'' + g, (g % 4)::float8
                   FROM generate_series(1, 24) g', 3, 'ets', 2, level => 0.9999999999999999)$$, '22023',
                 'level must be between 0 and 100', 'forecast_backtest with a level next to 1');

-- The result builders refuse a non-finite float whatever computed it.
SELECT throws_ok($$SELECT supplyml.newsvendor_cost(1e308, 1e308, 1e308, 1e308, 1e300)$$, '22003', NULL,
                 'an overflowing newsvendor cost is 22003');

SELECT * FROM finish();
ROLLBACK;
