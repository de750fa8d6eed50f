-- Memory PostgreSQL can see and threads the machine has: aggregate states in
-- the aggregate's memory context (HashAgg counts them and spills), worker
-- scratch sized by the workers started, combine functions given NULL states,
-- key dictionaries in the context of what holds them.
BEGIN;
SELECT plan(23);

-- pg::vector (pg_memory.hpp) allocates in its memory context, turns failure
-- into std::bad_alloc (out_of_memory at the guard) and refuses worker threads.
SELECT cmp_ok(supplyml_test.context_vector(10000000, false), '>=', 10000000::bigint,
              'a 10 MB pg::vector is accounted to its memory context');
SELECT is((supplyml_test.error_of('SELECT supplyml_test.context_vector(1125899906842624, false)')).code, '53200',
          'an allocation the machine cannot give is out_of_memory, raised through the guard');
SELECT is((supplyml_test.error_of('SELECT supplyml_test.context_vector(1000, true)')).message,
          'memory context allocation off the backend thread', 'allocation from a worker thread is refused');

-- supplyml.threads above the core count resolves to the core count, as 0 does.
SET LOCAL supplyml.threads = 0;
SELECT cores AS all_cores FROM supplyml.devices() WHERE kind = 'cpu' \gset
SET LOCAL supplyml.threads = 1024;
SELECT is(cores, :all_cores, 'supplyml.threads = 1024 uses every core and no more')
FROM supplyml.devices() WHERE kind = 'cpu';

-- Two rows with 512 factors under 1024 threads: before, every configured
-- thread got 2 MB of solver scratch (2.15 GB); now one block per worker started.
SELECT supplyml_test.max_rss_kb() AS rss_before \gset
SELECT is(users, 2::bigint, 'a two-row mf_train with 512 factors and 1024 threads trains')
FROM supplyml.mf_train('memory_threads', 'SELECT * FROM (VALUES (1, 1, 1.0::float8), (2, 2, 2.0)) v(u, i, w)',
                       factors => 512, iterations => 2);
SELECT cmp_ok(supplyml_test.max_rss_kb() - :rss_before, '<', 262144::bigint,
              'its peak memory grows by less than 256 MB');
RESET supplyml.threads;

-- Combine functions: two NULL states give NULL (not a zero pointer).
SELECT ok(supplyml_test.combine_nulls('supplyml.forecast_combinefn(internal, internal)'), 'forecast_combinefn(NULL, NULL) is NULL');
SELECT ok(supplyml_test.combine_nulls('supplyml.reorder_policy_combinefn(internal, internal)'), 'reorder_policy_combinefn(NULL, NULL) is NULL');
SELECT ok(supplyml_test.combine_nulls('supplyml.route_combinefn(internal, internal)'), 'route_combinefn(NULL, NULL) is NULL');
SELECT ok(supplyml_test.combine_nulls('supplyml.mf_fit_combinefn(internal, internal)'), 'mf_fit_combinefn(NULL, NULL) is NULL');

-- Parallel plans whose workers see no rows hand NULL partial states to combine.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', true) IS NOT NULL AS forced \gset
-- 40 products, 2000 periods each, stored one product after the other (HashAgg
-- checks its memory when a group is added, so later groups see earlier states).
CREATE TEMP TABLE history AS
SELECT (g / 2000) AS sku, (g % 2000)::bigint AS period, ((g * 7919) % 13)::float8 AS qty
FROM generate_series(0, 40 * 2000 - 1) g;
ANALYZE history;
SELECT ok(supplyml.forecast(period::int + date '2024-01-01', qty, 3) IS NULL,
          'forecast over no rows, parallel: NULL')
FROM history WHERE sku < 0;
SELECT ok(supplyml.reorder_policy(period, qty, '{}') IS NULL,
          'reorder_policy over no rows, parallel: NULL, as forecast')
FROM history WHERE sku < 0;
SELECT is((supplyml_test.error_of($$SELECT supplyml.route_score(period, qty, qty, '{}') FROM history WHERE sku < 0$$)).message,
          'route has no stops', 'route_score over no rows, parallel: its own error');
SELECT is((supplyml_test.error_of($$SELECT supplyml.mf_fit(sku, period, qty) FROM history WHERE sku < 0$$)).message,
          'mf_fit received no rows', 'mf_fit over no rows, parallel: its own error');
-- Only some partial states are NULL: the policy is that of the rows present.
SELECT ok(abs((supplyml.reorder_policy(period, qty, '{"lead_time": 7, "service_level": 0.95, "order_quantity": 5, "distribution": "normal"}')).reorder_point
              - supplyml.reorder_point(avg(qty), stddev_samp(qty), 7)) < 1e-9,
          'reorder_policy over a few rows of a parallel scan matches reorder_point() on the SQL moments')
FROM history WHERE sku = 3 AND period >= 1900;
RESET max_parallel_workers_per_gather;

-- HashAgg sees the states: with a small work_mem it spills (more than one batch).
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
-- A field of the plan's Aggregate node, from EXPLAIN ANALYZE.
CREATE FUNCTION pg_temp.aggregate_stat(q text, field text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
  RETURN (WITH RECURSIVE nodes(n) AS (SELECT plan -> 0 -> 'Plan'
                                      UNION ALL SELECT jsonb_array_elements(n -> 'Plans') FROM nodes WHERE n ? 'Plans')
          SELECT max((n ->> field)::bigint) FROM nodes WHERE n ->> 'Node Type' = 'Aggregate');
END $$;
SELECT cmp_ok(pg_temp.aggregate_stat($$SELECT sku, supplyml.reorder_policy(period, qty, '{"order_quantity": 5, "distribution": "normal"}')
                                   FROM history GROUP BY sku$$, 'HashAgg Batches'), '>', 1::bigint,
              'reorder_policy states count against work_mem: HashAgg spills');
SELECT cmp_ok(pg_temp.aggregate_stat($$SELECT sku, supplyml.route_score(period, qty, qty, '{}') FROM history GROUP BY sku$$, 'HashAgg Batches'),
              '>', 1::bigint, 'route_score states count against work_mem: HashAgg spills');

-- With room enough, the hash table holds every state: 40 routes of 2000 stops,
-- each stop a seq (8 bytes) and a RouteStop (7 x 8 bytes), at least 5,000 kB.
SET LOCAL work_mem = '64MB';
SELECT cmp_ok(pg_temp.aggregate_stat($$SELECT sku, supplyml.route_score(period, qty, qty, '{}') FROM history GROUP BY sku$$, 'Peak Memory Usage'),
              '>=', (40 * 2000 * 64 / 1024)::bigint, 'HashAgg accounts for every stop of the route_score states');

-- Key dictionaries. 4000 users and 500 items with text keys of 200 bytes:
-- 900,000 bytes of keys, against 36,000 bytes of factors (2 factors, float4).
CREATE TEMP TABLE long_keys AS
SELECT 'customer-' || lpad((g % 4000)::text, 191, '0') AS u, 'product-' || lpad((g % 500)::text, 192, '0') AS i,
       1.0::float8 AS w
FROM generate_series(1, 8000) g;
SELECT sum(octet_length(k))::bigint AS key_bytes
FROM (SELECT DISTINCT u FROM long_keys UNION ALL SELECT DISTINCT i FROM long_keys) d(k) \gset
SELECT is(:key_bytes::bigint, 900000::bigint, 'the keys of the dictionary tests hold 900,000 bytes');
-- A cached recommender holds its keys in its own context, where the cache cap
-- sees them (in this backend, not a forced parallel worker).
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', true) IS NOT NULL AS unforced;
SELECT users FROM supplyml.mf_train('mem_keys', 'SELECT u, i, w FROM long_keys', factors => 2, iterations => 1);
-- A cap of the key bytes alone is below what the model holds: it is not kept.
SELECT set_config('supplyml.model_cache_size', (:key_bytes / 1024)::int || 'kB', true) IS NOT NULL AS capped;
SELECT count(*) FROM supplyml.recommend('mem_keys', 'customer-' || lpad('7', 191, '0'), 3);
SELECT is((SELECT count(*) FROM pg_catalog.pg_backend_memory_contexts WHERE ident = 'mem_keys'), 0::bigint,
          'the cache cap counts the keys: a model whose keys fill the cap is not kept');
SELECT cmp_ok((SELECT bytes FROM supplyml_test.cache()), '<=', (:key_bytes / 1024)::bigint * 1024, 'the cache stays within its cap');
-- With room enough it is kept, keys and all.
SET LOCAL supplyml.model_cache_size = '64MB';
SELECT count(*) FROM supplyml.recommend('mem_keys', 'customer-' || lpad('7', 191, '0'), 3);
SELECT cmp_ok((SELECT c.total_bytes FROM pg_catalog.pg_backend_memory_contexts c
               WHERE c.name = 'supplyml model' AND c.ident = 'mem_keys'),
              '>=', (:key_bytes + (4000 + 500) * 2 * 4)::bigint,
              'a cached recommender''s context holds its key bytes beside its factors');
RESET supplyml.model_cache_size;
-- mf_fit states hold their keys in the aggregate context, which HashAgg measures:
-- 4 groups by the keys' last digit, so that no key is in two groups.
SET LOCAL work_mem = '64MB';
SELECT cmp_ok(pg_temp.aggregate_stat($$SELECT g, supplyml.mf_fit(u, i, w, '{"factors": 1, "iterations": 1}')
                                       FROM (SELECT right(u, 1)::int % 4 AS g, u, i, w FROM long_keys) s GROUP BY g$$,
                                     'Peak Memory Usage'),
              '>=', (:key_bytes / 1024)::bigint, 'HashAgg accounts for the key bytes of the mf_fit states');

SELECT * FROM finish();
ROLLBACK;
