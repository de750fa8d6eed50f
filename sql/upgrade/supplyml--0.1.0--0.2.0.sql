-- supplyml 0.1.0 -> 0.2.0
-- Run by ALTER EXTENSION supplyml UPDATE. Each change of sql/*.sql since
-- 0.1.0 adds its DDL here, in its own commented section, schema-qualified;
-- scripts/upgrade-test.sh checks that the result equals a fresh install.
\echo Use "ALTER EXTENSION supplyml UPDATE TO '0.2.0'" to load this file. \quit
SET LOCAL search_path = pg_catalog, pg_temp;

-- ==== repository hardening ====
-- sql/80_routing.sql was re-indented and spells double precision as float8:
-- the same catalog, so nothing to run.

-- ---- aggregate support and memory (hardening) ----
-- Aggregate support functions: one naming scheme (_transfn, _combinefn,
-- _serialfn, _deserialfn, _finalfn) and one C implementation of combine /
-- serial / deserial. Renaming keeps each function's oid, so the aggregates
-- that use them keep working; CREATE OR REPLACE then points each one at its
-- new C symbol.
ALTER FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer) RENAME TO forecast_transfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer, jsonb) RENAME TO forecast_transfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer) RENAME TO forecast_transfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_transfn(internal, date, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer, jsonb) RENAME TO forecast_transfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_transfn(internal, date, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_combine(internal, internal) RENAME TO forecast_combinefn;
CREATE OR REPLACE FUNCTION supplyml.forecast_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_combinefn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_serial(internal) RENAME TO forecast_serialfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_forecast_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_deserial(bytea, internal) RENAME TO forecast_deserialfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.forecast_final(internal) RENAME TO forecast_finalfn;
CREATE OR REPLACE FUNCTION supplyml.forecast_finalfn(internal)
RETURNS supplyml.forecast_result AS 'MODULE_PATHNAME', 'sml_forecast_finalfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_step(internal, date, float8, jsonb) RENAME TO reorder_policy_transfn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_transfn(internal, date, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_transfn_date'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_step(internal, bigint, float8, jsonb) RENAME TO reorder_policy_transfn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_transfn(internal, bigint, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_transfn_int8'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_combine(internal, internal) RENAME TO reorder_policy_combinefn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_combinefn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_serial(internal) RENAME TO reorder_policy_serialfn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_reorder_policy_serialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_deserial(bytea, internal) RENAME TO reorder_policy_deserialfn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_deserialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.reorder_policy_final(internal) RENAME TO reorder_policy_finalfn;
CREATE OR REPLACE FUNCTION supplyml.reorder_policy_finalfn(internal)
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_reorder_policy_finalfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8)
RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_transfn' LANGUAGE C PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8, jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_transfn' LANGUAGE C PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_combinefn(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_combinefn' LANGUAGE C PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_serialfn(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'sml_mf_fit_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_deserialfn(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION supplyml.mf_fit_finalfn(internal)
RETURNS supplyml.mf_model
AS 'MODULE_PATHNAME', 'sml_mf_fit_finalfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision, jsonb) RENAME TO route_score_transfn;
CREATE OR REPLACE FUNCTION supplyml.route_score_transfn(internal, bigint, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_transfn_xy' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision, double precision, double precision, double precision, double precision, jsonb) RENAME TO route_score_transfn;
CREATE OR REPLACE FUNCTION supplyml.route_score_transfn(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision, jsonb) RENAME TO route_optimize_transfn;
CREATE OR REPLACE FUNCTION supplyml.route_optimize_transfn(internal, bigint, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_transfn_xy' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision, double precision, double precision, double precision, double precision, jsonb) RENAME TO route_optimize_transfn;
CREATE OR REPLACE FUNCTION supplyml.route_optimize_transfn(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_transfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_combine(internal, internal) RENAME TO route_combinefn;
CREATE OR REPLACE FUNCTION supplyml.route_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_combinefn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_serial(internal) RENAME TO route_serialfn;
CREATE OR REPLACE FUNCTION supplyml.route_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_route_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.route_deserial(bytea, internal) RENAME TO route_deserialfn;
CREATE OR REPLACE FUNCTION supplyml.route_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
ALTER FUNCTION supplyml.route_score_final(internal) RENAME TO route_score_finalfn;
CREATE OR REPLACE FUNCTION supplyml.route_score_finalfn(internal)
RETURNS supplyml.route_result AS 'MODULE_PATHNAME', 'sml_route_score_finalfn' LANGUAGE C PARALLEL SAFE;
ALTER FUNCTION supplyml.route_optimize_final(internal) RENAME TO route_optimize_finalfn;
CREATE OR REPLACE FUNCTION supplyml.route_optimize_finalfn(internal)
RETURNS supplyml.route_improvement AS 'MODULE_PATHNAME', 'sml_route_optimize_finalfn' LANGUAGE C PARALLEL SAFE;

-- State sizes for the planner (the states live in the aggregate's memory
-- context, where HashAgg counts them against work_mem). CREATE AGGREGATE
-- has no ALTER form for SSPACE.
UPDATE pg_catalog.pg_aggregate SET aggtransspace = 8192
 WHERE aggfnoid IN ('supplyml.forecast(timestamptz, float8, integer)'::pg_catalog.regprocedure,
                    'supplyml.forecast(timestamptz, float8, integer, jsonb)'::pg_catalog.regprocedure,
                    'supplyml.forecast(date, float8, integer)'::pg_catalog.regprocedure,
                    'supplyml.forecast(date, float8, integer, jsonb)'::pg_catalog.regprocedure,
                    'supplyml.reorder_policy(date, float8, jsonb)'::pg_catalog.regprocedure,
                    'supplyml.reorder_policy(bigint, float8, jsonb)'::pg_catalog.regprocedure);
UPDATE pg_catalog.pg_aggregate SET aggtransspace = 1048576
 WHERE aggfnoid IN ('supplyml.mf_fit("any", "any", float8)'::pg_catalog.regprocedure,
                    'supplyml.mf_fit("any", "any", float8, jsonb)'::pg_catalog.regprocedure);
SET LOCAL search_path = pg_catalog, pg_temp;

-- ==== Registry ownership, row-level security, one unknown-model error ====
-- Every model name gets an owner: the role that first published it. Names
-- published under 0.1.0 belong to the role that trained their first version.
ALTER TABLE supplyml.model ADD COLUMN owner name;
UPDATE supplyml.model m SET owner = f.trained_by
FROM (SELECT DISTINCT ON (name) name, trained_by FROM supplyml.model ORDER BY name, version) f
WHERE f.name = m.name;
ALTER TABLE supplyml.model ALTER COLUMN owner SET DEFAULT current_user,
                           ALTER COLUMN owner SET NOT NULL;
COMMENT ON COLUMN supplyml.model.owner IS
  'The role that first published the name; its members may publish, drop and prune versions.';

-- Whether the current role may act as `role`: a member of it, or a superuser.
-- Unlike pg_has_role, false (not an error) for a role that has been dropped,
-- so a model whose owner was dropped stays readable, and changeable by superusers.
CREATE FUNCTION supplyml.is_member_of(role name)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
               WHERE r.rolname = is_member_of.role AND pg_catalog.pg_has_role(r.oid, 'MEMBER'))
    OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false);
COMMENT ON FUNCTION supplyml.is_member_of(name) IS
  'True when the current role is a member of the given role, or a superuser; false for a dropped role.';

-- The owner of a model name, or NULL for a name not yet published. A function,
-- not a subquery, so that the policies below may consult the table they guard.
CREATE FUNCTION supplyml.model_owner(model text)
RETURNS name
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT m.owner FROM supplyml.model m WHERE m.name = model_owner.model
        ORDER BY m.version LIMIT 1);
COMMENT ON FUNCTION supplyml.model_owner(text) IS
  'The role owning a model name (the one that first published it), or NULL if the name is unused.';

ALTER TABLE supplyml.model ENABLE ROW LEVEL SECURITY;
CREATE POLICY model_read ON supplyml.model FOR SELECT USING (true);
CREATE POLICY model_publish ON supplyml.model FOR INSERT
    WITH CHECK (supplyml.is_member_of(owner)
                AND coalesce(supplyml.model_owner(name) = owner, true));
CREATE POLICY model_change ON supplyml.model FOR UPDATE
    USING (supplyml.is_member_of(owner))
    WITH CHECK (supplyml.is_member_of(owner)
                AND coalesce(supplyml.model_owner(name) = owner, true));
CREATE POLICY model_drop ON supplyml.model FOR DELETE
    USING (supplyml.is_member_of(owner));

-- Whether the current role may change the stored chunks of a model version.
CREATE FUNCTION supplyml.model_chunk_writable(model_id bigint)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT supplyml.is_member_of(m.owner) FROM supplyml.model m
                 WHERE m.model_id = model_chunk_writable.model_id), false);
COMMENT ON FUNCTION supplyml.model_chunk_writable(bigint) IS
  'True when the current role is a member of the owner of the model version with this id.';

ALTER TABLE supplyml.model_chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY chunk_read ON supplyml.model_chunk FOR SELECT USING (true);
CREATE POLICY chunk_write ON supplyml.model_chunk FOR ALL
    USING (supplyml.model_chunk_writable(model_id))
    WITH CHECK (supplyml.model_chunk_writable(model_id));

CREATE OR REPLACE VIEW supplyml.model_versions AS
SELECT m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       m.version = max(m.version) OVER (PARTITION BY m.name) AS is_current,
       m.owner
FROM supplyml.model m;
COMMENT ON VIEW supplyml.model_versions IS 'Every stored version of every model.';

CREATE OR REPLACE VIEW supplyml.models AS
SELECT DISTINCT ON (m.name)
       m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       count(*) OVER (PARTITION BY m.name) AS versions,
       m.owner
FROM supplyml.model m
ORDER BY m.name, m.version DESC;
COMMENT ON VIEW supplyml.models IS
  'One row per model name: its current (highest) version and how many versions are stored.';

CREATE OR REPLACE FUNCTION supplyml.raise_unknown_model(model text, version integer)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'model "%"% does not exist', model,
          CASE WHEN version IS NULL THEN '' ELSE format(' version %s', version) END
        USING ERRCODE = 'undefined_object',
              DETAIL = 'The model registry holds no such model.',
              HINT = 'List the stored models with SELECT * FROM supplyml.models, or train one first.';
END
$$;
COMMENT ON FUNCTION supplyml.raise_unknown_model(text, integer) IS
  'Raises the error for a model (version) the registry does not hold; every function uses this one.';

-- The one error for changing a model the current role does not own.
CREATE FUNCTION supplyml.raise_not_model_owner(model text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'must be a member of role "%" to change model "%"',
                    supplyml.model_owner(model), model
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = format('Model "%s" belongs to role "%s", the role that first published it; '
                              'role "%s" is not a member of it.', model, supplyml.model_owner(model), current_user),
              HINT = 'Publish under another model name, or ask the owner to grant you its role.';
END
$$;
COMMENT ON FUNCTION supplyml.raise_not_model_owner(text) IS
  'Raises the error for publishing, dropping or pruning a model owned by a role the caller is not a member of.';

CREATE OR REPLACE FUNCTION supplyml.model_drop(model text, version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
    owned_by name := supplyml.model_owner(model);
BEGIN
    IF owned_by IS NOT NULL AND NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model);
    END IF;
    DELETE FROM supplyml.model m
    WHERE m.name = model_drop.model
      AND (model_drop.version IS NULL OR m.version = model_drop.version);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    IF dropped = 0 THEN
        PERFORM supplyml.raise_unknown_model(model, version);
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_drop(text, integer) IS
  'Drops one version of a model, or every version when version is NULL; returns how many.';

CREATE FUNCTION supplyml.model_prune(model text, keep integer DEFAULT 1)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
    owned_by name := supplyml.model_owner(model);
BEGIN
    IF keep IS NULL OR keep < 1 THEN
        RAISE EXCEPTION 'keep must be at least 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('keep is %s; model_prune always keeps the current version.',
                                  coalesce(keep::text, 'NULL')),
                  HINT = 'Drop every version with supplyml.model_drop instead.';
    END IF;
    IF owned_by IS NULL THEN
        PERFORM supplyml.raise_unknown_model(model, NULL);
    END IF;
    IF NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model);
    END IF;
    DELETE FROM supplyml.model m
    WHERE m.name = model_prune.model
      AND m.version NOT IN (SELECT k.version FROM supplyml.model k WHERE k.name = model_prune.model
                            ORDER BY k.version DESC LIMIT model_prune.keep);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_prune(text, integer) IS
  'Drops all but the newest keep versions of a model; returns how many were dropped.';

-- ==== batch forecasting over dirty catalogs (on_error, freq, as_of, negative, duplicates) ====
-- forecast_batch and forecast_backtest gain named parameters and result
-- columns (level, error): a return type cannot be altered, so both are
-- dropped and created again.
DROP FUNCTION supplyml.forecast_batch(text, integer, text, integer, float8, jsonb);
DROP FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb);
CREATE FUNCTION supplyml.forecast_batch(
    source text, horizon integer, method text DEFAULT 'auto', season integer DEFAULT NULL,
    level float8 DEFAULT 0.95, options jsonb DEFAULT '{}', on_error text DEFAULT 'error',
    freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL, negative text DEFAULT 'keep',
    duplicates text DEFAULT 'sum')
RETURNS TABLE (series_key text, step integer, ts timestamptz, point float8, lower float8,
               upper float8, method text, level float8, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_batch'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_batch(text, integer, text, integer, float8, jsonb, text, text, timestamptz, text, text) IS
  'Forecasts every series of a query returning (series key, ts, value); one row per series and period; on_error error, skip or null (one row with the error).';

CREATE FUNCTION supplyml.forecast_backtest(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum')
RETURNS TABLE (series_key text, method text, windows integer, mase float8, smape float8,
               rmse float8, bias float8, coverage float8, series integer, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb, text, text, timestamptz, text, text) IS
  'Rolling-origin evaluation: MASE, sMAPE, RMSE, bias and interval coverage per series, and an overall row (series_key NULL); on_error error, skip or null.';
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
