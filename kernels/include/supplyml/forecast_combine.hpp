// Forecast combination: the mean or median of several methods' forecasts of
// one series, with prediction intervals of the combined forecast. Used by
// `auto` (forecast_select.cpp); exposed for its tests.
#pragma once

#include <string>
#include <vector>

#include "supplyml/forecast.hpp"

namespace supplyml {

enum class CombineRule { kMean, kMedian };

struct CombineMember {
  std::string name;     // what the member reports as its method, e.g. "ETS(M,Ad,N)", "theta"
  ForecastOutput out;   // its forecast: point, lower, upper over the horizon; fitted (may be empty)
};

// Combines members of equal horizon (at least one). The point forecast is
// the mean or the median of the members' points. Interval half-widths, taken
// on each side of each member's point, are combined as the error of an
// equally weighted average of correlated errors:
//   w_h = sqrt(sum_ij rho_ij d_i,h d_j,h) / k
// where d_i,h is member i's half-width at step h and rho_ij the correlation
// of the members' in-sample one-step errors y_t - fitted_t (1 where a member
// has no fitted values or fewer than 3 common periods; clipped to [0, 1], so
// combining never narrows an interval below what independent errors give and
// never widens it beyond the mean width). The bounds are the combined point
// -/+ these widths. Fitted values are the same combination of the members'
// fitted values where all are finite. params holds, per member, "weight.NAME"
// (its weight in the mean, 1/k; for the median the share of steps it gave the
// middle value, split between the two middle members when k is even).
ForecastOutput combine_forecasts(const std::vector<double>& y, const std::vector<CombineMember>& members,
                                 CombineRule rule);

// Correlation matrix (row-major, k x k) of the members' in-sample one-step
// errors, as combine_forecasts uses it.
std::vector<double> member_error_correlation(const std::vector<double>& y,
                                             const std::vector<CombineMember>& members);

}  // namespace supplyml
