-- Forecast outputs against R's forecast (tests/fixtures/forecast_outputs_reference.R):
-- several interval levels at once, non-negative forecasts, fitted values and
-- residuals, and the forecasts behind forecast_backtest.
BEGIN;
SELECT plan(38);

CREATE TEMP TABLE ref AS SELECT * FROM fixtures_forecast.outputs;
-- The largest relative gap (absolute below 1) of a forecast_batch result to R's.
CREATE FUNCTION pg_temp.level_gap(name text, fc_method text, season int, options jsonb,
                                  nonnegative boolean DEFAULT false)
RETURNS float8 LANGUAGE sql AS $$
  -- NULL (a failed test) unless every step of both levels found its reference
  SELECT CASE WHEN count(*) = 48 THEN
           max(greatest(abs(f.point - p.value) / greatest(1, abs(p.value)),
                        abs(f.lower - lo.value) / greatest(1, abs(lo.value)),
                        abs(f.upper - hi.value) / greatest(1, abs(hi.value)))) END
  FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 24,
                               method => fc_method, season => season, level => '{80,95}',
                               options => options, nonnegative => nonnegative) f
  JOIN pg_temp.ref p ON p.name = level_gap.name AND p.kind = 'point' AND p.i = f.step
  JOIN pg_temp.ref lo ON lo.name = level_gap.name AND lo.kind = 'lower' AND lo.i = f.step
                     AND lo.level = round(f.level * 100)
  JOIN pg_temp.ref hi ON hi.name = level_gap.name AND hi.kind = 'upper' AND hi.i = f.step
                     AND hi.level = round(f.level * 100)
$$;

-- 1. Several levels: one row per step and level, each level's bounds R's.
SELECT is((SELECT count(*) FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air',
             24, method => 'naive', level => '{80,95}')), 48::bigint, 'two levels: 24 steps x 2 rows');
SELECT is((SELECT array_agg(DISTINCT level ORDER BY level) FROM supplyml.forecast_batch(
             'SELECT 1, month, passengers FROM fixtures_forecast.air', 3, method => 'naive', level => '{80,95}')),
          ARRAY[0.8, 0.95]::float8[], 'level column holds each level as a fraction');
SELECT ok(pg_temp.level_gap('naive', 'naive', 1, '{}') < 1e-9, 'naive at 80 and 95 % equals R');
SELECT ok(pg_temp.level_gap('snaive', 'snaive', 12, '{}') < 1e-9, 'snaive at 80 and 95 % equals R');
SELECT ok(pg_temp.level_gap('mean', 'mean', 1, '{}') < 1e-9, 'mean (Student t) at 80 and 95 % equals R');
SELECT ok(pg_temp.level_gap('drift', 'drift', 1, '{}') < 1e-9, 'drift at 80 and 95 % equals R');
SELECT ok(pg_temp.level_gap('ses', 'ses', 1, '{}') < 1e-6, 'ses at 80 and 95 % equals R to 1e-6');
SELECT ok(pg_temp.level_gap('damped', 'damped', 1, '{}') < 1e-6, 'damped Holt at 80 and 95 % equals R to 1e-6');
SELECT ok(pg_temp.level_gap('theta', 'theta', 12, '{}') < 1e-6, 'theta at 80 and 95 % equals R to 1e-6');
SELECT ok(pg_temp.level_gap('ets', 'ets', 12, '{}') < 1e-6, 'ETS(M,Ad,M) at 80 and 95 % equals R to 1e-6');
SELECT ok(pg_temp.level_gap('arima', 'arima', 12, '{"order": [0, 1, 1], "seasonal_order": [0, 1, 1]}') < 1e-6,
          'ARIMA(0,1,1)(0,1,1)[12] at 80 and 95 % equals R to 1e-6');

-- Level forms: percents and fractions, numbers, arrays and text mean the same.
CREATE TEMP TABLE forms AS
  SELECT f.form, string_agg(format('%s %s %s %s', r.step, r.level, r.lower, r.upper), ';' ORDER BY r.step, r.level) AS rows
  FROM (VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f')) f(form),
  LATERAL (SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => '{80,95}') WHERE f.form = 'a'
           UNION ALL SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => ARRAY[0.8, 0.95]) WHERE f.form = 'b'
           UNION ALL SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => '{80,95}'::float8[]) WHERE f.form = 'c'
           UNION ALL SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => ARRAY[80, 95]) WHERE f.form = 'd'
           UNION ALL SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => '{0.8, 95}') WHERE f.form = 'e'
           UNION ALL SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'drift', level => '{80, 0.95}'::text) WHERE f.form = 'f') r
  GROUP BY f.form;
SELECT is((SELECT count(DISTINCT rows) FROM forms), 1::bigint,
          'level as text, numeric[], float8[], int[] and mixed percents and fractions give the same rows');
SELECT is((SELECT array_agg(lower ORDER BY k) FROM (
             SELECT 1 k, lower FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 1,
               method => 'naive', level => 0.9)
             UNION ALL SELECT 2, lower FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 1,
               method => 'naive', level => 90)
             UNION ALL SELECT 3, lower FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 1,
               method => 'naive', level => '90')) s) = ARRAY[l, l, l], true,
          'level => 0.9, 90 and ''90'' agree')
  FROM (SELECT lower AS l FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 1,
          method => 'naive', level => 0.9)) x;
SELECT is((SELECT row(count(*), min(level), bool_and(error IS NULL))::text FROM supplyml.forecast_batch(
             'SELECT 1, month, passengers FROM fixtures_forecast.air', 5, method => 'naive')),
          '(5,0.95,t)', 'without level: one row per step at 0.95, error NULL');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => 100)$$,
                 '22023', 'level must be between 0 and 100', 'level 100 is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => '{80,0}')$$,
                 '22023', 'level must be between 0 and 100', 'a level 0 in the array is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => '{}')$$,
                 '22023', 'level must hold at least one value', 'an empty array of levels is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => '{80,NULL}')$$,
                 '22004', 'level must not contain NULL', 'a NULL level is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => 'high')$$,
                 '22P02', 'invalid interval level "high"', 'a level that is not a number is refused');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2, level => true)$$,
                 '42804', 'level must be a number or an array of numbers', 'a boolean level is refused');

-- 2. nonnegative: ETS and ARIMA fitted on log(y) as R with lambda = 0.
SELECT ok(pg_temp.level_gap('ets_log', 'ets', 12, '{}', true) < 1e-6,
          'nonnegative ETS equals R''s ets(lambda = 0) at 80 and 95 % to 1e-6');
SELECT ok(pg_temp.level_gap('arima_log', 'arima', 12, '{"order": [0, 1, 1], "seasonal_order": [0, 1, 1]}', true) < 1e-6,
          'nonnegative ARIMA equals R''s Arima(lambda = 0) at 80 and 95 % to 1e-6');
SELECT is((SELECT DISTINCT method FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 2,
             method => 'ets', nonnegative => true)), 'ETS(A,A,A) of log(y)', 'method says the transformation');
SELECT is((SELECT (r).params->'transform' FROM (SELECT supplyml.forecast(month, passengers, 3,
             '{"method": "ets", "nonnegative": true}') r FROM fixtures_forecast.air) s),
          '["log"]'::jsonb, 'the aggregate takes nonnegative and reports the transformation in params');
CREATE TEMP TABLE falling AS SELECT DATE '2024-01-01' + g AS d, (20 - g)::float8 AS v FROM generate_series(0, 17) g;
SELECT is((SELECT (r).level FROM (SELECT supplyml.forecast(month, passengers, 3, '{"method": "naive", "level": 90}') r
                                   FROM fixtures_forecast.air) s), 0.9::float8, 'the aggregate reads level 90 as 0.9');
SELECT is((SELECT count(*) FILTER (WHERE lower < 0) || ' ' || count(*) FROM supplyml.forecast_backtest_rows(
             'SELECT 1, d, v FROM falling', 3, method => 'drift', season => 1, windows => 2, nonnegative => true)),
          '0 6', 'forecast_backtest_rows takes nonnegative');
-- Other methods are clipped: a falling series whose naive bounds go below 0.
SELECT is((SELECT bool_and(n.lower = greatest(0, p.lower) AND n.point = greatest(0, p.point)
                           AND n.upper = greatest(0, p.upper)) AND bool_or(p.lower < 0)
           FROM supplyml.forecast_batch('SELECT 1, d, v FROM falling', 6, method => 'drift', season => 1) p
           JOIN supplyml.forecast_batch('SELECT 1, d, v FROM falling', 6, method => 'drift', season => 1,
                                        nonnegative => true) n USING (step)), true,
          'drift with nonnegative: point and bounds clipped at 0, the rest unchanged');

-- 3. Fitted values and residuals as R's fitted() and y - fitted().
CREATE FUNCTION pg_temp.fitted_gap(name text, fc_method text, options jsonb, nonnegative boolean DEFAULT false)
RETURNS float8 LANGUAGE sql AS $$
  SELECT CASE WHEN count(*) = 144 THEN
           max(greatest(abs(f.fitted - x.value) / greatest(1, abs(x.value)),
                        abs(f.residual - r.value) / greatest(1, abs(r.value)))) END
  FROM (SELECT row_number() OVER (ORDER BY ts) AS i, * FROM supplyml.forecast_fitted(
          'SELECT 1, month, passengers FROM fixtures_forecast.air', method => fc_method, season => 12,
          options => options, nonnegative => nonnegative)) f
  JOIN pg_temp.ref x ON x.name = fitted_gap.name AND x.kind = 'fitted' AND x.i = f.i
  JOIN pg_temp.ref r ON r.name = fitted_gap.name AND r.kind = 'residual' AND r.i = f.i
$$;
SELECT ok(pg_temp.fitted_gap('ets', 'ets', '{}') < 1e-6, 'ETS fitted values and residuals equal R''s');
SELECT ok(pg_temp.fitted_gap('arima', 'arima', '{"order": [0, 1, 1], "seasonal_order": [0, 1, 1]}') < 1e-6,
          'ARIMA fitted values and residuals equal R''s');
SELECT ok(pg_temp.fitted_gap('theta', 'theta', '{}') < 1e-6, 'Theta fitted values and residuals equal R''s');
SELECT is((SELECT row(count(*), count(fitted), bool_and(residual = actual - fitted))::text FROM supplyml.forecast_fitted(
             'SELECT 1, month, passengers FROM fixtures_forecast.air', method => 'naive')),
          '(144,143,t)', 'naive: one row per period, no fit for the first, residual = actual - fitted');

-- 4. forecast_backtest_rows: the forecasts behind forecast_backtest's measures.
CREATE TEMP TABLE bt AS SELECT * FROM supplyml.forecast_backtest_rows(
  'SELECT 1, month, passengers FROM fixtures_forecast.air', 12, method => 'ets', windows => 3);
SELECT is((SELECT row(count(*), count(DISTINCT cutoff), min(cutoff)::date, max(ts)::date)::text FROM bt),
          '(36,3,1957-12-01,1960-12-01)', 'three windows of 12 months, cutoffs at each window''s last fitted month');
SELECT is((SELECT count(*) FROM bt JOIN fixtures_forecast.air a ON a.month = bt.ts AND a.passengers = bt.actual),
          36::bigint, 'actual is the source value at ts');
-- sMAPE and MASE recomputed from the rows: MASE scales each window by the
-- mean absolute seasonal (12) difference of the months up to its cutoff.
SELECT ok((SELECT abs(s.smape - b.smape) < 1e-9 AND abs(s.mase - b.mase) < 1e-9
           FROM (SELECT avg(w.smape) AS smape, avg(w.mase) AS mase FROM (
                   SELECT bt.cutoff, avg(200 * abs(actual - point) / (abs(actual) + abs(point))) AS smape,
                          avg(abs(actual - point)) / (SELECT avg(abs(a.passengers - p.passengers))
                            FROM fixtures_forecast.air a JOIN fixtures_forecast.air p
                              ON p.month = (a.month - interval '12 months')::date
                            WHERE a.month <= bt.cutoff) AS mase
                   FROM bt GROUP BY bt.cutoff) w) s,
                supplyml.forecast_backtest('SELECT 1, month, passengers FROM fixtures_forecast.air', 12,
                  method => 'ets', windows => 3) b
           WHERE b.series_key = '1'),
          'sMAPE and MASE recomputed from forecast_backtest_rows equal forecast_backtest''s');
SELECT is((SELECT count(*) FROM bt WHERE point BETWEEN lower AND upper), 36::bigint, 'bounds hold the point');

-- 5. on_error: a series too short for the backtest gets one row with its error.
CREATE TEMP TABLE two AS
  SELECT 1 AS k, month, passengers FROM fixtures_forecast.air
  UNION ALL SELECT 2, month, passengers FROM fixtures_forecast.air WHERE month >= '1960-06-01';
SELECT is((SELECT string_agg(format('%s %s %s', series_key, count, left(error, 30)), '; ' ORDER BY series_key)
           FROM (SELECT series_key, count(*), max(error) AS error FROM supplyml.forecast_backtest_rows(
                   'SELECT k, month, passengers FROM two', 3, method => 'naive', windows => 3, on_error => 'null')
                 GROUP BY series_key) s),
          '1 9 ; 2 1 22000: series 2: series too sh', 'forecast_backtest_rows with on_error null: one error row for the short series');
SELECT is((SELECT string_agg(format('%s %s %s', series_key, count, left(error, 22)), '; ' ORDER BY series_key)
           FROM (SELECT series_key, count(*), max(error) AS error FROM supplyml.forecast_batch(
                   'SELECT k, month, passengers FROM two', 2, method => 'snaive', season => 12,
                   level => '{80,95}', on_error => 'null') GROUP BY series_key) s),
          '1 4 ; 2 1 22023: series 2: seaso', 'forecast_batch with two levels and on_error null: one error row per failed series');
SELECT is((SELECT count(*) FROM supplyml.forecast_fitted('SELECT k, month, passengers FROM two', method => 'snaive',
             season => 12, on_error => 'skip')), 144::bigint, 'forecast_fitted with on_error skip leaves the short series out');

SELECT * FROM finish();
ROLLBACK;
