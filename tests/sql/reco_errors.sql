-- Bad input to the recommender: each case raises its SQLSTATE and publishes nothing.
BEGIN;
SELECT plan(21);

CREATE TEMP TABLE src (u bigint, i text, w float8);
INSERT INTO src VALUES (1, 'a', 1), (1, 'b', 2), (2, 'b', 1), (2, 'c', 3), (3, 'a', 1);

SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT NULL::bigint, i, w FROM src')$$, '22004', NULL, 'NULL user id');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, NULL::text, w FROM src')$$, '22004', NULL, 'NULL item id');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, NULL::float8 FROM src')$$, '22004', NULL, 'NULL weight');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, ''NaN''::float8 FROM src')$$, '22000', NULL, 'NaN weight');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, -w FROM src')$$, '22023',
  'implicit feedback weights must not be negative', 'negative implicit weight is an error, not dislike');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src', factors => 0)$$, '22023',
  'factors must be between 1 and 1024', 'factors < 1');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src', regularization => 0)$$, '22023', NULL, 'regularization 0');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src', feedback => 'ratings')$$, '22023', NULL, 'unknown feedback');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src WHERE false')$$, '22000',
  'source query of mf_train returned no rows', 'empty source');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i FROM src')$$, '42804', NULL, 'source with two columns');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, i FROM src')$$, '42804', NULL, 'text weight column');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src', options => '{"solvr": "cg"}')$$, '22023', NULL, 'unknown option key');
SELECT throws_ok($$SELECT supplyml.mf_train('bad', 'SELECT u, i, w FROM src', options => '{"solver": "lu"}')$$, '22023', NULL, 'unknown solver');
SELECT is((SELECT count(*)::int FROM supplyml.model WHERE name = 'bad'), 0, 'nothing was published');

SELECT throws_ok($$SELECT * FROM supplyml.recommend('no_such_model', 1)$$, '42704', NULL, 'unknown model');
SELECT lives_ok($$SELECT supplyml.mf_train('ok', 'SELECT u, i, w FROM src', factors => 2, iterations => 2)$$, 'valid source trains');
SELECT throws_ok($$SELECT * FROM supplyml.recommend('ok', 1, k => 0)$$, '22023', 'k must be at least 1', 'k < 1');
SELECT throws_ok($$SELECT * FROM supplyml.similar_items('ok', 'zzz')$$, '22023', NULL, 'unknown item');
SELECT throws_ok($$SELECT supplyml.mf_score('ok', 99, 'a')$$, '22023', NULL, 'mf_score of an unknown user');
SELECT throws_ok($$SELECT * FROM supplyml.recommend('ok', NULL::bigint)$$, '22004', NULL, 'NULL user id in recommend');
SELECT throws_ok($$SELECT * FROM supplyml.mf_evaluate('ok', 'SELECT 42, ''a''')$$, '22000', NULL, 'test with no known user');

SELECT * FROM finish();
ROLLBACK;
