-- An ERP procedure: reorder points for every product of the catalog, each
-- with its own lead time from the purchasing system's table
-- (shop.lead_times), written to shop.reorder_points in one transaction.
-- Costs: holding 25 % of the unit price a year, an order 20 GBP.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS shop.reorder_points CASCADE;
CREATE TABLE shop.reorder_points (
    stock_code text PRIMARY KEY, lead_time_days int NOT NULL, policy supplyml.inventory_policy NOT NULL,
    computed_at timestamptz NOT NULL);

CREATE OR REPLACE PROCEDURE shop.compute_reorder_points(as_of date DEFAULT NULL,
                                                        service_level float8 DEFAULT 0.98)
LANGUAGE plpgsql AS $$
BEGIN
    -- Every product's history runs to the same day: a product not sold lately
    -- has trailing days of no demand; a day of net returns is no demand.
    as_of := coalesce(as_of, (SELECT max(day) FROM shop.daily_sales));
    DELETE FROM shop.reorder_points;
    INSERT INTO shop.reorder_points
    SELECT s.stock_code, l.lead_time_days,
           supplyml.reorder_policy(s.day, s.qty, jsonb_build_object(
               'lead_time', l.lead_time_days, 'service_level', service_level, 'as_of', as_of, 'negative', 'zero',
               'holding_cost', 0.25 * p.unit_price / 365, 'order_cost', 20)),
           now()
    FROM shop.daily_sales s
    JOIN shop.lead_times l USING (stock_code)
    JOIN shop.products p USING (stock_code)
    GROUP BY s.stock_code, l.lead_time_days;
END
$$;
COMMENT ON PROCEDURE shop.compute_reorder_points(date, float8) IS
  'Recomputes shop.reorder_points: an (r,Q) policy per product from its daily sales up to as_of (default: the last day) and its lead time.';

\echo 'CALL shop.compute_reorder_points() over every product:'
\timing on
CALL shop.compute_reorder_points();
\timing off
\echo 'Products per lead time and demand model:'
SELECT lead_time_days, coalesce((policy).distribution, (policy).method) AS demand_model, count(*) AS products,
       round(avg((policy).reorder_point)::numeric, 1) AS avg_reorder_point
FROM shop.reorder_points GROUP BY 1, 2 ORDER BY 1, 3 DESC;
\echo 'The products with the highest reorder points:'
SELECT stock_code, lead_time_days, round((policy).reorder_point::numeric, 1) AS reorder_point,
       round((policy).order_quantity::numeric, 1) AS order_quantity,
       round((policy).demand_mean::numeric, 2) AS daily_demand, (policy).distribution
FROM shop.reorder_points ORDER BY (policy).reorder_point DESC LIMIT 5;
