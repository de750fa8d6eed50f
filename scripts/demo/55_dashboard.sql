-- A BI dashboard: the next four weeks of demand for every product of the
-- catalog, from one forecast_into call over all 3,919 daily series, read
-- through a view that a BI tool queries like any table. Every product's
-- history ends on the data's last day (as_of: a product not sold lately has
-- trailing days of no demand), so all forecasts cover the same four weeks; a
-- day of net returns counts as no demand; a series that cannot be forecast
-- gets a row with its error instead of stopping the call.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS shop.demand_forecast, shop.demand_forecast_summary CASCADE;
\echo 'Forecasting every product of the catalog 28 days ahead (one forecast_into call):'
SELECT run_id, rows_written, keys, errors, round(seconds::numeric, 1) AS seconds
FROM supplyml.forecast_into('shop.demand_forecast', 'SELECT stock_code, day, qty FROM shop.daily_sales',
    horizon => 28, freq => 'day', as_of => (SELECT max(day) FROM shop.daily_sales), negative => 'zero',
    on_error => 'null');

-- The latest run, per product and week; ts is a date, as in shop.daily_sales.
-- (The forecast starts the day after as_of, which the summary keeps among the run's arguments.)
CREATE VIEW shop.dashboard_next_4_weeks AS
SELECT f.series_key AS stock_code, p.description, (f.ts - r.first_day) / 7 + 1 AS week,
       min(f.ts) AS week_start, round(sum(f.point)::numeric, 1) AS units, min(f.method) AS method
FROM (SELECT run_id, (arguments->>'as_of')::date + 1 AS first_day FROM shop.demand_forecast_summary
      ORDER BY run_id DESC LIMIT 1) r
JOIN shop.demand_forecast f USING (run_id)
JOIN shop.products p ON p.stock_code = f.series_key
WHERE f.error IS NULL
GROUP BY 1, 2, 3;
COMMENT ON VIEW shop.dashboard_next_4_weeks IS 'Forecast units per product and week, for the next four weeks.';

\echo 'shop.dashboard_next_4_weeks, what the dashboard reads:'
SELECT count(DISTINCT stock_code) AS products, count(*) AS product_weeks, min(week_start) AS first_week,
       max(week_start) AS last_week
FROM shop.dashboard_next_4_weeks;
\echo 'The five products with the most units forecast over the four weeks:'
SELECT stock_code, left(description, 32) AS description, array_agg(units ORDER BY week) AS units_per_week,
       sum(units) AS total
FROM shop.dashboard_next_4_weeks GROUP BY 1, 2 ORDER BY total DESC LIMIT 5;
\echo 'The run, as shop.demand_forecast_summary records it (products per method):'
SELECT run_id, keys AS products, errors, (SELECT string_agg(format('%s: %s', m, n), ', ' ORDER BY n::int DESC)
                                          FROM jsonb_each_text(method_counts) AS e(m, n)
                                          WHERE n::int >= 10) AS methods_used_10_times_or_more,
       device, round(seconds::numeric, 1) AS seconds
FROM shop.demand_forecast_summary;
\echo 'The products that could not be forecast, and why:'
SELECT series_key AS stock_code, error FROM shop.demand_forecast WHERE error IS NOT NULL ORDER BY 1;
