// Improving the stop order of one route: 2-opt, Or-opt and relocate local
// search, an optional iterated-local-search phase with a seeded double-bridge
// perturbation, and a nearest-neighbour construction on request.
//
// Moves are judged by (violation, cost) in that order: violation is the
// capacity excess plus, under hard time windows, the total lateness, so an
// accepted move never makes a feasible route infeasible. Without time windows
// and with symmetric legs a move is judged by its O(1) change in leg cost;
// otherwise the candidate route is walked in full (routing.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "supplyml/interrupt.hpp"
#include "supplyml/routing.hpp"

namespace supplyml {

// Change in leg cost of a 2-opt move that reverses the path b..e lying
// between a and f: legs (a,b), (e,f) become (a,e), (b,f).
SML_HD inline double two_opt_delta(double c_ab, double c_ef, double c_ae, double c_bf) {
  return (c_ae + c_bf) - (c_ab + c_ef);
}

// Change in leg cost of moving the segment first..last from between a and f
// to between u and v: legs (a,first), (last,f), (u,v) become (a,f),
// (u,first'), (last',v), where first'/last' are the ends as inserted.
SML_HD inline double or_opt_delta(double c_a_first, double c_last_f, double c_af, double c_uv,
                                  double c_u_first, double c_last_v) {
  return (c_af + c_u_first + c_last_v) - (c_a_first + c_last_f + c_uv);
}

struct RouteSearchOptions {
  bool nearest_neighbor = false;  // start from a construction instead of the given order
  std::int64_t iterations = 0;    // perturbation rounds (0 = local search only)
  double time_limit = 0;          // seconds for the perturbation phase (0 = no limit)
  std::uint64_t seed = 1;
};

struct RouteImprovement {
  std::vector<std::int64_t> order;  // 0-based input positions in visiting order
  RouteResult before, after;
  std::int64_t iterations = 0;  // perturbation rounds done
  std::int64_t moves = 0;       // improving moves applied
};

void validate_search_options(const RouteSearchOptions& s);

RouteImprovement optimize_route(const RouteProblem& p, const RouteLegs& legs,
                                const RouteSearchOptions& s, Interrupt& interrupt);

}  // namespace supplyml
