// The route_score and route_optimize aggregates: marshalling and errors only.
// The state collects (seq, stop) pairs and the options of the first row; the
// final functions sort by seq, so partial aggregation across parallel workers
// needs only a concatenating combine function.
#include <algorithm>
#include <cstring>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "aggstate.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "routing_options.hpp"
#include "routing_result.hpp"
#include "supplyml/routing.hpp"
#include "supplyml/routing_search.hpp"

namespace supplyml::pg {

// Every field of the routing options, for aggregate states.
template <class V>
void visit_fields(V& v, RoutingSettings& s) {
  RouteOptions& o = s.route;
  v(o.metric);
  if constexpr (V::kReading)
    if (static_cast<std::int32_t>(o.metric) < 0 || o.metric > RouteMetric::kMatrix) v.bytes().fail();
  v(o.has_depot);
  v(o.depot_x);
  v(o.depot_y);
  v(o.return_to_depot);
  v(o.speed);
  v(o.start_time);
  v(o.capacity);
  v(o.cost_distance);
  v(o.cost_time);
  v(o.cost_vehicle);
  v(o.cost_lateness);
  v(o.cost_excess);
  v(o.hard_windows);
  v(o.earth_radius);
  RouteSearchOptions& q = s.search;
  v(q.nearest_neighbor);
  v(q.iterations);
  v(q.time_limit);
  v(q.seed);
}

namespace {

struct RouteState {
  static constexpr const char* kName = "route aggregate";
  bool configured = false;
  RoutingSettings settings;
  pg::vector<std::int64_t> seq;  // in the aggregate context (new_state)
  pg::vector<RouteStop> stops;

  template <class V>
  void fields(V& v) {
    v(configured);
    v(settings);
    v(seq);
    v(stops);
  }
  bool consistent() const { return seq.size() == stops.size(); }
  void merge(const RouteState& o) {
    if (!configured && o.configured) {
      settings = o.settings;
      configured = true;
    }
    seq.insert(seq.end(), o.seq.begin(), o.seq.end());
    stops.insert(stops.end(), o.stops.begin(), o.stops.end());
  }
};

[[noreturn]] void null_argument(const char* what, const char* fn) {
  throw Error(sqlstate::kNullValueNotAllowed, std::string(what) + " must not be null",
              std::string("Every stop given to ") + fn + " needs a " + what + ".",
              std::string("Filter out or fill in the rows whose ") + what + " is null.");
}

double required(FunctionCallInfo fcinfo, int argno, const char* what, const char* fn) {
  if (PG_ARGISNULL(argno)) null_argument(what, fn);
  return PG_GETARG_FLOAT8(argno);
}

// The options of the last group, kept for the rest of the query: every group
// usually passes the same constant, and parsing jsonb per group would cost
// more than scoring a short route. Plain data, allocated in fn_mcxt.
struct OptionsCache {
  RoutingSettings settings;
  Size len;  // bytes of the jsonb; kNullOptions for NULL
  char bytes[FLEXIBLE_ARRAY_MEMBER];
};
constexpr Size kNullOptions = ~Size(0);

RoutingSettings group_settings(FunctionCallInfo fcinfo, int argno, RoutingKeys keys, const char* fn) {
  const bool null = PG_ARGISNULL(argno);
  const varlena* raw = null ? nullptr : call([&] { return PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno)); });
  const Size len = null ? kNullOptions : VARSIZE_ANY_EXHDR(raw);
  const char* data = null ? nullptr : VARDATA_ANY(raw);
  auto* cache = static_cast<OptionsCache*>(fcinfo->flinfo->fn_extra);
  if (cache && cache->len == len && (null || memcmp(cache->bytes, data, len) == 0)) return cache->settings;
  Options opts(fcinfo, argno, fn);
  const RoutingSettings settings = read_routing_options(opts, keys);
  opts.finish();
  const Size n = null ? 0 : len;
  call([&] {
    auto* c = static_cast<OptionsCache*>(
        MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(OptionsCache, bytes) + n));
    c->settings = settings;
    c->len = len;
    if (n) memcpy(c->bytes, data, n);
    if (fcinfo->flinfo->fn_extra) pfree(fcinfo->flinfo->fn_extra);
    fcinfo->flinfo->fn_extra = c;
  });
  return settings;
}

// Adds one row. full: the arguments include demand, ready, due and service.
Datum accumulate(FunctionCallInfo fcinfo, bool full, RoutingKeys keys) {
  const char* fn = keys == RoutingKeys::kOptimize ? "route_optimize" : "route_score";
  auto* st = state_arg<RouteState>(fcinfo, 0);
  if (!st) {
    const RoutingSettings settings = group_settings(fcinfo, full ? 8 : 4, keys, fn);
    st = new_state<RouteState>(fcinfo, fn);
    st->settings = settings;
    st->configured = true;
    st->seq.reserve(16);
    st->stops.reserve(16);
  }
  if (PG_ARGISNULL(1)) null_argument("seq", fn);
  RouteStop s;
  s.x = required(fcinfo, 2, "x coordinate", fn);
  s.y = required(fcinfo, 3, "y coordinate", fn);
  if (full) {
    s.demand = required(fcinfo, 4, "demand", fn);
    // A NULL bound leaves that side of the window open.
    if (!PG_ARGISNULL(5)) s.ready = PG_GETARG_FLOAT8(5);
    if (!PG_ARGISNULL(6)) s.due = PG_GETARG_FLOAT8(6);
    s.service = required(fcinfo, 7, "service time", fn);
  }
  st->seq.push_back(PG_GETARG_INT64(1));
  st->stops.push_back(s);
  PG_RETURN_POINTER(st);
}

// The stops of the state in seq order; duplicate seq values are an error.
std::vector<RouteStop> stops_in_order(const RouteState& st) {
  std::vector<std::size_t> idx(st.seq.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return st.seq[a] < st.seq[b]; });
  std::vector<RouteStop> out;
  out.reserve(idx.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (k > 0 && st.seq[idx[k]] == st.seq[idx[k - 1]])
      throw Error(sqlstate::kUniqueViolation, "duplicate seq " + std::to_string(st.seq[idx[k]]) + " in a route",
                  "Two stops of the same route share a seq value, so their order is undefined.",
                  "Give the stops of each route distinct seq values (row_number() can number them).");
    out.push_back(st.stops[idx[k]]);
  }
  return out;
}

const RouteState& final_state(FunctionCallInfo fcinfo) {
  const auto* st = state_arg<RouteState>(fcinfo, 0);
  if (!st || st->stops.empty())
    data_error("route has no stops", "The aggregate received no rows, so there is no route to score.",
               "Check the filter or join that produces the route's rows.");
  return *st;
}

}  // namespace
}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

SML_FUNCTION(sml_route_score_transfn_xy) { return accumulate(fcinfo, false, RoutingKeys::kScore); }
SML_FUNCTION(sml_route_score_transfn) { return accumulate(fcinfo, true, RoutingKeys::kScore); }
SML_FUNCTION(sml_route_optimize_transfn_xy) { return accumulate(fcinfo, false, RoutingKeys::kOptimize); }
SML_FUNCTION(sml_route_optimize_transfn) { return accumulate(fcinfo, true, RoutingKeys::kOptimize); }

SML_AGGREGATE_SUPPORT(route, RouteState)

SML_FUNCTION(sml_route_score_finalfn) {
  const RouteState& st = final_state(fcinfo);
  const RouteProblem p = make_route_problem(stops_in_order(st), st.settings.route);
  const DeviceChoice device = choose_device(Computation::kRouting, static_cast<double>(st.stops.size()));
  const RouteResult r = score_route(p, coordinate_legs(p, false));
  Datum values[kRouteResultColumns];
  bool nulls[kRouteResultColumns] = {};
  route_result_values(r, device.label(), values);
  return composite_result(fcinfo, values, nulls);
}

SML_FUNCTION(sml_route_optimize_finalfn) {
  const RouteState& st = final_state(fcinfo);
  const RouteProblem p = make_route_problem(stops_in_order(st), st.settings.route);
  const double n = static_cast<double>(st.stops.size());
  const DeviceChoice device =
      choose_device(Computation::kRouting, n * n * (1.0 + static_cast<double>(st.settings.search.iterations)));
  Interrupt interrupt = pg::interrupt();
  const RouteImprovement imp = optimize_route(p, coordinate_legs(p, true), st.settings.search, interrupt);
  std::vector<std::int32_t> order;
  for (std::int64_t k : imp.order) order.push_back(static_cast<std::int32_t>(k + 1));
  const Oid rt = result_column_type(fcinfo, 1);  // supplyml.route_result
  Datum values[5];
  bool nulls[5] = {};
  values[0] = int4_array_datum(order);
  values[1] = route_result_datum(imp.before, device.label(), rt);
  values[2] = route_result_datum(imp.after, device.label(), rt);
  values[3] = Int64GetDatum(imp.iterations);
  values[4] = Int64GetDatum(imp.moves);
  return composite_result(fcinfo, values, nulls);
}
