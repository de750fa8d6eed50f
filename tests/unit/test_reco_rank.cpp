// Interaction matrix, ranking and metrics against hand-computed values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <utility>

#include "supplyml/error.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_rank.hpp"

namespace {

using supplyml::Scored;

TEST(RecoCsr, SortsAndSumsDuplicatePairs) {
  const auto m = supplyml::build_csr(3, 4, {2, 0, 2, 0, 1}, {1, 3, 1, 0, 2}, {1.0, 2.0, 4.0, 3.0, 5.0});
  EXPECT_EQ(m.indptr, (std::pmr::vector<std::int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(m.indices, (std::pmr::vector<std::int32_t>{0, 3, 2, 1}));
  EXPECT_EQ(m.values, (std::pmr::vector<float>{3, 2, 5, 5}));
  const auto t = m.transpose();
  EXPECT_EQ(t.indptr, (std::pmr::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(t.indices, (std::pmr::vector<std::int32_t>{0, 2, 1, 0}));
}

// The matrix of (row, column, weight) entries with each pair's weights summed
// exactly, rows sorted by column: in fixed point, as integers of 2^-80 (every
// weight of the tests below, 0.5e-8 to 1e8, is a whole number of them, and
// their sums stay far inside 128 bits), converted back to the nearest double
// and then to float.
supplyml::Csr exactly_summed(int rows, const std::vector<std::int32_t>& r, const std::vector<std::int32_t>& c,
                             const std::vector<double>& w) {
  std::map<std::pair<std::int32_t, std::int32_t>, __int128> sums;
  for (std::size_t k = 0; k < r.size(); ++k) {
    const double units = std::ldexp(w[k], 80);
    EXPECT_EQ(units, std::trunc(units)) << "weight " << w[k] << " is not a whole number of 2^-80";
    sums[{r[k], c[k]}] += static_cast<__int128>(units);
  }
  supplyml::Csr m;
  m.indptr.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (const auto& [pair, sum] : sums) {
    ++m.indptr[static_cast<std::size_t>(pair.first) + 1];
    m.indices.push_back(pair.second);
    m.values.push_back(static_cast<float>(std::ldexp(static_cast<double>(sum), -80)));
  }
  for (int i = 0; i < rows; ++i) m.indptr[i + 1] += m.indptr[i];
  return m;
}

// Long rows with many repeated pairs, and weights of very different sizes, so
// that a sum in some order would round: each pair must be the exact sum of
// its weights, rounded once, rows sorted by column.
TEST(RecoCsr, SumsEachPairExactlyOnLongRows) {
  std::mt19937_64 rng(7);
  const int rows = 40, cols = 300;
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  std::uniform_int_distribution<int> row(0, rows - 1), col(0, cols - 1), scale(-8, 8);
  std::uniform_real_distribution<double> unit(0.5, 1.0);
  for (int k = 0; k < 30000; ++k) {
    r.push_back(row(rng) % (k % 3 == 0 ? 2 : rows));  // rows 0 and 1 are long
    c.push_back(col(rng) % (k % 2 == 0 ? 20 : cols));  // columns below 20 repeat often
    w.push_back(unit(rng) * std::pow(10.0, scale(rng)));
  }
  const supplyml::Csr want = exactly_summed(rows, r, c, w);
  const auto m = supplyml::build_csr(rows, cols, r, c, w);
  EXPECT_EQ(m.rows, rows);
  EXPECT_EQ(m.cols, cols);
  EXPECT_EQ(m.indptr, want.indptr);
  EXPECT_EQ(m.indices, want.indices);
  EXPECT_EQ(m.values, want.values);
}

// Enough entries for the build to split among threads (a part has at least
// 2^18): the matrix, and its transpose, are the same to the bit whatever the
// thread count, each pair the exact sum of its weights.
TEST(RecoCsr, ThreadsGiveTheSameMatrix) {
  std::mt19937_64 rng(11);
  const int rows = 3000, cols = 500;
  const std::size_t n = 800000;
  std::vector<std::int32_t> r(n), c(n);
  std::vector<double> w(n);
  std::uniform_int_distribution<int> row(0, rows - 1), col(0, cols - 1), scale(-6, 6);
  std::uniform_real_distribution<double> unit(0.5, 1.0);
  for (std::size_t k = 0; k < n; ++k) {
    r[k] = row(rng) % (k % 4 == 0 ? 3 : rows);  // rows 0-2 are long, and straddle the slices
    c[k] = col(rng) % (k % 2 == 0 ? 40 : cols);
    w[k] = unit(rng) * std::pow(10.0, scale(rng));
  }
  const supplyml::Csr want = exactly_summed(rows, r, c, w);
  const auto one = supplyml::build_csr(rows, cols, r.data(), c.data(), w.data(), n, 1).transpose(1);
  for (int threads : {1, 2, 4}) {
    const auto m = supplyml::build_csr(rows, cols, r.data(), c.data(), w.data(), n, threads);
    EXPECT_EQ(m.indptr, want.indptr) << threads;
    EXPECT_EQ(m.indices, want.indices) << threads;
    EXPECT_EQ(m.values, want.values) << threads;
    const auto t = m.transpose(threads);
    EXPECT_EQ(t.indptr, one.indptr) << threads;
    EXPECT_EQ(t.indices, one.indices) << threads;
    EXPECT_EQ(t.values, one.values) << threads;
  }
}

// The order of the source rows does not matter: 1e16 + 1 rounds to 1e16, so
// the pair (0, 0) summed in input order would be 1 one way and 2 the other;
// its exact sum is 2. Then random weights with many repeats, in shuffled
// orders: the same matrix to the bit.
TEST(RecoCsr, AnyOrderOfTheRowsGivesTheSameSums) {
  const auto a = supplyml::build_csr(1, 2, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 1}, {1e16, 1.0, -1e16, 1.0, 0.1});
  const auto b = supplyml::build_csr(1, 2, {0, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {1.0, 0.1, 1.0, 1e16, -1e16});
  EXPECT_EQ(a.values, (std::pmr::vector<float>{2.0f, 0.1f}));
  EXPECT_EQ(b.values, a.values);

  std::mt19937_64 rng(5);
  const int rows = 50, cols = 30;
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  std::uniform_int_distribution<int> row(0, rows - 1), col(0, cols - 1), scale(-12, 12);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int k = 0; k < 20000; ++k) {
    r.push_back(row(rng));
    c.push_back(col(rng));
    w.push_back(unit(rng) * std::pow(10.0, scale(rng)));
  }
  const auto want = supplyml::build_csr(rows, cols, r, c, w);
  std::vector<std::size_t> order(r.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  for (int round = 0; round < 5; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::int32_t> r2, c2;
    std::vector<double> w2;
    for (std::size_t k : order) {
      r2.push_back(r[k]);
      c2.push_back(c[k]);
      w2.push_back(w[k]);
    }
    const auto m = supplyml::build_csr(rows, cols, r2, c2, w2);
    EXPECT_EQ(m.indices, want.indices) << round;
    EXPECT_EQ(m.values, want.values) << round;
  }
}

// With threads, the error is still the one of the first bad entry.
TEST(RecoCsr, ThreadsReportTheFirstBadEntry) {
  const std::size_t n = 800000;
  std::vector<std::int32_t> r(n, 0), c(n, 0);
  std::vector<double> w(n, 1.0);
  w[700000] = NAN;
  try {
    supplyml::build_csr(1, 1, r.data(), c.data(), w.data(), n, 2);
    FAIL() << "NaN accepted";
  } catch (const supplyml::Error& e) {
    EXPECT_STREQ(e.sqlstate(), supplyml::sqlstate::kInvalidParameterValue);
    EXPECT_NE(e.detail().find("Row 700001 "), std::string::npos) << e.detail();
  }
  w[100] = NAN;
  c[300000] = 1;  // out of range, after the first NaN
  try {
    supplyml::build_csr(1, 1, r.data(), c.data(), w.data(), n, 2);
    FAIL() << "NaN accepted";
  } catch (const supplyml::Error& e) {
    EXPECT_NE(e.detail().find("Row 101 "), std::string::npos) << e.detail();
  }
  w[100] = 1.0;
  try {
    supplyml::build_csr(1, 1, r.data(), c.data(), w.data(), n, 2);
    FAIL() << "out-of-range index accepted";
  } catch (const supplyml::Error& e) {
    EXPECT_STREQ(e.sqlstate(), supplyml::sqlstate::kInternalError);
  }
}

TEST(RecoCsr, ConfidenceScalingAndBadWeights) {
  auto m = supplyml::build_csr(2, 2, {0, 0, 1}, {0, 1, 1}, {3.0, 0.0, 1.0});
  EXPECT_EQ(supplyml::to_confidence(m, 2.0, supplyml::Scaling::kLinear, 1.0), 1);
  EXPECT_EQ(m.values, (std::pmr::vector<float>{7, 3}));
  EXPECT_EQ(m.indptr, (std::pmr::vector<std::int64_t>{0, 1, 2}));
  auto l = supplyml::build_csr(1, 1, {0}, {0}, {3.0});
  supplyml::to_confidence(l, 2.0, supplyml::Scaling::kLog, 0.5);
  EXPECT_FLOAT_EQ(l.values[0], static_cast<float>(1 + 2 * std::log(7.0)));
  // Negative summed weights are an error, a negative row that sums positive is not.
  auto neg = supplyml::build_csr(1, 1, {0, 0}, {0, 0}, {-1.0, 0.5});
  try {
    supplyml::to_confidence(neg, 1.0, supplyml::Scaling::kLinear, 1.0);
    FAIL() << "negative weight accepted";
  } catch (const supplyml::Error& e) {
    EXPECT_STREQ(e.sqlstate(), supplyml::sqlstate::kInvalidParameterValue);
  }
  auto ok = supplyml::build_csr(1, 1, {0, 0}, {0, 0}, {-1.0, 2.5});
  EXPECT_NO_THROW(supplyml::to_confidence(ok, 1.0, supplyml::Scaling::kLinear, 1.0));
  EXPECT_THROW(supplyml::build_csr(1, 1, {0}, {0}, {NAN}), supplyml::Error);
}

TEST(RecoRank, TopKSkipsExcludedAndBreaksTiesByIndex) {
  const float s[] = {0.5f, 0.9f, 0.1f, 0.9f, 0.7f, 0.3f};
  const std::int32_t ex[] = {4};
  const auto top = supplyml::top_k(s, 6, 3, ex, 1);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].item, 1);
  EXPECT_EQ(top[1].item, 3);
  EXPECT_EQ(top[2].item, 0);
  EXPECT_EQ(supplyml::top_k(s, 6, 10, ex, 1).size(), 5u);
}

TEST(RecoRank, ScoresAndCosine) {
  const std::vector<float> Y = {1, 0, 0, 2, 3, 4};
  const float x[] = {2, 1};
  const float bias[] = {0.5f, 0, -1};
  float out[3];
  supplyml::score_items(Y.data(), 3, 2, x, bias, out);
  EXPECT_FLOAT_EQ(out[0], 2.5f);
  EXPECT_FLOAT_EQ(out[1], 2.0f);
  EXPECT_FLOAT_EQ(out[2], 9.0f);
  std::vector<float> n = Y;
  supplyml::normalize_rows(n.data(), 3, 2);
  EXPECT_FLOAT_EQ(n[0], 1.0f);
  EXPECT_FLOAT_EQ(n[4], 0.6f);
  EXPECT_FLOAT_EQ(n[5], 0.8f);
}

TEST(RecoRank, PopularityOrder) {
  const std::vector<double> pop = {3, 7, 7, 1};
  std::vector<std::int32_t> order(pop.size());
  supplyml::popularity_order(pop.data(), pop.size(), order.data());
  EXPECT_EQ(order, (std::vector<std::int32_t>{1, 2, 0, 3}));
  const std::int32_t ex[] = {2};
  const auto top = supplyml::top_popular(order.data(), order.size(), pop.data(), 2, ex, 1);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].item, 1);
  EXPECT_EQ(top[1].item, 0);
}

// One user, catalogue of 10, k = 3, recommended [3, 1, 7], relevant {1, 7, 9}:
// hits at ranks 2 and 3.
TEST(RecoMetrics, HandComputedSingleUser) {
  supplyml::RankingMetrics m(10, 3);
  m.add({{3, 0.9f}, {1, 0.8f}, {7, 0.7f}}, {1, 7, 9});
  const auto r = m.result();
  EXPECT_EQ(r.users, 1);
  EXPECT_DOUBLE_EQ(r.precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.recall, 2.0 / 3.0);
  EXPECT_NEAR(r.map, (1.0 / 2 + 2.0 / 3) / 3, 1e-15);
  const double dcg = 1 / std::log2(3.0) + 1 / std::log2(4.0);
  const double idcg = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0);
  EXPECT_NEAR(r.ndcg, dcg / idcg, 1e-15);
  // Pairs (positive, negative) ordered correctly, ties counted one half:
  // ranked positives beat the 6 unranked negatives (2 x 6), the unranked
  // positive ties with them (6 x 0.5): 15 of 3 x 7.
  EXPECT_NEAR(r.auc, 15.0 / 21.0, 1e-15);
  EXPECT_DOUBLE_EQ(r.coverage, 0.3);
}

TEST(RecoMetrics, PrecisionPoolsOverUsersAndCapsAtK) {
  supplyml::RankingMetrics m(100, 2);
  m.add({{5, 1}, {6, 1}}, {5});           // 1 hit of min(2, 1) = 1
  m.add({{5, 1}, {8, 1}}, {1, 2, 3, 4});  // 0 hits of min(2, 4) = 2
  const auto r = m.result();
  EXPECT_DOUBLE_EQ(r.precision, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.recall, 0.5);
  EXPECT_DOUBLE_EQ(r.ndcg, 0.5);
  EXPECT_DOUBLE_EQ(r.coverage, 3.0 / 100.0);
}

}  // namespace
