// Inventory policies: EOQ, newsvendor, safety stock and reorder points,
// continuous-review (r,Q), periodic-review (s,S) and base-stock (R,S).
// Formulas follow Snyder & Shen, Fundamentals of Supply Chain Theory (2nd ed.),
// chapters 3-4 and appendix C; docs/inventory.md states each one.
//
// Units: costs are per unit per time unit (holding, stockout) and per order
// (order cost); demand_rate / demand_mean is per time unit or per period, and
// lead times are in the same unit. Missing outputs are NaN (NULL in SQL).
#pragma once

#include <string>
#include <vector>

#include "supplyml/interrupt.hpp"
#include "supplyml/inventory_demand.hpp"

namespace supplyml {
namespace inv {

struct EoqResult {
  double order_quantity, backorder_fraction, cost, cycle_time;
};
// Classic EOQ; with stockout_cost (not NaN) the EOQ with planned backorders.
EoqResult eoq(double demand_rate, double order_cost, double holding_cost, double stockout_cost);

struct NewsvendorResult {
  double order_up_to, expected_cost;
};
NewsvendorResult newsvendor(double holding_cost, double stockout_cost, const Demand& d);
double newsvendor_cost(double order_up_to, double holding_cost, double stockout_cost, const Demand& d);

// The composite supplyml.inventory_policy.
struct Policy {
  std::string policy;  // rq, ss, base_stock
  double reorder_point, order_quantity, order_up_to, safety_stock;
  double expected_cost, fill_rate, cycle_service_level;
  std::string method;
  std::string distribution;
  double demand_mean, demand_sd;  // per period, as used
};

enum class ServiceType { Cycle, FillRate };
ServiceType parse_service_type(const std::string& name);

struct ServiceResult {
  double reorder_point, safety_stock, ltd_mean, ltd_sd;
};
// Normal lead-time demand with mean d L and variance L sd^2 + d^2 lead_time_sd^2.
// Cycle service: P(no stockout in a cycle) = level. Fill rate: 1 - n(r)/Q = level,
// where Q is the order quantity (NaN: one period of demand, i.e. base-stock).
ServiceResult service_reorder_point(double demand_mean, double demand_sd, double lead_time, double lead_time_sd,
                                    double level, ServiceType type, double order_quantity);

enum class RqMethod { Exact, LossFunction, EoqSs, Eil };
RqMethod parse_rq_method(const std::string& name);
const char* rq_method_name(RqMethod m);

// (r,Q) with demand of rate `demand_rate` and sd `demand_sd` per time unit; the
// lead-time demand is the distribution over lead_time (normal: N(lambda L, sd^2 L)).
Policy rq_policy(double holding_cost, double stockout_cost, double order_cost, double demand_rate, double demand_sd,
                 double lead_time, RqMethod method, Dist dist, double lead_time_sd = 0.0,
                 Interrupt* interrupt = nullptr);
double rq_cost(double r, double q, double holding_cost, double stockout_cost, double order_cost, double demand_rate,
               double demand_sd, double lead_time, Dist dist, double lead_time_sd = 0.0,
               Interrupt* interrupt = nullptr);

enum class SsMethod { Exact, Power };
SsMethod parse_ss_method(const std::string& name);

// Periodic review (s,S), zero or integer lead time; costs per period. Orders
// are placed at the start of a period, arrive lead_time periods later, and
// costs are charged on the end-of-period net inventory.
// The discrete searches poll `interrupt` (when given) so that a statement
// timeout stops them.
Policy ss_policy(double holding_cost, double stockout_cost, double order_cost, const Demand& per_period,
                 int lead_time, SsMethod method, Interrupt* interrupt = nullptr);
double ss_cost(double s, double S, double holding_cost, double stockout_cost, double order_cost,
               const Demand& per_period, int lead_time, Interrupt* interrupt = nullptr);

// Periodic review (R,S): order up to S every review_period periods. With costs
// (not NaN) S minimizes the exact average cost per period; otherwise S covers the
// protection interval R + L at the given cycle service level.
Policy base_stock_policy(double holding_cost, double stockout_cost, double order_cost, const Demand& per_period,
                         int lead_time, int review_period, double service_level);
double base_stock_cost(double S, double holding_cost, double stockout_cost, double order_cost,
                       const Demand& per_period, int lead_time, int review_period);

// Validation shared with the SQL layer: throws 22023 naming the parameter.
void require_positive(double v, const char* name);
void require_nonnegative(double v, const char* name);
void require_probability(double v, const char* name);

}  // namespace inv
}  // namespace supplyml
