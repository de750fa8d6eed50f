-- With the emulated CUDA module: recommend_all and mf_evaluate rank on the
-- "GPU" (the module's topk entry) and give the CPU's rows, row for row: the
-- same items in the same order, seen items skipped, k beyond the catalogue,
-- unknown users served popular items, explicit models' biases. Out of memory
-- is 53200 under gpu and the CPU with supplyml.gpu_fallback; one user's or
-- item's scoring stays on the CPU. precision => 'fp16' trains and serves
-- with factors stored in half precision on the GPU, and is reported as fp32
-- where the CPU trained.
BEGIN;
SELECT plan(22);
SET LOCAL client_min_messages = warning;  -- the fallback's NOTICE is expected

CREATE TEMP TABLE topk_inter AS
  SELECT u AS customer, i AS item, 1 + (u * 7 + i) % 5 AS n
  FROM generate_series(1, 25) u, generate_series(1, 17) i WHERE (u * 3 + i * 5) % 4 = 0 OR (u + i) % 11 = 0;
CREATE TEMP TABLE topk_test AS
  SELECT u AS customer, i AS item FROM generate_series(1, 25) u, generate_series(1, 17) i
  WHERE (u * 5 + i * 3) % 7 = 0 AND NOT ((u * 3 + i * 5) % 4 = 0 OR (u + i) % 11 = 0);
CREATE TEMP TABLE topk_ratings AS
  SELECT customer, item, 1 + (customer * item) % 5 AS rating FROM topk_inter;

SET LOCAL supplyml.device = 'cpu';
SELECT * FROM supplyml.mf_train('topk_imp', 'SELECT customer, item, n FROM topk_inter',
                                factors => 6, iterations => 3, regularization => 1, alpha => 2);
SELECT * FROM supplyml.mf_train('topk_exp', 'SELECT customer, item, rating FROM topk_ratings',
                                factors => 4, iterations => 3, regularization => 0.1, feedback => 'explicit');
CREATE TEMP TABLE popular AS
  SELECT string_agg(item_id, ',' ORDER BY rank) AS items FROM supplyml.recommend('topk_imp', 999, k => 3);

-- Rows of a recommend_all call under a device.
CREATE FUNCTION pg_temp.reco(dev text, q text)
RETURNS TABLE (user_id text, item_id text, score float8, rank int, reason text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('supplyml.device', dev, true);
  RETURN QUERY EXECUTE 'SELECT user_id, item_id, score, rank, reason FROM ' || q;
END $$;
-- Whether the rows of a and b are the same multiset (and not empty).
CREATE FUNCTION pg_temp.same(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE n bigint; d bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM (' || a || ') x' INTO n;
  EXECUTE '(SELECT count(*) FROM ((' || a || ' EXCEPT ALL ' || b || ') UNION ALL (' || b || ' EXCEPT ALL ' || a
          || ')) d)' INTO d;
  RETURN n > 0 AND d = 0;
END $$;
-- Whether q gives the same rows on the CPU and the GPU: for each user and
-- rank the same item and reason, with scores within 1e-5 relative (the GPU
-- sums the products in another order), or NULL on both (popular items).
CREATE FUNCTION pg_temp.same_rows(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE n bigint; bad bigint;
BEGIN
  CREATE TEMP TABLE c ON COMMIT DROP AS SELECT * FROM pg_temp.reco('cpu', q);
  CREATE TEMP TABLE g ON COMMIT DROP AS SELECT * FROM pg_temp.reco('gpu', q);
  SELECT count(*) INTO n FROM c;
  SELECT count(*) INTO bad FROM c FULL JOIN g USING (user_id, rank)
   WHERE c.item_id IS DISTINCT FROM g.item_id OR c.reason IS DISTINCT FROM g.reason
      OR (c.score IS NULL) <> (g.score IS NULL) OR abs(c.score - g.score) > 1e-5 * (1 + abs(c.score));
  bad := bad + abs(n - (SELECT count(*) FROM g));
  DROP TABLE c, g;
  RETURN n > 0 AND bad = 0;
END $$;

SELECT ok(pg_temp.same_rows($$supplyml.recommend_all('topk_imp', k => 5)$$),
          'recommend_all: the GPU gives the CPU rows (implicit, k = 5)');
SELECT ok(pg_temp.same_rows($$supplyml.recommend_all('topk_imp', k => 30)$$),
          'recommend_all: k beyond the 17 items gives every unseen item, as on the CPU');
CREATE TEMP TABLE all30 AS SELECT * FROM pg_temp.reco('gpu', $$supplyml.recommend_all('topk_imp', k => 30)$$);
SELECT is((SELECT count(*) FROM all30),
          (SELECT 25 * 17 - count(*) FROM (SELECT DISTINCT customer, item FROM topk_inter) s),
          'k beyond the catalogue: each user gets exactly the items not seen');
SELECT ok(NOT EXISTS (SELECT 1 FROM all30 r JOIN topk_inter t ON t.customer::text = r.user_id AND t.item::text = r.item_id),
          'seen items are never recommended on the GPU');
SELECT ok(pg_temp.same_rows($$supplyml.recommend_all('topk_imp', k => 4,
                              users => 'SELECT * FROM (VALUES (3), (999), (17), (3)) v(u)')$$),
          'recommend_all for listed users, one unknown and one repeated: the CPU rows');
SELECT is((SELECT string_agg(item_id, ',' ORDER BY rank) FROM pg_temp.reco('gpu',
             $$supplyml.recommend_all('topk_imp', k => 3, users => 'SELECT 999')$$)),
          (SELECT items FROM popular),
          'an unknown user gets the popular items on the GPU path too');
SELECT ok(pg_temp.same_rows($$supplyml.recommend_all('topk_exp', k => 5)$$),
          'recommend_all of an explicit model (item biases, predicted ratings): the CPU rows');

CREATE FUNCTION pg_temp.evaluation(dev text, model text, q text, k int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  PERFORM set_config('supplyml.device', dev, true);
  SELECT string_agg(metric || '=' || e.model || '/' || popularity, ',' ORDER BY metric) INTO r
    FROM supplyml.mf_evaluate(model, q, k => k) e;
  RETURN r;
END $$;
SELECT is(pg_temp.evaluation('gpu', 'topk_imp', 'SELECT customer, item FROM topk_test', 5),
          pg_temp.evaluation('cpu', 'topk_imp', 'SELECT customer, item FROM topk_test', 5),
          'mf_evaluate on the GPU gives the CPU metrics (implicit)');
SELECT is(pg_temp.evaluation('gpu', 'topk_exp', 'SELECT customer, item, 3 FROM topk_test', 40),
          pg_temp.evaluation('cpu', 'topk_exp', 'SELECT customer, item, 3 FROM topk_test', 40),
          'mf_evaluate on the GPU gives the CPU metrics (explicit, k beyond the catalogue)');

-- Out of memory in the emulated module.
SELECT supplyml_test.setenv('SML_EMU_FAIL', 'oom');
SET LOCAL supplyml.device = 'gpu';
SELECT throws_ok($$SELECT * FROM supplyml.recommend_all('topk_imp', k => 5)$$, '53200',
                 'the GPU ran out of memory for top-k scoring', 'recommend_all: GPU out of memory is 53200');
SELECT throws_ok($$SELECT * FROM supplyml.mf_evaluate('topk_imp', 'SELECT customer, item FROM topk_test')$$, '53200',
                 'the GPU ran out of memory for top-k scoring', 'mf_evaluate: GPU out of memory is 53200');
SET LOCAL supplyml.gpu_fallback = on;
CREATE TEMP TABLE fallback AS SELECT * FROM supplyml.recommend_all('topk_imp', k => 5);
SET LOCAL supplyml.gpu_fallback = off;
SELECT supplyml_test.setenv('SML_EMU_FAIL', '');
SELECT ok(pg_temp.same('SELECT user_id, item_id, rank FROM fallback',
                       $$SELECT user_id, item_id, rank FROM pg_temp.reco('cpu', 'supplyml.recommend_all(''topk_imp'', k => 5)')$$),
          'with gpu_fallback, an out-of-memory GPU gives the CPU rows');

SET LOCAL supplyml.device = 'gpu';
SELECT throws_ok($$SELECT * FROM supplyml.recommend('topk_imp', 3, k => 2)$$, '55000',
                 'scoring of one user or item has no GPU implementation', 'recommend for one user stays on the CPU');
SELECT throws_ok($$SELECT * FROM supplyml.similar_items('topk_imp', 3, k => 2)$$, '55000',
                 'scoring of one user or item has no GPU implementation', 'similar_items stays on the CPU');

-- precision => fp16: stored in half precision on the GPU, fp32 where the CPU trains.
CREATE TEMP TABLE h16 AS SELECT * FROM supplyml.mf_train('topk_h16', 'SELECT customer, item, n FROM topk_inter',
  factors => 6, iterations => 3, regularization => 1, alpha => 2, options => '{"precision": "fp16"}');
CREATE TEMP TABLE h32 AS SELECT * FROM supplyml.mf_train('topk_h32', 'SELECT customer, item, n FROM topk_inter',
  factors => 6, iterations => 3, regularization => 1, alpha => 2);
SELECT is((SELECT device FROM h16), 'gpu:0', 'fp16 training ran on the emulated GPU');
SELECT is((SELECT params->>'precision' FROM supplyml.models WHERE name = 'topk_h16'), 'fp16',
          'the registry records fp16 for a model trained with fp16 storage');
SELECT ok((SELECT abs(a.final_loss - b.final_loss) <= 1e-3 * b.final_loss FROM h16 a, h32 b),
          'the fp16 loss is the fp32 loss within 1e-3 relative');
SELECT ok(pg_temp.same_rows($$supplyml.recommend_all('topk_h16', k => 5)$$),
          'an fp16 model ranks the same on the GPU (fp16 storage) and the CPU');
SELECT is(pg_temp.evaluation('gpu', 'topk_h16', 'SELECT customer, item FROM topk_test', 5),
          pg_temp.evaluation('cpu', 'topk_h16', 'SELECT customer, item FROM topk_test', 5),
          'mf_evaluate of an fp16 model: the same metrics on the GPU and the CPU');
SET LOCAL supplyml.device = 'cpu';
CREATE TEMP TABLE c16 AS SELECT * FROM supplyml.mf_train('topk_c16', 'SELECT customer, item, n FROM topk_inter',
  factors => 4, iterations => 2, options => '{"precision": "fp16"}');
SELECT is((SELECT device FROM c16), 'cpu', 'device cpu with fp16 trains on the CPU without an error');
SELECT is((SELECT params->>'precision' || '/' || (params->>'requested_precision') FROM supplyml.models
           WHERE name = 'topk_c16'), 'fp32/fp16', 'on the CPU, fp16 is ignored: the factors are fp32 and params say so');
SELECT throws_ok($$SELECT * FROM supplyml.mf_train('topk_bad', 'SELECT customer, item, n FROM topk_inter',
                                                   options => '{"precision": "fp8"}')$$, '22023', NULL,
                 'an unknown precision is 22023');

SELECT * FROM finish();
ROLLBACK;
