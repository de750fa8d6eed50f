-- The `_into` mechanism (extension/into_table.cpp), through forecast_into:
-- output table names parsed as SQL names (hostile ones included), appends
-- only to compatible tables, errors that roll the whole call back, the
-- caller's rights, and internal statements immune to objects planted on the
-- caller's search_path.
BEGIN;
SELECT plan(26);

CREATE SCHEMA into_t;
CREATE TABLE into_t.victim (x int);
CREATE TABLE into_t.sales AS
  SELECT k::bigint AS sku, DATE '2024-01-01' + d AS day, (10 + (d * k) % 7)::float8 AS qty
  FROM generate_series(0, 27) d, generate_series(1, 3) k;
CREATE FUNCTION pg_temp.fc(output_table text, source text DEFAULT 'SELECT sku, day, qty FROM into_t.sales')
RETURNS bigint LANGUAGE sql AS $$
  SELECT run_id FROM supplyml.forecast_into(output_table, source, 7, method => 'naive')
$$;

-- Names: SQL syntax, schema-qualified or not, quoted parts kept as they are.
SELECT throws_ok($$SELECT pg_temp.fc('into_t.x; DROP TABLE into_t.victim')$$, '42602', NULL,
                 'an unquoted name with SQL after it is invalid name syntax');
SELECT is(pg_temp.fc('into_t."x""; DROP TABLE into_t.victim; --"'), 1::bigint, 'a quoted hostile name is just a name');
SELECT has_table('into_t', 'x"; DROP TABLE into_t.victim; --', 'the table has that name');
SELECT has_table('into_t', 'x"; DROP TABLE into_t.victim; --_summary', 'and so has its summary');
SELECT has_table('into_t', 'victim', 'no SQL in the name ran');
SELECT is(pg_temp.fc('into_t."Weekly Plan"'), 1::bigint, 'a mixed-case name with a space');
SELECT has_table('into_t', 'Weekly Plan', 'keeps its case');
SET LOCAL search_path = into_t, public;
SELECT is(pg_temp.fc('plain'), 1::bigint, 'an unqualified name');
RESET search_path;
SELECT has_table('into_t', 'plain', 'is created in the first schema of the caller''s search_path');
SELECT throws_ok($$SELECT pg_temp.fc(repeat('n', 60))$$, '42622', NULL,
                 'a name that leaves no room for _summary is refused');
SELECT throws_ok($$SELECT pg_temp.fc(NULL)$$, '22004', 'output_table must not be null', 'NULL output_table');

-- Appending needs a table with the output's columns and types.
CREATE TABLE into_t.other (run_id bigint);
SELECT throws_ok($$SELECT pg_temp.fc('into_t.other')$$, '42P07',
                 'table into_t.other exists without column "series_key"', 'a table of another shape');
SELECT is(pg_temp.fc('into_t.typed', 'SELECT ''s'' || sku, day, qty FROM into_t.sales'), 1::bigint, 'text keys first');
SELECT throws_ok($$SELECT pg_temp.fc('into_t.typed')$$, '42804',
                 'column "series_key" of table into_t.typed is of type text, not bigint', 'then bigint keys');
CREATE VIEW into_t.a_view AS SELECT 1 AS one;
SELECT throws_ok($$SELECT pg_temp.fc('into_t.a_view')$$, '42809', 'into_t.a_view is not a table', 'a view');

-- Errors roll everything back: no table, no summary, no rows.
SELECT throws_ok($$SELECT pg_temp.fc('into_t.fresh', 'SELECT NULL::bigint, day, qty FROM into_t.sales')$$, '22004',
                 NULL, 'a source with a NULL key fails');
SELECT hasnt_table('into_t', 'fresh', 'the failed first run left no table');
SELECT hasnt_table('into_t', 'fresh_summary', 'nor a summary table');
SELECT throws_ok($$SELECT pg_temp.fc('into_t.plain', 'SELECT sku, day, qty / (sku - 3) FROM into_t.sales')$$,
                 '22012', NULL, 'a source query that fails half-way');
SELECT results_eq($$SELECT (SELECT count(*) FROM into_t.plain), (SELECT count(*) FROM into_t.plain_summary)$$,
                  $$VALUES (21::bigint, 1::bigint)$$, 'the failed append left the rows and summary as they were');
SELECT throws_ok($$SELECT pg_temp.fc('into_t.plain', 'WITH d AS (DELETE FROM into_t.sales RETURNING *) SELECT * FROM d')$$,
                 '22023', 'source query of forecast_into must not modify data', 'a data-modifying source is refused');

-- The caller's rights: a role without CREATE on the schema cannot create.
CREATE ROLE into_t_reader;
GRANT USAGE ON SCHEMA supplyml, into_t TO into_t_reader;
GRANT SELECT ON into_t.sales TO into_t_reader;
SET LOCAL ROLE into_t_reader;
SELECT throws_ok($$SELECT pg_temp.fc('into_t.by_reader')$$, '42501', NULL,
                 'a role without CREATE on the schema cannot create the table');
SELECT throws_ok($$SELECT pg_temp.fc('into_t.plain')$$, '42501', NULL,
                 'nor append to a table it may not insert into');
RESET ROLE;

-- Operators and aggregates planted in public do not run inside the call.
CREATE TABLE public.into_planted_log (what text);
CREATE FUNCTION public.into_eq_text(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.into_planted_log VALUES ('text = text'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE FUNCTION public.into_eq_int8(a bigint, b bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.into_planted_log VALUES ('bigint = bigint'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE FUNCTION public.into_count(n bigint, x bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.into_planted_log VALUES ('count(bigint)'); RETURN n OPERATOR(pg_catalog.+) 1; END $$;
CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.into_planted_log VALUES ('nextval(text)'); RETURN 0; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.into_eq_text);
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.into_eq_int8);
CREATE AGGREGATE public.count(bigint) (SFUNC = public.into_count, STYPE = bigint, INITCOND = '0');
SET LOCAL search_path = public, pg_catalog;
SELECT count(*) AS n INTO TEMP into_probe FROM (SELECT 1 WHERE 'a' = 'a') s;
SELECT count(*) AS n INTO TEMP into_probe_log FROM public.into_planted_log;
DELETE FROM public.into_planted_log;
SELECT pg_temp.fc('into_t.planted') AS run_id INTO TEMP into_planted_run;
RESET search_path;
-- (pgTAP itself calls nextval('...'), which this one would take over.)
DROP FUNCTION public.nextval(text);
SELECT is((SELECT n FROM into_probe_log), 1::bigint, 'a planted operator runs for an unqualified query');
SELECT is((SELECT run_id FROM into_planted_run), 1::bigint, 'forecast_into runs under that search_path');
SELECT is((SELECT array_agg(what) FROM public.into_planted_log), NULL, 'and runs no planted operator or function');

SELECT * FROM finish();
ROLLBACK;
