#include "supplyml/reco_csr.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "supplyml/parallel.hpp"

#include "supplyml/error.hpp"

namespace supplyml {

namespace {

constexpr std::size_t kAhead = 16;                // entries between a prefetch and its use
constexpr std::size_t kEntriesPerPart = 1 << 18;  // below this, a part is not worth a thread

// How many parts (threads) `threads` gives for n entries of work.
int parts_for(std::size_t n, int threads) {
  const std::size_t by_size = std::max<std::size_t>(n / kEntriesPerPart, 1);
  return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(resolve_threads(threads)), by_size));
}

// Runs part(p) for p in [0, parts), each on a thread of its own (the
// caller's among them). Parts write only their own data, so the result never
// depends on how many there were.
void run_parts(int parts, const std::function<void(int)>& part) {
  if (parts == 1) {
    part(0);
    return;
  }
  Interrupt none;
  parallel_for(static_cast<std::size_t>(parts), parts, none, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t p = b; p < e; ++p) part(static_cast<int>(p));
  });
}

// Row ranges with about equal entries: part p has rows [cut[p], cut[p + 1]).
std::vector<std::int64_t> row_cuts(const std::pmr::vector<std::int64_t>& indptr, std::int64_t rows, int parts) {
  std::vector<std::int64_t> cut(static_cast<std::size_t>(parts) + 1, rows);
  cut[0] = 0;
  const auto total = indptr[static_cast<std::size_t>(rows)];
  for (int p = 1; p < parts; ++p) {
    const auto want = total / parts * p;
    cut[p] = std::lower_bound(indptr.begin(), indptr.begin() + rows, want) - indptr.begin();
  }
  return cut;
}

// Counts per part turned into each part's first slot per key, in place:
// key k's slots are indptr[k].., part 0's first, then part 1's, and so on,
// which keeps the entries of a key in input order. Fills indptr (keys + 1).
void first_slots(std::vector<std::vector<std::int64_t>>& count, std::int64_t keys,
                 std::pmr::vector<std::int64_t>* indptr) {
  indptr->assign(static_cast<std::size_t>(keys) + 1, 0);
  std::int64_t run = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(keys); ++k) {
    for (auto& c : count) {
      const auto here = c[k];
      c[k] = run;
      run += here;
    }
    (*indptr)[k + 1] = run;
  }
}

// The sum of v[0..n) rounded once, to the nearest double (ties to even): the
// same whatever the order of v. Exact partial sums (Shewchuk 1997: each
// addition's rounding error is kept as a further partial, so the partials
// add up to the exact sum), then the partials added from the largest down,
// correcting the last step where it would round a tie the wrong way. A
// non-finite input or an overflow gives the plain sum.
double exact_sum(const std::vector<double>& v) {
  std::vector<double> partials;
  double plain = 0;
  for (double x : v) {
    plain += x;
    std::size_t kept = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0) partials[kept++] = lo;
      x = hi;
    }
    partials.resize(kept);
    partials.push_back(x);
  }
  if (!std::isfinite(plain)) return plain;
  std::size_t n = partials.size();
  if (n == 0) return 0;
  double hi = partials[--n], lo = 0;
  while (n > 0) {
    const double x = hi, y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo != 0) break;
  }
  // hi + lo is the sum of the top partials, exactly; a tie (lo half an ulp
  // of hi) broken by the partials below it goes the way they point.
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const double y = lo * 2, x = hi + y;
    if (y == x - hi) hi = x;
  }
  return std::isfinite(hi) ? hi : plain;
}

// Whether x + y (= s) was exact: the rounding error of the addition (Knuth's
// two-sum) is zero.
bool exact_addition(double x, double y, double s) {
  const double yy = s - x;
  return (x - (s - yy)) + (y - yy) == 0;
}

}  // namespace

Csr Csr::transpose(int threads, std::pmr::memory_resource* mr) const {
  if (mr == nullptr) mr = resource();
  Csr t{cols, rows, std::pmr::vector<std::int64_t>(mr), std::pmr::vector<std::int32_t>(mr),
        std::pmr::vector<float>(mr)};
  const int parts = parts_for(indices.size(), threads);
  const auto cut = row_cuts(indptr, rows, parts);
  std::vector<std::vector<std::int64_t>> next(static_cast<std::size_t>(parts));
  run_parts(parts, [&](int p) {
    auto& c = next[static_cast<std::size_t>(p)];
    c.assign(static_cast<std::size_t>(cols), 0);
    for (auto q = indptr[cut[p]]; q < indptr[cut[p + 1]]; ++q) ++c[static_cast<std::size_t>(indices[q])];
  });
  first_slots(next, cols, &t.indptr);
  t.indices.resize(indices.size());
  t.values.resize(values.size());
  // Each part visits its rows in order, and the parts' slots follow each
  // other, so each transposed row comes out sorted.
  run_parts(parts, [&](int p) {
    auto& slot = next[static_cast<std::size_t>(p)];
    for (std::int64_t r = cut[p]; r < cut[p + 1]; ++r) {
      for (auto q = indptr[r]; q < indptr[r + 1]; ++q) {
        const auto dst = slot[static_cast<std::size_t>(indices[q])]++;
        t.indices[dst] = static_cast<std::int32_t>(r);
        t.values[dst] = values[q];
      }
    }
  });
  return t;
}

namespace {

// The rows whose first_pair is set (where build_csr's dedup put their pairs,
// kept[r] of them, because an addition of theirs rounded) get each pair's
// exact sum (exact_sum, the same in any order) in place of the sum in input
// order. Their entries are gathered again from the input, one pass over it.
void exact_row_sums(const std::vector<std::int64_t>& first_pair, const std::vector<std::int64_t>& kept,
                    const std::int32_t* row_idx, const std::int32_t* col_idx, const double* weight, std::size_t n,
                    const std::vector<std::int32_t>& col, std::vector<double>& w) {
  // Those rows' entries, row by row (a counting sort), in input order.
  const std::size_t rows = first_pair.size();
  std::vector<std::int64_t> from(rows + 1, 0);
  for (std::size_t k = 0; k < n; ++k)
    if (first_pair[static_cast<std::size_t>(row_idx[k])] >= 0) ++from[static_cast<std::size_t>(row_idx[k]) + 1];
  for (std::size_t r = 0; r < rows; ++r) from[r + 1] += from[r];
  std::vector<std::pair<std::int32_t, double>> entries(static_cast<std::size_t>(from[rows]));
  {
    std::vector<std::int64_t> slot(from.begin(), from.end() - 1);
    for (std::size_t k = 0; k < n; ++k) {
      const auto r = static_cast<std::size_t>(row_idx[k]);
      if (first_pair[r] >= 0) entries[static_cast<std::size_t>(slot[r]++)] = {col_idx[k], weight[k]};
    }
  }
  std::vector<std::pair<std::int32_t, std::size_t>> pairs;  // (column, position) of a row's pairs
  std::vector<double> group;
  for (std::size_t r = 0; r < rows; ++r) {
    if (first_pair[r] < 0) continue;
    const auto e0 = entries.begin() + from[r], e1 = entries.begin() + from[r + 1];
    std::sort(e0, e1, [](const auto& x, const auto& y) { return x.first < y.first; });
    pairs.clear();
    for (auto q = static_cast<std::size_t>(first_pair[r]); q < static_cast<std::size_t>(first_pair[r] + kept[r]); ++q)
      pairs.emplace_back(col[q], q);
    std::sort(pairs.begin(), pairs.end());
    // The row's columns, ascending, are those of its pairs, one group each.
    auto e = e0;
    for (const auto& [c, q] : pairs) {
      group.clear();
      for (; e != e1 && e->first == c; ++e) group.push_back(e->second);
      w[q] = exact_sum(group);
    }
  }
}

}  // namespace

Csr build_csr(std::int64_t rows, std::int64_t cols, const std::vector<std::int32_t>& row_idx,
              const std::vector<std::int32_t>& col_idx, const std::vector<double>& weight) {
  const std::size_t n = row_idx.size();
  if (col_idx.size() != n || weight.size() != n)
    throw Error(sqlstate::kInternalError, "interaction arrays differ in length");
  return build_csr(rows, cols, row_idx.data(), col_idx.data(), weight.data(), n);
}

Csr build_csr(std::int64_t rows, std::int64_t cols, const std::int32_t* row_idx, const std::int32_t* col_idx,
              const double* weight, std::size_t n, int threads, std::pmr::memory_resource* mr) {
  // The input in `parts` consecutive slices, one a thread; every step below
  // gives the same arrays as one thread would.
  const int parts = parts_for(n, threads);
  std::vector<std::size_t> slice(static_cast<std::size_t>(parts) + 1, n);
  for (int p = 0; p < parts; ++p) slice[p] = n / parts * p;

  // Check each entry and count the entries of each row, a slice a part; a
  // part stops at its first bad entry, and the first of all is reported.
  // The counters are read in input order, at random: each is prefetched
  // kAhead entries before its turn, so that the misses overlap.
  std::vector<std::vector<std::int64_t>> next(static_cast<std::size_t>(parts));
  std::vector<std::size_t> bad(static_cast<std::size_t>(parts), n);
  run_parts(parts, [&](int p) {
    auto& c = next[static_cast<std::size_t>(p)];
    c.assign(static_cast<std::size_t>(rows), 0);
    for (std::size_t k = slice[p]; k < slice[p + 1]; ++k) {
      if (!std::isfinite(weight[k]) || row_idx[k] < 0 || row_idx[k] >= rows || col_idx[k] < 0 || col_idx[k] >= cols) {
        bad[static_cast<std::size_t>(p)] = k;
        return;
      }
      if (k + kAhead < slice[p + 1]) __builtin_prefetch(&c[static_cast<std::size_t>(row_idx[k + kAhead])]);
      ++c[static_cast<std::size_t>(row_idx[k])];
    }
  });
  const std::size_t first_bad = *std::min_element(bad.begin(), bad.end());
  if (first_bad < n) {
    const std::size_t k = first_bad;
    if (!std::isfinite(weight[k]))
      invalid_parameter("interaction weight must be a finite number",
                        "Row " + std::to_string(k + 1) + " of the source has weight " +
                            std::to_string(weight[k]) + ".",
                        "Filter out NaN and infinite weights in the source query.");
    throw Error(sqlstate::kInternalError, "interaction index out of range");
  }
  // Scatter the entries into their rows (a counting sort, which keeps input
  // order within a row: part 0's entries of a row come first).
  std::pmr::vector<std::int64_t> start;  // the heap, as the other working arrays
  first_slots(next, rows, &start);
  std::vector<std::int32_t> col(n);
  std::vector<double> w(n);
  run_parts(parts, [&](int p) {
    auto& slot = next[static_cast<std::size_t>(p)];
    for (std::size_t k = slice[p]; k < slice[p + 1]; ++k) {
      if (k + kAhead < slice[p + 1]) __builtin_prefetch(&slot[static_cast<std::size_t>(row_idx[k + kAhead])]);
      const auto q = static_cast<std::size_t>(slot[static_cast<std::size_t>(row_idx[k])]++);
      col[q] = col_idx[k];
      w[q] = weight[k];
    }
  });
  std::vector<std::vector<std::int64_t>>().swap(next);
  // Sum duplicate (row, column) pairs, without sorting, each part over a
  // range of rows: at[c] is where column c went in the output, which is in
  // the current row when it is not before the row's first output. The output
  // never overtakes the input, so the pairs are compacted in place, at the
  // start of the part's range; kept[r] counts row r's pairs. A sum must not
  // depend on the order of the source rows: where every addition of a row
  // was exact (counts, as usual), the sums in input order are the exact
  // sums; a row with an addition that rounded is summed again (exact_row_sums).
  const auto cut = row_cuts(start, rows, parts);
  std::vector<std::int64_t> kept(static_cast<std::size_t>(rows), 0);
  std::vector<std::size_t> kept_in_part(static_cast<std::size_t>(parts), 0);
  // Where the pairs of a row whose sums rounded start (-1: none rounded).
  std::vector<std::int64_t> first_pair(static_cast<std::size_t>(rows), -1);
  run_parts(parts, [&](int p) {
    std::vector<std::int64_t> at(static_cast<std::size_t>(cols), -1);
    const auto base = static_cast<std::size_t>(start[cut[p]]);
    std::size_t out = base;
    for (std::int64_t r = cut[p]; r < cut[p + 1]; ++r) {
      const auto first = static_cast<std::int64_t>(out);
      const auto end = static_cast<std::size_t>(start[r + 1]);
      bool exact = true;
      for (auto q = static_cast<std::size_t>(start[r]); q < end; ++q) {
        if (q + kAhead < end) __builtin_prefetch(&at[static_cast<std::size_t>(col[q + kAhead])]);
        std::int64_t& a = at[static_cast<std::size_t>(col[q])];
        if (a >= first) {
          double& sum = w[static_cast<std::size_t>(a)];
          const double s = sum + w[q];
          exact = exact && exact_addition(sum, w[q], s);
          sum = s;
          continue;
        }
        a = static_cast<std::int64_t>(out);
        col[out] = col[q];
        w[out] = w[q];
        ++out;
      }
      kept[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(out) - first;
      if (!exact) first_pair[static_cast<std::size_t>(r)] = first;
    }
    kept_in_part[static_cast<std::size_t>(p)] = out - base;
  });
  if (std::any_of(first_pair.begin(), first_pair.end(), [](std::int64_t f) { return f >= 0; }))
    exact_row_sums(first_pair, kept, row_idx, col_idx, weight, n, col, w);
  Csr unsorted;
  unsorted.rows = rows;
  unsorted.cols = cols;
  unsorted.indptr.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r) unsorted.indptr[r + 1] = unsorted.indptr[r] + kept[r];
  std::vector<std::int64_t>().swap(kept);
  const auto nnz = static_cast<std::size_t>(unsorted.indptr[static_cast<std::size_t>(rows)]);
  unsorted.indices.resize(nnz);
  unsorted.values.resize(nnz);
  // Each part's pairs move to their place; a sum that float cannot hold is
  // an error (the first in output order is reported).
  std::vector<std::size_t> too_large(static_cast<std::size_t>(parts), nnz);
  run_parts(parts, [&](int p) {
    const auto from = static_cast<std::size_t>(start[cut[p]]);
    const auto to = static_cast<std::size_t>(unsorted.indptr[cut[p]]);
    for (std::size_t j = 0; j < kept_in_part[static_cast<std::size_t>(p)]; ++j) {
      const float v = static_cast<float>(w[from + j]);
      if (!std::isfinite(v)) {
        too_large[static_cast<std::size_t>(p)] = from + j;
        return;
      }
      unsorted.indices[to + j] = col[from + j];
      unsorted.values[to + j] = v;
    }
  });
  const std::size_t first_large = *std::min_element(too_large.begin(), too_large.end());
  if (first_large < nnz)
    invalid_parameter("summed interaction weight is out of range",
                      "A (user, item) pair sums to " + std::to_string(w[first_large]) + ".",
                      "Scale the weights down in the source query.");
  std::vector<std::int32_t>().swap(col);
  std::vector<double>().swap(w);
  // Transposing visits rows in order, so each row of a transpose is sorted:
  // twice gives the matrix with every row sorted by column.
  return unsorted.transpose(threads).transpose(threads, mr);
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
  std::pmr::vector<std::int64_t> indptr(m.indptr.size(), 0, m.resource());
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
