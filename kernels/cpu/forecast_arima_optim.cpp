// Numerical tools of ARIMA estimation: the variable-metric (BFGS) minimizer
// and numerical Hessian of R's optim, and polynomial roots for the
// stationarity and invertibility checks.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "forecast_arima_internal.hpp"

namespace supplyml::arima {
namespace {

constexpr double kNdeps = 1e-3;

// Central-difference gradient in the scaled parameters b (x = b * parscale),
// the parameters taken in the given order (each component is computed on
// its own, so the order changes which evaluations follow which, not the
// numbers).
void gradient(const Objective& f, const std::vector<double>& b, const std::vector<double>& ps,
              const std::vector<int>& order, std::vector<double>& g) {
  const std::size_t n = b.size();
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; i++) x[i] = b[i] * ps[i];
  for (const int i : order) {
    x[i] = (b[i] + kNdeps) * ps[i];
    const double v1 = f(x);
    x[i] = (b[i] - kNdeps) * ps[i];
    const double v2 = f(x);
    g[i] = (v1 - v2) / (2 * kNdeps);
    if (!std::isfinite(g[i])) throw NumericError{};
    x[i] = b[i] * ps[i];
  }
}

// The order of the parameters in a gradient: as given, or 0, 1, ...
std::vector<int> order_of(const std::vector<int>* order, int n) {
  if (order) return *order;
  std::vector<int> o(n);
  for (int i = 0; i < n; i++) o[i] = i;
  return o;
}

}  // namespace

int bfgs(const Objective& f, std::vector<double>& par, const std::vector<double>& ps, int maxit,
         double& value, const std::vector<int>* order_in) {
  const int n = static_cast<int>(par.size());
  const std::vector<int> order = order_of(order_in, n);
  std::vector<double> b(n);
  for (int i = 0; i < n; i++) b[i] = par[i] / ps[i];
  auto fb = [&](const std::vector<double>& bb) {
    std::vector<double> x(n);
    for (int i = 0; i < n; i++) x[i] = bb[i] * ps[i];
    return f(x);
  };
  double fmin = fb(b);
  if (maxit <= 0 || n == 0) {
    value = fmin;
    return 0;
  }
  if (!std::isfinite(fmin)) throw NumericError{};
  const double stepredn = 0.2, acctol = 0.0001, reltest = 10.0;
  const double reltol = 1.490116119384765625e-8;  // sqrt(DBL_EPSILON)
  std::vector<double> g(n), t(n), X(n), c(n), B(static_cast<std::size_t>(n) * n);
  auto Bm = [&](int i, int j) -> double& { return B[static_cast<std::size_t>(i) * n + j]; };
  gradient(f, b, ps, order, g);
  int iter = 1, gradcount = 1, ilast = gradcount, count = 0;
  double fval = fmin;
  do {
    if (ilast == gradcount)
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) Bm(i, j) = 0.0;
        Bm(i, i) = 1.0;
      }
    for (int i = 0; i < n; i++) {
      X[i] = b[i];
      c[i] = g[i];
    }
    double gradproj = 0.0;
    for (int i = 0; i < n; i++) {
      double s = 0.0;
      for (int j = 0; j <= i; j++) s -= Bm(i, j) * g[j];
      for (int j = i + 1; j < n; j++) s -= Bm(j, i) * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0.0) {
      double step = 1.0;
      bool accpoint = false;
      do {
        count = 0;
        for (int i = 0; i < n; i++) {
          b[i] = X[i] + step * t[i];
          if (reltest + X[i] == reltest + b[i]) count++;
        }
        if (count < n) {
          fval = fb(b);
          accpoint = std::isfinite(fval) && fval <= fmin + gradproj * step * acctol;
          if (!accpoint) step *= stepredn;
        }
      } while (!(count == n || accpoint));
      const bool enough = fval > -HUGE_VAL && std::fabs(fval - fmin) > reltol * (std::fabs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = fval;
      }
      if (count < n) {
        fmin = fval;
        gradient(f, b, ps, order, g);
        gradcount++;
        iter++;
        double D1 = 0.0;
        for (int i = 0; i < n; i++) {
          t[i] *= step;
          c[i] = g[i] - c[i];
          D1 += t[i] * c[i];
        }
        if (D1 > 0) {
          double D2 = 0.0;
          for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j <= i; j++) s += Bm(i, j) * c[j];
            for (int j = i + 1; j < n; j++) s += Bm(j, i) * c[j];
            X[i] = s;
            D2 += s * c[i];
          }
          D2 = 1.0 + D2 / D1;
          for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) Bm(i, j) += (D2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / D1;
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast == gradcount)
        count = n;
      else
        ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count != n || ilast != gradcount);
  for (int i = 0; i < n; i++) par[i] = b[i] * ps[i];
  value = fmin;
  return iter < maxit ? 0 : 1;
}

std::vector<double> hessian(const Objective& fn, const std::vector<double>& par,
                            const std::vector<double>& ps, const std::vector<int>* order_in) {
  const int n = static_cast<int>(par.size());
  const std::vector<int> order = order_of(order_in, n);
  // optimhess reaches most points twice: with unit parscale, b + e_i + e_j
  // (steps of ndeps) is a point of row i's gradient and of row j's. A value
  // depends on the point alone, so a point seen before (the same bits) is
  // looked up instead of evaluated again: the same Hessian for about half
  // the evaluations.
  std::vector<std::vector<double>> seen;
  std::vector<double> values;
  const Objective f = [&](const std::vector<double>& x) {
    for (std::size_t k = 0; k < seen.size(); k++)
      if (std::memcmp(seen[k].data(), x.data(), x.size() * sizeof(double)) == 0) return values[k];
    const double v = fn(x);
    seen.push_back(x);
    values.push_back(v);
    return v;
  };
  std::vector<double> H(static_cast<std::size_t>(n) * n), dpar(n), g1(n), g2(n);
  for (int i = 0; i < n; i++) dpar[i] = par[i] / ps[i];
  for (int i = 0; i < n; i++) {
    const double eps = kNdeps / ps[i];
    dpar[i] += eps;
    gradient(f, dpar, ps, order, g1);
    dpar[i] -= 2 * eps;
    gradient(f, dpar, ps, order, g2);
    for (int j = 0; j < n; j++) H[i * n + j] = (g1[j] - g2[j]) / (2 * eps * ps[i] * ps[j]);
    dpar[i] += eps;
  }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++) {
      const double v = 0.5 * (H[i * n + j] + H[j * n + i]);
      H[i * n + j] = H[j * n + i] = v;
    }
  return H;
}

// Aberth-Ehrlich iteration on 1 + c_1 z + ... + c_k z^k.
std::vector<std::complex<double>> poly_roots(const std::vector<double>& c) {
  using cd = std::complex<double>;
  const int k = static_cast<int>(c.size());
  std::vector<cd> z(k);
  if (k == 0) return z;
  // Monic form: z^k + (c_{k-1}/c_k) z^{k-1} + ... + 1/c_k.
  std::vector<double> a(k + 1);
  a[0] = 1.0;
  for (int i = 0; i < k; i++) a[i + 1] = c[i];
  auto eval = [&](cd x, cd& d) {
    cd v = a[k], dv = 0;
    for (int i = k - 1; i >= 0; i--) {
      dv = dv * x + v;
      v = v * x + a[i];
    }
    d = dv;
    return v;
  };
  double radius = 0;
  for (int i = 0; i < k; i++) radius = std::max(radius, std::fabs(a[i] / a[k]));
  radius = std::pow(1 + radius, 1.0 / k);
  for (int i = 0; i < k; i++) z[i] = std::polar(radius * 0.9, 2 * M_PI * (i + 0.25) / k);
  for (int it = 0; it < 500; it++) {
    double moved = 0;
    for (int i = 0; i < k; i++) {
      cd d;
      const cd v = eval(z[i], d);
      if (v == cd(0)) continue;
      const cd ratio = v / d;
      cd s = 0;
      for (int j = 0; j < k; j++)
        if (j != i) s += 1.0 / (z[i] - z[j]);
      const cd w = ratio / (1.0 - ratio * s);
      z[i] -= w;
      moved = std::max(moved, std::abs(w) / std::max(1.0, std::abs(z[i])));
    }
    if (moved < 1e-14) break;
  }
  return z;
}

double min_root(const std::vector<double>& c) {
  int last = -1;
  for (int i = 0; i < static_cast<int>(c.size()); i++)
    if (std::fabs(c[i]) > 1e-8) last = i;
  if (last < 0) return 2.0;
  double mr = 2.0;
  for (const auto& z : poly_roots(std::vector<double>(c.begin(), c.begin() + last + 1)))
    mr = std::min(mr, std::abs(z));
  return mr;
}

std::vector<double> ma_invert(const std::vector<double>& ma) {
  const int q = static_cast<int>(ma.size());
  int q0 = 0;
  for (int i = 0; i < q; i++)
    if (ma[i] != 0) q0 = i + 1;
  if (q0 == 0) return ma;
  auto roots = poly_roots(std::vector<double>(ma.begin(), ma.begin() + q0));
  bool any = false;
  for (const auto& z : roots) any = any || std::abs(z) < 1;
  if (!any) return ma;
  std::vector<double> out(q, 0.0);
  if (q0 == 1) {
    out[0] = 1 / ma[0];
    return out;
  }
  for (auto& z : roots)
    if (std::abs(z) < 1) z = 1.0 / z;
  std::vector<std::complex<double>> x{1.0};
  for (const auto& z : roots) {
    std::vector<std::complex<double>> nx(x.size() + 1, 0.0);
    for (std::size_t i = 0; i < x.size(); i++) {
      nx[i] += x[i];
      nx[i + 1] -= x[i] / z;
    }
    x = nx;
  }
  for (int i = 0; i < q0; i++) out[i] = x[i + 1].real();
  return out;
}

}  // namespace supplyml::arima
