-- supplyml 0.1.0 -> 0.2.0
-- Run by ALTER EXTENSION supplyml UPDATE. Each change of sql/*.sql since
-- 0.1.0 adds its DDL here, in its own commented section, schema-qualified;
-- scripts/upgrade-test.sh checks that the result equals a fresh install.
\echo Use "ALTER EXTENSION supplyml UPDATE TO '0.2.0'" to load this file. \quit
SET LOCAL search_path = pg_catalog, pg_temp;

-- ==== repository hardening ====
-- sql/80_routing.sql was re-indented and spells double precision as float8:
-- the same catalog, so nothing to run.
