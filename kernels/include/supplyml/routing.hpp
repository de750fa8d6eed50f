// Delivery-route scoring: per-leg distances and the walk along one route that
// accumulates travel, waiting, lateness and load.
//
// The per-leg and per-stop arithmetic is in SML_HD inline functions so that a
// CUDA kernel scoring many routes (or a neighbourhood of moves) runs exactly
// the arithmetic the CPU unit tests cover. Validation and orchestration live in
// kernels/cpu/routing_score.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "supplyml/hostdev.hpp"

namespace supplyml {

// How a leg's length is computed from two points (x, y).
enum class RouteMetric : std::int32_t {
  kEuclidean = 0,  // sqrt(dx^2 + dy^2), full precision
  kEuc2d = 1,      // TSPLIB EUC_2D: nint(sqrt(dx^2 + dy^2))
  kTrunc1 = 2,     // CVRPLIB (Solomon): Euclidean truncated to one decimal
  kHaversine = 3,  // great-circle km; x = longitude, y = latitude in degrees
  kMatrix = 4,     // distances and times given per ordered pair
};

// Parses "euclidean", "euc2d", "trunc1", "haversine"; throws 22023 otherwise.
RouteMetric parse_route_metric(const std::string& name);
const char* route_metric_name(RouteMetric m);

inline constexpr double kMeanEarthRadiusKm = 6371.0088;  // IUGG mean radius R1

SML_HD inline double leg_euclidean(double x1, double y1, double x2, double y2) {
  const double dx = x1 - x2, dy = y1 - y2;
  return sqrt(dx * dx + dy * dy);
}

// TSPLIB: (int)(sqrt(xd*xd + yd*yd) + 0.5).
SML_HD inline double leg_euc2d(double x1, double y1, double x2, double y2) {
  return floor(leg_euclidean(x1, y1, x2, y2) + 0.5);
}

// floor(10 d) / 10, computed as floor(sqrt(100 d^2)) so that a distance whose
// tenth is exact (100 d^2 a perfect square of integer coordinates) is not
// pushed below its value by rounding in 10 * sqrt(d^2).
SML_HD inline double leg_trunc1(double x1, double y1, double x2, double y2) {
  const double dx = x1 - x2, dy = y1 - y2;
  return floor(sqrt(100.0 * (dx * dx + dy * dy))) / 10.0;
}

// Haversine great-circle distance; (x, y) = (longitude, latitude) in degrees.
SML_HD inline double leg_haversine(double lon1, double lat1, double lon2, double lat2,
                                   double radius) {
  const double r = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
  const double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
  double a = s1 * s1 + cos(lat1 * r) * cos(lat2 * r) * s2 * s2;
  a = a > 1.0 ? 1.0 : a;
  return 2.0 * radius * asin(sqrt(a));
}

SML_HD inline double leg_distance(RouteMetric m, double x1, double y1, double x2, double y2,
                                  double radius) {
  switch (m) {
    case RouteMetric::kEuc2d: return leg_euc2d(x1, y1, x2, y2);
    case RouteMetric::kTrunc1: return leg_trunc1(x1, y1, x2, y2);
    case RouteMetric::kHaversine: return leg_haversine(x1, y1, x2, y2, radius);
    default: return leg_euclidean(x1, y1, x2, y2);
  }
}

// One stop as the scorer sees it. Windows default to [-inf, +inf].
struct RouteStop {
  double x = 0, y = 0;
  double demand = 0;
  double ready = -std::numeric_limits<double>::infinity();
  double due = std::numeric_limits<double>::infinity();
  double service = 0;
  std::int64_t node = 0;  // matrix form only: the node key
};

// Every setting of the scorer and the cost model (docs/routing.md).
struct RouteOptions {
  RouteMetric metric = RouteMetric::kEuclidean;
  bool has_depot = false;  // false: the first stop (lowest seq) is the depot
  double depot_x = 0, depot_y = 0;
  bool return_to_depot = true;
  double speed = 1.0;  // distance units per time unit
  double start_time = 0.0;
  double capacity = std::numeric_limits<double>::infinity();
  double cost_distance = 1.0, cost_time = 0.0, cost_vehicle = 0.0;
  double cost_lateness = 0.0, cost_excess = 0.0;
  bool hard_windows = true;  // late arrival makes a route infeasible
  double earth_radius = kMeanEarthRadiusKm;
};

// The accumulated walk along a route.
struct RouteResult {
  std::int64_t stops = 0;
  double distance = 0, travel_time = 0, duration = 0, waiting = 0, lateness = 0;
  std::int64_t late_stops = 0;
  double max_load = 0, capacity_excess = 0;
  bool feasible = true;
  double cost = 0;
};

// Slack used when comparing an arrival with a due time: values that agree to
// about 1e-9 relative are equal, so summed one-decimal legs are not "late" by
// a rounding residue.
SML_HD inline bool route_is_late(double arrival, double due) {
  return arrival > due + 1e-9 * (fabs(due) > 1.0 ? fabs(due) : 1.0);
}

// The walk state between legs.
struct RouteWalk {
  double t = 0;         // current time (departure from the last stop)
  double distance = 0, travel = 0, waiting = 0, lateness = 0;
  std::int64_t late = 0;
};

// Arrive at a stop after a leg of length d taking time tt: wait for its window
// to open, record lateness against its due time, then serve it.
SML_HD inline void route_visit(RouteWalk& w, double d, double tt, double ready, double due,
                               double service) {
  w.distance += d;
  w.travel += tt;
  double arrival = w.t + tt;
  if (arrival < ready) {
    w.waiting += ready - arrival;
    arrival = ready;
  }
  if (route_is_late(arrival, due)) {
    w.lateness += arrival - due;
    w.late += 1;
  }
  w.t = arrival + service;
}

// The cost model: linear in distance, duration, lateness and capacity excess,
// plus a fixed cost per vehicle (route).
SML_HD inline double route_cost(const RouteOptions& o, double distance, double duration,
                                double lateness, double excess) {
  return o.cost_vehicle + o.cost_distance * distance + o.cost_time * duration +
         o.cost_lateness * lateness + o.cost_excess * excess;
}

// Leg lengths and times between the internal nodes of one route: node 0 is the
// depot, nodes 1..m the customers. Built from coordinates or from a matrix.
class RouteLegs {
 public:
  // Coordinates: node i at (x[i], y[i]); times are distance / speed. With
  // table, legs are computed once into an n x n table (the search reads each
  // leg many times); without, on every call (a single walk reads each once).
  RouteLegs(const std::vector<double>& x, const std::vector<double>& y, const RouteOptions& o,
            bool table);
  // Matrix: dist[i * n + j], time[i * n + j] over n nodes.
  RouteLegs(std::vector<double> dist, std::vector<double> time, std::size_t n);

  std::size_t size() const { return n_; }
  double dist(std::size_t i, std::size_t j) const {
    return full_ ? dist_[i * n_ + j] : leg_distance(metric_, x_[i], y_[i], x_[j], y_[j], radius_);
  }
  double time(std::size_t i, std::size_t j) const {
    return full_ && !time_.empty() ? time_[i * n_ + j] : dist(i, j) / speed_;
  }
  bool symmetric() const { return symmetric_; }

 private:
  std::size_t n_ = 0;
  bool full_ = false, symmetric_ = true;
  std::vector<double> dist_, time_, x_, y_;
  RouteMetric metric_ = RouteMetric::kEuclidean;
  double speed_ = 1.0, radius_ = kMeanEarthRadiusKm;
};

// A route ready to evaluate: the depot as node 0 and the customers 1..m with
// their data; position[k] maps internal node k to its 0-based input position
// (-1 for a depot given in the options).
struct RouteProblem {
  std::vector<RouteStop> nodes;  // nodes[0] = depot
  std::vector<std::int64_t> position;
  RouteOptions options;
  bool windows = false;  // some stop has a finite ready or due time
};

// Checks the stops (already in seq order) and the options and builds the
// problem; throws supplyml::Error on bad input (docs/routing.md, Errors).
RouteProblem make_route_problem(const std::vector<RouteStop>& stops, const RouteOptions& o);

// Checks the options alone (speed, capacity, costs, depot).
void validate_route_options(const RouteOptions& o);

// Builds the coordinate legs of a problem (not valid for the matrix metric).
RouteLegs coordinate_legs(const RouteProblem& p, bool table);

// Evaluates the tour 0 -> order[0] -> ... -> order[m-1] (-> 0 when returning).
// order holds internal customer nodes 1..m.
RouteResult evaluate_route(const RouteProblem& p, const RouteLegs& legs,
                           const std::vector<std::int32_t>& order);

// Walks depot -> *stops[0] -> ... (-> depot) with coordinate legs (not the
// matrix metric); rows is the stop count the result reports.
RouteResult score_stops(const RouteStop& depot, const std::vector<const RouteStop*>& stops,
                        const RouteOptions& o, std::int64_t rows);

// Scores stops in their given order (the whole of route_score).
RouteResult score_route(const RouteProblem& p, const RouteLegs& legs);

}  // namespace supplyml
