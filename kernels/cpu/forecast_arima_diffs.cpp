// How many differences auto.arima takes: repeated KPSS tests for d (R's
// ndiffs) and the seasonal strength of an STL decomposition for D (R's
// nsdiffs with its default test "seas", threshold 0.64).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "forecast_arima_internal.hpp"

namespace supplyml::arima {
namespace {

// KPSS statistic for level stationarity with use.lag = trunc(3 sqrt(n) / 13).
double kpss_stat(const std::vector<double>& y) {
  const int n = static_cast<int>(y.size());
  const double mu = std::accumulate(y.begin(), y.end(), 0.0) / n;
  std::vector<double> res(n);
  for (int i = 0; i < n; i++) res[i] = y[i] - mu;
  const int lmax = static_cast<int>(std::trunc(3 * std::sqrt(static_cast<double>(n)) / 13));
  double S = 0, num = 0, s2 = 0;
  for (int i = 0; i < n; i++) {
    S += res[i];
    num += S * S;
    s2 += res[i] * res[i];
  }
  num /= static_cast<double>(n) * n;
  s2 /= n;
  double den = s2;
  for (int l = 1; l <= lmax; l++) {
    double cov = 0;
    for (int i = l; i < n; i++) cov += res[i] * res[i - l];
    den += 2.0 / n * (1 - static_cast<double>(l) / (lmax + 1)) * cov;
  }
  return num / den;
}

// Loess fit at xs over positions nleft..nright (1-based, as STL's est).
bool loess_at(const std::vector<double>& y, int n, int len, int deg, double xs, double& ys, int nleft,
              int nright, std::vector<double>& w) {
  const double range = n - 1.0;
  double h = std::max(xs - nleft, nright - xs);
  if (len > n) h += (len - n) / 2;
  const double h9 = 0.999 * h, h1 = 0.001 * h;
  double a = 0;
  for (int j = nleft; j <= nright; j++) {
    w[j] = 0;
    const double r = std::fabs(j - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1.0 : std::pow(1 - std::pow(r / h, 3), 3);
      a += w[j];
    }
  }
  if (a <= 0) return false;
  for (int j = nleft; j <= nright; j++) w[j] /= a;
  if (h > 0 && deg > 0) {
    a = 0;
    for (int j = nleft; j <= nright; j++) a += w[j] * j;
    double b = xs - a, c = 0;
    for (int j = nleft; j <= nright; j++) c += w[j] * (j - a) * (j - a);
    if (std::sqrt(c) > 0.001 * range) {
      b /= c;
      for (int j = nleft; j <= nright; j++) w[j] *= b * (j - a) + 1;
    }
  }
  ys = 0;
  for (int j = nleft; j <= nright; j++) ys += w[j] * y[j];
  return true;
}

// Loess smoothing of y[1..n] into ys[1..n], evaluated every njump points and
// interpolated linearly between them (STL's ess). Arrays are 1-based.
void loess(const std::vector<double>& y, int n, int len, int deg, int njump, std::vector<double>& ys) {
  std::vector<double> w(n + 1);
  if (n < 2) {
    ys[1] = y[1];
    return;
  }
  const int nj = std::min(njump, n - 1);
  int nleft = 1, nright = n;
  if (len >= n) {
    for (int i = 1; i <= n; i += nj)
      if (!loess_at(y, n, len, deg, i, ys[i], nleft, nright, w)) ys[i] = y[i];
  } else if (nj == 1) {
    const int nsh = (len + 1) / 2;
    nright = len;
    for (int i = 1; i <= n; i++) {
      if (i > nsh && nright != n) {
        nleft++;
        nright++;
      }
      if (!loess_at(y, n, len, deg, i, ys[i], nleft, nright, w)) ys[i] = y[i];
    }
  } else {
    const int nsh = (len + 1) / 2;
    for (int i = 1; i <= n; i += nj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      if (!loess_at(y, n, len, deg, i, ys[i], nleft, nright, w)) ys[i] = y[i];
    }
  }
  if (nj != 1) {
    for (int i = 1; i <= n - nj; i += nj) {
      const double dl = (ys[i + nj] - ys[i]) / nj;
      for (int j = i + 1; j < i + nj; j++) ys[j] = ys[i] + dl * (j - i);
    }
    const int k = ((n - 1) / nj) * nj + 1;
    if (k != n) {
      if (!loess_at(y, n, len, deg, n, ys[n], nleft, nright, w)) ys[n] = y[n];
      if (k != n - 1) {
        const double dl = (ys[n] - ys[k]) / (n - k);
        for (int j = k + 1; j < n; j++) ys[j] = ys[k] + dl * (j - k);
      }
    }
  }
}

// Moving average of length len over x[1..n] into ave[1..n-len+1].
void moving_average(const std::vector<double>& x, int n, int len, std::vector<double>& ave) {
  double v = 0;
  for (int i = 1; i <= len; i++) v += x[i];
  ave[1] = v / len;
  for (int j = 2, k = len, m = 0; j <= n - len + 1; j++) {
    k++;
    m++;
    v = v - x[m] + x[k];
    ave[j] = v / len;
  }
}

int next_odd(double x) {
  int v = static_cast<int>(std::lround(x));
  return v % 2 == 0 ? v + 1 : v;
}

// Non-robust STL (Cleveland et al. 1990) with R's stl() defaults for
// s.window 11, as forecast::mstl calls it: seasonal and trend components.
void stl(const std::vector<double>& x, int np, std::vector<double>& season, std::vector<double>& trend) {
  const int n = static_cast<int>(x.size());
  const int ns = 11, isdeg = 0, itdeg = 1, ildeg = 1;
  const int nt = next_odd(std::ceil(1.5 * np / (1 - 1.5 / ns)));
  const int nl = next_odd(np);
  const int nsjump = static_cast<int>(std::ceil(ns / 10.0)), ntjump = static_cast<int>(std::ceil(nt / 10.0)),
            nljump = static_cast<int>(std::ceil(nl / 10.0));
  std::vector<double> y(n + 1), tr(n + 1, 0.0), se(n + 1, 0.0);
  for (int i = 0; i < n; i++) y[i + 1] = x[i];
  const int ext = n + 2 * np;
  std::vector<double> w1(ext + 1), w2(ext + 1), w3(ext + 1);
  for (int iter = 0; iter < 2; iter++) {
    for (int i = 1; i <= n; i++) w1[i] = y[i] - tr[i];
    // Cycle-subseries smoothing, extended one period at each end.
    for (int j = 1; j <= np; j++) {
      const int k = (n - j) / np + 1;
      std::vector<double> sub(k + 1), sm(k + 3), wk(k + 1);
      for (int i = 1; i <= k; i++) sub[i] = w1[(i - 1) * np + j];
      std::vector<double> body(k + 1);
      loess(sub, k, ns, isdeg, nsjump, body);
      for (int i = 1; i <= k; i++) sm[i + 1] = body[i];
      const int nright = std::min(ns, k);
      if (!loess_at(sub, k, ns, isdeg, 0, sm[1], 1, nright, wk)) sm[1] = sm[2];
      const int nleft = std::max(1, k - ns + 1);
      if (!loess_at(sub, k, ns, isdeg, k + 1, sm[k + 2], nleft, k, wk)) sm[k + 2] = sm[k + 1];
      for (int m = 1; m <= k + 2; m++) w2[(m - 1) * np + j] = sm[m];
    }
    // Low-pass filter: moving averages np, np, 3, then loess.
    moving_average(w2, ext, np, w3);
    moving_average(w3, ext - np + 1, np, w1);
    moving_average(w1, ext - 2 * np + 2, 3, w3);
    std::vector<double> low(n + 1);
    loess(w3, n, nl, ildeg, nljump, low);
    for (int i = 1; i <= n; i++) se[i] = w2[np + i] - low[i];
    for (int i = 1; i <= n; i++) w1[i] = y[i] - se[i];
    loess(w1, n, nt, itdeg, ntjump, tr);
  }
  season.assign(se.begin() + 1, se.end());
  trend.assign(tr.begin() + 1, tr.end());
}

double variance(const std::vector<double>& v) {
  const double mu = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  double s = 0;
  for (double x : v) s += (x - mu) * (x - mu);
  return s / (v.size() - 1.0);
}

}  // namespace

bool is_constant(const std::vector<double>& x) {
  return std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; });
}

int ndiffs(std::vector<double> x) {
  int d = 0;
  if (x.size() < 2 || is_constant(x)) return d;
  bool dodiff = kpss_stat(x) > 0.463;  // p-value below 0.05
  while (dodiff && d < 2) {
    d++;
    for (std::size_t i = x.size() - 1; i > 0; i--) x[i] -= x[i - 1];
    x.erase(x.begin());
    if (x.size() < 2 || is_constant(x)) return d;
    dodiff = kpss_stat(x) > 0.463;
  }
  return d;
}

double seasonal_strength(const std::vector<double>& x, int m) {
  std::vector<double> season, trend;
  stl(x, m, season, trend);
  std::vector<double> rem(x.size()), rs(x.size());
  for (std::size_t i = 0; i < x.size(); i++) {
    rem[i] = x[i] - season[i] - trend[i];
    rs[i] = rem[i] + season[i];
  }
  return std::max(0.0, std::min(1.0, 1 - variance(rem) / variance(rs)));
}

int nsdiffs(const std::vector<double>& x, int m) {
  if (is_constant(x) || m >= static_cast<int>(x.size()) || static_cast<int>(x.size()) <= 2 * m) return 0;
  return seasonal_strength(x, m) > 0.64 ? 1 : 0;
}

}  // namespace supplyml::arima
