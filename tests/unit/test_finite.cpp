// Edge cases that once produced NaN, an infinity or an impossible value; each
// expected value is a closed form (deterministic demand, a constant series).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/forecast_stats.hpp"
#include "supplyml/inventory.hpp"
#include "supplyml/routing.hpp"

using namespace supplyml;

namespace {

std::string sqlstate_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "no error";
}

}  // namespace

TEST(Finite, MaseOfAConstantSeriesIsUndefined) {
  const std::vector<double> constant(12, 5.0), zeros(12, 0.0);
  const double actual[3] = {5, 5, 6}, fc[3] = {5, 5, 5};
  EXPECT_TRUE(std::isnan(mase(actual, fc, 3, constant, 4)));
  EXPECT_TRUE(std::isnan(mase(actual, fc, 3, zeros, 1)));
  // In-sample naive errors |1-0|, |2-1|, |3-2| average 1: MASE = mean |error| = 1/3.
  EXPECT_DOUBLE_EQ(mase(actual, fc, 3, {0, 1, 2, 3}, 1), 1.0 / 3.0);
}

TEST(Finite, EmpiricalDemandNearTheFloat8Limit) {
  const auto d = inv::Demand::empirical({1e308, 1e308, 1e308});
  EXPECT_EQ(d.mean(), 1e308);
  EXPECT_EQ(d.sd(), 0.0);
  const auto r = inv::newsvendor(1, 9, d);
  EXPECT_EQ(r.order_up_to, 1e308);
  EXPECT_EQ(r.expected_cost, 0.0);
  const auto spread = inv::Demand::empirical({0.0, 1.5e308, 1.5e308});
  EXPECT_DOUBLE_EQ(spread.mean(), 1e308);
  EXPECT_TRUE(std::isfinite(spread.sd()));
}

TEST(Finite, NewsvendorCostIsNeverNegative) {
  const auto d = inv::Demand::empirical({3, 5, 8});
  for (double s : {3.0, 4.0, 5.0, 8.0, 1e15}) EXPECT_GE(inv::newsvendor_cost(s, 2, 9, d), 0.0) << s;
  EXPECT_EQ(sqlstate_of([] { inv::newsvendor(2, 9, inv::Demand::make(inv::Dist::Gamma, 1e100, 0.1)); }), "22003");
  EXPECT_EQ(sqlstate_of([] { inv::newsvendor_cost(6, 2, 9, inv::Demand::make(inv::Dist::Normal, 6, 4.9e-324)); }),
            "22003");
  EXPECT_EQ(inv::newsvendor_cost(6, 2, 9, inv::Demand::make(inv::Dist::Normal, 6, 0.0)), 0.0);
}

TEST(Finite, OverflowingRouteTimesAreRefused) {
  RouteOptions o;
  o.speed = 1e-300;
  RouteStop depot, a, b;
  a.x = 1e9;
  b.x = 2e9;
  b.y = 1e9;
  EXPECT_EQ(sqlstate_of([&] { score_stops(depot, {&a, &b}, o, 3); }), "22003");
  o.speed = 1.0;
  const RouteResult r = score_stops(depot, {&a, &b}, o, 3);
  EXPECT_TRUE(std::isfinite(r.cost));
}
