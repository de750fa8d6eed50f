// Plan improvement across routes on Solomon C101 and R101 (CVRPLIB optimal
// routes: 827.3 and 1637.7 with trunc1, proven optimal distances).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "supplyml/routing_plan.hpp"

using namespace supplyml;

namespace {

struct Instance {
  double capacity = 0, vehicles = 0;
  std::vector<RouteStop> nodes;
  std::vector<std::vector<int>> routes;
};

Instance read_instance(const std::string& name) {
  const std::string dir = std::string(SML_DATA_DIR) + "/solomon/";
  Instance s;
  std::ifstream in(dir + name + ".txt");
  std::string line;
  while (std::getline(in, line) && line.find("CAPACITY") == std::string::npos) {
  }
  in >> s.vehicles >> s.capacity;
  while (std::getline(in, line) && line.find("CUST NO.") == std::string::npos) {
  }
  double id;
  RouteStop st;
  while (in >> id >> st.x >> st.y >> st.demand >> st.ready >> st.due >> st.service) s.nodes.push_back(st);
  std::ifstream sol(dir + name + ".sol");
  while (std::getline(sol, line)) {
    if (line.rfind("Route", 0) != 0) continue;
    std::istringstream ls(line.substr(line.find(':') + 1));
    std::vector<int> r;
    for (int c; ls >> c;) r.push_back(c);
    s.routes.push_back(r);
  }
  return s;
}

// Routes as plan rows: the depot (id 0) first, then customers (id = number).
std::vector<PlanRoute> as_plan(const Instance& s, const std::vector<std::vector<int>>& routes) {
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
    const Instance s = read_instance(name);
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
  const Instance s = read_instance("C101");
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
  const Instance s = read_instance("C101");
  Interrupt stop;
  const PlanImprovement r = optimize_plan(as_plan(s, s.routes), trunc1(s.capacity), {}, stop);
  for (const auto& res : r.after) EXPECT_LE(res.max_load, s.capacity);
}
