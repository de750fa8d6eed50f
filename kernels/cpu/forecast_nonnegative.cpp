// Non-negative forecasts (option nonnegative). ETS and ARIMA are fitted on
// the logarithm of the series, as R's forecast does with lambda = 0, so that
// back-transformed bounds stay positive and widen with the level; a series
// with zeros is fitted on log(1 + y) instead (R: ets(log1p(y)) and expm1 of
// the forecast). ETS on a transformed series is restricted to additive
// models, as R's ets(lambda = ...) is. Back-transformed points are medians
// (R's biasadj = FALSE, its default). Every other method, an ETS model with
// a multiplicative component asked for, and a series with negative values
// are forecast as they are and clipped at 0.
#include <algorithm>
#include <cmath>

#include "forecast_internal.hpp"
#include "supplyml/error.hpp"

namespace supplyml {
namespace {

void clip(std::vector<double>& v) {
  for (double& x : v)
    if (x < 0) x = 0;  // NaN (no fitted value) stays NaN
}

void back_transform(std::vector<double>& v, bool shifted) {
  for (double& x : v)
    if (!std::isnan(x)) x = shifted ? std::expm1(x) : std::exp(x);
}

void add_note(ForecastOutput& out, const std::string& note) {
  out.note = out.note.empty() ? note : out.note + "; " + note;
}

}  // namespace

ForecastOutput forecast_nonnegative(const std::vector<double>& y, int h, const ForecastOptions& opt,
                                    Interrupt& interrupt) {
  ForecastOptions o = opt;
  o.nonnegative = false;
  const bool negative = std::any_of(y.begin(), y.end(), [](double v) { return v < 0; });
  const bool multiplicative = o.ets.error == 'M' || o.ets.trend == 'M' || o.ets.season == 'M';
  const bool transform = !negative && (o.method == "arima" || (o.method == "ets" && !multiplicative));
  ForecastOutput out;
  if (transform) {
    const bool shifted = std::any_of(y.begin(), y.end(), [](double v) { return v == 0; });
    std::vector<double> z(y.size());
    for (std::size_t i = 0; i < y.size(); i++) z[i] = shifted ? std::log1p(y[i]) : std::log(y[i]);
    if (o.method == "ets") o.ets.error = 'A';
    out = forecast_series(z, h, o, interrupt);
    for (auto* v : {&out.point, &out.lower, &out.upper, &out.fitted}) back_transform(*v, shifted);
    for (std::size_t i = 0; i < out.point.size(); i++)
      if (!std::isfinite(out.point[i]) || !std::isfinite(out.lower[i]) || !std::isfinite(out.upper[i]))
        throw Error(sqlstate::kNumericOutOfRange, "non-negative forecast overflows",
                    "The forecast of the logarithm of the series, transformed back, exceeds the "
                    "range of float8 at step " + std::to_string(i + 1) + ".",
                    "Use a shorter horizon, or nonnegative false.");
    out.method += shifted ? " of log(1+y)" : " of log(y)";
    out.labels.push_back({"transform", {shifted ? "log1p" : "log"}});
    add_note(out, std::string("fitted on ") + (shifted ? "log(1+y)" : "log(y)") +
                      "; points are back-transformed medians");
  } else {
    out = forecast_series(y, h, o, interrupt);
    out.labels.push_back({"transform", {"clip"}});
    const bool low = std::any_of(out.lower.begin(), out.lower.end(), [](double v) { return v < 0; }) ||
                     std::any_of(out.point.begin(), out.point.end(), [](double v) { return v < 0; });
    if (low) add_note(out, "clipped at 0");
  }
  for (auto* v : {&out.point, &out.lower, &out.upper, &out.fitted}) clip(*v);
  return out;
}

}  // namespace supplyml
