-- Settings and devices. These tests hold on a machine without a GPU; the GPU
-- path is checked by tests/gpu/ where one exists.
BEGIN;
SELECT plan(12);

SELECT is((SELECT count(*) FROM supplyml.devices() WHERE kind = 'cpu'), 1::bigint, 'devices() lists the CPU');
SELECT cmp_ok((SELECT memory_bytes FROM supplyml.devices() WHERE kind = 'cpu'), '>', 0::bigint,
              'the CPU row reports memory');
SELECT is(current_setting('supplyml.device'), 'auto', 'supplyml.device defaults to auto');
SELECT is(current_setting('supplyml.threads'), '0', 'supplyml.threads defaults to 0 (every core)');

SET LOCAL supplyml.threads = 1;
SELECT is((SELECT cores FROM supplyml.devices() WHERE kind = 'cpu'), 1, 'supplyml.threads sets the CPU workers');

SELECT throws_ok($$SET supplyml.device = 'tpu'$$, '22023', NULL, 'an unknown device is rejected');
SELECT throws_ok($$SET supplyml.no_such_setting = 1$$, '42602', NULL, 'the supplyml. prefix is reserved');

-- Without a GPU, asking for one is a clear error with a hint.
SELECT CASE WHEN (SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu') = 0
  THEN throws_ok($$SELECT supplyml.gpu_selftest()$$, '55000', 'no GPU is available to supplyml',
                 'gpu_selftest without a GPU is a clear error')
  ELSE ok((SELECT passed FROM supplyml.gpu_selftest()), 'gpu_selftest passes on this GPU') END;
SELECT isnt((supplyml_test.error_of($$SELECT supplyml.gpu_selftest()$$)).hint, NULL,
            'the error carries a hint') FROM (SELECT 1) s
  WHERE (SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu') = 0
UNION ALL SELECT pass('a GPU is present') WHERE (SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu') > 0;

SET LOCAL supplyml.device = 'cpu';
SELECT is(supplyml_test.device_for(1e15), 'cpu', 'device = cpu keeps any work on the CPU');
SET LOCAL supplyml.device = 'auto';
SELECT is(supplyml_test.device_for(10), 'cpu', 'device = auto keeps small work on the CPU');
SET LOCAL supplyml.device = 'gpu';
SELECT CASE WHEN (SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu') = 0
  THEN throws_ok($$SELECT supplyml_test.device_for(10)$$, '55000', 'no GPU is available to supplyml',
                 'device = gpu without a GPU is a clear error')
  ELSE is(supplyml_test.device_for(10), 'gpu:0', 'device = gpu uses the GPU') END;

SELECT * FROM finish();
ROLLBACK;
