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
CREATE FUNCTION supplyml.reorder_policy_transfn(internal, date, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_transfn_date'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_transfn(internal, bigint, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_transfn_int8'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_combinefn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_reorder_policy_serialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_reorder_policy_deserialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.reorder_policy_finalfn(internal)
RETURNS supplyml.inventory_policy AS 'MODULE_PATHNAME', 'sml_reorder_policy_finalfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.reorder_policy_transfn(internal, date, float8, jsonb) IS 'Transition function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_transfn(internal, bigint, float8, jsonb) IS 'Transition function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_combinefn(internal, internal) IS 'Combine function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_serialfn(internal) IS 'Serial function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_deserialfn(bytea, internal) IS 'Deserial function of supplyml.reorder_policy.';
COMMENT ON FUNCTION supplyml.reorder_policy_finalfn(internal) IS 'Final function of supplyml.reorder_policy.';

CREATE AGGREGATE supplyml.reorder_policy(date, float8, jsonb) (
    SFUNC = supplyml.reorder_policy_transfn, STYPE = internal, SSPACE = 8192,
    FINALFUNC = supplyml.reorder_policy_finalfn,
    COMBINEFUNC = supplyml.reorder_policy_combinefn,
    SERIALFUNC = supplyml.reorder_policy_serialfn, DESERIALFUNC = supplyml.reorder_policy_deserialfn,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.reorder_policy(date, float8, jsonb) IS
  'Reorder policy from daily demand history (missing days are zero demand); options: see docs/inventory.md.';

CREATE AGGREGATE supplyml.reorder_policy(bigint, float8, jsonb) (
    SFUNC = supplyml.reorder_policy_transfn, STYPE = internal, SSPACE = 8192,
    FINALFUNC = supplyml.reorder_policy_finalfn,
    COMBINEFUNC = supplyml.reorder_policy_combinefn,
    SERIALFUNC = supplyml.reorder_policy_serialfn, DESERIALFUNC = supplyml.reorder_policy_deserialfn,
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
