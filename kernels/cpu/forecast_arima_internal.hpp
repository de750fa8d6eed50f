// Pieces shared by the ARIMA sources (not part of the public headers).
#pragma once

#include <complex>
#include <functional>
#include <vector>

#include "supplyml/forecast_arima.hpp"
#include "supplyml/forecast_arima_step.hpp"

// The likelihood's inner loops are compiled twice, for AVX2 (vectors of four
// doubles, twice the division throughput of the baseline) and for the
// baseline SSE2, and the loader picks by the CPU; flatten inlines the step
// functions into each copy. Not AVX-512: GCC's avx512f target enables FMA,
// whose single rounding of a * b + c would move the results off R's; AVX2
// alone rounds every operation as the baseline does, so both copies give the
// same bits. None under AddressSanitizer or ThreadSanitizer, whose runtime is
// not up when the loader makes its choice.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__) || !defined(__x86_64__)
#define SML_ARIMA_CLONES
#else
#define SML_ARIMA_CLONES __attribute__((target_clones("avx2", "default"), flatten))
#endif

namespace supplyml::arima {

// Orders in stats::arima's "arma" layout.
struct Arma {
  int p = 0, q = 0, P = 0, Q = 0, m = 1, d = 0, D = 0;
  int narma() const { return p + q + P + Q; }
};

// Expanded AR and MA polynomials from coefficients (ar, ma, sar, sma), with
// the AR parts mapped through partrans when trans is set (ARIMA_transPars).
void trans_pars(const std::vector<double>& par, const Arma& a, bool trans,
                std::vector<double>& phi, std::vector<double>& theta);
// Inverse of partrans on the AR and seasonal AR parts (ARIMA_Invtrans).
std::vector<double> inv_trans(const std::vector<double>& par, const Arma& a);
// partrans applied to the AR and seasonal AR parts (ARIMA_undoPars).
std::vector<double> undo_pars(const std::vector<double>& par, const Arma& a);
// Jacobian of undo_pars by forward differences (ARIMA_Gradtrans), n x n.
std::vector<double> grad_trans(const std::vector<double>& par, const Arma& a);

// Stationary covariance of the ARMA part of the state (Gardner, Harvey and
// Phillips 1980, as R's getQ0), r x r column-major. The workspace keeps its
// buffers from one call to the next.
// The rotations of a solve, row after row: what the right-hand side went
// through (each pivot's index, x and cosine and sine terms), so that a solve
// with the same phi and another theta repeats only that and the
// back-substitution.
struct Rotations {
  std::vector<std::size_t> pivot, row_end;
  std::vector<double> x, c, s;
  void clear() {
    pivot.clear();
    row_end.clear();
    x.clear();
    c.clear();
    s.clear();
  }
};
class StationaryCov {
 public:
  const std::vector<double>& compute(const std::vector<double>& phi, const std::vector<double>& theta);

 private:
  std::vector<double> V_, rbar_, thetab_, xnext_, xrow_, out_, solved_phi_;
  std::vector<std::size_t> hi_;
  std::size_t solved_np_ = 0;  // size of the last solve, whose rbar is kept (0: none)
  Rotations rot_;
};

// Differencing polynomial Delta of (1 - B)^d (1 - B^m)^D, without the unit term.
std::vector<double> delta_of(int d, int D, int m);

// Conditional sum of squares: ssq / nu over observations ncond.., and the
// residuals (zero before ncond) when resid is given. work is scratch.
double css(const std::vector<double>& x, const Arma& a, const std::vector<double>& phi,
           const std::vector<double>& theta, int ncond, std::vector<double>* resid,
           std::vector<double>& work);

// The exact likelihood through the Kalman filter (stats::arima's ARIMA_Like),
// with its arrays kept from one evaluation to the next.
//
// The covariance recursion, the costly part, does not depend on the data:
// the gains of a model are a function of phi, theta and Delta alone. The
// optimizer evaluates the same model with other data, as when it moves only
// the drift or the mean (twice in every gradient, and across the Hessian),
// so the filter keeps the gains of the models it ran last and, for a model
// seen again (the same bits), runs only the state recursion with the stored
// gains: the same numbers as the full filter, without recomputing them.
struct State {
  std::vector<double> a, P;
};
class Kalman {
 public:
  // Sets up the model; false when its stationary start is not finite.
  bool set(const std::vector<double>& phi, const std::vector<double>& theta,
           const std::vector<double>& delta);
  // Filters x from the stationary start: the sums, the standardized
  // innovations (when resid is given) and the final state (when last is).
  void run(const double* x, int n, LikSums& sums, double* resid, State* last);
  // The model of the last set(), for forecasting from a final state.
  const Model& model() const { return mo_; }

 private:
  // The gains M and Z' Pnew Z of every step of one model's filter (n < 0
  // while not recorded).
  struct Gains {
    std::vector<double> key, M, gain;
    int n = -1;
    unsigned long used = 0;
  };
  void start_cov();  // P0 of the current model, when set() found its gains
  Model mo_{};
  std::vector<double> phi_, rv_, delta_, phi_in_, theta_in_, key_;
  std::vector<int> dnz_;
  std::vector<double> a_, anew_, M_, P_, Pnew_, P0_, mm_;
  bool p0_ready_ = false;
  std::vector<Gains> gains_;
  int cur_ = -1;  // entry of gains_ for the current model, -1 for none
  unsigned long clock_ = 0;
  StationaryCov q0_;
};

// Kalman filter through x with a workspace of its own: false when the model
// cannot be set up.
bool kalman(const std::vector<double>& x, const std::vector<double>& phi,
            const std::vector<double>& theta, const std::vector<double>& delta, LikSums& sums,
            std::vector<double>* resid, State* last);

// Smallest modulus of the roots of 1 + c_1 z + ... + c_k z^k (trailing
// coefficients below 1e-8 in magnitude dropped; 2 when none left, as R).
double min_root(const std::vector<double>& c);
std::vector<std::complex<double>> poly_roots(const std::vector<double>& c);
// R's maInvert: reflects MA roots inside the unit circle.
std::vector<double> ma_invert(const std::vector<double>& ma);

// optim(method = "BFGS") with numerical gradients (ndeps 1e-3, parscale),
// R's vmmin. Returns 0 on convergence, 1 at maxit; throws NumericError when
// a finite difference is not finite. order: the order in which a gradient
// takes the parameters (0, 1, ... when null); the numbers do not depend on
// it, only which evaluation follows which.
struct NumericError {};
using Objective = std::function<double(const std::vector<double>&)>;
int bfgs(const Objective& f, std::vector<double>& par, const std::vector<double>& parscale,
         int maxit, double& value, const std::vector<int>* order = nullptr);
// optimhess: numerical Hessian at par, in the parameters' own scale.
std::vector<double> hessian(const Objective& f, const std::vector<double>& par,
                            const std::vector<double>& parscale,
                            const std::vector<int>* order = nullptr);

// stats::arima for one model: the fit (coefficients untransformed, R's
// names), plus the Hessian-based check of myarima (checkarima). method:
// 0 CSS-ML, 1 CSS. Throws NumericError when R's arima would stop with an error.
//
// loses, when given, says from the AIC and the number of coefficients of a
// CSS-ML fit that the search cannot choose it whatever its check: such a fit
// stops after the optimizer (no Hessian, no residuals; losing set), as the
// Hessian and the residuals matter only to a model that is chosen.
struct Estimate {
  ArimaFit fit;
  bool var_ok = true;   // no negative variance on the diagonal of var.coef
  bool losing = false;  // stopped early: loses() held; fit has coef, loglik, aic
  double css_sigma2 = kNaN;
};
using Loses = std::function<bool(double aic, int ncoef)>;
Estimate estimate(const std::vector<double>& y, const ArimaOrder& o, bool mean, bool drift,
                  bool css_only, Interrupt& interrupt, const Loses* loses = nullptr);

// Unit-root and seasonality tests of auto.arima.
int ndiffs(std::vector<double> x);
int nsdiffs(const std::vector<double>& x, int m);
double seasonal_strength(const std::vector<double>& x, int m);
bool is_constant(const std::vector<double>& x);

}  // namespace supplyml::arima
