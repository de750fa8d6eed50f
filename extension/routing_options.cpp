#include "routing_options.hpp"

#include <limits>

namespace supplyml::pg {

RoutingSettings read_routing_options(Options& o, RoutingKeys keys) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  RoutingSettings s;
  RouteOptions& r = s.route;
  r.metric = parse_route_metric(
      o.choice("metric", "euclidean", {"euclidean", "euc2d", "trunc1", "haversine"}));
  if (auto depot = o.numbers("depot")) {
    if (depot->size() != 2)
      invalid_parameter("depot must be an array of two numbers",
                        "The depot is given as [x, y] in the coordinates of the stops.",
                        "Pass \"depot\": [x, y], or leave it out to start at the first stop.");
    r.has_depot = true;
    r.depot_x = (*depot)[0];
    r.depot_y = (*depot)[1];
  }
  r.return_to_depot = o.boolean("return_to_depot", true);
  r.speed = o.number("speed", 1.0, -kInf, kInf);
  r.start_time = o.number("start_time", 0.0, -kInf, kInf);
  r.capacity = o.number("capacity", kInf, -kInf, kInf);
  r.cost_distance = o.number("cost_per_distance", 1.0, -kInf, kInf);
  r.cost_time = o.number("cost_per_time", 0.0, -kInf, kInf);
  r.cost_vehicle = o.number("cost_per_vehicle", 0.0, -kInf, kInf);
  r.cost_lateness = o.number("cost_per_lateness", 0.0, -kInf, kInf);
  r.cost_excess = o.number("cost_per_excess", 0.0, -kInf, kInf);
  r.hard_windows = o.choice("time_windows", "hard", {"hard", "soft"}) == "hard";
  r.earth_radius = o.number("earth_radius", kMeanEarthRadiusKm, -kInf, kInf);
  validate_route_options(r);
  if (keys == RoutingKeys::kOptimize) {
    RouteSearchOptions& q = s.search;
    q.iterations = o.integer("iterations", 0, 0, std::numeric_limits<std::int32_t>::max());
    q.time_limit = o.number("time_limit", 0.0, 0.0, 86400.0);
    q.seed = static_cast<std::uint64_t>(o.integer("seed", 1, std::numeric_limits<std::int64_t>::min(),
                                                  std::numeric_limits<std::int64_t>::max()));
    q.nearest_neighbor = o.choice("start", "given", {"given", "nearest_neighbor"}) == "nearest_neighbor";
    validate_search_options(q);
  }
  return s;
}

}  // namespace supplyml::pg
