-- With the emulated CUDA module as supplyml_cuda.so: ALS by exact row solves
-- (the module's als_solve entry) trains explicit feedback with biases and
-- implicit feedback with the cholesky solver on the "GPU" under
-- device = 'gpu', and gives the CPU's model: the loss of every iteration
-- within 1e-4 relative, every score within 1e-3 of the largest (the stated
-- tolerances of tests/emu/test_emu_solve.cpp), the loss never rising; under
-- auto the same options take the GPU, and fall back to the CPU when it runs
-- out of memory. With fp16 factor storage both train on the GPU too and stay
-- near the CPU's fp32 model (the stated tolerances of
-- tests/emu/test_emu_solve_fp16.cpp: loss within 1e-3 relative, every score
-- within 1e-2 of the largest); a factor beyond half precision is 22003 under
-- gpu, and under auto the CPU's fp32 training, with a NOTICE.
BEGIN;
SELECT plan(26);

-- 19 users x 13 items, a quarter of the pairs, ratings (or counts) 1..5.
CREATE TEMP TABLE solve_inter AS
  SELECT u AS customer, i AS item, 1 + (u * 7 + i) % 5 AS n
  FROM generate_series(1, 19) u, generate_series(1, 13) i WHERE (u * 3 + i * 5) % 4 = 0;
-- The model's users and items are those of its interactions; a pair's score
-- under both models.
CREATE TEMP TABLE solve_pairs AS
  SELECT DISTINCT a.customer, b.item FROM solve_inter a, solve_inter b;

CREATE FUNCTION pg_temp.train(name text, device text, feedback text, solver text, storage text = 'fp32',
                              lambda float8 = 0.1)
RETURNS SETOF supplyml.models LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('supplyml.device', device, true);
  PERFORM supplyml.mf_train(name, 'SELECT customer, item, n FROM solve_inter', factors => 7, iterations => 4,
                            regularization => lambda, feedback => feedback, alpha => 2,
                            options => jsonb_build_object('solver', solver, 'precision', storage));
  PERFORM set_config('supplyml.device', 'cpu', true);  -- scoring (top-k) runs on the CPU
  RETURN QUERY SELECT * FROM supplyml.models WHERE models.name = train.name;
END $$;

-- Largest difference of the two models' scores over every pair, relative to the CPU's largest.
CREATE FUNCTION pg_temp.score_gap(gpu text, cpu text) RETURNS float8 LANGUAGE sql AS $$
  SELECT max(abs(supplyml.mf_score(gpu, customer, item) - supplyml.mf_score(cpu, customer, item)))
         / max(abs(supplyml.mf_score(cpu, customer, item)))
  FROM solve_pairs $$;

-- Every iteration's loss within tol (1e-4 unless given) relative of the CPU's.
CREATE FUNCTION pg_temp.loss_close(gpu text, cpu text, tol float8 = 1e-4) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(abs(g.l::float8 - c.l::float8) <= tol * c.l::float8) AND count(*) = 4
  FROM jsonb_array_elements_text((SELECT metrics -> 'loss' FROM supplyml.models WHERE name = gpu))
         WITH ORDINALITY g(l, k)
  JOIN jsonb_array_elements_text((SELECT metrics -> 'loss' FROM supplyml.models WHERE name = cpu))
         WITH ORDINALITY c(l, k) USING (k) $$;

CREATE FUNCTION pg_temp.loss_never_rises(model text) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(l2::float8 <= l1::float8)
  FROM (SELECT l AS l2, lag(l) OVER (ORDER BY k) AS l1
        FROM jsonb_array_elements_text((SELECT metrics -> 'loss' FROM supplyml.models WHERE name = model))
             WITH ORDINALITY x(l, k)) s
  WHERE l1 IS NOT NULL $$;

SELECT is((SELECT device FROM pg_temp.train('solve_ex_cpu', 'cpu', 'explicit', 'cg')), 'cpu',
          'explicit training on the CPU');
SELECT is((SELECT device FROM pg_temp.train('solve_ex_gpu', 'gpu', 'explicit', 'cg')), 'gpu:0',
          'explicit training with biases runs on the emulated GPU under device = gpu');
SELECT ok(pg_temp.loss_close('solve_ex_gpu', 'solve_ex_cpu'), 'explicit: every iteration''s loss is the CPU''s');
SELECT cmp_ok(pg_temp.score_gap('solve_ex_gpu', 'solve_ex_cpu'), '<=', 1e-3::float8,
              'explicit: mu + b_u + b_i + x_u . y_i agrees with the CPU model for every pair');
SELECT ok(pg_temp.loss_never_rises('solve_ex_gpu'), 'explicit: the GPU loss never rises');

SELECT is((SELECT device FROM pg_temp.train('solve_ch_cpu', 'cpu', 'implicit', 'cholesky')), 'cpu',
          'implicit cholesky training on the CPU');
SELECT is((SELECT device FROM pg_temp.train('solve_ch_gpu', 'gpu', 'implicit', 'cholesky')), 'gpu:0',
          'implicit training with the cholesky solver runs on the emulated GPU under device = gpu');
SELECT ok(pg_temp.loss_close('solve_ch_gpu', 'solve_ch_cpu'), 'cholesky: every iteration''s loss is the CPU''s');
SELECT cmp_ok(pg_temp.score_gap('solve_ch_gpu', 'solve_ch_cpu'), '<=', 1e-3::float8,
              'cholesky: x_u . y_i agrees with the CPU model for every pair');
SELECT ok(pg_temp.loss_never_rises('solve_ch_gpu'), 'cholesky: the GPU loss never rises');

-- fp16 factor storage: the same solves, the factors rounded to half precision where stored.
-- The tolerance holds where each row's solve is well determined: implicit
-- feedback at lambda 0.1 fits this small problem almost exactly, and there
-- half precision's rounding moves the path by up to 0.5% of the loss, so
-- cholesky is compared at lambda 1.
SELECT is((SELECT device || ' ' || (params ->> 'precision') FROM pg_temp.train('solve_ex_h', 'gpu', 'explicit', 'cg', 'fp16')),
          'gpu:0 fp16', 'explicit training with fp16 storage runs on the emulated GPU and says so');
SELECT ok(pg_temp.loss_close('solve_ex_h', 'solve_ex_cpu', 1e-3), 'explicit fp16: every iteration''s loss within 1e-3');
SELECT cmp_ok(pg_temp.score_gap('solve_ex_h', 'solve_ex_cpu'), '<=', 1e-2::float8,
              'explicit fp16: every pair''s score within 1e-2 of the largest');
SELECT ok(pg_temp.loss_never_rises('solve_ex_h'), 'explicit fp16: the loss never rises');
SELECT is((SELECT device || ' ' || (params ->> 'precision')
           FROM pg_temp.train('solve_ch_h', 'gpu', 'implicit', 'cholesky', 'fp16', 1)),
          'gpu:0 fp16', 'cholesky training with fp16 storage runs on the emulated GPU and says so');
SELECT is((SELECT device FROM pg_temp.train('solve_ch_cpu1', 'cpu', 'implicit', 'cholesky', 'fp16', 1)), 'cpu',
          'the same options on the CPU, which stores fp32');
SELECT ok(pg_temp.loss_close('solve_ch_h', 'solve_ch_cpu1', 1e-3), 'cholesky fp16: every iteration''s loss within 1e-3');
SELECT cmp_ok(pg_temp.score_gap('solve_ch_h', 'solve_ch_cpu1'), '<=', 1e-2::float8,
              'cholesky fp16: every pair''s score within 1e-2 of the largest');
SELECT ok(pg_temp.loss_never_rises('solve_ch_h'), 'cholesky fp16: the loss never rises');
-- Ratings a million times larger need factors of about 1e5: fp32 trains them, half precision cannot hold them.
SET LOCAL supplyml.device = 'gpu';
SELECT throws_ok($$SELECT * FROM supplyml.mf_train('solve_big', 'SELECT customer, item, n * 1e6 FROM solve_inter',
                                                   factors => 7, iterations => 2, feedback => 'explicit',
                                                   regularization => 0.01, options => '{"precision": "fp16"}')$$,
                 '22003', 'ALS training overflowed half precision',
                 'explicit fp16: a factor beyond half precision is an error, not an infinity');
SELECT is((SELECT device FROM supplyml.mf_train('solve_big', 'SELECT customer, item, n * 1e6 FROM solve_inter',
                                                factors => 7, iterations => 2, feedback => 'explicit',
                                                regularization => 0.01)),
          'gpu:0', 'the same training with fp32 storage succeeds');
SET LOCAL supplyml.gpu_min_work = 0;
SET LOCAL supplyml.device = 'auto';
-- Under auto the CPU, which stores fp32, takes over, as from any GPU failure.
SET LOCAL client_min_messages = warning;  -- the fallback's NOTICE
SELECT is((SELECT device FROM supplyml.mf_train('solve_big', 'SELECT customer, item, n * 1e6 FROM solve_inter',
                                                factors => 7, iterations => 2, feedback => 'explicit',
                                                regularization => 0.01, options => '{"precision": "fp16"}')),
          'cpu', 'explicit fp16 overflow under auto: the CPU trains the model');
SELECT is((SELECT params ->> 'precision' FROM supplyml.models WHERE name = 'solve_big' ORDER BY version DESC LIMIT 1),
          'fp32', 'and the registry says it stored fp32');
RESET client_min_messages;
SELECT is((SELECT device || ' ' || (params ->> 'precision')
           FROM pg_temp.train('solve_fp16', 'auto', 'explicit', 'cg', 'fp16')),
          'gpu:0 fp16', 'explicit feedback with fp16 storage takes the GPU under auto');

SELECT is((SELECT device FROM pg_temp.train('solve_auto', 'auto', 'explicit', 'cg')), 'gpu:0',
          'auto trains explicit feedback on the GPU');
SELECT supplyml_test.setenv('SML_EMU_FAIL', 'oom');
SET LOCAL client_min_messages = warning;  -- the fallback's NOTICE
SELECT is((SELECT device FROM pg_temp.train('solve_oom', 'auto', 'implicit', 'cholesky')), 'cpu',
          'a GPU out of memory during cholesky training falls back to the CPU under auto');
SELECT supplyml_test.setenv('SML_EMU_FAIL', '');

SELECT * FROM finish();
ROLLBACK;
