// Per-step arithmetic of the ETS state-space models (Hyndman et al. 2008),
// shared by the CPU fitter and any CUDA kernel. The recursions follow R's
// forecast package (etscalc) step for step, so that fitted values,
// likelihoods and forecasts agree with it to rounding.
//
// State layout: x = (l, b?, s_0 .. s_{m-1}), s_0 the most recent seasonal
// term and s_{m-1} the one used for the next observation.
#pragma once

#include <cmath>

#include "supplyml/hostdev.hpp"

namespace supplyml {
namespace ets {

enum Kind : int { kNone = 0, kAdd = 1, kMult = 2 };

inline constexpr int kMaxSeason = 24;     // R's limit for seasonal ETS
inline constexpr double kTol = 1e-10;     // R's TOL
inline constexpr double kHuge = 1e10;     // R's HUGEN
inline constexpr double kInvalid = -99999.0;  // R's NA marker

struct Params {
  double alpha = 0, beta = 0, gamma = 0, phi = 1;
};

struct Spec {
  int error = kAdd, trend = kNone, season = kNone;
  bool damped = false;
};

// h-step point forecasts from one state (R: forecast()).
SML_HD inline void forecast_steps(double l, double b, const double* s, int m, int trend, int season,
                                  double phi, double* f, int h) {
  double phistar = phi;
  for (int i = 0; i < h; i++) {
    if (trend == kNone)
      f[i] = l;
    else if (trend == kAdd)
      f[i] = l + phistar * b;
    else if (b < 0)
      f[i] = kInvalid;
    else
      f[i] = l * pow(b, phistar);
    int j = m - 1 - i;
    while (j < 0) j += m;
    if (season == kAdd)
      f[i] = f[i] + s[j];
    else if (season == kMult)
      f[i] = f[i] * s[j];
    if (i < h - 1) {
      if (fabs(phi - 1) < kTol)
        phistar = phistar + 1;
      else
        phistar = phistar + pow(phi, i + 2);
    }
  }
}

// New level, growth and seasonal term after observing y, given the old level
// oldl, growth oldb and the seasonal term of this period sl (R: update()).
SML_HD inline void step(double oldl, double oldb, double sl, int trend, int season,
                        const Params& p, double y, double& l, double& b, double& snew) {
  double q, phib;
  if (trend == kNone) {
    q = oldl;
    phib = 0;
  } else if (trend == kAdd) {
    phib = p.phi * oldb;
    q = oldl + phib;
  } else if (fabs(p.phi - 1) < kTol) {
    phib = oldb;
    q = oldl * oldb;
  } else {
    phib = pow(oldb, p.phi);
    q = oldl * phib;
  }
  double pp;
  if (season == kNone)
    pp = y;
  else if (season == kAdd)
    pp = y - sl;
  else
    pp = fabs(sl) < kTol ? kHuge : y / sl;
  l = q + p.alpha * (pp - q);
  if (trend > kNone) {
    double r;
    if (trend == kAdd)
      r = l - oldl;
    else
      r = fabs(oldl) < kTol ? kHuge : l / oldl;
    b = phib + (p.beta / p.alpha) * (r - phib);
  }
  if (season > kNone) {
    double t;
    if (season == kAdd)
      t = y - q;
    else
      t = fabs(q) < kTol ? kHuge : y / q;
    snew = sl + p.gamma * (t - sl);
  }
}

// One-step forecast from level, growth and this period's seasonal term.
SML_HD inline double one_step(double l, double b, double sl, int trend, int season, double phi) {
  double f;
  if (trend == kNone)
    f = l;
  else if (trend == kAdd)
    f = l + phi * b;
  else if (b < 0)
    return kInvalid;
  else
    f = l * pow(b, phi);
  if (season == kAdd)
    f = f + sl;
  else if (season == kMult)
    f = f * sl;
  return f;
}

// One state update on the full state arrays (s shifts by one season).
SML_HD inline void update_state(double oldl, double& l, double oldb, double& b, const double* olds,
                                double* s, int m, int trend, int season, const Params& p,
                                double y) {
  double snew = 0;
  step(oldl, oldb, season > kNone ? olds[m - 1] : 0.0, trend, season, p, y, l, b, snew);
  if (season > kNone) {
    s[0] = snew;
    for (int i = 1; i < m; i++) s[i] = olds[i - 1];
  }
}

// Runs the model over y from the full initial state x0. Writes the one-step
// errors to e (may be null) and the final state to xn (may be null); returns
// R's -2 log-likelihood up to a constant, n*log(sum e^2) (+ 2 sum log|f| for
// multiplicative errors), or kInvalid if a forecast became invalid. mse (may be
// null; the caller zeroes it) gets the mean squared one-step error.
SML_HD inline double run(const double* y, int n, const double* x0, int m, const Spec& spec,
                         const Params& p, double* e, double* xn, double* mse) {
  // Seasonal terms in a ring: ring[(start + j) % m] holds s_j.
  double ring[kMaxSeason];
  const int off = spec.trend > kNone ? 2 : 1;
  if (spec.season == kNone) m = 1;
  double l = x0[0], b = spec.trend > kNone ? x0[1] : 0.0;
  int start = 0;
  if (spec.season > kNone)
    for (int j = 0; j < m; j++) ring[j] = x0[off + j];
  double sse = 0, loglik2 = 0;
  for (int i = 0; i < n; i++) {
    const int last = (start + m - 1) % m;  // s_{m-1}: this period's term
    const double sl = spec.season > kNone ? ring[last] : 0.0;
    const double f = one_step(l, b, sl, spec.trend, spec.season, p.phi);
    if (fabs(f - kInvalid) < kTol) return kInvalid;
    const double err = spec.error == kAdd ? y[i] - f : (y[i] - f) / f;
    if (e) e[i] = err;
    double nl, nb = b, ns = 0;
    step(l, b, sl, spec.trend, spec.season, p, y[i], nl, nb, ns);
    l = nl;
    b = nb;
    if (spec.season > kNone) {
      ring[last] = ns;  // the new s_0 replaces the old s_{m-1}
      start = last;
    }
    sse += err * err;
    loglik2 += log(fabs(f));
    if (mse) {
      const double d = y[i] - f;
      *mse = (*mse * i + d * d) / (i + 1);  // R's running mean
    }
  }
  if (xn) {
    xn[0] = l;
    if (spec.trend > kNone) xn[1] = b;
    if (spec.season > kNone)
      for (int j = 0; j < m; j++) xn[off + j] = ring[(start + j) % m];
  }
  double lik = n * log(sse);
  if (spec.error == kMult) lik += 2 * loglik2;
  return lik;
}

}  // namespace ets
}  // namespace supplyml
