-- mf_evaluate on a case computed by hand, and versions through the registry.
BEGIN;
SELECT plan(8);

SELECT lives_ok($$SELECT supplyml.mf_train('reco_eval', 'SELECT user_id, item_id, weight FROM fixtures_reco.blocks',
  factors => 2, iterations => 20, alpha => 5)$$, 'trained');
-- Held out: user 1 bought a, user 5 bought w (the one item of their block they lacked).
-- At k = 1 the model's single recommendation is a hit for both: precision, recall,
-- MAP and NDCG are 1; AUC = 1 (the hit outranks all 7 negatives); 2 of 8 items recommended.
CREATE TEMP TABLE ev AS SELECT * FROM supplyml.mf_evaluate('reco_eval',
  $$SELECT * FROM (VALUES (1, 'a'), (5, 'w'), (77, 'a')) t$$, k => 1);
SELECT is((SELECT model FROM ev WHERE metric = 'precision@1'), 1.0::float8, 'precision@1');
SELECT is((SELECT model FROM ev WHERE metric = 'ndcg@1'), 1.0::float8, 'ndcg@1');
SELECT is((SELECT model FROM ev WHERE metric = 'auc@1'), 1.0::float8, 'auc');
SELECT is((SELECT model FROM ev WHERE metric = 'coverage@1'), 0.25::float8, 'coverage');
SELECT is((SELECT (model, popularity)::text FROM ev WHERE metric = 'rows_unknown_user'), '(1,1)', 'unknown test user counted');
SELECT ok((SELECT popularity < model FROM ev WHERE metric = 'precision@1'), 'popularity baseline does worse');

-- A new version is picked up by the next call.
SELECT supplyml.mf_train('reco_eval', 'SELECT user_id, item_id, weight FROM fixtures_reco.blocks WHERE user_id <= 4',
  factors => 2, iterations => 5);
SELECT is((SELECT count(*)::int FROM supplyml.recommend('reco_eval', 5)), 4,
          'version 2 does not know user 5: popular items');

SELECT * FROM finish();
ROLLBACK;
