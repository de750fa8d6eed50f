#include "supplyml/reco_rank.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace supplyml {

namespace {

// Strict "better than": higher score, then lower index.
inline bool better(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.item < b.item);
}

bool contains(const std::int32_t* sorted, std::int64_t n, std::int32_t v) {
  return n > 0 && std::binary_search(sorted, sorted + n, v);
}

}  // namespace

std::vector<Scored> top_k(const float* scores, std::int64_t n, int k, const std::int32_t* exclude,
                          std::int64_t n_exclude) {
  // A min-heap of the k best so far: one pass, O(n log k).
  auto worse_first = [](const Scored& a, const Scored& b) { return better(a, b); };
  std::priority_queue<Scored, std::vector<Scored>, decltype(worse_first)> heap(worse_first);
  // Once the heap is full, an item can only enter with a strictly higher score
  // than the worst kept (items come in ascending order, so a tie loses): that
  // one comparison (false for NaN as well) settles almost every item.
  float threshold = 0;
  bool full = false;
  for (std::int64_t i = 0; i < n; ++i) {
    const float score = scores[i];
    if (full && !(score > threshold)) continue;
    if (std::isnan(score) || contains(exclude, n_exclude, static_cast<std::int32_t>(i))) continue;
    const Scored s{static_cast<std::int32_t>(i), score};
    if (!full) {
      heap.push(s);
      full = static_cast<int>(heap.size()) == k;
    } else {
      heap.pop();
      heap.push(s);
    }
    if (full) threshold = heap.top().score;
  }
  std::vector<Scored> out(heap.size());
  for (auto it = out.rbegin(); it != out.rend(); ++it) {
    *it = heap.top();
    heap.pop();
  }
  return out;
}

void score_items(const float* Y, std::int64_t items, int f, const float* x, const float* bias,
                 float* scores) {
  using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMat> y(Y, items, f);
  Eigen::Map<const Eigen::VectorXf> xv(x, f);
  Eigen::Map<Eigen::VectorXf> out(scores, items);
  out.noalias() = y * xv;
  if (bias) out += Eigen::Map<const Eigen::VectorXf>(bias, items);
}

void popularity_order(const double* popularity, std::size_t n, std::int32_t* order) {
  std::iota(order, order + n, 0);
  std::stable_sort(order, order + n, [&](std::int32_t a, std::int32_t b) { return popularity[a] > popularity[b]; });
}

std::vector<Scored> top_popular(const std::int32_t* order, std::size_t n, const double* popularity, int k,
                                const std::int32_t* exclude, std::int64_t n_exclude) {
  std::vector<Scored> out;
  for (std::size_t j = 0; j < n; ++j) {
    const std::int32_t i = order[j];
    if (static_cast<int>(out.size()) >= k) break;
    if (contains(exclude, n_exclude, i)) continue;
    out.push_back({i, static_cast<float>(popularity[i])});
  }
  return out;
}

void normalize_rows(float* Y, std::int64_t rows, int f) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float* y = Y + r * f;
    double n = 0;
    for (int j = 0; j < f; ++j) n += double(y[j]) * y[j];
    if (n > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(n));
      for (int j = 0; j < f; ++j) y[j] *= inv;
    }
  }
}

void RankingMetrics::add(const std::vector<Scored>& recs, const std::vector<std::int32_t>& relevant) {
  if (relevant.empty()) return;
  const double n_pos = static_cast<double>(relevant.size());
  const double n_neg = static_cast<double>(n_items_) - n_pos;
  const double denom = std::min<double>(k_, n_pos);
  double hits = 0, ap = 0, dcg = 0, idcg = 0, auc = 0, miss = 0;
  for (std::size_t r = 0; r < recs.size() && static_cast<int>(r) < k_; ++r) {
    const auto item = recs[r].item;
    if (!seen_[item]) {
      seen_[item] = true;
      ++distinct_;
    }
    if (std::binary_search(relevant.begin(), relevant.end(), item)) {
      hits += 1;
      ap += hits / static_cast<double>(r + 1);
      dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
    } else {
      miss += 1;
      auc += hits;
    }
  }
  for (int r = 0; r < static_cast<int>(denom); ++r) idcg += 1.0 / std::log2(r + 2.0);
  auc += ((hits + n_pos) / 2.0) * (n_neg - miss);
  ++users_;
  hits_ += hits;
  pr_div_ += denom;
  recall_ += hits / n_pos;
  map_ += ap / denom;
  ndcg_ += dcg / idcg;
  auc_ += n_neg > 0 ? auc / (n_pos * n_neg) : 1.0;
}

RankingMetrics::Result RankingMetrics::result() const {
  Result r{};
  r.users = users_;
  if (users_ == 0) return r;
  const double u = static_cast<double>(users_);
  r.precision = hits_ / pr_div_;
  r.recall = recall_ / u;
  r.map = map_ / u;
  r.ndcg = ndcg_ / u;
  r.auc = auc_ / u;
  r.coverage = n_items_ > 0 ? static_cast<double>(distinct_) / static_cast<double>(n_items_) : 0;
  return r;
}

}  // namespace supplyml
