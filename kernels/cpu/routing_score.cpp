// Route validation and scoring on the CPU. The arithmetic per leg and per stop
// is in routing.hpp (shared with a CUDA kernel); this file checks inputs, builds
// the depot-plus-customers problem and walks a tour.
#include <cmath>
#include <string>
#include <utility>

#include "supplyml/error.hpp"
#include "supplyml/routing.hpp"

namespace supplyml {

RouteMetric parse_route_metric(const std::string& name) {
  if (name == "euclidean") return RouteMetric::kEuclidean;
  if (name == "euc2d") return RouteMetric::kEuc2d;
  if (name == "trunc1") return RouteMetric::kTrunc1;
  if (name == "haversine") return RouteMetric::kHaversine;
  invalid_parameter("unknown metric \"" + name + "\"",
                    "The metric option names how a leg's distance is computed from coordinates.",
                    "Use one of euclidean, euc2d, trunc1 or haversine.");
}

const char* route_metric_name(RouteMetric m) {
  switch (m) {
    case RouteMetric::kEuc2d: return "euc2d";
    case RouteMetric::kTrunc1: return "trunc1";
    case RouteMetric::kHaversine: return "haversine";
    case RouteMetric::kMatrix: return "matrix";
    default: return "euclidean";
  }
}

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_nonnegative(double v, const char* what) {
  if (!(v >= 0) || std::isinf(v))
    invalid_parameter(std::string(what) + " must be a finite non-negative number",
                      std::string("The ") + what + " given is " + num(v) + ".",
                      std::string("Pass a ") + what + " of zero or more.");
}

// where() names the point in messages; called only when one is raised.
template <class Where>
void check_coordinate(double x, double y, RouteMetric m, const Where& where) {
  if (!std::isfinite(x) || !std::isfinite(y))
    invalid_parameter("coordinate of " + where() + " is not a finite number",
                      "The point given is (" + num(x) + ", " + num(y) + ").",
                      "Remove NaN and infinite coordinates before scoring the route.");
  if (m == RouteMetric::kHaversine) {
    if (y < -90 || y > 90)
      throw Error(sqlstate::kNumericOutOfRange, "latitude of " + where() + " is out of range",
                  "Latitude " + num(y) + " lies outside [-90, 90].",
                  "With the haversine metric pass x = longitude and y = latitude, in degrees.");
    if (x < -180 || x > 180)
      throw Error(sqlstate::kNumericOutOfRange, "longitude of " + where() + " is out of range",
                  "Longitude " + num(x) + " lies outside [-180, 180].",
                  "With the haversine metric pass x = longitude and y = latitude, in degrees.");
  }
}

}  // namespace

void validate_route_options(const RouteOptions& o) {
  if (!(o.speed > 0) || std::isinf(o.speed))
    invalid_parameter("speed must be a finite positive number",
                      "The speed given is " + num(o.speed) + ".",
                      "Pass speed as distance units per time unit, greater than zero.");
  if (!std::isfinite(o.start_time))
    invalid_parameter("start_time must be a finite number",
                      "The start time given is " + num(o.start_time) + ".",
                      "Pass the time the vehicle may leave the depot.");
  if (!(o.capacity >= 0))
    invalid_parameter("capacity must be a non-negative number",
                      "The capacity given is " + num(o.capacity) + ".",
                      "Pass the vehicle capacity in demand units, or leave it out for no limit.");
  check_nonnegative(o.cost_distance, "cost_per_distance");
  check_nonnegative(o.cost_time, "cost_per_time");
  check_nonnegative(o.cost_vehicle, "cost_per_vehicle");
  check_nonnegative(o.cost_lateness, "cost_per_lateness");
  check_nonnegative(o.cost_excess, "cost_per_excess");
  if (!(o.earth_radius > 0) || std::isinf(o.earth_radius))
    invalid_parameter("earth_radius must be a finite positive number",
                      "The radius given is " + num(o.earth_radius) + ".",
                      "Leave earth_radius out to use the mean radius 6371.0088 km.");
  if (o.has_depot) {
    if (o.metric == RouteMetric::kMatrix)
      invalid_parameter("a depot point cannot be used with a distance matrix",
                        "With a matrix the route's legs are looked up by node key.",
                        "Put the depot's node first in the route (lowest seq) instead.");
    check_coordinate(o.depot_x, o.depot_y, o.metric, [] { return std::string("the depot"); });
  }
}

RouteProblem make_route_problem(const std::vector<RouteStop>& stops, const RouteOptions& o) {
  validate_route_options(o);
  if (stops.empty())
    data_error("route has no stops", "A route needs at least one stop to be scored.",
               "Check the filter or join that produces the route's rows.");
  RouteProblem p;
  p.options = o;
  std::size_t first = 0;
  if (o.has_depot) {
    RouteStop depot;
    depot.x = o.depot_x;
    depot.y = o.depot_y;
    p.nodes.push_back(depot);
    p.position.push_back(-1);
  } else {
    first = 1;
    p.nodes.push_back(stops[0]);
    p.position.push_back(0);
  }
  for (std::size_t i = 0; i < stops.size(); ++i) {
    const RouteStop& s = stops[i];
    const auto where = [i] { return "stop " + std::to_string(i + 1); };
    if (o.metric != RouteMetric::kMatrix) check_coordinate(s.x, s.y, o.metric, where);
    if (std::isnan(s.demand) || s.demand < 0 || std::isinf(s.demand))
      invalid_parameter("demand of " + where() + " must be a finite non-negative number",
                        "The demand given is " + num(s.demand) + ".",
                        "Routes deliver only; give each stop's quantity as zero or more.");
    check_nonnegative(s.service, "service time");
    if (std::isnan(s.ready) || std::isnan(s.due) || s.ready > s.due)
      invalid_parameter("time window of " + where() + " is empty",
                        "Its ready time " + num(s.ready) + " is after its due time " + num(s.due) +
                            ".",
                        "Give each stop a ready time no later than its due time.");
    if (std::isfinite(s.ready) || std::isfinite(s.due)) p.windows = true;
    if (i >= first) {
      p.nodes.push_back(s);
      p.position.push_back(static_cast<std::int64_t>(i));
    }
  }
  return p;
}

RouteLegs::RouteLegs(const std::vector<double>& x, const std::vector<double>& y,
                     const RouteOptions& o, bool table)
    : n_(x.size()), x_(x), y_(y), metric_(o.metric), speed_(o.speed), radius_(o.earth_radius) {
  if (table && n_ <= 4096) {
    dist_.resize(n_ * n_);
    for (std::size_t i = 0; i < n_; ++i)
      for (std::size_t j = 0; j < n_; ++j)
        dist_[i * n_ + j] = leg_distance(metric_, x_[i], y_[i], x_[j], y_[j], radius_);
    full_ = true;
  }
}

RouteLegs::RouteLegs(std::vector<double> dist, std::vector<double> time, std::size_t n)
    : n_(n), full_(true), dist_(std::move(dist)), time_(std::move(time)), metric_(RouteMetric::kMatrix) {
  for (std::size_t i = 0; i < n_ && symmetric_; ++i)
    for (std::size_t j = i + 1; j < n_; ++j)
      if (dist_[i * n_ + j] != dist_[j * n_ + i] ||
          (!time_.empty() && time_[i * n_ + j] != time_[j * n_ + i])) {
        symmetric_ = false;
        break;
      }
}

RouteLegs coordinate_legs(const RouteProblem& p, bool table) {
  std::vector<double> x, y;
  x.reserve(p.nodes.size());
  y.reserve(p.nodes.size());
  for (const RouteStop& s : p.nodes) {
    x.push_back(s.x);
    y.push_back(s.y);
  }
  return RouteLegs(x, y, p.options, table);
}

namespace {

// Walks depot -> stop(0) -> ... -> stop(n-1) (-> depot). leg(a, b) gives the
// {distance, time} between walk indices, -1 being the depot; rows is the
// stop count to report.
template <class StopAt, class Leg>
RouteResult walk_route(const RouteOptions& o, const RouteStop& depot, std::size_t n, std::int64_t rows,
                       StopAt stop, Leg leg) {
  RouteWalk w;
  w.t = (o.start_time > depot.ready ? o.start_time : depot.ready) + depot.service;
  const double leave = w.t;
  double load = depot.demand;
  std::ptrdiff_t prev = -1;
  for (std::size_t k = 0; k < n; ++k) {
    const RouteStop& s = stop(k);
    const auto [d, t] = leg(prev, static_cast<std::ptrdiff_t>(k));
    route_visit(w, d, t, s.ready, s.due, s.service);
    load += s.demand;
    prev = static_cast<std::ptrdiff_t>(k);
  }
  if (o.return_to_depot && prev >= 0) {
    // Back at the depot: no service, and no waiting for its window to open.
    const auto [d, t] = leg(prev, -1);
    route_visit(w, d, t, -INFINITY, depot.due, 0.0);
  }
  RouteResult r;
  r.stops = rows;
  r.distance = w.distance;
  r.travel_time = w.travel;
  r.duration = w.t - leave;
  r.waiting = w.waiting;
  r.lateness = w.lateness;
  r.late_stops = w.late;
  r.max_load = load;  // delivery only: the vehicle leaves full
  r.capacity_excess = load > o.capacity ? load - o.capacity : 0.0;
  r.feasible = r.capacity_excess == 0 && (!o.hard_windows || r.late_stops == 0);
  r.cost = route_cost(o, r.distance, r.duration, r.lateness, r.capacity_excess);
  // A tiny speed or huge coordinates can overflow the times (and 0 * inf in
  // the cost is NaN): refuse rather than return a non-finite measure.
  for (double v : {r.distance, r.travel_time, r.duration, r.waiting, r.lateness, r.max_load, r.cost})
    if (!std::isfinite(v))
      throw Error(sqlstate::kNumericOutOfRange, "route measures are out of range",
                  "A distance, time, load or cost of the route overflows double precision (speed " + num(o.speed) +
                      ").",
                  "Express coordinates, speed, demands and costs in units that keep them well below 1e300.");
  return r;
}

}  // namespace

RouteResult evaluate_route(const RouteProblem& p, const RouteLegs& legs,
                           const std::vector<std::int32_t>& order) {
  const std::int64_t rows = static_cast<std::int64_t>(p.position.size()) - (p.position[0] < 0 ? 1 : 0);
  return walk_route(
      p.options, p.nodes[0], order.size(), rows,
      [&](std::size_t k) -> const RouteStop& { return p.nodes[static_cast<std::size_t>(order[k])]; },
      [&](std::ptrdiff_t a, std::ptrdiff_t b) {
        const std::size_t i = a < 0 ? 0 : static_cast<std::size_t>(order[static_cast<std::size_t>(a)]);
        const std::size_t j = b < 0 ? 0 : static_cast<std::size_t>(order[static_cast<std::size_t>(b)]);
        return std::pair<double, double>(legs.dist(i, j), legs.time(i, j));
      });
}

RouteResult score_stops(const RouteStop& depot, const std::vector<const RouteStop*>& stops,
                        const RouteOptions& o, std::int64_t rows) {
  return walk_route(
      o, depot, stops.size(), rows, [&](std::size_t k) -> const RouteStop& { return *stops[k]; },
      [&](std::ptrdiff_t a, std::ptrdiff_t b) {
        const RouteStop& u = a < 0 ? depot : *stops[static_cast<std::size_t>(a)];
        const RouteStop& v = b < 0 ? depot : *stops[static_cast<std::size_t>(b)];
        const double d = leg_distance(o.metric, u.x, u.y, v.x, v.y, o.earth_radius);
        return std::pair<double, double>(d, d / o.speed);
      });
}

RouteResult score_route(const RouteProblem& p, const RouteLegs& legs) {
  std::vector<std::int32_t> order;
  for (std::size_t k = 1; k < p.nodes.size(); ++k) order.push_back(static_cast<std::int32_t>(k));
  return evaluate_route(p, legs, order);
}

}  // namespace supplyml
