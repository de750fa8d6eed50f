-- What the nightly job of docs/operations.md must have left behind after its
-- last run (tests/docs/run.sh), against counts taken from the job's inputs
-- (tests/docs/tables.sql): five logged steps, all ok; the model trained on
-- every (customer, product) pair of the last year; ten recommendations per
-- customer; 28 forecast days after the last sale for each of the five
-- products, dates kept as dates; a positive reorder point per product with
-- its own lead time; at most three model versions.
\set ON_ERROR_STOP 1
DO $$
DECLARE
    last_run bigint := (SELECT max(run_id) FROM ops.job_log);
    steps text;
    pairs bigint := (SELECT count(*) FROM (SELECT DISTINCT customer_id, stock_code FROM order_lines
                                            WHERE order_date > now() - interval '1 year') p);
    customers bigint := (SELECT count(DISTINCT customer_id) FROM order_lines
                         WHERE order_date > now() - interval '1 year');
    run_f bigint := (SELECT max(run_id) FROM ops.demand_forecast_summary);
    run_r bigint := (SELECT max(run_id) FROM ops.reorder_points_summary);
BEGIN
    SELECT string_agg(step || '=' || status, ', ' ORDER BY started_at) INTO steps
    FROM ops.job_log WHERE run_id = last_run;
    IF steps IS DISTINCT FROM 'retrain=ok, recommend=ok, forecast=ok, reorder_points=ok, prune=ok' THEN
        RAISE EXCEPTION 'job log of run %: %', last_run, steps;
    END IF;
    SELECT string_agg(step || '=' || rows, ', ' ORDER BY started_at) INTO steps
    FROM ops.job_log WHERE run_id = last_run AND step <> 'prune';
    IF steps IS DISTINCT FROM format('retrain=%s, recommend=%s, forecast=140, reorder_points=5', pairs, 10 * customers) THEN
        RAISE EXCEPTION 'job log of run %: rows %, expected % pairs, % recommendations, 140 forecast rows, 5 policies',
            last_run, steps, pairs, 10 * customers;
    END IF;
    IF (SELECT count(*) FROM ops.demand_forecast f
        WHERE f.run_id = run_f AND f.error IS NULL AND pg_typeof(f.ts) = 'date'::regtype
          AND f.ts > (SELECT max(day) FROM sales) AND f.ts <= (SELECT max(day) + 28 FROM sales)) <> 5 * 28 THEN
        RAISE EXCEPTION 'ops.demand_forecast: expected the 28 days after the last sale for each of the 5 products, as dates';
    END IF;
    IF (SELECT count(*) FROM ops.reorder_points r JOIN lead_times l USING (sku)
        WHERE r.run_id = run_r AND (r.options->>'lead_time')::int = l.lead_time AND r.reorder_point > 0) <> 5 THEN
        RAISE EXCEPTION 'ops.reorder_points: expected a positive reorder point for each of the 5 products with its lead time';
    END IF;
    IF (SELECT count(*) FROM supplyml.model_versions WHERE name = 'retail_reco') NOT BETWEEN 1 AND 3 THEN
        RAISE EXCEPTION 'model_prune: retail_reco should keep 1 to 3 versions';
    END IF;
END
$$;
