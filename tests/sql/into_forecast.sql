-- forecast_into: forecast_batch's rows in a table whose key and time columns
-- keep the source's types, with run ids and a summary row per run. Values
-- against R's naive forecasts of AirPassengers (tests/fixtures/forecast_baselines.csv);
-- dates against the calendar (the data end in December 1960).
BEGIN;
SELECT plan(35);

CREATE SCHEMA into_fc;
CREATE TABLE into_fc.sales AS
  SELECT k::bigint AS sku, month, passengers FROM fixtures_forecast.air, (VALUES (1), (2), (10)) v(k);

SELECT results_eq(
  $$SELECT run_id, output_table, summary_table, rows_written, keys, errors
    FROM supplyml.forecast_into('into_fc.fc', 'SELECT sku, month, passengers FROM into_fc.sales', 12,
                                method => 'naive')$$,
  $$VALUES (1::bigint, 'into_fc.fc', 'into_fc.fc_summary', 36::bigint, 3::bigint, 0::bigint)$$,
  'first run: run id 1, 3 series of 12 periods, no errors');

-- Types: the source's, not text and timestamptz.
SELECT col_type_is('into_fc', 'fc', 'series_key', 'bigint', 'a bigint key stays bigint');
SELECT col_type_is('into_fc', 'fc', 'ts', 'date', 'a date stays date');
SELECT col_type_is('into_fc', 'fc', 'run_id', 'bigint', 'run_id is bigint');
SELECT col_type_is('into_fc', 'fc', 'created_at', 'timestamp with time zone', 'created_at is timestamptz');
SELECT results_eq($$SELECT DISTINCT series_key FROM into_fc.fc ORDER BY series_key$$,
                  $$VALUES (1::bigint), (2::bigint), (10::bigint)$$, 'bigint keys sort numerically: 1, 2, 10');

-- The values are forecast_batch's, which equal R's naive forecasts.
SELECT is((SELECT count(*) FROM into_fc.fc f JOIN fixtures_forecast.baselines b ON b.method = 'naive' AND b.step = f.step
           WHERE abs(f.point - b.point) <= 1e-6 * abs(b.point) AND abs(f.lower - b.lower) <= 1e-6 * abs(b.lower)
             AND abs(f.upper - b.upper) <= 1e-6 * abs(b.upper) AND f.method = 'naive'),
          36::bigint, 'point and 95 % bounds equal R''s naive forecasts');

-- Dates are dates in every time zone; written in New York they are the same.
SET LOCAL TimeZone = 'America/New_York';
SELECT results_eq($$SELECT ts FROM into_fc.fc WHERE series_key = 2 ORDER BY step$$,
                  $$SELECT d::date FROM generate_series(DATE '1961-01-01', DATE '1961-12-01', INTERVAL '1 month') d$$,
                  'read in New York, the forecast months are January to December 1961');
SELECT is((SELECT count(*) FROM supplyml.forecast_into('into_fc.fc_ny',
             'SELECT sku, month, passengers FROM into_fc.sales', 12, method => 'naive')), 1::bigint,
          'a run in New York');
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT results_eq($$SELECT ts FROM into_fc.fc_ny WHERE series_key = 1 ORDER BY step$$,
                  $$SELECT d::date FROM generate_series(DATE '1961-01-01', DATE '1961-12-01', INTERVAL '1 month') d$$,
                  'written in New York and read in Tokyo, the months are the same');
RESET TimeZone;

-- Other key and time types.
SELECT lives_ok($$SELECT supplyml.forecast_into('into_fc.fc_text',
                    'SELECT ''sku-'' || sku, month::timestamptz, passengers FROM into_fc.sales', 3, method => 'naive')$$,
                'text keys and timestamptz times');
SELECT col_type_is('into_fc', 'fc_text', 'series_key', 'text', 'a text key stays text');
SELECT col_type_is('into_fc', 'fc_text', 'ts', 'timestamp with time zone', 'a timestamptz stays timestamptz');
SELECT lives_ok($$SELECT supplyml.forecast_into('into_fc.fc_int',
                    'SELECT sku::integer, month::timestamp, passengers FROM into_fc.sales', 3, method => 'naive')$$,
                'integer keys and timestamp times');
SELECT col_type_is('into_fc', 'fc_int', 'series_key', 'integer', 'an integer key stays integer');
SELECT col_type_is('into_fc', 'fc_int', 'ts', 'timestamp without time zone', 'a timestamp stays timestamp');
SELECT is((SELECT min(ts) FROM into_fc.fc_int), TIMESTAMP '1961-01-01 00:00', 'timestamps keep their value');

-- A second run appends with the next run id.
SELECT is((SELECT run_id FROM supplyml.forecast_into('into_fc.fc', 'SELECT sku, month, passengers FROM into_fc.sales',
             12, method => 'naive', level => 0.8)), 2::bigint, 'the second run gets run id 2');
SELECT results_eq($$SELECT run_id, count(*) FROM into_fc.fc GROUP BY run_id ORDER BY run_id$$,
                  $$VALUES (1::bigint, 36::bigint), (2::bigint, 36::bigint)$$, 'both runs'' rows are kept');
SELECT is((SELECT count(*) FROM into_fc.fc f JOIN fixtures_forecast.baselines b ON b.method = 'naive' AND b.step = f.step
           WHERE f.run_id = 2 AND f.lower > b.lower AND f.upper < b.upper), 36::bigint,
          'the 80 % run has narrower intervals than R''s 95 % ones');

-- The summary: one row per run with its figures.
SELECT results_eq(
  $$SELECT run_id, function, rows_written, keys, method_counts, errors, device, model_version,
           arguments->>'source', (arguments->>'horizon')::int, arguments->>'method', (arguments->>'level')::float8
    FROM into_fc.fc_summary ORDER BY run_id$$,
  $$VALUES (1::bigint, 'supplyml.forecast_into', 36::bigint, 3::bigint, '{"naive": 3}'::jsonb, 0::bigint, 'cpu',
            NULL::integer, 'SELECT sku, month, passengers FROM into_fc.sales', 12, 'naive', 0.95::float8),
           (2::bigint, 'supplyml.forecast_into', 36::bigint, 3::bigint, '{"naive": 3}'::jsonb, 0::bigint, 'cpu',
            NULL::integer, 'SELECT sku, month, passengers FROM into_fc.sales', 12, 'naive', 0.8::float8)$$,
  'summary rows: function, rows, keys, method counts, errors, device, arguments');
SELECT is((SELECT count(*) FROM into_fc.fc_summary
           WHERE seconds >= 0 AND finished_at >= started_at AND started_at >= now()), 2::bigint,
          'each run has its seconds and start and finish times');
SELECT is((SELECT count(*) FROM into_fc.fc f JOIN into_fc.fc_summary s USING (run_id) WHERE f.created_at = s.started_at),
          72::bigint, 'created_at is the start of the run that wrote the row');

-- Method counts per series, with auto choosing per series: an intermittent
-- series (6 every third day: ADI 3, CV2 0 -> SBA) and an all-zero one.
SELECT lives_ok($$SELECT supplyml.forecast_into('into_fc.fc_auto',
  'SELECT k, DATE ''2024-01-01'' + g, CASE WHEN k = ''zero'' THEN 0 WHEN g % 3 = 0 THEN 6 ELSE 0 END::float8
   FROM generate_series(0, 29) g, (VALUES (''zero''), (''sparse'')) v(k)',
  7)$$, 'method auto over an intermittent and an all-zero series');
SELECT is((SELECT method_counts FROM into_fc.fc_auto_summary), '{"sba": 1, "zero": 1}'::jsonb,
          'method_counts counts series per method');

-- forecast_batch's other arguments pass through: a series that fails under
-- negative => 'error' gets its error row with on_error => 'null', counted
-- in the summary; as_of ends every history at the same month.
SELECT results_eq($$SELECT rows_written, keys, errors FROM supplyml.forecast_into('into_fc.fc_err',
  'SELECT sku, month, CASE WHEN sku = 2 AND month = DATE ''1955-06-01'' THEN -1 ELSE passengers END FROM into_fc.sales',
  12, method => 'naive', negative => 'error', on_error => 'null')$$,
  $$VALUES (25::bigint, 3::bigint, 1::bigint)$$, 'on_error null: two series forecast, one error row');
SELECT results_eq($$SELECT series_key, point, left(error, 5) FROM into_fc.fc_err WHERE error IS NOT NULL$$,
                  $$VALUES (2::bigint, NULL::float8, '22023')$$, 'the failed series'' row carries its error');
SELECT results_eq($$SELECT method_counts, errors, arguments->>'on_error', arguments->>'negative' FROM into_fc.fc_err_summary$$,
                  $$VALUES ('{"naive": 2}'::jsonb, 1::bigint, 'null', 'error')$$,
                  'the summary counts the failed series apart from the methods');
SELECT lives_ok($$SELECT supplyml.forecast_into('into_fc.fc_asof', 'SELECT sku, month, passengers FROM into_fc.sales', 3,
                    method => 'naive', as_of => '1960-06-01')$$, 'as_of passes through');
SELECT results_eq($$SELECT DISTINCT ts FROM into_fc.fc_asof ORDER BY ts$$,
                  $$VALUES (DATE '1960-07-01'), (DATE '1960-08-01'), (DATE '1960-09-01')$$,
                  'the forecast starts after as_of');

-- Several interval levels (percents, as R writes them) and nonnegative pass through.
SELECT is((SELECT rows_written FROM supplyml.forecast_into('into_fc.fc_levels',
             'SELECT sku, month, passengers FROM into_fc.sales', 12, method => 'naive', level => '{80,95}'::float8[],
             nonnegative => true)), 72::bigint, 'two levels: a row per series, period and level');
SELECT is((SELECT count(*) FROM into_fc.fc_levels f JOIN fixtures_forecast.baselines b ON b.method = 'naive' AND b.step = f.step
           WHERE f.level = 0.95 AND abs(f.upper - b.upper) <= 1e-6 * abs(b.upper)), 36::bigint,
          'the 95 % rows have R''s upper bounds');

-- Comments on the tables and every column.
SELECT isnt(obj_description('into_fc.fc'::regclass, 'pg_class'), NULL, 'the output table has a comment');
SELECT isnt(obj_description('into_fc.fc_summary'::regclass, 'pg_class'), NULL, 'the summary table has a comment');
SELECT is_empty($$SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  WHERE c.relnamespace = 'into_fc'::regnamespace AND c.relkind = 'r' AND c.relname <> 'sales'
                    AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL$$,
                'every column of every output and summary table has a comment');

SELECT * FROM finish();
ROLLBACK;
