-- supplyml.device = gpu with a CUDA module that reports a GPU: a computation
-- without a GPU path is error 55000 naming it; a GPU out of memory is error
-- 53200 with a hint, or the CPU and a NOTICE with supplyml.gpu_fallback = on;
-- auto falls back by itself. The smoke computation (supplyml_test.axpy) has
-- a GPU path in every module: sum of 2 (i mod 7) + 1 over i < 700 = 4900.
BEGIN;
SELECT plan(19 + 12);
-- The fallbacks' NOTICEs are expected here.
SET LOCAL client_min_messages = warning;

SET LOCAL supplyml.device = 'cpu';
CREATE TEMP TABLE on_cpu AS SELECT * FROM supplyml_test.device_run();

SET LOCAL supplyml.device = 'gpu';
SELECT supplyml_test.setenv('SML_STUB_FAIL', '');
SELECT is(g.result,
          CASE WHEN supplyml_test.gpu_path(g.kind) THEN coalesce(g.expected, r.result)
               ELSE 'ERROR 55000: ' || CASE g.kind WHEN 'als' THEN 'ALS training' WHEN 'topk' THEN 'top-k scoring'
                    WHEN 'score' THEN 'scoring of one user or item'
                    WHEN 'forecast' THEN 'forecasting' WHEN 'inventory' THEN 'inventory policy computation'
                    ELSE g.kind END || ' has no GPU implementation' END,
          g.fn || ' under gpu: the GPU result, or 55000 naming the computation without a GPU path')
  FROM supplyml_test.device_run() g JOIN on_cpu r USING (id) ORDER BY id;

-- A computation with a GPU path.
SELECT is((supplyml_test.axpy(700))::text, '(4900,gpu:0)', 'axpy under gpu runs on the GPU');
SELECT is(supplyml_test.device_for(1, 'selftest'), 'gpu:0', 'device = gpu picks the GPU for work with a GPU path');
SET LOCAL supplyml.device = 'auto';
SELECT is(supplyml_test.device_for(1e12, 'selftest'), 'gpu:0', 'auto picks the GPU above gpu_min_work');
SELECT is(supplyml_test.device_for(10, 'selftest'), 'cpu', 'auto keeps work below gpu_min_work on the CPU');
SELECT is(supplyml_test.device_for(1e12, 'forecast'), 'cpu', 'auto keeps a computation without a GPU path on the CPU');

-- Out of memory.
SELECT supplyml_test.setenv('SML_STUB_FAIL', 'oom');
SET LOCAL supplyml.gpu_min_work = 0;
SELECT is((supplyml_test.axpy(700))::text, '(4900,cpu)', 'auto: a GPU out of memory falls back to the CPU');
SET LOCAL supplyml.device = 'gpu';
SELECT throws_ok($$SELECT supplyml_test.axpy(700)$$, '53200', 'the GPU ran out of memory for the GPU self-test',
                 'gpu: a GPU out of memory is error 53200');
SELECT matches((supplyml_test.error_of($$SELECT supplyml_test.axpy(700)$$)).hint, 'supplyml.gpu_fallback',
               'the out-of-memory hint names supplyml.gpu_fallback');
SELECT throws_ok($$SELECT supplyml.gpu_selftest()$$, '53200', NULL, 'gpu_selftest out of memory is error 53200');
SET LOCAL supplyml.gpu_fallback = on;
SELECT is((supplyml_test.axpy(700))::text, '(4900,cpu)', 'gpu with gpu_fallback = on computes on the CPU');

-- Another failure.
SELECT supplyml_test.setenv('SML_STUB_FAIL', 'error');
SET LOCAL supplyml.gpu_fallback = off;
SELECT throws_ok($$SELECT supplyml_test.axpy(700)$$, 'XX000', 'the GPU computation of the GPU self-test failed',
                 'gpu: another GPU failure is an internal error');
SET LOCAL supplyml.device = 'auto';
SELECT is((supplyml_test.axpy(700))::text, '(4900,cpu)', 'auto: a failing GPU falls back to the CPU');

SELECT supplyml_test.setenv('SML_STUB_FAIL', '');
SELECT * FROM finish();
ROLLBACK;
