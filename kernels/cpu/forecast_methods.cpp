// The forecasting methods by name: baselines, ETS, Theta and the Croston
// family, each with its point forecasts and prediction intervals.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "supplyml/error.hpp"
#include "supplyml/forecast.hpp"
#include "supplyml/forecast_arima.hpp"
#include "supplyml/forecast_stats.hpp"
#include "forecast_internal.hpp"

namespace supplyml {
namespace {

double z_of(double level) {
  return boost::math::quantile(boost::math::normal(), 0.5 + level / 2);
}

void too_short(const std::string& method, int n, int need) {
  data_error("series too short for method " + method,
             "The series has " + std::to_string(n) + " observations; method " + method +
                 " needs at least " + std::to_string(need) + ".",
             "Provide a longer series or choose a simpler method such as naive or mean.");
}

// R's lagwalk: naive (lag 1), seasonal naive (lag m), drift (lag 1 + drift).
ForecastOutput lag_walk(const std::vector<double>& y, int h, int lag, bool drift, double level) {
  const int n = static_cast<int>(y.size());
  ForecastOutput out;
  std::vector<double> d;
  for (int i = lag; i < n; i++) d.push_back(y[i] - y[i - lag]);
  double b = 0, bse = 0, mse = 0;
  const int k = static_cast<int>(d.size());
  if (drift) {
    b = std::accumulate(d.begin(), d.end(), 0.0) / k;
    for (double v : d) mse += (v - b) * (v - b);
    mse /= (k - 1);
    bse = std::sqrt(mse / k);
  } else {
    for (double v : d) mse += v * v;
    mse /= k;
  }
  const double z = z_of(level);
  out.fitted.assign(n, kNaN);
  for (int i = lag; i < n; i++) out.fitted[i] = y[i - lag] + b;
  for (int i = 0; i < h; i++) {
    const int steps = i / lag + 1;
    const double f = y[n - lag + (i % lag)] + steps * b;
    const double se = std::sqrt(mse * steps + (steps * bse) * (steps * bse));
    out.point.push_back(f);
    out.lower.push_back(f - z * se);
    out.upper.push_back(f + z * se);
  }
  out.params.push_back({"sigma2", mse});
  if (drift) out.params.push_back({"drift", b});
  return out;
}

// R's meanf: Student-t intervals with sd(y) sqrt(1 + 1/n).
ForecastOutput mean_method(const std::vector<double>& y, int h, double level) {
  const int n = static_cast<int>(y.size());
  const double mu = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double ss = 0;
  for (double v : y) ss += (v - mu) * (v - mu);
  const double sd = std::sqrt(ss / (n - 1));
  const double t = boost::math::quantile(boost::math::students_t(n - 1), 0.5 + level / 2);
  const double se = sd * std::sqrt(1 + 1.0 / n);
  ForecastOutput out;
  out.point.assign(h, mu);
  out.lower.assign(h, mu - t * se);
  out.upper.assign(h, mu + t * se);
  out.fitted.assign(n, mu);
  out.params.push_back({"mean", mu});
  return out;
}

// Seasonal test of R's thetaf: |r_m| / sqrt((1 + 2 sum_{k<m} r_k^2) / n)
// above the 95 % normal quantile, with n > 2m. Returns the multiplicative
// seasonal indices (empty if not seasonal).
std::vector<double> seasonal_indices(const std::vector<double>& y, int m, Interrupt& interrupt) {
  const int n = static_cast<int>(y.size());
  if (m <= 1 || n <= 2 * static_cast<std::int64_t>(m)) return {};
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; })) return {};
  const std::vector<double> r = autocorrelation(y, m, &interrupt);
  double s = 0;
  for (int k = 0; k < m - 1; k++) s += r[k] * r[k];
  const double stat = std::sqrt((1 + 2 * s) / n);
  if (!(std::fabs(r[m - 1]) / stat > 1.6448536269514722)) return {};
  if (*std::min_element(y.begin(), y.end()) <= 0) return {};
  std::vector<double> si = classical_seasonal(y, m, true);
  for (double v : si)
    if (std::fabs(v) < 1e-4) return {};
  return si;
}

// Exponential smoothing fitted by MSE (R's ses / holt), optionally on the
// seasonally adjusted series (M4 benchmark practice).
ForecastOutput smoothing(const std::vector<double>& y0, int h, int m, const ets::Spec& spec,
                         const ForecastOptions& opt, Interrupt& interrupt, bool theta) {
  const int n = static_cast<int>(y0.size());
  const std::vector<double> si = seasonal_indices(y0, m, interrupt);
  std::vector<double> y = y0;
  if (!si.empty())
    for (int i = 0; i < n; i++) y[i] /= si[i];
  EtsFit fit = ets_fit(y, 1, spec, opt.fixed, true, interrupt);
  if (!fit.ok()) too_short(opt.method, n, static_cast<int>(fit.x0.size()) + 4);
  ForecastOutput out;
  out.fitted = fit.fitted;
  if (theta) {
    out.point = ets_point(fit, h);
    // SES with drift: half the slope of the linear trend (R's thetaf).
    double mx = (n - 1) / 2.0, my = std::accumulate(y.begin(), y.end(), 0.0) / n, sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - mx) * (y[i] - my);
      sxx += (i - mx) * (i - mx);
    }
    const double drift = sxy / sxx / 2;
    const double a = std::max(1e-10, fit.par.alpha);
    const double z = z_of(opt.level);
    for (int i = 0; i < h; i++) {
      out.point[i] += drift * (i + (1 - std::pow(1 - a, n)) / a);
      if (!si.empty()) out.point[i] *= si[n - m + (i % m)];
      const double se = std::sqrt(fit.sigma2) * std::sqrt(i * a * a + 1);
      out.lower.push_back(out.point[i] - z * se);
      out.upper.push_back(out.point[i] + z * se);
    }
    if (!si.empty())
      for (int i = 0; i < n; i++) out.fitted[i] *= si[i];
    out.params = {{"alpha", a}, {"drift", drift}, {"sigma2", fit.sigma2}};
  } else {
    ets_forecast(fit, h, opt.level, opt.seed, opt.nsim, out.point, out.lower, out.upper);
    if (!si.empty()) {
      for (int i = 0; i < h; i++) {
        const double s = si[n - m + (i % m)];
        out.point[i] *= s;
        out.lower[i] *= s;
        out.upper[i] *= s;
      }
      for (int i = 0; i < n; i++) out.fitted[i] *= si[i];
    }
    out.params.push_back({"alpha", fit.par.alpha});
    if (spec.trend != ets::kNone) out.params.push_back({"beta", fit.par.beta});
    if (spec.damped) out.params.push_back({"phi", fit.par.phi});
    out.params.push_back({"sigma2", fit.sigma2});
  }
  if (!si.empty()) out.note = "seasonally adjusted (multiplicative, season " + std::to_string(m) + ")";
  return out;
}

ForecastOutput ets_method(const std::vector<double>& y, int h, const ForecastOptions& opt,
                          Interrupt& interrupt) {
  return ets_output(ets_auto(y, opt.season, opt.ets, opt.fixed, interrupt), h, opt);
}

// SES with the level started at the first value (R's ses(initial = "simple")).
double ses_simple(const std::vector<double>& x, double alpha) {
  double l = x[0];
  for (std::size_t i = 1; i < x.size(); i++) l += alpha * (x[i] - l);
  return l;
}

// Bounds from the per-period demand distribution: no demand with probability
// 1 - p, otherwise a size drawn from the observed non-zero sizes.
void intermittent_bounds(const std::vector<double>& y, double p, double level, int h,
                         ForecastOutput& out) {
  std::vector<double> sizes;
  for (double v : y)
    if (v != 0) sizes.push_back(v);
  std::sort(sizes.begin(), sizes.end());
  auto q = [&](double prob) {
    if (prob <= 1 - p || sizes.empty()) return 0.0;
    std::vector<double> s = sizes;
    return sample_quantile(s, std::min(1.0, (prob - (1 - p)) / p));
  };
  out.lower.assign(h, q(0.5 - level / 2));
  out.upper.assign(h, q(0.5 + level / 2));
}

ForecastOutput croston_family(const std::vector<double>& y, int h, const ForecastOptions& opt) {
  const int n = static_cast<int>(y.size());
  for (double v : y)
    if (v < 0)
      invalid_parameter("method " + opt.method + " needs non-negative demand",
                        "The series has a negative value; intermittent-demand methods model "
                        "sizes and intervals of non-negative demand.",
                        "Remove returns and cancellations from the series or use method ets.");
  std::vector<double> sizes, intervals;
  int last = 0;  // R counts the first interval from time 0
  for (int i = 0; i < n; i++)
    if (y[i] > 0) {
      sizes.push_back(y[i]);
      intervals.push_back(i + 1 - last);
      last = i + 1;
    }
  ForecastOutput out;
  const double a = opt.alpha;
  double f = 0, p = 0;
  if (opt.method == "tsb") {
    // Teunter, Syntetos & Babai (2011): size smoothed on demand periods,
    // probability of demand smoothed every period.
    if (sizes.empty()) return out;
    double z = sizes[0];
    p = static_cast<double>(sizes.size()) / n;
    bool first = true;
    for (int i = 0; i < n; i++) {
      const bool d = y[i] > 0;
      p += opt.beta * ((d ? 1.0 : 0.0) - p);
      if (d) {
        if (!first) z += a * (y[i] - z);
        first = false;
      }
    }
    f = p * z;
    out.params = {{"alpha", a}, {"beta", opt.beta}, {"probability", p}, {"size", z}};
  } else {
    double zs, zi;
    if (sizes.size() == 1) {
      zs = sizes[0];
      zi = intervals[0];
    } else {
      zs = ses_simple(sizes, a);
      zi = ses_simple(intervals, a);
    }
    f = zs / zi;
    if (opt.method == "sba") f *= 1 - a / 2;
    p = std::min(1.0, 1.0 / zi);
    out.params = {{"alpha", a}, {"size", zs}, {"interval", zi}};
  }
  out.point.assign(h, f);
  intermittent_bounds(y, p, opt.level, h, out);
  return out;
}

}  // namespace

ForecastOutput ets_output(const EtsFit& fit, int h, const ForecastOptions& opt) {
  ForecastOutput out;
  out.method = fit.name();
  ets_forecast(fit, h, opt.level, opt.seed, opt.nsim, out.point, out.lower, out.upper);
  out.fitted = fit.fitted;
  // A series the model fits exactly (a constant one) has a likelihood of
  // -infinity: its AICc is undefined, NaN here and NULL in SQL.
  out.aicc = std::isfinite(fit.aicc) ? fit.aicc : std::numeric_limits<double>::quiet_NaN();
  out.params.push_back({"alpha", fit.par.alpha});
  if (fit.spec.trend != ets::kNone) out.params.push_back({"beta", fit.par.beta});
  if (fit.spec.season != ets::kNone) out.params.push_back({"gamma", fit.par.gamma});
  if (fit.spec.damped) out.params.push_back({"phi", fit.par.phi});
  out.params.push_back({"sigma2", fit.sigma2});
  return out;
}

const std::vector<std::string>& forecast_methods() {
  static const std::vector<std::string> names = {"auto",  "ets",    "arima", "ses",  "holt",  "damped",
                                                 "theta", "naive",  "snaive", "mean", "drift",
                                                 "croston", "sba",  "tsb"};
  return names;
}

void validate_forecast_options(const ForecastOptions& opt, int horizon) {
  if (horizon < 1)
    invalid_parameter("horizon must be at least 1",
                      "The horizon was " + std::to_string(horizon) + ".",
                      "Ask for one or more steps ahead.");
  if (horizon > kMaxHorizon)
    invalid_parameter("horizon must be at most " + std::to_string(kMaxHorizon),
                      "The horizon was " + std::to_string(horizon) + ".",
                      "Ask for fewer steps ahead, or aggregate the series to a longer period.");
  const auto& names = forecast_methods();
  if (std::find(names.begin(), names.end(), opt.method) == names.end()) {
    std::string list;
    for (const auto& s : names) list += (list.empty() ? "" : ", ") + s;
    invalid_parameter("unknown forecasting method \"" + opt.method + "\"",
                      "The methods are " + list + ".", "Use one of the listed method names.");
  }
  // The same bounds as the options' "level": closer to 0 or 1 the normal
  // quantile of the interval overflows.
  if (!(opt.level >= 1e-6 && opt.level <= 1 - 1e-6))
    invalid_parameter("level must be between 0.000001 and 0.999999",
                      "The prediction interval level was " + number_text(opt.level) + ".",
                      "Use for example 0.95 for 95 % intervals.");
  if (opt.season < 1 || opt.season > kMaxSeasonLength)
    invalid_parameter("season must be between 1 and " + std::to_string(kMaxSeasonLength),
                      "The season length was " + std::to_string(opt.season) + ".",
                      "Use 1 for no seasonality or the number of periods in a cycle.");
  if (!(opt.pool >= 0 && opt.pool <= 1e6))
    invalid_parameter("pool must be between 0 and 1000000",
                      "The pool threshold of auto was " + number_text(opt.pool) + ".",
                      "Use 0 to select the best method on the holdout, or a number of standard "
                      "errors such as 3.5.");
  if (!(opt.alpha > 0 && opt.alpha <= 1) || !(opt.beta > 0 && opt.beta <= 1))
    invalid_parameter("smoothing parameter out of range",
                      "Croston, SBA and TSB smoothing parameters must lie in (0, 1].",
                      "Use a value such as 0.1.");
}

DemandClass classify_demand(const std::vector<double>& y) {
  DemandClass c;
  std::vector<double> sizes;
  for (double v : y)
    if (v != 0) sizes.push_back(v);
  const double k = static_cast<double>(sizes.size());
  if (sizes.empty()) return c;
  c.adi = static_cast<double>(y.size()) / k;
  if (sizes.size() < 2) return c;
  const double mu = std::accumulate(sizes.begin(), sizes.end(), 0.0) / k;
  double ss = 0;
  for (double v : sizes) ss += (v - mu) * (v - mu);
  c.cv2 = mu != 0 ? ss / (k - 1) / (mu * mu) : 0;
  return c;
}

ForecastOutput forecast_series(const std::vector<double>& y, int h, const ForecastOptions& opt,
                               Interrupt& interrupt) {
  validate_forecast_options(opt, h);
  const int n = static_cast<int>(y.size());
  if (n == 0)
    data_error("series is empty", "No observations were given.", "Provide at least one row.");
  for (double v : y)
    if (!std::isfinite(v))
      data_error("series contains a non-finite value",
                 "NaN and infinite values cannot be forecast.",
                 "Replace or remove them before forecasting.");
  for (double v : y)
    if (std::fabs(v) > kMaxValue)
      throw Error(sqlstate::kNumericOutOfRange, "series values are too large to forecast",
                  "A value of magnitude above 1e100 overflows the likelihoods and intervals.",
                  "Rescale the series, for example to thousands of units.");
  if (opt.nonnegative) return forecast_nonnegative(y, h, opt, interrupt);
  const std::string& me = opt.method;
  const int m = opt.season;
  if ((me == "snaive") && m <= 1)
    invalid_parameter("method snaive needs a season length above 1",
                      "The season length is 1.", "Set \"season\" in the options.");
  if (m > 1 && n <= m &&
      (me == "snaive" || (me == "ets" && (opt.ets.season == 'A' || opt.ets.season == 'M'))))
    invalid_parameter("season length " + std::to_string(m) + " does not fit the series",
                      "The series has " + std::to_string(n) +
                          " observations, not more than one season.",
                      "Use a shorter season, a longer series, or a non-seasonal method.");

  ForecastOutput out;
  if (std::all_of(y.begin(), y.end(), [](double v) { return v == 0; }) &&
      (me == "auto" || me == "croston" || me == "sba" || me == "tsb")) {
    out.method = "zero";
    out.point.assign(h, 0.0);
    out.lower.assign(h, 0.0);
    out.upper.assign(h, 0.0);
    out.note = "all-zero series: zero forecast";
    return out;
  }
  auto need = [&](int k) {
    if (n < k) too_short(me, n, k);
  };
  if (me == "naive") {
    need(2);
    out = lag_walk(y, h, 1, false, opt.level);
  } else if (me == "snaive") {
    need(m + 1);
    out = lag_walk(y, h, m, false, opt.level);
  } else if (me == "drift") {
    need(3);
    out = lag_walk(y, h, 1, true, opt.level);
  } else if (me == "mean") {
    need(2);
    out = mean_method(y, h, opt.level);
  } else if (me == "ses" || me == "holt" || me == "damped" || me == "theta") {
    need(me == "ses" || me == "theta" ? 4 : 6);
    ets::Spec spec{ets::kAdd, me == "ses" || me == "theta" ? ets::kNone : ets::kAdd, ets::kNone,
                   me == "damped"};
    out = smoothing(y, h, m, spec, opt, interrupt, me == "theta");
  } else if (me == "ets") {
    need(4);
    return ets_method(y, h, opt, interrupt);
  } else if (me == "arima") {
    if (!opt.arima.fixed()) need(3);
    return opt.arima.fixed() ? arima_fixed(y, m, h, opt.level, opt.arima, interrupt)
                             : arima_auto(y, m, h, opt.level, opt.arima, interrupt);
  } else if (me == "croston" || me == "sba" || me == "tsb") {
    need(2);
    out = croston_family(y, h, opt);
  } else {  // auto
    // Syntetos-Boylan class of non-negative series: intermittent -> SBA,
    // lumpy -> TSB, smooth and erratic -> the pooled combination
    // (forecast_select.cpp).
    const bool nonneg = std::all_of(y.begin(), y.end(), [](double v) { return v >= 0; });
    const DemandClass dc = classify_demand(y);
    std::string cls;
    if (nonneg) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s demand (ADI %.2f, CV2 %.2f)", dc.name(), dc.adi, dc.cv2);
      cls = buf;
    }
    auto report = [&](ForecastOutput& o) {
      if (!nonneg) return;
      o.params.push_back({"adi", dc.adi});
      o.params.push_back({"cv2", dc.cv2});
      o.note = o.note.empty() ? cls : cls + "; " + o.note;
    };
    if (nonneg && dc.intermittent() && n >= 2) {
      ForecastOptions o = opt;
      o.method = dc.variable() ? "tsb" : "sba";
      out = croston_family(y, h, o);
      out.method = o.method;
      report(out);
      return out;
    }
    if (n < 4) {
      need(2);
      out = lag_walk(y, h, 1, false, opt.level);
      out.method = "naive";
      out.note = "series too short for ETS: naive forecast";
      report(out);
      return out;
    }
    out = holdout_combine(y, h, opt, interrupt);
    report(out);
    return out;
  }
  if (out.method.empty()) out.method = me;
  return out;
}

}  // namespace supplyml
