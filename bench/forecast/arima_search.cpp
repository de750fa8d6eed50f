// Times the automatic ARIMA search (arima_fit_auto, one thread) on series of
// a wide CSV and prints what it chose, so that two builds can be compared
// model by model and timed on the same series.
//
//   arima_search WIDE_CSV SEASON [FIRST] [COUNT] [CUT] [LAST] [APPROX] [H]
//
// WIDE_CSV: a header line, then one series a row (id, values; empty or NA
// cells skipped). Series FIRST.. (0-based), COUNT of them (0: all); CUT drops
// the last CUT values of each series (a validation cut); LAST keeps only the
// last LAST values of what remains (0: all); APPROX is the option
// "approximation": 1 true, 0 false (exact likelihood search), -1 as R (the
// default: true when n > 150 or m > 12); H > 0 adds the point forecasts of
// the chosen model H steps ahead (17 digits, outside the timing). One line per series: id, length,
// CPU seconds, model, AICc, coefficients (17 significant digits); then the
// total CPU seconds.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/forecast_arima.hpp"

using namespace supplyml;

namespace {

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string unquote(const std::string& c) {
  return c.size() >= 2 && c.front() == '"' && c.back() == '"' ? c.substr(1, c.size() - 2) : c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: arima_search WIDE_CSV SEASON [FIRST] [COUNT] [CUT] [LAST] [APPROX] [H]\n");
    return 2;
  }
  const int season = std::atoi(argv[2]);
  const int first = argc > 3 ? std::atoi(argv[3]) : 0, count = argc > 4 ? std::atoi(argv[4]) : 0;
  const int cut = argc > 5 ? std::atoi(argv[5]) : 0, last = argc > 6 ? std::atoi(argv[6]) : 0;
  ArimaOptions opt;
  opt.approximation = argc > 7 ? std::atoi(argv[7]) : -1;
  const int h = argc > 8 ? std::atoi(argv[8]) : 0;
  std::ifstream f(argv[1]);
  std::string line;
  std::getline(f, line);
  double total = 0;
  int row = 0, done = 0;
  while (std::getline(f, line) && (count <= 0 || done < count)) {
    if (row++ < first) continue;
    std::stringstream ss(line);
    std::string id, cell;
    std::getline(ss, id, ',');
    std::vector<double> y;
    while (std::getline(ss, cell, ',')) {
      cell = unquote(cell);
      if (!cell.empty() && cell != "NA") y.push_back(std::stod(cell));
    }
    if (cut > 0) y.resize(y.size() > static_cast<std::size_t>(cut) ? y.size() - cut : 0);
    if (last > 0 && y.size() > static_cast<std::size_t>(last)) y.erase(y.begin(), y.end() - last);
    done++;
    Interrupt intr;
    const double t0 = cpu_seconds();
    std::string out;
    double secs = 0;
    try {
      const ArimaFit fit = arima_fit_auto(y, season, opt, intr);
      secs = cpu_seconds() - t0;
      char buf[64];
      std::snprintf(buf, sizeof buf, " | %.17g |", fit.aicc);
      out = fit.name() + buf;
      for (double c : fit.coef) {
        std::snprintf(buf, sizeof buf, " %.17g", c);
        out += buf;
      }
      if (h > 0) {
        std::vector<double> mean, lower, upper;
        arima_forecast(fit, y, h, 0.95, mean, lower, upper);
        out += " | forecast";
        for (double v : mean) {
          std::snprintf(buf, sizeof buf, " %.17g", v);
          out += buf;
        }
      }
    } catch (const Error& e) {
      secs = cpu_seconds() - t0;
      out = std::string("error: ") + e.what();
    }
    total += secs;
    std::printf("%s | %zu | %.3f | %s\n", unquote(id).c_str(), y.size(), secs, out.c_str());
    std::fflush(stdout);
  }
  std::printf("total | %d series | %.3f s\n", done, total);
  return 0;
}
