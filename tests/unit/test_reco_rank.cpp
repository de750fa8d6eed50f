// Interaction matrix, ranking and metrics against hand-computed values.
#include <gtest/gtest.h>

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
  EXPECT_EQ(m.indptr, (std::vector<std::int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(m.indices, (std::vector<std::int32_t>{0, 3, 2, 1}));
  EXPECT_EQ(m.values, (std::vector<float>{3, 2, 5, 5}));
  const auto t = m.transpose();
  EXPECT_EQ(t.indptr, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(t.indices, (std::vector<std::int32_t>{0, 2, 1, 0}));
}

// The matrix of (row, column, weight) entries as a map keyed by pair sums
// them, in input order, rows sorted by column.
supplyml::Csr summed_in_input_order(int rows, const std::vector<std::int32_t>& r, const std::vector<std::int32_t>& c,
                                    const std::vector<double>& w) {
  std::map<std::pair<std::int32_t, std::int32_t>, double> sums;
  for (std::size_t k = 0; k < r.size(); ++k) sums[{r[k], c[k]}] += w[k];
  supplyml::Csr m;
  m.indptr.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (const auto& [pair, sum] : sums) {
    ++m.indptr[static_cast<std::size_t>(pair.first) + 1];
    m.indices.push_back(pair.second);
    m.values.push_back(static_cast<float>(sum));
  }
  for (int i = 0; i < rows; ++i) m.indptr[i + 1] += m.indptr[i];
  return m;
}

// Long rows with many repeated pairs, and weights of very different sizes, so
// that the order of summation shows in the result: each pair must be the sum
// of its weights in input order (as a map keyed by pair computes it), rows
// sorted by column.
TEST(RecoCsr, SumsEachPairInInputOrderOnLongRows) {
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
  const supplyml::Csr want = summed_in_input_order(rows, r, c, w);
  const auto m = supplyml::build_csr(rows, cols, r, c, w);
  EXPECT_EQ(m.rows, rows);
  EXPECT_EQ(m.cols, cols);
  EXPECT_EQ(m.indptr, want.indptr);
  EXPECT_EQ(m.indices, want.indices);
  EXPECT_EQ(m.values, want.values);
}

// Enough entries for the build to split among threads (a part has at least
// 2^18): the matrix, and its transpose, are the same to the bit whatever the
// thread count, the map's sums in input order.
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
  const supplyml::Csr want = summed_in_input_order(rows, r, c, w);
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
  EXPECT_EQ(m.values, (std::vector<float>{7, 3}));
  EXPECT_EQ(m.indptr, (std::vector<std::int64_t>{0, 1, 2}));
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
