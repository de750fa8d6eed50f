-- Demand forecasting: the 100 best-selling products of the UCI Online Retail
-- data set (Chen, Sain & Guo 2012, CC BY 4.0), 28 days ahead, into a table.
\pset footer off
CREATE TABLE IF NOT EXISTS demo_daily_sales (stock_code text, day date, qty float8, n_order_lines int, avg_unit_price float8);
TRUNCATE demo_daily_sales;
\set sales_file :data_dir '/online_retail/online_retail_daily_top100.csv'
\set cmd '\\copy demo_daily_sales FROM ' :'sales_file' ' CSV HEADER'
:cmd
\echo 'Forecasting 100 products x 28 days with forecast_batch (method auto):'
\timing on
DROP TABLE IF EXISTS forecasts;
CREATE TABLE forecasts AS
  SELECT * FROM supplyml.forecast_batch('SELECT stock_code, day, qty FROM demo_daily_sales', horizon => 28);
\timing off
\echo 'Methods chosen:'
SELECT method, count(DISTINCT series_key) AS products FROM forecasts GROUP BY method ORDER BY products DESC;
\echo 'Demand classes (Syntetos-Boylan: ADI and CV2) behind the methods, from the aggregate:'
SELECT split_part((r).note, ' demand', 1) AS class, (r).method, count(*) AS products
FROM (SELECT stock_code, supplyml.forecast(day, qty, 28) AS r FROM demo_daily_sales GROUP BY stock_code) s
GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 8;
\echo 'Next week for the best seller (85123A):'
SELECT ts::date AS day, round(point::numeric, 1) AS point, round(lower::numeric, 1) AS lower, round(upper::numeric, 1) AS upper
FROM forecasts WHERE series_key = '85123A' ORDER BY step LIMIT 7;
\echo 'Backtest, 2 windows of 28 days (overall row):'
SELECT method, round(mase::numeric, 3) AS mase, round(smape::numeric, 2) AS smape, round(coverage::numeric, 3) AS coverage, series
FROM supplyml.forecast_backtest('SELECT stock_code, day, qty FROM demo_daily_sales', 28, windows => 2)
WHERE series_key IS NULL;
