// The method `auto` uses for smooth, erratic and unclassified series: a
// combination of members pruned on a holdout ("forecast pooling").
//
// Every member is fitted on the series without its last v periods and
// forecasts those v periods. The member with the smallest mean absolute
// error there is the best; another member stays in the pool unless its
// absolute errors exceed the best one's by more than `pool` standard errors
// of the mean paired difference (d_t = |e_member,t| - |e_best,t|, dropped
// when mean(d) > pool * sd(d) / sqrt(v)). A short or noisy holdout drops
// little, so the forecast is the mean of the members, which beats each of
// them on average; a long holdout that shows a member clearly worse (a
// non-seasonal method on hourly data, a trend on a level series) drops it.
// The kept members are fitted on the whole series and their forecasts are
// averaged (forecast_combine.hpp), or, when one is kept, it gives the
// forecast alone. pool = 0 keeps only the best: holdout selection.
//
// Automatic ETS and automatic ARIMA choose their model on the whole series;
// the holdout refits that model on the shortened series, so each costs one
// model search.
//
// The rule and its threshold 3.5 were chosen on validation data only (M3
// monthly validation series, M4 weekly and hourly, each with its own
// training part cut into a fit and a holdout; bench/forecast/validate_auto.sh
// and bench/RESULTS.md).
#include <algorithm>
#include <cmath>
#include <string>

#include "forecast_internal.hpp"
#include "supplyml/error.hpp"
#include "supplyml/forecast_combine.hpp"

namespace supplyml {
namespace {

// How `auto` combines the kept members.
constexpr CombineRule kAutoCombine = CombineRule::kMean;

// One member fitted on y (the shortened series, whole = false, or the whole
// series): its forecast over h, or empty when it cannot be fitted there.
ForecastOutput fit_member(const HoldoutTrials& t, const std::string& name,
                          const std::vector<double>& y, int h, const ForecastOptions& opt,
                          bool whole, Interrupt& interrupt) {
  try {
    if (name == "ets") {
      if (!t.have_ets) return {};
      if (whole) return ets_output(t.ets_full, h, opt);
      EtsFit f = ets_fit(y, opt.season, t.ets_full.spec, opt.fixed, false, interrupt);
      if (!f.ok()) return {};
      return ets_output(f, h, opt);
    }
    if (name == "arima") {
      if (!t.have_arima) return {};
      if (whole) return arima_output(t.arima_full, y, h, opt.level);
      const ArimaFit& a = t.arima_full;
      ArimaOptions o;
      o.p = a.order.p, o.d = a.order.d, o.q = a.order.q;
      o.P = a.order.P, o.D = a.order.D, o.Q = a.order.Q;
      o.include_mean = a.mean;
      o.include_drift = a.drift;
      return arima_fixed(y, std::max(1, a.order.m), h, opt.level, o, interrupt);
    }
    if (name == "snaive" && static_cast<int>(y.size()) <= opt.season) return {};
    ForecastOptions o = opt;
    o.method = name;
    ForecastOutput out = forecast_series(y, h, o, interrupt);
    out.method = name;
    return out;
  } catch (const Error&) {
    return {};
  }
}

bool usable(const ForecastOutput& f, int h) {
  if (static_cast<int>(f.point.size()) != h) return false;
  for (int i = 0; i < h; i++)
    if (!std::isfinite(f.point[i]) || !std::isfinite(f.lower[i]) || !std::isfinite(f.upper[i]))
      return false;
  return true;
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); i++)
    s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return s;
}

}  // namespace

// The members of `auto`'s combination, in order (the first of equal holdout
// errors is the best). To add a method, add its name here and, if
// forecast_series does not know it, a case in fit_member.
std::vector<std::string> auto_members(int season) {
  std::vector<std::string> names = {"ets", "theta", "damped", "ses"};
  if (season > 1) names.push_back("snaive");
  return names;
}

HoldoutTrials auto_holdout(const std::vector<double>& y, int h, const ForecastOptions& opt,
                           const std::vector<std::string>& members, Interrupt& interrupt) {
  HoldoutTrials t;
  const int n = static_cast<int>(y.size());
  ForecastOptions o = opt;
  o.ets = EtsChoice{};
  try {
    t.ets_full = ets_auto(y, opt.season, o.ets, opt.fixed, interrupt);
    t.have_ets = true;
  } catch (const Error&) {
    t.have_ets = false;
  }
  t.v = opt.holdout < 0 ? std::min(h, n / 4) : std::min(opt.holdout, n / 2);
  if (t.v < 1) return t;
  if (std::find(members.begin(), members.end(), "arima") != members.end()) {
    try {
      t.arima_full = arima_fit_auto(y, opt.season, ArimaOptions{}, interrupt);
      t.have_arima = true;
    } catch (const Error&) {
      t.have_arima = false;
    }
  }
  const int v = t.v;
  const std::vector<double> yt(y.begin(), y.end() - v);
  t.actual.assign(y.end() - v, y.end());
  for (const std::string& name : members) {
    const ForecastOutput f = fit_member(t, name, yt, v, opt, false, interrupt);
    if (!usable(f, v)) continue;
    HoldoutMember m{name, f.point, {}, 0};
    for (int i = 0; i < v; i++) m.abs_err.push_back(std::fabs(t.actual[i] - f.point[i]));
    for (double e : m.abs_err) m.mae += e / v;
    if (std::isfinite(m.mae)) t.tried.push_back(std::move(m));
  }
  return t;
}

std::size_t best_member(const HoldoutTrials& t) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < t.tried.size(); i++)
    if (t.tried[i].mae < t.tried[best].mae) best = i;
  return best;
}

std::vector<std::size_t> pool_members(const HoldoutTrials& t, double pool) {
  std::vector<std::size_t> kept;
  if (t.tried.empty()) return kept;
  const std::size_t best = best_member(t);
  const int v = t.v;
  for (std::size_t i = 0; i < t.tried.size(); i++) {
    bool keep = i == best;
    if (!keep) {
      const auto& ei = t.tried[i].abs_err;
      const auto& eb = t.tried[best].abs_err;
      double mean = 0, ss = 0;
      for (int s = 0; s < v; s++) mean += (ei[s] - eb[s]) / v;
      for (int s = 0; s < v; s++) ss += (ei[s] - eb[s] - mean) * (ei[s] - eb[s] - mean);
      const double se = v > 1 ? std::sqrt(ss / (v - 1) / v) : kNaN;
      // With one held-out period there is no spread: only pool 0 prunes.
      keep = mean <= 0 || (std::isfinite(se) ? mean <= pool * se : pool > 0);
    }
    if (keep) kept.push_back(i);
  }
  return kept;
}

ForecastOutput auto_member(const HoldoutTrials& t, const std::string& name,
                           const std::vector<double>& y, int h, const ForecastOptions& opt,
                           Interrupt& interrupt) {
  return fit_member(t, name, y, h, opt, true, interrupt);
}

ForecastOutput pooled_forecast(const std::vector<double>& y, const HoldoutTrials& t,
                               const std::vector<std::size_t>& kept,
                               std::vector<ForecastOutput> fits, double pool, CombineRule rule) {
  const int v = t.v;
  const std::size_t best = best_member(t);
  std::vector<CombineMember> members;
  std::vector<std::string> names, dropped;
  std::vector<std::vector<double>> holdout;  // of the members that are combined
  std::vector<bool> is_kept(t.tried.size(), false);
  for (std::size_t k = 0; k < kept.size(); k++) {
    is_kept[kept[k]] = true;
    ForecastOutput& f = fits[k];
    const int h = static_cast<int>(f.point.size());
    if (h == 0 || !usable(f, h) || (!members.empty() && members[0].out.point.size() != f.point.size())) {
      dropped.push_back(t.tried[kept[k]].name);
      continue;
    }
    names.push_back(f.method);
    holdout.push_back(t.tried[kept[k]].point);
    members.push_back({f.method, std::move(f)});
  }
  for (std::size_t i = 0; i < t.tried.size(); i++)
    if (!is_kept[i]) dropped.push_back(t.tried[i].name);
  if (members.empty()) return {};

  ForecastOutput out;
  const char* how = rule == CombineRule::kMean ? "mean" : "median";
  if (members.size() == 1) {
    out = std::move(members[0].out);
  } else {
    out = combine_forecasts(y, members, rule);
    out.method = std::string(how) + "(";
    for (std::size_t i = 0; i < names.size(); i++) out.method += (i ? ", " : "") + names[i];
    out.method += ")";
    out.params.clear();
  }
  // Holdout error of what is returned: that of the same combination of the
  // combined members' holdout forecasts (the member's own when there is one).
  const CombineRule r = rule;
  double mae_out = 0;
  std::vector<double> col(holdout.size());
  for (int s = 0; s < v; s++) {
    for (std::size_t i = 0; i < holdout.size(); i++) col[i] = holdout[i][s];
    double c = 0;
    if (r == CombineRule::kMean) {
      for (double x : col) c += x / static_cast<double>(col.size());
    } else {
      std::sort(col.begin(), col.end());
      const std::size_t k = col.size();
      c = k % 2 ? col[k / 2] : (col[k / 2 - 1] + col[k / 2]) / 2;
    }
    mae_out += std::fabs(t.actual[s] - c) / v;
  }
  out.params.push_back({"holdout", static_cast<double>(v)});
  out.params.push_back({"holdout_mae", mae_out});
  out.params.push_back({"pool", pool});
  for (const HoldoutMember& m : t.tried) out.params.push_back({"holdout_mae_" + m.name, m.mae});
  out.labels.push_back({"combined", names});
  out.labels.push_back({"dropped", dropped});
  out.labels.push_back({"best", {t.tried[best].name}});

  const std::string over = " over the last " + std::to_string(v) + (v == 1 ? " period" : " periods");
  std::string why;
  if (members.size() == 1) {
    why = "lowest holdout MAE of " + std::to_string(t.tried.size()) +
          (t.tried.size() == 1 ? " candidate" : " candidates") + over;
    if (!dropped.empty()) why += "; the others clearly worse";
  } else {
    why = std::string(how) + " of " + std::to_string(members.size()) + " methods (" + join(names) + ")";
    why += dropped.empty() ? "; none clearly worse on the holdout" + over
                           : "; dropped " + join(dropped) + ", clearly worse on the holdout" + over;
  }
  out.note = out.note.empty() || members.size() > 1 ? why : why + "; " + out.note;
  return out;
}

ForecastOutput holdout_combine(const std::vector<double>& y, int h, const ForecastOptions& opt,
                               Interrupt& interrupt) {
  const HoldoutTrials t = auto_holdout(y, h, opt, auto_members(opt.season), interrupt);
  auto fallback = [&](const char* why) {
    if (t.have_ets) return ets_output(t.ets_full, h, opt);
    ForecastOptions b = opt;
    b.method = "naive";
    ForecastOutput out = forecast_series(y, h, b, interrupt);
    out.method = "naive";
    out.note = std::string("no ETS model could be fitted") + why + ": naive forecast";
    return out;
  };
  if (t.v < 1) return fallback("");
  if (t.tried.empty()) return fallback(" and no method fitted the shortened series");
  const std::vector<std::size_t> kept = pool_members(t, opt.pool);
  std::vector<ForecastOutput> fits;
  for (std::size_t i : kept) fits.push_back(auto_member(t, t.tried[i].name, y, h, opt, interrupt));
  ForecastOutput out = pooled_forecast(y, t, kept, std::move(fits), opt.pool, kAutoCombine);
  if (out.point.empty()) return fallback(" and no kept method fitted the series");
  return out;
}

}  // namespace supplyml
