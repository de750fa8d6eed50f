// Serving paths against brute force: the interaction matrix against a sort of
// the triplets, top-k against a full sort, and the blocked recommend_all path
// against one user at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "supplyml/reco_batch.hpp"

namespace {

using supplyml::Scored;

TEST(RecoServe, CsrEqualsSortedTripletsWithDuplicatesSummed) {
  std::mt19937 rng(7);
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  std::map<std::pair<int, int>, double> want;
  for (int k = 0; k < 5000; ++k) {
    const int u = static_cast<int>(rng() % 60), i = static_cast<int>(rng() % (u < 3 ? 400 : 25));
    const double x = 1 + rng() % 5;
    r.push_back(u);
    c.push_back(i);
    w.push_back(x);
    want[{u, i}] += x;
  }
  const auto m = supplyml::build_csr(60, 400, r, c, w);
  ASSERT_EQ(static_cast<std::size_t>(m.nnz()), want.size());
  std::size_t p = 0;
  for (const auto& [key, sum] : want) {  // the map iterates in (row, column) order
    EXPECT_GE(static_cast<std::int64_t>(p), m.indptr[key.first]);
    EXPECT_LT(static_cast<std::int64_t>(p), m.indptr[key.first + 1]);
    EXPECT_EQ(m.indices[p], key.second);
    EXPECT_EQ(m.values[p], static_cast<float>(sum));
    ++p;
  }
}

TEST(RecoServe, TopKEqualsFullSortWithTiesExclusionsAndNaN) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 3000), k = 1 + static_cast<int>(rng() % 40);
    std::vector<float> s(n);
    for (auto& v : s) v = static_cast<float>(rng() % 50) / 7.0f;  // many ties
    if (n > 10) s[rng() % n] = std::nanf("");
    std::vector<std::int32_t> ex;
    for (int i = 0; i < n; ++i)
      if (rng() % 5 == 0) ex.push_back(i);
    std::vector<Scored> all;
    for (int i = 0; i < n; ++i)
      if (!std::isnan(s[i]) && !std::binary_search(ex.begin(), ex.end(), i)) all.push_back({i, s[i]});
    std::stable_sort(all.begin(), all.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    all.resize(std::min<std::size_t>(all.size(), static_cast<std::size_t>(k)));
    const auto got = supplyml::top_k(s.data(), n, k, ex.data(), static_cast<std::int64_t>(ex.size()));
    ASSERT_EQ(got.size(), all.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
      EXPECT_EQ(got[j].item, all[j].item);
      EXPECT_EQ(got[j].score, all[j].score);
    }
  }
}

TEST(RecoServe, BlockedRecommendAllEqualsOneUserAtATime) {
  // A model over 3,000 items (several tiles, a partial last panel), f = 20
  // (not a multiple of the 16 lanes), explicit biases.
  supplyml::MfModel m;
  m.feedback = supplyml::Feedback::kExplicit;
  m.factors = 20;
  m.users = 70;
  m.items = 3000;
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0, 1);
  m.user_factors.resize(static_cast<std::size_t>(m.users * m.factors));
  m.item_factors.resize(static_cast<std::size_t>(m.items * m.factors));
  for (auto& v : m.user_factors) v = g(rng);
  for (auto& v : m.item_factors) v = g(rng);
  m.user_bias.assign(static_cast<std::size_t>(m.users), 0.5f);
  m.item_bias.resize(static_cast<std::size_t>(m.items));
  for (auto& v : m.item_bias) v = g(rng);
  m.global_mean = 3;
  m.seen_indptr.push_back(0);
  for (std::int64_t u = 0; u < m.users; ++u) {
    for (std::int32_t i = static_cast<std::int32_t>(u); i < m.items; i += 97) m.seen_indices.push_back(i);
    m.seen_indptr.push_back(static_cast<std::int64_t>(m.seen_indices.size()));
  }
  m.interactions = static_cast<std::int64_t>(m.seen_indices.size());
  m.popularity.assign(static_cast<std::size_t>(m.items), 1.0);
  m.derive();
  std::vector<std::int64_t> users;
  for (std::int64_t u = m.users - 1; u >= 0; --u) users.push_back(u);
  supplyml::Interrupt none;
  const auto all = supplyml::recommend_many(m, users, 15, true, 2, none);
  for (std::size_t j = 0; j < users.size(); ++j) {
    const auto one = m.recommend(users[j], 15, true, 1);
    ASSERT_EQ(all[j].size(), one.size());
    for (std::size_t r = 0; r < one.size(); ++r) {
      EXPECT_EQ(all[j][r].item, one[r].item);
      EXPECT_EQ(all[j][r].score, one[r].score);
      // and each score is the model's own prediction
      EXPECT_NEAR(one[r].score, m.score(users[j], one[r].item), 1e-4);
      EXPECT_EQ(one[r].item % 97 == users[j] % 97 && one[r].item >= users[j], false);  // seen items excluded
    }
  }
}

}  // namespace
