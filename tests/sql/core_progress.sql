-- Progress lines of long calls (extension/progress.hpp): supplyml.progress
-- picks the level (off, notice, log), supplyml.progress_interval limits the
-- rate, and a phase's last line always shows. Lines are captured with
-- supplyml_test.messages, which sees what goes to the server log (hence
-- log_min_messages = notice). Expected counts come from the inputs: rows of
-- the source, series, routes and iterations asked for.
BEGIN;
SELECT plan(19);
SET LOCAL log_min_messages = notice;
SET LOCAL client_min_messages = warning;
SET LOCAL supplyml.threads = 1;

-- Three series of 40, 30 and 20 days; three routes of 4, 5 and 6 stops;
-- 20 customers x 10 products.
CREATE TEMP TABLE s AS
SELECT k, date '2024-01-01' + d AS day, 10 + (d * k % 7)::float8 AS qty
FROM generate_series(1, 3) k, generate_series(1, 50 - 10 * k) d;
CREATE TEMP TABLE st AS
SELECT r, seq, (seq * 37 % 11)::float8 AS x, (seq * 13 % 7)::float8 AS y
FROM generate_series(1, 3) r, generate_series(0, r + 2) seq;
CREATE TEMP TABLE inter AS
SELECT u, i, 1 + (u * i) % 3 AS w FROM generate_series(1, 20) u, generate_series(1, 10) i WHERE (u + i) % 3 <> 0;

-- The captured lines matching a pattern, level first, without the seconds
-- and the loss (which vary).
CREATE FUNCTION pg_temp.lines(sql text, pattern text DEFAULT '') RETURNS text[] LANGUAGE sql AS
  $$SELECT coalesce(array_agg(level || ' ' || regexp_replace(regexp_replace(message, ',? (in )?[0-9.]+ s$', ''),
                                                             'loss [-0-9.e+]+', 'loss L')), '{}')
    FROM supplyml_test.messages(sql) WHERE message ~ pattern$$;

SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.forecast_batch('SELECT k, day, qty FROM s', 7, 'naive')$$),
          '{}', 'supplyml.progress = off (the default): no lines');

SET LOCAL supplyml.progress = notice;
SET LOCAL supplyml.progress_interval = 0;
CREATE TEMP TABLE fb AS
SELECT pg_temp.lines($$SELECT count(*) FROM supplyml.forecast_batch('SELECT k, day, qty FROM s', 7, 'naive')$$) AS l;
SELECT is((SELECT l[1] FROM fb), 'NOTICE supplyml.forecast_batch: read 1 rows so far',
          'interval 0: the source rows as they are read');
SELECT is((SELECT l[90] FROM fb), 'NOTICE supplyml.forecast_batch: read 90 rows so far', '... up to the last row');
SELECT is((SELECT l[91] FROM fb), 'NOTICE supplyml.forecast_batch: read 90 rows',
          'then the phase line with the rows of the source');
SELECT is((SELECT l[92:] FROM fb),
          ARRAY['NOTICE supplyml.forecast_batch: fitted 1 of 3 series (33%)',
                'NOTICE supplyml.forecast_batch: fitted 2 of 3 series (67%)',
                'NOTICE supplyml.forecast_batch: fitted 3 of 3 series (100%)'],
          'then each series fitted, of the total');

SET LOCAL supplyml.threads = 4;
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.forecast_batch('SELECT k, day, qty FROM s', 7, 'ets')$$, 'fitted')
            ::text[] @> ARRAY['NOTICE supplyml.forecast_batch: fitted 3 of 3 series (100%)'],
          true, 'four threads: the backend thread reports the series the workers fitted');
SET LOCAL supplyml.threads = 1;

SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.route_optimize_batch('SELECT r, seq, x, y FROM st', '{"iterations": 2}')$$,
                        'routes'),
          ARRAY['NOTICE supplyml.route_optimize_batch: optimized 1 of 3 routes (33%)',
                'NOTICE supplyml.route_optimize_batch: optimized 2 of 3 routes (67%)',
                'NOTICE supplyml.route_optimize_batch: optimized 3 of 3 routes (100%)'],
          'route_optimize_batch: routes optimized, of the total');

SELECT is(pg_temp.lines($$SELECT * FROM supplyml.mf_train('progress_test', 'SELECT u, i, w FROM inter', factors => 4, iterations => 3)$$,
                        'iteration'),
          ARRAY['NOTICE supplyml.mf_train: iteration 1 of 3: loss L',
                'NOTICE supplyml.mf_train: iteration 2 of 3: loss L',
                'NOTICE supplyml.mf_train: iteration 3 of 3: loss L'],
          'mf_train: each iteration with its loss');

-- route_plan_optimize: a line per round of moves between routes (interval 0),
-- then the total; one route alone has nothing to exchange.
CREATE TEMP TABLE rp AS
SELECT pg_temp.lines($$SELECT count(*) FROM supplyml.route_plan_optimize('SELECT r, seq, x, y FROM st')$$,
                     'between routes') AS l;
SELECT matches((SELECT l[cardinality(l)] FROM rp),
               '^NOTICE supplyml.route_plan_optimize: moved [0-9]+ stops between routes in [0-9]+ rounds?$',
               'route_plan_optimize: the last line gives the stops moved and the rounds');
SELECT is((SELECT (sum((regexp_match(x, 'round [0-9]+ moved ([0-9]+)'))[1]::int)::text,
                   count(*)::text)
           FROM rp, unnest(l[1:cardinality(l) - 1]) x),
          (SELECT ((regexp_match(l[cardinality(l)], 'moved ([0-9]+) stops'))[1],
                   (regexp_match(l[cardinality(l)], 'in ([0-9]+) round'))[1]) FROM rp),
          '... which are the sums of the round lines before it');
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.route_plan_optimize('SELECT r, seq, x, y FROM st WHERE r = 3')$$,
                        'between routes'),
          ARRAY['NOTICE supplyml.route_plan_optimize: round 1 moved 0 stops between routes',
                'NOTICE supplyml.route_plan_optimize: moved 0 stops between routes in 1 round'],
          'one route: one round that moves nothing');

-- Scoring: the users of the model (20), and the users of the test rows (all
-- 20 have some).
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.recommend_all('progress_test', 3)$$, 'scored'),
          ARRAY['NOTICE supplyml.recommend_all: scored 20 of 20 users (100%)'],
          'recommend_all: users scored, of the total');
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.recommend_all('progress_test', 3, 'SELECT u FROM inter WHERE u <= 5 GROUP BY u')$$,
                        'scored'),
          ARRAY['NOTICE supplyml.recommend_all: scored 5 of 5 users (100%)'],
          'recommend_all over a users query: the users it names');
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.mf_evaluate('progress_test', 'SELECT u, i FROM inter', 3)$$, 'scored'),
          ARRAY['NOTICE supplyml.mf_evaluate: scored 20 of 20 users (100%)'],
          'mf_evaluate: test users scored, of the total');

SET LOCAL supplyml.progress_interval = '1h';
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.forecast_batch('SELECT k, day, qty FROM s', 7, 'naive')$$),
          ARRAY['NOTICE supplyml.forecast_batch: read 90 rows',
                'NOTICE supplyml.forecast_batch: fitted 3 of 3 series (100%)'],
          'a long interval: only the lines that end a phase');

SET LOCAL supplyml.progress = log;
SELECT is(pg_temp.lines($$SELECT count(*) FROM supplyml.forecast_backtest('SELECT k, day, qty FROM s', 7, 'naive', windows => 2)$$),
          ARRAY['LOG supplyml.forecast_backtest: read 90 rows',
                'LOG supplyml.forecast_backtest: fitted 3 of 3 series (100%)'],
          'supplyml.progress = log: the same lines at LOG, for jobs');

SET LOCAL supplyml.progress = off;
SELECT is(pg_temp.lines($$SELECT * FROM supplyml.mf_train('progress_test', 'SELECT u, i, w FROM inter', factors => 4,
                                                           iterations => 3, options => '{"verbose": true}')$$),
          ARRAY['NOTICE supplyml.mf_train: iteration 3 of 3: loss L'],
          'mf_train''s verbose option: NOTICE lines with the setting off (here the last one, under the long interval)');

-- A cancel while lines go out (interrupts are held while each is sent, and
-- the next poll sees the cancel): statement_timeout still stops the call.
SET LOCAL supplyml.progress = notice;
SET LOCAL supplyml.progress_interval = 0;
SET LOCAL supplyml.threads = 2;
CREATE TEMP TABLE many AS
SELECT k, date '2020-01-01' + d AS day, 50 + 20 * sin(d * k) + (d * k % 13) AS qty
FROM generate_series(1, 3000) k, generate_series(1, 120) d;
SET LOCAL statement_timeout = '300ms';
CREATE TEMP TABLE cancelled AS
SELECT * FROM supplyml_test.cancel_probe(
  $$SELECT count(*) FROM supplyml_test.messages('SELECT count(*) FROM supplyml.forecast_batch(''SELECT k, day, qty FROM many'', 7, ''ets'')')$$);
RESET statement_timeout;
SELECT ok((SELECT code = '57014' AND seconds < 1.3 FROM cancelled),
          'statement_timeout stops a call that reports progress, within a second of the limit');

SELECT throws_ok($$SET supplyml.progress = 'loud'$$, '22023', NULL, 'supplyml.progress takes off, notice or log');

SELECT * FROM finish();
ROLLBACK;
