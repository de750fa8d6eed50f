-- supplyml 0.1.0 install script as released (assembled from sql/*.sql of that release).
-- Frozen: never edit; changes go into sql/*.sql and sql/upgrade/supplyml--0.1.0--0.2.0.sql.
\echo Use "CREATE EXTENSION supplyml" to load this file. \quit

-- ==== sql/10_core.sql ====
-- Core: settings, devices and the self-test of the GPU path.
-- The schema is created by CREATE EXTENSION (supplyml.control names it).
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION supplyml.devices(
    OUT kind text, OUT index integer, OUT name text, OUT memory_bytes bigint,
    OUT compute_capability text, OUT cores integer, OUT in_use boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_devices'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.devices() IS
  'Devices supplyml can compute on: the CPU (cores = worker threads) and each usable GPU '
  '(cores = multiprocessors); in_use says whether supplyml.device lets work run there.';

CREATE FUNCTION supplyml.gpu_selftest(
    OUT device text, OUT axpy_max_error float8, OUT gemm_max_error float8, OUT passed boolean)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_gpu_selftest'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.gpu_selftest() IS
  'Runs the CUDA smoke kernel and a cuBLAS product on GPU 0 and compares them with the CPU.';

-- ==== sql/20_registry.sql ====
-- The model registry: named, versioned models with their fitted arrays stored
-- beside them in chunks (so no model is limited by the 1 GB value size).
-- A name's current version is its highest; publishing a version is part of the
-- caller's transaction, so readers see the old model or the new one.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE TABLE supplyml.model (
    model_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version         integer     NOT NULL CHECK (version > 0),
    kind            text        NOT NULL,
    params          jsonb       NOT NULL DEFAULT '{}',
    metrics         jsonb       NOT NULL DEFAULT '{}',
    device          text        NOT NULL,
    rows_used       bigint      NOT NULL,
    trained_at      timestamptz NOT NULL DEFAULT now(),
    trained_by      name        NOT NULL DEFAULT current_user,
    format_version  integer     NOT NULL,
    payload_bytes   bigint      NOT NULL,
    chunks          integer     NOT NULL,
    UNIQUE (name, version)
);
COMMENT ON TABLE supplyml.model IS
  'One row per published model version; the fitted arrays are in supplyml.model_chunk.';

CREATE TABLE supplyml.model_chunk (
    model_id  bigint  NOT NULL REFERENCES supplyml.model ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea   NOT NULL,
    PRIMARY KEY (model_id, seq)
);
-- Fitted arrays are floating point and compress poorly: store them as they are.
ALTER TABLE supplyml.model_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
COMMENT ON TABLE supplyml.model_chunk IS
  'Encoded model payloads (format version and checksum inside), split into chunks in seq order.';

-- User models are data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('supplyml.model', '');
SELECT pg_catalog.pg_extension_config_dump('supplyml.model_chunk', '');

CREATE VIEW supplyml.model_versions AS
SELECT m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       m.version = max(m.version) OVER (PARTITION BY m.name) AS is_current
FROM supplyml.model m;
COMMENT ON VIEW supplyml.model_versions IS 'Every stored version of every model.';

CREATE VIEW supplyml.models AS
SELECT DISTINCT ON (m.name)
       m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       count(*) OVER (PARTITION BY m.name) AS versions
FROM supplyml.model m
ORDER BY m.name, m.version DESC;
COMMENT ON VIEW supplyml.models IS
  'One row per model name: its current (highest) version and how many versions are stored.';

-- The one error for a model name (and version) that the registry does not hold.
CREATE FUNCTION supplyml.raise_unknown_model(model text, version integer)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'model "%"% does not exist', model,
          CASE WHEN version IS NULL THEN '' ELSE format(' version %s', version) END
        USING ERRCODE = 'undefined_object',
              DETAIL = 'The model registry holds no such model.',
              HINT = 'List the stored models with SELECT * FROM supplyml.models.';
END
$$;

CREATE FUNCTION supplyml.model_describe(model text, version integer DEFAULT NULL)
RETURNS SETOF supplyml.model_versions
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT v.* FROM supplyml.model_versions v
    WHERE v.name = model_describe.model
      AND (model_describe.version IS NULL AND v.is_current OR v.version = model_describe.version);
    IF NOT FOUND THEN
        PERFORM supplyml.raise_unknown_model(model, version);
    END IF;
END
$$;
COMMENT ON FUNCTION supplyml.model_describe(text, integer) IS
  'Metadata of a model version (the current one when version is NULL).';

CREATE FUNCTION supplyml.model_drop(model text, version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
BEGIN
    DELETE FROM supplyml.model m
    WHERE m.name = model_drop.model
      AND (model_drop.version IS NULL OR m.version = model_drop.version);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    IF dropped = 0 THEN
        PERFORM supplyml.raise_unknown_model(model, version);
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_drop(text, integer) IS
  'Drops one version of a model, or every version when version is NULL; returns how many.';

CREATE FUNCTION supplyml.model_verify(model text, version integer DEFAULT NULL)
RETURNS TABLE (name text, version integer, payload_bytes bigint, sections integer)
AS 'MODULE_PATHNAME', 'sml_model_verify'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.model_verify(text, integer) IS
  'Reads a model version back, checks its format and checksum and decodes every array; '
  'raises data_corrupted if the stored bytes are damaged.';

-- ==== sql/50_forecast.sql ====
-- Demand forecasting: the result type, the aggregate, the batch and backtest
-- functions. See docs/forecasting.md.
SET LOCAL search_path = pg_catalog, pg_temp;

-- One series' forecast. Field names are stable: other capabilities (inventory
-- policies) take this type as input.
CREATE TYPE supplyml.forecast_result AS (
    method  text,          -- what was fitted: 'ETS(M,Ad,M)', 'theta', 'sba', 'zero', ...
    params  jsonb,         -- fitted or given parameters, e.g. {"alpha": 0.3, "sigma2": 12.1}
    aicc    float8,        -- ETS only, else NULL
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

CREATE FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_serial(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_forecast_serial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_deserial(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_forecast_deserial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.forecast_final(internal)
RETURNS supplyml.forecast_result AS 'MODULE_PATHNAME', 'sml_forecast_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_sfunc(internal, timestamptz, float8, integer, jsonb) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_sfunc(internal, date, float8, integer, jsonb) IS 'Transition function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_combine(internal, internal) IS 'Combine function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_serial(internal) IS 'Serial function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_deserial(bytea, internal) IS 'Deserial function of supplyml.forecast.';
COMMENT ON FUNCTION supplyml.forecast_final(internal) IS 'Final function of supplyml.forecast: fits the series.';

CREATE AGGREGATE supplyml.forecast(ts timestamptz, value float8, horizon integer) (
    SFUNC = supplyml.forecast_sfunc, STYPE = internal, FINALFUNC = supplyml.forecast_final,
    COMBINEFUNC = supplyml.forecast_combine, SERIALFUNC = supplyml.forecast_serial,
    DESERIALFUNC = supplyml.forecast_deserial, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts timestamptz, value float8, horizon integer, options jsonb) (
    SFUNC = supplyml.forecast_sfunc, STYPE = internal, FINALFUNC = supplyml.forecast_final,
    COMBINEFUNC = supplyml.forecast_combine, SERIALFUNC = supplyml.forecast_serial,
    DESERIALFUNC = supplyml.forecast_deserial, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts date, value float8, horizon integer) (
    SFUNC = supplyml.forecast_sfunc, STYPE = internal, FINALFUNC = supplyml.forecast_final,
    COMBINEFUNC = supplyml.forecast_combine, SERIALFUNC = supplyml.forecast_serial,
    DESERIALFUNC = supplyml.forecast_deserial, PARALLEL = SAFE);
CREATE AGGREGATE supplyml.forecast(ts date, value float8, horizon integer, options jsonb) (
    SFUNC = supplyml.forecast_sfunc, STYPE = internal, FINALFUNC = supplyml.forecast_final,
    COMBINEFUNC = supplyml.forecast_combine, SERIALFUNC = supplyml.forecast_serial,
    DESERIALFUNC = supplyml.forecast_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer) IS
  'Forecasts one series (rows in any order) horizon periods ahead with method auto.';
COMMENT ON AGGREGATE supplyml.forecast(timestamptz, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer) IS
  'Forecasts one daily/weekly/monthly series (rows in any order) horizon periods ahead with method auto.';
COMMENT ON AGGREGATE supplyml.forecast(date, float8, integer, jsonb) IS
  'Forecasts one series horizon periods ahead; options: method, season, level, missing, model, damped, alpha, beta, gamma, phi, ic, seed, nsim.';

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
    level float8 DEFAULT 0.95, options jsonb DEFAULT '{}')
RETURNS TABLE (series_key text, step integer, ts timestamptz, point float8, lower float8,
               upper float8, method text)
AS 'MODULE_PATHNAME', 'sml_forecast_batch'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_batch(text, integer, text, integer, float8, jsonb) IS
  'Forecasts every series of a query returning (series key, ts, value); one row per series and period.';

CREATE FUNCTION supplyml.forecast_backtest(
    source text, horizon integer, method text DEFAULT 'auto', windows integer DEFAULT 3,
    season integer DEFAULT NULL, level float8 DEFAULT 0.95, options jsonb DEFAULT '{}')
RETURNS TABLE (series_key text, method text, windows integer, mase float8, smape float8,
               rmse float8, bias float8, coverage float8, series integer)
AS 'MODULE_PATHNAME', 'sml_forecast_backtest'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.forecast_backtest(text, integer, text, integer, integer, float8, jsonb) IS
  'Rolling-origin evaluation: MASE, sMAPE, RMSE, bias and interval coverage per series, and an overall row (series_key NULL).';

-- ==== sql/60_inventory.sql ====
-- Inventory policies: EOQ, newsvendor, safety stock and reorder points,
-- (r,Q), (s,S), base-stock (R,S), a reorder policy per group from demand
-- history, and Monte Carlo simulation. Formulas: docs/inventory.md.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE TYPE supplyml.inventory_policy AS (
    policy              text,    -- rq, ss or base_stock
    reorder_point       float8,  -- r or s; NULL for base_stock
    order_quantity      float8,  -- Q; NULL where the quantity varies (ss, base_stock)
    order_up_to         float8,  -- r + Q, S
    safety_stock        float8,  -- reorder point (or S) minus mean demand over its protection interval
    expected_cost       float8,  -- per time unit / period; NULL where the method gives none
    fill_rate           float8,  -- fraction of demand served from stock
    cycle_service_level float8,  -- probability of no stockout in a cycle (ss, base_stock: in a period)
    method              text,
    distribution        text,    -- demand distribution used
    demand_mean         float8,  -- per period / time unit
    demand_sd           float8
);
COMMENT ON TYPE supplyml.inventory_policy IS
  'A replenishment policy with its levels, expected cost and service measures, and the demand model behind it.';

CREATE FUNCTION supplyml.eoq(
    demand_rate float8, order_cost float8, holding_cost float8, stockout_cost float8 DEFAULT NULL,
    OUT order_quantity float8, OUT backorder_fraction float8, OUT cost float8, OUT cycle_time float8)
RETURNS record AS 'MODULE_PATHNAME', 'sml_eoq'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.eoq(float8, float8, float8, float8) IS
  'Economic order quantity Q = sqrt(2 K lambda / h); with stockout_cost, the EOQ with planned backorders.';

CREATE FUNCTION supplyml.newsvendor(
    holding_cost float8, stockout_cost float8, demand_mean float8, demand_sd float8 DEFAULT NULL,
    distribution text DEFAULT 'normal', OUT order_up_to float8, OUT expected_cost float8)
RETURNS record AS 'MODULE_PATHNAME', 'sml_newsvendor'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.newsvendor(float8, float8, float8, float8, text) IS
  'Optimal newsvendor level S = F^-1(p / (p + h)) and its expected cost, for normal, poisson, negative_binomial or gamma demand.';

CREATE FUNCTION supplyml.newsvendor(
    holding_cost float8, stockout_cost float8, observations float8[],
    OUT order_up_to float8, OUT expected_cost float8)
RETURNS record AS 'MODULE_PATHNAME', 'sml_newsvendor_empirical'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.newsvendor(float8, float8, float8[]) IS
  'Newsvendor level and cost for the empirical distribution of the demand observations.';

CREATE FUNCTION supplyml.newsvendor_cost(
    order_up_to float8, holding_cost float8, stockout_cost float8, demand_mean float8,
    demand_sd float8 DEFAULT NULL, distribution text DEFAULT 'normal')
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_newsvendor_cost'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.newsvendor_cost(float8, float8, float8, float8, float8, text) IS
  'Expected newsvendor cost h E[(S-D)+] + p E[(D-S)+] at a given level S.';

CREATE FUNCTION supplyml.newsvendor_cost(
    order_up_to float8, holding_cost float8, stockout_cost float8, observations float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_newsvendor_cost_empirical'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.newsvendor_cost(float8, float8, float8, float8[]) IS
  'Expected newsvendor cost at level S for the empirical distribution of the observations.';

CREATE FUNCTION supplyml.safety_stock(
    demand_mean float8, demand_sd float8, lead_time float8, lead_time_sd float8 DEFAULT 0,
    service_level float8 DEFAULT 0.95, service_type text DEFAULT 'cycle', order_quantity float8 DEFAULT NULL)
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_safety_stock'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.safety_stock(float8, float8, float8, float8, float8, text, float8) IS
  'Safety stock z sigma_L for normal lead-time demand, sigma_L^2 = L sigma^2 + mu^2 sigma_L^2; cycle or fill_rate service.';

CREATE FUNCTION supplyml.reorder_point(
    demand_mean float8, demand_sd float8, lead_time float8, lead_time_sd float8 DEFAULT 0,
    service_level float8 DEFAULT 0.95, service_type text DEFAULT 'cycle', order_quantity float8 DEFAULT NULL)
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_reorder_point'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.reorder_point(float8, float8, float8, float8, float8, text, float8) IS
  'Reorder point mu L + safety stock for a cycle service level (alpha) or a fill rate (beta, through the loss function).';

CREATE FUNCTION supplyml.rq_policy(
    holding_cost float8, stockout_cost float8, order_cost float8, demand_rate float8, demand_sd float8,
    lead_time float8, method text DEFAULT 'exact', distribution text DEFAULT 'normal')
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_rq_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.rq_policy(float8, float8, float8, float8, float8, float8, text, text) IS
  'Continuous-review (r,Q) policy: exact optimum (normal, poisson, negative_binomial) or the loss_function, eoq_ss and eil approximations.';

CREATE FUNCTION supplyml.rq_cost(
    r float8, q float8, holding_cost float8, stockout_cost float8, order_cost float8, demand_rate float8,
    demand_sd float8, lead_time float8, distribution text DEFAULT 'normal')
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_rq_cost'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.rq_cost(float8, float8, float8, float8, float8, float8, float8, float8, text) IS
  'Expected cost per time unit of an (r,Q) policy: (K lambda + integral of g over [r, r+Q]) / Q.';

CREATE FUNCTION supplyml.ss_policy(
    holding_cost float8, stockout_cost float8, order_cost float8, demand_mean float8,
    demand_sd float8 DEFAULT NULL, distribution text DEFAULT 'poisson', lead_time integer DEFAULT 0,
    method text DEFAULT 'exact')
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_ss_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.ss_policy(float8, float8, float8, float8, float8, text, integer, text) IS
  'Periodic-review (s,S) policy: exact optimum for discrete demand (Zheng & Federgruen 1991) or the power approximation.';

CREATE FUNCTION supplyml.ss_cost(
    s float8, "S" float8, holding_cost float8, stockout_cost float8, order_cost float8, demand_mean float8,
    demand_sd float8 DEFAULT NULL, distribution text DEFAULT 'poisson', lead_time integer DEFAULT 0)
RETURNS float8 AS 'MODULE_PATHNAME', 'sml_ss_cost'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.ss_cost(float8, float8, float8, float8, float8, float8, float8, text, integer) IS
  'Expected cost per period of an (s,S) policy with discrete demand (renewal-reward formula).';

CREATE FUNCTION supplyml.base_stock_policy(
    demand_mean float8, demand_sd float8 DEFAULT NULL, lead_time integer DEFAULT 0, review_period integer DEFAULT 1,
    holding_cost float8 DEFAULT NULL, stockout_cost float8 DEFAULT NULL, order_cost float8 DEFAULT 0,
    service_level float8 DEFAULT 0.95, distribution text DEFAULT 'normal')
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_base_stock_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.base_stock_policy(float8, float8, integer, integer, float8, float8, float8, float8, text) IS
  'Periodic-review base-stock (R,S): S minimizing the exact cost per period with costs, else the service-level S over R + L periods.';

-- reorder_policy(period, qty, options): one policy per group from its history.
CREATE FUNCTION supplyml.reorder_policy_step(internal, date, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_step_date'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_step(internal, bigint, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_step_int8'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_serial(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_reorder_policy_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_deserial(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_final(internal)
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_reorder_policy_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.reorder_policy_step(internal, date, float8, jsonb) IS 'Transition function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_step(internal, bigint, float8, jsonb) IS 'Transition function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_combine(internal, internal) IS 'Combine function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_serial(internal) IS 'Serial function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_deserial(bytea, internal) IS 'Deserial function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_final(internal) IS 'Final function of supplyml.reorder_policy.';

CREATE AGGREGATE supplyml.reorder_policy(date, float8, jsonb) (
    SFUNC = supplyml.reorder_policy_step, STYPE = internal,
    FINALFUNC = supplyml.reorder_policy_final,
    COMBINEFUNC = supplyml.reorder_policy_combine,
    SERIALFUNC = supplyml.reorder_policy_serial, DESERIALFUNC = supplyml.reorder_policy_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.reorder_policy(date, float8, jsonb) IS
  'Reorder policy from daily demand history (missing days are zero demand); options: see docs/inventory.md.';

CREATE AGGREGATE supplyml.reorder_policy(bigint, float8, jsonb) (
    SFUNC = supplyml.reorder_policy_step, STYPE = internal,
    FINALFUNC = supplyml.reorder_policy_final,
    COMBINEFUNC = supplyml.reorder_policy_combine,
    SERIALFUNC = supplyml.reorder_policy_serial, DESERIALFUNC = supplyml.reorder_policy_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.reorder_policy(bigint, float8, jsonb) IS
  'Reorder policy from demand history indexed by an integer period (missing periods are zero demand).';

CREATE FUNCTION supplyml.reorder_policy(forecast supplyml.forecast_result, options jsonb DEFAULT '{}')
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_reorder_policy_forecast'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.reorder_policy(supplyml.forecast_result, jsonb) IS
  'An (r,Q) policy from a forecast: normal lead-time demand from the point forecasts and prediction intervals; options as the aggregate.';

CREATE FUNCTION supplyml.simulate_policy(
    demand float8[], policy text, reorder_point float8, order_quantity float8, lead_time integer,
    periods integer, replications integer DEFAULT 1000, seed bigint DEFAULT 42,
    holding_cost float8 DEFAULT 0, stockout_cost float8 DEFAULT 0, order_cost float8 DEFAULT 0,
    order_up_to float8 DEFAULT NULL, review_period integer DEFAULT 1, warmup integer DEFAULT 100,
    distribution text DEFAULT 'empirical', demand_mean float8 DEFAULT NULL, demand_sd float8 DEFAULT NULL,
    OUT fill_rate float8, OUT cycle_service_level float8, OUT avg_on_hand float8, OUT avg_backorders float8,
    OUT orders_per_period float8, OUT cost_per_period float8, OUT cost_ci_low float8, OUT cost_ci_high float8,
    OUT replications_run integer, OUT device text)
RETURNS record AS 'MODULE_PATHNAME', 'sml_simulate_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.simulate_policy(float8[], text, float8, float8, integer, integer, integer, bigint,
    float8, float8, float8, float8, integer, integer, text, float8, float8) IS
  'Monte Carlo run of an rq, ss or base_stock policy on bootstrapped or sampled demand; deterministic per seed; 95% CI of the cost.';

-- ==== sql/70_reco.sql ====
-- Recommendations by matrix factorization (implicit and explicit ALS): training
-- into the model registry, top-k per user, similar items, scores, evaluation.
-- User and item ids may be integers or text; results return them as text
-- (integers in decimal). See docs/recommendations.md.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION supplyml.mf_train(
    model text, source text,
    factors integer DEFAULT 64, iterations integer DEFAULT 15,
    regularization float8 DEFAULT 0.01, feedback text DEFAULT 'implicit',
    alpha float8 DEFAULT 1, seed bigint DEFAULT 42, options jsonb DEFAULT '{}',
    OUT model text, OUT version integer, OUT users bigint, OUT items bigint,
    OUT interactions bigint, OUT final_loss float8, OUT seconds float8, OUT device text)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_mf_train'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.mf_train(text, text, integer, integer, float8, text, float8, bigint, jsonb) IS
  'Trains an ALS matrix factorization on a query returning (user, item, weight) and publishes it '
  'as a new version of the named model; options: solver (cg|cholesky), cg_steps, scaling (linear|log), '
  'epsilon, verbose.';

CREATE FUNCTION supplyml.recommend(
    model text, user_id bigint, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.recommend(
    model text, user_id text, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.recommend(text, bigint, integer, boolean) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular).';
COMMENT ON FUNCTION supplyml.recommend(text, text, integer, boolean) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular).';

CREATE FUNCTION supplyml.recommend_all(
    model text, k integer DEFAULT 10, users text DEFAULT NULL,
    OUT user_id text, OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend_all'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.recommend_all(text, integer, text) IS
  'Top k unseen items for every user of the model, or for the users a query returns (unknown ones get popular items).';

CREATE FUNCTION supplyml.similar_items(
    model text, item_id bigint, k integer DEFAULT 10,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.similar_items(
    model text, item_id text, k integer DEFAULT 10,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.similar_items(text, bigint, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';
COMMENT ON FUNCTION supplyml.similar_items(text, text, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';

CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id bigint) RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id text) RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id bigint) RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id text) RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, bigint) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, text) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, bigint) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, text) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';

CREATE FUNCTION supplyml.mf_evaluate(
    model text, test text, k integer DEFAULT 10,
    OUT metric text, OUT model float8, OUT popularity float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_mf_evaluate'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.mf_evaluate(text, text, integer) IS
  'Ranking metrics at k (precision, recall, MAP, NDCG, AUC, coverage; RMSE and MAE for explicit models) '
  'on held-out (user, item[, rating]) rows, for the model and the popularity baseline side by side.';

-- Training as an aggregate over any query, and publishing its result.
CREATE DOMAIN supplyml.mf_model AS bytea;
COMMENT ON DOMAIN supplyml.mf_model IS
  'A fitted matrix factorization model as a value: the encoded registry payload (factors, keys and '
  'their types, training parameters and loss, behind a checksum) that mf_fit returns and mf_publish registers.';

CREATE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8, jsonb) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_combinefn(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_serialfn(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'sml_mf_fit_serial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_deserialfn(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_deserial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_finalfn(internal) RETURNS supplyml.mf_model
AS 'MODULE_PATHNAME', 'sml_mf_fit_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8) IS 'Transition function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8, jsonb) IS 'Transition function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_combinefn(internal, internal) IS 'Combine function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_serialfn(internal) IS 'Serial function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_deserialfn(bytea, internal) IS 'Deserial function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_finalfn(internal) IS 'Final function of mf_fit: trains and returns the model value.';

CREATE AGGREGATE supplyml.mf_fit("any", "any", float8) (
  SFUNC = supplyml.mf_fit_transfn, STYPE = internal,
  COMBINEFUNC = supplyml.mf_fit_combinefn,
  SERIALFUNC = supplyml.mf_fit_serialfn, DESERIALFUNC = supplyml.mf_fit_deserialfn,
  FINALFUNC = supplyml.mf_fit_finalfn, FINALFUNC_MODIFY = READ_WRITE,
  PARALLEL = SAFE);
CREATE AGGREGATE supplyml.mf_fit("any", "any", float8, jsonb) (
  SFUNC = supplyml.mf_fit_transfn, STYPE = internal,
  COMBINEFUNC = supplyml.mf_fit_combinefn,
  SERIALFUNC = supplyml.mf_fit_serialfn, DESERIALFUNC = supplyml.mf_fit_deserialfn,
  FINALFUNC = supplyml.mf_fit_finalfn, FINALFUNC_MODIFY = READ_WRITE,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.mf_fit("any", "any", float8) IS
  'Fits an ALS matrix factorization on (user id, item id, weight) rows (ids integer or text; duplicate '
  'pairs summed) and returns the model value; publish it with mf_publish.';
COMMENT ON AGGREGATE supplyml.mf_fit("any", "any", float8, jsonb) IS
  'Fits an ALS matrix factorization on (user id, item id, weight) rows; options: factors, iterations, '
  'regularization, feedback, alpha, seed, solver, cg_steps, scaling, epsilon, verbose.';

CREATE FUNCTION supplyml.mf_publish(
    model text, value supplyml.mf_model,
    OUT model text, OUT version integer, OUT users bigint, OUT items bigint,
    OUT interactions bigint, OUT final_loss float8, OUT seconds float8, OUT device text)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_mf_publish'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.mf_publish(text, supplyml.mf_model) IS
  'Registers a model value from mf_fit as the next version of the named model; returns the same summary as mf_train.';

-- ==== sql/80_routing.sql ====
-- Delivery routes: scoring with time windows and capacity, and route
-- improvement (docs/routing.md). Kernels: kernels/cpu/routing_*.cpp;
-- marshalling: extension/routing*.cpp.

CREATE TYPE supplyml.route_result AS (
  stops           bigint,            -- rows aggregated (the depot row included when it is the first stop)
  distance        double precision,  -- sum of leg lengths in the metric's unit
  travel_time     double precision,  -- sum of leg times (distance / speed, or the matrix's times)
  duration        double precision,  -- leaving the depot to returning (or to the last departure)
  waiting         double precision,  -- time spent before windows opened
  lateness        double precision,  -- sum over late arrivals of arrival - due
  late_stops      bigint,            -- arrivals after their due time
  max_load        double precision,  -- load on leaving the depot (sum of demands)
  capacity_excess double precision,  -- max_load above capacity, or 0
  feasible        boolean,           -- no capacity excess and, with hard windows, no late stop
  cost            double precision,  -- the cost model of docs/routing.md
  device          text               -- where it was computed
);
COMMENT ON TYPE supplyml.route_result IS
  'Score of one route: distance, times, lateness, load, feasibility and cost (docs/routing.md)';

CREATE TYPE supplyml.route_improvement AS (
  visit_order integer[],             -- 1-based input positions (in seq order) in the improved visiting order
  before      supplyml.route_result, -- the route in its given order
  after       supplyml.route_result, -- the route in visit_order
  iterations  bigint,                -- perturbation rounds done
  moves       bigint                 -- improving moves applied
);
COMMENT ON TYPE supplyml.route_improvement IS
  'Improved stop order of one route with its score before and after (docs/routing.md)';

-- Aggregate support. The state collects the stops with their seq and the
-- options of the first row; the final functions sort by seq.
CREATE FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_trans_xy' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_trans_xy' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_serial(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_route_serial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.route_deserial(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_deserial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.route_score_final(internal)
RETURNS supplyml.route_result AS 'MODULE_PATHNAME', 'sml_route_score_final' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_final(internal)
RETURNS supplyml.route_improvement AS 'MODULE_PATHNAME', 'sml_route_optimize_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision, jsonb) IS
  'Transition function of route_score (coordinates only)';
COMMENT ON FUNCTION supplyml.route_score_trans(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb) IS
  'Transition function of route_score (with demand, window and service time)';
COMMENT ON FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision, jsonb) IS
  'Transition function of route_optimize (coordinates only)';
COMMENT ON FUNCTION supplyml.route_optimize_trans(internal, bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb) IS
  'Transition function of route_optimize (with demand, window and service time)';
COMMENT ON FUNCTION supplyml.route_combine(internal, internal) IS
  'Combine function of route_score and route_optimize (concatenates partial stop lists)';
COMMENT ON FUNCTION supplyml.route_serial(internal) IS 'Serializes a route aggregate state';
COMMENT ON FUNCTION supplyml.route_deserial(bytea, internal) IS 'Deserializes a route aggregate state';
COMMENT ON FUNCTION supplyml.route_score_final(internal) IS 'Final function of route_score';
COMMENT ON FUNCTION supplyml.route_optimize_final(internal) IS 'Final function of route_optimize';

CREATE AGGREGATE supplyml.route_score(seq bigint, x double precision, y double precision, options jsonb) (
  SFUNC = supplyml.route_score_trans, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_score_final,
  COMBINEFUNC = supplyml.route_combine, SERIALFUNC = supplyml.route_serial,
  DESERIALFUNC = supplyml.route_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_score(bigint, double precision, double precision, jsonb) IS
  'Scores one route whose stops are visited in seq order (options: docs/routing.md)';

CREATE AGGREGATE supplyml.route_score(seq bigint, x double precision, y double precision,
  demand double precision, ready double precision, due double precision, service double precision,
  options jsonb) (
  SFUNC = supplyml.route_score_trans, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_score_final,
  COMBINEFUNC = supplyml.route_combine, SERIALFUNC = supplyml.route_serial,
  DESERIALFUNC = supplyml.route_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_score(bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb) IS
  'Scores one route with demands, time windows and service times, stops in seq order';

CREATE AGGREGATE supplyml.route_optimize(seq bigint, x double precision, y double precision, options jsonb) (
  SFUNC = supplyml.route_optimize_trans, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_optimize_final,
  COMBINEFUNC = supplyml.route_combine, SERIALFUNC = supplyml.route_serial,
  DESERIALFUNC = supplyml.route_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_optimize(bigint, double precision, double precision, jsonb) IS
  'Improves the stop order of one route (2-opt, Or-opt, relocate, optional iterated local search)';

CREATE AGGREGATE supplyml.route_optimize(seq bigint, x double precision, y double precision,
  demand double precision, ready double precision, due double precision, service double precision,
  options jsonb) (
  SFUNC = supplyml.route_optimize_trans, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_optimize_final,
  COMBINEFUNC = supplyml.route_combine, SERIALFUNC = supplyml.route_serial,
  DESERIALFUNC = supplyml.route_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_optimize(bigint, double precision, double precision,
  double precision, double precision, double precision, double precision, jsonb) IS
  'Improves the stop order of one route respecting time windows and capacity';

CREATE FUNCTION supplyml.route_score_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, stops bigint, distance double precision, travel_time double precision,
  duration double precision, waiting double precision, lateness double precision, late_stops bigint,
  max_load double precision, capacity_excess double precision, feasible boolean,
  cost double precision, device text)
AS 'MODULE_PATHNAME', 'sml_route_score_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_score_batch(text, jsonb) IS
  'Scores every route of a query returning (route, seq, x, y[, demand, ready, due, service]) '
  'or, with a matrix query, (route, seq, node[, ...]); one row per route';

CREATE FUNCTION supplyml.route_optimize_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, visit_order integer[], before supplyml.route_result,
  after supplyml.route_result, iterations bigint, moves bigint)
AS 'MODULE_PATHNAME', 'sml_route_optimize_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_optimize_batch(text, jsonb) IS
  'Improves every route of a query (same source shapes as route_score_batch); one row per route';

CREATE FUNCTION supplyml.route_plan_optimize(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, seq double precision, new_route text, new_seq integer)
AS 'MODULE_PATHNAME', 'sml_route_plan_optimize' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_plan_optimize(text, jsonb) IS
  'Improves a plan of several routes (relocate and exchange stops between routes, then each route '
  'on its own); one row per stop with its new route and position';
