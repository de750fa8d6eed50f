-- With the emulated CUDA module (supplyml_cuda_emu.so: the CUDA module's own
-- source, its kernels on the device emulator) as supplyml_cuda.so: implicit
-- ALS with the cg solver trains on the "GPU", reports it, and matches the
-- CPU path's loss; auto takes it above gpu_min_work; an out-of-memory GPU
-- falls back under auto. Explicit feedback and the cholesky solver:
-- emu_reco_solve.sql.
BEGIN;
SELECT plan(6);

SELECT is((SELECT name FROM supplyml.devices() WHERE kind = 'gpu' LIMIT 1), 'emulated GPU',
          'the emulated module reports its device');

CREATE TEMP TABLE emu_inter AS
  SELECT u AS customer, i AS item, 1 + (u * 7 + i) % 5 AS n
  FROM generate_series(1, 20) u, generate_series(1, 15) i WHERE (u * 3 + i * 5) % 4 = 0;

SET LOCAL supplyml.device = 'cpu';
CREATE TEMP TABLE on_cpu AS
  SELECT * FROM supplyml.mf_train('emu_cpu', 'SELECT customer, item, n FROM emu_inter',
                                  factors => 4, iterations => 3, regularization => 10, alpha => 2);
SET LOCAL supplyml.device = 'gpu';
CREATE TEMP TABLE on_gpu AS
  SELECT * FROM supplyml.mf_train('emu_gpu', 'SELECT customer, item, n FROM emu_inter',
                                  factors => 4, iterations => 3, regularization => 10, alpha => 2);

SELECT is((SELECT device FROM on_gpu), 'gpu:0', 'implicit cg training ran on the emulated GPU');
SELECT is((SELECT device FROM supplyml.models WHERE name = 'emu_gpu'), 'gpu:0', 'the registry records the GPU');
SELECT ok((SELECT abs(g.final_loss - c.final_loss) <= 1e-4 * c.final_loss FROM on_gpu g, on_cpu c),
          'the GPU loss is the CPU loss within 1e-4 relative');

SET LOCAL supplyml.device = 'auto';
SET LOCAL supplyml.gpu_min_work = 0;
SELECT is((SELECT device FROM supplyml.mf_train('emu_auto', 'SELECT customer, item, n FROM emu_inter',
                                                factors => 4, iterations => 2)),
          'gpu:0', 'implicit cg training under auto takes the GPU above gpu_min_work');
SELECT supplyml_test.setenv('SML_EMU_FAIL', 'oom');
SELECT is((SELECT device FROM supplyml.mf_train('emu_oom', 'SELECT customer, item, n FROM emu_inter',
                                                factors => 4, iterations => 2)),
          'cpu', 'a GPU out of memory falls back to the CPU under auto');
SELECT supplyml_test.setenv('SML_EMU_FAIL', '');

SELECT * FROM finish();
ROLLBACK;
