// The ARIMA likelihood's own pieces, against their definitions: the
// stationary covariance of the state (Gardner et al. 1980) must solve
// P0 = T P0 T' + R R', also when it reuses the solve of the same AR
// polynomial; a filter that replays the gains of a model it has run must give
// what a new filter gives.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

// Internal header of the kernels (not installed): the pieces under test.
#include "forecast_arima_internal.hpp"

using namespace supplyml::arima;

namespace {

// Largest |P - (T P T' + R R')| over the largest |P|, for the ARMA part of
// the state (r terms): T has phi in its first column and ones above the
// diagonal, R = (1, theta_1, ..., theta_{r-1}).
double lyapunov_residual(const std::vector<double>& phi, const std::vector<double>& theta,
                         const std::vector<double>& P) {
  const int r = static_cast<int>(std::max(phi.size(), theta.size() + 1));
  auto ph = [&](int i) { return i < static_cast<int>(phi.size()) ? phi[i] : 0.0; };
  auto rv = [&](int i) { return i == 0 ? 1.0 : (i - 1 < static_cast<int>(theta.size()) ? theta[i - 1] : 0.0); };
  auto T = [&](int i, int k) { return (k == 0 ? ph(i) : 0.0) + (k == i + 1 ? 1.0 : 0.0); };
  double worst = 0, scale = 0;
  for (int i = 0; i < r; i++)
    for (int j = 0; j < r; j++) {
      double v = rv(i) * rv(j);
      for (int k = 0; k < r; k++)
        for (int l = 0; l < r; l++) v += T(i, k) * P[k + r * l] * T(j, l);
      worst = std::max(worst, std::fabs(P[i + r * j] - v));
      scale = std::max(scale, std::fabs(P[i + r * j]));
    }
  return worst / scale;
}

}  // namespace

TEST(ForecastArimaState, StationaryCovarianceSolvesItsEquation) {
  std::mt19937 gen(20261201);
  std::uniform_real_distribution<double> u(-2, 2);
  StationaryCov cov;  // one workspace for every model, as in a fit
  int models = 0, reused = 0;
  for (int rep = 0; rep < 60; rep++) {
    const int p = 1 + rep % 3, q = rep % 4, P = rep % 3, Q = (rep / 3) % 3;
    const int m = rep % 2 ? 12 : 4;
    const Arma a{p, q, P, Q, m, 0, 0};
    std::vector<double> par(a.narma());
    for (double& v : par) v = u(gen);
    for (int k = 0; k < 3; k++) {
      // k > 0: only MA coefficients move, phi stays (the solve is reused).
      if (k > 0 && q + Q == 0) break;
      if (k > 0) par[q > 0 ? p : p + q + P] += 0.05;
      std::vector<double> phi, theta;
      trans_pars(par, a, true, phi, theta);  // stationary AR parts
      const std::vector<double>& P0 = cov.compute(phi, theta);
      SCOPED_TRACE("p " + std::to_string(p) + " q " + std::to_string(q) + " P " + std::to_string(P) +
                   " Q " + std::to_string(Q) + " m " + std::to_string(m) + " step " + std::to_string(k));
      EXPECT_LT(lyapunov_residual(phi, theta, P0), 1e-10);
      models++;
      reused += k > 0;
    }
  }
  EXPECT_GE(models, 100);
  EXPECT_GE(reused, 40);
}

TEST(ForecastArimaState, ReplayedGainsGiveTheFullFilter) {
  std::mt19937 gen(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> y(120), z(120);
  for (std::size_t t = 0; t < y.size(); t++) {
    y[t] = 10 + 0.1 * t + 3 * std::sin(2 * M_PI * t / 12) + noise(gen);
    z[t] = y[t] - 0.37 * (t + 1.0);  // the same series less another drift
  }
  const Arma a{1, 1, 1, 1, 12, 1, 0};
  std::vector<double> phi, theta;
  trans_pars({0.4, -0.3, 0.5, -0.6}, a, false, phi, theta);
  const std::vector<double> delta = delta_of(1, 0, 12);
  Kalman kept;
  LikSums first, again;
  ASSERT_TRUE(kept.set(phi, theta, delta));
  kept.run(y.data(), static_cast<int>(y.size()), first, nullptr, nullptr);
  ASSERT_TRUE(kept.set(phi, theta, delta));  // the same model: gains replayed
  std::vector<double> resid(z.size());
  kept.run(z.data(), static_cast<int>(z.size()), again, resid.data(), nullptr);
  LikSums fresh;
  std::vector<double> fresh_resid;
  ASSERT_TRUE(kalman(z, phi, theta, delta, fresh, &fresh_resid, nullptr));
  EXPECT_EQ(again.nu, fresh.nu);
  EXPECT_EQ(again.ssq, fresh.ssq);
  EXPECT_EQ(again.sumlog, fresh.sumlog);
  EXPECT_EQ(resid, fresh_resid);
  EXPECT_NE(first.ssq, again.ssq);  // other data, other sums
}

// A small non-seasonal state (r <= 6, d <= 2) runs through a copy of the
// filter whose sizes (and q) the compiler knows, one for each; it must give
// the numbers of the general loop bit for bit. The reference here is that loop: the shared step
// functions with sizes known at run time, from the stationary start.
namespace {

LikSums general_filter(const std::vector<double>& x, const std::vector<double>& phi,
                       const std::vector<double>& theta, const std::vector<double>& delta,
                       std::vector<double>& resid, State& last) {
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  const int d = static_cast<int>(delta.size()), r = std::max(p, q + 1), rd = r + d;
  std::vector<double> ph(r, 0.0), rv(r, 0.0);
  std::copy(phi.begin(), phi.end(), ph.begin());
  rv[0] = 1.0;
  std::copy(theta.begin(), theta.end(), rv.begin() + 1);
  std::vector<int> dnz;
  for (int k = 0; k < d; k++)
    if (delta[k] != 0.0) dnz.push_back(k);
  const Model mo{ph.data(), rv.data(), delta.data(), dnz.data(), q, d, r,
                 static_cast<int>(dnz.size())};
  StationaryCov cov;
  const std::vector<double>& q0 = cov.compute(phi, theta);
  std::vector<double> a(rd, 0.0), anew(rd), M(rd), P(rd * rd, 0.0), Pnew(rd * rd, 0.0),
      mm(rd * rd);
  for (int j = 0; j < r; j++)
    for (int i = 0; i < r; i++) Pnew[i + rd * j] = q0[i + r * j];
  for (int i = 0; i < d; i++) Pnew[(r + i) * (rd + 1)] = 1e6;
  LikSums sums;
  resid.assign(x.size(), 0.0);
  for (std::size_t l = 0; l < x.size(); l++) {
    predict_state(mo, a.data(), anew.data());
    if (l > 0) predict_cov(mo, P.data(), Pnew.data(), mm.data());
    const double gain = gain_vector(mo, Pnew.data(), M.data());
    resid[l] = update_state(mo, innovation(mo, x[l], anew.data()), gain, anew.data(), M.data(),
                            a.data(), sums);
    update_cov(mo, Pnew.data(), M.data(), gain, P.data());
  }
  last.a = a;
  last.P = P;
  return sums;
}

}  // namespace

TEST(ForecastArimaState, SmallStateFilterGivesTheGeneralLoopsNumbers) {
  std::mt19937 gen(11);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> coef(-1.5, 1.5);
  std::vector<double> y(400);
  double level = 50;
  for (std::size_t t = 0; t < y.size(); t++) {
    level += 0.2 + noise(gen);
    y[t] = level + 2 * noise(gen);
  }
  for (int p = 0; p <= 6; p++)  // r = 7 (p = 6, q = 6) takes the general loop itself
    for (int q = 0; q <= 6; q++)
      for (int d = 0; d <= 2; d++) {
        const Arma a{p, q, 0, 0, 1, d, 0};
        std::vector<double> raw(p + q);
        for (double& v : raw) v = coef(gen);
        for (int i = p; i < p + q; i++) raw[i] *= 0.6;
        std::vector<double> phi, theta;
        trans_pars(raw, a, true, phi, theta);
        const std::vector<double> delta = delta_of(d, 0, 1);
        LikSums small;
        std::vector<double> rs, rg;
        State ss, sg;
        ASSERT_TRUE(kalman(y, phi, theta, delta, small, &rs, &ss));
        const LikSums general = general_filter(y, phi, theta, delta, rg, sg);
        SCOPED_TRACE("p " + std::to_string(p) + " q " + std::to_string(q) + " d " +
                     std::to_string(d));
        EXPECT_EQ(small.nu, general.nu);
        EXPECT_EQ(small.ssq, general.ssq);
        EXPECT_EQ(small.sumlog, general.sumlog);
        EXPECT_EQ(rs, rg);
        EXPECT_EQ(ss.a, sg.a);
        EXPECT_EQ(ss.P, sg.P);
      }
}
