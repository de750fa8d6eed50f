-- Core: settings, devices and the self-test of the GPU path.
-- The schema is created by CREATE EXTENSION (supplyml.control names it).
SET LOCAL search_path = pg_catalog, pg_temp;

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
