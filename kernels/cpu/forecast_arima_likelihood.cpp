// ARIMA likelihoods: parameter transformations, the conditional sum of
// squares and the exact Gaussian likelihood through the Kalman filter, as
// stats::arima computes them (the filter's stationary start:
// forecast_arima_stationary.cpp).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "forecast_arima_internal.hpp"

namespace supplyml::arima {
namespace {

// Maps unconstrained values to the coefficients of a stationary AR
// polynomial: tanh gives partial autocorrelations, Durbin-Levinson the rest.
void partrans(int p, const double* raw, double* out) {
  std::vector<double> work(p);
  for (int j = 0; j < p; j++) work[j] = out[j] = std::tanh(raw[j]);
  for (int j = 1; j < p; j++) {
    const double a = out[j];
    for (int k = 0; k < j; k++) work[k] -= a * out[j - k - 1];
    for (int k = 0; k < j; k++) out[k] = work[k];
  }
}

void invpartrans(int p, const double* phi, double* out) {
  std::vector<double> work(p);
  for (int j = 0; j < p; j++) work[j] = out[j] = phi[j];
  for (int j = p - 1; j > 0; j--) {
    const double a = out[j];
    for (int k = 0; k < j; k++) work[k] = (out[k] + a * out[j - k - 1]) / (1 - a * a);
    for (int k = 0; k < j; k++) out[k] = work[k];
  }
  for (int j = 0; j < p; j++) out[j] = std::atanh(out[j]);
}

}  // namespace

void trans_pars(const std::vector<double>& in, const Arma& a, bool trans,
                std::vector<double>& phi, std::vector<double>& theta) {
  const int mp = a.p, mq = a.q, msp = a.P, msq = a.Q, ns = a.m;
  std::vector<double> par(in.begin(), in.begin() + a.narma());
  if (trans) {
    if (mp > 0) partrans(mp, in.data(), par.data());
    if (msp > 0) partrans(msp, in.data() + mp + mq, par.data() + mp + mq);
  }
  const int p = mp + ns * msp, q = mq + ns * msq;
  phi.assign(p, 0.0);
  theta.assign(q, 0.0);
  for (int i = 0; i < mp; i++) phi[i] = par[i];
  for (int i = 0; i < mq; i++) theta[i] = par[i + mp];
  for (int j = 0; j < msp; j++) {
    phi[(j + 1) * ns - 1] += par[j + mp + mq];
    for (int i = 0; i < mp; i++) phi[(j + 1) * ns + i] -= par[i] * par[j + mp + mq];
  }
  for (int j = 0; j < msq; j++) {
    theta[(j + 1) * ns - 1] += par[j + mp + mq + msp];
    for (int i = 0; i < mq; i++) theta[(j + 1) * ns + i] += par[i + mp] * par[j + mp + mq + msp];
  }
}

std::vector<double> inv_trans(const std::vector<double>& par, const Arma& a) {
  std::vector<double> out = par;
  if (a.p > 0) invpartrans(a.p, par.data(), out.data());
  if (a.P > 0) invpartrans(a.P, par.data() + a.p + a.q, out.data() + a.p + a.q);
  return out;
}

std::vector<double> undo_pars(const std::vector<double>& par, const Arma& a) {
  std::vector<double> out = par;
  if (a.p > 0) partrans(a.p, par.data(), out.data());
  if (a.P > 0) partrans(a.P, par.data() + a.p + a.q, out.data() + a.p + a.q);
  return out;
}

std::vector<double> grad_trans(const std::vector<double>& par, const Arma& a) {
  const int n = static_cast<int>(par.size());
  const double eps = 1e-3;
  std::vector<double> A(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; i++) A[i + i * n] = 1.0;
  auto block = [&](int off, int k) {
    std::vector<double> w1(par.begin() + off, par.begin() + off + k), w2(k), w3(k);
    partrans(k, w1.data(), w2.data());
    for (int i = 0; i < k; i++) {
      w1[i] += eps;
      partrans(k, w1.data(), w3.data());
      for (int j = 0; j < k; j++) A[i + off + (j + off) * n] = (w3[j] - w2[j]) / eps;
      w1[i] -= eps;
    }
  };
  if (a.p > 0) block(0, a.p);
  if (a.P > 0) block(a.p + a.q, a.P);
  return A;
}

std::vector<double> delta_of(int d, int D, int m) {
  std::vector<double> poly{1.0};
  auto mul = [&](const std::vector<double>& f) {
    std::vector<double> out(poly.size() + f.size() - 1, 0.0);
    for (std::size_t i = 0; i < poly.size(); i++)
      for (std::size_t j = 0; j < f.size(); j++) out[i + j] += poly[i] * f[j];
    poly = out;
  };
  for (int i = 0; i < d; i++) mul({1.0, -1.0});
  std::vector<double> seas(m + 1, 0.0);
  seas[0] = 1.0;
  seas[m] = -1.0;
  for (int i = 0; i < D; i++) mul(seas);
  std::vector<double> delta;
  for (std::size_t i = 1; i < poly.size(); i++) delta.push_back(-poly[i]);
  return delta;
}

double css(const std::vector<double>& x, const Arma& a, const std::vector<double>& phi,
           const std::vector<double>& theta, int ncond, std::vector<double>* resid,
           std::vector<double>& work) {
  const int n = static_cast<int>(x.size());
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  work.resize(2 * static_cast<std::size_t>(n));
  double* w = work.data();
  double* res = w + n;
  std::copy(x.begin(), x.end(), w);
  std::fill(res, res + n, 0.0);
  for (int i = 0; i < a.d; i++)
    for (int l = n - 1; l > 0; l--) w[l] -= w[l - 1];
  for (int i = 0; i < a.D; i++)
    for (int l = n - 1; l >= a.m; l--) w[l] -= w[l - a.m];
  // Seasonal polynomials are mostly zeros, and a zero term leaves a finite
  // sum unchanged: the fast path adds the nonzero terms only, each residual
  // the same sum in the same order as R's loop. The AR part of a residual
  // does not depend on the other residuals, so it runs across l (a loop that
  // vectorizes); the MA part is a recursion. Should a residual come out
  // non-finite, where 0 x infinity would matter, R's loop runs instead.
  auto terms = [](const std::vector<double>& c, int* nz) {
    int k = 0;
    for (int j = 0; j < static_cast<int>(c.size()); j++)
      if (c[j] != 0.0) nz[k++] = j;
    return k;
  };
  std::vector<int> nz(static_cast<std::size_t>(p + q));
  const int np = terms(phi, nz.data()), nq = terms(theta, nz.data() + np);
  const int* pz = nz.data();
  const int* qz = nz.data() + np;
  for (int l = ncond; l < n; l++) res[l] = w[l];
  for (int k = 0; k < np; k++) {
    const int j = pz[k];
    const double c = phi[j];
    for (int l = ncond; l < n; l++) res[l] -= c * w[l - j - 1];
  }
  double ssq = 0;
  int nu = 0;
  bool finite = true;
  for (int l = ncond; l < n; l++) {
    double v = res[l];
    for (int k = 0; k < nq && qz[k] < l - ncond; k++) v -= theta[qz[k]] * res[l - qz[k] - 1];
    res[l] = v;
    finite = finite && std::isfinite(v);
    nu++;
    ssq += v * v;
  }
  if (!finite) {
    ssq = 0;
    nu = 0;
    for (int l = ncond; l < n; l++) {
      double v = w[l];
      for (int j = 0; j < p; j++) v -= phi[j] * w[l - j - 1];
      for (int j = 0; j < std::min(l - ncond, q); j++) v -= theta[j] * res[l - j - 1];
      res[l] = v;
      if (!std::isnan(v)) {
        nu++;
        ssq += v * v;
      }
    }
  }
  if (resid) resid->assign(res, res + n);
  return ssq / nu;
}

namespace {

// Step l of the filter (ARIMA_Like's loop) through observation y, from
// state a with, at l = 0, the predicted covariance of the first step in
// Pnew; records the step's gains in gM and gg when given.
inline void filter_step(const Model& mo, int l, double y, double* a, double* anew, double* M,
                        double* P, double* Pnew, double* mm, LikSums& sums, double* resid,
                        double* gM, double* gg) {
  const int rd = mo.r + mo.d;
  predict_state(mo, a, anew);
  if (l > 0) predict_cov(mo, P, Pnew, mm);
  const double gain = gain_vector(mo, Pnew, M);
  if (gM) {
    std::copy(M, M + rd, gM + static_cast<std::size_t>(l) * rd);
    gg[l] = gain;
  }
  const double e = update_state(mo, innovation(mo, y, anew), gain, anew, M, a, sums);
  if (resid) resid[l] = e;
  update_cov(mo, Pnew, M, gain, P);
}

// One filter's arrays: the state a, the covariance P, the predicted
// covariance of the first step Pnew, and where the results go.
struct Pass {
  const double* x;
  double* a;
  double* P;
  const double* Pnew;
  LikSums* sums;
  double *resid, *gM, *gg;
};

// A non-seasonal model of R ARMA terms, D differences and Q MA terms with its
// arrays in local copies of sizes known to the compiler (the differencing
// terms all nonzero), which nothing else can alias: the compiler unrolls the
// short loops of a small state, R R' included, and keeps much of it in
// registers. The same operations in the same order as the general loop,
// hence the same bits.
template <int R, int D>
struct Small {
  static constexpr int RD = R + D, RD2 = RD * RD;
  double phi[R] = {}, rv[R] = {}, delta[D > 0 ? D : 1] = {}, a[RD] = {}, anew[RD] = {},
         M[RD] = {}, P[RD2] = {}, Pnew[RD2] = {}, mm[RD2] = {};
  LikSums sums;
  Small(const Model& in, const Pass& p) {
    std::copy(in.phi, in.phi + R, phi);
    std::copy(in.rv, in.rv + R, rv);
    std::copy(in.delta, in.delta + D, delta);
    std::copy(p.a, p.a + RD, a);
    std::copy(p.P, p.P + RD2, P);
    std::copy(p.Pnew, p.Pnew + RD2, Pnew);
  }
  void done(const Pass& p) const {
    *p.sums = sums;
    std::copy(a, a + RD, p.a);  // the final state, as the loop leaves it
    std::copy(P, P + RD2, p.P);
  }
};
constexpr int kAllTerms[] = {0, 1};

template <int R, int D, int Q>
inline void filter_small(const Model& in, const Pass& u, int n) {
  Small<R, D> s(in, u);
  const Model mo{s.phi, s.rv, s.delta, kAllTerms, Q, D, R, D};
  for (int l = 0; l < n; l++)
    filter_step(mo, l, u.x[l], s.a, s.anew, s.M, s.P, s.Pnew, s.mm, s.sums, u.resid, u.gM, u.gg);
  s.done(u);
}

// The largest r given its own copy: weekly and other non-seasonal models
// search p, q <= 5 (r <= 6); d <= 2 as auto.arima's max.d.
constexpr int kSmallR = 6;

bool is_small(const Model& mo) {
  // Non-seasonal: every term of the differencing polynomial is nonzero.
  return mo.ndnz == mo.d && mo.d <= 2 && mo.r <= kSmallR;
}

// Q from R - 1 down: q < r always.
template <int R, int D, int Q>
inline void filter_small_q(const Model& mo, const Pass& u, int n) {
  if constexpr (Q > 0) {
    if (mo.q != Q) return filter_small_q<R, D, Q - 1>(mo, u, n);
  }
  filter_small<R, D, Q>(mo, u, n);
}

template <int R>
inline void filter_small_r(const Model& mo, const Pass& u, int n) {
  if constexpr (R > 1) {
    if (mo.r != R) return filter_small_r<R - 1>(mo, u, n);
  }
  if (mo.d == 0)
    filter_small_q<R, 0, R - 1>(mo, u, n);
  else if (mo.d == 1)
    filter_small_q<R, 1, R - 1>(mo, u, n);
  else
    filter_small_q<R, 2, R - 1>(mo, u, n);
}

// The filter through u.x; every array as the general loop leaves it but for
// the scratch (anew, M, Pnew, mm).
SML_ARIMA_CLONES void filter_loop(const Model& mo, const Pass& u, int n, double* anew, double* M,
                                  double* Pnew, double* mm) {
  if (is_small(mo)) return filter_small_r<kSmallR>(mo, u, n);
  for (int l = 0; l < n; l++)
    filter_step(mo, l, u.x[l], u.a, anew, M, u.P, Pnew, mm, *u.sums, u.resid, u.gM, u.gg);
}

// The same steps with the gains of a recorded run: the state recursion only.
void replay_loop(const Model& mo, const double* x, int n, double* a, double* anew, const double* gM,
                 const double* gg, LikSums& sums, double* resid) {
  const int rd = mo.r + mo.d;
  for (int l = 0; l < n; l++) {
    predict_state(mo, a, anew);
    const double e = update_state(mo, innovation(mo, x[l], anew), gg[l], anew,
                                  gM + static_cast<std::size_t>(l) * rd, a, sums);
    if (resid) resid[l] = e;
  }
}

// Gains kept: at most this many models, each of at most 1/16 of 4 MB.
constexpr std::size_t kGainModels = 16, kGainDoubles = std::size_t{1} << 19;

}  // namespace

bool Kalman::set(const std::vector<double>& phi, const std::vector<double>& theta,
                 const std::vector<double>& delta) {
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  const int d = static_cast<int>(delta.size()), r = std::max(p, q + 1), rd = r + d;
  phi_.assign(r, 0.0);
  std::copy(phi.begin(), phi.end(), phi_.begin());
  rv_.assign(r, 0.0);
  rv_[0] = 1.0;
  std::copy(theta.begin(), theta.end(), rv_.begin() + 1);
  delta_ = delta;
  dnz_.clear();
  for (int k = 0; k < d; k++)
    if (delta[k] != 0.0) dnz_.push_back(k);
  mo_ = Model{phi_.data(), rv_.data(), delta_.data(), dnz_.data(), q, d, r,
              static_cast<int>(dnz_.size())};
  const std::size_t rd2 = static_cast<std::size_t>(rd) * rd;
  a_.resize(rd);
  anew_.resize(rd);
  M_.resize(rd);
  P_.resize(rd2);
  Pnew_.resize(rd2);
  mm_.resize(rd2);
  phi_in_ = phi;
  theta_in_ = theta;
  // The model's key: its sizes and coefficients, bit for bit.
  key_.assign({static_cast<double>(p), static_cast<double>(q), static_cast<double>(d)});
  key_.insert(key_.end(), phi.begin(), phi.end());
  key_.insert(key_.end(), theta.begin(), theta.end());
  key_.insert(key_.end(), delta.begin(), delta.end());
  cur_ = -1;
  for (std::size_t k = 0; k < gains_.size(); k++)
    if (gains_[k].n >= 0 && gains_[k].key.size() == key_.size() &&
        std::memcmp(gains_[k].key.data(), key_.data(), key_.size() * sizeof(double)) == 0) {
      cur_ = static_cast<int>(k);
      gains_[k].used = ++clock_;
      p0_ready_ = false;  // computed only should a full run be needed
      return true;        // its start was finite when it was recorded
    }
  start_cov();
  for (double v : P0_)
    if (!std::isfinite(v)) return false;
  // A slot for this model's gains: a free one, else the least recently used.
  if (gains_.size() < kGainModels) {
    gains_.emplace_back();
    cur_ = static_cast<int>(gains_.size()) - 1;
  } else {
    cur_ = 0;
    for (std::size_t k = 1; k < gains_.size(); k++)
      if (gains_[k].used < gains_[cur_].used) cur_ = static_cast<int>(k);
  }
  Gains& g = gains_[cur_];
  g.key = key_;
  g.n = -1;
  g.used = ++clock_;
  return true;
}

void Kalman::start_cov() {
  const int r = mo_.r, d = mo_.d, rd = r + d;
  const std::vector<double>& q0 = q0_.compute(phi_in_, theta_in_);
  P0_.assign(static_cast<std::size_t>(rd) * rd, 0.0);
  for (int j = 0; j < r; j++)
    for (int i = 0; i < r; i++) P0_[i + rd * j] = q0[i + r * j];
  for (int i = 0; i < d; i++) P0_[(r + i) * (rd + 1)] = 1e6;  // diffuse start (kappa)
  p0_ready_ = true;
}

void Kalman::run(const double* x, int n, LikSums& sums, double* resid, State* last) {
  const int rd = mo_.r + mo_.d;
  std::fill(a_.begin(), a_.end(), 0.0);
  sums = LikSums{};
  Gains* g = cur_ >= 0 ? &gains_[cur_] : nullptr;
  if (g && g->n == n && !last) {
    replay_loop(mo_, x, n, a_.data(), anew_.data(), g->M.data(), g->gain.data(), sums, resid);
    return;
  }
  if (!p0_ready_) start_cov();
  std::fill(P_.begin(), P_.end(), 0.0);
  std::copy(P0_.begin(), P0_.end(), Pnew_.begin());
  // Record the gains, unless a model's would take more than its share.
  const std::size_t need = static_cast<std::size_t>(n) * (rd + 1);
  if (need > kGainDoubles / kGainModels) g = nullptr;
  if (g) {
    g->M.resize(need - n);
    g->gain.resize(n);
  }
  const Pass u{x, a_.data(), P_.data(), Pnew_.data(), &sums, resid, g ? g->M.data() : nullptr,
               g ? g->gain.data() : nullptr};
  filter_loop(mo_, u, n, anew_.data(), M_.data(), Pnew_.data(), mm_.data());
  if (g) g->n = n;
  if (last) {
    last->a = a_;
    last->P = P_;
  }
}

bool kalman(const std::vector<double>& x, const std::vector<double>& phi,
            const std::vector<double>& theta, const std::vector<double>& delta, LikSums& sums,
            std::vector<double>* resid, State* last) {
  Kalman k;
  if (!k.set(phi, theta, delta)) return false;
  if (resid) resid->assign(x.size(), 0.0);
  k.run(x.data(), static_cast<int>(x.size()), sums, resid ? resid->data() : nullptr, last);
  return true;
}

}  // namespace supplyml::arima
