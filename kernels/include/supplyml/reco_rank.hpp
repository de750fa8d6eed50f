// Scoring and ranking with fitted factors: top-k for a user, similar items by
// cosine, the popularity order, and the ranking metrics of an evaluation.
#pragma once

#include <cstdint>
#include <vector>

#include "supplyml/interrupt.hpp"

namespace supplyml {

struct Scored {
  std::int32_t item;
  float score;
};

// The k best of scores[0..n) in descending order (ties: lower index first),
// skipping the items in `exclude` (sorted ascending).
std::vector<Scored> top_k(const float* scores, std::int64_t n, int k, const std::int32_t* exclude,
                          std::int64_t n_exclude);

// scores[i] = x . Y_i (+ bias[i] when bias is non-null), Y items x f row-major.
void score_items(const float* Y, std::int64_t items, int f, const float* x, const float* bias,
                 float* scores);

// The n items by descending popularity (ties: lower index first), into order[0..n).
void popularity_order(const double* popularity, std::size_t n, std::int32_t* order);

// The first k of the n items of `order` not in `exclude` (sorted), with their popularity as score.
std::vector<Scored> top_popular(const std::int32_t* order, std::size_t n, const double* popularity, int k,
                                const std::int32_t* exclude, std::int64_t n_exclude);

// Scales the rows of Y to unit length in place (zero rows stay zero), for cosine similarity.
void normalize_rows(float* Y, std::int64_t rows, int f);

// Ranking metrics at k, the definitions of the implicit package (see
// docs/recommendations.md): for each evaluated user with relevant set T_u and
// recommendation list L_u (|L_u| <= k),
//   precision = sum_u hits_u / sum_u min(k, |T_u|)
//   recall    = mean_u hits_u / |T_u|
//   MAP       = mean_u (sum over hit ranks r of hits_so_far / r) / min(k, |T_u|)
//   NDCG      = mean_u DCG_u / IDCG_u, gain 1/log2(r + 1) at rank r
//   AUC       = mean_u of the ROC area of L_u over the catalogue, the unranked
//               rest of the positives and negatives counted as ties
//   coverage  = distinct recommended items / catalogue size
class RankingMetrics {
 public:
  RankingMetrics(std::int64_t n_items, int k) : n_items_(n_items), k_(k), seen_(n_items, false) {}
  // relevant: sorted ascending, no duplicates.
  void add(const std::vector<Scored>& recs, const std::vector<std::int32_t>& relevant);

  struct Result {
    double precision, recall, map, ndcg, auc, coverage;
    std::int64_t users;
  };
  Result result() const;

 private:
  std::int64_t n_items_;
  int k_;
  std::vector<bool> seen_;
  std::int64_t distinct_ = 0, users_ = 0;
  double hits_ = 0, pr_div_ = 0, recall_ = 0, map_ = 0, ndcg_ = 0, auc_ = 0;
};

}  // namespace supplyml
