#include "supplyml/forecast_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace supplyml {

std::vector<double> classical_seasonal(const std::vector<double>& y, int m, bool multiplicative) {
  const int n = static_cast<int>(y.size());
  // Centred moving average: weights 1/m (odd m) or (0.5, 1, ..., 1, 0.5)/m.
  std::vector<double> w;
  if (m % 2 == 0) {
    w.assign(m + 1, 1.0 / m);
    w.front() = w.back() = 0.5 / m;
  } else {
    w.assign(m, 1.0 / m);
  }
  const int half = static_cast<int>(w.size()) / 2;
  std::vector<double> detr(n, NAN);
  for (int i = half; i + half < n; i++) {
    double t = 0;
    for (int j = 0; j < static_cast<int>(w.size()); j++) t += w[j] * y[i - half + j];
    detr[i] = multiplicative ? y[i] / t : y[i] - t;
  }
  std::vector<double> figure(m, 0.0);
  for (int k = 0; k < m; k++) {
    double s = 0;
    int c = 0;
    for (int i = k; i < n; i += m)
      if (!std::isnan(detr[i])) {
        s += detr[i];
        c++;
      }
    figure[k] = c ? s / c : NAN;
  }
  double mean = 0;
  for (double f : figure) mean += f;
  mean /= m;
  for (double& f : figure) f = multiplicative ? f / mean : f - mean;
  std::vector<double> out(n);
  for (int i = 0; i < n; i++) out[i] = figure[i % m];
  return out;
}

std::vector<double> autocorrelation(const std::vector<double>& y, int max_lag,
                                    Interrupt* interrupt) {
  const int n = static_cast<int>(y.size());
  double mean = 0;
  for (double v : y) mean += v;
  mean /= n;
  double c0 = 0;
  for (double v : y) c0 += (v - mean) * (v - mean);
  std::vector<double> r(max_lag);
  for (int k = 1; k <= max_lag; k++) {
    if (interrupt) interrupt->poll();
    double c = 0;
    for (int i = 0; i + k < n; i++) c += (y[i] - mean) * (y[i + k] - mean);
    r[k - 1] = c0 > 0 ? c / c0 : 0;
  }
  return r;
}

double sample_quantile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  const double pos = p * (v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

double smape(const double* actual, const double* fc, int h) {
  double s = 0;
  for (int i = 0; i < h; i++) {
    const double d = std::fabs(actual[i]) + std::fabs(fc[i]);
    s += d > 0 ? 200.0 * std::fabs(actual[i] - fc[i]) / d : 0.0;
  }
  return s / h;
}

double mase(const double* actual, const double* fc, int h, const std::vector<double>& train, int m) {
  const int n = static_cast<int>(train.size());
  if (m >= n) m = 1;
  double scale = 0;
  for (int i = m; i < n; i++) scale += std::fabs(train[i] - train[i - m]);
  scale /= (n - m);
  // A constant (or all-zero) training series has no in-sample error to scale by.
  if (!(scale > 0) || !std::isfinite(scale)) return std::numeric_limits<double>::quiet_NaN();
  double err = 0;
  for (int i = 0; i < h; i++) err += std::fabs(actual[i] - fc[i]);
  return err / h / scale;
}

}  // namespace supplyml
