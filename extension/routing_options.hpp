// The options jsonb of the routing functions, read into the kernels' option
// structs. route_score reads the scoring and cost keys; route_optimize also
// reads the search keys; the batch functions also read "matrix".
#pragma once

#include <string>

#include "options.hpp"
#include "supplyml/routing.hpp"
#include "supplyml/routing_search.hpp"

namespace supplyml::pg {

struct RoutingSettings {
  RouteOptions route;
  RouteSearchOptions search;
};

enum class RoutingKeys { kScore, kOptimize };

// Reads every routing key from opts (does not call finish()).
RoutingSettings read_routing_options(Options& opts, RoutingKeys keys);

}  // namespace supplyml::pg
