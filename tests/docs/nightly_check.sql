-- What the nightly job of docs/operations.md must have left behind, after its
-- last run (tests/docs/run.sh): four logged steps, all ok; 28 forecast days
-- for each of the five products of tests/docs/tables.sql; a reorder point for
-- each product with its own lead time; at most three model versions kept.
\set ON_ERROR_STOP 1
DO $$
DECLARE
    last_run bigint := (SELECT max(run_id) FROM ops.job_log);
    steps text;
BEGIN
    SELECT string_agg(step || '=' || status, ', ' ORDER BY started_at) INTO steps
    FROM ops.job_log WHERE run_id = last_run;
    IF steps IS DISTINCT FROM 'retrain=ok, forecast=ok, reorder_points=ok, prune=ok' THEN
        RAISE EXCEPTION 'job log of run %: %', last_run, steps;
    END IF;
    IF (SELECT string_agg(step || '=' || rows, ', ' ORDER BY started_at) FROM ops.job_log WHERE run_id = last_run)
       IS DISTINCT FROM 'retrain=1, forecast=140, reorder_points=5, prune=1' THEN
        RAISE EXCEPTION 'job log of run %: rows should be 1 model, 140 forecast rows, 5 policies, 1 prune count',
            last_run;
    END IF;
    IF (SELECT count(*) FROM forecasts) <> 5 * 28
       OR (SELECT count(DISTINCT series_key) FROM forecasts) <> 5
       OR (SELECT count(*) FROM forecasts f JOIN sales s ON s.sku = f.series_key AND s.day = f.ts::date) > 0 THEN
        RAISE EXCEPTION 'forecasts: expected 28 future days for each of the 5 products';
    END IF;
    IF (SELECT count(*) FROM reorder_points r JOIN lead_times l USING (sku)
        WHERE r.lead_time = l.lead_time AND (r.policy).reorder_point > 0) <> 5 THEN
        RAISE EXCEPTION 'reorder_points: expected a positive reorder point for each of the 5 products';
    END IF;
    IF (SELECT count(*) FROM supplyml.model_versions WHERE name = 'retail_reco') NOT BETWEEN 1 AND 3 THEN
        RAISE EXCEPTION 'model_prune: retail_reco should keep 1 to 3 versions';
    END IF;
END
$$;
