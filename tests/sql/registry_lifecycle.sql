-- The registry's lifecycle: a current version that can be moved (model_promote,
-- publish with promote false), version => on every serving call, model_prune
-- keeping the current version, model_drop if_exists, comments on the views,
-- and recommend_all's reason column with NULL scores for popular items.
BEGIN;
SELECT plan(33);

-- Two versions whose answers differ: version 1 sees users 1-4 only, version 2
-- every user of the block data.
SELECT is((SELECT version FROM supplyml.mf_train('life',
  'SELECT user_id, item_id, weight FROM fixtures_reco.blocks WHERE user_id <= 4', factors => 2, iterations => 10)),
  1, 'version 1 trained');
SELECT is((SELECT version FROM supplyml.mf_train('life',
  'SELECT user_id, item_id, weight FROM fixtures_reco.blocks', factors => 2, iterations => 10)),
  2, 'version 2 trained and current');
SELECT is(supplyml.model_current_version('life'), 2, 'model_current_version: the newest published version');

-- version => on each serving call.
SELECT is((SELECT reason FROM supplyml.recommend('life', 7, k => 1)), 'personal', 'user 7 is known to the current version');
SELECT is((SELECT reason FROM supplyml.recommend('life', 7, k => 1, version => 1)), 'popular',
          'and unknown to version 1 (recommend, version =>)');
SELECT is((SELECT count(*)::int FROM supplyml.recommend_all('life', k => 2, version => 1)), 4,
          'recommend_all version => 1 ranks its 4 users (one unseen item each)');
SELECT is((SELECT count(*)::int FROM supplyml.recommend_all('life', k => 2)), 16,
          'and the current version its 8 users');
SELECT throws_ok($$SELECT supplyml.mf_score('life', 7, 'a', version => 1)$$, '22023', NULL,
                 'mf_score version => 1 does not know user 7');
SELECT ok(supplyml.mf_score('life', 7, 'a', version => 2) IS NOT NULL, 'mf_score version => 2 does');
SELECT is((SELECT count(*)::int FROM supplyml.similar_items('life', 'a', k => 3, version => 1)), 3,
          'similar_items takes version =>');
SELECT throws_ok($$SELECT * FROM supplyml.mf_evaluate('life',
  'SELECT user_id, item_id FROM fixtures_reco.blocks WHERE user_id > 4', k => 2, version => 1)$$, '22000', NULL,
  'mf_evaluate version => 1: held-out users 5-8 are unknown to it');
SELECT is((SELECT model FROM supplyml.mf_evaluate('life',
  'SELECT user_id, item_id FROM fixtures_reco.blocks WHERE user_id > 4', k => 2, version => 2) WHERE metric = 'users'),
  4::float8, 'mf_evaluate version => 2 evaluates them');
SELECT throws_ok($$SELECT * FROM supplyml.recommend('life', 1, version => 9)$$, '42704',
                 'model "life" version 9 does not exist', 'an unknown version is undefined_object');
SELECT throws_ok($$SELECT * FROM supplyml.recommend('life', 1, version => 0)$$, '22023',
                 'version must be positive', 'version 0 is rejected');

-- Promote and roll back.
SELECT is(supplyml.model_promote('life', 1), 2, 'model_promote returns the version current before');
SELECT is(supplyml.model_current_version('life'), 1, 'version 1 is current again');
SELECT is((SELECT version FROM supplyml.models WHERE name = 'life'), 1, 'models shows the promoted version');
SELECT is((SELECT latest_version FROM supplyml.models WHERE name = 'life'), 2, 'and the latest stored one');
SELECT is((SELECT array_agg(version) FROM supplyml.model_versions WHERE name = 'life' AND is_current), ARRAY[1],
          'model_versions marks only version 1 current');
SELECT is((SELECT reason FROM supplyml.recommend('life', 7, k => 1)), 'popular',
          'serving calls without version use the promoted version (the cache follows the pointer)');
SELECT is((SELECT version FROM supplyml.model_describe('life')), 1, 'model_describe too');

-- A version published with promote false waits for model_promote.
SELECT is((SELECT version FROM supplyml.mf_train('life',
  'SELECT user_id, item_id, weight FROM fixtures_reco.blocks', factors => 2, iterations => 10,
  options => '{"promote": false}')), 3, 'version 3 trained with promote false');
SELECT is(supplyml.model_current_version('life'), 1, 'and version 1 stays current');
SELECT is(supplyml.model_promote('life', 3), 1, 'promoting it');
SELECT is(supplyml.model_current_version('life'), 3, 'makes it current');
SELECT throws_ok($$SELECT supplyml.model_promote('life', 7)$$, '42704', 'model "life" version 7 does not exist',
                 'promoting a version not stored is undefined_object');

-- model_prune keeps the current version even when it is not among the newest.
SELECT supplyml.model_promote('life', 1);
SELECT is(supplyml.model_prune('life', keep => 1), 1, 'model_prune keep 1 drops one version (2)');
SELECT is((SELECT array_agg(version ORDER BY version) FROM supplyml.model_versions WHERE name = 'life'), ARRAY[1, 3],
          'the current version 1 and the newest version 3 remain');

-- Dropping the current version: the version made live before it becomes current.
SELECT supplyml.model_drop('life', 1);
SELECT is(supplyml.model_current_version('life'), 3, 'after dropping the current version, the one live before it');

-- model_drop if_exists.
SELECT throws_ok($$SELECT supplyml.model_drop('no_such_life')$$, '42704', NULL, 'model_drop of a missing model fails');
SELECT is(supplyml.model_drop('no_such_life', if_exists => true), 0, 'and with if_exists returns 0 with a notice');

-- recommend_all: reason column; popular items for unknown users carry no score.
CREATE TEMP TABLE life_users AS SELECT unnest(ARRAY['1', 'stranger']) AS u;
SELECT results_eq($$SELECT DISTINCT reason, score IS NULL FROM supplyml.recommend_all('life', k => 2,
                    users => 'SELECT u FROM life_users') ORDER BY 1$$,
                  $$VALUES ('personal', false), ('popular', true)$$,
                  'recommend_all: personal rows with scores, popular rows with NULL scores');

-- Comments on every column of the registry views.
SELECT is((SELECT count(*)::int FROM pg_attribute a
           WHERE a.attrelid IN ('supplyml.models'::regclass, 'supplyml.model_versions'::regclass)
             AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL), 0,
          'every column of models and model_versions has a comment');

SELECT * FROM finish();
ROLLBACK;
