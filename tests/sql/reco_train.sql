-- mf_train, recommend, similar_items, mf_score on data whose answer is known.
BEGIN;
SELECT plan(17);

SELECT is((SELECT (users, items, interactions)::text FROM supplyml.mf_train('reco_blocks',
  'SELECT user_id, item_id, weight FROM fixtures_reco.blocks', factors => 2, iterations => 20,
  regularization => 0.01, alpha => 5)), '(8,8,24)', 'mf_train counts users, items and interactions');

-- Each user of a block is recommended the one item of the block they lack.
SELECT is((SELECT array_agg(item_id ORDER BY u)
           FROM generate_series(1, 8) u, supplyml.recommend('reco_blocks', u, k => 1)),
          ARRAY['a','b','c','d','w','x','y','z'], 'recommend: the missing item of the own block comes first');
SELECT is((SELECT reason FROM supplyml.recommend('reco_blocks', 3, k => 1)), 'personal', 'known user: reason personal');
SELECT is((SELECT count(*)::int FROM supplyml.recommend('reco_blocks', '2', k => 10)), 5,
          'exclude_seen: a user with 3 of 8 items seen gets 5 (integer id given as text)');
SELECT is((SELECT count(*)::int FROM supplyml.recommend('reco_blocks', 2, k => 10, exclude_seen => false)), 8,
          'exclude_seen => false ranks every item');
SELECT ok((SELECT bool_and(rank = r) FROM (SELECT rank, row_number() OVER (ORDER BY score DESC) r
           FROM supplyml.recommend('reco_blocks', 6, k => 8, exclude_seen => false)) s), 'ranks follow scores');
SELECT ok((SELECT abs(score - supplyml.mf_score('reco_blocks', 1, 'a')) < 1e-5
           FROM supplyml.recommend('reco_blocks', 1, k => 1)), 'mf_score equals the recommend score');
-- similar items stay in the block
SELECT is((SELECT array_agg(item_id ORDER BY item_id) FROM supplyml.similar_items('reco_blocks', 'a', k => 3)),
          ARRAY['b','c','d'], 'similar_items: the rest of the block');
SELECT ok((SELECT bool_and(score <= 1.000001 AND score >= -1.000001) FROM supplyml.similar_items('reco_blocks', 'w', k => 7)),
          'cosine similarity is at most 1');

-- Unknown user: the most popular items by distinct customers, computed here in SQL.
SELECT is((SELECT version FROM supplyml.mf_train('reco_retail',
  'SELECT customer_id, stock_code, n_invoices FROM fixtures_reco.interactions', factors => 16, iterations => 5)),
  1, 'retail model published as version 1');
SELECT is((SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('reco_retail', 999999, k => 5)),
          (SELECT array_agg(stock_code ORDER BY n DESC, stock_code COLLATE "C") FROM (
             SELECT stock_code, count(DISTINCT customer_id) n FROM fixtures_reco.interactions
             GROUP BY stock_code ORDER BY n DESC, stock_code COLLATE "C" LIMIT 5) p),
          'unknown user: most popular items');
SELECT is((SELECT min(reason) FROM supplyml.recommend('reco_retail', 999999)), 'popular', 'unknown user: reason popular');
SELECT is((SELECT count(*)::int FROM supplyml.recommend('reco_retail', 12347, k => 20) r
           JOIN fixtures_reco.interactions i ON i.customer_id = 12347 AND i.stock_code = r.item_id), 0,
          'no recommended item was bought before');
SELECT is((SELECT count(DISTINCT user_id)::int FROM supplyml.recommend_all('reco_retail', k => 3)),
          (SELECT count(DISTINCT customer_id)::int FROM fixtures_reco.interactions), 'recommend_all covers every user');
SELECT is((SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend_all('reco_retail', 4,
             'SELECT 12347 UNION ALL SELECT 12348') WHERE user_id = '12348'),
          (SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('reco_retail', 12348, 4)),
          'recommend_all for listed users equals recommend');

-- Explicit ALS recovers ratings that are exactly mu + b_u + b_i. The held-out
-- diagonal is underdetermined by the factor terms; regularization shrinks them
-- to zero there, leaving the bias model's prediction.
SELECT ok((SELECT interactions = 20 FROM supplyml.mf_train('reco_ratings',
  'SELECT user_id, item_id, rating FROM fixtures_reco.ratings', factors => 2, iterations => 30,
  regularization => 0.01, feedback => 'explicit')), 'explicit model trained');
-- held-out diagonal: mu + b_u + b_i for u = i = 2 is 3 - 0.25 - 0.2
SELECT ok(abs(supplyml.mf_score('reco_ratings', 'u2', 2) - 2.55) < 0.05, 'explicit: held-out rating predicted');

SELECT * FROM finish();
ROLLBACK;
