// Plan improvement across routes on Solomon C101 and R101 (CVRPLIB optimal
// routes: 827.3 and 1637.7 with trunc1, proven optimal distances).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "supplyml/routing_plan.hpp"
#include "routing_data.hpp"

using namespace supplyml;
using namespace routing_data;

namespace {

// Routes as plan rows: the depot (id 0) first, then customers (id = number).
std::vector<PlanRoute> as_plan(const Solomon& s, const std::vector<std::vector<int>>& routes) {
  std::vector<PlanRoute> plan;
  for (const auto& r : routes) {
    PlanRoute p;
    p.stops.push_back(s.nodes[0]);
    p.ids.push_back(0);
    for (int c : r) {
      p.stops.push_back(s.nodes[static_cast<std::size_t>(c)]);
      p.ids.push_back(c);
    }
    plan.push_back(p);
  }
  return plan;
}

RouteOptions trunc1(double capacity) {
  RouteOptions o;
  o.metric = RouteMetric::kTrunc1;
  o.capacity = capacity;
  return o;
}

struct Totals {
  double distance = 0, lateness = 0;
  bool feasible = true;
  std::size_t customers = 0;
};

Totals totals(const std::vector<RouteResult>& rs) {
  Totals t;
  for (const auto& r : rs) {
    t.distance += r.distance;
    t.lateness += r.lateness;
    t.feasible = t.feasible && r.feasible;
    t.customers += static_cast<std::size_t>(r.stops - 1);
  }
  return t;
}

}  // namespace

// The CVRPLIB solutions are optimal: the search keeps them feasible and can
// find nothing shorter.
TEST(RoutingPlan, OptimalPlansStayOptimal) {
  for (const auto& [name, optimum] : std::map<std::string, double>{{"C101", 827.3}, {"R101", 1637.7}}) {
    const Solomon s = read_solomon(name);
    Interrupt stop;
    const PlanImprovement r = optimize_plan(as_plan(s, s.routes), trunc1(s.capacity), {}, stop);
    const Totals before = totals(r.before), after = totals(r.after);
    EXPECT_NEAR(before.distance, optimum, 1e-6) << name;
    EXPECT_TRUE(after.feasible) << name;
    EXPECT_NEAR(after.distance, optimum, 1e-6) << name;
    EXPECT_EQ(after.customers, 100u) << name;
  }
}

// A plan that deals C101's customers round-robin over the instance's 25
// vehicles: late and long. Moving stops between routes restores feasibility.
TEST(RoutingPlan, RoundRobinPlanBecomesFeasible) {
  const Solomon s = read_solomon("C101");
  const auto n = static_cast<std::size_t>(s.vehicles);  // the instance's fleet, 25
  std::vector<std::vector<int>> routes(n);
  for (int c = 1; c <= 100; ++c) routes[static_cast<std::size_t>(c) % n].push_back(c);
  Interrupt stop;
  RouteSearchOptions so;
  so.iterations = 5;
  const PlanImprovement r = optimize_plan(as_plan(s, routes), trunc1(s.capacity), so, stop);
  const Totals before = totals(r.before), after = totals(r.after);
  EXPECT_FALSE(before.feasible);
  EXPECT_GT(before.lateness, 0);
  EXPECT_TRUE(after.feasible);
  EXPECT_GE(after.distance, 827.3 - 1e-6);  // never below the proven optimum
  EXPECT_LT(after.distance, before.distance);
  EXPECT_GT(r.moves, 0);
  // Every customer is still served exactly once, every route starts at its depot row.
  std::vector<int> seen(101, 0);
  for (const auto& ids : r.routes) {
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids[0], 0);
    for (std::size_t k = 1; k < ids.size(); ++k) ++seen[static_cast<std::size_t>(ids[k])];
  }
  for (int c = 1; c <= 100; ++c) EXPECT_EQ(seen[static_cast<std::size_t>(c)], 1) << c;
  std::printf("C101 round robin over %zu: %.1f (late %.1f) -> %.1f (late %.1f), %lld moves\n", routes.size(),
              before.distance, before.lateness, after.distance, after.lateness, static_cast<long long>(r.moves));
}

// Capacity binds across routes: overloading a route is never a move.
TEST(RoutingPlan, CapacityIsRespected) {
  const Solomon s = read_solomon("C101");
  Interrupt stop;
  const PlanImprovement r = optimize_plan(as_plan(s, s.routes), trunc1(s.capacity), {}, stop);
  for (const auto& res : r.after) EXPECT_LE(res.max_load, s.capacity);
}
