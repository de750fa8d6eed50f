-- forecast_batch and forecast_backtest over series that fail: on_error error,
-- skip and null; which errors a series may set aside and which stop the
-- statement; errors that name the series key and the date.
BEGIN;
SELECT plan(22);

-- Three weekly series: a (Mondays, 2, 4, 6), b (a Tuesday among Mondays),
-- c (a return under negative => 'error').
CREATE TEMP VIEW three AS
SELECT * FROM (VALUES ('a', '2024-01-01'::date, 2.0::float8), ('a', '2024-01-08', 4), ('a', '2024-01-15', 6),
                      ('b', '2024-01-01', 1), ('b', '2024-01-09', 1), ('b', '2024-01-15', 1),
                      ('c', '2024-01-01', 1), ('c', '2024-01-08', -1), ('c', '2024-01-15', 1)) v(k, d, q);
CREATE FUNCTION pg_temp.three(on_error text) RETURNS SETOF record LANGUAGE sql AS $$
  SELECT series_key, step, ts, point, method, level, error
  FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, method => 'mean', level => 0.8,
                               freq => 'week', negative => 'error', on_error => on_error)
$$;

SELECT throws_ok($$SELECT * FROM pg_temp.three('error') AS t(k text, s int, ts timestamptz, p float8, m text, l float8, e text)$$,
                 '22000', 'series b: timestamp 2024-01-09 is not on the weekly grid of the series',
                 'on_error error: the first failing series stops the statement, named with its date');

SET LOCAL client_min_messages = warning;  -- skip's NOTICE counts the skipped series
CREATE TEMP TABLE skipped AS
  SELECT * FROM pg_temp.three('skip') AS t(k text, s int, ts timestamptz, p float8, m text, l float8, e text);
SELECT is((SELECT array_agg(k || s ORDER BY k, s) FROM skipped), ARRAY['a1', 'a2'],
          'on_error skip: the failing series give no rows');
SELECT is((SELECT array_agg(p ORDER BY s) FROM skipped), ARRAY[4.0, 4.0]::float8[],
          'the other series get their forecast: the mean of 2, 4, 6');
SELECT is((SELECT array_agg(ts::date ORDER BY s) FROM skipped), ARRAY['2024-01-22', '2024-01-29']::date[],
          'weekly periods after the last Monday');
SELECT is((SELECT count(*) FROM skipped WHERE l = 0.8 AND e IS NULL AND m = 'mean'), 2::bigint,
          'level column holds the interval level, error is NULL on forecast rows');

CREATE TEMP TABLE nulled AS
  SELECT * FROM pg_temp.three('null') AS t(k text, s int, ts timestamptz, p float8, m text, l float8, e text);
SELECT is((SELECT count(*) FROM nulled), 4::bigint, 'on_error null: two forecast rows and one row per failing series');
SELECT is((SELECT e FROM nulled WHERE k = 'b'),
          '22000: series b: timestamp 2024-01-09 is not on the weekly grid of the series',
          'the error column: SQLSTATE, key, message with the date');
SELECT is((SELECT e FROM nulled WHERE k = 'c'), '22023: series c: negative value -1 at 2024-01-08',
          'a negative value under negative error names its date');
SELECT ok((SELECT s IS NULL AND ts IS NULL AND p IS NULL AND m IS NULL AND l IS NULL FROM nulled WHERE k = 'b'),
          'a failing series'' row is NULL but for its key and error');

-- Errors that are not about one series still stop the statement.
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d FROM three', 2, on_error => 'null')$$,
                 '42804', NULL, 'a source of the wrong shape');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, on_error => 'null', freq => 'fortnight')$$,
                 '22023', 'invalid freq "fortnight"', 'an invalid freq');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, on_error => 'ignore')$$,
                 '22023', 'invalid on_error "ignore"', 'an invalid on_error');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, method => 'prophet', on_error => 'null')$$,
                 '22023', NULL, 'an unknown method');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, on_error => 'null', freq => '1 month 2 days')$$,
                 '22023', 'freq "1 month 2 days" mixes months with days or time', 'a step of months and days');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM three', 2, on_error => 'null', negative => 'drop')$$,
                 '22023', 'invalid negative "drop"', 'an invalid negative policy');

-- Backtest: naive one step ahead over 1..5 misses by -1 in both windows; b
-- is too short for two windows.
CREATE TEMP TABLE bt AS
SELECT * FROM supplyml.forecast_backtest(
  'SELECT k, d, q FROM (VALUES (''a'', ''2024-01-01''::date, 1.0), (''a'', ''2024-01-02'', 2), (''a'', ''2024-01-03'', 3),
                               (''a'', ''2024-01-04'', 4), (''a'', ''2024-01-05'', 5),
                               (''b'', ''2024-01-01'', 1), (''b'', ''2024-01-02'', 2)) v(k, d, q)',
  1, 'naive', windows => 2, on_error => 'null');
SELECT is((SELECT array[rmse, bias] FROM bt WHERE series_key = 'a'), ARRAY[1.0, -1.0]::float8[], 'backtest of a: rmse 1, bias -1');
SELECT is((SELECT error FROM bt WHERE series_key = 'b'), '22000: series b: series too short for the backtest',
          'backtest on_error null: the short series'' error');
SELECT is((SELECT array[rmse, series] FROM bt WHERE series_key IS NULL), ARRAY[1.0, 1]::float8[],
          'the overall row averages the series that succeeded');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_backtest(
  'SELECT k, d, q FROM (VALUES (''b'', ''2024-01-01''::date, 1.0), (''b'', ''2024-01-02'', 2)) v(k, d, q)', 1, 'naive', windows => 2)$$,
                 '22000', 'series b: series too short for the backtest', 'backtest on_error error (the default)');

-- A catalog of real products (transaction lines: returns, many lines a day,
-- single sales, uneven gaps): on_error null completes, and the failing
-- series are the products sold on a single day (one period: too short).
CREATE TEMP TABLE cat AS
SELECT * FROM supplyml.forecast_batch('SELECT stock_code, day, quantity FROM fixtures_batch.retail_lines', 7,
                                      on_error => 'null');
SELECT is((SELECT array_agg(series_key ORDER BY series_key) FROM cat WHERE error IS NOT NULL),
          (SELECT array_agg(stock_code ORDER BY stock_code) FROM
             (SELECT stock_code FROM fixtures_batch.retail_lines GROUP BY 1 HAVING count(DISTINCT day) = 1) s),
          'the failing series of the catalog are the single-day products');
SELECT is((SELECT count(*) FROM cat WHERE error IS NULL),
          7 * (SELECT count(DISTINCT stock_code) FILTER (WHERE n > 1)
               FROM (SELECT stock_code, count(DISTINCT day) n FROM fixtures_batch.retail_lines GROUP BY 1) s),
          'every other product gets its seven days');
-- With as_of and a daily step, every product ends on the same day: even the
-- single sales have history (zeros after the sale), and all forecasts start
-- the next day.
SELECT is((SELECT array[count(DISTINCT series_key), count(*) FILTER (WHERE error IS NOT NULL),
                        count(DISTINCT ts) FILTER (WHERE step = 1)]
           FROM supplyml.forecast_batch('SELECT stock_code, day, quantity FROM fixtures_batch.retail_lines', 7,
                                        on_error => 'null', freq => 'day', as_of => '2011-12-09', negative => 'zero')),
          ARRAY[(SELECT count(DISTINCT stock_code) FROM fixtures_batch.retail_lines), 0, 1],
          'as_of: every product forecast, all from the same day');

SELECT * FROM finish();
ROLLBACK;
