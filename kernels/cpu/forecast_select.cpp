// The method `auto` uses for smooth, erratic and unclassified series:
// selection on a holdout. Every candidate is fitted on the series without
// its last v periods and forecasts those v periods; the candidate with the
// smallest mean absolute error there is refitted on the whole series and
// gives the forecast. The candidates are automatic ETS (R's AICc choice),
// the damped-trend ETS model with the smallest AICc, the M4 benchmarks
// Damped, Theta and SES (seasonally adjusted when the seasonality test
// says so), naive and, with a season, seasonal naive. Undamped trend
// extrapolations (holt, drift) are left out: on a short holdout they win
// by chance and then extrapolate far.
#include <algorithm>
#include <cmath>
#include <string>

#include "forecast_internal.hpp"
#include "supplyml/error.hpp"

namespace supplyml {
namespace {

bool same_spec(const ets::Spec& a, const ets::Spec& b) {
  return a.error == b.error && a.trend == b.trend && a.season == b.season && a.damped == b.damped;
}

double mae(const std::vector<double>& actual, const std::vector<double>& f) {
  double s = 0;
  for (std::size_t i = 0; i < actual.size(); i++) s += std::fabs(actual[i] - f[i]);
  return s / static_cast<double>(actual.size());
}

// Holdout forecast of one ETS form refitted on the shortened series
// (empty when it cannot be fitted there).
std::vector<double> ets_holdout(const std::vector<double>& yt, int v, const EtsFit& full,
                                const ForecastOptions& opt, Interrupt& interrupt) {
  try {
    EtsFit f = ets_fit(yt, opt.season, full.spec, opt.fixed, false, interrupt);
    if (!f.ok()) return {};
    return ets_point(f, v);
  } catch (const Error&) {
    return {};
  }
}

std::vector<double> method_holdout(const std::vector<double>& yt, int v, const std::string& method,
                                   const ForecastOptions& opt, Interrupt& interrupt) {
  ForecastOptions o = opt;
  o.method = method;
  try {
    return forecast_series(yt, v, o, interrupt).point;
  } catch (const Error&) {
    return {};
  }
}

}  // namespace

ForecastOutput holdout_select(const std::vector<double>& y, int h, const ForecastOptions& opt,
                              Interrupt& interrupt) {
  const int n = static_cast<int>(y.size());
  ForecastOptions o = opt;
  o.ets = EtsChoice{};
  EtsFit best, damped;
  bool have_ets = true;
  try {
    best = ets_auto(y, opt.season, o.ets, opt.fixed, interrupt, &damped);
  } catch (const Error&) {
    have_ets = false;
  }
  auto fallback = [&](const char* why) {
    if (have_ets) return ets_output(best, h, opt);
    ForecastOptions b = opt;
    b.method = "naive";
    ForecastOutput out = forecast_series(y, h, b, interrupt);
    out.method = "naive";
    out.note = std::string("no ETS model could be fitted") + why + ": naive forecast";
    return out;
  };
  const int v = opt.holdout < 0 ? std::min(h, n / 4) : std::min(opt.holdout, n / 2);
  if (v < 1) return fallback("");

  const std::vector<double> yt(y.begin(), y.end() - v), yv(y.end() - v, y.end());
  struct Candidate {
    std::string name;  // method name, or "ets" / "ets damped"
    double mae;
  };
  std::vector<Candidate> tried;
  auto consider = [&](const std::string& name, const std::vector<double>& f) {
    if (f.size() != yv.size()) return;
    const double e = mae(yv, f);
    if (std::isfinite(e)) tried.push_back({name, e});
  };
  if (have_ets) {
    consider("ets", ets_holdout(yt, v, best, opt, interrupt));
    if (damped.ok() && !same_spec(damped.spec, best.spec))
      consider("ets damped", ets_holdout(yt, v, damped, opt, interrupt));
  }
  for (const char* m : {"damped", "theta", "ses", "naive", "snaive"}) {
    if (std::string(m) == "snaive" && (opt.season <= 1 || static_cast<int>(yt.size()) <= opt.season))
      continue;
    consider(m, method_holdout(yt, v, m, opt, interrupt));
  }
  if (tried.empty()) return fallback(" and no method fitted the shortened series");
  // The first of equal errors wins: ETS before the benchmarks.
  const Candidate& win = *std::min_element(
      tried.begin(), tried.end(), [](const Candidate& a, const Candidate& b) { return a.mae < b.mae; });

  ForecastOutput out;
  if (win.name == "ets") {
    out = ets_output(best, h, opt);
  } else if (win.name == "ets damped") {
    out = ets_output(damped, h, opt);
  } else {
    ForecastOptions b = opt;
    b.method = win.name;
    out = forecast_series(y, h, b, interrupt);
    out.method = win.name;
  }
  out.params.push_back({"holdout", static_cast<double>(v)});
  out.params.push_back({"holdout_mae", win.mae});
  const std::string chosen = "lowest holdout MAE of " + std::to_string(tried.size()) +
                             (tried.size() == 1 ? " candidate" : " candidates") + " over the last " +
                             std::to_string(v) + (v == 1 ? " period" : " periods");
  out.note = out.note.empty() ? chosen : chosen + "; " + out.note;
  return out;
}

}  // namespace supplyml
