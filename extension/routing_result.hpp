// supplyml.route_result values from a kernel RouteResult, as the columns of a
// row and as a composite Datum nested in route_improvement.
#pragma once

#include <string>

#include "guard.hpp"
#include "supplyml/routing.hpp"

namespace supplyml::pg {

inline constexpr int kRouteResultColumns = 12;

// Fills values[0..12) (never NULL); device text is allocated with palloc.
void route_result_values(const RouteResult& r, const std::string& device, Datum* values);

// The composite Datum of type `type` (supplyml.route_result).
Datum route_result_datum(const RouteResult& r, const std::string& device, Oid type);

// The type of column `column` (0-based) of the calling function's result row.
Oid result_column_type(FunctionCallInfo fcinfo, int column);

}  // namespace supplyml::pg
