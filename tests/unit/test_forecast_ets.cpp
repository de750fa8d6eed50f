// ETS against R's forecast package (fixtures from tests/fixtures/forecast_reference.R).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include <Eigen/Dense>

#include "forecast_test_data.hpp"
#include "supplyml/forecast.hpp"
#include "supplyml/forecast_stats.hpp"

using namespace supplyml;
using namespace forecast_test;

namespace {

ets::Spec parse_spec(const std::string& name) {  // "ETS(M,Ad,M)"
  auto kind = [](char c) { return c == 'N' ? ets::kNone : c == 'A' ? ets::kAdd : ets::kMult; };
  ets::Spec s;
  s.error = kind(name[4]);
  s.trend = kind(name[6]);
  s.damped = name[7] == 'd';
  s.season = kind(name[s.damped ? 9 : 8]);
  return s;
}

struct FixedCase {
  std::map<std::string, std::vector<double>> v;
};

std::map<std::string, FixedCase> fixed_cases() {
  std::map<std::string, FixedCase> out;
  for (const auto& r : read_csv(fixture("forecast_ets_fixed.csv")))
    out[r[0]].v[r[1]].push_back(std::atof(r[3].c_str()));
  return out;
}

void expect_rel(double want, double got, double tol, const std::string& what) {
  EXPECT_LE(std::fabs(want - got), tol * std::max(1.0, std::fabs(want))) << what << ": R " << want
                                                                         << " ours " << got;
}

}  // namespace

// The recursions replayed from R's parameters and initial states give R's
// fitted values, forecasts and (additive errors) interval bounds.
TEST(ForecastEts, FixedParametersMatchR) {
  const std::vector<double> y = air_passengers();
  const auto cases = fixed_cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const auto& [name, c] : cases) {
    EtsFit fit;
    fit.spec = parse_spec(name);
    fit.m = fit.spec.season ? 12 : 1;
    const auto& p = c.v.at("param");
    fit.par = {p[0], p[1], p[2], p[3]};
    fit.x0 = c.v.at("state");
    ets_replay(y, fit);
    const auto& fitted = c.v.at("fitted");
    ASSERT_EQ(fitted.size(), y.size());
    for (std::size_t i = 0; i < y.size(); i++) expect_rel(fitted[i], fit.fitted[i], 1e-6, name);
    // R's sigma2: squared errors over n minus the parameter and state count.
    const int nfree = 1 + (fit.spec.trend ? 1 : 0) + (fit.spec.season ? fit.m - 1 : 0) + 1 +
                      (fit.spec.trend ? 1 : 0) + (fit.spec.season ? 1 : 0) + (fit.spec.damped ? 1 : 0);
    double sse = 0;
    for (double e : fit.resid) sse += e * e;
    fit.sigma2 = sse / (y.size() - nfree);
    std::vector<double> fc, lo, hi;
    ets_forecast(fit, 24, 0.95, 1, 1, fc, lo, hi);
    const auto& rf = c.v.at("forecast");
    for (int i = 0; i < 24; i++) expect_rel(rf[i], fc[i], 1e-6, name + " forecast");
    expect_rel(c.v.at("lik")[0], fit.lik, 1e-6, name + " likelihood");
    if (c.v.count("lower")) {
      for (int i = 0; i < 24; i++) {
        expect_rel(c.v.at("lower")[i], lo[i], 1e-6, name + " lower");
        expect_rel(c.v.at("upper")[i], hi[i], 1e-6, name + " upper");
      }
    }
  }
}

// With the smoothing parameters fixed, our estimate of the initial states
// reaches R's likelihood.
TEST(ForecastEts, FixedParametersStateEstimateMatchesR) {
  const std::vector<double> y = air_passengers();
  Interrupt intr;
  for (const auto& [name, c] : fixed_cases()) {
    const ets::Spec spec = parse_spec(name);
    const auto& p = c.v.at("param");
    EtsFixed fx{p[0], spec.trend ? p[1] : kNaN, spec.season ? p[2] : kNaN,
                spec.damped ? p[3] : kNaN};
    EtsFit fit = ets_fit(y, 12, spec, fx, false, intr);
    ASSERT_TRUE(fit.ok()) << name;
    EXPECT_NEAR(fit.lik, c.v.at("lik")[0], 0.5) << name;
  }
}

struct AutoRef {
  std::string id, method;
  double aicc;
  std::vector<double> fc;
};

std::vector<AutoRef> auto_refs() {
  std::vector<AutoRef> out;
  for (const auto& r : read_csv(fixture("forecast_ets_auto.csv")))
    out.push_back({r[0], r[1], std::atof(r[2].c_str()), numbers(r[3])});
  return out;
}

TEST(ForecastEts, AutoAirPassengersChoosesMAdM) {
  const auto refs = auto_refs();
  ASSERT_EQ(refs[0].id, "AirPassengers");
  Interrupt intr;
  EtsFit fit = ets_auto(air_passengers(), 12, EtsChoice{}, EtsFixed{}, intr);
  EXPECT_EQ(fit.name(), refs[0].method);
  EXPECT_EQ(fit.name(), "ETS(M,Ad,M)");
  EXPECT_NEAR(fit.aicc, refs[0].aicc, 0.5);
  std::vector<double> fc, lo, hi;
  ets_forecast(fit, 24, 0.95, 1, 10, fc, lo, hi);
  for (int i = 0; i < 24; i++) EXPECT_NEAR(fc[i], refs[0].fc[i], 0.05 * refs[0].fc[i]);
}

// 30 weekly and 30 hourly M4 series: the chosen model equals R's on at least
// 90 %, and where it differs the forecasts are within 2 % sMAPE of R's.
TEST(ForecastEts, AutoM4AgreesWithR) {
  const auto refs = auto_refs();
  std::map<std::string, std::vector<double>> series;
  for (auto& s : m4("Weekly-train.csv", 30)) series[s.id] = s.y;
  for (auto& s : m4("Hourly-train.csv", 30)) series[s.id] = s.y;
  Interrupt intr;
  int total = 0, same = 0;
  for (std::size_t k = 1; k < refs.size(); k++) {
    const auto& r = refs[k];
    const int m = r.id[0] == 'H' ? 24 : 1;
    const int h = static_cast<int>(r.fc.size());
    EtsFit fit = ets_auto(series.at(r.id), m, EtsChoice{}, EtsFixed{}, intr);
    std::vector<double> fc, lo, hi;
    ets_forecast(fit, h, 0.95, 1, 10, fc, lo, hi);
    total++;
    if (fit.name() == r.method) {
      same++;
    } else {
      EXPECT_LT(smape(r.fc.data(), fc.data(), h), 2.0)
          << r.id << ": R " << r.method << ", ours " << fit.name();
    }
  }
  EXPECT_GE(total, 50);
  EXPECT_GE(same, 0.9 * total) << same << " of " << total << " models agree";
  std::printf("auto ETS: %d of %d M4 series choose R's model\n", same, total);
}

// The admissibility test (Schur-Cohn) agrees with the largest eigenvalue of
// the companion matrix of R's characteristic polynomial.
TEST(ForecastEts, AdmissibilityMatchesCompanionEigenvalues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  int agree = 0, total = 0, admissible = 0;
  for (int it = 0; it < 4000; it++) {
    const int m = 2 + static_cast<int>(u(rng) * 23);
    const double alpha = u(rng), beta = u(rng) * alpha, gamma = u(rng) * (1 - alpha);
    const double phi = 0.8 + 0.2 * u(rng);
    // R's easy tests first, as in admissible().
    if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) continue;
    if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) continue;
    if (beta < -(1 - phi) * (gamma / m + alpha)) continue;
    std::vector<double> c = {1, alpha + beta - phi};
    for (int i = 0; i < m - 2; i++) c.push_back(alpha + beta - alpha * phi);
    c.push_back(alpha + beta - alpha * phi + gamma - 1);
    c.push_back(phi * (1 - alpha - gamma));
    const int d = static_cast<int>(c.size()) - 1;
    Eigen::MatrixXd comp = Eigen::MatrixXd::Zero(d, d);
    for (int j = 0; j < d; j++) comp(0, j) = -c[j + 1];
    for (int i = 1; i < d; i++) comp(i, i - 1) = 1.0;
    Eigen::EigenSolver<Eigen::MatrixXd> es(comp, false);
    double mx = 0;
    for (int i = 0; i < d; i++) mx = std::max(mx, std::abs(es.eigenvalues()[i]));
    if (std::fabs(mx - 1) < 1e-6) continue;  // too close to call for either method
    const bool want = mx <= 1 + 1e-10;
    total++;
    admissible += want;
    agree += want == ets_admissible(alpha, beta, gamma, phi, m, true, true);
  }
  EXPECT_GT(total, 1000);
  EXPECT_GT(admissible, 100);
  EXPECT_LT(admissible, total);
  EXPECT_EQ(agree, total);
}

// Simulated intervals of the multiplicative models against R's simulated
// intervals (forecast(simulate = TRUE, npaths = 20000)), both replayed from
// R's parameters and states. Each bound is an empirical 2.5 % / 97.5 %
// quantile of N = 20000 paths; its standard error is about
// sqrt(p (1 - p) / N) / f(q) = 2.67 s / sqrt(N) for a normal forecast
// distribution of standard deviation s (taken from R's analytic class-3
// bounds). Two independent estimates differ by sqrt(2) times that; the test
// allows 5 such standard errors (0.13 s), which a correct simulation exceeds
// with probability below 1e-6 per bound, while a wrong variance, a missing
// multiplicative error or a shifted mean moves bounds by far more.
TEST(ForecastEts, SimulatedIntervalsAgreeWithRSimulation) {
  const std::vector<double> y = air_passengers();
  int checked = 0;
  for (const auto& [name, c] : fixed_cases()) {
    if (!c.v.count("sim_lower")) continue;
    EtsFit fit;
    fit.spec = parse_spec(name);
    fit.m = 12;
    const auto& p = c.v.at("param");
    fit.par = {p[0], p[1], p[2], p[3]};
    fit.x0 = c.v.at("state");
    ets_replay(y, fit);
    const int nfree = 1 + 1 + 11 + 1 + 1 + 1 + (fit.spec.damped ? 1 : 0);
    double sse = 0;
    for (double e : fit.resid) sse += e * e;
    fit.sigma2 = sse / (y.size() - nfree);
    const int n = 20000;
    std::vector<double> lo, hi;
    ets_interval(fit, 24, 0.95, 7, n, lo, hi);
    const auto &rl = c.v.at("sim_lower"), &ru = c.v.at("sim_upper");
    const auto &al = c.v.at("lower"), &au = c.v.at("upper");
    double worst = 0;
    for (int i = 0; i < 24; i++) {
      const double s = (au[i] - al[i]) / (2 * 1.959963984540054);
      const double tol = 5 * std::sqrt(2.0) * 2.671 * s / std::sqrt(static_cast<double>(n));
      EXPECT_NEAR(lo[i], rl[i], tol) << name << " lower, step " << i + 1;
      EXPECT_NEAR(hi[i], ru[i], tol) << name << " upper, step " << i + 1;
      worst = std::max({worst, std::fabs(lo[i] - rl[i]) / s, std::fabs(hi[i] - ru[i]) / s});
      checked++;
    }
    std::printf("%s: simulated bounds within %.3f forecast sd of R's\n", name.c_str(), worst);
  }
  EXPECT_EQ(checked, 48);
}
