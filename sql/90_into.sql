-- The `_into` forms of the batch capabilities, in MADlib's convention: each
-- writes its batch function's rows into a table the caller names (created on
-- the first run, appended to on later ones) whose key and time columns keep
-- the types of the caller's source, with a run id, and adds one row per run
-- to <table>_summary. They run with the caller's rights, in the caller's
-- transaction. See docs/bi.md; the mechanism is extension/into_table.cpp.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION supplyml.forecast_into(
    output_table text, source text, horizon integer, method text DEFAULT 'auto',
    season integer DEFAULT NULL, level anycompatible DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false,
    OUT run_id bigint, OUT output_table text, OUT summary_table text, OUT rows_written bigint,
    OUT keys bigint, OUT errors bigint, OUT seconds float8)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_forecast_into'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_into(text, text, integer, text, integer, anycompatible, jsonb, text, text,
    timestamptz, text, text, boolean) IS
  'Writes forecast_batch''s rows into output_table (series key and ts in the source''s types) with a run id, '
  'and a row per run into <output_table>_summary; the arguments after output_table are forecast_batch''s.';

CREATE FUNCTION supplyml.recommend_all_into(
    output_table text, model text, k integer DEFAULT 10, users text DEFAULT NULL,
    version integer DEFAULT NULL,
    OUT run_id bigint, OUT output_table text, OUT summary_table text, OUT rows_written bigint,
    OUT keys bigint, OUT errors bigint, OUT seconds float8)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_recommend_all_into'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.recommend_all_into(text, text, integer, text, integer) IS
  'Writes recommend_all''s rows into output_table (user and item ids in the model''s key types) with a run id '
  'and the model version, and a row per run into <output_table>_summary.';

CREATE FUNCTION supplyml.reorder_policy_into(
    output_table text, sales text, parameters text DEFAULT NULL, options jsonb DEFAULT '{}',
    OUT run_id bigint, OUT output_table text, OUT summary_table text, OUT rows_written bigint,
    OUT keys bigint, OUT errors bigint, OUT seconds float8)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_reorder_policy_into'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.reorder_policy_into(text, text, text, jsonb) IS
  'Writes a reorder policy per SKU into output_table from a sales query (sku, day, qty) and a parameters query '
  '(sku, option columns such as lead_time); SKUs without sales or parameters get a reason instead.';

CREATE FUNCTION supplyml.route_optimize_into(
    output_table text, source text, options jsonb DEFAULT '{}',
    OUT run_id bigint, OUT output_table text, OUT summary_table text, OUT rows_written bigint,
    OUT keys bigint, OUT errors bigint, OUT seconds float8)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_route_optimize_into'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.route_optimize_into(text, text, jsonb) IS
  'Writes route_optimize_batch''s rows into output_table (route key in the source''s type, scores before_* and '
  'after_* as plain columns) with a run id, and a row per run into <output_table>_summary.';
