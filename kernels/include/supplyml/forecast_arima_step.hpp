// Per-observation arithmetic of the ARIMA state-space form, shared by the
// CPU fitter and any CUDA kernel. The state is Harvey's form of the ARMA part
// (r = max(p, q + 1) terms, the first being the ARMA value) followed by the d
// most recent values of the undifferenced series; Delta holds the
// coefficients of the differencing polynomial, so the observation is
// a[0] + sum Delta_i a[r + i]. The steps follow stats::arima's exact Gaussian
// likelihood step for step, so likelihoods agree with R to rounding.
//
// Matrices are column-major rd x rd arrays.
#pragma once

#include <cmath>

#include "supplyml/hostdev.hpp"

namespace supplyml {
namespace arima {

struct Model {
  const double* phi;    // expanded AR polynomial, p terms
  const double* theta;  // expanded MA polynomial, q terms
  const double* delta;  // differencing polynomial, d terms
  int p, q, d, r;       // r = max(p, q + 1); state length rd = r + d
};

// Predicted state anew = T a.
SML_HD inline void predict_state(const Model& mo, const double* a, double* anew) {
  const int r = mo.r;
  for (int i = 0; i < r; i++) {
    double v = i < r - 1 ? a[i + 1] : 0.0;
    if (i < mo.p) v += mo.phi[i] * a[0];
    anew[i] = v;
  }
  if (mo.d > 0) {
    for (int i = r + 1; i < r + mo.d; i++) anew[i] = a[i - 1];
    double v = a[0];
    for (int i = 0; i < mo.d; i++) v += mo.delta[i] * a[r + i];
    anew[r] = v;
  }
}

// Predicted covariance Pnew = T P T' + R R'; mm is rd x rd scratch (used
// only when d > 0).
SML_HD inline void predict_cov(const Model& mo, const double* P, double* Pnew, double* mm) {
  const int r = mo.r, p = mo.p, q = mo.q, d = mo.d, rd = r + d;
  auto th = [&](int i) { return i == 0 ? 1.0 : (i - 1 < q ? mo.theta[i - 1] : 0.0); };
  if (d == 0) {
    for (int i = 0; i < r; i++) {
      const double vi = th(i);
      for (int j = 0; j < r; j++) {
        double v = vi * th(j);
        if (i < p && j < p) v += mo.phi[i] * mo.phi[j] * P[0];
        if (i < r - 1 && j < r - 1) v += P[i + 1 + r * (j + 1)];
        if (i < p && j < r - 1) v += mo.phi[i] * P[j + 1];
        if (j < p && i < r - 1) v += mo.phi[j] * P[i + 1];
        Pnew[i + r * j] = v;
      }
    }
    return;
  }
  // mm = T P
  for (int i = 0; i < r; i++)
    for (int j = 0; j < rd; j++) {
      double v = 0.0;
      if (i < p) v += mo.phi[i] * P[rd * j];
      if (i < r - 1) v += P[i + 1 + rd * j];
      mm[i + rd * j] = v;
    }
  // Seasonal differencing polynomials are mostly zeros; skipping them
  // leaves every sum unchanged.
  for (int j = 0; j < rd; j++) {
    double v = P[rd * j];
    for (int k = 0; k < d; k++)
      if (mo.delta[k] != 0.0) v += mo.delta[k] * P[r + k + rd * j];
    mm[r + rd * j] = v;
  }
  for (int i = 1; i < d; i++)
    for (int j = 0; j < rd; j++) mm[r + i + rd * j] = P[r + i - 1 + rd * j];
  // Pnew = mm T'
  for (int i = 0; i < r; i++)
    for (int j = 0; j < rd; j++) {
      double v = 0.0;
      if (i < p) v += mo.phi[i] * mm[j];
      if (i < r - 1) v += mm[rd * (i + 1) + j];
      Pnew[j + rd * i] = v;
    }
  for (int j = 0; j < rd; j++) {
    double v = mm[j];
    for (int k = 0; k < d; k++)
      if (mo.delta[k] != 0.0) v += mo.delta[k] * mm[rd * (r + k) + j];
    Pnew[j + rd * r] = v;
  }
  for (int i = 1; i < d; i++)
    for (int j = 0; j < rd; j++) Pnew[j + rd * (r + i)] = mm[rd * (r + i - 1) + j];
  for (int i = 0; i <= q; i++)
    for (int j = 0; j <= q; j++) Pnew[i + rd * j] += th(i) * th(j);
}

// Running sums of the likelihood: sum of squared standardized innovations,
// sum of log gains, and the count of observations that entered them.
struct LikSums {
  double ssq = 0, sumlog = 0;
  int nu = 0;
};

// Measurement update with observation y: updates a and P from the
// predictions, adds to the sums, and returns the standardized innovation.
// M is rd scratch. Innovations with a gain of 1e4 or more (the diffuse start
// of a differenced model) are left out of the sums, as R does.
SML_HD inline double update(const Model& mo, double y, const double* anew, const double* Pnew,
                            double* a, double* P, double* M, LikSums& s) {
  const int r = mo.r, d = mo.d, rd = r + d;
  double resid = y - anew[0];
  for (int i = 0; i < d; i++) resid -= mo.delta[i] * anew[r + i];
  for (int i = 0; i < rd; i++) {
    double v = Pnew[i];
    for (int j = 0; j < d; j++)
      if (mo.delta[j] != 0.0) v += Pnew[i + rd * (r + j)] * mo.delta[j];
    M[i] = v;
  }
  double gain = M[0];
  for (int j = 0; j < d; j++) gain += mo.delta[j] * M[r + j];
  if (gain < 1e4) {
    s.nu++;
    s.ssq += resid * resid / gain;
    s.sumlog += std::log(gain);
  }
  for (int i = 0; i < rd; i++) a[i] = anew[i] + M[i] * resid / gain;
  for (int i = 0; i < rd; i++)
    for (int j = 0; j < rd; j++) P[i + rd * j] = Pnew[i + rd * j] - M[i] * M[j] / gain;
  return resid / std::sqrt(gain);
}

// Half of -2 log L / n less constants, as stats::arima's armafn minimizes.
SML_HD inline double objective(const LikSums& s) {
  const double s2 = s.ssq / s.nu;
  return 0.5 * (std::log(s2) + s.sumlog / s.nu);
}

}  // namespace arima
}  // namespace supplyml
