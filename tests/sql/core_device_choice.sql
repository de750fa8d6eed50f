-- Every capability under supplyml.device = cpu, auto and gpu on a machine
-- without a GPU: cpu and auto compute on the CPU, report it, and agree with
-- the references; gpu is a clear error (55000) for each. The same cases run
-- with a CUDA module that reports a GPU in tests/device.
BEGIN;
SELECT plan(3 * 19 + 2);

SELECT is((SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu'), 0::bigint,
          'no GPU is visible to this test');

SET LOCAL supplyml.device = 'cpu';
CREATE TEMP TABLE on_cpu AS SELECT * FROM supplyml_test.device_run();
SELECT is(r.result, r.expected, r.fn || ' under cpu gives the reference value')
  FROM on_cpu r WHERE r.expected IS NOT NULL ORDER BY id;
SELECT unalike(r.result, 'ERROR%', r.fn || ' under cpu succeeds')
  FROM on_cpu r WHERE r.expected IS NULL ORDER BY id;

-- auto with no minimum of work still has no GPU to use.
SET LOCAL supplyml.device = 'auto';
SET LOCAL supplyml.gpu_min_work = 0;
SELECT is(a.result, r.result, a.fn || ' under auto equals the CPU result')
  FROM supplyml_test.device_run() a JOIN on_cpu r USING (id) ORDER BY id;

SET LOCAL supplyml.device = 'gpu';
CREATE TEMP TABLE on_gpu AS SELECT * FROM supplyml_test.device_run();
SELECT is(g.result, 'ERROR 55000: no GPU is available to supplyml', g.fn || ' under gpu is error 55000')
  FROM on_gpu g ORDER BY id;
-- Nothing was published by the refused trainings.
SELECT is((SELECT max(version) FROM supplyml.models WHERE name = 'device_blocks'), 2,
          'a refused training publishes no version');

SELECT * FROM finish();
ROLLBACK;
