// Inventory kernels against Snyder & Shen's worked examples as computed by
// stockpyl (values quoted in the issue), and against tests/fixtures/
// inventory_*.csv produced by tests/fixtures/inventory_reference.py.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "data_files.hpp"
#include "supplyml/error.hpp"
#include "supplyml/inventory.hpp"
#include "supplyml/inventory_history.hpp"
#include "supplyml/inventory_sim.hpp"

using namespace supplyml;
using namespace supplyml::inv;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void expect_rel(double got, double want, double tol = 1e-9) {
  EXPECT_NEAR(got, want, tol * std::max(1.0, std::fabs(want))) << "want " << want;
}

const char* sqlstate_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

// Reads a CSV with a header into rows of name -> text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& name) {
  std::ifstream in = test_files::open(test_files::fixture(name));
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::vector<std::string> head;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string f;
    while (std::getline(ss, f, ',')) out.push_back(f);
    return out;
  };
  if (!std::getline(in, line)) return rows;
  head = split(line);
  while (std::getline(in, line)) {
    auto f = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < head.size() && i < f.size(); ++i) row[head[i]] = f[i];
    rows.push_back(row);
  }
  return rows;
}

double num(const std::map<std::string, std::string>& r, const char* k) { return std::stod(r.at(k)); }

}  // namespace

TEST(InventoryEoq, SnyderShenExample) {
  const auto r = eoq(1300, 8, 0.225, kNaN);
  expect_rel(r.order_quantity, 304.0467800264368);
  expect_rel(r.cost, 68.41052550594829);
  expect_rel(r.cycle_time, 304.0467800264368 / 1300);
}

TEST(InventoryEoq, PlannedBackorders) {
  // stockpyl economic_order_quantity_with_backorders(8, 0.225, 7.5, 1300)
  const auto r = eoq(1300, 8, 0.225, 7.5);
  expect_rel(r.order_quantity, 308.5737801203754);
  expect_rel(r.backorder_fraction, 0.02912621359223301);
  expect_rel(r.cost, 67.40689371561598);
}

TEST(InventoryNewsvendor, NormalExample) {
  const auto d = Demand::make(Dist::Normal, 50, 8);
  const auto r = newsvendor(0.18, 0.70, d);
  expect_rel(r.order_up_to, 56.60395592743389);
  expect_rel(r.expected_cost, 1.9976051931766445);
  expect_rel(newsvendor_cost(60, 0.18, 0.70, d), 2.156131552870387);
}

TEST(InventorySs, PoissonExample) {
  const auto d = Demand::make(Dist::Poisson, 6, kNaN);
  const auto p = ss_policy(1, 4, 5, d, 0, SsMethod::Exact);
  EXPECT_EQ(p.reorder_point, 4);
  EXPECT_EQ(p.order_up_to, 10);
  expect_rel(p.expected_cost, 8.034111561471642);
  expect_rel(ss_cost(4, 10, 1, 4, 5, d, 0), 8.034111561471642);
}

TEST(InventorySs, ZhengFedergruenTable) {
  const auto p = ss_policy(1, 9, 64, Demand::make(Dist::Poisson, 10, kNaN), 0, SsMethod::Exact);
  EXPECT_EQ(p.reorder_point, 6);
  EXPECT_EQ(p.order_up_to, 40);
  EXPECT_NEAR(p.expected_cost, 35.022, 5e-4);
}

TEST(InventoryRq, CostAndLossFunctionMethod) {
  expect_rel(rq_cost(126.8, 328.5, 0.225, 7.5, 8, 1300, 150, 1.0 / 12, Dist::Normal), 78.07116250928294);
  const auto p = rq_policy(0.225, 7.5, 8, 1300, 150, 1.0 / 12, RqMethod::LossFunction, Dist::Normal);
  expect_rel(p.reorder_point, 126.8670634479628);
  expect_rel(p.order_quantity, 328.4491421980451);
}

TEST(InventoryRq, ExactBeatsApproximations) {
  const auto ex = rq_policy(0.225, 7.5, 8, 1300, 150, 1.0 / 12, RqMethod::Exact, Dist::Normal);
  for (auto m : {RqMethod::LossFunction, RqMethod::EoqSs, RqMethod::Eil}) {
    const auto ap = rq_policy(0.225, 7.5, 8, 1300, 150, 1.0 / 12, m, Dist::Normal);
    EXPECT_LE(ex.expected_cost, ap.expected_cost + 1e-12);
  }
  // At the optimum g(r) = g(r+Q) = C(r,Q): the cost equals the newsvendor cost at r.
  const auto ltd = Demand::make(Dist::Normal, 1300.0 / 12, 150 / std::sqrt(12.0));
  expect_rel(newsvendor_cost(ex.reorder_point, 0.225, 7.5, ltd), ex.expected_cost);
  expect_rel(newsvendor_cost(ex.order_up_to, 0.225, 7.5, ltd), ex.expected_cost);
}

TEST(InventoryRq, PoissonExact) {
  // stockpyl r_q_poisson_exact(1, 4, 100, 6, 3)
  const auto p = rq_policy(1, 4, 100, 6, kNaN, 3, RqMethod::Exact, Dist::Poisson);
  EXPECT_EQ(p.reorder_point, 10);
  EXPECT_EQ(p.order_quantity, 40);
  expect_rel(p.expected_cost, 32.1194224940454);
}

TEST(InventoryService, CycleServiceClosedForm) {
  // z_0.95 = 1.6448536269514722; sigma_L = sqrt(4 * 10^2 + 100^2 * 0.5^2).
  const auto r = service_reorder_point(100, 10, 4, 0.5, 0.95, ServiceType::Cycle, kNaN);
  const double sl = std::sqrt(400.0 + 2500.0);
  expect_rel(r.safety_stock, 1.6448536269514722 * sl);
  expect_rel(r.reorder_point, 400 + 1.6448536269514722 * sl);
}

TEST(InventoryService, FillRateInvertsTheLossFunction) {
  const auto r = service_reorder_point(100, 30, 4, 0, 0.99, ServiceType::FillRate, 500);
  const auto ltd = Demand::make(Dist::Normal, 400, 60);
  expect_rel(1.0 - ltd.loss(r.reorder_point) / 500, 0.99, 1e-12);
}

TEST(InventoryFixtures, StockpylRandomCases) {
  const auto rows = read_csv("inventory_stockpyl.csv");
  ASSERT_GT(rows.size(), 50u);
  int checked = 0;
  for (const auto& r : rows) {
    const std::string fn = r.at("function");
    const double h = num(r, "h"), p = num(r, "p"), K = num(r, "K"), mean = num(r, "mean"), sd = num(r, "sd"),
                 L = num(r, "lead_time"), x1 = num(r, "x1"), x2 = num(r, "x2"), y1 = num(r, "y1"),
                 y2 = num(r, "y2"), y3 = num(r, "y3");
    const double tol = std::stod(r.at("rel_tol"));
    SCOPED_TRACE(fn + " case " + r.at("case"));
    if (fn == "eoq") {
      const auto e = eoq(mean, K, h, kNaN);
      expect_rel(e.order_quantity, y1, tol);
      expect_rel(e.cost, y2, tol);
    } else if (fn == "eoq_backorders") {
      const auto e = eoq(mean, K, h, p);
      expect_rel(e.order_quantity, y1, tol);
      expect_rel(e.backorder_fraction, y2, tol);
      expect_rel(e.cost, y3, tol);
    } else if (fn.rfind("newsvendor_", 0) == 0) {
      const Dist d = parse_distribution(fn.substr(11));
      const auto dm = Demand::make(d, mean, sd);
      const auto nv = newsvendor(h, p, dm);
      expect_rel(nv.order_up_to, y1, tol);
      expect_rel(nv.expected_cost, y2, tol);
      expect_rel(newsvendor_cost(x1, h, p, dm), y3, tol);
    } else if (fn == "rq_cost") {
      expect_rel(rq_cost(x1, x2, h, p, K, mean, sd, L, Dist::Normal), y1, tol);
    } else if (fn == "rq_loss_function" || fn == "rq_eil" || fn == "rq_eoq_ss") {
      const auto m = parse_rq_method(fn.substr(3));
      const auto pol = rq_policy(h, p, K, mean, sd, L, m, Dist::Normal);
      expect_rel(pol.reorder_point, y1, tol);
      expect_rel(pol.order_quantity, y2, tol);
    } else if (fn == "rq_poisson") {
      const auto pol = rq_policy(h, p, K, mean, kNaN, L, RqMethod::Exact, Dist::Poisson);
      EXPECT_EQ(pol.reorder_point, y1);
      EXPECT_EQ(pol.order_quantity, y2);
      expect_rel(pol.expected_cost, y3, tol);
    } else if (fn == "ss_poisson") {
      const auto pol = ss_policy(h, p, K, Demand::make(Dist::Poisson, mean, kNaN), 0, SsMethod::Exact);
      EXPECT_EQ(pol.reorder_point, y1);
      EXPECT_EQ(pol.order_up_to, y2);
      expect_rel(pol.expected_cost, y3, tol);
    } else if (fn == "ss_power") {
      const auto pol = ss_policy(h, p, K, Demand::make(Dist::Normal, mean, sd), 0, SsMethod::Power);
      expect_rel(pol.reorder_point, y1, tol);
      expect_rel(pol.order_up_to, y2, tol);
    } else if (fn == "base_stock_normal") {
      const auto pol = base_stock_policy(h, p, 0, Demand::make(Dist::Normal, mean, sd), static_cast<int>(L), 1, kNaN);
      expect_rel(pol.order_up_to, y1, tol);
      expect_rel(pol.expected_cost, y2, tol);
    } else {
      ADD_FAILURE() << "unknown fixture function " << fn;
      continue;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(rows.size()));
}

TEST(InventoryFixtures, EmpiricalNewsvendor) {
  const auto rows = read_csv("inventory_empirical.csv");
  ASSERT_GT(rows.size(), 5u);
  for (const auto& r : rows) {
    std::vector<double> obs;
    std::stringstream ss(r.at("observations"));
    std::string f;
    while (std::getline(ss, f, ' ')) obs.push_back(std::stod(f));
    const auto d = Demand::empirical(obs);
    const auto nv = newsvendor(num(r, "h"), num(r, "p"), d);
    expect_rel(nv.order_up_to, num(r, "order_up_to"));
    expect_rel(nv.expected_cost, num(r, "expected_cost"));
  }
}

TEST(InventorySim, MatchesExactSsCost) {
  // (s,S) = (4, 10), Poisson(6), h=1, p=4, K=5: exact cost 8.034111561471642.
  const auto table = sim_pmf_table(Demand::make(Dist::Poisson, 6, kNaN));
  SimDemand dem{kSampleTable, table.values.data(), table.cum.data(), static_cast<int>(table.values.size()), 0, 0};
  SimPolicy pol{kSimSs, 4, 0, 10, 1, 0, 1, 4, 5};
  Interrupt intr;
  const auto r = simulate(dem, pol, 2000, 100, 400, 42, 2, intr);
  EXPECT_LT(r.cost_ci_low, 8.034111561471642);
  EXPECT_GT(r.cost_ci_high, 8.034111561471642);
  EXPECT_LT(r.cost_ci_high - r.cost_ci_low, 0.1);
  // Same seed, same answer.
  const auto again = simulate(dem, pol, 2000, 100, 400, 42, 1, intr);
  EXPECT_EQ(again.cost_per_period, r.cost_per_period);
}

TEST(InventorySim, MatchesExactRqCost) {
  // Periodic review of an (r, nQ) policy with lead time L periods charges the
  // newsvendor cost over L+1 periods: the continuous-review formula with lead time L+1.
  const auto pol = rq_policy(1, 4, 100, 6, kNaN, 3, RqMethod::Exact, Dist::Poisson);
  const auto table = sim_pmf_table(Demand::make(Dist::Poisson, 6, kNaN));
  SimDemand dem{kSampleTable, table.values.data(), table.cum.data(), static_cast<int>(table.values.size()), 0, 0};
  SimPolicy sp{kSimRq, pol.reorder_point, pol.order_quantity, 0, 1, 2, 1, 4, 100};
  Interrupt intr;
  const auto r = simulate(dem, sp, 2000, 200, 400, 7, 2, intr);
  EXPECT_LT(r.cost_ci_low, pol.expected_cost);
  EXPECT_GT(r.cost_ci_high, pol.expected_cost);
}

TEST(InventoryErrors, BadInputs) {
  EXPECT_STREQ(sqlstate_of([] { eoq(-1, 8, 0.2, kNaN); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { eoq(1300, 8, 0, kNaN); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { eoq(NAN, 8, 0.2, kNaN); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { service_reorder_point(10, 1, 2, 0, 1.0, ServiceType::Cycle, kNaN); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { parse_distribution("weibull"); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { rq_policy(1, 2, 3, 100, 10, 0, RqMethod::Exact, Dist::Normal); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { Demand::empirical({}); }), "22023");
  EXPECT_STREQ(sqlstate_of([] { ss_policy(1, 2, 3, Demand::make(Dist::Normal, 5, 1), 0, SsMethod::Exact); }), "0A000");
}

TEST(InventoryHistory, SortsFillsGapsAndFits) {
  // Rows out of order with a missing period 3 (zero demand).
  HistoryOptions o;
  o.lead_time = 2;
  o.order_quantity = 10;
  const auto p = policy_from_history({5, 1, 2, 4}, {4, 0, 6, 2}, o);
  // Series 0, 6, 0, 2, 4: mean 2.4, intermittent (ADI 5/3), var 6.8 > mean: negative binomial.
  EXPECT_EQ(p.distribution, "negative_binomial");
  expect_rel(p.demand_mean, 2.4);
  expect_rel(p.demand_sd, std::sqrt(6.8));
  const auto ltd = Demand::make(Dist::NegativeBinomial, 4.8, std::sqrt(13.6));
  EXPECT_EQ(p.reorder_point, ltd.quantile(0.95));
  EXPECT_STREQ(sqlstate_of([&] { policy_from_history({1, 2}, {1, -2}, o); }), "22023");
  EXPECT_STREQ(sqlstate_of([&] { policy_from_history({}, {}, o); }), "22023");
  HistoryOptions strict = o;
  strict.duplicates = "error";
  EXPECT_STREQ(sqlstate_of([&] { policy_from_history({1, 1}, {1, 2}, strict); }), "23505");
}

TEST(InventoryHistory, DuplicatesNegativesAndAsOf) {
  HistoryOptions o;
  // Duplicates summed: periods 1, 1, 3 -> 3, 0, 4.
  EXPECT_EQ(demand_series({1, 3, 1}, {1, 4, 2}, o), (std::vector<double>{3, 0, 4}));
  // Negative net demand: error (default), zero, or kept; a return netted
  // against a sale of the same period is not negative.
  EXPECT_EQ(demand_series({1, 1, 2}, {5, -2, 1}, o), (std::vector<double>{3, 1}));
  o.negative = "zero";
  EXPECT_EQ(demand_series({1, 2}, {-2, 1}, o), (std::vector<double>{0, 1}));
  o.negative = "keep";
  EXPECT_EQ(demand_series({1, 2}, {-2, 1}, o), (std::vector<double>{-2, 1}));
  o.negative = "error";
  // as_of: rows after it left out, zero demand from the last row up to it.
  o.has_as_of = true;
  o.as_of = 5;
  EXPECT_EQ(demand_series({2, 3, 7}, {1, 2, 9}, o), (std::vector<double>{1, 2, 0, 0}));
  EXPECT_TRUE(demand_series({6, 7}, {1, 2}, o).empty());
  // Dates (days since 2000-01-01) on a weekly grid through as_of 2000-01-17
  // (a Monday, day 16): 2000-01-03 and 2000-01-10 are periods -2 and -1.
  o.dates = true;
  o.freq_step_us = 7 * 86400000000LL;
  o.as_of = 16;
  EXPECT_EQ(demand_series({2, 9, 9}, {1, 2, 3}, o), (std::vector<double>{1, 5, 0}));
  // A Tuesday among Mondays: the error names the date.
  try {
    demand_series({2, 10}, {1, 2}, o);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22000");
    EXPECT_EQ(std::string(e.what()), "date 2000-01-11 is not on the weekly grid through as_of 2000-01-17");
  }
  o.freq_step_us = 0;
  o.has_as_of = false;
  try {
    demand_series({0, 1}, {1, -2}, o);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "negative demand -2 at 2000-01-02");
  }
}

TEST(InventoryHistory, SmoothSeriesIsNormalAndMatchesReorderPoint) {
  HistoryOptions o;
  o.lead_time = 3;
  o.holding_cost = 0.5;
  o.order_cost = 40;
  std::vector<std::int64_t> t;
  std::vector<double> q;
  for (int i = 0; i < 50; ++i) {
    t.push_back(i);
    q.push_back(20 + (i * 7) % 11);
  }
  const auto p = policy_from_history(t, q, o);
  EXPECT_EQ(p.distribution, "normal");
  const auto ref = service_reorder_point(p.demand_mean, p.demand_sd, 3, 0, 0.95, ServiceType::Cycle, kNaN);
  expect_rel(p.reorder_point, ref.reorder_point);
  expect_rel(p.order_quantity, std::sqrt(2 * 40 * p.demand_mean / 0.5));
}
