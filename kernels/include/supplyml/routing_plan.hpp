// Improving a plan of several routes: stops move between routes (relocate)
// and trade places across two routes (exchange), and each route is then
// improved on its own (routing_search.hpp). Moves are judged by the plan's
// (violation, cost) summed over routes, so capacity now matters: a stop only
// moves to a route that can carry it, unless the move lowers the excess.
// A route left without customers costs nothing (its vehicle stays home).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "supplyml/interrupt.hpp"
#include "supplyml/routing.hpp"
#include "supplyml/routing_search.hpp"

namespace supplyml {

// One route of a plan: its stops in visiting order (stops[0] is the depot
// unless the options give one) and an id per stop that the result refers to.
struct PlanRoute {
  std::vector<RouteStop> stops;
  std::vector<std::int64_t> ids;
};

struct PlanImprovement {
  std::vector<std::vector<std::int64_t>> routes;  // ids per route in visiting order
  std::vector<RouteResult> before, after;         // per route
  std::int64_t moves = 0;                         // stops moved or exchanged between routes
  int rounds = 0;                                 // rounds of moves between routes
};

// Coordinate metrics only. Throws supplyml::Error on bad stops or options.
// on_round, when given, hears each round of moves between routes: its number
// (from 1) and the stops it moved or exchanged.
PlanImprovement optimize_plan(const std::vector<PlanRoute>& plan, const RouteOptions& o,
                              const RouteSearchOptions& s, Interrupt& interrupt,
                              const std::function<void(int, std::int64_t)>& on_round = {});

}  // namespace supplyml
