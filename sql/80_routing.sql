-- Delivery routes: scoring with time windows and capacity, and route
-- improvement (docs/routing.md). Kernels: kernels/cpu/routing_*.cpp;
-- marshalling: extension/routing*.cpp.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE TYPE supplyml.route_result AS (
    stops           bigint,  -- rows aggregated (the depot row included when it is the first stop)
    distance        float8,  -- sum of leg lengths in the metric's unit
    travel_time     float8,  -- sum of leg times (distance / speed, or the matrix's times)
    duration        float8,  -- leaving the depot to returning (or to the last departure)
    waiting         float8,  -- time spent before windows opened
    lateness        float8,  -- sum over late arrivals of arrival - due
    late_stops      bigint,  -- arrivals after their due time
    max_load        float8,  -- load on leaving the depot (sum of demands)
    capacity_excess float8,  -- max_load above capacity, or 0
    feasible        boolean, -- no capacity excess and, with hard windows, no late stop
    cost            float8,  -- the cost model of docs/routing.md
    device          text     -- where it was computed
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
CREATE FUNCTION supplyml.route_score_transfn(internal, bigint, float8, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_transfn_xy' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_score_transfn(internal, bigint, float8, float8,
    float8, float8, float8, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_score_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_transfn(internal, bigint, float8, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_transfn_xy' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_transfn(internal, bigint, float8, float8,
    float8, float8, float8, float8, jsonb)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_optimize_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_combinefn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sml_route_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.route_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sml_route_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.route_score_finalfn(internal)
RETURNS supplyml.route_result AS 'MODULE_PATHNAME', 'sml_route_score_finalfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.route_optimize_finalfn(internal)
RETURNS supplyml.route_improvement AS 'MODULE_PATHNAME', 'sml_route_optimize_finalfn' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.route_score_transfn(internal, bigint, float8, float8, jsonb) IS
  'Transition function of route_score (coordinates only)';
COMMENT ON FUNCTION supplyml.route_score_transfn(internal, bigint, float8, float8,
    float8, float8, float8, float8, jsonb) IS
  'Transition function of route_score (with demand, window and service time)';
COMMENT ON FUNCTION supplyml.route_optimize_transfn(internal, bigint, float8, float8, jsonb) IS
  'Transition function of route_optimize (coordinates only)';
COMMENT ON FUNCTION supplyml.route_optimize_transfn(internal, bigint, float8, float8,
    float8, float8, float8, float8, jsonb) IS
  'Transition function of route_optimize (with demand, window and service time)';
COMMENT ON FUNCTION supplyml.route_combinefn(internal, internal) IS
  'Combine function of route_score and route_optimize (concatenates partial stop lists)';
COMMENT ON FUNCTION supplyml.route_serialfn(internal) IS 'Serializes a route aggregate state';
COMMENT ON FUNCTION supplyml.route_deserialfn(bytea, internal) IS 'Deserializes a route aggregate state';
COMMENT ON FUNCTION supplyml.route_score_finalfn(internal) IS 'Final function of route_score';
COMMENT ON FUNCTION supplyml.route_optimize_finalfn(internal) IS 'Final function of route_optimize';

CREATE AGGREGATE supplyml.route_score(seq bigint, x float8, y float8, options jsonb) (
    SFUNC = supplyml.route_score_transfn, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_score_finalfn,
    COMBINEFUNC = supplyml.route_combinefn, SERIALFUNC = supplyml.route_serialfn,
    DESERIALFUNC = supplyml.route_deserialfn, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_score(bigint, float8, float8, jsonb) IS
  'Scores one route whose stops are visited in seq order (options: docs/routing.md)';

CREATE AGGREGATE supplyml.route_score(seq bigint, x float8, y float8,
    demand float8, ready float8, due float8, service float8,
    options jsonb) (
    SFUNC = supplyml.route_score_transfn, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_score_finalfn,
    COMBINEFUNC = supplyml.route_combinefn, SERIALFUNC = supplyml.route_serialfn,
    DESERIALFUNC = supplyml.route_deserialfn, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_score(bigint, float8, float8,
    float8, float8, float8, float8, jsonb) IS
  'Scores one route with demands, time windows and service times, stops in seq order';

CREATE AGGREGATE supplyml.route_optimize(seq bigint, x float8, y float8, options jsonb) (
    SFUNC = supplyml.route_optimize_transfn, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_optimize_finalfn,
    COMBINEFUNC = supplyml.route_combinefn, SERIALFUNC = supplyml.route_serialfn,
    DESERIALFUNC = supplyml.route_deserialfn, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_optimize(bigint, float8, float8, jsonb) IS
  'Improves the stop order of one route (2-opt, Or-opt, relocate, optional iterated local search)';

CREATE AGGREGATE supplyml.route_optimize(seq bigint, x float8, y float8,
    demand float8, ready float8, due float8, service float8,
    options jsonb) (
    SFUNC = supplyml.route_optimize_transfn, STYPE = internal, SSPACE = 1024, FINALFUNC = supplyml.route_optimize_finalfn,
    COMBINEFUNC = supplyml.route_combinefn, SERIALFUNC = supplyml.route_serialfn,
    DESERIALFUNC = supplyml.route_deserialfn, PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.route_optimize(bigint, float8, float8,
    float8, float8, float8, float8, jsonb) IS
  'Improves the stop order of one route respecting time windows and capacity';

CREATE FUNCTION supplyml.route_score_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, stops bigint, distance float8, travel_time float8,
    duration float8, waiting float8, lateness float8, late_stops bigint,
    max_load float8, capacity_excess float8, feasible boolean,
    cost float8, device text, error text)
AS 'MODULE_PATHNAME', 'sml_route_score_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_score_batch(text, jsonb) IS
  'Scores every route of a query returning (route, seq, x, y[, demand, ready, due, service]) '
  'or, with a matrix query, (route, seq, node[, ...]); one row per route; option on_error: error, skip or null';

CREATE FUNCTION supplyml.route_optimize_batch(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, visit_order integer[], before supplyml.route_result,
    after supplyml.route_result, iterations bigint, moves bigint, error text)
AS 'MODULE_PATHNAME', 'sml_route_optimize_batch' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_optimize_batch(text, jsonb) IS
  'Improves every route of a query (same source shapes as route_score_batch); one row per route; option on_error: error, skip or null';

CREATE FUNCTION supplyml.route_plan_optimize(source text, options jsonb DEFAULT '{}')
RETURNS TABLE (route text, seq float8, new_route text, new_seq integer)
AS 'MODULE_PATHNAME', 'sml_route_plan_optimize' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.route_plan_optimize(text, jsonb) IS
  'Improves a plan of several routes (relocate and exchange stops between routes, then each route '
  'on its own); one row per stop with its new route and position';
