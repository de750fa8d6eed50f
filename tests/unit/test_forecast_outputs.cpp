// Forecast outputs against R's forecast (tests/fixtures/forecast_outputs.csv,
// made by forecast_outputs_reference.R): intervals at 80 and 95 % of every
// method with R intervals, fitted values and residuals, and non-negative
// forecasts fitted on log(y) and log(1 + y).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "forecast_test_data.hpp"
#include "supplyml/error.hpp"
#include "supplyml/forecast.hpp"

using namespace supplyml;
using namespace forecast_test;

namespace {

// case -> kind -> level (0 when none) -> values in order.
using Reference = std::map<std::string, std::map<std::string, std::map<int, std::vector<double>>>>;

const Reference& reference() {
  static const Reference ref = [] {
    Reference r;
    for (const auto& row : read_csv(fixture("forecast_outputs.csv"))) {
      const int level = row[2] == "NA" ? 0 : std::atoi(row[2].c_str());
      r[row[0]][row[1]][level].push_back(std::atof(row[4].c_str()));
    }
    return r;
  }();
  return ref;
}

const std::vector<double>& ref(const std::string& c, const std::string& kind, int level = 0) {
  const auto& v = reference().at(c).at(kind).at(level);
  return v;
}

// Largest relative gap (absolute below 1) of two series of equal length;
// NaN on one side only counts as a mismatch.
double gap(const std::vector<double>& got, const std::vector<double>& want) {
  EXPECT_EQ(got.size(), want.size());
  double worst = 0;
  for (std::size_t i = 0; i < std::min(got.size(), want.size()); i++) {
    if (std::isnan(got[i]) || std::isnan(want[i])) {
      if (std::isnan(got[i]) != std::isnan(want[i])) worst = INFINITY;
      continue;
    }
    worst = std::max(worst, std::fabs(got[i] - want[i]) / std::max(1.0, std::fabs(want[i])));
  }
  return worst;
}

struct Case {
  const char* name;
  const char* method;
  int season;
  bool nonnegative;
  double tol;
};

ForecastOptions options_of(const Case& c) {
  ForecastOptions o;
  o.method = c.method;
  o.season = c.season;
  o.nonnegative = c.nonnegative;
  if (std::string(c.method) == "arima") {
    o.arima.p = 0, o.arima.d = 1, o.arima.q = 1;
    o.arima.P = 0, o.arima.D = 1, o.arima.Q = 1;
  }
  return o;
}

const Case kCases[] = {
    {"naive", "naive", 1, false, 1e-9},   {"snaive", "snaive", 12, false, 1e-9},
    {"mean", "mean", 1, false, 1e-9},     {"drift", "drift", 1, false, 1e-9},
    {"ses", "ses", 1, false, 1e-6},       {"damped", "damped", 1, false, 1e-6},
    {"theta", "theta", 12, false, 1e-6},  {"ets", "ets", 12, false, 1e-6},
    {"arima", "arima", 12, false, 1e-6},  {"ets_log", "ets", 12, true, 1e-6},
    {"arima_log", "arima", 12, true, 1e-6},
};

}  // namespace

TEST(ForecastOutputs, IntervalLevelsAcceptPercentsAndFractions) {
  EXPECT_DOUBLE_EQ(interval_level(95), 0.95);
  EXPECT_DOUBLE_EQ(interval_level(0.95), 0.95);
  EXPECT_DOUBLE_EQ(interval_level(80), 0.8);
  EXPECT_DOUBLE_EQ(interval_level(1), 0.01);  // as R: 1 is a percent
  for (double bad : {0.0, -5.0, 100.0, 150.0, 1e-9, static_cast<double>(NAN)})
    EXPECT_THROW(interval_level(bad), Error) << bad;
  try {
    interval_level(100);
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22023");
  }
}

// Every method at 80 and 95 % at once equals R's forecast(..., level = c(80, 95)).
TEST(ForecastOutputs, SeveralLevelsMatchR) {
  const std::vector<double> y = air_passengers();
  for (const Case& c : kCases) {
    Interrupt intr;
    const auto outs = forecast_series_levels(y, 24, options_of(c), {0.8, 0.95}, intr);
    ASSERT_EQ(outs.size(), 2u);
    double worst = gap(outs[0].point, ref(c.name, "point"));
    for (int k = 0; k < 2; k++) {
      const int level = k == 0 ? 80 : 95;
      EXPECT_EQ(outs[k].point, outs[0].point) << c.name;
      worst = std::max({worst, gap(outs[k].lower, ref(c.name, "lower", level)),
                        gap(outs[k].upper, ref(c.name, "upper", level))});
    }
    EXPECT_LE(worst, c.tol) << c.name << " (" << outs[0].method << ")";
    std::printf("%-10s %-28s largest gap to R at 80 and 95 %%: %.2e\n", c.name, outs[0].method.c_str(),
                worst);
  }
}

// One-step fitted values and residuals (y - fitted) as R's fitted().
TEST(ForecastOutputs, FittedValuesMatchR) {
  const std::vector<double> y = air_passengers();
  for (const Case& c : kCases) {
    if (reference().at(c.name).count("fitted") == 0) continue;
    Interrupt intr;
    const ForecastOutput f = forecast_series(y, 1, options_of(c), intr);
    std::vector<double> resid(y.size());
    for (std::size_t i = 0; i < y.size(); i++) resid[i] = y[i] - f.fitted[i];
    const double worst = std::max(gap(f.fitted, ref(c.name, "fitted")), gap(resid, ref(c.name, "residual")));
    EXPECT_LE(worst, c.tol) << c.name;
    std::printf("%-10s fitted values: largest gap to R %.2e\n", c.name, worst);
  }
}

// A series with zeros: ETS of log(1 + y), additive models only, as R's
// ets(log1p(y), additive.only = TRUE), back-transformed and clipped at 0.
TEST(ForecastOutputs, NonNegativeWithZerosFitsLog1p) {
  const std::vector<double> y = ref("ets_log1p", "series");
  ASSERT_TRUE(std::count(y.begin(), y.end(), 0.0) > 0);
  ForecastOptions o;
  o.method = "ets";
  o.nonnegative = true;
  Interrupt intr;
  const auto outs = forecast_series_levels(y, 12, o, {0.8, 0.95}, intr);
  EXPECT_NE(outs[0].method.find("of log(1+y)"), std::string::npos) << outs[0].method;
  double worst = std::max(gap(outs[0].point, ref("ets_log1p", "point")),
                          gap(outs[0].fitted, ref("ets_log1p", "fitted")));
  for (int k = 0; k < 2; k++) {
    const int level = k == 0 ? 80 : 95;
    worst = std::max({worst, gap(outs[k].lower, ref("ets_log1p", "lower", level)),
                      gap(outs[k].upper, ref("ets_log1p", "upper", level))});
    for (double v : outs[k].lower) EXPECT_GE(v, 0);
  }
  EXPECT_LE(worst, 1e-6);
  std::printf("ets_log1p %s: largest gap to R %.2e\n", outs[0].method.c_str(), worst);
}

// Methods without a transformation are clipped: naive on a falling series
// with wide bounds has negative lower bounds without the option, none with it,
// and the same points where they are positive.
TEST(ForecastOutputs, NonNegativeClipsOtherMethods) {
  const std::vector<double> y = {9, 7, 8, 3, 6, 2, 5, 1, 4, 2};
  for (const char* m : {"naive", "drift", "mean", "ses", "theta", "croston", "auto"}) {
    ForecastOptions o;
    o.method = m;
    Interrupt intr;
    const ForecastOutput plain = forecast_series(y, 6, o, intr);
    o.nonnegative = true;
    const ForecastOutput clipped = forecast_series(y, 6, o, intr);
    for (std::size_t i = 0; i < plain.point.size(); i++) {
      EXPECT_DOUBLE_EQ(clipped.point[i], std::max(0.0, plain.point[i])) << m;
      EXPECT_DOUBLE_EQ(clipped.lower[i], std::max(0.0, plain.lower[i])) << m;
      EXPECT_DOUBLE_EQ(clipped.upper[i], std::max(0.0, plain.upper[i])) << m;
    }
    ASSERT_FALSE(clipped.labels.empty());
    EXPECT_EQ(clipped.labels.back().first, "transform");
    EXPECT_EQ(clipped.labels.back().second, std::vector<std::string>{"clip"});
  }
  // A series with a negative value is not transformed, only clipped.
  ForecastOptions o;
  o.method = "ets";
  o.nonnegative = true;
  Interrupt intr;
  std::vector<double> neg = y;
  neg[3] = -2;
  const ForecastOutput f = forecast_series(neg, 4, o, intr);
  EXPECT_EQ(f.method.find("log"), std::string::npos) << f.method;
  for (double v : f.lower) EXPECT_GE(v, 0);
}

// The backtest's windows: cuts at n - w h, each forecast that of the
// truncated series.
TEST(ForecastOutputs, BacktestWindowsAreForecastsOfTruncatedSeries) {
  const std::vector<double> y = air_passengers();
  ForecastOptions o;
  o.method = "snaive";
  o.season = 12;
  Interrupt intr;
  const auto ws = backtest_windows(y, 12, 3, o, intr);
  ASSERT_EQ(ws.size(), 3u);
  for (int w = 0; w < 3; w++) {
    EXPECT_EQ(ws[w].cut, 144 - (3 - w) * 12);
    // Seasonal naive: the forecast repeats the last season of the training part.
    for (int k = 0; k < 12; k++) EXPECT_EQ(ws[w].out.point[k], y[ws[w].cut - 12 + k]);
  }
  EXPECT_THROW(backtest_windows(y, 50, 3, o, intr), Error);
}
