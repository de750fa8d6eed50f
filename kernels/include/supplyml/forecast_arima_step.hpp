// Per-observation arithmetic of the ARIMA state-space form, shared by the
// CPU fitter and any CUDA kernel. The state is Harvey's form of the ARMA part
// (r = max(p, q + 1) terms, the first being the ARMA value) followed by the d
// most recent values of the undifferenced series; Delta holds the
// coefficients of the differencing polynomial, so the observation is
// a[0] + sum Delta_i a[r + i]. The steps follow stats::arima's exact Gaussian
// likelihood step for step, so likelihoods agree with R to rounding.
//
// The transition matrix T is sparse (a shifted identity, phi in the first
// column and Delta in row r), so T P T' is formed from its nonzero pattern:
// every element is the same sum, in the same order, that R's dense-looking
// loops add up, less the terms with a zero coefficient (a seasonal AR or
// differencing polynomial is mostly zeros). The loops run down columns so
// that the compiler can vectorize them.
//
// Matrices are column-major rd x rd arrays.
#pragma once

#include <cmath>

#include "supplyml/hostdev.hpp"

namespace supplyml {
namespace arima {

struct Model {
  const double* phi;    // AR polynomial padded with zeros to r terms
  const double* rv;     // R = (1, theta_1, ..., theta_q) padded with zeros to r terms
  const double* delta;  // differencing polynomial, d terms
  const int* dnz;       // indices of the nonzero terms of delta, increasing
  int q, d, r, ndnz;    // r = max(p, q + 1); state length rd = r + d
};

// Predicted state anew = T a.
SML_HD inline void predict_state(const Model& mo, const double* a, double* anew) {
  const int r = mo.r;
  for (int i = 0; i < r - 1; i++) anew[i] = a[i + 1] + mo.phi[i] * a[0];
  anew[r - 1] = mo.phi[r - 1] * a[0];
  if (mo.d > 0) {
    for (int i = r + 1; i < r + mo.d; i++) anew[i] = a[i - 1];
    double v = a[0];
    for (int k = 0; k < mo.ndnz; k++) v += mo.delta[mo.dnz[k]] * a[r + mo.dnz[k]];
    anew[r] = v;
  }
}

// Predicted covariance Pnew = T P T' + R R'; mm is rd x rd scratch (used
// only when d > 0).
SML_HD inline void predict_cov(const Model& mo, const double* P, double* Pnew, double* mm) {
  const int r = mo.r, q = mo.q, d = mo.d, rd = r + d, r1 = r - 1;
  const double* phi = mo.phi;
  const double* rv = mo.rv;
  if (d == 0) {
    const double p00 = P[0];
    for (int j = 0; j < r; j++) {
      double* out = Pnew + r * j;
      const double rj = rv[j], phj = phi[j];
      if (j < r1) {
        const double* next = P + r * (j + 1) + 1;  // P[i + 1, j + 1]
        const double pj = P[j + 1];
        for (int i = 0; i < r1; i++) {
          double v = rv[i] * rj;
          v += phi[i] * phj * p00;
          v += next[i];
          v += phi[i] * pj;
          v += phj * P[i + 1];
          out[i] = v;
        }
        double v = rv[r1] * rj;
        v += phi[r1] * phj * p00;
        v += phi[r1] * pj;
        out[r1] = v;
      } else {
        for (int i = 0; i < r1; i++) {
          double v = rv[i] * rj;
          v += phi[i] * phj * p00;
          v += phj * P[i + 1];
          out[i] = v;
        }
        double v = rv[r1] * rj;
        v += phi[r1] * phj * p00;
        out[r1] = v;
      }
    }
    return;
  }
  // mm = T P, column by column; row r (the differenced value) runs across
  // the columns, term after term, so that its sums do not form one chain.
  for (int j = 0; j < rd; j++) {
    const double* pc = P + rd * j;
    double* mc = mm + rd * j;
    const double p0 = pc[0];
    for (int i = 0; i < r1; i++) mc[i] = phi[i] * p0 + pc[i + 1];
    mc[r1] = phi[r1] * p0;
    mc[r] = p0;
    for (int i = 1; i < d; i++) mc[r + i] = pc[r + i - 1];
  }
  for (int k = 0; k < mo.ndnz; k++) {
    const double dk = mo.delta[mo.dnz[k]];
    const double* pr = P + r + mo.dnz[k];
    for (int j = 0; j < rd; j++) mm[r + rd * j] += dk * pr[rd * j];
  }
  // Pnew = mm T', column by column.
  for (int i = 0; i < r1; i++) {
    double* out = Pnew + rd * i;
    const double* m1 = mm + rd * (i + 1);
    const double ph = phi[i];
    for (int j = 0; j < rd; j++) out[j] = ph * mm[j] + m1[j];
  }
  {
    double* out = Pnew + rd * r1;
    const double ph = phi[r1];
    for (int j = 0; j < rd; j++) out[j] = ph * mm[j];
  }
  {
    double* out = Pnew + rd * r;
    for (int j = 0; j < rd; j++) out[j] = mm[j];
    for (int k = 0; k < mo.ndnz; k++) {
      const double dk = mo.delta[mo.dnz[k]];
      const double* mk = mm + rd * (r + mo.dnz[k]);
      for (int j = 0; j < rd; j++) out[j] += dk * mk[j];
    }
  }
  for (int i = 1; i < d; i++) {
    double* out = Pnew + rd * (r + i);
    const double* src = mm + rd * (r + i - 1);
    for (int j = 0; j < rd; j++) out[j] = src[j];
  }
  for (int j = 0; j <= q; j++)
    for (int i = 0; i <= q; i++) Pnew[i + rd * j] += rv[i] * rv[j];
}

// Running sums of the likelihood: sum of squared standardized innovations,
// sum of log gains, and the count of observations that entered them.
struct LikSums {
  double ssq = 0, sumlog = 0;
  int nu = 0;
};

// Innovation of observation y against the predicted state.
SML_HD inline double innovation(const Model& mo, double y, const double* anew) {
  double resid = y - anew[0];
  for (int k = 0; k < mo.ndnz; k++) resid -= mo.delta[mo.dnz[k]] * anew[mo.r + mo.dnz[k]];
  return resid;
}

// M = Pnew Z (rd terms) and returns the gain Z' Pnew Z, Z = (1, 0.., Delta).
SML_HD inline double gain_vector(const Model& mo, const double* Pnew, double* M) {
  const int r = mo.r, rd = r + mo.d;
  for (int i = 0; i < rd; i++) M[i] = Pnew[i];
  for (int k = 0; k < mo.ndnz; k++) {
    const double dk = mo.delta[mo.dnz[k]];
    const double* col = Pnew + rd * (r + mo.dnz[k]);
    for (int i = 0; i < rd; i++) M[i] += col[i] * dk;
  }
  double gain = M[0];
  for (int k = 0; k < mo.ndnz; k++) gain += mo.delta[mo.dnz[k]] * M[r + mo.dnz[k]];
  return gain;
}

// State update with innovation resid and gain: a = anew + M resid / gain;
// adds to the sums and returns the standardized innovation. Innovations
// with a gain of 1e4 or more (the diffuse start of a differenced model) are
// left out of the sums, as R does.
SML_HD inline double update_state(const Model& mo, double resid, double gain, const double* anew,
                                  const double* M, double* a, LikSums& s) {
  const int rd = mo.r + mo.d;
  if (gain < 1e4) {
    s.nu++;
    s.ssq += resid * resid / gain;
    s.sumlog += std::log(gain);
  }
  for (int i = 0; i < rd; i++) a[i] = anew[i] + M[i] * resid / gain;
  return resid / std::sqrt(gain);
}

// Covariance update P = Pnew - M M' / gain.
SML_HD inline void update_cov(const Model& mo, const double* Pnew, const double* M, double gain,
                              double* P) {
  const int rd = mo.r + mo.d;
  for (int j = 0; j < rd; j++) {
    const double mj = M[j];
    const double* in = Pnew + rd * j;
    double* out = P + rd * j;
    for (int i = 0; i < rd; i++) out[i] = in[i] - M[i] * mj / gain;
  }
}

// Half of -2 log L / n less constants, as stats::arima's armafn minimizes.
SML_HD inline double objective(const LikSums& s) {
  const double s2 = s.ssq / s.nu;
  return 0.5 * (std::log(s2) + s.sumlog / s.nu);
}

}  // namespace arima
}  // namespace supplyml
