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
// The rule and its threshold 3.5 were chosen on validation data only (M3
// monthly validation series, M4 weekly and hourly, each with its own
// training part cut into a fit and a holdout; see bench/RESULTS.md).
#include <algorithm>
#include <cmath>
#include <string>

#include "forecast_internal.hpp"
#include "supplyml/error.hpp"
#include "supplyml/forecast_combine.hpp"

namespace supplyml {
namespace {

// The members of `auto`'s combination, in order (the first of equal holdout
// errors is the best). To add a method (for example ARIMA), add its name
// here and, if forecast_series does not know it, a case in fit_member.
std::vector<std::string> auto_members(int season) {
  std::vector<std::string> names = {"ets", "theta", "damped", "ses"};
  if (season > 1) names.push_back("snaive");
  return names;
}

// One member fitted on a series: its forecast over `h`, or empty when it
// cannot be fitted there. "ets" is the model automatic ETS chose on the
// whole series, refitted (shortened series) or reused (whole series).
ForecastOutput fit_member(const std::string& name, const std::vector<double>& y, int h,
                          const ForecastOptions& opt, const EtsFit* ets_full, bool whole,
                          Interrupt& interrupt) {
  try {
    if (name == "ets") {
      if (ets_full == nullptr) return {};
      if (whole) return ets_output(*ets_full, h, opt);
      EtsFit f = ets_fit(y, opt.season, ets_full->spec, opt.fixed, false, interrupt);
      if (!f.ok()) return {};
      return ets_output(f, h, opt);
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

ForecastOutput holdout_combine(const std::vector<double>& y, int h, const ForecastOptions& opt,
                               Interrupt& interrupt) {
  const int n = static_cast<int>(y.size());
  ForecastOptions o = opt;
  o.ets = EtsChoice{};
  EtsFit ets_full;
  bool have_ets = true;
  try {
    ets_full = ets_auto(y, opt.season, o.ets, opt.fixed, interrupt);
  } catch (const Error&) {
    have_ets = false;
  }
  auto fallback = [&](const char* why) {
    if (have_ets) return ets_output(ets_full, h, opt);
    ForecastOptions b = opt;
    b.method = "naive";
    ForecastOutput out = forecast_series(y, h, b, interrupt);
    out.method = "naive";
    out.note = std::string("no ETS model could be fitted") + why + ": naive forecast";
    return out;
  };
  const int v = opt.holdout < 0 ? std::min(h, n / 4) : std::min(opt.holdout, n / 2);
  if (v < 1) return fallback("");

  // Holdout errors of every member.
  const std::vector<double> yt(y.begin(), y.end() - v), yv(y.end() - v, y.end());
  struct Tried {
    std::string name;
    std::vector<double> point, abs_err;  // holdout forecast and its absolute errors
    double mae = 0;
  };
  std::vector<Tried> tried;
  for (const std::string& name : auto_members(opt.season)) {
    const ForecastOutput f = fit_member(name, yt, v, opt, have_ets ? &ets_full : nullptr, false, interrupt);
    if (!usable(f, v)) continue;
    Tried t{name, f.point, {}, 0};
    for (int i = 0; i < v; i++) t.abs_err.push_back(std::fabs(yv[i] - f.point[i]));
    for (double e : t.abs_err) t.mae += e / v;
    if (std::isfinite(t.mae)) tried.push_back(std::move(t));
  }
  if (tried.empty()) return fallback(" and no method fitted the shortened series");
  std::size_t best = 0;
  for (std::size_t i = 1; i < tried.size(); i++)
    if (tried[i].mae < tried[best].mae) best = i;

  // The pool: members not clearly worse than the best on the holdout.
  std::vector<std::size_t> kept;
  std::vector<std::string> dropped;
  for (std::size_t i = 0; i < tried.size(); i++) {
    bool keep = i == best;
    if (!keep) {
      double mean = 0, ss = 0;
      for (int t = 0; t < v; t++) mean += (tried[i].abs_err[t] - tried[best].abs_err[t]) / v;
      for (int t = 0; t < v; t++) {
        const double d = tried[i].abs_err[t] - tried[best].abs_err[t] - mean;
        ss += d * d;
      }
      const double se = v > 1 ? std::sqrt(ss / (v - 1) / v) : kNaN;
      // With one held-out period there is no spread: only pool 0 prunes.
      keep = mean <= 0 || (std::isfinite(se) ? mean <= opt.pool * se : opt.pool > 0);
    }
    (keep ? kept.push_back(i) : dropped.push_back(tried[i].name));
  }

  // The kept members on the whole series.
  std::vector<CombineMember> members;
  std::vector<std::string> names;
  std::vector<double> holdout_sum(v, 0.0);  // of the members that are combined
  for (std::size_t i : kept) {
    ForecastOutput f = fit_member(tried[i].name, y, h, opt, have_ets ? &ets_full : nullptr, true, interrupt);
    if (!usable(f, h)) {
      dropped.push_back(tried[i].name);
      continue;
    }
    names.push_back(f.method);
    members.push_back({f.method, std::move(f)});
    for (int t = 0; t < v; t++) holdout_sum[t] += tried[i].point[t];
  }
  if (members.empty()) return fallback(" and no kept method fitted the series");

  ForecastOutput out;
  if (members.size() == 1) {
    out = std::move(members[0].out);
  } else {
    out = combine_forecasts(y, members, CombineRule::kMean);
    out.method = "mean(";
    for (std::size_t i = 0; i < names.size(); i++) out.method += (i ? ", " : "") + names[i];
    out.method += ")";
    out.params.clear();
  }
  // Holdout error of what is returned: that of the mean of the combined
  // members' holdout forecasts (the member's own when there is one).
  double mae_out = 0;
  for (int t = 0; t < v; t++)
    mae_out += std::fabs(yv[t] - holdout_sum[t] / static_cast<double>(members.size())) / v;
  out.params.push_back({"holdout", static_cast<double>(v)});
  out.params.push_back({"holdout_mae", mae_out});
  out.params.push_back({"pool", opt.pool});
  for (const Tried& t : tried) out.params.push_back({"holdout_mae_" + t.name, t.mae});
  out.labels.push_back({"combined", names});
  out.labels.push_back({"dropped", dropped});
  out.labels.push_back({"best", {tried[best].name}});

  const std::string over = " over the last " + std::to_string(v) + (v == 1 ? " period" : " periods");
  std::string why;
  if (members.size() == 1) {
    why = "lowest holdout MAE of " + std::to_string(tried.size()) +
          (tried.size() == 1 ? " candidate" : " candidates") + over;
    if (!dropped.empty()) why += "; the others clearly worse";
  } else {
    why = "mean of " + std::to_string(members.size()) + " methods (" + join(names) + ")";
    why += dropped.empty() ? "; none clearly worse on the holdout" + over
                           : "; dropped " + join(dropped) + ", clearly worse on the holdout" + over;
  }
  out.note = out.note.empty() || members.size() > 1 ? why : why + "; " + out.note;
  return out;
}

}  // namespace supplyml
