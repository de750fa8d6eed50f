-- What a crafted model value, model name or source text cannot do: store
-- non-finite factors or keys that are not valid text (mf_publish), break out
-- of the quotes of an error hint, or modify data from a source query. And
-- the model cache: capped in bytes, least recently used evicted first.
BEGIN;
SELECT plan(18);

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

-- The cache cap: a 200 kB payload counts 400 kB once decoded, so 1 MB holds two.
SET LOCAL supplyml.model_cache_size = '1MB';
SELECT supplyml_test.publish(n, 25000, 1.0) FROM unnest(ARRAY['sec_c1', 'sec_c2', 'sec_c3']) n;
SELECT builds AS b0 FROM supplyml_test.load('sec_c1') \gset
SELECT supplyml_test.load('sec_c2'), supplyml_test.load('sec_c3');
SELECT is((SELECT entries FROM supplyml_test.cache()), 2::bigint, 'three models in a cache of two: two stay');
SELECT cmp_ok((SELECT bytes FROM supplyml_test.cache()), '<=', 1048576::bigint, 'within the cap');
SELECT supplyml_test.load('sec_c2');  -- c3 is now the least recently used
SELECT is((SELECT builds FROM supplyml_test.load('sec_c1')), :b0 + 3, 'c1, evicted, is decoded again');
SELECT is((SELECT builds FROM supplyml_test.load('sec_c2')), :b0 + 3, 'c2, used since, is still cached');
-- A model that no longer exists leaves the cache.
SELECT supplyml.model_drop('sec_c2');
SELECT throws_ok($$SELECT supplyml_test.load('sec_c2')$$, '42704', 'model "sec_c2" does not exist',
                 'a dropped model is unknown');
SELECT is((SELECT entries FROM supplyml_test.cache()), 1::bigint, 'and its cache entry is gone');

SELECT * FROM finish();
ROLLBACK;
