-- The query-text source reader shared by batch functions: shapes, types,
-- integer or text keys, NULLs and non-finite values.
BEGIN;
SELECT plan(19);

CREATE TEMP TABLE sales (sku text, day date, qty numeric);
INSERT INTO sales SELECT 'A' || (i % 3), date '2024-01-01' + i / 3, i FROM generate_series(0, 29999) i;

SELECT results_eq($$SELECT key, n, total FROM supplyml_test.source('SELECT sku, day, qty FROM sales') ORDER BY key$$,
  $$SELECT sku, count(*), sum(qty)::float8 FROM sales GROUP BY sku ORDER BY sku$$,
  'text keys, date times and numeric values are read whole (30000 rows, several fetches)');
SELECT is((SELECT DISTINCT key_type FROM supplyml_test.source('SELECT sku, day, qty FROM sales')), 'text',
          'text keys come back as text');
SELECT is((SELECT first_ts FROM supplyml_test.source('SELECT sku, day, qty FROM sales') WHERE key = 'A1'),
          '2024-01-01'::date::timestamptz, 'dates round-trip');
SELECT is((SELECT DISTINCT key_type FROM supplyml_test.source(
             'SELECT length(sku)::int, day::timestamptz, qty::int FROM sales')), 'integer',
          'integer keys keep their type');
SELECT is((SELECT DISTINCT key_type FROM supplyml_test.source(
             'SELECT 7::bigint, now(), 1.5::float4')), 'bigint', 'bigint keys keep their type');

SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT sku, day FROM sales')$$, '42804',
  'source query of supplyml_test.source must return (key, ts, value)', 'too few columns');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT sku, qty, day FROM sales')$$, '42804', NULL,
  'a number where a time belongs');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT 1.5, now(), 1')$$, '42804', NULL,
  'a fractional key type');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT NULL::text, now(), 1')$$, '22004',
  'source query of supplyml_test.source returned a NULL key in row 1', 'a NULL key names its row');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT ''a'', now(), ''NaN''::float8')$$, '22000',
  'source query of supplyml_test.source returned a non-finite value in row 1', 'NaN is rejected');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('CREATE TABLE x (a int)')$$, '22023', NULL,
  'a statement that is not a SELECT is rejected');
SELECT throws_ok($$SELECT * FROM supplyml_test.source('SELECT * FROM no_such_sales')$$, '42P01', NULL,
  'an error in the query itself keeps its SQLSTATE');

-- The reader numbers rows across the whole scan, stops at the first bad one,
-- and runs the query read-only.
SELECT throws_ok($$SELECT * FROM supplyml_test.source(
    'SELECT sku, day, CASE WHEN qty = 25000 THEN NULL ELSE qty END FROM sales')$$, '22004',
  'source query of supplyml_test.source returned a NULL value in row 25001', 'a NULL late in the scan names its row');
SELECT throws_ok($$SELECT * FROM supplyml_test.source(
    'INSERT INTO sales VALUES (''x'', now(), 1) RETURNING sku, day, qty')$$, '22023',
  'source query of supplyml_test.source must not modify data',
  'a statement that writes is refused');
SELECT is((SELECT count(*) FROM sales WHERE sku = 'x'), 0::bigint, 'and nothing was written');
-- Integer keys dense from 0, negative, large and sparse: every key keeps its
-- own rows (the index changes strategy as keys arrive).
CREATE TEMP TABLE mixed_keys AS
SELECT (CASE i % 4 WHEN 0 THEN -i WHEN 1 THEN i::bigint * 1000000007 WHEN 2 THEN i % 5000 ELSE i * 3 END)::bigint AS k,
       date '2024-01-01' AS t, i::float8 AS v
FROM generate_series(1, 200000) i;
SELECT results_eq($$SELECT key::bigint, n, total FROM supplyml_test.source('SELECT k, t, v FROM mixed_keys') ORDER BY 1$$,
  $$SELECT k, count(*), sum(v) FROM mixed_keys GROUP BY k ORDER BY k$$, 'integer keys of every spread are numbered apart');
-- Keys stored out of line (compressed and toasted) are read whole.
CREATE TEMP TABLE long_keys (k text, t date, v float8);
INSERT INTO long_keys SELECT repeat(md5(i::text), 200) || (i % 2), date '2024-01-01', 1
  FROM generate_series(1, 10) i;
SELECT results_eq($$SELECT length(key), n FROM supplyml_test.source('SELECT k, t, v FROM long_keys') ORDER BY key$$,
  $$SELECT length(k), count(*) FROM long_keys GROUP BY k ORDER BY k$$, 'long text keys are read whole');
SELECT is((SELECT string_agg(key || ':' || n, ',' ORDER BY key) FROM supplyml_test.source(
             'SELECT relname, now(), 1 FROM pg_class WHERE relname IN (''pg_class'', ''pg_type'')')),
          'pg_class:1,pg_type:1', 'name keys are read as text');
-- A numeric beyond float8 names its row (22003), instead of PostgreSQL's bare overflow.
SELECT is((supplyml_test.error_of($$SELECT * FROM supplyml.forecast_batch('SELECT 1, d::date,
            CASE WHEN d = ''2024-01-03'' THEN 1e400 ELSE 1 END::numeric
          FROM generate_series(''2024-01-01''::date, ''2024-01-10'', ''1 day'') d', horizon => 2)$$)).message,
          'source query of forecast_batch returned a value in row 3 that is too large for float8',
          'a numeric too large for float8 is an error that names the row');

SELECT * FROM finish();
ROLLBACK;
