-- Adversarial inputs of the recommender: each one finishes in bounded time,
-- stops on statement_timeout, or is refused with a clear error. (Before these
-- limits, 1024 factors with the Cholesky solver ignored a 300 ms timeout for
-- 10 to 40 seconds, and huge alpha, regularization or weights published models
-- whose factors and loss were NaN.)
BEGIN;
SELECT plan(21);

CREATE TEMP TABLE src AS
  SELECT g % 50 AS u, 'i' || (g % 37) AS i, (1 + g % 3)::float8 AS w FROM generate_series(1, 2000) g;

CREATE TEMP TABLE probe (name text, code text, seconds float8);
SET statement_timeout = '300ms';
INSERT INTO probe SELECT 'cholesky 1024', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 1024, 1000, options => '{"solver": "cholesky"}')$$) p;
INSERT INTO probe SELECT 'cg 1024 x 100', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 1024, 1000, options => '{"cg_steps": 100}')$$) p;
INSERT INTO probe SELECT 'explicit 1024', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 1024, 1000, feedback => 'explicit')$$) p;
INSERT INTO probe SELECT 'mf_fit 1024', p.* FROM supplyml_test.cancel_probe(
  $$SELECT supplyml.mf_fit(u, i, w, '{"factors": 1024, "iterations": 1000, "solver": "cholesky"}') FROM src$$) p;
RESET statement_timeout;

SELECT is(code, '57014', name || ': stopped by statement_timeout') FROM probe ORDER BY name;
-- Unpolled, these ran 10 to 40 s; 5 s leaves room for a loaded machine.
SELECT cmp_ok(seconds, '<', 5.0::float8, name || ': within 5 seconds') FROM probe ORDER BY name;

-- Published NaN models before.
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 8, 2, regularization => 1e308)$$,
                 '22023', 'regularization must be at most 1e6', 'regularization 1e308');
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 8, 2, alpha => 1e308)$$,
                 '22023', 'alpha must be at most 1e6', 'alpha 1e308');
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, 1e30::float8 FROM src', 8, 2)$$,
                 '22003', 'matrix factorization diverged', 'weights of 1e30 overflow the factors');
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w, '{"alpha": 1e300}') FROM src$$,
                 '22023', NULL, 'mf_fit alpha 1e300');
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 8, 2, regularization => 'NaN')$$,
                 '22023', 'regularization must be positive', 'regularization NaN');
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 2147483647, 2)$$,
                 '22023', 'factors must be between 1 and 1024', 'factors 2^31-1');
SELECT throws_ok($$SELECT supplyml.mf_train('lim', 'SELECT u, i, w FROM src', 8, 2147483647)$$,
                 '22023', 'iterations must be between 1 and 1000', 'iterations 2^31-1');
SELECT is((SELECT count(*)::int FROM supplyml.model WHERE name = 'lim'), 0, 'nothing was published');

-- Window use is refused by PostgreSQL (the final function modifies the state).
SELECT throws_ok($$SELECT supplyml.mf_fit(u, i, w) OVER () FROM src$$, '0A000', NULL, 'mf_fit as a window function');

-- k of 2^31-1 returns every item at most, without allocating k slots.
SELECT lives_ok($$SELECT supplyml.mf_train('lim_ok', 'SELECT u, i, w FROM src', 4, 2)$$, 'small model trains');
SELECT is((SELECT count(*)::int FROM supplyml.recommend('lim_ok', 1, 2147483647, false)), 37, 'recommend k = 2^31-1');
SELECT is((SELECT count(*)::int FROM supplyml.similar_items('lim_ok', 'i1', 2147483647)), 36, 'similar_items k = 2^31-1');
SELECT throws_ok($$SELECT * FROM supplyml.recommend_all('lim_ok', 3, 'SELECT u, i FROM src')$$,
                 '42804', NULL, 'recommend_all users query with two columns');
SELECT * FROM finish();
ROLLBACK;
