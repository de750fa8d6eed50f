// ARIMA against R's forecast package: fixed-order fits (forecast::Arima) and
// automatic selection (forecast::auto.arima) on AirPassengers, M3 monthly
// and M4 weekly and hourly series. The references and the series come from
// tests/fixtures/arima_reference.R (arima_fixed.csv, arima_auto.csv).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "forecast_test_data.hpp"
#include "supplyml/error.hpp"
#include "supplyml/forecast_arima.hpp"

using namespace supplyml;
using forecast_test::fixture;
using forecast_test::numbers;
using forecast_test::read_csv;

namespace {

struct Ref {
  std::string id;
  int m = 1, h = 1;
  std::vector<double> y;
  std::vector<int> order;  // p d q P D Q
  bool mean = false, drift = false;
  std::vector<std::string> names;
  std::vector<double> coef;
  double sigma2 = 0, loglik = 0, aicc = 0;
  std::string model;
  std::vector<double> forecast, lower, upper;
};

std::vector<Ref> refs(const std::string& file) {
  std::vector<Ref> out;
  for (const auto& r : read_csv(fixture(file))) {
    Ref x;
    x.id = r[0];
    x.m = std::atoi(r[1].c_str());
    x.h = std::atoi(r[2].c_str());
    x.y = numbers(r[3]);
    for (double v : numbers(r[4])) x.order.push_back(static_cast<int>(v));
    x.mean = r[5] == "1";
    x.drift = r[6] == "1";
    std::istringstream is(r[7]);
    std::string w;
    while (is >> w) x.names.push_back(w);
    x.coef = numbers(r[8]);
    x.sigma2 = std::atof(r[9].c_str());
    x.loglik = std::atof(r[10].c_str());
    x.aicc = std::atof(r[11].c_str());
    x.model = r[12];
    x.forecast = numbers(r[13]);
    x.lower = numbers(r[14]);
    x.upper = numbers(r[15]);
    out.push_back(std::move(x));
  }
  return out;
}

double rel(double a, double b) { return std::fabs(a - b) / std::max(std::fabs(b), 1e-3); }

}  // namespace

TEST(ForecastArima, FixedOrdersMatchRArima) {
  const auto rows = refs("arima_fixed.csv");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& r : rows) {
    SCOPED_TRACE(r.id + " " + r.model);
    ArimaOptions o;
    o.p = r.order[0], o.d = r.order[1], o.q = r.order[2];
    o.P = r.order[3], o.D = r.order[4], o.Q = r.order[5];
    o.include_mean = r.mean;
    o.include_drift = r.drift;
    Interrupt intr;
    const ArimaFit f = arima_fit_fixed(r.y, r.m, o, intr);
    EXPECT_EQ(f.name(), r.model);
    ASSERT_EQ(f.names, r.names);
    EXPECT_LT(rel(f.loglik, r.loglik), 1e-6) << f.loglik << " vs " << r.loglik;
    for (std::size_t i = 0; i < r.coef.size(); i++)
      EXPECT_NEAR(f.coef[i], r.coef[i], 1e-6 * std::max(1.0, std::fabs(r.coef[i]))) << r.names[i];
    EXPECT_LT(rel(f.sigma2, r.sigma2), 1e-5);
    EXPECT_LT(rel(f.aicc, r.aicc), 1e-6);
    std::vector<double> mean, lo, hi;
    arima_forecast(f, r.y, r.h, 0.95, mean, lo, hi);
    for (int i = 0; i < r.h; i++) {
      EXPECT_NEAR(mean[i], r.forecast[i], 1e-5 * std::max(1.0, std::fabs(r.forecast[i])));
      EXPECT_NEAR(hi[i] - lo[i], r.upper[i] - r.lower[i], 1e-4 * std::max(1.0, r.upper[i] - r.lower[i]));
    }
  }
}

namespace {

// auto.arima's orders on at least 80 % of the rows of a fixture; where the
// orders agree, coefficients within 1e-4 and forecasts and interval widths
// within 1 %.
void expect_auto_as_r(const std::vector<Ref>& rows) {
  int agree = 0, coef_ok = 0, fc_ok = 0;
  for (const auto& r : rows) {
    ArimaOptions o;
    Interrupt intr;
    const ArimaFit f = arima_fit_auto(r.y, r.m, o, intr);
    if (f.name() != r.model) {
      std::printf("  %-18s R %-34s here %s\n", r.id.c_str(), r.model.c_str(), f.name().c_str());
      continue;
    }
    agree++;
    bool ok = f.names == r.names;
    for (std::size_t i = 0; ok && i < r.coef.size(); i++)
      ok = std::fabs(f.coef[i] - r.coef[i]) <= 1e-4 * std::max(std::fabs(r.coef[i]), 1e-2);
    coef_ok += ok;
    if (!ok) std::printf("  %-18s %s: coefficients differ\n", r.id.c_str(), r.model.c_str());
    std::vector<double> mean, lo, hi;
    arima_forecast(f, r.y, r.h, 0.95, mean, lo, hi);
    bool fok = true;
    for (int i = 0; i < r.h; i++)
      fok = fok && std::fabs(mean[i] - r.forecast[i]) <= 0.01 * std::max(std::fabs(r.forecast[i]), 1e-6) &&
            std::fabs((hi[i] - lo[i]) - (r.upper[i] - r.lower[i])) <= 0.01 * (r.upper[i] - r.lower[i]);
    fc_ok += fok;
    if (!fok) std::printf("  %-18s %s: forecasts differ\n", r.id.c_str(), r.model.c_str());
  }
  const int n = static_cast<int>(rows.size());
  std::printf("orders as R: %d of %d; coefficients within 1e-4: %d; forecasts within 1 %%: %d\n",
              agree, n, coef_ok, fc_ok);
  EXPECT_GE(agree, 0.8 * n);
  EXPECT_EQ(coef_ok, agree);
  EXPECT_EQ(fc_ok, agree);
}

}  // namespace

TEST(ForecastArima, AutoOrdersMatchRAutoArima) {
  const auto rows = refs("arima_auto.csv");
  ASSERT_GE(rows.size(), 120u);
  expect_auto_as_r(rows);
}

// M4 hourly series (their last 240 hours), season 24: auto.arima's
// approximate search (m > 12) and the seasonal-strength rule for D.
TEST(ForecastArima, HourlyOrdersMatchRAutoArima) {
  const auto rows = refs("arima_hourly.csv");
  ASSERT_GE(rows.size(), 4u);
  for (const auto& r : rows) EXPECT_EQ(r.m, 24) << r.id;
  expect_auto_as_r(rows);
}
