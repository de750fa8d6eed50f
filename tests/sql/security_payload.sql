-- What a crafted model value, model name or source text cannot do: store
-- non-finite factors or keys that are not valid text (mf_publish), break out
-- of the quotes of an error hint, or modify data from a source query. And
-- the model cache: capped in bytes, least recently used evicted first, and
-- held in PostgreSQL memory contexts that pg_backend_memory_contexts shows.
BEGIN;
SELECT plan(25);

CREATE TEMP TABLE clicks AS
SELECT 'u' || (g % 7) AS u, 'i' || (g % 5) AS i, 1.0::float8 AS w FROM generate_series(1, 60) g;
CREATE TEMP TABLE fitted AS
SELECT supplyml.mf_fit(u, i, w, '{"factors": 2, "iterations": 2}')::bytea AS v FROM clicks;

SELECT is((SELECT version FROM supplyml.mf_publish('sec_value', (SELECT v FROM fitted)::supplyml.mf_model)), 1,
          'an untouched model value publishes');
SELECT throws_ok($$SELECT supplyml.mf_publish('sec_value',
                     supplyml_test.tamper((SELECT v FROM fitted), 'nan')::supplyml.mf_model)$$,
                 '22000', 'model "sec_value" holds a non-finite number', 'a NaN factor is refused');
SELECT throws_ok($$SELECT supplyml.mf_publish('sec_value',
                     supplyml_test.tamper((SELECT v FROM fitted), 'inf')::supplyml.mf_model)$$,
                 '22000', 'model "sec_value" holds a non-finite number', 'an infinite factor is refused');
SELECT throws_ok($$SELECT supplyml.mf_publish('sec_value',
                     supplyml_test.tamper((SELECT v FROM fitted), 'utf8')::supplyml.mf_model)$$,
                 '22021', 'model "sec_value" holds a string that is not valid text', 'an invalid UTF-8 key is refused');
SELECT is((supplyml_test.error_of($$SELECT supplyml.mf_publish('sec_value',
             supplyml_test.tamper((SELECT v FROM fitted), 'nul')::supplyml.mf_model)$$)).detail,
          'String 1 of section mf.item_keys contains a NUL byte.', 'a key with a NUL byte is refused');
SELECT is((SELECT count(*) FROM supplyml.model WHERE name = 'sec_value'), 1::bigint,
          'and none of them wrote anything');

-- The corrupted-model hint quotes the name as a literal.
SELECT supplyml_test.publish('sec_it''s', 10, 1.0);
UPDATE supplyml.model_chunk c SET data = set_byte(data, 40, get_byte(data, 40) # 1)
  FROM supplyml.model m WHERE m.model_id = c.model_id AND m.name = 'sec_it''s';
SELECT is((supplyml_test.error_of($$SELECT * FROM supplyml.model_verify('sec_it''s')$$)).hint,
          'Drop the damaged version with supplyml.model_drop(''sec_it''''s'', 1) and train the model again.',
          'the hint of a corrupted model quotes its name as a SQL literal');

-- Source queries are one read-only SELECT.
CREATE TEMP TABLE victims AS SELECT 'k' AS k, '2026-01-01'::date AS d, 1.0::float8 AS v;
SELECT throws_ok($$SELECT * FROM supplyml_test.source('WITH gone AS (DELETE FROM victims RETURNING *) SELECT k, d, v FROM gone')$$,
                 '22023', 'source query of supplyml_test.source must not modify data',
                 'a data-modifying WITH clause is refused with an accurate message');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT k, d, v FROM victims FOR UPDATE')$$,
                 '22023', 'source query of supplyml_test.source must not lock rows', 'FOR UPDATE is refused');
SELECT is((supplyml_test.error_of($$SELECT * FROM supplyml_test.source('SELECT k, d, v FROM victims; SELECT k, d, v FROM victims')$$)).detail,
          'The source text holds 2 statements.', 'two statements are refused, and counted');
SELECT is((SELECT count(*) FROM victims), 1::bigint, 'nothing was deleted');
-- What read only does not cover (docs/security.md): a volatile function called
-- inside the SELECT runs, with the caller's rights.
CREATE TEMP TABLE touched (at timestamptz);
CREATE FUNCTION pg_temp.touch() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN INSERT INTO touched VALUES (now()); RETURN true; END $$;
SELECT * FROM supplyml_test.source('SELECT k, d, v FROM victims WHERE pg_temp.touch()');
SELECT is((SELECT count(*) FROM touched), 1::bigint, 'a volatile function inside a source SELECT still runs');

-- The cache cap: each test state keeps its 25000 doubles (200 kB) in the
-- model's context, so 512 kB holds two of them and not three.
SET LOCAL supplyml.model_cache_size = '512kB';
SELECT supplyml_test.publish(n, 25000, 1.0) FROM unnest(ARRAY['sec_c1', 'sec_c2', 'sec_c3']) n;
SELECT builds AS b0 FROM supplyml_test.load('sec_c1') \gset
SELECT supplyml_test.load('sec_c2'), supplyml_test.load('sec_c3');
SELECT is((SELECT entries FROM supplyml_test.cache()), 2::bigint, 'three models in a cache of two: two stay');
SELECT cmp_ok((SELECT bytes FROM supplyml_test.cache()), '<=', 524288::bigint, 'within the cap');
SELECT supplyml_test.load('sec_c2');  -- c3 is now the least recently used
SELECT is((SELECT builds FROM supplyml_test.load('sec_c1')), :b0 + 3, 'c1, evicted, is decoded again');
SELECT is((SELECT builds FROM supplyml_test.load('sec_c2')), :b0 + 3, 'c2, used since, is still cached');
-- A model that no longer exists leaves the cache.
SELECT supplyml.model_drop('sec_c2');
SELECT throws_ok($$SELECT supplyml_test.load('sec_c2')$$, '42704', 'model "sec_c2" does not exist',
                 'a dropped model is unknown');
SELECT is((SELECT entries FROM supplyml_test.cache()), 1::bigint, 'and its cache entry is gone');

-- A recommender in the cache: its context, a child of "supplyml model cache",
-- holds at least the factor arrays, users x factors + items x factors float4.
SET LOCAL supplyml.model_cache_size = '64MB';
CREATE TEMP TABLE views AS
SELECT g % 3000 AS u, (g * 7) % 800 AS i, 1.0::float8 AS w FROM generate_series(1, 12000) g;
CREATE TEMP TABLE mem_fit AS
SELECT users, items FROM supplyml.mf_train('sec_mem', 'SELECT u, i, w FROM views', factors => 32, iterations => 1);
SELECT is((SELECT (users, items)::text FROM mem_fit), '(3000,800)', 'the recommender has 3000 users and 800 items');
SELECT ok((SELECT count(*) FROM pg_catalog.pg_backend_memory_contexts
           WHERE name = 'supplyml model' AND ident = 'sec_mem') = 0, 'not cached before its first use');
SELECT ok((SELECT count(*) FROM supplyml.recommend('sec_mem', 1::bigint, 5)) = 5, 'a first recommendation loads it');
SELECT cmp_ok((SELECT c.total_bytes FROM pg_catalog.pg_backend_memory_contexts c
               WHERE c.name = 'supplyml model' AND c.ident = 'sec_mem' AND c.parent = 'supplyml model cache'),
              '>=', (SELECT (users + items) * 32 * 4 FROM mem_fit),
              'its context under "supplyml model cache" holds at least the factor arrays');
-- Eviction deletes the context: with a cap below its size, caching another
-- recommender evicts it.
SET LOCAL supplyml.model_cache_size = '64kB';
SELECT supplyml.mf_train('sec_mem_small', 'SELECT u, i, w FROM clicks', factors => 2, iterations => 1);
SELECT count(*) FROM supplyml.recommend('sec_mem_small', 'u1', 2, exclude_seen => false);
SELECT is((SELECT count(*) FROM pg_catalog.pg_backend_memory_contexts WHERE ident = 'sec_mem'), 0::bigint,
          'an evicted model leaves no context behind');
-- And so does dropping the model, once the backend finds it gone.
SET LOCAL supplyml.model_cache_size = '64MB';
SELECT count(*) FROM supplyml.recommend('sec_mem', 1::bigint, 5);
SELECT supplyml.model_drop('sec_mem');
SELECT throws_ok($$SELECT * FROM supplyml.recommend('sec_mem', 1::bigint, 5)$$, '42704', NULL,
                 'a dropped recommender is unknown');
SELECT is((SELECT count(*) FROM pg_catalog.pg_backend_memory_contexts WHERE ident = 'sec_mem'), 0::bigint,
          'and its context is deleted');

SELECT * FROM finish();
ROLLBACK;
