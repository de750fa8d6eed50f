// Order selection as forecast::auto.arima: differencing by tests, then the
// stepwise search over p, q, P, Q and the constant by AICc (R's myarima
// criteria, stationarity and invertibility checks, approximation for long
// or highly seasonal series and the refit of the best models by CSS-ML).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "forecast_arima_internal.hpp"
#include "supplyml/error.hpp"

namespace supplyml::arima {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Candidate {
  ArimaFit fit;
  double ic = kInf;
};

// One model as myarima fits it: constant means drift when d + D = 1 and a
// mean when d + D = 0. offset turns the CSS criterion into an approximate
// likelihood (auto.arima's approximation). to_beat: the criterion of the
// best model so far, which a candidate must beat (strictly) to be chosen;
// an exact-likelihood fit whose AICc does not stops before its Hessian and
// comes back with that AICc (checks not made): the search decides as R's.
Candidate my_arima(const std::vector<double>& y, ArimaOrder o, bool constant, bool approx,
                   double offset, Interrupt& interrupt, double to_beat = kInf) {
  Candidate c;
  const int diffs = o.d + o.D;
  const int n = static_cast<int>(y.size());
  const int nstar = n - o.d - o.D * o.m;
  auto aicc_of = [&](double aic, int npar) { return aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1); };
  const Loses loses = [&](double aic, int ncoef) { return !(aicc_of(aic, ncoef + 1) < to_beat); };
  Estimate est;
  try {
    est = estimate(y, o, constant && diffs == 0, constant && diffs == 1, approx, interrupt,
                   approx || !(to_beat < kInf) ? nullptr : &loses);
  } catch (const NumericError&) {
    return c;
  }
  ArimaFit& f = est.fit;
  const int npar = static_cast<int>(f.coef.size()) + 1;
  if (approx) f.aic = offset + nstar * std::log(f.sigma2) + 2 * npar;
  if (std::isnan(f.aic)) return c;
  f.bic = f.aic + npar * (std::log(static_cast<double>(nstar)) - 2);
  f.aicc = aicc_of(f.aic, npar);
  if (est.losing) {
    c.ic = f.aicc;
    return c;
  }
  double ss = 0;
  for (double e : f.resid) ss += e * e;
  f.sigma2 = ss / (nstar - npar + 1);
  c.ic = f.aicc;
  std::vector<double> phi, theta;
  Arma a{o.p, o.q, o.P, o.Q, std::max(1, o.m), o.d, o.D};
  trans_pars(f.coef, a, false, phi, theta);
  double minroot = 2;
  if (o.p + o.P > 0) {
    std::vector<double> c1(phi.size());
    for (std::size_t i = 0; i < phi.size(); i++) c1[i] = -phi[i];
    minroot = std::min(minroot, min_root(c1));
  }
  if (o.q + o.Q > 0 && c.ic < kInf) minroot = std::min(minroot, min_root(theta));
  if (minroot < 1.01 || !est.var_ok) c.ic = kInf;
  c.fit = std::move(f);
  return c;
}

// Models fitted when the (differenced) series is constant: the exact line
// or level that R's auto.arima fixes, with no parameter estimated.
ArimaFit constant_fit(const std::vector<double>& y, const ArimaOrder& o, bool drift,
                      double drift_value) {
  ArimaFit f;
  f.order = o;
  f.drift = drift;
  if (drift) {
    f.coef.push_back(drift_value);
    f.names.push_back("drift");
  }
  std::vector<double> x = y;
  if (drift)
    for (std::size_t i = 0; i < x.size(); i++) x[i] -= drift_value * (i + 1.0);
  LikSums s;
  const std::vector<double> delta = delta_of(o.d, o.D, std::max(1, o.m));
  kalman(x, {}, {}, delta, s, &f.resid, nullptr);
  f.nobs = static_cast<int>(y.size() - delta.size());
  double ss = 0;
  for (double e : f.resid) ss += e * e;
  const int nstar = f.nobs;
  f.sigma2 = ss / (nstar + 0.0);
  f.note = "series is exactly a line after differencing: fixed model without estimation";
  return f;
}

}  // namespace

}  // namespace supplyml::arima

namespace supplyml {

using namespace arima;

ArimaFit arima_fit_auto(const std::vector<double>& y, int m, const ArimaOptions& opt,
                        Interrupt& interrupt) {
  const int n = static_cast<int>(y.size());
  if (m < 1) m = 1;
  if (is_constant(y)) {
    ArimaFit f;
    f.order.m = m;
    f.mean = true;
    f.coef = {y[0]};
    f.names = {"intercept"};
    f.sigma2 = 0;
    f.resid.assign(n, 0.0);
    f.nobs = n;
    f.note = "constant series: ARIMA(0,0,0) with the series value as mean";
    return f;
  }
  int max_p = std::min(5, n / 3), max_q = std::min(5, n / 3);
  int max_P = std::min(2, n / 3 / m), max_Q = std::min(2, n / 3 / m);
  int D = opt.D, d = opt.d;
  if (m == 1) {
    D = 0;
    max_P = max_Q = 0;
  } else if (D < 0 && n <= 2 * m) {
    D = 0;
  } else if (D < 0) {
    D = nsdiffs(y, m);
  }
  std::vector<double> dx = y;
  for (int i = 0; i < D; i++) {
    if (static_cast<int>(dx.size()) <= m) {
      dx.clear();
      break;
    }
    for (std::size_t l = dx.size() - 1; l >= static_cast<std::size_t>(m); l--) dx[l] -= dx[l - m];
    dx.erase(dx.begin(), dx.begin() + m);
  }
  if (d < 0) d = dx.size() > 1 ? ndiffs(dx) : 0;
  for (int i = 0; i < d && !dx.empty(); i++) {
    for (std::size_t l = dx.size() - 1; l > 0; l--) dx[l] -= dx[l - 1];
    dx.erase(dx.begin());
  }
  if (dx.empty())
    data_error("series too short for ARIMA differencing",
               "The series has " + std::to_string(n) + " observations; " + std::to_string(d) +
                   " differences and " + std::to_string(D) + " seasonal differences of lag " +
                   std::to_string(m) + " leave none.",
               "Provide a longer series, or fix \"order\" and \"seasonal_order\" with less differencing.");
  ArimaOrder base{0, d, 0, 0, D, 0, m};
  if (is_constant(dx)) {
    const double mu = std::accumulate(dx.begin(), dx.end(), 0.0) / dx.size();
    if (D > 0 && d == 0) return constant_fit(y, base, true, mu / m);
    if (D > 0 || d == 2) return constant_fit(y, base, false, 0);
    return constant_fit(y, base, true, mu);
  }
  if (m > 1) {
    if (max_P > 0) max_p = std::min(max_p, m - 1);
    if (max_Q > 0) max_q = std::min(max_q, m - 1);
  }
  const bool approx = opt.approximation >= 0 ? opt.approximation == 1 : (n > 150 || m > 12);
  double offset = 0;
  if (approx) {
    try {
      Estimate e = estimate(y, base, true, false, false, interrupt);
      offset = -2 * e.fit.loglik - n * std::log(e.fit.sigma2);
    } catch (const NumericError&) {
      offset = 0;
    }
  }
  const bool allow_drift = opt.include_drift != 0 && d + D == 1;
  const bool allow_mean = opt.include_mean != 0 && d + D == 0;
  bool constant = allow_drift || allow_mean;
  int start_p = 2, start_q = 2, start_P = 1, start_Q = 1;
  if (n < 10) {
    start_p = std::min(start_p, 1);
    start_q = std::min(start_q, 1);
    start_P = start_Q = 0;
  }
  int p = std::min(start_p, max_p), q = std::min(start_q, max_q);
  int P = std::min(start_P, max_P), Q = std::min(start_Q, max_Q);
  struct Row {
    int p, q, P, Q;
    bool c;
    double ic;
  };
  std::vector<Row> results;
  const int nmodels = 94;
  Candidate best;
  auto fit = [&](int pp, int qq, int PP, int QQ, bool cc) {
    interrupt.poll();
    Candidate c =
        my_arima(y, ArimaOrder{pp, d, qq, PP, D, QQ, m}, cc, approx, offset, interrupt, best.ic);
    results.push_back({pp, qq, PP, QQ, cc, c.ic});
    return c;
  };
  auto is_new = [&](int pp, int qq, int PP, int QQ, bool cc) {
    for (const auto& r : results)
      if (r.p == pp && r.q == qq && r.P == PP && r.Q == QQ && r.c == cc) return false;
    return true;
  };
  best = fit(p, q, P, Q, constant);
  {
    Candidate c = fit(0, 0, 0, 0, constant);
    if (c.ic < best.ic) {
      best = std::move(c);
      p = q = P = Q = 0;
    }
  }
  if (max_p > 0 || max_P > 0) {
    const int pp = max_p > 0, PP = (m > 1) && (max_P > 0);
    Candidate c = fit(pp, 0, PP, 0, constant);
    if (c.ic < best.ic) {
      best = std::move(c);
      p = pp;
      P = PP;
      q = Q = 0;
    }
  }
  if (max_q > 0 || max_Q > 0) {
    const int qq = max_q > 0, QQ = (m > 1) && (max_Q > 0);
    Candidate c = fit(0, qq, 0, QQ, constant);
    if (c.ic < best.ic) {
      best = std::move(c);
      p = P = 0;
      Q = QQ;
      q = qq;
    }
  }
  if (constant) {
    Candidate c = fit(0, 0, 0, 0, false);
    if (c.ic < best.ic) {
      best = std::move(c);
      p = q = P = Q = 0;
    }
  }
  int k = static_cast<int>(results.size()), startk = 0;
  // The neighbours of the current model in R's order: (dp, dq, dP, dQ).
  struct Move {
    int dp, dq, dP, dQ;
  };
  static const Move moves[] = {{0, 0, -1, 0},  {0, 0, 0, -1}, {0, 0, 1, 0},  {0, 0, 0, 1},
                               {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                               {-1, 0, 0, 0},  {0, -1, 0, 0}, {1, 0, 0, 0},  {0, 1, 0, 0},
                               {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};
  while (startk < k && k < nmodels) {
    startk = k;
    bool improved = false, stop = false;
    for (const Move& mv : moves) {
      const int np = p + mv.dp, nq = q + mv.dq, nP = P + mv.dP, nQ = Q + mv.dQ;
      if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > max_p || nq > max_q || nP > max_P ||
          nQ > max_Q)
        continue;
      if (!is_new(np, nq, nP, nQ, constant)) continue;
      k++;
      if (k > nmodels) {
        stop = true;
        break;
      }
      Candidate c = fit(np, nq, nP, nQ, constant);
      if (c.ic < best.ic) {
        best = std::move(c);
        p = np;
        q = nq;
        P = nP;
        Q = nQ;
        improved = true;
        break;
      }
    }
    if (improved || stop) continue;
    if ((allow_drift || allow_mean) && is_new(p, q, P, Q, !constant)) {
      k++;
      if (k > nmodels) continue;
      Candidate c = fit(p, q, P, Q, !constant);
      if (c.ic < best.ic) {
        best = std::move(c);
        constant = !constant;
      }
    }
  }
  if (approx) {
    std::vector<int> idx(results.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(),
                     [&](int a, int b) { return results[a].ic < results[b].ic; });
    best = Candidate{};
    for (int i : idx) {
      const Row& r = results[i];
      Candidate c = my_arima(y, ArimaOrder{r.p, d, r.q, r.P, D, r.Q, m}, r.c, false, 0, interrupt);
      if (c.ic < kInf) {
        best = std::move(c);
        break;
      }
    }
  }
  if (!(best.ic < kInf))
    data_error("no suitable ARIMA model found",
               "Every model of the search failed to fit or was not stationary and invertible.",
               "Fix the orders with \"order\" and \"seasonal_order\", or use method ets.");
  return best.fit;
}

}  // namespace supplyml
