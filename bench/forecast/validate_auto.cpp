// Scores candidate rules of `auto` on validation cuts: each training series
// loses its last h periods, which become the target; every rule forecasts
// them from what is before. No test period is read.
//
//   validate_auto NAME WIDE_CSV SEASON H MASE_LAG THREADS [N] [noarima]
//
// WIDE_CSV: a header line, then one series a row (id, values; empty or NA
// cells skipped). N: the first N series only (0: all). noarima: leave ARIMA
// out (its rules are then not scored). Prints one line per rule:
// NAME, rule, series, mean sMAPE, mean MASE (series with a zero MASE scale
// left out of MASE), and the seconds the members' fits took, summed over the
// threads. Rules: each member alone (fitted on the cut series as `auto`
// fits it), and the pooled combination over the members without and with
// ARIMA, for pool 0, 1, 2, 3.5 and infinity (the plain combination of all),
// combining by mean or median. Intermittent series get what `auto` gives them
// under every rule (SBA or TSB).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "supplyml/forecast.hpp"
#include "supplyml/forecast_combine.hpp"
#include "supplyml/parallel.hpp"

using namespace supplyml;

namespace {

struct Series {
  std::string id;
  std::vector<double> y;
};

std::vector<Series> read_wide(const std::string& path, int limit) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<Series> out;
  while (std::getline(f, line) && (limit <= 0 || static_cast<int>(out.size()) < limit)) {
    std::stringstream ss(line);
    std::string cell;
    Series s;
    auto unquote = [](std::string c) {
      return c.size() >= 2 && c.front() == '"' && c.back() == '"' ? c.substr(1, c.size() - 2) : c;
    };
    std::getline(ss, s.id, ',');
    s.id = unquote(s.id);
    while (std::getline(ss, cell, ',')) {
      cell = unquote(cell);
      if (!cell.empty() && cell != "NA") s.y.push_back(std::stod(cell));
    }
    out.push_back(std::move(s));
  }
  return out;
}

struct Rule {
  std::string name;
  bool arima;        // ARIMA among the members
  double pool;       // infinity: every member that fitted
  CombineRule how;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// Trials restricted to a set of members.
HoldoutTrials subset(const HoldoutTrials& t, bool arima) {
  HoldoutTrials s = t;
  s.tried.clear();
  for (const auto& m : t.tried)
    if (arima || m.name != "arima") s.tried.push_back(m);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: validate_auto NAME WIDE_CSV SEASON H MASE_LAG THREADS [N] [noarima]\n");
    return 2;
  }
  const std::string name = argv[1];
  const int season = std::atoi(argv[3]), h = std::atoi(argv[4]), lag = std::atoi(argv[5]);
  const int threads = std::atoi(argv[6]);
  const std::vector<Series> data = read_wide(argv[2], argc > 7 ? std::atoi(argv[7]) : 0);

  const bool with_arima = !(argc > 8 && std::string(argv[8]) == "noarima");
  std::vector<std::string> members = auto_members(season);
  if (with_arima) members.push_back("arima");
  std::vector<Rule> rules;
  for (const std::string& m : members) rules.push_back({m, false, -1, CombineRule::kMean});
  for (bool arima : {false, true}) {
    if (arima && !with_arima) continue;
    for (CombineRule how : {CombineRule::kMean, CombineRule::kMedian})
      for (double pool : {0.0, 1.0, 2.0, 3.5, kInf}) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s, %s, pool %s", arima ? "with arima" : "no arima",
                      how == CombineRule::kMean ? "mean" : "median",
                      pool == kInf ? "inf" : (std::ostringstream() << pool).str().c_str());
        rules.push_back({buf, arima, pool, how});
      }
  }

  const std::size_t n = data.size(), nr = rules.size();
  std::vector<double> smape(n * nr, kNaN), mase(n * nr, kNaN);
  std::vector<double> secs(n * members.size(), 0.0);
  Interrupt intr;
  parallel_for(n, threads, intr, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t i = b; i < e; i++) {
      const std::vector<double>& y = data[i].y;
      if (static_cast<int>(y.size()) <= h + 4) continue;
      const std::vector<double> fit(y.begin(), y.end() - h), target(y.end() - h, y.end());
      double scale = 0;
      int cnt = 0;
      for (std::size_t t = lag; t < fit.size(); t++, cnt++) scale += std::fabs(fit[t] - fit[t - lag]);
      scale = cnt > 0 ? scale / cnt : 0;
      auto score = [&](std::size_t r, const std::vector<double>& p) {
        if (static_cast<int>(p.size()) != h) return;
        double s = 0, a = 0;
        for (int k = 0; k < h; k++) {
          const double d = std::fabs(target[k] - p[k]), den = std::fabs(target[k]) + std::fabs(p[k]);
          s += den > 0 ? 200 * d / den : 0;
          a += d;
        }
        smape[i * nr + r] = s / h;
        if (scale > 0) mase[i * nr + r] = a / h / scale;
      };
      ForecastOptions opt;
      opt.season = season;
      Interrupt local;
      // Series that auto routes away from the combination (intermittent
      // demand, too short): the same forecast under every rule.
      const bool nonneg = std::all_of(fit.begin(), fit.end(), [](double v) { return v >= 0; });
      const bool zero = std::all_of(fit.begin(), fit.end(), [](double v) { return v == 0; });
      if ((nonneg && classify_demand(fit).intermittent()) || zero) {
        const ForecastOutput f = forecast_series(fit, h, opt, local);
        for (std::size_t r = 0; r < nr; r++) score(r, f.point);
        continue;
      }
      const auto t0 = std::chrono::steady_clock::now();
      const HoldoutTrials all = auto_holdout(fit, h, opt, members, local);
      const double trial_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::map<std::string, ForecastOutput> whole;
      for (std::size_t k = 0; k < members.size(); k++) {
        const auto s0 = std::chrono::steady_clock::now();
        whole[members[k]] = auto_member(all, members[k], fit, h, opt, local);
        secs[i * members.size() + k] +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
      }
      if (with_arima) secs[i * members.size() + members.size() - 1] += trial_s;  // mostly the ARIMA search
      for (std::size_t r = 0; r < nr; r++) {
        const Rule& rule = rules[r];
        if (rule.pool < 0) {
          score(r, whole[rule.name].point);
          continue;
        }
        const HoldoutTrials t = subset(all, rule.arima);
        if (t.tried.empty()) {
          score(r, whole["ets"].point);
          continue;
        }
        std::vector<std::size_t> kept;
        if (rule.pool == kInf)
          for (std::size_t k = 0; k < t.tried.size(); k++) kept.push_back(k);
        else
          kept = pool_members(t, rule.pool);
        std::vector<ForecastOutput> fits;
        for (std::size_t k : kept) fits.push_back(whole[t.tried[k].name]);
        score(r, pooled_forecast(fit, t, kept, std::move(fits), rule.pool, rule.how).point);
      }
    }
  });

  std::vector<double> member_s(members.size(), 0.0);
  for (std::size_t i = 0; i < n; i++)
    for (std::size_t k = 0; k < members.size(); k++) member_s[k] += secs[i * members.size() + k];
  std::printf("%s: %zu series, h %d, season %d; seconds of each member's whole-series fit (arima, when a member: also the whole holdout stage, i.e. the ETS and ARIMA searches and every member's holdout fit):",
              name.c_str(), n, h, season);
  for (std::size_t k = 0; k < members.size(); k++) std::printf(" %s %.1f", members[k].c_str(), member_s[k]);
  std::printf("\n");
  for (std::size_t r = 0; r < nr; r++) {
    double s = 0, a = 0;
    int ns = 0, na = 0;
    for (std::size_t i = 0; i < n; i++) {
      if (std::isfinite(smape[i * nr + r])) s += smape[i * nr + r], ns++;
      if (std::isfinite(mase[i * nr + r])) a += mase[i * nr + r], na++;
    }
    std::printf("%s | %s | %d | %.3f | %.3f\n", name.c_str(), rules[r].name.c_str(), ns,
                ns ? s / ns : kNaN, na ? a / na : kNaN);
  }
  return 0;
}
