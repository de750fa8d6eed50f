-- Calendar control and dirty input, in forecast_batch, the forecast aggregate
-- and reorder_policy: freq, as_of, missing, negative, duplicates, outer joins.
-- Expected values are closed forms: the mean of the padded series, the last
-- value (naive), the grid's next date.
BEGIN;
SELECT plan(32);

-- as_of: x sells 5 a day on Jan 1-5, y 3 a day on Jan 3-12; as_of Jan 10.
CREATE TEMP VIEW xy AS
SELECT 'x' AS k, d::date, 5.0::float8 AS q FROM generate_series('2024-01-01'::date, '2024-01-05', '1 day') d
UNION ALL
SELECT 'y', d::date, 3.0 FROM generate_series('2024-01-03'::date, '2024-01-12', '1 day') d;
CREATE TEMP TABLE asof AS
SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM xy', 1, method => 'naive', as_of => '2024-01-10');
SELECT is((SELECT array_agg(point ORDER BY series_key) FROM asof), ARRAY[0.0, 3.0]::float8[],
          'as_of: x padded with zero demand to Jan 10, y''s rows after Jan 10 left out');
SELECT is((SELECT array_agg(DISTINCT ts::date) FROM asof), ARRAY['2024-01-11'::date],
          'as_of: every series'' forecast starts the day after as_of');
SELECT is((SELECT point FROM supplyml.forecast_batch('SELECT k, d, q FROM xy WHERE k = ''x''', 1, method => 'naive',
                                                     as_of => '2024-01-10', options => '{"missing": "interpolate"}')),
          5.0::float8, 'as_of with missing interpolate carries the last value');
SELECT is((SELECT point FROM supplyml.forecast_batch('SELECT k, d, q FROM xy WHERE k = ''x''', 1, method => 'mean',
                                                     as_of => '2024-01-10')),
          2.5::float8, 'as_of: mean of five 5s and five padded zeros');
SELECT is((SELECT error FROM supplyml.forecast_batch('SELECT k, d, q FROM xy', 1, method => 'naive',
                                                     as_of => '2024-01-02', on_error => 'null') WHERE series_key = 'y'),
          '22000: series y: series has no rows up to as_of 2024-01-02', 'a series that starts after as_of');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT k, d, q FROM xy', 1, method => 'naive',
                                                          as_of => '2024-01-10', options => '{"missing": "error"}')$$,
                 '22000', 'series x: series has missing periods, the first at 2024-01-06', 'as_of with missing error');

-- The backtest sees the padded series: 1..5 then two zeros to as_of; naive
-- one step ahead misses by 5 (5 for a 0), then by 0.
SELECT is((SELECT array[rmse, bias] FROM supplyml.forecast_backtest(
             'SELECT 1, d::date, extract(day FROM d)::float8 FROM generate_series(''2024-01-01''::date, ''2024-01-05'', ''1 day'') d',
             1, 'naive', windows => 2, as_of => '2024-01-07') WHERE series_key = '1'),
          ARRAY[sqrt(12.5::float8), 2.5], 'backtest with as_of: rmse sqrt(25/2), bias 5/2');

-- freq: an interval, and calendar months where detection finds none.
SELECT is((SELECT array[point, extract(epoch FROM ts - '2024-01-07'::date)::float8 / 86400]
           FROM supplyml.forecast_batch('SELECT 1, d, q FROM (VALUES (''2024-01-01''::date, 1.0), (''2024-01-03'', 2), (''2024-01-07'', 3)) v(d, q)',
                                        1, method => 'mean', freq => '2 days')),
          ARRAY[1.5, 2]::float8[], 'freq 2 days: 1, 2, (Jan 5 zero), 3; next period two days on');
SELECT is((SELECT array[point::text, ts::date::text]
           FROM supplyml.forecast_batch('SELECT 1, d, q FROM (VALUES (''2024-01-01''::date, 4.0), (''2024-03-01'', 8)) v(d, q)',
                                        1, method => 'mean', freq => 'month')),
          ARRAY['4', '2024-04-01'], 'freq month: January, (February zero), March');
SELECT is((SELECT (supplyml.forecast(d, q, 1, '{"method": "mean", "freq": "quarter"}')).step
           FROM (VALUES ('2023-10-01'::date, 1.0::float8), ('2024-04-01', 2)) v(d, q)),
          'quarterly, season 4', 'freq quarter in the aggregate');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch(
                     'SELECT 1, t, 1.0 FROM (VALUES (''2024-01-01 00:00''::timestamp), (''2024-01-01 01:30'')) v(t)', 1, freq => 'hour')$$,
                 '22000', 'series 1: timestamp 2024-01-01 01:30:00 is not on the hourly grid of the series',
                 'a timestamp off the grid is named as a timestamp');
SET LOCAL TimeZone = 'UTC';
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch(
                     'SELECT 1, t, 1.0 FROM (VALUES (''2024-01-01 00:00+00''::timestamptz), (''2024-01-01 00:20+00''), (''2024-01-01 00:45+00'')) v(t)',
                     1, freq => '15 minutes')$$,
                 '22000', 'series 1: timestamp 2024-01-01 00:20:00+00 is not on the fixed grid of the series',
                 'a timestamptz off the grid is named in UTC');
RESET TimeZone;
-- Detection: sales days two and three days apart form a daily series.
SELECT is((SELECT (supplyml.forecast(d, 1, 1, '{"method": "naive"}')).step
           FROM (VALUES ('2024-01-01'::date), ('2024-01-03'), ('2024-01-06')) v(d)),
          'daily, season 7', 'dates two and three days apart are daily');

-- Duplicates: summed by default, or an error.
SELECT is((SELECT point FROM supplyml.forecast_batch(
             'SELECT 1, d, q FROM (VALUES (''2024-01-01''::date, 1.0), (''2024-01-01'', 2), (''2024-01-02'', 3)) v(d, q)',
             1, method => 'mean')), 3.0::float8, 'duplicates summed: 1 + 2 and 3');
SELECT is((SELECT error FROM supplyml.forecast_batch(
             'SELECT 1, d, q FROM (VALUES (''2024-01-01''::date, 1.0), (''2024-01-01'', 2), (''2024-01-02'', 3)) v(d, q)',
             1, method => 'mean', duplicates => 'error', on_error => 'null')),
          '23505: series 1: duplicate timestamp 2024-01-01 in series', 'duplicates error, set aside by on_error');

-- Negative values (returns): kept by default, zero, or an error.
CREATE TEMP VIEW ret AS SELECT * FROM (VALUES ('2024-01-01'::date, 3.0::float8), ('2024-01-02', -2), ('2024-01-03', 1)) v(d, q);
SELECT is((SELECT round(point::numeric, 12) FROM supplyml.forecast_batch('SELECT 1, d, q FROM ret', 1, method => 'mean')),
          round(2 / 3.0, 12), 'negative keep (default): mean of 3, -2, 1');
SELECT is((SELECT round(point::numeric, 12) FROM supplyml.forecast_batch('SELECT 1, d, q FROM ret', 1, method => 'mean', negative => 'zero')),
          round(4 / 3.0, 12), 'negative zero: mean of 3, 0, 1');
SELECT is((SELECT round(((supplyml.forecast(d, q, 1, '{"method": "mean", "negative": "zero"}')).point[1])::numeric, 12) FROM ret),
          round(4 / 3.0, 12), 'negative zero in the aggregate');
SELECT throws_ok($$SELECT supplyml.forecast(d, q, 1, '{"negative": "error"}') FROM ret$$,
                 '22023', 'negative value -2 at 2024-01-02', 'negative error in the aggregate names the date');

-- The aggregate's as_of and outer joins.
SELECT is((SELECT array[(f).point[1]::text, (f).ts[1]::date::text]
           FROM (SELECT supplyml.forecast(d, q, 1, '{"method": "naive", "as_of": "2024-01-10"}') AS f FROM xy WHERE k = 'x') s),
          ARRAY['0', '2024-01-11'], 'aggregate as_of pads to the date');
SELECT is((SELECT supplyml.forecast(x.d, x.q, 3) IS NULL
           FROM (VALUES ('z')) s(k) LEFT JOIN xy x USING (k)), true, 'forecast of a key without rows in a LEFT JOIN is NULL');

-- reorder_policy: as_of, freq, negative, duplicates, no history.
SELECT is((supplyml.reorder_policy(p, q, '{"order_quantity": 5, "as_of": 4}')).demand_mean, 2.5::float8,
          'reorder_policy as_of: 4, 6, then two periods of zero demand')
FROM (VALUES (1::bigint, 4.0::float8), (2, 6)) v(p, q);
SELECT is((supplyml.reorder_policy(d, q, '{"order_quantity": 5, "as_of": "2024-01-04"}')).demand_mean, 2.0::float8,
          'reorder_policy as_of on dates: rows after it left out')
FROM (VALUES ('2024-01-01'::date, 4.0::float8), ('2024-01-02', 4), ('2024-01-05', 9)) v(d, q);
SELECT is((supplyml.reorder_policy(d, q, '{"order_quantity": 5, "freq": "week", "as_of": "2024-01-22"}')).demand_mean, 3.0::float8,
          'reorder_policy freq week: 5, 0, 7, 0 through as_of')
FROM (VALUES ('2024-01-01'::date, 5.0::float8), ('2024-01-15', 7)) v(d, q);
SELECT throws_ok($$SELECT supplyml.reorder_policy(d, q, '{"order_quantity": 5, "freq": "week", "as_of": "2024-01-22"}')
                   FROM (VALUES ('2024-01-01'::date, 5.0::float8), ('2024-01-09', 7)) v(d, q)$$,
                 '22000', 'date 2024-01-09 is not on the weekly grid through as_of 2024-01-22', 'a Tuesday among Mondays');
SELECT throws_ok($$SELECT supplyml.reorder_policy(p, q, '{"order_quantity": 5, "freq": "week"}')
                   FROM (VALUES (1::bigint, 5.0::float8)) v(p, q)$$,
                 '22023', 'freq needs date periods', 'freq with integer periods');
SELECT throws_ok($$SELECT supplyml.reorder_policy(p, q, '{"order_quantity": 5}')
                   FROM (VALUES (1::bigint, 4.0::float8), (2, -2), (3, 4)) v(p, q)$$,
                 '22023', 'negative demand -2 at period 2', 'negative demand is an error by default');
SELECT throws_ok($$SELECT supplyml.reorder_policy(d, q, '{"order_quantity": 5}')
                   FROM (VALUES ('2024-01-01'::date, 4.0::float8), ('2024-01-02', -2)) v(d, q)$$,
                 '22023', 'negative demand -2 at 2024-01-02', 'a negative day is named as a date');
SELECT is((supplyml.reorder_policy(p, q, '{"order_quantity": 5, "negative": "zero"}')).demand_mean, 8 / 3.0::float8,
          'negative zero: 4, 0, 4')
FROM (VALUES (1::bigint, 4.0::float8), (2, -2), (3, 4)) v(p, q);
SELECT is((supplyml.reorder_policy(p, q, '{"order_quantity": 5}')).demand_mean, 5.0::float8,
          'duplicates summed by default: 2 + 3 and 5')
FROM (VALUES (1::bigint, 2.0::float8), (1, 3), (2, 5)) v(p, q);
SELECT is((SELECT array_agg(p IS NULL ORDER BY sku)
           FROM (SELECT s.sku, supplyml.reorder_policy(h.d, h.q, '{"order_quantity": 5}') AS p
                 FROM (VALUES ('a'), ('b')) s(sku)
                 LEFT JOIN (VALUES ('a', '2024-01-01'::date, 3.0::float8)) h(sku, d, q) USING (sku)
                 GROUP BY s.sku) r),
          ARRAY[false, true], 'a SKU without history in a LEFT JOIN gets NULL');
SELECT is((supplyml.reorder_policy(p, q, '{"order_quantity": 5, "as_of": 1}')) IS NULL, true,
          'a history that starts after as_of is no history: NULL')
FROM (VALUES (3::bigint, 4.0::float8)) v(p, q);

SELECT * FROM finish();
ROLLBACK;
