-- The tables the SQL examples of README.md and docs/*.md assume, filled with
-- small slices of the repository's data (:data_dir is data/). The examples run
-- in a copy of the database this script prepares (tests/docs/run.sh).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Online Retail (UCI id 352, Chen, Sain & Guo 2012, CC BY 4.0): the order
-- lines as published, of which the examples use the products and customers
-- below; dates moved forward so that the last order is yesterday, as in a
-- live system ("the last year of order lines").
CREATE TEMP TABLE retail_lines (invoice text, stock_code text, description text, quantity integer,
  invoice_date timestamp, unit_price numeric, customer_id text, country text);
\set src :data_dir '/online_retail/online_retail.csv.xz'
\set copycmd '\\copy retail_lines FROM PROGRAM ' '''xz -dc ' :src '''' ' WITH (FORMAT csv, HEADER true)'
:copycmd
DELETE FROM retail_lines
WHERE customer_id = '' OR invoice LIKE 'C%' OR quantity <= 0 OR unit_price <= 0
   OR stock_code !~ '^[0-9]{5}[A-Za-z]*$';

-- Customers of three countries, and customer 12347 (Iceland) whom the examples name.
CREATE TABLE order_lines AS
SELECT customer_id::bigint AS customer_id, stock_code, invoice,
       (invoice_date + (current_date - 1 - (SELECT max(invoice_date)::date FROM retail_lines)) * interval '1 day')::timestamptz
         AS order_date,
       quantity, country
FROM retail_lines
WHERE country IN ('Iceland', 'Finland', 'Norway');

-- Interactions (customer, product, distinct invoices) and a held-out set: the
-- products each customer bought for the first time in the last 60 days.
CREATE TABLE interactions AS
SELECT customer_id, stock_code, count(DISTINCT invoice)::int AS n_invoices, count(DISTINCT invoice)::int AS n
FROM order_lines GROUP BY 1, 2;
CREATE TABLE held_out AS
SELECT customer_id, stock_code FROM order_lines GROUP BY 1, 2
HAVING min(order_date) > now() - interval '60 days';

CREATE SCHEMA storefront;
CREATE TABLE storefront.recommendations (customer_id bigint, stock_code text, score float8, rank int);

-- Daily demand of five of the 100 best sellers, every day zero-filled.
CREATE TEMP TABLE top100 (stock_code text, day date, qty_sold float8, n_order_lines int, avg_unit_price float8);
\set src :data_dir '/online_retail/online_retail_daily_top100.csv'
\set copycmd '\\copy top100 FROM ' :'src' ' WITH (FORMAT csv, HEADER true)'
:copycmd
CREATE TABLE sales AS
SELECT stock_code AS sku, day, qty_sold AS qty, avg_unit_price AS unit_price
FROM top100 WHERE stock_code IN ('85123A', '22423', '47566', '20725', '84879');
CREATE TABLE forecasts (series_key text, step int, ts timestamptz, point float8, lower float8,
                        upper float8, method text, level float8, error text);

-- Solomon's C101 (100 customers with time windows, capacity 200) and the
-- first three routes of its best known solution, as stop rows; lon/lat place
-- the same stops around London (x, y read as hundredths of a degree).
CREATE TEMP TABLE c101_lines (n bigserial, line text);
\set src :data_dir '/solomon/C101.txt'
\set copycmd '\\copy c101_lines(line) FROM ' :'src'
:copycmd
CREATE TEMP TABLE c101_sol (n bigserial, line text);
\set src :data_dir '/solomon/C101.sol'
\set copycmd '\\copy c101_sol(line) FROM ' :'src'
:copycmd
CREATE TEMP TABLE c101 AS
SELECT f[1]::int AS cust, f[2]::float8 AS x, f[3]::float8 AS y, f[4]::float8 AS demand,
       f[5]::float8 AS ready, f[6]::float8 AS due, f[7]::float8 AS service
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM c101_lines) s
WHERE cardinality(f) = 7 AND f[1] ~ '^[0-9]+$';
CREATE TEMP TABLE c101_routes AS
SELECT substring(line FROM 'Route #([0-9]+)')::int AS route_id, c.ord::int AS seq, c.cust::int AS cust
FROM c101_sol, unnest(regexp_split_to_array(btrim(split_part(line, ':', 2), E' \r'), '\s+'))
     WITH ORDINALITY AS c(cust, ord)
WHERE line LIKE 'Route #%'
UNION ALL
SELECT DISTINCT substring(line FROM 'Route #([0-9]+)')::int, 0, 0 FROM c101_sol WHERE line LIKE 'Route #%';
CREATE TABLE stops AS
SELECT r.route_id, r.seq, -0.5 + c.x / 100 AS lon, 51.2 + c.y / 100 AS lat,
       c.x, c.y, c.demand, c.ready, c.due, c.service
FROM c101_routes r JOIN c101 c USING (cust) WHERE r.route_id <= 3;
-- Two plans: the best known routes 1-4, and the same stops dealt out to the
-- routes round-robin.
CREATE TABLE plan_stops AS
SELECT 1 AS plan_id, r.route_id, r.seq, c.x, c.y, c.demand, c.ready, c.due, c.service
FROM c101_routes r JOIN c101 c USING (cust) WHERE r.route_id <= 4
UNION ALL
SELECT 2, 1 + (row_number() OVER (ORDER BY c.cust) - 1)::int % 4, 0, c.x, c.y, c.demand, c.ready, c.due, c.service
FROM c101_routes r JOIN c101 c USING (cust) WHERE r.route_id <= 4 AND r.seq > 0;
UPDATE plan_stops p SET seq = n.seq FROM (
  SELECT ctid, row_number() OVER (PARTITION BY route_id ORDER BY x, y)::int AS seq
  FROM plan_stops WHERE plan_id = 2) n
WHERE p.plan_id = 2 AND p.ctid = n.ctid;
INSERT INTO plan_stops
SELECT 2, route_id, 0, x, y, demand, ready, due, service FROM plan_stops WHERE plan_id = 1 AND seq = 0;
ANALYZE;

-- Lead times the purchasing system keeps per product, in days.
CREATE TABLE lead_times (sku text PRIMARY KEY, lead_time int NOT NULL);
INSERT INTO lead_times VALUES ('85123A', 7), ('22423', 14), ('47566', 10), ('20725', 5), ('84879', 21);
