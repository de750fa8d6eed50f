#include "routing_source.hpp"

#include <algorithm>
#include <cmath>

namespace supplyml::pg {

RouteStop RouteSource::stop(std::size_t i) const {
  RouteStop s;
  if (!matrix) {
    s.x = cols[2].nums[i];
    s.y = cols[3].nums[i];
  }
  if (with_windows) {
    const std::size_t e = matrix ? 3 : 4;
    s.demand = cols[e].nums[i];
    // A NULL bound (read as NaN) leaves that side of the window open.
    if (!std::isnan(cols[e + 1].nums[i])) s.ready = cols[e + 1].nums[i];
    if (!std::isnan(cols[e + 2].nums[i])) s.due = cols[e + 2].nums[i];
    s.service = cols[e + 3].nums[i];
  }
  return s;
}

RouteSource read_route_source(const std::string& query, bool matrix, bool with_windows, const std::string& fn) {
  RouteSource src;
  src.matrix = matrix;
  src.with_windows = with_windows;
  std::vector<ColumnSpec> specs = {{"route key", ColumnType::kKey}, {"seq", ColumnType::kNumber}};
  if (matrix) {
    specs.push_back({"node", ColumnType::kKey});
  } else {
    specs.push_back({"x", ColumnType::kNumber});
    specs.push_back({"y", ColumnType::kNumber});
  }
  if (with_windows) {
    specs.push_back({"demand", ColumnType::kNumber});
    specs.push_back({"ready", ColumnType::kNumber, true});
    specs.push_back({"due", ColumnType::kNumber, true});
    specs.push_back({"service", ColumnType::kNumber});
  }
  src.cols = read_source(query, specs, fn);

  const auto& route_of = src.cols[0].ids;
  src.routes = std::move(src.cols[0].keys);
  src.rows.resize(src.routes.size());
  for (std::size_t i = 0; i < route_of.size(); ++i) src.rows[static_cast<std::size_t>(route_of[i])].push_back(i);
  const auto& seq = src.cols[1].nums;
  for (std::size_t r = 0; r < src.rows.size(); ++r) {
    auto& rows = src.rows[r];
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return seq[a] < seq[b]; });
    for (std::size_t k = 1; k < rows.size(); ++k)
      if (seq[rows[k]] == seq[rows[k - 1]])
        throw Error(sqlstate::kUniqueViolation,
                    "duplicate seq " + number_text(seq[rows[k]]) + " in route " +
                        src.routes.display(static_cast<std::int32_t>(r)),
                    "Two stops of the same route share a seq value, so their order is undefined.",
                    "Give the stops of each route distinct seq values (row_number() can number them).");
  }
  return src;
}

}  // namespace supplyml::pg
