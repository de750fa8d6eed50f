-- GPU path of the foundation: the smoke kernel and cuBLAS agree with the CPU.
SELECT plan(2);
SELECT ok((SELECT passed FROM supplyml.gpu_selftest()), 'smoke kernel and cuBLAS product match the CPU');
SET supplyml.device = 'gpu';
SELECT is((SELECT count(*) FROM supplyml.devices() WHERE kind = 'gpu' AND in_use) > 0, true,
          'device = gpu marks the GPU in use');
SELECT * FROM finish();
