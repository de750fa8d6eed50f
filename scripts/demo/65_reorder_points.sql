-- An ERP routine: reorder points for every product of the catalog, each
-- with its own lead time from the purchasing system's table (shop.lead_times)
-- and its own holding cost (25 % of its price a year), written by
-- reorder_policy_into to shop.reorder_points, one run per call. A function,
-- so that the ERP and the nightly job can both call it in a query.
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS shop.reorder_points, shop.reorder_points_summary CASCADE;

CREATE OR REPLACE FUNCTION shop.compute_reorder_points(as_of date DEFAULT NULL,
                                                       service_level float8 DEFAULT 0.98)
RETURNS bigint  -- the products of the run
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- Every product's history runs to the same day (a product not sold lately
    -- has trailing days of no demand); a day of net returns is no demand.
    as_of := coalesce(as_of, (SELECT max(day) FROM shop.daily_sales));
    RETURN (SELECT keys FROM supplyml.reorder_policy_into('shop.reorder_points',
        sales => 'SELECT stock_code, day, qty FROM shop.daily_sales',
        parameters => 'SELECT stock_code, lead_time_days AS lead_time, 0.25 * unit_price / 365 AS holding_cost
                       FROM shop.lead_times JOIN shop.products USING (stock_code)',
        options => jsonb_build_object('service_level', service_level, 'order_cost', 20,
                                      'as_of', as_of, 'negative', 'zero')));
END
$$;
COMMENT ON FUNCTION shop.compute_reorder_points(date, float8) IS
  'Adds a run to shop.reorder_points: an (r,Q) policy per product from its daily sales up to as_of '
  '(default: the last day), its lead time and its price.';

\echo 'SELECT shop.compute_reorder_points() over every product:'
SELECT shop.compute_reorder_points() AS products;
SELECT run_id, keys AS products, errors, method_counts, round(seconds::numeric, 1) AS seconds
FROM shop.reorder_points_summary;
\echo 'Products per lead time and demand model:'
SELECT (options->>'lead_time')::int AS lead_time_days, coalesce(distribution, reason) AS demand_model,
       count(*) AS products, round(avg(reorder_point)::numeric, 1) AS avg_reorder_point
FROM shop.reorder_points GROUP BY 1, 2 ORDER BY 1, 3 DESC;
\echo 'The products with the highest reorder points:'
SELECT r.sku AS stock_code, left(p.description, 32) AS description, (r.options->>'lead_time')::int AS lead_time_days,
       round(r.reorder_point::numeric, 1) AS reorder_point, round(r.order_quantity::numeric, 1) AS order_quantity,
       round(r.demand_mean::numeric, 2) AS daily_demand
FROM shop.reorder_points r JOIN shop.products p ON p.stock_code = r.sku
ORDER BY r.reorder_point DESC NULLS LAST LIMIT 5;
