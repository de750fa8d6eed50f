-- With any CUDA module that reports a GPU, supplyml.device = auto and no
-- minimum of work: every capability still succeeds with the CPU's result
-- (the reference where one is known). With the stand-in of tests/stub_cuda
-- the GPU also runs out of memory and fails (SML_STUB_FAIL; other modules
-- ignore it): auto takes the GPU only for computations with a GPU path and
-- falls back to the CPU when a GPU call fails.
BEGIN;
SELECT plan(1 + 3 * 19);

SELECT cmp_ok((SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu'), '>=', 1::bigint,
              'the module reports a GPU');

SET LOCAL supplyml.device = 'cpu';
CREATE TEMP TABLE on_cpu AS SELECT * FROM supplyml_test.device_run();

SET LOCAL supplyml.device = 'auto';
SET LOCAL supplyml.gpu_min_work = 0;
SELECT supplyml_test.setenv('SML_STUB_FAIL', '');
SELECT is(a.result, coalesce(a.expected, r.result), a.fn || ' under auto with a working GPU equals the CPU result')
  FROM supplyml_test.device_run() a JOIN on_cpu r USING (id) ORDER BY id;
SELECT supplyml_test.setenv('SML_STUB_FAIL', 'oom');
SELECT is(a.result, coalesce(a.expected, r.result), a.fn || ' under auto with a GPU out of memory equals the CPU result')
  FROM supplyml_test.device_run() a JOIN on_cpu r USING (id) ORDER BY id;
SELECT supplyml_test.setenv('SML_STUB_FAIL', 'error');
SELECT is(a.result, coalesce(a.expected, r.result), a.fn || ' under auto with a failing GPU equals the CPU result')
  FROM supplyml_test.device_run() a JOIN on_cpu r USING (id) ORDER BY id;
SELECT supplyml_test.setenv('SML_STUB_FAIL', '');

SELECT * FROM finish();
ROLLBACK;
