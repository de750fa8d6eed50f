// Small statistics used by the forecasting methods: classical decomposition,
// autocorrelation, quantiles, accuracy measures.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "supplyml/interrupt.hpp"

namespace supplyml {

// Seasonal component of R's decompose(): centred moving average trend, the
// per-position mean of the detrended series, normalised to mean 0 (additive)
// or 1 (multiplicative), repeated over the n observations.
std::vector<double> classical_seasonal(const std::vector<double>& y, int m, bool multiplicative);

// Sample autocorrelations at lags 1..max_lag (R's acf); O(n * max_lag), so
// it polls `interrupt` (when given) once per lag.
std::vector<double> autocorrelation(const std::vector<double>& y, int max_lag,
                                    Interrupt* interrupt = nullptr);

// Quantile with linear interpolation (R's type 7); sorts v.
double sample_quantile(std::vector<double>& v, double p);

// Deterministic standard normal draw (Box-Muller on the engine's output),
// identical on every platform for a given seed.
inline double standard_normal(std::mt19937_64& rng) {
  const double u1 = (static_cast<double>(rng() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  const double u2 = static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// Point accuracy as in the M4 competition. MASE scales by the in-sample mean
// absolute lag-m difference of the training series; it is NaN (undefined)
// when that difference is zero, as for a constant or all-zero series.
double smape(const double* actual, const double* fc, int h);
double mase(const double* actual, const double* fc, int h, const std::vector<double>& train, int m);

}  // namespace supplyml
