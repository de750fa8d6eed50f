// EOQ, newsvendor, safety stock and reorder points.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "supplyml/error.hpp"
#include "supplyml/inventory.hpp"
#include "supplyml/inventory_loss.hpp"

namespace supplyml {
namespace inv {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void require_positive(double v, const char* name) {
  if (!std::isfinite(v) || !(v > 0.0))
    invalid_parameter(std::string(name) + " must be positive",
                      "The " + std::string(name) + " given is " + number_text(v) + "; it must be a finite number above zero.",
                      "Pass a positive " + std::string(name) + ".");
}

void require_nonnegative(double v, const char* name) {
  if (!std::isfinite(v) || v < 0.0)
    invalid_parameter(std::string(name) + " must not be negative",
                      "The " + std::string(name) + " given is " + number_text(v) + "; it must be a finite number of zero or more.",
                      "Pass a " + std::string(name) + " of zero or more.");
}

void require_probability(double v, const char* name) {
  if (!(v > 0.0 && v < 1.0))
    invalid_parameter(std::string(name) + " must lie strictly between 0 and 1",
                      "The " + std::string(name) + " given is " + number_text(v) + ".",
                      "Pass a value such as 0.95.");
}

ServiceType parse_service_type(const std::string& name) {
  if (name == "cycle" || name == "alpha") return ServiceType::Cycle;
  if (name == "fill_rate" || name == "beta") return ServiceType::FillRate;
  invalid_parameter("unknown service type \"" + name + "\"",
                    "The service type must be cycle (alpha) or fill_rate (beta).", "Pass 'cycle' or 'fill_rate'.");
}

EoqResult eoq(double demand_rate, double order_cost, double holding_cost, double stockout_cost) {
  require_nonnegative(demand_rate, "demand rate");
  require_nonnegative(order_cost, "order cost");
  require_positive(holding_cost, "holding cost");
  EoqResult r{};
  if (std::isnan(stockout_cost)) {
    r.order_quantity = std::sqrt(2.0 * order_cost * demand_rate / holding_cost);
    r.backorder_fraction = 0.0;
    r.cost = r.order_quantity * holding_cost;
  } else {
    require_positive(stockout_cost, "stockout cost");
    r.order_quantity = std::sqrt(2.0 * order_cost * demand_rate * (holding_cost + stockout_cost) /
                                 (holding_cost * stockout_cost));
    r.backorder_fraction = holding_cost / (holding_cost + stockout_cost);
    r.cost = r.order_quantity * (holding_cost * stockout_cost) / (holding_cost + stockout_cost);
  }
  r.cycle_time = demand_rate > 0.0 ? r.order_quantity / demand_rate : kNaN;
  if (!std::isfinite(r.order_quantity) || !std::isfinite(r.cost) ||
      (demand_rate > 0.0 && !std::isfinite(r.cycle_time)))
    throw Error(sqlstate::kNumericOutOfRange, "economic order quantity is out of range",
                "The order quantity, its cost or its cycle time overflows a double precision number for these "
                "arguments.",
                "Express demand and costs in larger units.");
  return r;
}

double newsvendor_cost(double order_up_to, double holding_cost, double stockout_cost, const Demand& d) {
  require_nonnegative(holding_cost, "holding cost");
  require_nonnegative(stockout_cost, "stockout cost");
  if (!std::isfinite(order_up_to))
    invalid_parameter("order-up-to level must be finite", "The level given is not a finite number.",
                      "Pass a finite order-up-to level.");
  if (d.integer() && order_up_to != std::floor(order_up_to))
    invalid_parameter("order-up-to level must be an integer for discrete demand",
                      "The level " + std::to_string(order_up_to) + " has a fractional part.",
                      "Round the level, or use a continuous distribution.");
  // E[(D-S)+] and E[(S-D)+] = S - mu + E[(D-S)+] are never negative; below
  // zero they are rounding noise.
  // A positive spread below about 1e-10 of the mean is lost in the rounding
  // of S - mu: the cost would be rounding noise, even negative.
  if ((d.kind() == Dist::Normal || d.kind() == Dist::Gamma) && d.sd() > 0.0 && d.sd() < d.mean() * 1e-10)
    throw Error(sqlstate::kNumericOutOfRange, "demand standard deviation is too small for its mean",
                "A standard deviation below 1e-10 of the mean is lost in double precision rounding of the cost.",
                "Pass a standard deviation of 0 for deterministic demand, or a larger one.");
  const double n = std::max(0.0, d.loss(order_up_to));
  return holding_cost * std::max(0.0, order_up_to - d.mean() + n) + stockout_cost * n;
}

NewsvendorResult newsvendor(double holding_cost, double stockout_cost, const Demand& d) {
  require_nonnegative(holding_cost, "holding cost");
  require_nonnegative(stockout_cost, "stockout cost");
  if (!(holding_cost + stockout_cost > 0.0))
    invalid_parameter("holding and stockout cost cannot both be zero",
                      "The critical ratio p / (p + h) is undefined when both costs are zero.",
                      "Pass a positive holding or stockout cost.");
  const double alpha = stockout_cost / (stockout_cost + holding_cost);
  NewsvendorResult r{};
  if (alpha >= 1.0 || alpha <= 0.0) {
    if (d.kind() == Dist::Normal || d.kind() == Dist::Gamma)
      invalid_parameter("the critical ratio is 0 or 1", "With a zero holding or stockout cost the optimal level is infinite.",
                        "Pass positive holding and stockout costs.");
  }
  r.order_up_to = d.quantile(alpha);
  if (d.kind() == Dist::Normal && d.sd() > 0.0) {
    // Closed form (h + p) phi(z) sigma, as in Snyder & Shen (4.24).
    const double z = (r.order_up_to - d.mean()) / d.sd();
    r.expected_cost = (holding_cost + stockout_cost) * std_normal_pdf(z) * d.sd();
  } else {
    r.expected_cost = newsvendor_cost(r.order_up_to, holding_cost, stockout_cost, d);
  }
  return r;
}

ServiceResult service_reorder_point(double demand_mean, double demand_sd, double lead_time, double lead_time_sd,
                                    double level, ServiceType type, double order_quantity) {
  require_nonnegative(demand_mean, "demand mean");
  require_nonnegative(demand_sd, "demand standard deviation");
  require_nonnegative(lead_time, "lead time");
  require_nonnegative(lead_time_sd, "lead time standard deviation");
  require_probability(level, "service level");
  ServiceResult r{};
  r.ltd_mean = demand_mean * lead_time;
  // The lead-time term only when there is one: 0 * inf would make sigma NaN.
  r.ltd_sd = std::sqrt(lead_time * demand_sd * demand_sd +
                       (lead_time_sd > 0.0 ? demand_mean * demand_mean * lead_time_sd * lead_time_sd : 0.0));
  if (!std::isfinite(r.ltd_mean) || !std::isfinite(r.ltd_sd))
    throw Error(sqlstate::kNumericOutOfRange, "lead-time demand is out of range",
                "Its mean or standard deviation overflows a double precision number.",
                "Express demand in larger units.");
  if (r.ltd_sd == 0.0) {
    r.reorder_point = r.ltd_mean;
    r.safety_stock = 0.0;
    return r;
  }
  const Demand ltd = Demand::make(Dist::Normal, r.ltd_mean, r.ltd_sd);
  if (type == ServiceType::Cycle) {
    r.reorder_point = ltd.quantile(level);
  } else {
    // 1 - n(r) / Q = beta, with Q one period of demand unless given.
    if (!std::isnan(order_quantity)) require_positive(order_quantity, "order quantity");
    const double q = std::isnan(order_quantity) ? demand_mean : order_quantity;
    r.reorder_point = ltd.inverse_loss((1.0 - level) * q);
  }
  r.safety_stock = r.reorder_point - r.ltd_mean;
  return r;
}
}  // namespace inv
}  // namespace supplyml
