-- Inventory demo: a reorder policy for each of the 100 best-selling products of
-- the UCI Online Retail data set (Chen, Sain & Guo 2012; CC BY 4.0), computed
-- in SQL from its daily sales history, checked by simulation, and written to
-- the table inventory_policies.
\echo '== inventory: reorder policies for the retail top-100 products'
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS inventory_demand, inventory_policies;
CREATE TABLE inventory_demand (
    stock_code text, day date, qty_sold float8, n_order_lines integer, avg_unit_price float8);
\set inventory_csv :data_dir '/online_retail/online_retail_daily_top100.csv'
\set inventory_load '\\copy inventory_demand FROM ' :'inventory_csv' ' WITH (FORMAT csv, HEADER true)'
:inventory_load

-- Costs per product: holding 25 % of the unit price a year, a stockout costs
-- half the price, 20 GBP an order; a one-week lead time, daily periods.
CREATE TABLE inventory_policies AS
WITH price AS (
    SELECT stock_code, sum(avg_unit_price * qty_sold) / nullif(sum(qty_sold), 0) AS unit_price
    FROM inventory_demand GROUP BY stock_code)
SELECT d.stock_code, p.unit_price,
       supplyml.reorder_policy(d.day, d.qty_sold, jsonb_build_object(
           'policy', 'rq', 'lead_time', 7,
           'holding_cost', 0.25 * p.unit_price / 365, 'stockout_cost', 0.5 * p.unit_price,
           'order_cost', 20)) AS policy,
       array_agg(d.qty_sold) AS history
FROM inventory_demand d JOIN price p USING (stock_code)
GROUP BY d.stock_code, p.unit_price;

-- Replay each policy on bootstrapped history for a year, 200 times.
ALTER TABLE inventory_policies ADD COLUMN simulated_fill_rate float8, ADD COLUMN simulated_cost float8;
UPDATE inventory_policies SET (simulated_fill_rate, simulated_cost) = (
    SELECT s.fill_rate, s.cost_per_period
    FROM supplyml.simulate_policy(history, 'rq', (policy).reorder_point, (policy).order_quantity, 7, 365,
                                  replications => 200, holding_cost => 0.25 * unit_price / 365,
                                  stockout_cost => 0.5 * unit_price, order_cost => 20) s);
ALTER TABLE inventory_policies DROP COLUMN history;

\echo 'demand models chosen from the history; the simulation replays the real (heavier-tailed) history'
\echo 'with daily review, which adds one day of exposure to the continuous-review model:'
SELECT (policy).distribution, count(*) AS products,
       round(avg((policy).fill_rate)::numeric, 4) AS model_fill_rate,
       round(avg(simulated_fill_rate)::numeric, 4) AS simulated_fill_rate
FROM inventory_policies GROUP BY 1 ORDER BY 2 DESC;

\echo 'the ten products with the highest cost per day:'
SELECT stock_code, round((policy).reorder_point::numeric, 1) AS reorder_point,
       round((policy).order_quantity::numeric, 1) AS order_qty,
       round((policy).safety_stock::numeric, 1) AS safety_stock,
       round((policy).expected_cost::numeric, 2) AS cost_per_day,
       round(simulated_cost::numeric, 2) AS simulated_cost_per_day,
       round((policy).fill_rate::numeric, 3) AS fill_rate
FROM inventory_policies ORDER BY (policy).expected_cost DESC LIMIT 10;
