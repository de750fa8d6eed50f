// Forecasting one series: the methods a planner picks by name, with their
// options, point forecasts and prediction intervals. The SQL layer marshals
// rows into these calls; nothing here knows about PostgreSQL.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "supplyml/forecast_ets.hpp"
#include "supplyml/interrupt.hpp"

namespace supplyml {

// Options of method "arima". Orders below 0 mean "choose automatically";
// "order" given (p >= 0) fixes every order, as forecast::Arima.
struct ArimaOptions {
  int p = -1, d = -1, q = -1;  // "order": [p, d, q]
  int P = -1, D = -1, Q = -1;  // "seasonal_order": [P, D, Q]
  int include_mean = -1;       // -1: as R (allowmean / include.mean)
  int include_drift = -1;      // -1: as R (allowdrift / include.drift = FALSE for Arima)
  int approximation = -1;      // -1: as R (n > 150 or m > 12)
  bool fixed() const { return p >= 0; }
};

struct ForecastOptions {
  std::string method = "auto";  // auto, ets, arima, ses, holt, damped, theta, naive,
                                 // snaive, mean, drift, croston, sba, tsb
  int season = 1;                // season length (1 = none)
  double level = 0.95;           // prediction interval level, in (0, 1)
  EtsChoice ets;                 // model letters for method ets ("ZZZ" = choose)
  EtsFixed fixed;                // fixed smoothing parameters (NaN = estimate)
  double alpha = 0.1;            // Croston / SBA / TSB smoothing of sizes
  double beta = 0.1;             // TSB smoothing of the demand probability
  int holdout = -1;              // auto: periods held out to choose the method
                                 // (-1: min(h, n/4); 0: ETS by information criterion)
  ArimaOptions arima;            // orders and terms of method arima
  double pool = 3.5;             // auto: members kept in the combination are those whose
                                 // holdout absolute errors exceed the best member's by at
                                 // most `pool` standard errors (0: the best member alone)
  std::uint64_t seed = 42;       // simulated intervals
  int nsim = 2000;               // simulated sample paths
  bool nonnegative = false;      // forecasts, bounds and fits kept at or above 0
                                 // (forecast_nonnegative.cpp)
};

struct ForecastOutput {
  std::string method;  // what was fitted, e.g. "ETS(M,Ad,M)", "croston", "naive"
  std::vector<std::pair<std::string, double>> params;
  double aicc = kNaN;  // ETS and ARIMA
  std::vector<double> point, lower, upper;
  std::vector<double> fitted;  // one-step in-sample fits where defined (else empty)
  std::string note;            // fallbacks taken, e.g. all-zero series
  // Named lists of text reported beside params, e.g. auto's
  // {"combined", {"ETS(A,Ad,N)", "theta"}}.
  std::vector<std::pair<std::string, std::vector<std::string>>> labels;
};

// The method names accepted by forecast_series, for validation messages.
const std::vector<std::string>& forecast_methods();

// Throws Error(22023) naming the accepted values when method is unknown.
// Longest horizon accepted (22023 beyond it), and the largest horizon * nsim
// of simulated intervals (54000 beyond it): both bound memory and time.
inline constexpr int kMaxHorizon = 100000;
// Largest magnitude of a series value (22003 beyond it).
inline constexpr double kMaxValue = 1e100;
// Longest season length accepted (22023 beyond it).
inline constexpr int kMaxSeasonLength = 10000;
inline constexpr std::int64_t kMaxSimulatedValues = 10000000;

void validate_forecast_options(const ForecastOptions& opt, int horizon);

// Forecasts y (equally spaced, no gaps, finite) h steps ahead. Errors carry
// no series key; callers add it.
ForecastOutput forecast_series(const std::vector<double>& y, int h, const ForecastOptions& opt,
                               Interrupt& interrupt);

// An interval level as the fraction it stands for: values of 1 and above are
// percents (95 and 0.95 are the same level), as in R's forecast and
// statsforecast. Throws Error(22023) outside (0, 100) or closer to 0 or 100
// than 0.0001 %.
double interval_level(double value);

// The forecast of y at several interval levels (fractions, as
// interval_level returns them), one output per level in the order given.
// Points, fitted values and the method are those of the first; each level's
// bounds are what forecast_series gives at that level.
std::vector<ForecastOutput> forecast_series_levels(const std::vector<double>& y, int h,
                                                   const ForecastOptions& opt,
                                                   const std::vector<double>& levels,
                                                   Interrupt& interrupt);

// Rolling-origin backtest of one series: window w (windows..1) fits the
// first n - w * h values and forecasts the next h. Throws Error(22000) when
// fewer than 2 values are left to fit the first window on.
struct BacktestWindow {
  std::int64_t cut = 0;  // values the window was fitted on (the first forecast's index)
  ForecastOutput out;
};
std::vector<BacktestWindow> backtest_windows(const std::vector<double>& y, int h, int windows,
                                             const ForecastOptions& opt, Interrupt& interrupt);

// Demand classification of Syntetos, Boylan & Croston (2005): ADI, the
// average demand interval (periods per non-zero period, n / k), and CV2, the
// squared coefficient of variation of the k non-zero sizes (sample standard
// deviation, 0 when k < 2). Cut-offs ADI 1.32 and CV2 0.49 split smooth,
// erratic, intermittent and lumpy demand.
struct DemandClass {
  double adi = 0, cv2 = 0;
  bool intermittent() const { return adi >= 1.32; }
  bool variable() const { return cv2 >= 0.49; }
  // "smooth", "erratic", "intermittent" or "lumpy".
  const char* name() const {
    return intermittent() ? (variable() ? "lumpy" : "intermittent")
                          : (variable() ? "erratic" : "smooth");
  }
};
DemandClass classify_demand(const std::vector<double>& y);

}  // namespace supplyml
