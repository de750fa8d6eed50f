// Estimation of one ARIMA model as stats::arima: CSS starting values, then
// the exact likelihood maximized over transformed parameters (CSS-ML), or
// the conditional sum of squares alone (CSS, for the approximate search).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>

#include "forecast_arima_internal.hpp"

namespace supplyml::arima {
namespace {

std::vector<double> difference(std::vector<double> x, int d, int D, int m) {
  for (int i = 0; i < d; i++) {
    for (std::size_t l = x.size() - 1; l > 0; l--) x[l] -= x[l - 1];
    x.erase(x.begin());
    if (x.empty()) return x;
  }
  for (int i = 0; i < D; i++) {
    if (static_cast<int>(x.size()) <= m) return {};
    for (std::size_t l = x.size() - 1; l >= static_cast<std::size_t>(m); l--) x[l] -= x[l - m];
    x.erase(x.begin(), x.begin() + m);
  }
  return x;
}

// Inverse of a small symmetric matrix by Gauss-Jordan with partial pivoting;
// false when it is numerically singular (R's solve() would stop).
bool invert(std::vector<double> A, int n, std::vector<double>& inv) {
  inv.assign(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; i++) inv[i * n + i] = 1.0;
  double scale = 0;
  for (double v : A) scale = std::max(scale, std::fabs(v));
  for (int c = 0; c < n; c++) {
    int piv = c;
    for (int r = c + 1; r < n; r++)
      if (std::fabs(A[r * n + c]) > std::fabs(A[piv * n + c])) piv = r;
    if (!(std::fabs(A[piv * n + c]) > scale * DBL_EPSILON)) return false;
    for (int k = 0; k < n; k++) {
      std::swap(A[c * n + k], A[piv * n + k]);
      std::swap(inv[c * n + k], inv[piv * n + k]);
    }
    const double d = A[c * n + c];
    for (int k = 0; k < n; k++) {
      A[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (int r = 0; r < n; r++) {
      if (r == c) continue;
      const double f = A[r * n + c];
      if (f == 0) continue;
      for (int k = 0; k < n; k++) {
        A[r * n + k] -= f * A[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return true;
}

// R's arCheck: all roots of 1 - ar_1 z - ... outside the unit circle.
bool ar_ok(const std::vector<double>& par, int off, int k) {
  int last = 0;
  for (int i = 0; i < k; i++)
    if (par[off + i] != 0) last = i + 1;
  if (last == 0) return true;
  std::vector<double> c(last);
  for (int i = 0; i < last; i++) c[i] = -par[off + i];
  for (const auto& z : poly_roots(c))
    if (!(std::abs(z) > 1)) return false;
  return true;
}

// The log-likelihood and AIC of a fit whose objective (armafn's) is value.
double loglik_of(double value, int n_used) {
  const double dev = 2 * n_used * value + n_used + n_used * std::log(2 * M_PI);
  return -0.5 * dev;
}
double aic_of(double value, int n_used, int npar) {
  const double dev = 2 * n_used * value + n_used + n_used * std::log(2 * M_PI);
  return dev + 2 * npar + 2;
}

}  // namespace

Estimate estimate(const std::vector<double>& y, const ArimaOrder& o, bool mean, bool drift,
                  bool css_only, Interrupt& interrupt, const Loses* loses) {
  Arma a{o.p, o.q, o.P, o.Q, std::max(1, o.m), o.d, o.D};
  const int n = static_cast<int>(y.size());
  const std::vector<double> delta = delta_of(a.d, a.D, a.m);
  const int nd = a.d + a.D, narma = a.narma();
  const bool intercept = mean && nd == 0;
  const int ncx = (intercept || drift) ? 1 : 0;
  const int n_used = n - static_cast<int>(delta.size());
  if (n_used <= 0) throw NumericError{};
  std::vector<double> xreg;
  if (ncx) {
    xreg.resize(n);
    for (int i = 0; i < n; i++) xreg[i] = intercept ? 1.0 : i + 1.0;
  }
  std::vector<double> init(narma, 0.0), ps(narma, 1.0);
  if (ncx) {
    std::vector<double> dx = difference(y, a.d, a.D, a.m), dr = difference(xreg, a.d, a.D, a.m);
    if (dx.size() <= 1) {
      dx = y;
      dr = xreg;
    }
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < dx.size(); i++) {
      sxy += dx[i] * dr[i];
      sxx += dr[i] * dr[i];
    }
    const double beta = sxy / sxx;
    double rss = 0;
    for (std::size_t i = 0; i < dx.size(); i++) rss += (dx[i] - beta * dr[i]) * (dx[i] - beta * dr[i]);
    const double se = std::sqrt(rss / (static_cast<double>(dx.size()) - 1) / sxx);
    init.push_back(beta);
    ps.push_back(se > 0 ? 10 * se : 1.0);
  }
  // The series less the regression term, in a buffer reused by every
  // evaluation (as are the likelihood's own arrays).
  std::vector<double> x_adj(ncx ? n : 0), css_work;
  auto adjusted = [&](const std::vector<double>& par) -> const std::vector<double>& {
    if (!ncx) return y;
    for (int i = 0; i < n; i++) x_adj[i] = y[i] - xreg[i] * par[narma];
    return x_adj;
  };
  Kalman filter;
  int ncond = a.d + a.D * a.m + a.p + a.m * a.P;
  std::vector<double> phi, theta;
  auto arma_css = [&](const std::vector<double>& par) {
    interrupt.poll();
    trans_pars(par, a, false, phi, theta);
    return 0.5 * std::log(css(adjusted(par), a, phi, theta, ncond, nullptr, css_work));
  };
  const int npar = narma + ncx;
  Estimate est;
  ArimaFit& fit = est.fit;
  fit.order = o;
  fit.mean = intercept;
  fit.drift = drift;
  fit.nobs = n_used;
  std::vector<double> coef = init, var;
  double value = 0;
  if (css_only) {
    int code = bfgs(arma_css, coef, ps, 100, value);
    (void)code;
    trans_pars(coef, a, false, phi, theta);
    est.css_sigma2 = css(adjusted(coef), a, phi, theta, ncond, &fit.resid, css_work);
    fit.sigma2 = est.css_sigma2;
    if (npar > 0) {
      std::vector<double> H = hessian(arma_css, coef, ps);
      for (double& v : H) v *= n_used;
      if (!invert(H, npar, var)) throw NumericError{};
    }
  } else {
    std::vector<double> css_par = init;
    double css_value = 0;
    if (npar > 0 && bfgs(arma_css, css_par, ps, 100, css_value) == 0) init = css_par;
    if (!ar_ok(init, 0, a.p) || !ar_ok(init, a.p + a.q, a.P)) throw NumericError{};
    ncond = 0;
    init = inv_trans(init, a);
    auto invert_ma = [&](std::vector<double>& par) {
      if (a.q > 0) {
        std::vector<double> ma(par.begin() + a.p, par.begin() + a.p + a.q);
        ma = ma_invert(ma);
        std::copy(ma.begin(), ma.end(), par.begin() + a.p);
      }
      if (a.Q > 0) {
        const int off = a.p + a.q + a.P;
        std::vector<double> ma(par.begin() + off, par.begin() + off + a.Q);
        ma = ma_invert(ma);
        std::copy(ma.begin(), ma.end(), par.begin() + off);
      }
    };
    invert_ma(init);
    auto armafn = [&](const std::vector<double>& par) {
      interrupt.poll();
      trans_pars(par, a, true, phi, theta);
      if (!filter.set(phi, theta, delta)) return DBL_MAX;
      LikSums s;
      filter.run(adjusted(par).data(), n, s, nullptr, nullptr);
      return objective(s);
    };
    coef = init;
    // Gradients take the MA and regression coefficients first: they leave
    // phi as at the point before (the optimizer's last evaluation), whose
    // stationary covariance solve is then reused, and the AR ones last.
    std::vector<int> order;
    for (int i = a.p; i < a.p + a.q; i++) order.push_back(i);
    for (int i = a.p + a.q + a.P; i < npar; i++) order.push_back(i);
    for (int i = 0; i < a.p; i++) order.push_back(i);
    for (int i = a.p + a.q; i < a.p + a.q + a.P; i++) order.push_back(i);
    const int code = bfgs(armafn, coef, ps, 100, value, &order);
    fit.converged = code == 0;
    std::vector<double> before = coef;
    invert_ma(coef);
    if (coef != before) value = armafn(coef);
    if (loses && (*loses)(aic_of(value, n_used, npar), npar)) {
      est.losing = true;
      fit.coef = undo_pars(coef, a);
      fit.loglik = loglik_of(value, n_used);
      fit.aic = aic_of(value, n_used, npar);
      fit.css_only = false;
      return est;
    }
    if (npar > 0) {
      std::vector<double> H = hessian(armafn, coef, ps, &order), Hi;
      for (double& v : H) v *= n_used;
      if (!invert(H, npar, Hi)) throw NumericError{};
      const std::vector<double> A = grad_trans(coef, a);
      var.assign(static_cast<std::size_t>(npar) * npar, 0.0);
      for (int i = 0; i < npar; i++)
        for (int j = 0; j < npar; j++) {
          double s = 0;
          for (int k = 0; k < npar; k++)
            for (int l = 0; l < npar; l++) s += A[k + i * npar] * Hi[k * npar + l] * A[l + j * npar];
          var[i * npar + j] = s;
        }
    }
    coef = undo_pars(coef, a);
    trans_pars(coef, a, false, phi, theta);
    LikSums s;
    if (!kalman(adjusted(coef), phi, theta, delta, s, &fit.resid, nullptr)) throw NumericError{};
    fit.sigma2 = s.ssq / n_used;
  }
  for (int i = 0; i < npar; i++)
    if (!(var[i * npar + i] >= 0)) est.var_ok = false;
  fit.loglik = loglik_of(value, n_used);
  fit.aic = css_only ? kNaN : aic_of(value, n_used, npar);
  fit.coef = coef;
  auto name = [&](const char* base, int k) {
    for (int i = 1; i <= k; i++) fit.names.push_back(base + std::to_string(i));
  };
  name("ar", a.p);
  name("ma", a.q);
  name("sar", a.P);
  name("sma", a.Q);
  if (ncx) fit.names.push_back(intercept ? "intercept" : "drift");
  fit.css_only = css_only;
  return est;
}

}  // namespace supplyml::arima
