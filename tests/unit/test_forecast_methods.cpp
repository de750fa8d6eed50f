// Croston against R's forecast::croston on the carparts reference (shared data).
#include <gtest/gtest.h>

#include <cmath>
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
