// What forecasting returns besides one forecast: interval levels given as
// fractions or percents, the same forecast at several levels, and the
// forecasts of a rolling-origin backtest.

#include "supplyml/error.hpp"
#include "supplyml/forecast.hpp"

namespace supplyml {

double interval_level(double value) {
  const double f = value >= 1 ? value / 100 : value;
  if (!(f >= 1e-6 && f <= 1 - 1e-6)) {
    invalid_parameter("level must be between 0 and 100",
                      "The prediction interval level was " + number_text(value) +
                          "; levels of 1 and above are percents, levels below 1 fractions, "
                          "and neither may be within 0.0001 % of 0 or 100.",
                      "Use for example 95 or 0.95 for 95 % intervals.");
  }
  return f;
}

std::vector<ForecastOutput> forecast_series_levels(const std::vector<double>& y, int h,
                                                   const ForecastOptions& opt,
                                                   const std::vector<double>& levels,
                                                   Interrupt& interrupt) {
  if (levels.empty())
    invalid_parameter("level must hold at least one value", "The array of interval levels was empty.",
                      "Pass one level such as 95, or several such as '{80,95}'.");
  // Each level is its own call: the fit is deterministic (seeded simulations
  // included), so points agree, and every method's bounds are computed the
  // way it computes them at that level (normal, Student t, simulated or
  // empirical quantiles, back-transformed), with no shortcut to get wrong.
  std::vector<ForecastOutput> out;
  for (double level : levels) {
    ForecastOptions o = opt;
    o.level = level;
    out.push_back(forecast_series(y, h, o, interrupt));
    if (out.size() > 1) {
      out.back().point = out.front().point;
      out.back().method = out.front().method;
    }
  }
  return out;
}

std::vector<BacktestWindow> backtest_windows(const std::vector<double>& y, int h, int windows,
                                             const ForecastOptions& opt, Interrupt& interrupt) {
  const std::int64_t n = static_cast<std::int64_t>(y.size());
  if (n - static_cast<std::int64_t>(windows) * h < 2)
    data_error("series too short for the backtest",
               "The series has " + std::to_string(n) + " periods; " + std::to_string(windows) +
                   " windows of horizon " + std::to_string(h) + " leave too few to train on.",
               "Use fewer windows or a shorter horizon.");
  std::vector<BacktestWindow> out;
  for (int w = windows; w >= 1; w--) {
    interrupt.poll();
    BacktestWindow b;
    b.cut = n - static_cast<std::int64_t>(w) * h;
    const std::vector<double> train(y.begin(), y.begin() + b.cut);
    b.out = forecast_series(train, h, opt, interrupt);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace supplyml
