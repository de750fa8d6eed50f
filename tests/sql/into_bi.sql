-- The dashboard of docs/bi.md on test data: forecast_into's table, a
-- materialized view of the next four weeks per product over the latest run,
-- refreshed CONCURRENTLY. The history (8 weeks ending on Sunday 2024-03-31)
-- is forecast with the seasonal naive method, season 7, whose forecast for
-- each of the next four weeks repeats the last week of history: each weekly
-- total equals the sum of 2024-03-25 .. 2024-03-31.
BEGIN;
SELECT plan(8);

CREATE SCHEMA into_bi;
CREATE TABLE into_bi.sales (sku bigint, day date, qty float8);
INSERT INTO into_bi.sales
  SELECT k, d::date, (k * 3 + extract(isodow FROM d) * 2 + (extract(doy FROM d)::int % 5))::float8
  FROM generate_series(DATE '2024-02-05', DATE '2024-03-31', INTERVAL '1 day') d, (VALUES (1), (2), (10)) v(k);
CREATE TEMP TABLE expected AS
  SELECT sku, sum(qty) AS units FROM into_bi.sales WHERE day >= DATE '2024-03-25' GROUP BY sku;
SET LOCAL search_path = into_bi, public;

CREATE SCHEMA bi;
SELECT is((SELECT rows_written FROM supplyml.forecast_into('bi.demand_forecast', 'SELECT sku, day, qty FROM sales',
             horizon => 28, method => 'snaive', season => 7)), 84::bigint, 'the nightly run: 3 products x 28 days');

CREATE MATERIALIZED VIEW bi.next_four_weeks AS
SELECT f.series_key AS sku,
       date_trunc('week', f.ts::timestamp)::date AS week,
       count(*) AS days,
       round(sum(f.point)::numeric, 1) AS units,
       min(f.method) AS method
FROM bi.demand_forecast f
WHERE f.run_id = (SELECT max(s.run_id) FROM bi.demand_forecast_summary s)
GROUP BY 1, 2;
CREATE UNIQUE INDEX ON bi.next_four_weeks (sku, week);

SELECT results_eq($$SELECT DISTINCT week FROM bi.next_four_weeks ORDER BY week$$,
                  $$VALUES (DATE '2024-04-01'), (DATE '2024-04-08'), (DATE '2024-04-15'), (DATE '2024-04-22')$$,
                  'four Monday weeks after the history');
SELECT is((SELECT count(*) FROM bi.next_four_weeks v JOIN expected e USING (sku)
           WHERE v.days = 7 AND v.units = round(e.units::numeric, 1) AND v.method = 'snaive'), 12::bigint,
          'each week''s units repeat the last week of history');
SELECT results_eq($$SELECT DISTINCT sku FROM bi.next_four_weeks ORDER BY sku$$,
                  $$VALUES (1::bigint), (2::bigint), (10::bigint)$$, 'products sort numerically');

-- A later run with doubled sales: after the refresh the view shows it.
UPDATE into_bi.sales SET qty = 2 * qty;
SELECT is((SELECT run_id FROM supplyml.forecast_into('bi.demand_forecast', 'SELECT sku, day, qty FROM sales',
             horizon => 28, method => 'snaive', season => 7)), 2::bigint, 'the next night''s run');
SELECT is((SELECT sum(units) FROM bi.next_four_weeks), (SELECT round(4 * sum(e.units)::numeric, 1) FROM expected e),
          'before the refresh the view still shows the first run');
REFRESH MATERIALIZED VIEW CONCURRENTLY bi.next_four_weeks;
SELECT is((SELECT count(*) FROM bi.next_four_weeks v JOIN expected e USING (sku)
           WHERE v.units = round(2 * e.units::numeric, 1)), 12::bigint, 'after it, the latest run');

SET LOCAL TimeZone = 'America/New_York';
REFRESH MATERIALIZED VIEW CONCURRENTLY bi.next_four_weeks;
SELECT results_eq($$SELECT DISTINCT week FROM bi.next_four_weeks ORDER BY week$$,
                  $$VALUES (DATE '2024-04-01'), (DATE '2024-04-08'), (DATE '2024-04-15'), (DATE '2024-04-22')$$,
                  'refreshed in New York, the weeks are the same');

SELECT * FROM finish();
ROLLBACK;
