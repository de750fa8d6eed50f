// A reorder policy from a demand history: the kernel behind the aggregate
// supplyml.reorder_policy(period, qty, options). It sorts the rows, fills
// missing periods with zero demand, fits the demand distribution and
// computes the requested policy.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "supplyml/inventory.hpp"

namespace supplyml {
namespace inv {

struct HistoryOptions {
  double lead_time = 1.0;  // periods
  double lead_time_sd = 0.0;
  int review_period = 1;
  double service_level = 0.95;
  std::string service_type = "cycle";
  std::string policy = "rq";          // rq, ss, base_stock
  std::string distribution = "auto";  // auto, normal, poisson, negative_binomial, gamma
  std::string method = "exact";       // (r,Q): exact, loss_function, eoq_ss, eil; (s,S): exact, power
  double holding_cost = std::numeric_limits<double>::quiet_NaN();
  double stockout_cost = std::numeric_limits<double>::quiet_NaN();
  double order_cost = std::numeric_limits<double>::quiet_NaN();
  double order_quantity = std::numeric_limits<double>::quiet_NaN();
  // The history's calendar. Periods are days since 2000-01-01 when `dates`
  // (the date form), else plain integers. freq (dates only): a step of
  // freq_step_us microseconds or freq_months months; both 0 is one period per
  // day or per integer.
  bool dates = false;
  std::int64_t freq_step_us = 0;
  int freq_months = 0;
  bool has_as_of = false;
  std::int64_t as_of = 0;            // last period of the history, in the periods' unit
  std::string negative = "error";    // error, zero, keep
  std::string duplicates = "sum";    // sum, error
};

// Checks ranges and names once, before any row is read.
void validate(const HistoryOptions& o);

struct DemandFit {
  Dist dist;
  double mean, sd;
  long periods, nonzero;
};
// Syntetos-Boylan: mean interval between demands above 1.32 is intermittent;
// intermittent series get Poisson (variance <= mean) or negative binomial.
DemandFit fit_demand(const std::vector<double>& series, const std::string& requested);

// The equally spaced demand of a history: periods and qty are parallel arrays
// in any order; rows after as_of are left out, and the periods up to as_of
// (or the last row) without rows are zero demand; duplicates summed or an
// error, negative quantities an error, zero, or kept. Empty when no row is at
// or before as_of. Errors name the period as a date for the date form.
std::vector<double> demand_series(std::vector<std::int64_t> periods, std::vector<double> qty, const HistoryOptions& o);

// The policy of a demand history (demand_series, fit_demand, policy_from_fit);
// an empty history is an error. `interrupt` (optional) is polled by the
// discrete policy searches.
Policy policy_from_history(std::vector<std::int64_t> periods, std::vector<double> qty, const HistoryOptions& o,
                           Interrupt* interrupt = nullptr);

// The policy for a fitted demand model (the second half of policy_from_history).
Policy policy_from_fit(const DemandFit& fit, const HistoryOptions& o, Interrupt* interrupt = nullptr);

// An (r,Q) policy from a forecast (supplyml.forecast_result): lead-time demand
// normal with the summed point forecasts as mean and the per-period variances,
// read off the `level` prediction intervals, summed.
Policy policy_from_forecast(const std::vector<double>& point, const std::vector<double>& lower,
                            const std::vector<double>& upper, double level, const HistoryOptions& o,
                            Interrupt* interrupt = nullptr);

}  // namespace inv
}  // namespace supplyml
