#include "supplyml/reco_batch.hpp"

#include <cmath>

#include "supplyml/parallel.hpp"

namespace supplyml {

std::vector<std::vector<Scored>> recommend_many(const MfModel& m, const std::vector<std::int64_t>& users,
                                                int k, bool exclude_seen, int threads,
                                                Interrupt& interrupt, std::atomic<std::int64_t>* done) {
  check_k(k);
  std::vector<std::vector<Scored>> out(users.size());
  // Blocks of users share each tile of item factors while it is in cache.
  constexpr std::size_t kBlock = 32;
  std::vector<std::vector<float>> buf(static_cast<std::size_t>(parallel_workers(users.size(), threads, kBlock)));
  parallel_for(
      users.size(), threads, interrupt,
      [&](std::size_t begin, std::size_t end, int w) {
        m.recommend_block(users.data() + begin, end - begin, k, exclude_seen, 1, buf[static_cast<std::size_t>(w)],
                          out.data() + begin);
        if (done) done->fetch_add(static_cast<std::int64_t>(end - begin), std::memory_order_relaxed);
      },
      kBlock);
  return out;
}

std::vector<std::int64_t> evaluation_users(const Csr& test) {
  std::vector<std::int64_t> users;
  for (std::int64_t u = 0; u < test.rows; ++u)
    if (test.row_size(u) > 0) users.push_back(u);
  return users;
}

MfEvaluation evaluate(const MfModel& m, const Csr& test, int k, int threads, Interrupt& interrupt) {
  check_k(k);
  const auto users = evaluation_users(test);
  return evaluate_lists(m, test, k, users, recommend_many(m, users, k, true, threads, interrupt));
}

MfEvaluation evaluate_lists(const MfModel& m, const Csr& test, int k, const std::vector<std::int64_t>& users,
                            const std::vector<std::vector<Scored>>& recs) {
  check_k(k);
  RankingMetrics model(m.items, k), popular(m.items, k);
  MfEvaluation ev;
  double se = 0, ae = 0, se_pop = 0, ae_pop = 0;
  for (std::size_t j = 0; j < users.size(); ++j) {
    const auto u = users[j];
    const std::vector<std::int32_t> relevant(test.indices.begin() + test.indptr[u],
                                             test.indices.begin() + test.indptr[u + 1]);
    model.add(recs[j], relevant);
    std::int64_t n = 0;
    const auto* seen = m.seen(u, &n);
    popular.add(m.popular(k, seen, n), relevant);
    if (m.feedback != Feedback::kExplicit) continue;
    for (auto p = test.indptr[u]; p < test.indptr[u + 1]; ++p) {
      const auto i = test.indices[p];
      if (i >= m.items) continue;
      const double r = test.values[p];
      const double e = r - m.score(u, i), e0 = r - m.item_mean[i];
      se += e * e;
      ae += std::abs(e);
      se_pop += e0 * e0;
      ae_pop += std::abs(e0);
      ++ev.rated_pairs;
    }
  }
  ev.model = model.result();
  ev.popular = popular.result();
  if (ev.rated_pairs > 0) {
    const double n = static_cast<double>(ev.rated_pairs);
    ev.rmse = std::sqrt(se / n);
    ev.mae = ae / n;
    ev.rmse_popular = std::sqrt(se_pop / n);
    ev.mae_popular = ae_pop / n;
  }
  return ev;
}

}  // namespace supplyml
