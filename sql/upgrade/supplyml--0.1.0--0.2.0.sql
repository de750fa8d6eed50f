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
