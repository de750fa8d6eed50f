-- The nightly job (docs/operations.md) on the whole catalog: one procedure
-- that retrains the recommender, forecasts every product, recomputes the
-- reorder points and prunes old model versions, committing after each step
-- and logging a row per step. pg_cron would run it as
--   SELECT cron.schedule('shop-nightly', '30 2 * * *', 'CALL shop.nightly()');
\set QUIET on
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS shop.job_log;
CREATE TABLE shop.job_log (run_id bigint NOT NULL, step text NOT NULL, started_at timestamptz NOT NULL,
                           finished_at timestamptz NOT NULL, rows bigint, status text NOT NULL, detail text);
DROP SEQUENCE IF EXISTS shop.job_run;
CREATE SEQUENCE shop.job_run;

-- Runs the statements of one step, all or none, and logs how it ended (the
-- last statement's row count).
CREATE OR REPLACE PROCEDURE shop.run_step(run bigint, step text, statements text[])
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    s  text;
    n  bigint;
BEGIN
    FOREACH s IN ARRAY statements LOOP
        EXECUTE s;
        GET DIAGNOSTICS n = ROW_COUNT;
    END LOOP;
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
    CALL shop.run_step(run, 'retrain', ARRAY[$$
        SELECT * FROM supplyml.mf_train('shop_reco',
            $q$SELECT customer_id::bigint, stock_code, count(DISTINCT invoice) FROM shop.order_lines
               WHERE customer_id <> '' AND invoice NOT LIKE 'C%' AND quantity > 0
                 AND stock_code NOT IN ('POST', 'DOT', 'M') GROUP BY 1, 2$q$,
            factors => 32, iterations => 10, alpha => 1)$$]);
    COMMIT;
    CALL shop.run_step(run, 'forecast', ARRAY['DELETE FROM shop.demand_forecast', $$
        INSERT INTO shop.demand_forecast
        SELECT * FROM supplyml.forecast_batch('SELECT stock_code, day, qty FROM shop.daily_sales', horizon => 28,
            freq => 'day', as_of => (SELECT max(day) FROM shop.daily_sales), negative => 'zero',
            on_error => 'null')$$]);
    COMMIT;
    CALL shop.run_step(run, 'reorder_points', ARRAY['CALL shop.compute_reorder_points()',
                                                'SELECT stock_code FROM shop.reorder_points']);
    COMMIT;
    CALL shop.run_step(run, 'prune',
        ARRAY[format('SELECT supplyml.model_prune(%L, keep => %s)', 'shop_reco', keep_versions)]);
    COMMIT;
    IF EXISTS (SELECT 1 FROM shop.job_log WHERE run_id = run AND status <> 'ok') THEN
        RAISE EXCEPTION 'nightly run % had failed steps', run
            USING DETAIL = 'shop.job_log holds the error of each failed step.';
    END IF;
END
$proc$;

\echo 'CALL shop.nightly() (twice: the second run prunes to the two newest model versions):'
CALL shop.nightly();
CALL shop.nightly();
SELECT run_id, step, status, rows, round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds
FROM shop.job_log ORDER BY run_id, started_at;
SELECT name, version, versions FROM supplyml.models WHERE name = 'shop_reco';
