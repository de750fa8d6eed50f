// route_score_batch and route_optimize_batch: every route of a query text in
// one call, from coordinates or from a distance matrix given as a second query.
// Marshalling and errors only; routes are scored on worker threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "batch_errors.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "routing_options.hpp"
#include "routing_result.hpp"
#include "settings.hpp"
#include "routing_source.hpp"
#include "source.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/routing.hpp"
#include "supplyml/routing_search.hpp"

namespace supplyml::pg {
namespace {

// A route in the matrix form gets two dense n x n tables (distance, time):
// 2048 stops is 64 MB per route being processed.
constexpr std::size_t kMaxMatrixRouteStops = 2048;

// Leg lengths and times by ordered pair of matrix node ids.
class Matrix {
 public:
  explicit Matrix(const std::string& query, const char* fn) {
    std::vector<Column> cols = read_source(
        query, {{"from node", ColumnType::kKey}, {"to node", ColumnType::kKey},
                {"distance", ColumnType::kNumber}, {"time", ColumnType::kNumber, true}},
        std::string(fn) + " matrix");
    if (cols[0].is_text != cols[1].is_text)
      throw Error(sqlstate::kDatatypeMismatch, "matrix from and to nodes must have the same type",
                  "One node column is text and the other an integer.",
                  "Cast both node columns of the matrix query to the same type.");
    // One dictionary for both node columns: the from nodes' ids stay, the
    // to nodes' are renumbered into it.
    dict_ = std::move(cols[0].keys);
    const std::vector<std::int32_t> to_id = dict_.merge(cols[1].keys);
    const std::size_t n = cols[2].nums.size();
    for (std::size_t i = 0; i < n; ++i) {
      const double d = cols[2].nums[i], t = cols[3].nums[i];
      if (d < 0 || t < 0)
        invalid_parameter("matrix distances and times must not be negative",
                          "Row " + std::to_string(i + 1) + " of the matrix query has a negative value.",
                          "Fix the matrix, or leave time NULL to use distance / speed.");
      legs_[key(cols[0].ids[i], to_id[cols[1].ids[i]])] = {d, t};
    }
  }

  // The matrix id of each node of a source column, or -1 where the matrix
  // never names it.
  std::vector<std::int32_t> ids_of(const Column& nodes) const {
    const std::vector<std::int32_t> of_key = nodes.keys.ids_in(dict_);
    std::vector<std::int32_t> out(nodes.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = of_key[nodes.ids[i]];
    return out;
  }

  // Dense n x n tables for the nodes of one route. A node to itself is 0 when
  // the matrix does not say otherwise; any other missing pair is an error.
  RouteLegs legs(const std::vector<std::int32_t>& ids, double speed) const {
    const std::size_t n = ids.size();
    if (n > kMaxMatrixRouteStops)
      invalid_parameter("route of " + std::to_string(n) + " stops is too long for the matrix form",
                        "A route scored from a distance matrix gets a dense table of its legs, which holds "
                        "at most " + std::to_string(kMaxMatrixRouteStops) + " stops.",
                        "Split the route, or give coordinates instead of a matrix.");
    std::vector<double> dist(n * n), time(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        auto it = legs_.find(key(ids[i], ids[j]));
        if (it == legs_.end()) {
          if (ids[i] == ids[j]) continue;
          data_error("distance matrix has no entry from node " + name(ids[i]) + " to node " + name(ids[j]),
                     "The route visits both nodes, so the leg between them is needed.",
                     "Add the pair to the matrix query (both directions when the route may be reordered).");
        }
        dist[i * n + j] = it->second.first;
        time[i * n + j] = std::isnan(it->second.second) ? it->second.first / speed : it->second.second;
      }
    return RouteLegs(std::move(dist), std::move(time), n);
  }

  std::string name(std::int32_t id) const { return id < 0 ? "(unknown)" : dict_.display(id); }

 private:
  static std::uint64_t key(std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  }
  KeyDictionary dict_;
  std::unordered_map<std::uint64_t, std::pair<double, double>> legs_;
};

struct BatchRoute {
  RouteResult score;
  RouteImprovement improvement;
};

void run_batch(FunctionCallInfo fcinfo, RoutingKeys keys) {
  const char* fn = keys == RoutingKeys::kOptimize ? "route_optimize_batch" : "route_score_batch";
  require_arg(fcinfo, 0, "source");
  const std::string source = text_arg(fcinfo, 0);
  Options opts(fcinfo, 1, fn);
  const bool metric_given = opts.has("metric");
  RoutingSettings settings = read_routing_options(opts, keys);
  const bool with_windows = opts.boolean("with_windows", false);
  const std::string matrix_query = opts.string("matrix", "");
  const OnError on_error = parse_on_error(opts.string("on_error", "error"));
  opts.finish();
  const bool matrix = !matrix_query.empty();
  if (matrix && metric_given)
    invalid_parameter("metric and matrix cannot be given together",
                      "With a matrix, leg lengths come from the matrix query, not from coordinates.",
                      "Remove the metric option.");
  if (matrix) {
    settings.route.metric = RouteMetric::kMatrix;
    validate_route_options(settings.route);
  }

  const RouteSource src = read_route_source(source, matrix, with_windows, fn);
  const std::vector<Column>& cols = src.cols;
  std::vector<Matrix> m;
  if (matrix) m.emplace_back(matrix_query, fn);
  std::vector<BatchRoute> work(src.size());
  const std::size_t n_rows = cols[0].size();

  // Matrix ids of every stop, checked here so that the error names the node.
  std::vector<std::int32_t> node_id;
  if (matrix) {
    node_id = m[0].ids_of(cols[2]);
    for (std::size_t i = 0; i < n_rows; ++i) {
      if (node_id[i] < 0)
        data_error("distance matrix has no entry for node " + cols[2].key_text(i),
                   "The node appears in the route query but in no row of the matrix query.",
                   "Add the node's legs to the matrix query.");
    }
  }

  const bool optimize = keys == RoutingKeys::kOptimize;
  const double n_stops = static_cast<double>(n_rows);
  const double rounds = optimize ? n_stops * (1.0 + static_cast<double>(settings.search.iterations)) : 1.0;
  const std::string device = choose_device(Computation::kRouting, n_stops * rounds).label();
  Interrupt interrupt = pg::interrupt();
  std::vector<std::exception_ptr> errors(work.size());
  parallel_for(work.size(), threads_setting(), interrupt, [&](std::size_t begin, std::size_t end, int worker) {
    for (std::size_t r = begin; r < end; ++r) try {
      BatchRoute& w = work[r];
      const std::vector<std::size_t>& rows = src.rows[r];
      std::vector<RouteStop> stops;
      std::vector<std::int32_t> ids;
      for (std::size_t i : rows) {
        stops.push_back(src.stop(i));
        if (matrix) ids.push_back(node_id[i]);
      }
      const RouteProblem p = make_route_problem(stops, settings.route);
      const RouteLegs legs = matrix ? m[0].legs(ids, settings.route.speed) : coordinate_legs(p, optimize);
      if (optimize) {
        // Only the calling thread (worker 0) may ask PostgreSQL; the others
        // watch the flag it sets when it sees a cancel.
        Interrupt local([&interrupt] { return interrupt.stopped(); });
        w.improvement = optimize_route(p, legs, settings.search, worker == 0 ? interrupt : local);
      } else {
        w.score = score_route(p, legs);
      }
    } catch (const Cancelled&) {
      throw;
    } catch (...) {
      errors[r] = std::current_exception();
    }
  }, optimize ? 1 : 64);
  const auto failed = keyed_errors(errors, on_error, [&](std::size_t r) {
    return "route " + src.routes.display(static_cast<std::int32_t>(r));
  });
  report_skipped(fn, "routes", on_error, failed);

  const Oid rt = optimize ? result_column_type(fcinfo, 2) : InvalidOid;
  RowWriter out(fcinfo);
  for (std::size_t r = 0; r < work.size(); ++r) {
    const std::string key = src.routes.display(static_cast<std::int32_t>(r));
    if (!failed[r].empty()) {
      if (on_error == OnError::kNull) put_error_row(out, text_datum(key), failed[r]);
      continue;
    }
    if (keys == RoutingKeys::kScore) {
      Datum values[2 + kRouteResultColumns];
      bool nulls[2 + kRouteResultColumns] = {};
      values[0] = text_datum(key);
      route_result_values(work[r].score, device, values + 1);
      nulls[1 + kRouteResultColumns] = true;
      out.put(values, nulls);
    } else {
      const RouteImprovement& imp = work[r].improvement;
      std::vector<std::int32_t> order;
      for (std::int64_t k : imp.order) order.push_back(static_cast<std::int32_t>(k + 1));
      Datum values[7];
      bool nulls[7] = {};
      nulls[6] = true;
      values[0] = text_datum(key);
      values[1] = int4_array_datum(order);
      values[2] = route_result_datum(imp.before, device, rt);
      values[3] = route_result_datum(imp.after, device, rt);
      values[4] = Int64GetDatum(imp.iterations);
      values[5] = Int64GetDatum(imp.moves);
      out.put(values, nulls);
    }
  }
}

}  // namespace
}  // namespace supplyml::pg

using namespace supplyml::pg;

SML_FUNCTION(sml_route_score_batch) {
  run_batch(fcinfo, RoutingKeys::kScore);
  return (Datum)0;
}

SML_FUNCTION(sml_route_optimize_batch) {
  run_batch(fcinfo, RoutingKeys::kOptimize);
  return (Datum)0;
}
