-- The aggregate mf_fit and mf_publish: the same model as mf_train on the same
-- rows and seed, in plain, grouped and parallel plans; bad input.
BEGIN;
SELECT plan(32);

-- Reference: mf_train on the non-UK retail interactions.
SELECT lives_ok($$SELECT supplyml.mf_train('fit_ref',
  'SELECT customer_id, stock_code, n_invoices FROM fixtures_reco.interactions', factors => 8, iterations => 4,
  alpha => 2, seed => 7)$$, 'reference model trained by mf_train');

CREATE TEMP TABLE published AS
SELECT p.* FROM (SELECT supplyml.mf_fit(customer_id, stock_code, n_invoices,
                   '{"factors": 8, "iterations": 4, "alpha": 2, "seed": 7}') AS m
                 FROM fixtures_reco.interactions) s,
     supplyml.mf_publish('fit_agg', s.m) p;
SELECT is((SELECT (model, version, users, items, interactions, device)::text FROM published),
          (SELECT (name, 1, 418, 2781, 28412, 'cpu')::text FROM (VALUES ('fit_agg')) v(name)),
          'mf_publish registers version 1 and reports the counts');
SELECT is((SELECT metrics->'loss' FROM supplyml.models WHERE name = 'fit_agg'),
          (SELECT metrics->'loss' FROM supplyml.models WHERE name = 'fit_ref'),
          'same loss in every iteration as mf_train');
SELECT is((SELECT max(abs(supplyml.mf_score('fit_agg', customer_id, stock_code)
                        - supplyml.mf_score('fit_ref', customer_id, stock_code)))
           FROM fixtures_reco.interactions WHERE customer_id % 10 = 0), 0::float8,
          'same factors as mf_train (scores identical)');
SELECT is((SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('fit_agg', 12347)),
          (SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('fit_ref', 12347)),
          'same recommendations as mf_train');
SELECT is((SELECT params - 'trained_by' FROM supplyml.models WHERE name = 'fit_agg'),
          (SELECT params - 'trained_by' FROM supplyml.models WHERE name = 'fit_ref'),
          'the registry row records the same parameters');
SELECT is((SELECT kind FROM supplyml.models WHERE name = 'fit_agg'), 'mf', 'published as a recommender model');

-- Another seed gives other factors; another row order gives the same ones
-- (keys are numbered in key order, not in order of arrival).
SELECT lives_ok($$SELECT p.* FROM (SELECT supplyml.mf_fit(customer_id, stock_code, n_invoices,
    '{"factors": 8, "iterations": 4, "alpha": 2, "seed": 8}') m FROM fixtures_reco.interactions) s,
  supplyml.mf_publish('fit_seed8', s.m) p$$, 'fit with seed 8');
SELECT ok((SELECT max(abs(supplyml.mf_score('fit_seed8', customer_id, stock_code)
                        - supplyml.mf_score('fit_ref', customer_id, stock_code)))
           FROM fixtures_reco.interactions WHERE customer_id % 10 = 0) > 1e-4, 'another seed, other factors');
SELECT lives_ok($$SELECT p.* FROM (SELECT supplyml.mf_fit(customer_id, stock_code, n_invoices,
    '{"factors": 8, "iterations": 4, "alpha": 2, "seed": 7}') m
    FROM (SELECT * FROM fixtures_reco.interactions ORDER BY md5(stock_code || customer_id)) t) s,
  supplyml.mf_publish('fit_shuffled', s.m) p$$, 'fit on shuffled rows');
SELECT is((SELECT max(abs(supplyml.mf_score('fit_shuffled', customer_id, stock_code)
                        - supplyml.mf_score('fit_ref', customer_id, stock_code)))
           FROM fixtures_reco.interactions WHERE customer_id % 10 = 0), 0::float8,
          'shuffled rows: the same factors');

-- Parallel aggregation: two workers build partial states, serialised and combined.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; o text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP o := o || r || E'\n'; END LOOP;
  RETURN o;
END $$;
SELECT matches(pg_temp.plan_of($$SELECT supplyml.mf_fit(customer_id, stock_code, n_invoices) FROM fixtures_reco.interactions$$),
               'Partial Aggregate', 'the plan aggregates in parallel workers');
SELECT is((SELECT p.final_loss FROM (SELECT supplyml.mf_fit(customer_id, stock_code, n_invoices,
              '{"factors": 8, "iterations": 4, "alpha": 2, "seed": 7}') AS m FROM fixtures_reco.interactions) s,
            supplyml.mf_publish('fit_par', s.m) p),
          (SELECT final_loss FROM published), 'parallel fit: the same final loss');
SELECT is((SELECT max(abs(supplyml.mf_score('fit_par', customer_id, stock_code)
                        - supplyml.mf_score('fit_ref', customer_id, stock_code)))
           FROM fixtures_reco.interactions WHERE customer_id % 10 = 0), 0::float8,
          'parallel fit: same factors as mf_train');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- GROUP BY: one model per group, each equal to mf_train on that group's rows.
CREATE TEMP TABLE by_parity AS
SELECT customer_id % 2 AS parity,
       supplyml.mf_fit(customer_id, stock_code, n_invoices, '{"factors": 4, "iterations": 3}') AS m
FROM fixtures_reco.interactions WHERE n_invoices >= 1 GROUP BY 1;
SELECT is((SELECT count(*)::int FROM by_parity), 2, 'GROUP BY: one model value per group');
SELECT is((SELECT array_agg(p.users ORDER BY b.parity) FROM by_parity b,
             supplyml.mf_publish('fit_parity_' || b.parity, b.m) p),
          (SELECT array_agg(n ORDER BY parity) FROM (SELECT customer_id % 2 parity, count(DISTINCT customer_id)::bigint n
             FROM fixtures_reco.interactions GROUP BY 1) c), 'GROUP BY: each model has its group''s users');
SELECT lives_ok($$SELECT supplyml.mf_train('fit_parity_ref',
  'SELECT customer_id, stock_code, n_invoices FROM fixtures_reco.interactions WHERE customer_id % 2 = 1',
  factors => 4, iterations => 3)$$, 'mf_train on the odd customers');
SELECT is((SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('fit_parity_1', 12347)),
          (SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('fit_parity_ref', 12347)),
          'GROUP BY: a group''s model equals mf_train on its rows');

-- Text user ids, integer item ids, explicit ratings: mu + b_u + b_i recovered.
SELECT lives_ok($$SELECT p.* FROM (SELECT supplyml.mf_fit(user_id, item_id, rating,
  '{"factors": 2, "iterations": 30, "regularization": 0.01, "feedback": "explicit"}') m FROM fixtures_reco.ratings) s,
  supplyml.mf_publish('fit_ratings', s.m) p$$, 'explicit model fitted by the aggregate');
SELECT ok(abs(supplyml.mf_score('fit_ratings', 'u2', 2) - 2.55) < 0.05, 'explicit: held-out rating predicted');
SELECT is((SELECT params->>'user_key_type' || ' ' || (params->>'item_key_type') FROM supplyml.models WHERE name = 'fit_ratings'),
          'text integer', 'the model records the key types it was fitted on');

-- Bad input: errors with their SQLSTATEs; nothing published.
CREATE TEMP TABLE src (u bigint, i text, w float8);
INSERT INTO src VALUES (1, 'a', 1), (1, 'b', 2), (2, 'b', 1), (2, 'c', 3), (3, 'a', 1);
SELECT throws_ok($$SELECT supplyml.mf_fit(CASE WHEN u = 2 THEN NULL ELSE u END, i, w) FROM src$$, '22004', NULL, 'NULL user id');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, CASE WHEN u = 2 THEN 'NaN' ELSE w END) FROM src$$, '22000', NULL, 'NaN weight');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, -w) FROM src$$, '22023',
  'implicit feedback weights must not be negative', 'negative implicit weight');
SELECT throws_ok($$SELECT supplyml.mf_fit(u::numeric, i, w) FROM src$$, '42804', NULL, 'numeric user id');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w, '{"factors": 0}') FROM src$$, '22023', NULL, 'factors < 1');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w, '{"factor": 8}') FROM src$$, '22023', NULL, 'unknown option key');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w, jsonb_build_object('seed', u)) FROM src$$, '22023',
  'options of mf_fit differ between rows', 'options that change between rows');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w) FROM src WHERE false$$, '22000', 'mf_fit received no rows', 'no rows');
SELECT throws_ok($$SELECT supplyml.mf_publish('bad', '\x0102'::bytea)$$, 'XX001', NULL, 'a value that is not a model');
SELECT throws_ok($$SELECT supplyml.mf_publish('bad', NULL)$$, '22004', NULL, 'NULL model value');
SELECT is((SELECT count(*)::int FROM supplyml.model WHERE name = 'bad'), 0, 'nothing was published');

SELECT * FROM finish();
ROLLBACK;
