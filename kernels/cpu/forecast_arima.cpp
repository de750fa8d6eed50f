// Method "arima": fixed orders as forecast::Arima, forecasts and intervals
// as predict.Arima (the Kalman filter run forward from the last state), and
// the ForecastOutput of the automatic and fixed forms.
#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "forecast_arima_internal.hpp"
#include "supplyml/error.hpp"

namespace supplyml {

using namespace arima;

namespace {

void check_order(const char* what, int v, int lo, int hi) {
  if (v < lo || v > hi)
    invalid_parameter(std::string("ARIMA ") + what + " out of range",
                      std::string("The ") + what + " was " + std::to_string(v) + "; it must lie between " +
                          std::to_string(lo) + " and " + std::to_string(hi) + ".",
                      "Use smaller orders, for example \"order\": [0, 1, 1].");
}

}  // namespace

std::string ArimaFit::name() const {
  const ArimaOrder& o = order;
  std::string s = "ARIMA(" + std::to_string(o.p) + "," + std::to_string(o.d) + "," +
                  std::to_string(o.q) + ")";
  if (o.m > 1 && o.P + o.D + o.Q > 0)
    s += "(" + std::to_string(o.P) + "," + std::to_string(o.D) + "," + std::to_string(o.Q) + ")[" +
         std::to_string(o.m) + "]";
  if (drift)
    s += " with drift";
  else if (mean)
    s += " with non-zero mean";
  else if (o.d == 0 && o.D == 0)
    s += " with zero mean";
  return s;
}

ArimaFit arima_fit_fixed(const std::vector<double>& y, int m, const ArimaOptions& opt,
                         Interrupt& interrupt) {
  if (m < 1) m = 1;
  ArimaOrder o{opt.p, opt.d, opt.q, std::max(opt.P, 0), std::max(opt.D, 0), std::max(opt.Q, 0), m};
  check_order("p", o.p, 0, 20);
  check_order("d", o.d, 0, 2);
  check_order("q", o.q, 0, 20);
  check_order("seasonal P", o.P, 0, 5);
  check_order("seasonal D", o.D, 0, 1);
  check_order("seasonal Q", o.Q, 0, 5);
  if (m == 1 && o.P + o.D + o.Q > 0)
    invalid_parameter("seasonal ARIMA orders need a season length above 1",
                      "The season length is 1 but \"seasonal_order\" is not [0, 0, 0].",
                      "Set \"season\" in the options, or drop \"seasonal_order\".");
  const bool drift = opt.include_drift == 1;
  if (drift && o.d + o.D != 1)
    invalid_parameter("drift needs exactly one difference",
                      "A drift term is a constant of a once-differenced series; the model has " +
                          std::to_string(o.d + o.D) + " differences.",
                      "Use d + D = 1 with \"include_drift\", or remove \"include_drift\".");
  const int n = static_cast<int>(y.size());
  const int nstar = n - o.d - o.D * m;
  ArimaFit shape;
  shape.order = o;
  shape.drift = drift;
  shape.mean = opt.include_mean != 0 && o.d + o.D == 0;
  const std::string label = shape.name();
  const int npar = o.p + o.q + o.P + o.Q + ((opt.include_mean != 0 && o.d + o.D == 0) || drift) + 1;
  const int need = std::max(o.d + o.D * m + o.p + m * o.P + 1, o.d + o.D * m + npar + 2);
  if (o.D > 0 && n <= 2 * m)
    data_error("series too short for " + label,
               "The series has " + std::to_string(n) + " observations; seasonal differencing of lag " +
                   std::to_string(m) + " needs more than two seasons (" + std::to_string(2 * m) + ").",
               "Provide a longer series or use \"seasonal_order\" with D = 0.");
  if (n < need)
    data_error("series too short for " + label,
               "The series has " + std::to_string(n) + " observations; these orders need at least " +
                   std::to_string(need) + ".",
               "Provide a longer series or use smaller orders.");
  Estimate est;
  std::string note;
  try {
    est = estimate(y, o, opt.include_mean != 0, drift, false, interrupt);
  } catch (const NumericError&) {
    try {
      est = estimate(y, o, opt.include_mean != 0, drift, true, interrupt);
      note = "maximum likelihood failed: conditional sum-of-squares estimates";
    } catch (const NumericError&) {
      data_error("ARIMA estimation failed for " + label,
                 "Neither maximum likelihood nor conditional sum of squares gave finite estimates.",
                 "Use smaller orders or method auto.");
    }
  }
  ArimaFit f = std::move(est.fit);
  if (!f.converged) note = "optimizer stopped at its iteration limit";
  const int k = static_cast<int>(f.coef.size()) + 1;
  if (!f.css_only) {
    f.aicc = f.aic + 2.0 * k * (static_cast<double>(nstar) / (nstar - k - 1) - 1);
    f.bic = f.aic + k * (std::log(static_cast<double>(nstar)) - 2);
  }
  double ss = 0;
  for (double e : f.resid) ss += e * e;
  f.sigma2 = ss / (nstar - k + 1);
  f.note = note;
  return f;
}

void arima_forecast(const ArimaFit& fit, const std::vector<double>& y, int h, double level,
                    std::vector<double>& mean, std::vector<double>& lower,
                    std::vector<double>& upper) {
  const ArimaOrder& o = fit.order;
  const Arma a{o.p, o.q, o.P, o.Q, std::max(1, o.m), o.d, o.D};
  const int narma = a.narma(), n = static_cast<int>(y.size());
  const double beta = (fit.mean || fit.drift) ? fit.coef[narma] : 0.0;
  std::vector<double> x = y;
  for (int i = 0; i < n; i++) x[i] -= fit.drift ? beta * (i + 1.0) : (fit.mean ? beta : 0.0);
  std::vector<double> phi, theta;
  trans_pars(fit.coef, a, false, phi, theta);
  const std::vector<double> delta = delta_of(a.d, a.D, a.m);
  LikSums s;
  State st;
  Kalman filter;
  filter.set(phi, theta, delta);
  filter.run(x.data(), n, s, nullptr, &st);
  const Model& mo = filter.model();
  const int rd = mo.r + mo.d;
  std::vector<double> anew(rd), Pnew(static_cast<std::size_t>(rd) * rd), mm(Pnew.size());
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + level / 2);
  mean.clear();
  lower.clear();
  upper.clear();
  for (int l = 0; l < h; l++) {
    predict_state(mo, st.a.data(), anew.data());
    st.a = anew;
    predict_cov(mo, st.P.data(), Pnew.data(), mm.data());
    st.P = Pnew;
    double fc = st.a[0], var = st.P[0];
    for (int i = 0; i < mo.d; i++) fc += delta[i] * st.a[mo.r + i];
    // Z' P Z with Z = (1, 0.., delta).
    for (int i = 0; i < mo.d; i++) {
      var += 2 * delta[i] * st.P[mo.r + i];
      for (int j = 0; j < mo.d; j++) var += delta[i] * delta[j] * st.P[(mo.r + i) + rd * (mo.r + j)];
    }
    const double xm = fit.drift ? beta * (n + l + 1.0) : (fit.mean ? beta : 0.0);
    const double se = std::sqrt(std::max(0.0, var) * fit.sigma2);
    mean.push_back(fc + xm);
    lower.push_back(fc + xm - z * se);
    upper.push_back(fc + xm + z * se);
  }
}

ForecastOutput arima_output(const ArimaFit& fit, const std::vector<double>& y, int h, double level) {
  ForecastOutput out;
  out.method = fit.name();
  arima_forecast(fit, y, h, level, out.point, out.lower, out.upper);
  for (std::size_t i = 0; i < fit.coef.size(); i++) out.params.push_back({fit.names[i], fit.coef[i]});
  out.params.push_back({"sigma2", fit.sigma2});
  if (std::isfinite(fit.loglik)) out.params.push_back({"loglik", fit.loglik});
  if (std::isfinite(fit.aicc)) {
    out.params.push_back({"aicc", fit.aicc});
    out.aicc = fit.aicc;
  }
  if (fit.resid.size() == y.size()) {
    out.fitted.resize(y.size());
    for (std::size_t i = 0; i < y.size(); i++) out.fitted[i] = y[i] - fit.resid[i];
  }
  out.note = fit.note;
  for (double v : out.point)
    if (!std::isfinite(v))
      throw Error(sqlstate::kNumericOutOfRange, "ARIMA forecast overflowed",
                  "The fitted model " + out.method + " gave a non-finite forecast.",
                  "Rescale the series or use smaller orders.");
  for (std::size_t i = 0; i < out.lower.size(); i++)
    if (!std::isfinite(out.lower[i]) || !std::isfinite(out.upper[i]))
      throw Error(sqlstate::kNumericOutOfRange, "ARIMA prediction interval overflowed",
                  "The fitted model " + out.method + " gave a non-finite interval.",
                  "Rescale the series or use smaller orders.");
  return out;
}

ForecastOutput arima_auto(const std::vector<double>& y, int m, int h, double level,
                          const ArimaOptions& opt, Interrupt& interrupt) {
  if (opt.fixed()) return arima_fixed(y, m, h, level, opt, interrupt);
  return arima_output(arima_fit_auto(y, m, opt, interrupt), y, h, level);
}

ForecastOutput arima_fixed(const std::vector<double>& y, int m, int h, double level,
                           const ArimaOptions& opt, Interrupt& interrupt) {
  return arima_output(arima_fit_fixed(y, m, opt, interrupt), y, h, level);
}

}  // namespace supplyml
