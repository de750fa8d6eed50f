-- A BI dashboard: the next four weeks of demand for every product of the
-- catalog, from one forecast_batch call over all 3,919 daily series, read
-- through a view that a BI tool queries like any table. Every product's
-- history ends on the data's last day (as_of: a product not sold lately has
-- trailing days of no demand), so all forecasts cover the same four weeks;
-- a day of net returns counts as no demand.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
\echo 'Forecasting every product of the catalog 28 days ahead (one forecast_batch call):'
\timing on
DROP TABLE IF EXISTS shop.demand_forecast CASCADE;
CREATE TABLE shop.demand_forecast AS
SELECT * FROM supplyml.forecast_batch('SELECT stock_code, day, qty FROM shop.daily_sales', horizon => 28,
    freq => 'day', as_of => (SELECT max(day) FROM shop.daily_sales), negative => 'zero', on_error => 'null');
\timing off

CREATE VIEW shop.dashboard_next_4_weeks AS
SELECT series_key AS stock_code, (ts::date - (SELECT min(ts)::date FROM shop.demand_forecast)) / 7 + 1 AS week,
       min(ts::date) AS week_start, round(sum(point)::numeric, 1) AS units, min(method) AS method
FROM shop.demand_forecast WHERE error IS NULL GROUP BY 1, 2;
COMMENT ON VIEW shop.dashboard_next_4_weeks IS 'Forecast units per product and week, for the next four weeks.';

\echo 'Products forecast, and products whose series could not be forecast (on_error => null):'
SELECT count(DISTINCT series_key) FILTER (WHERE error IS NULL) AS forecast,
       count(DISTINCT series_key) FILTER (WHERE error IS NOT NULL) AS failed
FROM shop.demand_forecast;
\echo 'shop.dashboard_next_4_weeks, what the dashboard reads:'
SELECT count(DISTINCT stock_code) AS products, count(*) AS product_weeks, min(week_start) AS first_week,
       max(week_start) AS last_week
FROM shop.dashboard_next_4_weeks;
\echo 'The five products with the most units forecast over the four weeks:'
SELECT stock_code, array_agg(units ORDER BY week) AS units_per_week, sum(units) AS total
FROM shop.dashboard_next_4_weeks GROUP BY 1 ORDER BY total DESC LIMIT 5;
\echo 'Methods chosen:'
SELECT method, count(DISTINCT series_key) AS products FROM shop.demand_forecast
WHERE error IS NULL GROUP BY 1 ORDER BY 2 DESC;
\echo 'The products that could not be forecast, and why:'
SELECT series_key AS stock_code, error FROM shop.demand_forecast WHERE error IS NOT NULL ORDER BY 1;
