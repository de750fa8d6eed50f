-- Forecasting on hostile inputs: sizes that must be refused before they
-- allocate, timestamps at the ends of PostgreSQL's range, integer overflow in
-- the backtest windows and in season lengths.
BEGIN;
SELECT plan(26);

CREATE TEMP TABLE lim_s AS SELECT '2020-01-01'::date + i AS d, (10 + i % 7)::float8 AS v
  FROM generate_series(0, 40) i;

SELECT throws_ok($$SELECT supplyml.forecast(d, v, 2147483647) FROM lim_s$$, '22023',
  'horizon must be at most 100000', 'a horizon of 2^31-1 is refused before allocating');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, d, v FROM lim_s', 100001)$$,
  '22023', 'horizon must be at most 100000', 'forecast_batch refuses a horizon over the cap');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, d, v FROM lim_s', 4,
  method => 'theta', season => 2147483647)$$, '22023', 'season must be between 1 and 10000',
  'a season of 2^31-1 (once an out-of-bounds read) is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_backtest('SELECT 1, d, v FROM lim_s', 4,
  windows => 1073741824)$$, '22000', 'series 1: series too short for the backtest',
  'windows * horizon overflowing int32 is caught, not read out of bounds');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('infinity'::date, 1::float8),
  ('2020-01-01', 2), ('2020-01-02', 3)) s(d, v)$$, '22008', 'timestamp out of range in series',
  'an infinite date is refused, not forecast');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('-infinity'::timestamptz, 1::float8),
  ('2020-01-01', 2), ('2020-01-02', 3)) s(d, v)$$, '22008', 'timestamp out of range in series',
  'an infinite timestamptz is refused');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('5874897-12-29'::date, 1::float8),
  ('5874897-12-30', 2)) s(d, v)$$, '22008', 'timestamp out of range in series',
  'a date past the timestamp range is refused, not wrapped around');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch($q$SELECT 1, d, 1::float8 FROM
  (VALUES ('infinity'::date), ('2020-01-01'), ('2020-01-02')) s(d)$q$, 2)$$, '22000',
  'source query of forecast_batch returned a non-finite ts in row 1', 'forecast_batch refuses an infinite date');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('4713-01-01 BC'::timestamptz, 1::float8),
  ('294276-12-31 00:00+00', 2)) s(d, v)$$, '22008', 'forecast periods fall outside the timestamp range',
  'a step spanning the whole timestamp range does not overflow');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('294276-12-29 00:00+00'::timestamptz, 1::float8),
  ('294276-12-30 00:00+00', 2), ('294276-12-31 00:00+00', 3)) s(d, v)$$, '22008',
  'forecast periods fall outside the timestamp range', 'forecast periods past 294276 AD are refused');
SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3) FROM (VALUES ('2000-01-01'::date, 1::float8),
  ('2000-01-02', 2), ('290000-01-01', 2)) s(d, v)$$, '54000', 'series spans too many periods',
  'gap filling over 290000 years of days is refused before allocating');
SELECT is((SELECT (supplyml.forecast(d, v, 2)).ts FROM (VALUES ('4713-11-24 BC'::date, 1::float8),
  ('4713-11-25 BC', 2), ('4713-11-26 BC', 3)) s(d, v)),
  ARRAY['4713-11-27 BC'::date::timestamptz, '4713-11-28 BC'::date::timestamptz],
  'a series at the first representable day forecasts the following days');

SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3, '{"method": "drift"}') FROM
  (SELECT d, 1e300 * (1 + extract(day FROM d)::int % 3) AS v FROM lim_s) s$$, '22003',
  'series values are too large to forecast', 'values of 1e300 are refused, not turned into infinite bounds');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, d, v * 1e300 FROM lim_s', 3)$$, '22003',
  'series 1: series values are too large to forecast', 'forecast_batch refuses values that overflow the likelihood');

SELECT throws_ok($$SELECT supplyml.forecast(d, v, extract(day FROM d)::int) FROM lim_s$$, '22023',
  'horizon must be the same on every row', 'a horizon that changes between rows is refused, not half-used');
SELECT is((SELECT row(mase, smape, rmse, bias, coverage, series)::text FROM supplyml.forecast_backtest(
  'SELECT 1, d, v FROM lim_s WHERE false', 3)), '(,,,,,0)',
  'a backtest of no series has NULL overall measures, not zeros');

SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3, '{"method": "ets", "model": "ANM", "season": 7}')
  FROM lim_s$$, '22023', 'ETS model with additive error and multiplicative season is not supported',
  'a forbidden model is named as such, not reported as a too-short series');

SELECT throws_ok($$SELECT supplyml.forecast(d, v, 3, '{"method": "ses", "alpha": 1e400}') FROM lim_s$$,
  '22023', 'option "alpha" of forecast is out of range',
  'an option number beyond float8 gets the option''s own range error, with detail and hint');

SELECT throws_ok($$SELECT supplyml.forecast(d, NULL::float8, 3) FROM lim_s$$, '22000', 'series has no values',
  'a series of only NULL values is refused, not forecast as zeros');

-- Forced parallel plans give the serial answer; the aggregate works as a
-- window function over moving frames (the final function leaves the state
-- reusable).
CREATE TABLE public.forecast_limits_par AS SELECT i % 40 AS k, '2000-01-01'::date + i / 40 AS d,
  (10 + (i * 7919) % 13)::float8 AS v FROM generate_series(0, 19999) i;
CREATE FUNCTION pg_temp.lim_plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
CREATE TEMP TABLE lim_serial AS SELECT k, supplyml.forecast(d, v, 3, '{"method": "mean"}') AS a,
  supplyml.forecast(d::timestamptz, v, 3, '{"method": "naive"}') AS b,
  supplyml.forecast(d, v, 3, '{"holdout": 5, "season": 1}') AS c FROM public.forecast_limits_par GROUP BY k;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.lim_plan($q$SELECT k, supplyml.forecast(d, v, 3, '{"method": "mean"}')
  FROM public.forecast_limits_par GROUP BY k$q$) p WHERE p LIKE '%Partial%Aggregate%'), 'the plan has a partial aggregate');
SELECT is((SELECT count(*) FROM lim_serial s JOIN (SELECT k, supplyml.forecast(d, v, 3, '{"method": "mean"}') AS a,
  supplyml.forecast(d::timestamptz, v, 3, '{"method": "naive"}') AS b,
  supplyml.forecast(d, v, 3, '{"holdout": 5, "season": 1}') AS c FROM public.forecast_limits_par GROUP BY k) p USING (k)
  WHERE p.a IS NOT DISTINCT FROM s.a AND p.b IS NOT DISTINCT FROM s.b AND p.c IS NOT DISTINCT FROM s.c
    AND (s.c).params->>'holdout' = '5'), 40::bigint,
  'parallel forecasts of 40 series equal the serial ones (options such as holdout survive the partial states)');
RESET max_parallel_workers_per_gather;
SELECT is((SELECT count(*) FROM (SELECT (supplyml.forecast(d, v, 1, '{"method": "mean"}')
  OVER w).point[1] AS f, avg(v) OVER w AS m FROM public.forecast_limits_par WHERE k = 1 AND d < '2000-02-01'
  WINDOW w AS (ORDER BY d ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING)) x WHERE abs(f - m) < 1e-9), 31::bigint,
  'as a window function over a moving frame the mean forecast is the frame mean');

-- A single long series stops on statement_timeout within a second, in the
-- aggregate and in the batch functions (the calling thread asks PostgreSQL
-- while it fits a series itself; supplyml_test.cancel_probe catches the cancel).
CREATE TEMP TABLE lim_long AS SELECT '2000-01-01'::timestamptz + i * interval '1 hour' AS t,
  (10 + (i::bigint * 7919) % 13 + 5 * sin(i / 24.0 * 6.283))::float8 AS v FROM generate_series(0, 299999) i;
CREATE TEMP TABLE lim_cancel (what text, code text, seconds float8);
SET statement_timeout = '300ms';
INSERT INTO lim_cancel SELECT 'backtest', p.* FROM supplyml_test.cancel_probe(
  $$SELECT count(*) FROM supplyml.forecast_backtest('SELECT 1, t, v FROM lim_long', 1, windows => 100000)$$) p;
INSERT INTO lim_cancel SELECT 'batch', p.* FROM supplyml_test.cancel_probe(
  $$SELECT count(*) FROM supplyml.forecast_batch('SELECT 1, t, v FROM lim_long', 5)$$) p;
RESET statement_timeout;
SELECT is((SELECT code FROM lim_cancel WHERE what = 'backtest'), '57014', 'a long backtest is cancelled');
SELECT cmp_ok((SELECT seconds FROM lim_cancel WHERE what = 'backtest'), '<', 1.0::float8,
  'the backtest stops within a second of the timeout');
SELECT is((SELECT code FROM lim_cancel WHERE what = 'batch'), '57014', 'a one-series batch of 300000 hours is cancelled');
SELECT cmp_ok((SELECT seconds FROM lim_cancel WHERE what = 'batch'), '<', 1.0::float8,
  'the batch stops within a second of the timeout');

SELECT * FROM finish();
ROLLBACK;
