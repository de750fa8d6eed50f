// Route scoring and improvement against published references: TSPLIB optimal
// tours (EUC_2D), the CVRPLIB optimal routes of Solomon's VRPTW instances
// (distances truncated to one decimal), and haversine distances published by
// the haversine package and Rosetta Code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/routing.hpp"
#include "supplyml/routing_search.hpp"
#include "routing_data.hpp"

using namespace supplyml;
using namespace routing_data;

namespace {

RouteResult score(const std::vector<RouteStop>& stops, const RouteOptions& o) {
  const RouteProblem p = make_route_problem(stops, o);
  return score_route(p, coordinate_legs(p, false));
}

RouteOptions with_metric(RouteMetric m) {
  RouteOptions o;
  o.metric = m;
  return o;
}

}  // namespace

TEST(RoutingMetric, Euc2dAndTrunc1Conventions) {
  EXPECT_EQ(leg_euc2d(0, 0, 3, 4), 5.0);
  EXPECT_EQ(leg_euc2d(0, 0, 1, 1), 1.0);    // 1.414 -> 1
  EXPECT_EQ(leg_euc2d(0, 0, 1, 2), 2.0);    // 2.236 -> 2
  EXPECT_EQ(leg_euc2d(0, 0, 2, 2), 3.0);    // 2.828 -> 3
  EXPECT_DOUBLE_EQ(leg_trunc1(0, 0, 1, 1), 1.4);
  EXPECT_DOUBLE_EQ(leg_trunc1(0, 0, 2, 2), 2.8);
  EXPECT_DOUBLE_EQ(leg_trunc1(0, 0, 3, 4), 5.0);
}

// haversine package (PyPI) README: Lyon-Paris 392.2172595594006 km with the
// mean radius 6371.0088 km; Rosetta Code "Haversine formula": Nashville BNA to
// Los Angeles LAX 2887.2599506071106 km with R = 6372.8 km.
TEST(RoutingMetric, HaversineKnownCityPairs) {
  EXPECT_NEAR(leg_haversine(4.8422, 45.7597, 2.3508, 48.8567, kMeanEarthRadiusKm),
              392.2172595594006, 1e-9);
  EXPECT_NEAR(leg_haversine(-86.67, 36.12, -118.40, 33.94, 6372.8), 2887.2599506071106, 1e-9);
  EXPECT_NEAR(leg_haversine(0, 0, 180, 0, 6371.0), 6371.0 * 3.14159265358979323846, 1e-6);
}

TEST(RoutingScore, TsplibOptimalToursScoreExactly) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"eil51", 426}, {"berlin52", 7542}, {"kroA100", 21282}};
  for (const auto& [name, optimum] : cases) {
    const auto nodes = read_tsp(name);
    std::vector<RouteStop> stops;
    for (int k : read_tour(name)) stops.push_back(nodes[static_cast<std::size_t>(k)]);
    ASSERT_EQ(stops.size(), nodes.size()) << name;
    const RouteResult r = score(stops, with_metric(RouteMetric::kEuc2d));
    EXPECT_EQ(r.distance, optimum) << name;
    EXPECT_EQ(r.stops, static_cast<std::int64_t>(nodes.size()));
    EXPECT_TRUE(r.feasible);
  }
}

TEST(RoutingScore, SolomonCvrplibSolutionsScoreExactlyWithTrunc1) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"C101", 827.3}, {"C201", 589.1}, {"R101", 1637.7}, {"RC101", 1619.8}};
  for (const auto& [name, cost] : cases) {
    const Solomon s = read_solomon(name);
    ASSERT_EQ(s.nodes.size(), 101u) << name;
    RouteOptions o = with_metric(RouteMetric::kTrunc1);
    o.capacity = s.capacity;
    double total = 0;
    std::size_t visited = 0;
    for (const auto& route : s.routes) {
      const RouteResult r = score(solomon_route(s, route), o);
      EXPECT_TRUE(r.feasible) << name;
      EXPECT_EQ(r.late_stops, 0) << name;
      EXPECT_LE(r.max_load, s.capacity) << name;
      total += r.distance;
      visited += route.size();
    }
    EXPECT_EQ(visited, 100u) << name;
    EXPECT_NEAR(total, cost, 1e-6) << name;
  }
}

TEST(RoutingScore, Rc101BreaksAWindowAtFullPrecision) {
  const Solomon s = read_solomon("RC101");
  RouteOptions o = with_metric(RouteMetric::kEuclidean);
  o.capacity = s.capacity;
  std::int64_t late = 0;
  double lateness = 0;
  bool all_feasible = true;
  for (const auto& route : s.routes) {
    const RouteResult r = score(solomon_route(s, route), o);
    late += r.late_stops;
    lateness += r.lateness;
    all_feasible = all_feasible && r.feasible;
  }
  EXPECT_GT(late, 0);
  EXPECT_GT(lateness, 0.0);
  EXPECT_FALSE(all_feasible);
  // Soft windows: still reported, no longer infeasible.
  o.hard_windows = false;
  for (const auto& route : s.routes) EXPECT_TRUE(score(solomon_route(s, route), o).feasible);
}

// Full-precision costs of the same routes, to two decimals, from the data
// folder's solomon_solutions_summary.csv.
TEST(RoutingScore, FullPrecisionCostsMore) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"C101", 828.94}, {"C201", 591.56}, {"R101", 1642.88}, {"RC101", 1623.56}};
  for (const auto& [name, cost] : cases) {
    const Solomon s = read_solomon(name);
    double total = 0;
    for (const auto& route : s.routes)
      total += score(solomon_route(s, route), with_metric(RouteMetric::kEuclidean)).distance;
    EXPECT_NEAR(total, cost, 0.005) << name;
  }
}

TEST(RoutingScore, WindowsWaitingAndCostModel) {
  // Depot (0,0); stops at (3,4) window [10,20] service 2, then (3,0) due 12.
  std::vector<RouteStop> stops(3);
  stops[1].x = 3, stops[1].y = 4, stops[1].ready = 10, stops[1].due = 20, stops[1].service = 2,
  stops[1].demand = 5;
  stops[2].x = 3, stops[2].y = 0, stops[2].due = 12, stops[2].demand = 7;
  RouteOptions o;
  o.capacity = 10;
  o.cost_distance = 2, o.cost_time = 0.5, o.cost_vehicle = 100, o.cost_lateness = 10,
  o.cost_excess = 3;
  const RouteResult r = score(stops, o);
  // legs 5, 4, 3: arrive 5, wait 5, serve 10-12, arrive 16 (late 4), back at 19.
  EXPECT_DOUBLE_EQ(r.distance, 12);
  EXPECT_DOUBLE_EQ(r.waiting, 5);
  EXPECT_DOUBLE_EQ(r.lateness, 4);
  EXPECT_EQ(r.late_stops, 1);
  EXPECT_DOUBLE_EQ(r.duration, 19);
  EXPECT_DOUBLE_EQ(r.max_load, 12);
  EXPECT_DOUBLE_EQ(r.capacity_excess, 2);
  EXPECT_FALSE(r.feasible);
  EXPECT_DOUBLE_EQ(r.cost, 100 + 2 * 12 + 0.5 * 19 + 10 * 4 + 3 * 2);
  o.return_to_depot = false;
  EXPECT_DOUBLE_EQ(score(stops, o).distance, 9);
  o.has_depot = true;  // depot given apart: all three rows become customers
  o.depot_x = 0, o.depot_y = 0;
  EXPECT_EQ(score(stops, o).stops, 3);
  EXPECT_DOUBLE_EQ(score(stops, o).distance, 9);
}

TEST(RoutingScore, BadInputsRaiseSpecificErrors) {
  auto code = [](const std::vector<RouteStop>& s, const RouteOptions& o) -> std::string {
    try {
      make_route_problem(s, o);
    } catch (const Error& e) {
      return e.sqlstate();
    }
    return "none";
  };
  std::vector<RouteStop> ok(2);
  ok[1].x = 1;
  RouteOptions o;
  EXPECT_EQ(code(ok, o), "none");
  EXPECT_EQ(code({}, o), "22000");
  auto bad = ok;
  bad[1].x = std::nan("");
  EXPECT_EQ(code(bad, o), "22023");
  bad = ok;
  bad[1].y = 91;
  EXPECT_EQ(code(bad, with_metric(RouteMetric::kHaversine)), "22003");
  bad = ok;
  bad[1].ready = 5, bad[1].due = 4;
  EXPECT_EQ(code(bad, o), "22023");
  bad = ok;
  bad[1].demand = -1;
  EXPECT_EQ(code(bad, o), "22023");
  bad = ok;
  bad[1].service = -1;
  EXPECT_EQ(code(bad, o), "22023");
  RouteOptions slow;
  slow.speed = 0;
  EXPECT_EQ(code(ok, slow), "22023");
  EXPECT_THROW(parse_route_metric("manhattan"), Error);
}

namespace {

// route_optimize from a seeded random order of a TSPLIB instance.
double optimize_tsp(const std::string& name, std::int64_t iterations) {
  auto stops = read_tsp(name);
  std::mt19937_64 rng(20240601);
  std::shuffle(stops.begin(), stops.end(), rng);
  RouteOptions o = with_metric(RouteMetric::kEuc2d);
  const RouteProblem p = make_route_problem(stops, o);
  const RouteLegs legs = coordinate_legs(p, true);
  RouteSearchOptions s;
  s.iterations = iterations;
  s.seed = 7;
  Interrupt stop;
  const RouteImprovement r = optimize_route(p, legs, s, stop);
  // The returned order is a permutation of the input positions.
  std::vector<std::int64_t> sorted = r.order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t k = 0; k < sorted.size(); ++k) EXPECT_EQ(sorted[k], static_cast<std::int64_t>(k));
  EXPECT_LE(r.after.distance, r.before.distance);
  // Re-scoring the returned order gives the reported result.
  std::vector<RouteStop> reordered;
  for (auto k : r.order) reordered.push_back(stops[static_cast<std::size_t>(k)]);
  EXPECT_DOUBLE_EQ(score(reordered, o).distance, r.after.distance);
  std::printf("%s: %.0f -> %.0f after %lld rounds\n", name.c_str(), r.before.distance,
              r.after.distance, static_cast<long long>(r.iterations));
  return r.after.distance;
}

}  // namespace

TEST(RoutingOptimize, TsplibWithinThreePercentOfOptimum) {
  EXPECT_LE(optimize_tsp("eil51", 300), 426 * 1.03);
  EXPECT_LE(optimize_tsp("berlin52", 300), 7542 * 1.03);
  EXPECT_LE(optimize_tsp("kroA100", 300), 21282 * 1.03);
}

TEST(RoutingOptimize, NeverMakesAFeasibleSolomonRouteInfeasible) {
  for (const char* name : {"C101", "R101", "RC101"}) {
    const Solomon s = read_solomon(name);
    RouteOptions o = with_metric(RouteMetric::kTrunc1);
    o.capacity = s.capacity;
    for (const auto& route : s.routes) {
      const RouteProblem p = make_route_problem(solomon_route(s, route), o);
      const RouteLegs legs = coordinate_legs(p, true);
      RouteSearchOptions so;
      so.iterations = 20;
      Interrupt stop;
      const RouteImprovement r = optimize_route(p, legs, so, stop);
      ASSERT_TRUE(r.before.feasible);
      EXPECT_TRUE(r.after.feasible) << name;
      EXPECT_LE(r.after.cost, r.before.cost + 1e-9) << name;
    }
  }
}

TEST(RoutingOptimize, NearestNeighbourAndDeterminism) {
  const auto nodes = read_tsp("eil51");
  RouteOptions o = with_metric(RouteMetric::kEuc2d);
  const RouteProblem p = make_route_problem(nodes, o);
  const RouteLegs legs = coordinate_legs(p, true);
  RouteSearchOptions s;
  s.nearest_neighbor = true;
  s.iterations = 30;
  s.seed = 3;
  Interrupt a, b;
  const auto r1 = optimize_route(p, legs, s, a), r2 = optimize_route(p, legs, s, b);
  EXPECT_EQ(r1.order, r2.order);
  EXPECT_EQ(r1.order.front(), 0);  // the first stop is the depot and stays first
  EXPECT_LT(r1.after.distance, r1.before.distance);
}

TEST(RoutingOptimize, InterruptStopsTheSearch) {
  const auto nodes = read_tsp("kroA100");
  const RouteProblem p = make_route_problem(nodes, with_metric(RouteMetric::kEuc2d));
  const RouteLegs legs = coordinate_legs(p, true);
  RouteSearchOptions s;
  s.iterations = 1000000;
  Interrupt stop([] { return true; });
  EXPECT_THROW(optimize_route(p, legs, s, stop), Cancelled);
}
