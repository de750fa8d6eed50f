// ETS estimation and selection, a faithful port of R forecast 8.x's
// etsmodel()/ets(): the same starting values, the same Nelder-Mead (R's
// nmmin), the same bounds, so that the same local optimum is found.
#include "supplyml/forecast_ets.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>

#include "supplyml/error.hpp"
#include "supplyml/forecast.hpp"
#include "supplyml/forecast_stats.hpp"

namespace supplyml {
namespace {

constexpr double kLower[4] = {1e-4, 1e-4, 1e-4, 0.8};  // alpha, beta, gamma, phi
constexpr double kUpper[4] = {0.9999, 0.9999, 0.9999, 0.98};
constexpr double kInf = std::numeric_limits<double>::infinity();

// R's nmmin (src/appl/optim.c) with its defaults as called by etsmodel:
// abstol -Inf, reltol sqrt(eps), alpha 1, beta 0.5, gamma 2, maxit 2000.
std::vector<double> nelder_mead(const std::function<double(const std::vector<double>&)>& fn,
                                std::vector<double> b, Interrupt& interrupt, int maxit = 2000) {
  const double big = 1.0e35, intol = 1.490116119384765625e-8;
  const double alpha = 1.0, bet = 0.5, gamm = 2.0;
  const int n = static_cast<int>(b.size());
  const int n1 = n + 1, C = n + 2;
  std::vector<std::vector<double>> P(n + 1, std::vector<double>(n + 2));
  double f = fn(b);
  if (!std::isfinite(f)) return b;
  int funcount = 1;
  const double convtol = intol * (std::fabs(f) + intol);
  P[n1 - 1][0] = f;
  for (int i = 0; i < n; i++) P[i][0] = b[i];
  int L = 1;
  double size = 0.0, step = 0.0;
  for (int i = 0; i < n; i++)
    if (0.1 * std::fabs(b[i]) > step) step = 0.1 * std::fabs(b[i]);
  if (step == 0.0) step = 0.1;
  for (int j = 2; j <= n1; j++) {
    for (int i = 0; i < n; i++) P[i][j - 1] = b[i];
    double trystep = step;
    while (P[j - 2][j - 1] == b[j - 2]) {
      P[j - 2][j - 1] = b[j - 2] + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  double oldsize = size;
  bool calcvert = true;
  do {
    interrupt.poll();  // each iteration: one evaluation is O(n), n up to 10 million
    if (calcvert) {
      for (int j = 0; j < n1; j++) {
        if (j + 1 != L) {
          for (int i = 0; i < n; i++) b[i] = P[i][j];
          f = fn(b);
          if (!std::isfinite(f)) f = big;
          funcount++;
          P[n1 - 1][j] = f;
        }
      }
      calcvert = false;
    }
    double VL = P[n1 - 1][L - 1], VH = VL;
    int H = L;
    for (int j = 1; j <= n1; j++) {
      if (j != L) {
        f = P[n1 - 1][j - 1];
        if (f < VL) {
          L = j;
          VL = f;
        }
        if (f > VH) {
          H = j;
          VH = f;
        }
      }
    }
    if (VH <= VL + convtol) break;
    for (int i = 0; i < n; i++) {
      double temp = -P[i][H - 1];
      for (int j = 0; j < n1; j++) temp += P[i][j];
      P[i][C - 1] = temp / n;
    }
    for (int i = 0; i < n; i++) b[i] = (1.0 + alpha) * P[i][C - 1] - alpha * P[i][H - 1];
    f = fn(b);
    if (!std::isfinite(f)) f = big;
    funcount++;
    const double VR = f;
    if (VR < VL) {
      P[n1 - 1][C - 1] = f;
      for (int i = 0; i < n; i++) {
        f = gamm * b[i] + (1 - gamm) * P[i][C - 1];
        P[i][C - 1] = b[i];
        b[i] = f;
      }
      f = fn(b);
      if (!std::isfinite(f)) f = big;
      funcount++;
      if (f < VR) {
        for (int i = 0; i < n; i++) P[i][H - 1] = b[i];
        P[n1 - 1][H - 1] = f;
      } else {
        for (int i = 0; i < n; i++) P[i][H - 1] = P[i][C - 1];
        P[n1 - 1][H - 1] = VR;
      }
    } else {
      if (VR < VH) {
        for (int i = 0; i < n; i++) P[i][H - 1] = b[i];
        P[n1 - 1][H - 1] = VR;
      }
      for (int i = 0; i < n; i++) b[i] = (1 - bet) * P[i][H - 1] + bet * P[i][C - 1];
      f = fn(b);
      if (!std::isfinite(f)) f = big;
      funcount++;
      if (f < P[n1 - 1][H - 1]) {
        for (int i = 0; i < n; i++) P[i][H - 1] = b[i];
        P[n1 - 1][H - 1] = f;
      } else if (VR >= VH) {
        calcvert = true;
        size = 0.0;
        for (int j = 0; j < n1; j++) {
          if (j + 1 != L) {
            for (int i = 0; i < n; i++) {
              P[i][j] = bet * (P[i][j] - P[i][L - 1]) + P[i][L - 1];
              size += std::fabs(P[i][j] - P[i][L - 1]);
            }
          }
        }
        if (size < oldsize)
          oldsize = size;
        else
          break;
      }
    }
  } while (funcount <= maxit);
  std::vector<double> x(n);
  for (int i = 0; i < n; i++) x[i] = P[i][L - 1];
  return x;
}

// Are all roots of z^d + c[1] z^(d-1) + ... + c[d] (c[0] = 1) of modulus at
// most 1 + 1e-10 (R's test on polyroot)? Schur-Cohn recursion on the
// polynomial rescaled by that radius: O(d^2), no eigenvalues.
bool roots_within_unit_circle(std::vector<double> a) {
  const double r = 1 + 1e-10;
  double scale = 1;
  for (std::size_t i = 1; i < a.size(); i++) {
    scale /= r;
    a[i] *= scale;
  }
  for (int d = static_cast<int>(a.size()) - 1; d > 0; d--) {
    const double k = a[d] / a[0];
    if (!(std::fabs(k) < 1)) return false;
    std::vector<double> b(d);
    for (int i = 0; i < d; i++) b[i] = (a[i] - k * a[d - i]) / (1 - k * k);
    a.swap(b);
  }
  return true;
}

// Least squares of y on the columns of X (n x k).
Eigen::VectorXd least_squares(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  return X.colPivHouseholderQr().solve(y);
}

}  // namespace

std::string EtsFit::name() const {
  const char* letters = "NAM";
  std::string s = "ETS(";
  s += letters[spec.error];
  s += ',';
  s += letters[spec.trend];
  if (spec.damped) s += 'd';
  s += ',';
  s += letters[spec.season];
  s += ')';
  return s;
}

bool ets_admissible(double alpha, double beta, double gamma, double phi, int m, bool has_trend,
                    bool has_season) {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!has_season) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (has_trend && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
  } else if (m > 1) {
    if (!has_trend) beta = 0;
    if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
    if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
    if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
    std::vector<double> c;
    c.push_back(1);
    c.push_back(alpha + beta - phi);
    for (int i = 0; i < m - 2; i++) c.push_back(alpha + beta - alpha * phi);
    c.push_back(alpha + beta - alpha * phi + gamma - 1);
    c.push_back(phi * (1 - alpha - gamma));
    if (!roots_within_unit_circle(c)) return false;
  }
  return true;
}

std::vector<double> ets_initial_state(const std::vector<double>& y, int m, int trend, int season) {
  const int n = static_cast<int>(y.size());
  std::vector<double> init_seas, ysa = y;
  if (season != ets::kNone) {
    if (n < 4)
      data_error("series too short for a seasonal model",
                 "A seasonal exponential smoothing model needs at least 4 observations.",
                 "Use a non-seasonal method or provide a longer series.");
    std::vector<double> seasonal(n);
    if (n < 3 * m) {
      // Trend plus one Fourier pair, as R's tslm(y ~ trend + fourier(y, 1)).
      const bool with_sin = m != 2;
      Eigen::MatrixXd X(n, with_sin ? 4 : 3);
      Eigen::VectorXd yy(n);
      for (int t = 0; t < n; t++) {
        const double tt = t + 1;
        int c = 0;
        X(t, c++) = 1;
        X(t, c++) = tt;
        if (with_sin) X(t, c++) = std::sin(2 * M_PI * tt / m);
        X(t, c++) = std::cos(2 * M_PI * tt / m);
        yy(t) = y[t];
      }
      Eigen::VectorXd coef = least_squares(X, yy);
      for (int t = 0; t < n; t++) {
        const double tr = coef(0) + coef(1) * (t + 1);
        seasonal[t] = season == ets::kAdd ? y[t] - tr : y[t] / tr;
      }
    } else {
      seasonal = classical_seasonal(y, m, season == ets::kMult);
    }
    init_seas.resize(m - 1);
    for (int i = 0; i < m - 1; i++) init_seas[i] = seasonal[m - 1 - i];  // rev(seasonal[2:m])
    if (season == ets::kAdd) {
      for (int t = 0; t < n; t++) ysa[t] = y[t] - seasonal[t];
    } else {
      double sum = 0;
      for (double& s : init_seas) {
        s = std::max(s, 0.01);
        sum += s;
      }
      if (sum > m) {
        const double denom = sum + 0.01 * (m - 1);
        for (double& s : init_seas) s /= denom;
      }
      for (int t = 0; t < n; t++) ysa[t] = y[t] / std::max(seasonal[t], 0.01);
    }
  } else {
    m = 1;
  }
  const int maxn = std::min(std::max(10, 2 * m), n);
  std::vector<double> x;
  if (trend == ets::kNone) {
    double s = 0;
    for (int i = 0; i < maxn; i++) s += ysa[i];
    x.push_back(s / maxn);
  } else {
    // lsfit(1:maxn, ysa[1:maxn])
    double mx = 0, my = 0;
    for (int i = 0; i < maxn; i++) {
      mx += i + 1;
      my += ysa[i];
    }
    mx /= maxn;
    my /= maxn;
    double sxy = 0, sxx = 0;
    for (int i = 0; i < maxn; i++) {
      sxy += (i + 1 - mx) * (ysa[i] - my);
      sxx += (i + 1 - mx) * (i + 1 - mx);
    }
    const double slope = sxy / sxx, icpt = my - slope * mx;
    double l0 = icpt, b0 = slope;
    if (std::fabs(l0 + b0) < 1e-8) {
      l0 *= 1 + 1e-3;
      b0 *= 1 - 1e-3;
    }
    x.push_back(l0);
    x.push_back(b0);
  }
  x.insert(x.end(), init_seas.begin(), init_seas.end());
  return x;
}

void ets_replay(const std::vector<double>& y, EtsFit& fit) {
  const int n = static_cast<int>(y.size());
  fit.resid.assign(n, 0);
  fit.xn.assign(fit.x0.size(), 0);
  double mse = 0;
  fit.lik = ets::run(y.data(), n, fit.x0.data(), fit.m, fit.spec, fit.par, fit.resid.data(),
                     fit.xn.data(), &mse);
  fit.mse = mse;
  fit.fitted.resize(n);
  for (int i = 0; i < n; i++)
    fit.fitted[i] = fit.spec.error == ets::kAdd ? y[i] - fit.resid[i] : y[i] / (1 + fit.resid[i]);
}

EtsFit ets_fit(const std::vector<double>& y, int m, const ets::Spec& spec, const EtsFixed& fixed,
               bool crit_mse, Interrupt& interrupt) {
  EtsFit fit;
  fit.spec = spec;
  fit.m = spec.season != ets::kNone ? m : 1;
  const int mm = fit.m;
  const bool has_trend = spec.trend != ets::kNone, has_season = spec.season != ets::kNone;
  const bool has_beta = has_trend, has_gamma = has_season, has_phi = spec.damped;
  const bool g_alpha = !std::isnan(fixed.alpha), g_beta = has_beta && !std::isnan(fixed.beta),
             g_gamma = has_gamma && !std::isnan(fixed.gamma),
             g_phi = has_phi && !std::isnan(fixed.phi);
  double lower[4], upper[4];
  std::copy(kLower, kLower + 4, lower);
  std::copy(kUpper, kUpper + 4, upper);
  if (g_alpha) {
    upper[1] = std::min(fixed.alpha, upper[1]);
    upper[2] = std::min(1 - fixed.alpha, upper[2]);
  }
  if (g_beta) lower[0] = std::max(fixed.beta, lower[0]);
  if (g_gamma) upper[0] = std::min(1 - fixed.gamma, upper[0]);

  // Starting values (R's initparam, bounds "both").
  std::vector<double> par;
  double alpha = fixed.alpha, beta = fixed.beta, gamma = fixed.gamma, phi = fixed.phi;
  if (!g_alpha) {
    alpha = lower[0] + 0.2 * (upper[0] - lower[0]) / mm;
    if (alpha > 1 || alpha < 0) alpha = lower[0] + 2e-3;
    par.push_back(alpha);
  }
  if (has_beta && !g_beta) {
    const double ub = std::min(upper[1], alpha);
    beta = lower[1] + 0.1 * (ub - lower[1]);
    if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
    par.push_back(beta);
  }
  if (has_gamma && !g_gamma) {
    const double ug = std::min(upper[2], 1 - alpha);
    gamma = lower[2] + 0.05 * (ug - lower[2]);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 1e-3;
    par.push_back(gamma);
  }
  if (has_phi && !g_phi) {
    phi = lower[3] + 0.99 * (upper[3] - lower[3]);
    if (phi < 0 || phi > 1) phi = upper[3] - 1e-3;
    par.push_back(phi);
  }
  if (!has_beta) beta = 0;
  if (!has_gamma) gamma = 0;
  if (!has_phi) phi = 1;
  // R's check.param on the starting values: usual bounds, then admissibility.
  auto usual_ok = [&](double a, double b, double g, double p) {
    if (a < lower[0] || a > upper[0]) return false;
    if (has_beta && (b < lower[1] || b > a || b > upper[1])) return false;
    if (has_phi && (p < lower[3] || p > upper[3])) return false;
    if (has_gamma && (g < lower[2] || g > 1 - a || g > upper[2])) return false;
    return true;
  };
  if (!usual_ok(alpha, beta, gamma, phi) ||
      !ets_admissible(alpha, beta, gamma, phi, mm, has_trend, has_season))
    invalid_parameter("smoothing parameters out of range for " + fit.name(),
                      "The fixed smoothing parameters violate the usual bounds (0 < beta <= alpha, "
                      "gamma <= 1 - alpha, 0.8 <= phi <= 0.98) or are not admissible.",
                      "Choose other values or let them be estimated.");

  const std::vector<double> init = ets_initial_state(y, m, spec.trend, spec.season);
  const int nstate = static_cast<int>(init.size());
  const int nopt = static_cast<int>(par.size());
  par.insert(par.end(), init.begin(), init.end());
  const int np = static_cast<int>(par.size());
  const int n = static_cast<int>(y.size());
  if (np >= n - 1) return fit;  // not enough data: lik stays infinite

  std::vector<double> x(nstate + (has_season ? 1 : 0));
  auto unpack = [&](const std::vector<double>& p, ets::Params& pr) {
    int j = 0;
    pr.alpha = g_alpha ? fixed.alpha : p[j++];
    pr.beta = has_beta ? (g_beta ? fixed.beta : p[j++]) : 0;
    pr.gamma = has_gamma ? (g_gamma ? fixed.gamma : p[j++]) : 0;
    pr.phi = has_phi ? (g_phi ? fixed.phi : p[j++]) : 1;
    for (int i = 0; i < nstate; i++) x[i] = p[nopt + i];
    if (has_season) {
      double sum = 0;
      for (int i = has_trend ? 2 : 1; i < nstate; i++) sum += x[i];
      x[nstate] = (spec.season == ets::kMult ? mm : 0) - sum;
    }
  };
  auto objective = [&](const std::vector<double>& p) -> double {
    ets::Params pr;
    unpack(p, pr);
    // check_params of R's EtsTargetFunction (usual bounds on estimated ones).
    if (!g_alpha && (pr.alpha < lower[0] || pr.alpha > upper[0])) return kInf;
    if (has_beta && !g_beta && (pr.beta < lower[1] || pr.beta > pr.alpha || pr.beta > upper[1]))
      return kInf;
    if (has_phi && !g_phi && (pr.phi < lower[3] || pr.phi > upper[3])) return kInf;
    if (has_gamma && !g_gamma &&
        (pr.gamma < lower[2] || pr.gamma > 1 - pr.alpha || pr.gamma > upper[2]))
      return kInf;
    if (!ets_admissible(pr.alpha, pr.beta, pr.gamma, pr.phi, mm, has_trend, has_season))
      return kInf;
    if (spec.season == ets::kMult) {
      for (int i = has_trend ? 2 : 1; i < static_cast<int>(x.size()); i++)
        if (x[i] < 0) return kInf;
    }
    double mse = 0;
    double lik = ets::run(y.data(), n, x.data(), mm, spec, pr, nullptr, nullptr, &mse);
    if (std::fabs(lik - ets::kInvalid) < 1e-7) return kInf;  // R: lik == -99999
    if (lik < -1e10) lik = -1e10;
    if (std::isnan(lik)) return kInf;
    return crit_mse ? mse : lik;
  };
  const std::vector<double> best = nelder_mead(objective, par, interrupt);
  unpack(best, fit.par);
  fit.x0 = x;
  ets_replay(y, fit);
  if (std::isnan(fit.lik) || fit.lik == ets::kInvalid) {
    fit.lik = kInf;
    return fit;
  }
  const int npp = np + 1;
  fit.n_free = np;
  fit.aic = fit.lik + 2 * npp;
  fit.bic = fit.lik + std::log(static_cast<double>(n)) * npp;
  fit.aicc = fit.aic + 2.0 * npp * (npp + 1) / (n - npp - 1);
  // R: sigma2 = sum(e^2) / (n - length(par)); par also holds fixed values.
  const int ngiven = g_alpha + g_beta + g_gamma + g_phi;
  double sse = 0;
  for (double e : fit.resid) sse += e * e;
  fit.sigma2 = sse / (n - (np + ngiven));
  return fit;
}

EtsFit ets_auto(const std::vector<double>& y, int m, const EtsChoice& choice, const EtsFixed& fixed,
                Interrupt& interrupt, EtsFit* best_damped) {
  const int n = static_cast<int>(y.size());
  char season = choice.season;
  if (m < 1 || n <= m) season = season == 'Z' ? 'N' : season;
  if (m == 1 && (season == 'A' || season == 'M'))
    invalid_parameter("seasonal ETS model requested for non-seasonal data",
                      "The season length is 1, so there is no seasonal component to fit.",
                      "Set \"season\" to the number of periods in a cycle or choose a model "
                      "with season N.");
  if (m == 1) season = 'N';
  if (m > 24) {
    if (season == 'A' || season == 'M')
      invalid_parameter("season length " + std::to_string(m) + " is too long for a seasonal ETS model",
                        "Seasonal ETS models support season lengths up to 24.",
                        "Use season N, or the theta or snaive method.");
    season = 'N';
  }
  double ymin = y.empty() ? 0 : *std::min_element(y.begin(), y.end());
  const bool positive = ymin > 0;
  if (choice.error == 'M' && !positive)
    invalid_parameter("multiplicative ETS model needs positive data",
                      "The series has zero or negative values.",
                      "Use an additive error model, or let the model be chosen automatically.");
  if (choice.error == 'A' && season == 'M')
    invalid_parameter("ETS model with additive error and multiplicative season is not supported",
                      "Additive errors with a multiplicative season give an unstable model "
                      "(R's ets forbids the combination too).",
                      "Use model \"M" + std::string(1, choice.trend) + "M\", or an additive season.");
  std::vector<int> errs, trends, seasons, dampeds;
  auto expand = [](char c, std::initializer_list<int> all) {
    std::vector<int> v;
    if (c == 'Z')
      v.assign(all);
    else
      v.push_back(c == 'N' ? ets::kNone : c == 'A' ? ets::kAdd : ets::kMult);
    return v;
  };
  errs = expand(choice.error, {ets::kAdd, ets::kMult});
  trends = expand(choice.trend, {ets::kNone, ets::kAdd});
  seasons = expand(season, {ets::kNone, ets::kAdd, ets::kMult});
  if (choice.damped < 0)
    dampeds = {1, 0};
  else
    dampeds = {choice.damped};
  EtsFit best;
  double best_ic = kInf, damped_ic = kInf;
  for (int e : errs)
    for (int t : trends)
      for (int s : seasons)
        for (int d : dampeds) {
          if (t == ets::kNone && d) continue;
          if (e == ets::kAdd && (t == ets::kMult || s == ets::kMult)) continue;
          if (e == ets::kMult && t == ets::kMult && s == ets::kAdd) continue;
          if (!positive && e == ets::kMult) continue;
          ets::Spec spec{e, t, s, d != 0};
          EtsFit fit;
          try {
            fit = ets_fit(y, m, spec, fixed, false, interrupt);
          } catch (const Error&) {
            if (choice.error != 'Z' && choice.trend != 'Z' && season != 'Z' && choice.damped >= 0)
              throw;
            continue;
          }
          if (!fit.ok()) continue;
          const double ic = choice.ic == "aic" ? fit.aic : choice.ic == "bic" ? fit.bic : fit.aicc;
          if (std::isnan(ic)) continue;
          if (best_damped && spec.damped && ic < damped_ic) {
            damped_ic = ic;
            *best_damped = fit;
          }
          if (ic < best_ic) {
            best_ic = ic;
            best = std::move(fit);
          }
        }
  if (!(best_ic < kInf))
    data_error("series too short for an ETS model",
               "The series has " + std::to_string(n) +
                   " observations, fewer than the candidate models have parameters.",
               "Provide a longer series or use a baseline method such as naive or mean.");
  return best;
}

std::vector<double> ets_point(const EtsFit& fit, int h) {
  std::vector<double> f(h);
  const int off = fit.spec.trend != ets::kNone ? 2 : 1;
  const double b = fit.spec.trend != ets::kNone ? fit.xn[1] : 0;
  ets::forecast_steps(fit.xn[0], b, fit.xn.data() + off, fit.m, fit.spec.trend, fit.spec.season,
                      fit.par.phi, f.data(), h);
  return f;
}

namespace {

Eigen::MatrixXd kron(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) {
  Eigen::MatrixXd K(A.rows() * B.rows(), A.cols() * B.cols());
  for (int i = 0; i < A.rows(); i++)
    for (int j = 0; j < A.cols(); j++) K.block(i * B.rows(), j * B.cols(), B.rows(), B.cols()) = A(i, j) * B;
  return K;
}

// R's class1: mean H F^j x and variance sigma2 (1 + sum_{j<h} (H F^j G)^2),
// with R's placement of gamma in G (third state). cj receives H F^j G.
void class1(const EtsFit& fit, int h, std::vector<double>& mu, std::vector<double>& var,
            std::vector<double>& cj) {
  const auto& sp = fit.spec;
  const int p = static_cast<int>(fit.xn.size()), m = fit.m;
  Eigen::RowVectorXd H = Eigen::RowVectorXd::Zero(p);
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(p, p);
  Eigen::VectorXd G = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(fit.xn.data(), p);
  H(0) = 1;
  F(0, 0) = 1;
  G(0) = fit.par.alpha;
  if (sp.season == ets::kAdd) H(p - 1) = 1;
  if (sp.trend == ets::kAdd) {
    const double ph = sp.damped ? fit.par.phi : 1;
    H(1) = ph;
    F(0, 1) = F(1, 1) = ph;
    G(1) = fit.par.beta;
  }
  if (sp.season == ets::kAdd) {
    F(p - m, p - 1) = 1;
    for (int i = 0; i < m - 1; i++) F(p - m + 1 + i, p - m + i) = 1;
    if (p > 2) G(2) = fit.par.gamma;
  }
  Eigen::MatrixXd Fj = Eigen::MatrixXd::Identity(p, p);
  mu.assign(h, 0);
  var.assign(h, 0);
  cj.assign(h, 0);
  double cum = 0;
  for (int i = 0; i < h; i++) {
    mu[i] = (H * Fj * x)(0, 0);
    var[i] = fit.sigma2 * (1 + cum);
    cj[i] = (H * Fj * G)(0, 0);
    cum += cj[i] * cj[i];
    Fj = Fj * F;
  }
}

// R's class2 (multiplicative error, additive or no trend and season).
void class2(const EtsFit& fit, int h, std::vector<double>& mu, std::vector<double>& var) {
  std::vector<double> cj;
  class1(fit, h, mu, var, cj);
  std::vector<double> theta(h);
  const double s2 = fit.sigma2;
  theta[0] = mu[0] * mu[0];
  for (int j = 1; j < h; j++) {
    double s = 0;
    for (int k = 0; k < j; k++) s += cj[k] * cj[k] * theta[j - 1 - k];
    theta[j] = mu[j] * mu[j] + s2 * s;
  }
  for (int j = 0; j < h; j++) var[j] = (1 + s2) * theta[j] - mu[j] * mu[j];
}

// R's class3 (multiplicative error and season, additive or no trend):
// mean and variance of the future values by their second moments.
void class3(const EtsFit& fit, int h, std::vector<double>& mu, std::vector<double>& var) {
  using Eigen::MatrixXd;
  const auto& sp = fit.spec;
  const int p = static_cast<int>(fit.xn.size()), m = fit.m, q = p - m;
  const double s2 = fit.sigma2;
  MatrixXd H1 = MatrixXd::Ones(1, q), H2 = MatrixXd::Zero(1, m);
  H2(0, m - 1) = 1;
  MatrixXd F1(q, q), G1(q, q);
  if (sp.trend == ets::kNone) {
    F1(0, 0) = 1;
    G1(0, 0) = fit.par.alpha;
  } else {
    F1 << 1, 1, 0, sp.damped ? fit.par.phi : 1;
    G1 << fit.par.alpha, fit.par.alpha, fit.par.beta, fit.par.beta;
  }
  MatrixXd F2 = MatrixXd::Zero(m, m), G2 = MatrixXd::Zero(m, m);
  F2(0, m - 1) = 1;
  for (int i = 1; i < m; i++) F2(i, i - 1) = 1;
  G2(0, m - 1) = fit.par.gamma;
  MatrixXd Mh(q, m);
  for (int i = 0; i < q; i++)
    for (int j = 0; j < m; j++) Mh(i, j) = fit.xn[i] * fit.xn[q + j];
  const int d = q * m;
  MatrixXd Vh = MatrixXd::Zero(d, d);
  const MatrixXd H21 = kron(H2, H1), F21 = kron(F2, F1), G21 = kron(G2, G1);
  const MatrixXd K = kron(G2, F1) + kron(F2, G1);
  mu.assign(h, 0);
  var.assign(h, 0);
  for (int i = 0; i < h; i++) {
    mu[i] = (H1 * Mh * H2.transpose())(0, 0);
    var[i] = (1 + s2) * (H21 * Vh * H21.transpose())(0, 0) + s2 * mu[i] * mu[i];
    const Eigen::VectorXd v = Eigen::Map<const Eigen::VectorXd>(Mh.data(), d);  // column-major = R's c()
    const MatrixXd vv = v * v.transpose();
    Vh = (F21 * Vh * F21.transpose() +
          s2 * (F21 * Vh * G21.transpose() + G21 * Vh * F21.transpose() +
                K * (Vh + vv) * K.transpose() + s2 * G21 * (3 * Vh + 2 * vv) * G21.transpose()))
             .eval();
    Mh = (F1 * Mh * F2.transpose() + G1 * Mh * G2.transpose() * s2).eval();
  }
}

}  // namespace

void ets_forecast(const EtsFit& fit, int h, double level, std::uint64_t seed, int nsim,
                  std::vector<double>& mean, std::vector<double>& lower,
                  std::vector<double>& upper) {
  const auto& sp = fit.spec;
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + level / 2);
  std::vector<double> var, cj;
  bool analytic = true;
  if (sp.error == ets::kAdd && sp.trend != ets::kMult && sp.season != ets::kMult)
    class1(fit, h, mean, var, cj);
  else if (sp.error == ets::kMult && sp.trend != ets::kMult && sp.season != ets::kMult)
    class2(fit, h, mean, var);
  else if (sp.error == ets::kMult && sp.season == ets::kMult && sp.trend != ets::kMult)
    class3(fit, h, mean, var);
  else
    analytic = false;
  if (analytic) {
    lower.resize(h);
    upper.resize(h);
    for (int i = 0; i < h; i++) {
      lower[i] = mean[i] - z * std::sqrt(var[i]);
      upper[i] = mean[i] + z * std::sqrt(var[i]);
    }
    return;
  }
  mean = ets_point(fit, h);
  ets_interval(fit, h, level, seed, nsim, lower, upper);
}

void ets_interval(const EtsFit& fit, int h, double level, std::uint64_t seed, int nsim,
                  std::vector<double>& lower, std::vector<double>& upper) {
  if (static_cast<std::int64_t>(h) * nsim > kMaxSimulatedValues)
    throw Error(sqlstate::kProgramLimitExceeded, "simulated prediction intervals are too large",
                "The model's intervals need horizon * nsim = " + std::to_string(h) + " * " +
                    std::to_string(nsim) + " simulated values; at most " +
                    std::to_string(kMaxSimulatedValues) + " are allowed.",
                "Lower the option \"nsim\" or the horizon.");
  lower.assign(h, kNaN);
  upper.assign(h, kNaN);
  const auto& sp = fit.spec;
  // Simulated sample paths: y = f + e (A) or f (1 + e) (M), e ~ N(0, sigma2).
  std::mt19937_64 rng(seed);
  const double sd = std::sqrt(fit.sigma2);
  std::vector<std::vector<double>> paths(h, std::vector<double>(nsim));
  const int off = sp.trend != ets::kNone ? 2 : 1;
  double s[ets::kMaxSeason], olds[ets::kMaxSeason];
  for (int k = 0; k < nsim; k++) {
    double l = fit.xn[0], b = sp.trend != ets::kNone ? fit.xn[1] : 0;
    if (sp.season != ets::kNone)
      for (int j = 0; j < fit.m; j++) s[j] = fit.xn[off + j];
    for (int i = 0; i < h; i++) {
      const double oldl = l, oldb = b;
      if (sp.season != ets::kNone)
        for (int j = 0; j < fit.m; j++) olds[j] = s[j];
      double f;
      ets::forecast_steps(oldl, oldb, olds, fit.m, sp.trend, sp.season, fit.par.phi, &f, 1);
      const double e = sd * standard_normal(rng);
      const double yv = sp.error == ets::kAdd ? f + e : f * (1 + e);
      paths[i][k] = yv;
      ets::update_state(oldl, l, oldb, b, olds, s, fit.m, sp.trend, sp.season, fit.par, yv);
    }
  }
  for (int i = 0; i < h; i++) {
    lower[i] = sample_quantile(paths[i], 0.5 - level / 2);
    upper[i] = sample_quantile(paths[i], 0.5 + level / 2);
  }
}

}  // namespace supplyml
