#include "supplyml/reco_csr.hpp"

#include <algorithm>
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
  return build_csr(rows, cols, row_idx.data(), col_idx.data(), weight.data(), n);
}

Csr build_csr(std::int64_t rows, std::int64_t cols, const std::int32_t* row_idx, const std::int32_t* col_idx,
              const double* weight, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    if (!std::isfinite(weight[k]))
      invalid_parameter("interaction weight must be a finite number",
                        "Row " + std::to_string(k + 1) + " of the source has weight " +
                            std::to_string(weight[k]) + ".",
                        "Filter out NaN and infinite weights in the source query.");
    if (row_idx[k] < 0 || row_idx[k] >= rows || col_idx[k] < 0 || col_idx[k] >= cols)
      throw Error(sqlstate::kInternalError, "interaction index out of range");
  }
  // Scatter the entries into their rows: a counting pass, which keeps input
  // order within a row.
  // The counters are read in input order, at random: each is prefetched
  // kAhead entries before its turn, so that the misses overlap.
  constexpr std::size_t kAhead = 16;
  std::vector<std::int64_t> start(static_cast<std::size_t>(rows) + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    if (k + kAhead < n) __builtin_prefetch(&start[static_cast<std::size_t>(row_idx[k + kAhead]) + 1]);
    ++start[static_cast<std::size_t>(row_idx[k]) + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::int32_t> col(n);
  std::vector<double> w(n);
  {
    std::vector<std::int64_t> next(start.begin(), start.end() - 1);
    for (std::size_t k = 0; k < n; ++k) {
      if (k + kAhead < n) __builtin_prefetch(&next[static_cast<std::size_t>(row_idx[k + kAhead])]);
      const auto p = static_cast<std::size_t>(next[static_cast<std::size_t>(row_idx[k])]++);
      col[p] = col_idx[k];
      w[p] = weight[k];
    }
  }
  // Sum duplicate (row, column) pairs in input order, without sorting: at[c]
  // is where column c went in the output, which is in the current row when
  // it is not before the row's first output. The output never overtakes the
  // input, so the pairs are compacted in place.
  Csr unsorted;
  unsorted.rows = rows;
  unsorted.cols = cols;
  unsorted.indptr.assign(static_cast<std::size_t>(rows) + 1, 0);
  std::size_t out = 0;
  {
    std::vector<std::int64_t> at(static_cast<std::size_t>(cols), -1);
    for (std::int64_t r = 0; r < rows; ++r) {
      const auto first = static_cast<std::int64_t>(out);
      const auto end = static_cast<std::size_t>(start[r + 1]);
      for (auto p = static_cast<std::size_t>(start[r]); p < end; ++p) {
        if (p + kAhead < end) __builtin_prefetch(&at[static_cast<std::size_t>(col[p + kAhead])]);
        std::int64_t& a = at[static_cast<std::size_t>(col[p])];
        if (a >= first) {
          w[static_cast<std::size_t>(a)] += w[p];
          continue;
        }
        a = static_cast<std::int64_t>(out);
        col[out] = col[p];
        w[out] = w[p];
        ++out;
      }
      unsorted.indptr[static_cast<std::size_t>(r) + 1] = static_cast<std::int64_t>(out);
    }
  }
  std::vector<std::int64_t>().swap(start);
  unsorted.indices.assign(col.begin(), col.begin() + static_cast<std::ptrdiff_t>(out));
  std::vector<std::int32_t>().swap(col);
  unsorted.values.resize(out);
  for (std::size_t k = 0; k < out; ++k) {
    if (!std::isfinite(static_cast<float>(w[k])))
      invalid_parameter("summed interaction weight is out of range",
                        "A (user, item) pair sums to " + std::to_string(w[k]) + ".",
                        "Scale the weights down in the source query.");
    unsorted.values[k] = static_cast<float>(w[k]);
  }
  std::vector<double>().swap(w);
  // Transposing visits rows in order, so each row of a transpose is sorted:
  // twice gives the matrix with every row sorted by column.
  return unsorted.transpose().transpose();
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
