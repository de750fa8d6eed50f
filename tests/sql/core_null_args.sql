-- NULL in every argument position of every public function and aggregate of
-- schema supplyml, read from the catalog so that new functions are covered
-- without editing this file. Each call gets valid sample values in the other
-- positions (a tiny trained model, a valid query text), runs in its own
-- subtransaction and is rolled back. Accepted answers:
--   * an error with a specific SQLSTATE (class XX, internal, is refused);
--   * a NULL result (no row, or only NULL rows);
--   * any result for a parameter that has a default or is an options jsonb,
--     where NULL means "not given", and for the route aggregates' ready and
--     due, where NULL leaves that side of the time window open (docs/routing.md).
-- The raise_* functions raise by design, so their sample calls are errors too.
-- A crash fails the whole file (pg_prove sees the lost connection).
BEGIN;
\ir ../fuzz/catalog.sql

-- The model that sample calls query.
SELECT version FROM supplyml.mf_train('sml_sample', pg_temp.sml_reco_source(), factors => 2, iterations => 2) \gset

CREATE TEMP TABLE null_calls AS
SELECT t.fn, t.fn::regprocedure::text AS target, pos,
       CASE WHEN pos = 0 THEN 'baseline' WHEN pos > t.nargs THEN 'all NULL'
            ELSE 'NULL ' || coalesce(nullif(t.argnames[pos], ''), 'argument ' || pos) END AS variant,
       pos BETWEEN 1 AND t.nargs
         AND (pos > t.nargs - t.ndefaults OR t.argnames[pos] = 'options'
              OR (t.is_agg AND t.argtypes[pos] = 'jsonb'::regtype)
              OR (t.is_agg AND t.name LIKE 'route%' AND t.argnames[pos] IN ('ready', 'due'))) AS optional,
       r.outcome, r.message
FROM pg_temp.sml_targets() t, LATERAL generate_series(0, t.nargs + 1) pos,
     LATERAL pg_temp.sml_try(pg_temp.sml_query(t.fn, ARRAY(
       SELECT CASE WHEN pos = 0 OR (pos <= t.nargs AND i <> pos)
                   THEN pg_temp.sml_sample(t.name, t.argnames[i], t.argtypes[i], t.is_agg) END
       FROM generate_series(1, t.nargs) i ORDER BY i))) r;

SELECT plan(6 + (SELECT count(DISTINCT fn)::integer FROM null_calls));

-- The regressions that started this file: a NULL float8[] killed the backend.
SELECT throws_ok($$SELECT * FROM supplyml.newsvendor(1, 9, NULL::float8[])$$, '22004',
                 'observations must not be null', 'newsvendor with NULL observations');
SELECT throws_ok($$SELECT supplyml.newsvendor_cost(5, 1, 9, NULL::float8[])$$, '22004',
                 'observations must not be null', 'newsvendor_cost with NULL observations');
SELECT throws_ok($$SELECT * FROM supplyml.simulate_policy(NULL, 'rq', 10, 20, 2, 50)$$, '22004',
                 'demand must not be null', 'simulate_policy with NULL demand');

-- The samples are valid: the baseline call of every target succeeds, so each
-- NULL is the only thing wrong with its call.
SELECT is_empty($$SELECT target || ': ' || outcome || ' ' || coalesce(message, '')
                  FROM null_calls WHERE variant = 'baseline' AND outcome <> 'value'
                    AND target NOT LIKE 'supplyml.raise\_%'$$,
                'every target answers its sample call');
SELECT cmp_ok((SELECT count(DISTINCT fn)::integer FROM null_calls), '>=', 40,
              'the catalog lists the public functions and aggregates');
SELECT is_empty($$SELECT target || ' ' || variant FROM null_calls WHERE outcome = 'nonfinite'$$,
                'no result carries NaN or an infinity');

SELECT is_empty(format($$SELECT variant || ': ' || outcome || ' ' || coalesce(message, '')
                         FROM null_calls WHERE fn = %s AND pos > 0
                           AND (outcome LIKE 'XX%%' OR (outcome IN ('value', 'nonfinite') AND NOT optional))$$, fn),
                target || ': NULL in each argument is an error or a NULL result')
FROM (SELECT DISTINCT fn, target FROM null_calls) f ORDER BY target;

SELECT * FROM finish();
ROLLBACK;
