// Forecast combination: the mean or median of several methods' forecasts of
// one series, with prediction intervals of the combined forecast. Used by
// `auto` (forecast_select.cpp); exposed for its tests.
#pragma once

#include <string>
#include <vector>

#include "supplyml/forecast.hpp"
#include "supplyml/forecast_arima.hpp"

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

// `auto`'s pooled combination in steps (forecast_select.cpp), so that the
// rule can be scored on validation data (bench/forecast/validate_auto.cpp)
// with the code that runs it.

// The members of `auto`'s combination for a season length, in order.
std::vector<std::string> auto_members(int season);

struct HoldoutMember {
  std::string name;
  std::vector<double> point, abs_err;  // forecast of the held-out periods, absolute errors
  double mae = 0;
};
struct HoldoutTrials {
  int v = 0;                          // periods held out
  std::vector<double> actual;         // their values
  std::vector<HoldoutMember> tried;   // the members that fitted the shortened series
  EtsFit ets_full;                    // automatic ETS on the whole series
  bool have_ets = false;
  ArimaFit arima_full;                // automatic ARIMA on the whole series (member "arima")
  bool have_arima = false;
};

// Fits each member on y less its last v periods (v from opt.holdout, see
// ForecastOptions) and scores it there. v = 0 or no member fitted: tried empty.
HoldoutTrials auto_holdout(const std::vector<double>& y, int h, const ForecastOptions& opt,
                           const std::vector<std::string>& members, Interrupt& interrupt);

// Index in t.tried of the best member (smallest holdout MAE, the first of
// equals) and of those kept with it: members whose absolute errors exceed the
// best one's by at most `pool` standard errors of the mean paired difference.
std::size_t best_member(const HoldoutTrials& t);
std::vector<std::size_t> pool_members(const HoldoutTrials& t, double pool);

// A member fitted on the whole series, h ahead (empty point when it fails).
ForecastOutput auto_member(const HoldoutTrials& t, const std::string& name,
                           const std::vector<double>& y, int h, const ForecastOptions& opt,
                           Interrupt& interrupt);

// What `auto` returns from the kept members' whole-series forecasts
// (fits[i] for t.tried[kept[i]]; unusable ones are dropped): one member's
// forecast, or their mean or median, with params, labels and a note that say
// what was combined and why. Empty point when no fit is usable.
ForecastOutput pooled_forecast(const std::vector<double>& y, const HoldoutTrials& t,
                               const std::vector<std::size_t>& kept,
                               std::vector<ForecastOutput> fits, double pool, CombineRule rule);

}  // namespace supplyml
