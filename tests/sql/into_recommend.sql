-- recommend_all_into: recommend_all's rows in a table whose user and item
-- columns have the model's key types, with the model version. The data are
-- two disjoint blocks of tastes (fixtures_reco.blocks): each user's best
-- unseen item is the one item of their own block they lack.
BEGIN;
SELECT plan(16);

CREATE SCHEMA into_re;
SELECT lives_ok($$SELECT supplyml.mf_train('into_blocks', 'SELECT user_id, item_id, weight FROM fixtures_reco.blocks',
  factors => 2, iterations => 20, regularization => 0.01, alpha => 5)$$, 'trained');

SELECT results_eq(
  $$SELECT run_id, rows_written, keys, errors FROM supplyml.recommend_all_into('into_re.rec', 'into_blocks', k => 1)$$,
  $$VALUES (1::bigint, 8::bigint, 8::bigint, 0::bigint)$$, 'one row per user at k = 1');
SELECT col_type_is('into_re', 'rec', 'user_id', 'integer', 'integer user ids stay integer');
SELECT col_type_is('into_re', 'rec', 'item_id', 'text', 'text item ids stay text');
SELECT is((SELECT array_agg(item_id ORDER BY user_id) FROM into_re.rec), ARRAY['a','b','c','d','w','x','y','z'],
          'each user gets the missing item of their block');
SELECT set_eq($$SELECT user_id::text, item_id, score, rank, reason FROM into_re.rec$$,
              $$SELECT user_id, item_id, score, rank, reason FROM supplyml.recommend_all('into_blocks', k => 1)$$,
              'the rows are recommend_all''s');

-- A users query: its key type, numeric order, and popular items for a user
-- the model does not know.
SELECT lives_ok($$SELECT supplyml.recommend_all_into('into_re.rec_some', 'into_blocks', k => 2,
                    users => 'SELECT u::bigint FROM (VALUES (2), (10), (1)) v(u)')$$, 'users from a query');
SELECT col_type_is('into_re', 'rec_some', 'user_id', 'bigint', 'the users query''s bigint type');
SELECT results_eq($$SELECT DISTINCT user_id FROM into_re.rec_some ORDER BY user_id$$,
                  $$VALUES (1::bigint), (2::bigint), (10::bigint)$$, 'user ids sort numerically, the unknown user included');
SELECT is((SELECT method_counts FROM into_re.rec_some_summary), '{"personal": 2, "popular": 1}'::jsonb,
          'method_counts counts users per reason');

-- A new version: appended rows carry it, and so does the summary.
SELECT lives_ok($$SELECT supplyml.mf_train('into_blocks', 'SELECT user_id, item_id, weight FROM fixtures_reco.blocks',
  factors => 2, iterations => 10, regularization => 0.01, alpha => 5)$$, 'version 2');
SELECT lives_ok($$SELECT supplyml.recommend_all_into('into_re.rec', 'into_blocks', k => 1)$$, 'second run');
SELECT results_eq(
  $$SELECT s.run_id, s.model_version, s.rows_written, s.keys, s.errors, s.device,
           (SELECT array_agg(DISTINCT r.model_version) FROM into_re.rec r WHERE r.run_id = s.run_id),
           s.method_counts IS NOT DISTINCT FROM CASE WHEN EXISTS (
             SELECT FROM pg_attribute WHERE attrelid = 'into_re.rec'::regclass AND attname = 'reason')
             THEN '{"personal": 8}'::jsonb END
    FROM into_re.rec_summary s ORDER BY s.run_id$$,
  $$VALUES (1::bigint, 1, 8::bigint, 8::bigint, 0::bigint, 'cpu', ARRAY[1], true),
           (2::bigint, 2, 8::bigint, 8::bigint, 0::bigint, 'cpu', ARRAY[2], true)$$,
  'each run records the model version it read, in the summary and in its rows');
SELECT is((SELECT run_id FROM supplyml.recommend_all_into('into_re.rec', 'into_blocks', k => 1, version => 1)),
          3::bigint, 'a run with version => 1');
SELECT results_eq($$SELECT s.model_version, (SELECT array_agg(DISTINCT r.model_version) FROM into_re.rec r WHERE r.run_id = 3)
                    FROM into_re.rec_summary s WHERE s.run_id = 3$$,
                  $$VALUES (1, ARRAY[1])$$, 'records version 1');
SELECT set_eq($$SELECT user_id::text, item_id, score FROM into_re.rec WHERE run_id = 3$$,
              $$SELECT user_id::text, item_id, score FROM into_re.rec WHERE run_id = 1$$,
              'and gives version 1''s recommendations');

SELECT * FROM finish();
ROLLBACK;
