-- The whole retail catalog: every order line of the UCI Online Retail data set
-- (Chen, Sain & Guo 2012, CC BY 4.0), and the daily sales of all 3,919
-- products sold in it (postage and manual adjustments left out), as an
-- e-commerce database holds them. The dashboard, the ERP procedure and the
-- nightly job that follow read these tables.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS shop;
DROP TABLE IF EXISTS shop.order_lines CASCADE;
CREATE TABLE shop.order_lines (invoice text, stock_code text, description text, quantity integer,
  invoice_date timestamp, unit_price numeric, customer_id text, country text);
\set src :data_dir '/online_retail/online_retail.csv.xz'
\set copycmd '\\copy shop.order_lines FROM PROGRAM ' '''xz -dc ' :src '''' ' WITH (FORMAT csv, HEADER true)'
:copycmd

-- The products: every stock code sold at least once (postage and manual
-- adjustments left out), with its average selling price.
DROP TABLE IF EXISTS shop.products CASCADE;
CREATE TABLE shop.products AS
SELECT stock_code, min(description) AS description, (sum(quantity * unit_price) / sum(quantity))::float8 AS unit_price
FROM shop.order_lines
WHERE invoice NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0 AND stock_code NOT IN ('POST', 'DOT', 'M')
GROUP BY 1;
ALTER TABLE shop.products ADD PRIMARY KEY (stock_code);

-- Daily units sold per product, net of the day's cancellations (a day can
-- net out negative), only the days with order lines, as a sales table has them.
DROP TABLE IF EXISTS shop.daily_sales CASCADE;
CREATE TABLE shop.daily_sales AS
SELECT stock_code, invoice_date::date AS day, sum(quantity)::float8 AS qty
FROM shop.order_lines JOIN shop.products USING (stock_code)
WHERE shop.order_lines.unit_price > 0
GROUP BY 1, 2;
CREATE INDEX ON shop.daily_sales (stock_code, day);

-- The purchasing system's lead times, per product, in days. The data set has
-- none: here they follow the product family (the stock code's first two
-- digits), 5 to 21 days.
DROP TABLE IF EXISTS shop.lead_times CASCADE;
CREATE TABLE shop.lead_times AS
SELECT stock_code, (ARRAY[5, 7, 10, 14, 21])[1 + abs(hashtext(left(stock_code, 2))) % 5] AS lead_time_days
FROM shop.products;
ALTER TABLE shop.lead_times ADD PRIMARY KEY (stock_code);
ANALYZE shop.order_lines, shop.products, shop.daily_sales, shop.lead_times;

\echo 'The catalog:'
SELECT count(DISTINCT stock_code) AS products, count(*) AS product_days, min(day) AS first_day, max(day) AS last_day,
       count(DISTINCT stock_code) FILTER (WHERE n < 10) AS products_sold_on_under_10_days,
       count(*) FILTER (WHERE qty < 0) AS days_of_net_returns
FROM shop.daily_sales JOIN (SELECT stock_code, count(*) AS n FROM shop.daily_sales GROUP BY 1) c USING (stock_code);
