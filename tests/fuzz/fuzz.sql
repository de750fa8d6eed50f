-- One chunk of the fuzz run (tests/fuzz/fuzz.sh): draws :n random calls of the
-- public functions and aggregates of schema supplyml from the seed
-- (:seed, :chunk), then runs each as its own statement (\gexec), so that
-- statement_timeout applies per call and a crash ends the session at the call
-- that caused it. Outcomes go to fuzz_log (see fuzz.sh).
\set ON_ERROR_STOP 0
\set QUIET 1
SET client_min_messages = warning;
\ir catalog.sql

-- A random element of a list.
CREATE FUNCTION pg_temp.pick(VARIADIC xs text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT xs[1 + floor(random() * pg_catalog.array_length(xs, 1))::integer]
$$;

CREATE FUNCTION pg_temp.fuzz_float() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT pg_temp.pick('''NaN''', '''Infinity''', '''-Infinity''', '1e308', '-1e308', '4.9e-324', '-4.9e-324',
                      '0', '-0.0', '-1', '1', '0.5', '1e-300', '1e100', '-1e100', '2147483648', '9007199254740993',
                      '1.0000000000000002', '0.9999999999999999', (random() * 1000)::text,
                      (-random() * 1e6)::text, (random() * 10)::integer::text)
$$;

CREATE FUNCTION pg_temp.fuzz_int(big boolean) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN big AND random() < 0.2 THEN pg_temp.pick('9223372036854775807', '-9223372036854775808', '4294967296')
         ELSE pg_temp.pick('0', '-1', '1', '2', '3', '7', '100', '100000', '1000000', '2147483647', '-2147483648',
                           (floor(random() * 50))::text, (-floor(random() * 1000))::text) END
$$;

CREATE FUNCTION pg_temp.fuzz_text() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT pg_temp.pick('''''', ''' ''', '''x''', 'repeat(''a'', 100000)', '''é☃漢字''', '''a''''; SELECT 1''',
                      '''NORMAL''', '''normal ''', E'''\\t''', '''null''', '''NaN''',
                      quote_literal(pg_temp.pick('normal', 'poisson', 'gamma', 'negative_binomial', 'empirical', 'auto',
                                                 'ets', 'arima', 'croston', 'sba', 'naive', 'snaive', 'theta', 'zero',
                                                 'rq', 'ss', 'base_stock', 'exact', 'power', 'eil', 'loss_function',
                                                 'eoq_ss', 'cycle', 'fill_rate', 'implicit', 'explicit', 'sml_sample',
                                                 'sml_sample_new', 'weibull')))
$$;

-- Query texts: wrong shapes, NULLs, NaN, duplicates, errors, empty results.
CREATE FUNCTION pg_temp.fuzz_query(fn text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT quote_literal(pg_temp.pick(
    'SELECT', 'SELECT 1', 'SELECT 1/0', 'not sql at all', 'SELECT 1, 2, 3 WHERE false',
    'SELECT NULL::bigint, NULL::bigint, NULL::float8',
    'SELECT 1, 1, ''NaN''::float8', 'SELECT 1, 1, ''Infinity''::float8', 'SELECT 1, 1, 1e308::float8',
    'SELECT 1 AS k, DATE ''2020-01-01'' AS d, 1.0::float8 AS v FROM generate_series(1, 5)',
    'SELECT 1 AS k, ''infinity''::date AS d, 1.0::float8 AS v',
    'SELECT k, DATE ''2020-01-01'' + g AS d, 0::float8 AS v FROM generate_series(1, 30) g, generate_series(1, 2) k',
    'SELECT 1, DATE ''2020-01-01'' + g, 5::float8 FROM generate_series(1, 40) g',
    'SELECT ''a'', TIMESTAMPTZ ''2020-01-01'' + g * INTERVAL ''1 hour'', (g % 7)::float8 FROM generate_series(1, 60) g',
    'SELECT 1, DATE ''2020-01-01'' + g, CASE WHEN g = 5 THEN NULL ELSE g END::float8 FROM generate_series(1, 30) g',
    'SELECT 1, DATE ''2020-01-01'' + g * 2, 1e300 * g FROM generate_series(1, 30) g',
    'SELECT g % 2, g % 3, 1.0 FROM generate_series(1, 12) g',
    'SELECT 1, 1, -5.0', 'SELECT ''u'', ''i'', 1e308::float8', 'SELECT 1::bigint, 2::bigint',
    'SELECT r, g AS seq, ''NaN''::float8, 1.0::float8 FROM generate_series(1, 2) r, generate_series(1, 4) g',
    'SELECT 1, g % 2, g * 1e200, 1.0 FROM generate_series(1, 5) g',
    'SELECT 1, 1.5::float8, 1.0, 1.0', 'SELECT r, g, 0.0, 0.0 FROM generate_series(1, 2) r, generate_series(1, 3) g',
    'SELECT 1, g, 1.0, 2.0, -1.0, 5.0, 1.0, 0.0 FROM generate_series(1, 4) g',
    'SELECT 1, g::float8 AS seq, g * 1.0, g * 2.0 FROM generate_series(1, 3) g')) ||
    '::text'
$$;

CREATE FUNCTION pg_temp.fuzz_jsonb(fn text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  keys constant text[] := ARRAY['alpha', 'beta', 'capacity', 'cost_per_distance', 'cost_per_excess', 'cost_per_lateness',
    'cost_per_time', 'cost_per_vehicle', 'damped', 'depot', 'distribution', 'earth_radius', 'gamma', 'holding_cost',
    'holdout', 'ic', 'iterations', 'lead_time', 'lead_time_sd', 'level', 'method', 'metric', 'missing', 'model', 'nsim',
    'order_cost', 'order_quantity', 'phi', 'policy', 'return_to_depot', 'review_period', 'season', 'seed',
    'service_level', 'service_type', 'speed', 'start', 'start_time', 'stockout_cost', 'time_limit', 'time_windows',
    'no_such_key', 'matrix'];
  vals constant text[] := ARRAY['0', '-1', '1', '2', '0.5', '1e308', '1e-300', '1e400', '-1e400', '1e-400', '"NaN"',
    '"Infinity"', 'null', 'true', 'false', '"x"', '""', '[]', '{}', '[1, 2]', '{"a": 1}', '2147483648', '7', '100000',
    '"ets"', '"haversine"', '"euclidean"', '"manhattan"', '"auto"', '"rq"', '"ss"', '"normal"', '"poisson"', '"zero"',
    '"ANN"', '"MAM"', '"mean"', '"drop"', '"aicc"', '"2020-01-01"', '0.999999999999'];
  parts text[] := '{}';
  r double precision := random();
BEGIN
  IF r < 0.04 THEN RETURN 'NULL'; END IF;
  IF r < 0.08 THEN RETURN pg_temp.pick('''[]''', '''null''', '''1''', '''"x"''', '''[{}]'''); END IF;
  IF r < 0.1 THEN  -- deeply nested
    RETURN format('(repeat(''{"a": '', %1$s) || ''1'' || repeat(''}'', %1$s))::jsonb', pg_temp.pick('100', '5000'));
  END IF;
  IF r < 0.12 THEN RETURN format('(repeat(''['', %1$s) || repeat('']'', %1$s))::jsonb', pg_temp.pick('100', '5000')); END IF;
  IF r < 0.14 THEN RETURN '''{"method": "ets", "method": "naive", "seed": 1, "seed": -1}'''; END IF;
  IF r < 0.16 THEN RETURN format('jsonb_build_object(%L, repeat(''z'', 100000))', keys[1 + floor(random() * 43)::integer]); END IF;
  IF r < 0.2 THEN RETURN pg_temp.sml_sample(fn, 'options', 'jsonb'::regtype, false); END IF;
  FOR i IN 1 .. floor(random() * 4)::integer LOOP
    parts := parts || format('"%s": %s', keys[1 + floor(random() * 43)::integer], vals[1 + floor(random() * 41)::integer]);
  END LOOP;
  RETURN quote_literal('{' || array_to_string(parts, ', ') || '}');
END $$;

CREATE FUNCTION pg_temp.fuzz_array() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT pg_temp.pick('''{}''', '''{NULL}''', '''{NaN}''', '''{1e308,1e308,1e308}''', '''{-1e308,1e308}''',
                      '''{-1,2,3}''', '''{{1,2},{3,4}}''', '''[5:7]={1,2,3}''', '''{0,0,0,0}''', '''{4.9e-324}''',
                      '''{Infinity}''', '''{1,2,3}''', '''{1e100,1,1e-100}''', 'array_fill(7.0::float8, ARRAY[100000])',
                      '(SELECT array_agg(g::float8) FROM generate_series(1, 1000) g)',
                      '(SELECT array_agg((random() * 20)::integer::float8) FROM generate_series(1, 30))')
$$;

CREATE FUNCTION pg_temp.fuzz_time(t oid) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT format('(%s)::%s', pg_temp.pick('''infinity''', '''-infinity''', '''4713-01-01 BC''', '''294276-12-31''',
                                         '''2020-01-01''', '''1970-01-01''', '''2020-02-29'''),
                format_type(t, NULL))
$$;

-- A fuzzed expression for one argument. Aggregates get a per-row expression
-- of g: a constant for every row, the sample, or the sample with bad rows
-- mixed in, and keys that repeat (duplicate seq, timestamps).
CREATE FUNCTION pg_temp.fuzz_value(fn text, arg text, t oid, is_agg boolean) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r double precision := random();
  sample text := pg_temp.sml_sample(fn, arg, t, is_agg);
  bad text;
BEGIN
  IF r < 0.45 THEN RETURN sample; END IF;
  IF r < 0.5 THEN RETURN NULL; END IF;
  bad := CASE
    WHEN t = 'float8'::regtype THEN pg_temp.fuzz_float()
    WHEN t = 'integer'::regtype THEN pg_temp.fuzz_int(false)
    WHEN t = 'bigint'::regtype THEN pg_temp.fuzz_int(true)
    WHEN t = 'boolean'::regtype THEN pg_temp.pick('true', 'false')
    WHEN t = 'jsonb'::regtype THEN pg_temp.fuzz_jsonb(fn)
    WHEN t = 'float8[]'::regtype THEN pg_temp.fuzz_array()
    WHEN t IN ('date'::regtype, 'timestamptz'::regtype) THEN pg_temp.fuzz_time(t)
    WHEN t = 'text'::regtype AND arg IN ('source', 'test', 'users', 'sales', 'parameters') THEN pg_temp.fuzz_query(fn)
    WHEN t = 'text'::regtype THEN pg_temp.fuzz_text()
    WHEN t = 'anycompatible'::regtype THEN pg_temp.pick(pg_temp.fuzz_float(), '''{80,95}''', '''{}''',
                                                         'ARRAY[0, 50]', '''{{80}}''', '''x''', 'true')
    WHEN t = '"any"'::regtype THEN pg_temp.pick('1.5::float8', '''x''::text', 'NULL::text', 'g::integer', 'true',
                                                 '''{1}''::int[]', '(g % 2)::bigint', 'repeat(''k'', 1000)')
    WHEN t = 'supplyml.mf_model'::regtype THEN pg_temp.pick('''\x''', '''\xdeadbeef''', 'decode(repeat(''00'', 64), ''hex'')',
      format('substr(%s::bytea, 1, %s)', sample, floor(random() * 200)::integer),
      format('overlay(%s::bytea placing ''\xff''::bytea from %s)', sample, 1 + floor(random() * 100)::integer))
    WHEN t = 'supplyml.forecast_result'::regtype THEN format(
      'ROW(''ets'', ''{}'', NULL, NULL, %s, %s, %s, %s, NULL, NULL, NULL)::supplyml.forecast_result',
      pg_temp.fuzz_array(), pg_temp.fuzz_array(), pg_temp.fuzz_array(), pg_temp.fuzz_float())
    ELSE sample END;
  IF is_agg AND random() < 0.5 AND sample IS NOT NULL THEN
    RETURN CASE WHEN arg IN ('seq', 'ts') OR t IN ('date'::regtype, 'timestamptz'::regtype)
                THEN format('CASE WHEN g %% 3 = 0 THEN %s ELSE %s END', regexp_replace(sample, '\mg\M', '1', 'g'), sample)
                ELSE format('CASE WHEN g %% %s = 0 THEN (%s)::%s ELSE %s END', 2 + floor(random() * 5)::integer,
                            coalesce(bad, 'NULL'), format_type(t, NULL), sample) END;
  END IF;
  RETURN bad;
END $$;

-- The calls of this chunk, drawn up front so that the seed alone fixes them;
-- kept in fuzz_call so that fuzz.sh can show the call that broke a session.
SELECT setseed(((:seed::bigint * 7919 + :chunk) % 1000003) / 1000003.0) \gset
CREATE TEMP TABLE fuzz_targets AS SELECT row_number() OVER () AS k, * FROM pg_temp.sml_targets();
INSERT INTO fuzz_call
SELECT id, t.fn::regprocedure::text,
       pg_temp.sml_query(t.fn, ARRAY(SELECT pg_temp.fuzz_value(t.name, t.argnames[i], t.argtypes[i], t.is_agg)
                                     FROM generate_series(1, t.nargs) i ORDER BY i),
                         (ARRAY[0, 1, 2, 3, 24, 24, 200])[1 + floor(random() * 7)::integer])
FROM (SELECT id, 1 + floor(random() * (SELECT count(*) FROM fuzz_targets))::integer AS k
      FROM generate_series(:chunk::bigint * :size + 1, :chunk::bigint * :size + :n) id ORDER BY id) c
JOIN fuzz_targets t USING (k) ORDER BY id;

SET statement_timeout = :'timeout';
SELECT format('INSERT INTO fuzz_log SELECT %s, outcome, left(message, 300), ms FROM pg_temp.sml_try(%L)', id, query)
FROM fuzz_call WHERE id BETWEEN :chunk::bigint * :size + 1 AND :chunk::bigint * :size + :n ORDER BY id \gexec
