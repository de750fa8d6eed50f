-- Internal queries name every operator and function with its schema: with
-- search_path = public, pg_catalog, operators and an aggregate planted in
-- public (which a user may create there) must not run inside mf_train,
-- recommend, model_verify or model_drop, where they would run with the
-- caller's rights, here a superuser's.
BEGIN;
SELECT plan(6);

CREATE TABLE public.sec_planted_log (what text);
CREATE FUNCTION public.sec_eq_text(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.sec_planted_log VALUES ('text = text'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE FUNCTION public.sec_eq_int4(a integer, b integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.sec_planted_log VALUES ('integer = integer'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE FUNCTION public.sec_eq_int8(a bigint, b bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.sec_planted_log VALUES ('bigint = bigint'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE FUNCTION public.sec_plus_int4(a integer, b integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.sec_planted_log VALUES ('integer + integer'); RETURN a OPERATOR(pg_catalog.+) b; END $$;
CREATE FUNCTION public.sec_larger(a integer, b integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.sec_planted_log VALUES ('max(integer)'); RETURN pg_catalog.int4larger(a, b); END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.sec_eq_text);
CREATE OPERATOR public.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.sec_eq_int4);
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.sec_eq_int8);
CREATE OPERATOR public.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.sec_plus_int4);
CREATE AGGREGATE public.max(integer) (SFUNC = public.sec_larger, STYPE = integer);

CREATE TABLE public.sec_clicks AS
SELECT 'u' || (g % 7) AS u, 'i' || (g % 5) AS i, 1.0::float8 AS w FROM generate_series(1, 60) g;

SET LOCAL search_path = public, pg_catalog;
-- The planted operators do run for an unqualified query: the test can fail.
SELECT 'a' = 'a';
SELECT count(*) AS planted_fired INTO TEMP sec_probe FROM public.sec_planted_log;
DELETE FROM public.sec_planted_log;

SELECT version AS v1 INTO TEMP sec_v1 FROM supplyml.mf_train('sec_sp',
  'SELECT u, i, w FROM public.sec_clicks', factors => 2, iterations => 2);
SELECT count(*) AS n INTO TEMP sec_train FROM public.sec_planted_log;
SELECT version AS v2 INTO TEMP sec_v2 FROM supplyml.mf_train('sec_sp',
  'SELECT u, i, w FROM public.sec_clicks', factors => 2, iterations => 2);
SELECT count(*) AS n INTO TEMP sec_read FROM supplyml.recommend('sec_sp', 'u1', k => 3, exclude_seen => false);
SELECT count(*) AS n INTO TEMP sec_verify FROM supplyml.model_verify('sec_sp', 1);
SELECT supplyml.model_drop('sec_sp', 1) AS n INTO TEMP sec_drop;
SELECT pg_catalog.array_agg(DISTINCT what) AS fired INTO TEMP sec_fired FROM public.sec_planted_log;
RESET search_path;

SELECT is((SELECT planted_fired FROM sec_probe), 1::bigint, 'a planted text = runs for an unqualified query');
SELECT is((SELECT n FROM sec_train), 0::bigint, 'mf_train (first publish) runs no planted operator');
SELECT is((SELECT v2 FROM sec_v2), 2, 'a second version is published under that search_path');
SELECT is((SELECT n FROM sec_read), 3::bigint, 'recommend reads the model under that search_path');
SELECT is((SELECT n FROM sec_drop), 1, 'model_drop drops under that search_path');
SELECT is((SELECT fired FROM sec_fired), NULL, 'no planted operator or aggregate ran in any of them');

SELECT * FROM finish();
ROLLBACK;
