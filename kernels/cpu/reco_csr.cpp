#include "supplyml/reco_csr.hpp"

#include <cmath>
#include <numeric>

#include "supplyml/error.hpp"

namespace supplyml {

Csr Csr::transpose() const {
  Csr t;
  t.rows = cols;
  t.cols = rows;
  t.indptr.assign(static_cast<std::size_t>(cols) + 1, 0);
  for (auto c : indices) ++t.indptr[static_cast<std::size_t>(c) + 1];
  std::partial_sum(t.indptr.begin(), t.indptr.end(), t.indptr.begin());
  t.indices.resize(indices.size());
  t.values.resize(values.size());
  std::vector<std::int64_t> next(t.indptr.begin(), t.indptr.end() - 1);
  // Rows are visited in order, so each transposed row comes out sorted.
  for (std::int64_t r = 0; r < rows; ++r) {
    for (auto p = indptr[r]; p < indptr[r + 1]; ++p) {
      const auto dst = next[indices[p]]++;
      t.indices[dst] = static_cast<std::int32_t>(r);
      t.values[dst] = values[p];
    }
  }
  return t;
}

Csr build_csr(std::int64_t rows, std::int64_t cols, const std::vector<std::int32_t>& row_idx,
              const std::vector<std::int32_t>& col_idx, const std::vector<double>& weight) {
  const std::size_t n = row_idx.size();
  if (col_idx.size() != n || weight.size() != n)
    throw Error(sqlstate::kInternalError, "interaction arrays differ in length");
  for (std::size_t k = 0; k < n; ++k) {
    if (!std::isfinite(weight[k]))
      invalid_parameter("interaction weight must be a finite number",
                        "Row " + std::to_string(k + 1) + " of the source has weight " +
                            std::to_string(weight[k]) + ".",
                        "Filter out NaN and infinite weights in the source query.");
    if (row_idx[k] < 0 || row_idx[k] >= rows || col_idx[k] < 0 || col_idx[k] >= cols)
      throw Error(sqlstate::kInternalError, "interaction index out of range");
  }
  // Sort by (row, col) with two stable counting passes: by col, then by row.
  auto counting = [n](const std::vector<std::int32_t>& key, std::int64_t buckets,
                      const std::vector<std::size_t>& order) {
    std::vector<std::size_t> start(static_cast<std::size_t>(buckets) + 1, 0);
    for (std::size_t k = 0; k < n; ++k) ++start[static_cast<std::size_t>(key[k]) + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::size_t> out(n);
    for (auto k : order) out[start[key[k]]++] = k;
    return out;
  };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  order = counting(col_idx, cols, order);
  order = counting(row_idx, rows, order);

  Csr m;
  m.rows = rows;
  m.cols = cols;
  m.indptr.assign(static_cast<std::size_t>(rows) + 1, 0);
  m.indices.reserve(n);
  m.values.reserve(n);
  std::vector<double> sums;
  sums.reserve(n);
  std::int64_t last_r = -1, last_c = -1;
  for (auto k : order) {
    if (row_idx[k] == last_r && col_idx[k] == last_c) {
      sums.back() += weight[k];
      continue;
    }
    last_r = row_idx[k];
    last_c = col_idx[k];
    m.indices.push_back(col_idx[k]);
    sums.push_back(weight[k]);
    ++m.indptr[static_cast<std::size_t>(last_r) + 1];
  }
  std::partial_sum(m.indptr.begin(), m.indptr.end(), m.indptr.begin());
  for (double s : sums) {
    if (!std::isfinite(static_cast<float>(s)))
      invalid_parameter("summed interaction weight is out of range",
                        "A (user, item) pair sums to " + std::to_string(s) + ".",
                        "Scale the weights down in the source query.");
    m.values.push_back(static_cast<float>(s));
  }
  return m;
}

Feedback parse_feedback(const std::string& s) {
  if (s == "implicit") return Feedback::kImplicit;
  if (s == "explicit") return Feedback::kExplicit;
  invalid_parameter("unknown feedback \"" + s + "\"",
                    "Feedback is either \"implicit\" (counts, purchases) or \"explicit\" (ratings).",
                    "Pass feedback => 'implicit' or feedback => 'explicit'.");
}

Scaling parse_scaling(const std::string& s) {
  if (s == "linear") return Scaling::kLinear;
  if (s == "log") return Scaling::kLog;
  invalid_parameter("unknown scaling \"" + s + "\"",
                    "Confidence scaling is \"linear\" (1 + alpha * w) or \"log\" (1 + alpha * log(1 + w / epsilon)).",
                    "Set \"scaling\" to \"linear\" or \"log\".");
}

std::int64_t to_confidence(Csr& m, double alpha, Scaling scaling, double epsilon) {
  std::vector<std::int64_t> indptr(m.indptr.size(), 0);
  std::size_t out = 0;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (auto p = m.indptr[r]; p < m.indptr[r + 1]; ++p) {
      const double w = m.values[p];
      if (w < 0)
        invalid_parameter("implicit feedback weights must not be negative",
                          "A (user, item) pair has summed weight " + std::to_string(w) +
                              "; implicit feedback counts how strongly a user showed interest, and "
                              "supplyml does not read a negative count as dislike.",
                          "Filter or clamp negative weights (returns, cancellations) in the source "
                          "query, or use feedback => 'explicit' for ratings.");
      if (w == 0) continue;
      const double c = scaling == Scaling::kLinear ? 1.0 + alpha * w
                                                   : 1.0 + alpha * std::log1p(w / epsilon);
      m.indices[out] = m.indices[p];
      m.values[out] = static_cast<float>(c);
      ++out;
    }
    indptr[static_cast<std::size_t>(r) + 1] = static_cast<std::int64_t>(out);
  }
  const auto dropped = m.nnz() - static_cast<std::int64_t>(out);
  m.indices.resize(out);
  m.values.resize(out);
  m.indptr = std::move(indptr);
  return dropped;
}

}  // namespace supplyml
