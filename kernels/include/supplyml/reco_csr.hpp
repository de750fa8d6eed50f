// The interaction matrix of a recommender, held once in compressed sparse row
// form (users x items), plus its transpose for the item half-step.
//
// Rows arrive as (user index, item index, weight) triplets in any order;
// duplicate (user, item) pairs are summed. Implicit feedback weights become
// confidences here, so the solvers see c_ui directly.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <vector>

namespace supplyml {

// The three arrays come from a memory resource: the default heap, or
// page-locked host memory when a GPU will read them (host_memory.hpp).
struct Csr {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::pmr::vector<std::int64_t> indptr;   // rows + 1
  std::pmr::vector<std::int32_t> indices;  // column of each stored value, sorted within a row
  std::pmr::vector<float> values;

  std::int64_t nnz() const { return static_cast<std::int64_t>(indices.size()); }
  std::int64_t row_size(std::int64_t r) const { return indptr[r + 1] - indptr[r]; }
  // threads > 1 splits the work by rows; the result is the same. Its arrays
  // come from mr, or from this matrix's resource when mr is null.
  Csr transpose(int threads = 1, std::pmr::memory_resource* mr = nullptr) const;
  std::pmr::memory_resource* resource() const { return indices.get_allocator().resource(); }
};

// Triplets in, CSR out: counting sort by row, duplicates summed exactly and
// rounded once (the same in any input order), then each row sorted by column
// (two transposes, linear in the pairs kept).
// Checks that every weight is finite and every index is in range. The arrays
// hold n entries each, in whatever storage the caller keeps them. threads > 1
// splits each step among threads (the input by slices, the rows by ranges),
// with the same result to the bit (each duplicate's sum is rounded once from
// its exact value, whatever the split).
// The matrix's arrays come from mr (its working arrays from the heap).
Csr build_csr(std::int64_t rows, std::int64_t cols, const std::int32_t* row_idx, const std::int32_t* col_idx,
              const double* weight, std::size_t n, int threads = 1,
              std::pmr::memory_resource* mr = std::pmr::get_default_resource());
Csr build_csr(std::int64_t rows, std::int64_t cols, const std::vector<std::int32_t>& row_idx,
              const std::vector<std::int32_t>& col_idx, const std::vector<double>& weight);

enum class Feedback { kImplicit, kExplicit };
enum class Scaling { kLinear, kLog };

Feedback parse_feedback(const std::string& s);
Scaling parse_scaling(const std::string& s);

// Implicit feedback: rejects negative summed weights, drops zero ones (an
// interaction of weight 0 carries no preference: it is an unobserved cell),
// and replaces each weight w by its confidence 1 + alpha * w (linear) or
// 1 + alpha * log(1 + w / epsilon) (log). Returns the number of dropped cells.
std::int64_t to_confidence(Csr& m, double alpha, Scaling scaling, double epsilon);

}  // namespace supplyml
