// Croston against R's forecast::croston on the carparts reference (tests/data).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "forecast_test_data.hpp"
#include "supplyml/forecast.hpp"

using namespace supplyml;
using namespace forecast_test;

TEST(ForecastMethods, CrostonMatchesCarpartsReference) {
  const auto wide = read_csv(data("carparts/carparts_wide.csv"), false);
  ASSERT_GT(wide.size(), 45u);
  std::map<std::string, std::size_t> column;
  for (std::size_t j = 0; j < wide[0].size(); j++) column[wide[0][j]] = j;
  const auto ref = read_csv(data("carparts/carparts_croston_reference.csv"));
  ASSERT_EQ(ref.size(), 25u);
  Interrupt intr;
  ForecastOptions opt;
  opt.method = "croston";
  opt.alpha = 0.1;
  for (const auto& r : ref) {
    const std::size_t c = column.at(r[0]);
    const int n = std::atoi(r[1].c_str());
    std::vector<double> y;
    for (int i = 1; i <= n; i++) y.push_back(std::atof(wide[i][c].c_str()));
    const ForecastOutput f = forecast_series(y, 6, opt, intr);
    const double want = std::atof(r[3].c_str());
    EXPECT_NEAR(f.point[0], want, 1e-6) << "part " << r[0];
    EXPECT_EQ(f.point[5], f.point[0]);
  }
}

namespace {

// Columns of carparts_wide.csv by part name.
struct Carparts {
  std::vector<std::vector<std::string>> wide = read_csv(data("carparts/carparts_wide.csv"), false);
  std::map<std::string, std::size_t> column;
  Carparts() {
    for (std::size_t j = 0; j < wide[0].size(); j++) column[wide[0][j]] = j;
  }
  std::vector<double> series(const std::string& part, int n) const {
    std::vector<double> y;
    const std::size_t c = column.at(part);
    for (int i = 1; i <= n; i++) y.push_back(std::atof(wide[i][c].c_str()));
    return y;
  }
};

}  // namespace

// Syntetos-Boylan classes as computed in base R (forecast_classes.csv:
// carparts series, and M4 Weekly series for the smooth and erratic classes),
// and the method auto picks for each class; the SBA forecast equals R's
// Croston times 1 - alpha/2.
TEST(ForecastMethods, DemandClassesMatchRAndDriveAuto) {
  const Carparts cp;
  std::map<std::string, std::vector<double>> weekly;
  for (auto& s : m4("Weekly-train.csv", 200)) weekly[s.id] = s.y;
  const auto ref = read_csv(fixture("forecast_classes.csv"));
  std::map<std::string, int> seen;
  Interrupt intr;
  ForecastOptions opt;  // method auto, alpha 0.1
  for (const auto& r : ref) {
    const std::vector<double> y =
        r[0][0] == 'W' ? weekly.at(r[0]) : cp.series(r[0], std::atoi(r[1].c_str()));
    ASSERT_EQ(y.size(), static_cast<std::size_t>(std::atoi(r[1].c_str()))) << r[0];
    const double adi = std::atof(r[2].c_str()), cv2 = std::atof(r[3].c_str());
    const std::string& cls = r[4];
    const DemandClass dc = classify_demand(y);
    EXPECT_NEAR(dc.adi, adi, 1e-9 * adi) << r[0];
    EXPECT_NEAR(dc.cv2, cv2, 1e-9 * std::max(1.0, cv2)) << r[0];
    EXPECT_EQ(dc.name(), cls) << r[0];
    seen[cls]++;
    const ForecastOutput f = forecast_series(y, 3, opt, intr);
    EXPECT_NEAR(param(f, "adi"), adi, 1e-9 * adi) << r[0];
    EXPECT_NEAR(param(f, "cv2"), cv2, 1e-9 * std::max(1.0, cv2)) << r[0];
    EXPECT_EQ(f.note.rfind(cls + " demand (ADI ", 0), 0u) << r[0] << ": " << f.note;
    if (cls == "intermittent") {
      EXPECT_EQ(f.method, "sba") << r[0];
      EXPECT_NEAR(f.point[0], std::atof(r[5].c_str()), 1e-6) << r[0];
    } else if (cls == "lumpy") {
      EXPECT_EQ(f.method, "tsb") << r[0];
    } else {
      // Smooth and erratic: the pooled combination (test_forecast_combine.cpp).
      EXPECT_TRUE(f.note.find("lowest holdout MAE") != std::string::npos ||
                  f.note.find("mean of ") != std::string::npos)
          << r[0] << ": " << f.note;
    }
  }
  for (const char* c : {"smooth", "erratic", "intermittent", "lumpy"})
    EXPECT_GT(seen[c], 0) << "no " << c << " series in the fixture";
}

// Theta: point forecasts and 95 % bounds against R's thetaf on AirPassengers
// (seasonally adjusted, multiplicative), to 1e-6 relative.
TEST(ForecastMethods, ThetaBoundsMatchRThetaf) {
  const std::vector<double> y = air_passengers();
  Interrupt intr;
  ForecastOptions opt;
  opt.method = "theta";
  opt.season = 12;
  const ForecastOutput f = forecast_series(y, 24, opt, intr);
  int k = 0;
  double worst = 0;
  for (const auto& r : read_csv(fixture("forecast_baselines.csv"))) {
    if (r[0] != "theta") continue;
    const int i = std::atoi(r[1].c_str()) - 1;
    const double p = std::atof(r[2].c_str()), lo = std::atof(r[3].c_str()),
                 hi = std::atof(r[4].c_str());
    EXPECT_NEAR(f.point[i], p, 1e-6 * p) << "step " << i + 1;
    EXPECT_NEAR(f.lower[i], lo, 1e-6 * lo) << "step " << i + 1;
    EXPECT_NEAR(f.upper[i], hi, 1e-6 * hi) << "step " << i + 1;
    worst = std::max({worst, std::fabs(f.point[i] / p - 1), std::fabs(f.lower[i] / lo - 1),
                      std::fabs(f.upper[i] / hi - 1)});
    k++;
  }
  EXPECT_EQ(k, 24);
  std::printf("theta: largest relative gap to R's thetaf %.2e\n", worst);
}
