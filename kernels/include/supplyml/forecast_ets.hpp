// ETS fitting: maximum likelihood (or MSE) estimation of one model, and
// automatic selection by information criterion, following the rules of R's
// forecast::ets (version 8.x): same initial states, same Nelder-Mead, same
// bounds and admissibility checks, same candidate set.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "supplyml/forecast_ets_step.hpp"
#include "supplyml/interrupt.hpp"

namespace supplyml {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Smoothing parameters fixed by the user (NaN = estimate).
struct EtsFixed {
  double alpha = kNaN, beta = kNaN, gamma = kNaN, phi = kNaN;
};

struct EtsFit {
  ets::Spec spec;
  int m = 1;  // season length used by the model (1 if non-seasonal)
  ets::Params par;
  std::vector<double> x0;      // initial state, all m seasonal terms
  std::vector<double> xn;      // state after the last observation
  std::vector<double> resid;   // one-step errors (relative for M errors)
  std::vector<double> fitted;  // one-step fitted values
  double lik = std::numeric_limits<double>::infinity();  // -2 log L + const
  double aic = lik, aicc = lik, bic = lik;
  double sigma2 = kNaN;
  double mse = kNaN;
  int n_free = 0;  // estimated parameters and states (AIC count less sigma)
  bool ok() const { return lik < std::numeric_limits<double>::infinity(); }
  std::string name() const;  // "ETS(M,Ad,M)"
};

// Initial state as R's initstate(): l, b, s_0..s_{m-2}.
std::vector<double> ets_initial_state(const std::vector<double>& y, int m, int trend, int season);

// Is this parameter set admissible (forecastable)? R's admissible().
bool ets_admissible(double alpha, double beta, double gamma, double phi, int m, bool has_trend,
                    bool has_season);

// Fits one model. crit_mse: minimise the one-step MSE instead of the
// likelihood (R's opt.crit = "mse", used by ses/holt). Returns a fit with
// ok() false when the model cannot be fitted (too few observations).
EtsFit ets_fit(const std::vector<double>& y, int m, const ets::Spec& spec, const EtsFixed& fixed,
               bool crit_mse, Interrupt& interrupt);

// Replays a model with given parameters and initial state (all m seasonal
// terms): fills resid, fitted, xn, lik.
void ets_replay(const std::vector<double>& y, EtsFit& fit);

// Component letters: 'A','M','N' or 'Z' (choose); damped -1 = try both.
struct EtsChoice {
  char error = 'Z', trend = 'Z', season = 'Z';
  int damped = -1;
  std::string ic = "aicc";
};

// Automatic selection as forecast::ets(y, model = "ZZZ"). Seasonal models are
// tried only when 1 < m <= 24 and the series is longer than m. Throws Error
// when no model can be fitted. When best_damped is given, it receives the
// damped-trend model with the smallest criterion (left as is when no damped
// model was fitted).
EtsFit ets_auto(const std::vector<double>& y, int m, const EtsChoice& choice, const EtsFixed& fixed,
                Interrupt& interrupt, EtsFit* best_damped = nullptr);

// Point forecasts 1..h.
std::vector<double> ets_point(const EtsFit& fit, int h);

// Forecast means and prediction interval bounds at level (0,1), as R's
// forecast.ets: analytic for the classes with known moments (additive
// error; multiplicative error with additive or no trend and season;
// multiplicative error and season with additive or no trend), whose mean is
// the expected value; otherwise the point forecast and quantiles of nsim
// simulated sample paths with a fixed seed.
void ets_forecast(const EtsFit& fit, int h, double level, std::uint64_t seed, int nsim,
                  std::vector<double>& mean, std::vector<double>& lower, std::vector<double>& upper);

// Interval bounds from nsim simulated sample paths (seeded).
void ets_interval(const EtsFit& fit, int h, double level, std::uint64_t seed, int nsim,
                  std::vector<double>& lower, std::vector<double>& upper);

}  // namespace supplyml
