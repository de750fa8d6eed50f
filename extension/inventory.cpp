// SQL-callable inventory functions: argument marshalling and results only;
// the formulas are in kernels/cpu/inventory_*.cpp.
#include <cmath>
#include <limits>
#include <string>

#include "datum.hpp"
#include "device.hpp"
#include "inventory_policy_datum.hpp"
#include "supplyml/inventory.hpp"

using namespace supplyml;
using namespace supplyml::pg;
using namespace supplyml::inv;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double arg(FunctionCallInfo fcinfo, int argno, const char* name) {
  require_arg(fcinfo, argno, name);
  return PG_GETARG_FLOAT8(argno);
}

// An optional argument: NULL is "not given", which the kernels read as NaN.
// A NaN passed explicitly would then silently mean "not given": refuse it.
double arg_or_nan(FunctionCallInfo fcinfo, int argno, const char* name) {
  if (PG_ARGISNULL(argno)) return kNaN;
  const double v = PG_GETARG_FLOAT8(argno);
  if (std::isnan(v))
    invalid_parameter(std::string(name) + " must not be NaN", std::string("The argument ") + name + " was NaN.",
                      std::string("Pass a number for ") + name + ", or NULL to leave it out.");
  return v;
}

std::string text_or(FunctionCallInfo fcinfo, int argno, const char* name) {
  require_arg(fcinfo, argno, name);
  return text_arg(fcinfo, argno);
}

int int_arg(FunctionCallInfo fcinfo, int argno, const char* name) {
  require_arg(fcinfo, argno, name);
  return PG_GETARG_INT32(argno);
}

// A demand distribution from (mean, sd, distribution) arguments; the sd may
// be NULL for Poisson demand, whose sd is the square root of its mean.
Demand demand_args(FunctionCallInfo fcinfo, int mean_arg, int sd_arg, int dist_arg) {
  const double mean = arg(fcinfo, mean_arg, "demand_mean");
  const Dist d = parse_distribution(text_or(fcinfo, dist_arg, "distribution"));
  if (d != Dist::Poisson) require_arg(fcinfo, sd_arg, "demand_sd");
  return Demand::make(d, mean, arg_or_nan(fcinfo, sd_arg, "demand_sd"));
}

}  // namespace

// eoq(demand_rate, order_cost, holding_cost, stockout_cost)
SML_FUNCTION(sml_eoq) {
  choose_device(Computation::kInventory, 0);
  const auto r = eoq(arg(fcinfo, 0, "demand_rate"), arg(fcinfo, 1, "order_cost"), arg(fcinfo, 2, "holding_cost"),
                     arg_or_nan(fcinfo, 3, "stockout_cost"));
  Datum v[4] = {Float8GetDatum(r.order_quantity), Float8GetDatum(r.backorder_fraction), Float8GetDatum(r.cost),
                Float8GetDatum(r.cycle_time)};
  bool n[4] = {false, false, false, std::isnan(r.cycle_time)};
  return composite_result(fcinfo, v, n);
}

// newsvendor(holding_cost, stockout_cost, demand_mean, demand_sd, distribution)
SML_FUNCTION(sml_newsvendor) {
  choose_device(Computation::kInventory, 0);
  const auto r = newsvendor(arg(fcinfo, 0, "holding_cost"), arg(fcinfo, 1, "stockout_cost"), demand_args(fcinfo, 2, 3, 4));
  Datum v[2] = {Float8GetDatum(r.order_up_to), Float8GetDatum(r.expected_cost)};
  bool n[2] = {false, false};
  return composite_result(fcinfo, v, n);
}

// newsvendor(holding_cost, stockout_cost, observations float8[])
SML_FUNCTION(sml_newsvendor_empirical) {
  choose_device(Computation::kInventory, 0);
  const auto r = newsvendor(arg(fcinfo, 0, "holding_cost"), arg(fcinfo, 1, "stockout_cost"),
                            Demand::empirical(float8_array_arg(fcinfo, 2, "observations")));
  Datum v[2] = {Float8GetDatum(r.order_up_to), Float8GetDatum(r.expected_cost)};
  bool n[2] = {false, false};
  return composite_result(fcinfo, v, n);
}

// newsvendor_cost(order_up_to, holding_cost, stockout_cost, demand_mean, demand_sd, distribution)
SML_FUNCTION(sml_newsvendor_cost) {
  choose_device(Computation::kInventory, 0);
  return float8_result(newsvendor_cost(arg(fcinfo, 0, "order_up_to"), arg(fcinfo, 1, "holding_cost"),
                                       arg(fcinfo, 2, "stockout_cost"), demand_args(fcinfo, 3, 4, 5)),
                       "newsvendor_cost");
}

// newsvendor_cost(order_up_to, holding_cost, stockout_cost, observations float8[])
SML_FUNCTION(sml_newsvendor_cost_empirical) {
  choose_device(Computation::kInventory, 0);
  return float8_result(newsvendor_cost(arg(fcinfo, 0, "order_up_to"), arg(fcinfo, 1, "holding_cost"),
                                       arg(fcinfo, 2, "stockout_cost"),
                                       Demand::empirical(float8_array_arg(fcinfo, 3, "observations"))),
                       "newsvendor_cost");
}

namespace {
ServiceResult service_args(FunctionCallInfo fcinfo) {
  choose_device(Computation::kInventory, 0);
  return service_reorder_point(arg(fcinfo, 0, "demand_mean"), arg(fcinfo, 1, "demand_sd"), arg(fcinfo, 2, "lead_time"),
                               arg(fcinfo, 3, "lead_time_sd"), arg(fcinfo, 4, "service_level"),
                               parse_service_type(text_or(fcinfo, 5, "service_type")), arg_or_nan(fcinfo, 6, "order_quantity"));
}
}  // namespace

// safety_stock / reorder_point(demand_mean, demand_sd, lead_time, lead_time_sd,
//                              service_level, service_type, order_quantity)
SML_FUNCTION(sml_safety_stock) { return float8_result(service_args(fcinfo).safety_stock, "safety_stock"); }
SML_FUNCTION(sml_reorder_point) { return float8_result(service_args(fcinfo).reorder_point, "reorder_point"); }

// rq_policy(holding_cost, stockout_cost, order_cost, demand_rate, demand_sd, lead_time, method, distribution)
SML_FUNCTION(sml_rq_policy) {
  choose_device(Computation::kInventory, 0);
  Interrupt intr = interrupt();
  const Dist d = parse_distribution(text_or(fcinfo, 7, "distribution"));
  if (d != Dist::Poisson) require_arg(fcinfo, 4, "demand_sd");
  const Policy p = rq_policy(arg(fcinfo, 0, "holding_cost"), arg(fcinfo, 1, "stockout_cost"), arg(fcinfo, 2, "order_cost"),
                             arg(fcinfo, 3, "demand_rate"), arg_or_nan(fcinfo, 4, "demand_sd"), arg(fcinfo, 5, "lead_time"),
                             parse_rq_method(text_or(fcinfo, 6, "method")), d, 0.0, &intr);
  return policy_datum(fcinfo, p);
}

// rq_cost(r, q, holding_cost, stockout_cost, order_cost, demand_rate, demand_sd, lead_time, distribution)
SML_FUNCTION(sml_rq_cost) {
  choose_device(Computation::kInventory, 0);
  Interrupt intr = interrupt();
  const Dist d = parse_distribution(text_or(fcinfo, 8, "distribution"));
  if (d != Dist::Poisson) require_arg(fcinfo, 6, "demand_sd");
  return float8_result(rq_cost(arg(fcinfo, 0, "r"), arg(fcinfo, 1, "q"), arg(fcinfo, 2, "holding_cost"),
                               arg(fcinfo, 3, "stockout_cost"), arg(fcinfo, 4, "order_cost"), arg(fcinfo, 5, "demand_rate"),
                               arg_or_nan(fcinfo, 6, "demand_sd"), arg(fcinfo, 7, "lead_time"), d, 0.0, &intr),
                       "rq_cost");
}

// ss_policy(holding_cost, stockout_cost, order_cost, demand_mean, demand_sd, distribution, lead_time, method)
SML_FUNCTION(sml_ss_policy) {
  choose_device(Computation::kInventory, 0);
  Interrupt intr = interrupt();
  const Policy p = ss_policy(arg(fcinfo, 0, "holding_cost"), arg(fcinfo, 1, "stockout_cost"), arg(fcinfo, 2, "order_cost"),
                             demand_args(fcinfo, 3, 4, 5), int_arg(fcinfo, 6, "lead_time"),
                             parse_ss_method(text_or(fcinfo, 7, "method")), &intr);
  return policy_datum(fcinfo, p);
}

// ss_cost(s, S, holding_cost, stockout_cost, order_cost, demand_mean, demand_sd, distribution, lead_time)
SML_FUNCTION(sml_ss_cost) {
  choose_device(Computation::kInventory, 0);
  Interrupt intr = interrupt();
  return float8_result(ss_cost(arg(fcinfo, 0, "s"), arg(fcinfo, 1, "S"), arg(fcinfo, 2, "holding_cost"),
                               arg(fcinfo, 3, "stockout_cost"), arg(fcinfo, 4, "order_cost"), demand_args(fcinfo, 5, 6, 7),
                               int_arg(fcinfo, 8, "lead_time"), &intr),
                       "ss_cost");
}

// base_stock_policy(demand_mean, demand_sd, lead_time, review_period, holding_cost,
//                   stockout_cost, order_cost, service_level, distribution)
SML_FUNCTION(sml_base_stock_policy) {
  choose_device(Computation::kInventory, 0);
  const double h = arg_or_nan(fcinfo, 4, "holding_cost"), p = arg_or_nan(fcinfo, 5, "stockout_cost");
  if (std::isnan(h) != std::isnan(p))
    invalid_parameter("holding_cost and stockout_cost go together",
                      "A cost-optimal base-stock level needs both costs; a service-level one needs neither.",
                      "Pass both costs, or neither and a service_level.");
  const Policy pol = base_stock_policy(h, p, PG_ARGISNULL(6) ? 0.0 : arg_or_nan(fcinfo, 6, "order_cost"), demand_args(fcinfo, 0, 1, 8),
                                       int_arg(fcinfo, 2, "lead_time"), int_arg(fcinfo, 3, "review_period"),
                                       arg(fcinfo, 7, "service_level"));
  return policy_datum(fcinfo, pol);
}
