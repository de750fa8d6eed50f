// The composite supplyml.inventory_policy as a Datum, shared by every function
// of the inventory capability that returns one.
#pragma once

#include <cmath>

#include "datum.hpp"
#include "supplyml/inventory.hpp"

namespace supplyml::pg {

// Fields in the order of CREATE TYPE supplyml.inventory_policy; NaN is NULL.
inline Datum policy_datum(FunctionCallInfo fcinfo, const inv::Policy& p) {
  const double nums[] = {p.reorder_point, p.order_quantity, p.order_up_to, p.safety_stock,
                         p.expected_cost, p.fill_rate,      p.cycle_service_level};
  Datum v[12];
  bool n[12] = {};
  v[0] = text_datum(p.policy);
  for (int i = 0; i < 7; ++i) {
    n[1 + i] = std::isnan(nums[i]);
    v[1 + i] = Float8GetDatum(n[1 + i] ? 0.0 : nums[i]);
  }
  v[8] = text_datum(p.method);
  v[9] = text_datum(p.distribution);
  v[10] = Float8GetDatum(p.demand_mean);
  v[11] = Float8GetDatum(p.demand_sd);
  return composite_result(fcinfo, v, n);
}

}  // namespace supplyml::pg
