-- Catalog-driven call helpers shared by tests/sql/core_null_args.sql and the
-- fuzz driver (tests/fuzz/fuzz.sql). Everything is created in pg_temp, so it
-- vanishes with the session. Included with \ir.
--
--   pg_temp.sml_targets()           every public function and aggregate of schema supplyml
--   pg_temp.sml_sample(fn, arg, t)  a valid SQL expression for one argument (aggregates: of g)
--   pg_temp.sml_query(target, args) the query that calls a target with argument expressions
--   pg_temp.sml_try(query)          runs it in a subtransaction that is always rolled back

-- Functions and aggregates callable from SQL: support functions taking or
-- returning internal are left out (no SQL caller can reach them).
CREATE FUNCTION pg_temp.sml_targets()
RETURNS TABLE (fn oid, name text, is_agg boolean, nargs integer, ndefaults integer,
               argnames text[], argtypes oid[])
LANGUAGE sql STABLE AS $$
  SELECT p.oid, p.proname::text, p.prokind = 'a', p.pronargs::integer, p.pronargdefaults::integer,
         CASE WHEN p.proargmodes IS NULL
              THEN ARRAY(SELECT coalesce(p.proargnames[i], '') FROM generate_series(1, p.pronargs) i)
              ELSE ARRAY(SELECT coalesce(p.proargnames[i], '') FROM generate_subscripts(p.proargmodes, 1) i
                         WHERE p.proargmodes[i] IN ('i', 'b', 'v') ORDER BY i) END,
         ARRAY(SELECT t FROM unnest(p.proargtypes) WITH ORDINALITY u(t, k) ORDER BY k)
  FROM pg_catalog.pg_proc p
  WHERE p.pronamespace = 'supplyml'::regnamespace AND p.prokind IN ('f', 'a') AND p.pronargs > 0
    AND p.prorettype <> 'internal'::regtype
    AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[]))
  ORDER BY p.proname, p.oid
$$;

-- Interactions for the reco samples: three users, four items.
CREATE FUNCTION pg_temp.sml_reco_source() RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'SELECT u, i, w FROM (VALUES (1, 1, 1.0), (1, 2, 2.0), (2, 2, 1.0), (2, 3, 1.0), '
         '(3, 1, 1.0), (3, 4, 3.0), (1, 4, 1.0), (2, 1, 1.0)) v(u, i, w)'
$$;

-- A valid value for argument `arg` (type t) of function `fn`, as SQL text.
-- For aggregates it is an expression of the row counter g (1..24).
CREATE FUNCTION pg_temp.sml_sample(fn text, arg text, t oid, is_agg boolean)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF is_agg THEN
    RETURN CASE
      WHEN fn = 'mf_fit' AND t = '"any"'::regtype AND arg IN ('', 'user_id') THEN '(g % 3 + 1)::bigint'
      WHEN fn = 'mf_fit' AND t = '"any"'::regtype THEN '(g % 4 + 1)::bigint'
      WHEN fn = 'reorder_policy' AND t = 'jsonb'::regtype THEN '''{"lead_time": 2, "order_quantity": 20}'''
      WHEN t = 'jsonb'::regtype THEN '''{}'''
      WHEN fn = 'mf_fit' THEN '1.0'
      WHEN t = 'date'::regtype THEN 'DATE ''2020-01-01'' + g'
      WHEN t = 'timestamptz'::regtype THEN 'TIMESTAMPTZ ''2020-01-01'' + g * INTERVAL ''1 day'''
      WHEN t = 'jsonb'::regtype THEN '''{}'''
      WHEN fn LIKE 'route%' AND arg = 'seq' THEN 'g'
      WHEN fn LIKE 'route%' AND arg = 'x' THEN '(g % 5) * 1.5'
      WHEN fn LIKE 'route%' AND arg = 'y' THEN '(g * 7 % 11) * 0.5'
      WHEN fn LIKE 'route%' AND arg = 'demand' THEN '1'
      WHEN fn LIKE 'route%' AND arg = 'ready' THEN '0'
      WHEN fn LIKE 'route%' AND arg = 'due' THEN '1000'
      WHEN fn LIKE 'route%' AND arg = 'service' THEN '0'
      WHEN t = 'bigint'::regtype THEN 'g'
      WHEN fn = 'forecast' AND t = 'integer'::regtype THEN '3'
      WHEN t = 'float8'::regtype THEN '(10 + g % 4)::float8'
      ELSE NULL END;
  END IF;
  RETURN CASE
    -- Text that names a model, a query or a choice.
    WHEN arg = 'model' AND fn IN ('mf_train', 'mf_publish') THEN '''sml_sample_new'''
    WHEN arg = 'model' THEN '''sml_sample'''
    WHEN t = 'name'::regtype THEN 'current_user'
    WHEN arg = 'source' AND fn LIKE 'forecast%' THEN
      quote_literal('SELECT k, DATE ''2020-01-01'' + g AS d, (10 + g % 4 + k)::float8 AS v '
                    'FROM generate_series(1, 24) g, generate_series(1, 2) k')
    WHEN arg = 'source' AND fn = 'route_plan_optimize' THEN
      quote_literal('SELECT r, g::float8 AS seq, (g % 5) * 1.5 AS x, (g * 7 % 11) * 0.5 AS y '
                    'FROM generate_series(1, 2) r, generate_series(1, 6) g')
    WHEN arg = 'source' AND fn LIKE 'route%' THEN
      quote_literal('SELECT r, g AS seq, (g % 5) * 1.5 AS x, (g * 7 % 11) * 0.5 AS y '
                    'FROM generate_series(1, 2) r, generate_series(1, 6) g')
    WHEN arg = 'source' THEN quote_literal(pg_temp.sml_reco_source())
    WHEN arg = 'output_table' THEN '''sml_into_sample'''
    WHEN arg = 'sales' THEN
      quote_literal('SELECT k AS sku, DATE ''2020-01-01'' + g AS day, (g % 4 + k)::float8 AS qty '
                    'FROM generate_series(1, 24) g, generate_series(1, 2) k')
    WHEN arg = 'parameters' THEN quote_literal('SELECT k AS sku, k + 1 AS lead_time FROM generate_series(1, 3) k')
    WHEN arg = 'test' THEN quote_literal('SELECT u, i FROM (VALUES (1, 3), (3, 2)) v(u, i)')
    WHEN arg = 'users' THEN quote_literal('SELECT 1')
    WHEN arg = 'value' AND fn = 'mf_publish' THEN
      '(SELECT supplyml.mf_fit((g % 3 + 1)::bigint, (g % 4 + 1)::bigint, 1.0) FROM generate_series(1, 12) g)'
    WHEN arg = 'forecast' THEN
      '(SELECT supplyml.forecast(DATE ''2020-01-01'' + g, (10 + g % 4)::float8, 3) FROM generate_series(1, 24) g)'
    WHEN arg = 'result' THEN
      '(SELECT supplyml.forecast(DATE ''2020-01-01'' + g, (10 + g % 4)::float8, 3) FROM generate_series(1, 24) g)'
    WHEN arg = 'distribution' AND fn IN ('ss_policy', 'ss_cost') THEN '''poisson'''
    WHEN arg = 'distribution' AND fn = 'simulate_policy' THEN '''empirical'''
    WHEN arg = 'distribution' THEN '''normal'''
    WHEN arg = 'on_error' THEN '''null'''
    WHEN arg = 'freq' THEN '''day'''
    WHEN arg = 'as_of' THEN '''2020-01-20'''
    WHEN arg = 'negative' THEN '''zero'''
    WHEN arg = 'duplicates' THEN '''sum'''
    WHEN arg = 'method' AND fn LIKE 'forecast%' THEN '''ets'''
    WHEN arg = 'method' THEN '''exact'''
    WHEN arg = 'service_type' THEN '''cycle'''
    WHEN arg = 'policy' THEN '''rq'''
    WHEN arg = 'feedback' THEN '''implicit'''
    WHEN t = 'name'::regtype THEN 'CURRENT_USER'
    WHEN fn IN ('reorder_policy', 'reorder_policy_into') AND t = 'jsonb'::regtype THEN '''{"lead_time": 2, "order_quantity": 20}'''
    WHEN t = 'jsonb'::regtype THEN '''{}'''
    -- Numbers that make each function's baseline call valid.
    WHEN arg = 'observations' OR arg = 'demand' THEN '''{3, 5, 8, 13, 8, 5}''::float8[]'
    WHEN arg IN ('user_id', 'item_id') AND t = 'text'::regtype THEN '''1'''
    WHEN arg IN ('user_id', 'item_id') THEN '1'
    WHEN arg = 'version' THEN '1'
    WHEN arg = 'demand_sd' AND fn IN ('ss_policy', 'ss_cost', 'simulate_policy') THEN 'NULL'
    WHEN arg = 'demand_mean' AND fn = 'simulate_policy' THEN 'NULL'
    WHEN arg = 'order_up_to' AND fn = 'simulate_policy' THEN 'NULL'
    WHEN arg = 'stockout_cost' AND fn = 'eoq' THEN 'NULL'
    WHEN arg IN ('demand_mean', 'demand_rate') AND fn IN ('ss_policy', 'ss_cost') THEN '6'
    WHEN arg IN ('demand_mean', 'demand_rate') THEN '100'
    WHEN arg = 'demand_sd' THEN '20'
    WHEN arg = 'lead_time' AND fn = 'simulate_policy' THEN '2'
    WHEN arg = 'lead_time' THEN '1'
    WHEN arg = 'lead_time_sd' THEN '0.5'
    WHEN arg = 'review_period' THEN '1'
    WHEN arg = 'service_level' THEN '0.95'
    WHEN arg = 'holding_cost' THEN '1'
    WHEN arg = 'stockout_cost' THEN '9'
    WHEN arg = 'order_cost' THEN '5'
    WHEN arg = 'order_up_to' AND fn LIKE 'newsvendor%' THEN '110'
    WHEN arg = 'order_up_to' THEN '40'
    WHEN arg = 'order_quantity' THEN '20'
    WHEN arg IN ('reorder_point', 'r', 's') THEN '10'
    WHEN arg IN ('q', 'S') THEN '30'
    WHEN arg = 'periods' THEN '50'
    WHEN arg = 'replications' THEN '20'
    WHEN arg = 'warmup' THEN '10'
    WHEN arg = 'seed' THEN '42'
    WHEN arg = 'horizon' THEN '3'
    WHEN arg = 'windows' THEN '2'
    WHEN arg = 'season' THEN '4'
    WHEN arg = 'level' THEN '0.9'
    WHEN arg IN ('factors', 'iterations', 'k') THEN '2'
    WHEN arg = 'regularization' THEN '0.1'
    WHEN arg = 'alpha' THEN '1'
    WHEN arg = 'exclude_seen' THEN 'true'
    WHEN t = 'boolean'::regtype THEN 'true'
    WHEN t IN ('integer'::regtype, 'bigint'::regtype) THEN '1'
    WHEN t = 'float8'::regtype THEN '1'
    WHEN t = 'text'::regtype THEN '''x'''
    ELSE NULL END;
END $$;

-- The result columns of a target: a composite's attributes, the OUT/TABLE
-- parameters, or the one scalar.
CREATE FUNCTION pg_temp.sml_result_types(fn oid) RETURNS oid[] LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN ty.typrelid <> 0 THEN ARRAY(SELECT a.atttypid FROM pg_catalog.pg_attribute a
                                     WHERE a.attrelid = ty.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                                     ORDER BY a.attnum)
    WHEN p.proargmodes IS NOT NULL AND p.proargmodes && ARRAY['o', 't']::"char"[] THEN
      ARRAY(SELECT p.proallargtypes[i] FROM generate_subscripts(p.proargmodes, 1) i
            WHERE p.proargmodes[i] IN ('o', 'b', 't') ORDER BY i)
    ELSE ARRAY[p.prorettype] END
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_type ty ON ty.oid = p.prorettype
  WHERE p.oid = fn
$$;

-- An SQL condition, true when result column c (of type t) holds NaN or an
-- infinity; NULL for types that cannot.
CREATE FUNCTION pg_temp.sml_nonfinite_check(c text, t oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN t IN ('float8'::regtype, 'float4'::regtype, 'numeric'::regtype) THEN
      format('%s::text IN (''NaN'', ''Infinity'', ''-Infinity'')', c)
    WHEN t IN ('float8[]'::regtype, 'float4[]'::regtype) THEN
      format('EXISTS (SELECT FROM unnest(%s) x WHERE x::text IN (''NaN'', ''Infinity'', ''-Infinity''))', c)
    WHEN (SELECT typtype = 'c' FROM pg_catalog.pg_type WHERE oid = t) THEN
      format('%s::text ~ ''(^|[,(])-?(NaN|Infinity)($|[,)])''', c)
  END
$$;

-- The query calling target `fn` with argument expressions `args` (NULL = SQL
-- NULL); aggregates run over agg_rows rows numbered g. It returns (rows,
-- non-null rows, rows with NaN or an infinity in a float column).
CREATE FUNCTION pg_temp.sml_query(fn oid, args text[], agg_rows integer DEFAULT 24)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  t record;
  list text := '';
  types constant oid[] := pg_temp.sml_result_types(fn);
  cols text;
  bad text;
BEGIN
  SELECT * INTO t FROM pg_temp.sml_targets() s WHERE s.fn = sml_query.fn;
  FOR i IN 1 .. t.nargs LOOP
    list := list || CASE WHEN i > 1 THEN ', ' ELSE '' END
         || CASE WHEN t.argtypes[i] = '"any"'::regtype THEN coalesce(args[i], 'NULL::bigint')
                 -- anycompatible (forecast_batch's level): the sample as written, NULL as float8
                 WHEN t.argtypes[i] = 'anycompatible'::regtype THEN coalesce(args[i], 'NULL::float8')
                 ELSE format('(%s)::%s', coalesce(args[i], 'NULL'), format_type(t.argtypes[i], NULL)) END;
  END LOOP;
  SELECT string_agg('c' || i, ', ' ORDER BY i),
         coalesce(string_agg(pg_temp.sml_nonfinite_check('r.c' || i, types[i]), ' OR '), 'false')
    INTO cols, bad FROM generate_subscripts(types, 1) i;
  RETURN format('SELECT count(*)::integer, (count(*) FILTER (WHERE NOT (r IS NULL)))::integer, '
                '(count(*) FILTER (WHERE %s))::integer FROM ', bad)
    || CASE WHEN NOT t.is_agg THEN format('supplyml.%I(%s) AS r(%s)', t.name, list, cols)
            WHEN array_length(types, 1) > 1 THEN
              format('(SELECT supplyml.%I(%s) AS a FROM generate_series(1, %s) g) s, LATERAL (SELECT (s.a).*) r(%s)',
                     t.name, list, agg_rows, cols)
            ELSE format('(SELECT supplyml.%I(%s) AS a FROM generate_series(1, %s) g) s, LATERAL (SELECT s.a) r(%s)',
                        t.name, list, agg_rows, cols) END;
END $$;

-- Runs `query` (from sml_query) and rolls it back whatever happens, so that
-- training and dropping leave nothing behind. Returns 'null' (no row, or only
-- NULL rows), 'value', 'nonfinite', or the SQLSTATE of the error; and the time.
CREATE FUNCTION pg_temp.sml_try(query text, OUT outcome text, OUT message text, OUT ms float8)
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  nonnull integer;
  bad integer;
  started constant timestamptz := clock_timestamp();
BEGIN
  BEGIN
    EXECUTE query INTO n, nonnull, bad;
    RAISE EXCEPTION USING ERRCODE = 'SMLOK',
      MESSAGE = CASE WHEN bad > 0 THEN 'nonfinite' WHEN nonnull > 0 THEN 'value' ELSE 'null' END;
  EXCEPTION WHEN OTHERS THEN
    IF SQLSTATE = 'SMLOK' THEN
      outcome := SQLERRM;
    ELSE
      outcome := SQLSTATE;
      message := SQLERRM;
    END IF;
  END;
  ms := extract(epoch FROM clock_timestamp() - started) * 1000;
END $$;
