// Plan improvement across routes; see routing_plan.hpp.
#include "supplyml/routing_plan.hpp"

#include <algorithm>
#include <cmath>

#include "supplyml/error.hpp"

namespace supplyml {
namespace {

constexpr double kEps = 1e-9;

struct Score {
  double violation = 0, cost = 0;
};

// A plan being improved: per route a depot and the customers' indices into
// the flat stop list.
class Plan {
 public:
  Plan(const std::vector<PlanRoute>& plan, const RouteOptions& o) : o_(o) {
    for (const PlanRoute& r : plan) {
      // make_route_problem validates the stops and the options.
      const RouteProblem p = make_route_problem(r.stops, o);
      Route route;
      route.depot = p.nodes[0];
      route.depot_id = o.has_depot ? -1 : r.ids[0];
      for (std::size_t k = 1; k < p.nodes.size(); ++k) {
        route.customers.push_back(stops_.size());
        stops_.push_back(p.nodes[k]);
        ids_.push_back(r.ids[static_cast<std::size_t>(p.position[k])]);
      }
      routes_.push_back(std::move(route));
    }
  }

  std::size_t size() const { return routes_.size(); }
  std::vector<std::size_t>& customers(std::size_t r) { return routes_[r].customers; }

  RouteResult result(std::size_t r, const std::vector<std::size_t>& customers) const {
    std::vector<const RouteStop*> v;
    v.reserve(customers.size());
    for (std::size_t c : customers) v.push_back(&stops_[c]);
    const std::int64_t rows = static_cast<std::int64_t>(customers.size()) + (o_.has_depot ? 0 : 1);
    RouteResult res = score_stops(routes_[r].depot, v, o_, rows);
    if (customers.empty()) res.cost = 0;  // the vehicle stays home
    return res;
  }
  // An empty route is a vehicle that stays home: no cost, no violation.
  Score score(std::size_t r, const std::vector<std::size_t>& customers) const {
    if (customers.empty()) return {};
    const RouteResult res = result(r, customers);
    return {res.capacity_excess + (o_.hard_windows ? res.lateness : 0.0), res.cost};
  }

  std::vector<std::int64_t> ids(std::size_t r) const {
    std::vector<std::int64_t> out;
    if (routes_[r].depot_id >= 0) out.push_back(routes_[r].depot_id);
    for (std::size_t c : routes_[r].customers) out.push_back(ids_[c]);
    return out;
  }

  // The route as a one-route problem, for the intra-route search.
  RouteProblem problem(std::size_t r) const {
    std::vector<RouteStop> stops;
    if (!o_.has_depot) stops.push_back(routes_[r].depot);
    for (std::size_t c : routes_[r].customers) stops.push_back(stops_[c]);
    return make_route_problem(stops, o_);
  }

 private:
  struct Route {
    RouteStop depot;
    std::int64_t depot_id = -1;
    std::vector<std::size_t> customers;
  };
  RouteOptions o_;
  std::vector<RouteStop> stops_;
  std::vector<std::int64_t> ids_;
  std::vector<Route> routes_;
};

// True when replacing routes a and b (old scores oa, ob) by na, nb improves
// the plan's (violation, cost).
bool improves(const Score& oa, const Score& ob, const Score& na, const Score& nb) {
  const double dv = (na.violation + nb.violation) - (oa.violation + ob.violation);
  if (dv < -kEps) return true;
  if (dv > kEps) return false;
  const double dc = (na.cost + nb.cost) - (oa.cost + ob.cost);
  return dc < -kEps * std::max(1.0, std::fabs(oa.cost + ob.cost));
}

// One pass of relocate and exchange moves between every pair of routes;
// returns the number of moves applied.
std::int64_t inter_route_pass(Plan& plan, Interrupt& interrupt) {
  std::int64_t moves = 0;
  const std::size_t R = plan.size();
  std::vector<Score> score(R);
  for (std::size_t r = 0; r < R; ++r) score[r] = plan.score(r, plan.customers(r));
  std::vector<std::size_t> na, nb;
  // Adopts na, nb as routes a, b when that improves the plan.
  auto try_move = [&](std::size_t a, std::size_t b, const Score& sa, const Score& sb) {
    if (!improves(score[a], score[b], sa, sb)) return false;
    plan.customers(a).swap(na);
    plan.customers(b).swap(nb);
    score[a] = sa;
    score[b] = sb;
    ++moves;
    return true;
  };
  for (std::size_t a = 0; a < R; ++a) {
    for (std::size_t b = 0; b < R; ++b) {
      if (a == b) continue;
      interrupt.poll();
      // Relocate: stop i of a to every gap j of b.
      for (std::size_t i = 0; i < plan.customers(a).size(); ++i) {
        const auto& A = plan.customers(a);
        na = A;
        na.erase(na.begin() + static_cast<std::ptrdiff_t>(i));
        const Score sa = plan.score(a, na);
        for (std::size_t j = 0; j <= plan.customers(b).size(); ++j) {
          interrupt.poll();  // every candidate walks both routes in full
          nb = plan.customers(b);
          nb.insert(nb.begin() + static_cast<std::ptrdiff_t>(j), A[i]);
          if (try_move(a, b, sa, plan.score(b, nb))) break;
        }
        if (i >= plan.customers(a).size()) break;
      }
      // Exchange: stop i of a with stop j of b (each pair of routes once).
      if (b < a) continue;
      for (std::size_t i = 0; i < plan.customers(a).size(); ++i) {
        for (std::size_t j = 0; j < plan.customers(b).size(); ++j) {
          interrupt.poll();
          na = plan.customers(a);
          nb = plan.customers(b);
          std::swap(na[i], nb[j]);
          try_move(a, b, plan.score(a, na), plan.score(b, nb));
        }
      }
    }
  }
  return moves;
}

// Improves each route on its own and adopts the new order when it is better.
void intra_route(Plan& plan, const RouteSearchOptions& s, Interrupt& interrupt) {
  for (std::size_t r = 0; r < plan.size(); ++r) {
    auto& cust = plan.customers(r);
    if (cust.size() < 2) continue;
    const RouteProblem p = plan.problem(r);
    const RouteImprovement imp = optimize_route(p, coordinate_legs(p, true), s, interrupt);
    // imp.order holds 0-based positions in p's stops (depot first when it is a stop).
    std::vector<std::size_t> next;
    const std::size_t shift = p.position[0] >= 0 ? 1 : 0;
    for (std::size_t k = shift; k < imp.order.size(); ++k)
      next.push_back(cust[static_cast<std::size_t>(imp.order[k]) - shift]);
    cust.swap(next);
  }
}

}  // namespace

PlanImprovement optimize_plan(const std::vector<PlanRoute>& routes, const RouteOptions& o,
                              const RouteSearchOptions& s, Interrupt& interrupt,
                              const std::function<void(int, std::int64_t)>& on_round) {
  if (o.metric == RouteMetric::kMatrix)
    invalid_parameter("plan improvement needs coordinates",
                      "Moving stops between routes is implemented for coordinate metrics only.",
                      "Pass x and y with one of the metrics euclidean, euc2d, trunc1 or haversine.");
  validate_search_options(s);
  Plan plan(routes, o);
  PlanImprovement out;
  for (std::size_t r = 0; r < plan.size(); ++r) out.before.push_back(plan.result(r, plan.customers(r)));
  // Alternate between routes and within routes until neither finds a move
  // (bounded: each round strictly improves the plan, and rounds are capped).
  intra_route(plan, s, interrupt);
  for (int round = 0; round < 50; ++round) {
    const std::int64_t moved = inter_route_pass(plan, interrupt);
    out.moves += moved;
    out.rounds = round + 1;
    if (on_round) on_round(out.rounds, moved);
    if (moved == 0) break;
    intra_route(plan, s, interrupt);
  }
  for (std::size_t r = 0; r < plan.size(); ++r) {
    out.after.push_back(plan.result(r, plan.customers(r)));
    out.routes.push_back(plan.ids(r));
  }
  return out;
}

}  // namespace supplyml
