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

-- Registry lifecycle: a current version that can be moved (model_promote,
-- live_since), versions on every serving call, model_drop if_exists, column
-- comments on the registry views, recommend_all's reason column.
ALTER TABLE supplyml.model ADD COLUMN live_since timestamptz;
COMMENT ON COLUMN supplyml.model.live_since IS
  'When this version was last made current (published live or promoted); NULL if never. '
  'The current version of a name is the one with the latest live_since (the highest version if none has one).';

-- The current version of a model name, or NULL for a name not published:
-- the version made live last, or the highest when none was ever made live.
CREATE FUNCTION supplyml.model_current_version(model text)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT m.version FROM supplyml.model m WHERE m.name = model_current_version.model
        ORDER BY m.live_since DESC NULLS LAST, m.version DESC LIMIT 1);
COMMENT ON FUNCTION supplyml.model_current_version(text) IS
  'The version of a model that serving calls use when given no version: the one made live last '
  '(published or promoted), or the highest if none was; NULL for an unknown name.';

CREATE OR REPLACE VIEW supplyml.model_versions AS
SELECT m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       m.version = first_value(m.version) OVER (PARTITION BY m.name
                                                ORDER BY m.live_since DESC NULLS LAST, m.version DESC) AS is_current,
       m.owner, m.live_since
FROM supplyml.model m;
COMMENT ON VIEW supplyml.model_versions IS 'Every stored version of every model.';

CREATE OR REPLACE VIEW supplyml.models AS
SELECT DISTINCT ON (m.name)
       m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       count(*) OVER (PARTITION BY m.name) AS versions,
       m.owner, m.live_since,
       max(m.version) OVER (PARTITION BY m.name) AS latest_version
FROM supplyml.model m
ORDER BY m.name, m.live_since DESC NULLS LAST, m.version DESC;
COMMENT ON VIEW supplyml.models IS
  'One row per model name: its current version (the one serving calls use) and how many versions are stored.';

-- Column comments of both views, from one list.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('name', 'The model name, as given to mf_train or mf_publish.'),
        ('version', 'The version number, from 1, one higher for each publish of the name (in models: the current version).'),
        ('kind', 'What the model is for (mf: matrix factorization for recommend, similar_items, mf_score).'),
        ('params', 'The training parameters, as jsonb.'),
        ('metrics', 'Figures of the training run (sizes, loss per iteration, seconds), as jsonb.'),
        ('device', 'The device that trained it (cpu, or gpu with its index).'),
        ('rows_used', 'Source rows the training read.'),
        ('trained_at', 'When the version was published.'),
        ('trained_by', 'The role that published the version.'),
        ('payload_bytes', 'Size of the stored fitted arrays in bytes.'),
        ('is_current', 'True for the version serving calls use when given no version.'),
        ('versions', 'How many versions of the name are stored.'),
        ('owner', 'The role owning the name (its first publisher); its members may publish, promote, drop and prune.'),
        ('live_since', 'When the version was last made current (published live or promoted); NULL if never.'),
        ('latest_version', 'The highest stored version, which may differ from the current one after a rollback '
                           'or a publish with promote false.')) AS t(col, text)
    LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = 'supplyml.model_versions'::pg_catalog.regclass AND a.attname = c.col) THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN supplyml.model_versions.%I IS %L', c.col, c.text);
        END IF;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = 'supplyml.models'::pg_catalog.regclass AND a.attname = c.col) THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN supplyml.models.%I IS %L', c.col, c.text);
        END IF;
    END LOOP;
END
$$;

DROP FUNCTION supplyml.model_drop(text, integer);
CREATE FUNCTION supplyml.model_drop(model text, version integer DEFAULT NULL,
                                    if_exists boolean DEFAULT false)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
    owned_by name := supplyml.model_owner(model);
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'model_drop drops versions of one named model.',
                  HINT = 'Pass a name listed by SELECT name FROM supplyml.models.';
    END IF;
    IF owned_by IS NOT NULL AND NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model);
    END IF;
    DELETE FROM supplyml.model m
    WHERE m.name = model_drop.model
      AND (model_drop.version IS NULL OR m.version = model_drop.version);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    IF dropped = 0 THEN
        IF coalesce(if_exists, false) THEN
            RAISE NOTICE 'model "%"% does not exist, skipping', model,
                  CASE WHEN version IS NULL THEN '' ELSE format(' version %s', version) END;
        ELSE
            PERFORM supplyml.raise_unknown_model(model, version);
        END IF;
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_drop(text, integer, boolean) IS
  'Drops one version of a model, or every version when version is NULL; returns how many. Dropping the '
  'current version makes the version made live before it current. With if_exists, a missing model is a NOTICE.';

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
      AND m.version IS DISTINCT FROM supplyml.model_current_version(model_prune.model)
      AND m.version NOT IN (SELECT k.version FROM supplyml.model k WHERE k.name = model_prune.model
                            ORDER BY k.version DESC LIMIT model_prune.keep);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_prune(text, integer) IS
  'Drops all but the newest keep versions of a model, never the current one; returns how many were dropped.';

CREATE FUNCTION supplyml.model_promote(model text, version integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owned_by name := supplyml.model_owner(model_promote.model);
    previous_version integer;
BEGIN
    IF model_promote.version IS NULL THEN
        RAISE EXCEPTION 'version must not be NULL'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'model_promote makes one stored version current.',
                  HINT = 'Pass a version listed by SELECT * FROM supplyml.model_versions.';
    END IF;
    IF owned_by IS NULL THEN
        PERFORM supplyml.raise_unknown_model(model_promote.model, NULL);
    END IF;
    IF NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model_promote.model);
    END IF;
    previous_version := supplyml.model_current_version(model_promote.model);
    UPDATE supplyml.model m SET live_since = pg_catalog.clock_timestamp()
    WHERE m.name = model_promote.model AND m.version = model_promote.version;
    IF NOT FOUND THEN
        PERFORM supplyml.raise_unknown_model(model_promote.model, model_promote.version);
    END IF;
    RETURN previous_version;
END
$$;
COMMENT ON FUNCTION supplyml.model_promote(text, integer) IS
  'Makes a stored version of a model the current one, which serving calls use when given no version '
  '(a rollback is one call); returns the version that was current before, to undo it with.';

DROP FUNCTION supplyml.recommend(text, bigint, integer, boolean);
DROP FUNCTION supplyml.recommend(text, text, integer, boolean);
DROP FUNCTION supplyml.recommend_all(text, integer, text);
DROP FUNCTION supplyml.similar_items(text, bigint, integer);
DROP FUNCTION supplyml.similar_items(text, text, integer);
DROP FUNCTION supplyml.mf_score(text, bigint, bigint);
DROP FUNCTION supplyml.mf_score(text, bigint, text);
DROP FUNCTION supplyml.mf_score(text, text, bigint);
DROP FUNCTION supplyml.mf_score(text, text, text);
DROP FUNCTION supplyml.mf_evaluate(text, text, integer);
DROP FUNCTION supplyml.mf_publish(text, supplyml.mf_model);
CREATE FUNCTION supplyml.recommend(
    model text, user_id bigint, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.recommend(
    model text, user_id text, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.recommend(text, bigint, integer, boolean, integer) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular, score NULL). version: a stored version instead of the current one.';
COMMENT ON FUNCTION supplyml.recommend(text, text, integer, boolean, integer) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular, score NULL). version: a stored version instead of the current one.';

CREATE FUNCTION supplyml.recommend_all(
    model text, k integer DEFAULT 10, users text DEFAULT NULL, version integer DEFAULT NULL,
    OUT user_id text, OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend_all'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.recommend_all(text, integer, text, integer) IS
  'Top k unseen items for every user of the model, or for the users a query returns (reason personal; '
  'unknown users get the most popular items, reason popular, score NULL).';

CREATE FUNCTION supplyml.similar_items(
    model text, item_id bigint, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.similar_items(
    model text, item_id text, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.similar_items(text, bigint, integer, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';
COMMENT ON FUNCTION supplyml.similar_items(text, text, integer, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';

CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id bigint, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id text, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id bigint, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id text, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, bigint, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, text, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, bigint, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, text, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';

CREATE FUNCTION supplyml.mf_evaluate(
    model text, test text, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT metric text, OUT model float8, OUT popularity float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_mf_evaluate'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.mf_evaluate(text, text, integer, integer) IS
  'Ranking metrics at k (precision, recall, MAP, NDCG, AUC, coverage; RMSE and MAE for explicit models) '
  'on held-out (user, item[, rating]) rows, for the model and the popularity baseline side by side.';

CREATE FUNCTION supplyml.mf_publish(
    model text, value supplyml.mf_model, promote boolean DEFAULT true,
    OUT model text, OUT version integer, OUT users bigint, OUT items bigint,
    OUT interactions bigint, OUT final_loss float8, OUT seconds float8, OUT device text)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_mf_publish'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.mf_publish(text, supplyml.mf_model, boolean) IS
  'Registers a model value from mf_fit as the next version of the named model (current unless promote is false); '
  'returns the same summary as mf_train.';

COMMENT ON FUNCTION supplyml.mf_train(text, text, integer, integer, float8, text, float8, bigint, jsonb) IS
  'Trains an ALS matrix factorization on a query returning (user, item, weight) and publishes it '
  'as a new version of the named model; options: solver (cg|cholesky), cg_steps, scaling (linear|log), '
  'epsilon, verbose, promote (false: stored but not made current until model_promote).';

-- ==== batch forecasting over dirty catalogs (on_error, freq, as_of, negative, duplicates) ====
-- forecast_batch and forecast_backtest gain named parameters and result
-- columns (level, error): a return type cannot be altered, so both are
-- dropped here and created again, in their final form, by the forecast
-- outputs section below.
DROP FUNCTION supplyml.forecast_batch(text, integer, text, integer, float8, jsonb);
DROP FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb);
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';

-- ==== route batches over failing routes (on_error) ====
-- route_score_batch and route_optimize_batch gain the error column (option
-- on_error): dropped and created again.
DROP FUNCTION supplyml.route_score_batch(text, jsonb);
DROP FUNCTION supplyml.route_optimize_batch(text, jsonb);
CREATE FUNCTION supplyml.route_score_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, stops bigint, distance float8, travel_time float8,
    duration float8, waiting float8, lateness float8, late_stops bigint,
    max_load float8, capacity_excess float8, feasible boolean,
    cost float8, device text, error text)
AS 'MODULE_PATHNAME', 'sml_route_score_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_score_batch(text, jsonb) IS
  'Scores every route of a query returning (route, seq, x, y[, demand, ready, due, service]) '
  'or, with a matrix query, (route, seq, node[, ...]); one row per route; option on_error: error, skip or null';

CREATE FUNCTION supplyml.route_optimize_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, visit_order integer[], before supplyml.route_result,
    after supplyml.route_result, iterations bigint, moves bigint, error text)
AS 'MODULE_PATHNAME', 'sml_route_optimize_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_optimize_batch(text, jsonb) IS
  'Improves every route of a query (same source shapes as route_score_batch); one row per route; option on_error: error, skip or null';

-- fp16 factor storage on the GPU: the comments of mf_train and mf_fit name the
-- new "precision" option.
COMMENT ON FUNCTION supplyml.mf_train(text, text, integer, integer, float8, text, float8, bigint, jsonb) IS
  'Trains an ALS matrix factorization on a query returning (user, item, weight) and publishes it '
  'as a new version of the named model; options: solver (cg|cholesky), cg_steps, scaling (linear|log), '
  'epsilon, verbose, promote (false: stored but not made current until model_promote), '
  'precision (fp32|fp16: factor storage on the GPU).';
COMMENT ON AGGREGATE supplyml.mf_fit("any", "any", float8, jsonb) IS
  'Fits an ALS matrix factorization on (user id, item id, weight) rows; options: factors, iterations, '
  'regularization, feedback, alpha, seed, solver, cg_steps, scaling, epsilon, verbose, precision.';

-- ==== forecast outputs: several interval levels, nonnegative, fitted values, backtest rows ====
-- forecast_batch's level becomes anycompatible (one level or several, as a
-- number, an array or text) and both batch functions gain nonnegative (last):
-- created here (dropped above); forecast_backtest_rows and forecast_fitted are
-- new; the aggregate takes the option nonnegative.
CREATE FUNCTION supplyml.forecast_batch(
    source text, horizon integer, method text DEFAULT 'auto', season integer DEFAULT NULL,
    level anycompatible DEFAULT 0.95, options jsonb DEFAULT '{}', on_error text DEFAULT 'error',
    freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL, negative text DEFAULT 'keep',
    duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, step integer, ts timestamptz, point float8, lower float8,
               upper float8, method text, level float8, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_batch'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_batch(text, integer, text, integer, anycompatible, jsonb, text, text, timestamptz, text, text, boolean) IS
  'Forecasts every series of a query returning (series key, ts, value); one row per series, period and interval level (level: 95, 0.95 or ''{80,95}''); on_error error, skip or null (one row with the error).';
CREATE FUNCTION supplyml.forecast_backtest(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, method text, windows integer, mase float8, smape float8,
               rmse float8, bias float8, coverage float8, series integer, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb, text, text, timestamptz, text, text, boolean) IS
  'Rolling-origin evaluation: MASE, sMAPE, RMSE, bias and interval coverage per series, and an overall row (series_key NULL); on_error error, skip or null.';
CREATE FUNCTION supplyml.forecast_backtest_rows(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, cutoff timestamptz, ts timestamptz, actual float8, point float8,
               lower float8, upper float8, method text, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest_rows'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest_rows(text, integer, text, integer, integer, float8, jsonb, text, text, timestamptz, text, text, boolean) IS
  'The forecasts behind forecast_backtest: one row per series, window (cutoff: last period fitted) and period, with the actual value; on_error error, skip or null.';
CREATE FUNCTION supplyml.forecast_fitted(
    source text, method text DEFAULT 'auto', season integer DEFAULT NULL,
    options jsonb DEFAULT '{}', on_error text DEFAULT 'error', freq text DEFAULT NULL,
    as_of timestamptz DEFAULT NULL, negative text DEFAULT 'keep', duplicates text DEFAULT 'sum',
    nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, ts timestamptz, actual float8, fitted float8, residual float8,
               method text, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_fitted'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_fitted(text, text, integer, jsonb, text, text, timestamptz, text, text, boolean) IS
  'One-step-ahead in-sample fitted values and residuals (actual - fitted) of every series of a query; fitted NULL where the method has none; on_error error, skip or null.';
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, nonnegative, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, nonnegative, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';

-- ==== _into forms (sql/90_into.sql): forecast_into, recommend_all_into, reorder_policy_into, route_optimize_into ====
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
