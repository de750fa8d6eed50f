-- The nightly job (docs/operations.md) on the whole catalog: one procedure
-- that retrains the recommender, writes every customer's recommendations,
-- forecasts every product and recomputes the reorder points (the _into forms
-- add a run to the tables above), and prunes old model versions, committing
-- after each step and logging a row per step. pg_cron would run it as
--   SELECT cron.schedule('shop-nightly', '30 2 * * *', 'CALL shop.nightly()');
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS shop.job_log, shop.recommendations, shop.recommendations_summary;
CREATE TABLE shop.job_log (run_id bigint NOT NULL, step text NOT NULL, started_at timestamptz NOT NULL,
                           finished_at timestamptz NOT NULL, rows bigint, status text NOT NULL, detail text);
DROP SEQUENCE IF EXISTS shop.job_run;
CREATE SEQUENCE shop.job_run;

-- Runs one step (a statement returning one number) and logs how it ended.
CREATE OR REPLACE PROCEDURE shop.run_step(run bigint, step text, statement text)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    n  bigint;
BEGIN
    EXECUTE statement INTO n;
    INSERT INTO shop.job_log VALUES (run, step, t0, clock_timestamp(), n, 'ok', NULL);
EXCEPTION WHEN OTHERS THEN
    INSERT INTO shop.job_log VALUES (run, step, t0, clock_timestamp(), NULL, SQLSTATE, SQLERRM);
END
$$;

CREATE OR REPLACE PROCEDURE shop.nightly(keep_versions integer DEFAULT 2)
LANGUAGE plpgsql AS $proc$
DECLARE
    run bigint := nextval('shop.job_run');
BEGIN
    PERFORM set_config('supplyml.progress', 'log', false);
    CALL shop.run_step(run, 'retrain', $$
        SELECT interactions FROM supplyml.mf_train('shop_reco',
            $q$SELECT customer_id::bigint, o.stock_code, count(DISTINCT invoice)
               FROM shop.order_lines o JOIN shop.products USING (stock_code)
               WHERE customer_id <> '' AND invoice NOT LIKE 'C%' AND quantity > 0 GROUP BY 1, 2$q$,
            factors => 32, iterations => 10, alpha => 1)$$);
    COMMIT;
    CALL shop.run_step(run, 'recommend', $$
        SELECT rows_written FROM supplyml.recommend_all_into('shop.recommendations', 'shop_reco', k => 10)$$);
    COMMIT;
    CALL shop.run_step(run, 'forecast', $$
        SELECT rows_written FROM supplyml.forecast_into('shop.demand_forecast',
            'SELECT stock_code, day, qty FROM shop.daily_sales', horizon => 28, freq => 'day',
            as_of => (SELECT max(day) FROM shop.daily_sales), negative => 'zero', on_error => 'null')$$);
    COMMIT;
    CALL shop.run_step(run, 'reorder_points', 'SELECT shop.compute_reorder_points()');
    COMMIT;
    CALL shop.run_step(run, 'prune', format('SELECT supplyml.model_prune(%L, keep => %s)', 'shop_reco', keep_versions));
    COMMIT;
    IF EXISTS (SELECT 1 FROM shop.job_log WHERE run_id = run AND status <> 'ok') THEN
        RAISE EXCEPTION 'nightly run % had failed steps', run
            USING DETAIL = 'shop.job_log holds the error of each failed step.';
    END IF;
END
$proc$;

\echo 'CALL shop.nightly(), twice (the second run keeps only its own model version):'
CALL shop.nightly();
CALL shop.nightly(keep_versions => 1);
SELECT run_id, step, status, rows, round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds
FROM shop.job_log ORDER BY run_id, started_at;
\echo 'The model, and the runs the tables hold:'
SELECT name, version, versions FROM supplyml.models WHERE name = 'shop_reco';
SELECT 'shop.demand_forecast' AS "table", count(*) AS runs, sum(keys) AS keys FROM shop.demand_forecast_summary
UNION ALL SELECT 'shop.reorder_points', count(*), sum(keys) FROM shop.reorder_points_summary
UNION ALL SELECT 'shop.recommendations', count(*), sum(keys) FROM shop.recommendations_summary;
\echo 'The dashboard now reads the latest forecast run:'
SELECT count(DISTINCT stock_code) AS products, min(week_start) AS first_week FROM shop.dashboard_next_4_weeks;
