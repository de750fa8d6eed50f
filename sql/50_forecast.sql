-- Demand forecasting: the result type, the aggregate, the batch and backtest
-- functions. See docs/forecasting.md.
SET LOCAL search_path = pg_catalog, pg_temp;

-- One series' forecast. Field names are stable: other capabilities (inventory
-- policies) take this type as input.
CREATE TYPE supplyml.forecast_result AS (
    method  text,          -- what was fitted: 'ETS(M,Ad,M)', 'theta', 'sba', 'zero', ...
    params  jsonb,         -- fitted or given parameters, e.g. {"alpha": 0.3, "sigma2": 12.1}
    aicc    float8,        -- ETS and ARIMA, else NULL
    ts      timestamptz[], -- timestamps of the forecast periods
    point   float8[],      -- point forecasts, one per period
    lower   float8[],      -- lower prediction bound at `level`
    upper   float8[],      -- upper prediction bound at `level`
    level   float8,        -- prediction interval level, e.g. 0.95
    step    text,          -- detected step and season used, e.g. 'daily, season 7'
    note    text,          -- fallbacks taken (all-zero series, filled periods), else NULL
    device  text           -- where it was computed: 'cpu'
);
COMMENT ON TYPE supplyml.forecast_result IS
  'A forecast of one series: method, params, aicc, ts[], point[], lower[], upper[], level, step, note, device.';

CREATE FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_transfn(internal, date, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_transfn(internal, date, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_combinefn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_forecast_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_finalfn(internal)
RETURNS supplyml.forecast_result AS 'MODULE_PATHNAME', 'sml_forecast_finalfn' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_transfn(internal, timestamptz, float8, integer, jsonb) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_transfn(internal, date, float8, integer) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_transfn(internal, date, float8, integer, jsonb) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_combinefn(internal, internal) IS 'Combine function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_serialfn(internal) IS 'Serial function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_deserialfn(bytea, internal) IS 'Deserial function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_finalfn(internal) IS 'Final function of supplyml.forecast: fits the series.';

CREATE AGGREGATE supplyml.forecast(ts timestamptz, value float8, horizon integer) (
    SFUNC = supplyml.forecast_transfn, STYPE = internal, SSPACE = 8192, FINALFUNC = supplyml.forecast_finalfn,
    COMBINEFUNC = supplyml.forecast_combinefn, SERIALFUNC = supplyml.forecast_serialfn,
    DESERIALFUNC = supplyml.forecast_deserialfn, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts timestamptz, value float8, horizon integer, options jsonb) (
    SFUNC = supplyml.forecast_transfn, STYPE = internal, SSPACE = 8192, FINALFUNC = supplyml.forecast_finalfn,
    COMBINEFUNC = supplyml.forecast_combinefn, SERIALFUNC = supplyml.forecast_serialfn,
    DESERIALFUNC = supplyml.forecast_deserialfn, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts date, value float8, horizon integer) (
    SFUNC = supplyml.forecast_transfn, STYPE = internal, SSPACE = 8192, FINALFUNC = supplyml.forecast_finalfn,
    COMBINEFUNC = supplyml.forecast_combinefn, SERIALFUNC = supplyml.forecast_serialfn,
    DESERIALFUNC = supplyml.forecast_deserialfn, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts date, value float8, horizon integer, options jsonb) (
    SFUNC = supplyml.forecast_transfn, STYPE = internal, SSPACE = 8192, FINALFUNC = supplyml.forecast_finalfn,
    COMBINEFUNC = supplyml.forecast_combinefn, SERIALFUNC = supplyml.forecast_serialfn,
    DESERIALFUNC = supplyml.forecast_deserialfn, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer) IS
  'Forecasts one series (rows in any order) horizon periods ahead with method auto.';
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, nonnegative, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer) IS
  'Forecasts one daily/weekly/monthly series (rows in any order) horizon periods ahead with method auto.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, freq, as_of, negative, duplicates, nonnegative, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';

CREATE FUNCTION supplyml.forecast_rows(result supplyml.forecast_result)
RETURNS TABLE (step integer, ts timestamptz, point float8, lower float8, upper float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT i, ($1).ts[i], ($1).point[i], ($1).lower[i], ($1).upper[i]
  FROM pg_catalog.generate_subscripts(($1).point, 1) AS i
$$;
COMMENT ON FUNCTION supplyml.forecast_rows(supplyml.forecast_result) IS
  'One row per forecast period of a forecast_result: step, ts, point, lower, upper.';

CREATE FUNCTION supplyml.forecast_batch(
    source text, horizon integer, method text DEFAULT 'auto', season integer DEFAULT NULL,
    level anycompatible DEFAULT 0.95, options jsonb DEFAULT '{}', on_error text DEFAULT 'error',
    freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL, negative text DEFAULT 'keep',
    duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, step integer, ts timestamptz, point float8, lower float8,
               upper float8, method text, level float8, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_batch'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_batch(text, integer, text, integer, anycompatible, jsonb, text, text, timestamptz, text, text, boolean) IS
  'Forecasts every series of a query returning (series key, ts, value); one row per series, period and interval level (level: 95, 0.95 or ''{80,95}''); on_error error, skip or null (one row with the error).';

CREATE FUNCTION supplyml.forecast_backtest(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, method text, windows integer, mase float8, smape float8,
               rmse float8, bias float8, coverage float8, series integer, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb, text, text, timestamptz, text, text, boolean) IS
  'Rolling-origin evaluation: MASE, sMAPE, RMSE, bias and interval coverage per series, and an overall row (series_key NULL); on_error error, skip or null.';

CREATE FUNCTION supplyml.forecast_backtest_rows(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}',
    on_error text DEFAULT 'error', freq text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
    negative text DEFAULT 'keep', duplicates text DEFAULT 'sum', nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, cutoff timestamptz, ts timestamptz, actual float8, point float8,
               lower float8, upper float8, method text, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest_rows'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest_rows(text, integer, text, integer, integer, float8, jsonb, text, text, timestamptz, text, text, boolean) IS
  'The forecasts behind forecast_backtest: one row per series, window (cutoff: last period fitted) and period, with the actual value; on_error error, skip or null.';

CREATE FUNCTION supplyml.forecast_fitted(
    source text, method text DEFAULT 'auto', season integer DEFAULT NULL,
    options jsonb DEFAULT '{}', on_error text DEFAULT 'error', freq text DEFAULT NULL,
    as_of timestamptz DEFAULT NULL, negative text DEFAULT 'keep', duplicates text DEFAULT 'sum',
    nonnegative boolean DEFAULT false)
RETURNS TABLE (series_key text, ts timestamptz, actual float8, fitted float8, residual float8,
               method text, error text)
AS 'MODULE_PATHNAME', 'sml_forecast_fitted'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_fitted(text, text, integer, jsonb, text, text, timestamptz, text, text, boolean) IS
  'One-step-ahead in-sample fitted values and residuals (actual - fitted) of every series of a query; fitted NULL where the method has none; on_error error, skip or null.';
