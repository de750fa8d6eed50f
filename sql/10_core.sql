-- Core: settings, devices and the self-test of the GPU path.
-- The schema is created by CREATE EXTENSION (supplyml.control names it).
SET LOCAL search_path = pg_catalog, pg_temp;

-- CREATE EXTENSION adopts an existing schema of that name. One owned by
-- another role may hold functions or operators planted to shadow ours, which
-- would then run with the installer's rights: install only into a schema the
-- installing role owns (the one CREATE EXTENSION creates, or its own).
DO $$
DECLARE
    schema_owner name;
BEGIN
    SELECT pg_catalog.pg_get_userbyid(n.nspowner) INTO schema_owner
    FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) 'supplyml';
    IF schema_owner OPERATOR(pg_catalog.<>) current_user THEN
        RAISE EXCEPTION 'schema "supplyml" is owned by role "%", not by the installing role "%"',
                        schema_owner, current_user
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Objects another role placed in the schema could run with the installer''s rights.',
                  HINT = 'Check what the schema holds, drop or rename it, then run CREATE EXTENSION supplyml again.';
    END IF;
END
$$;

CREATE FUNCTION supplyml.devices(
    OUT kind text, OUT index integer, OUT name text, OUT memory_bytes bigint,
    OUT compute_capability text, OUT cores integer, OUT in_use boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_devices'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.devices() IS
  'Devices supplyml can compute on: the CPU (cores = worker threads) and each usable GPU '
  '(cores = multiprocessors); in_use says whether supplyml.device lets work run there.';

CREATE FUNCTION supplyml.gpu_selftest(
    OUT device text, OUT axpy_max_error float8, OUT gemm_max_error float8, OUT passed boolean)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_gpu_selftest'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.gpu_selftest() IS
  'Runs the CUDA smoke kernel and a cuBLAS product on GPU 0 and compares them with the CPU.';
