// The source query of the routing batch functions: its rows read with the
// shared source reader, grouped by route and sorted by seq within each route.
// Shapes: (route, seq, x, y) or (route, seq, node) with a matrix, each
// followed by (demand, ready, due, service) when with_windows is set.
#pragma once

#include <string>
#include <vector>

#include "source.hpp"
#include "supplyml/routing.hpp"

namespace supplyml::pg {

struct RouteSource {
  std::vector<Column> cols;
  KeyDictionary routes;
  std::vector<std::vector<std::size_t>> rows;  // per route id: source rows in seq order
  bool matrix = false, with_windows = false;

  std::size_t size() const { return rows.size(); }
  double seq(std::size_t row) const { return cols[1].nums[row]; }
  // The stop of a source row (for the matrix form, without coordinates).
  RouteStop stop(std::size_t row) const;
};

// Reads and groups the source; duplicate seq values in a route are an error.
RouteSource read_route_source(const std::string& query, bool matrix, bool with_windows, const std::string& fn);

}  // namespace supplyml::pg
