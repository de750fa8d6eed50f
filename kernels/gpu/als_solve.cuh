// ALS rows solved exactly on the device: one block per row forms the row's
// normal equations and solves them by Cholesky, in double, as the CPU's
// als::implicit_row_cholesky and als::explicit_row do (reco_solve.hpp; the
// terms each item adds are its implicit_term and explicit_term).
//
//   implicit: (G + sum_k (c_k - 1) y_k y_k^T) x = sum_k c_k y_k,  G = Y^T Y + lambda I
//   explicit: (sum_k z_k z_k^T + lambda n I) (x, b) = sum_k t_k z_k,
//             z_k = (y_k, 1), t_k = r_k - mu - other_bias_k; an empty row is 0
//
// The system (m = f or f + 1 unknowns) is built from tiles of the row's item
// vectors staged in shared memory; each thread owns elements of the lower
// triangle and adds the tile's terms in item order. It is factored in place
// by outer products, A = L D L^T (the unscaled form: column j keeps D_j L_j,
// so a step needs one barrier and no square root), with the right-hand side
// carried as an extra row, so the forward substitution happens in the same
// steps; the back substitution is one barrier per unknown. A pivot that is not
// positive (the system is not positive definite, or a value is not finite)
// leaves the row as it was and counts it in failed[0].
//
// Factors are stored as S: float, or binary16 (precision fp16), read into
// the double tiles and rounded to S only when a row's solution is stored;
// the biases of explicit feedback stay float (one value a row). A solution
// that binary16 cannot hold (65520 or more in magnitude) is stored as the
// infinity it rounds to and counted in failed[1], so the half-step fails
// with SML_CUDA_OUT_OF_RANGE and no infinity is ever read back as a result.
//
// The matrix lives in the block's shared memory while it fits
// (solve_shared_limit); beyond that (large f) each block of a launch gets an
// m x m slice of a global workspace and rows go in batches.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../gpu/buffer.cuh"
#include "supplyml/device/layer.hpp"
#include "supplyml/hostdev.hpp"
#include "supplyml/reco_solve.hpp"

namespace supplyml {
namespace gpu {

constexpr int kSolveThreads = 64;  // two warps per row
// Shared memory a block may use for the matrix: 99 KiB is available on every
// GPU from sm_80 on (sm_86 and sm_89 allow no more).
constexpr std::size_t kSolveSharedLimit = 99 * 1024;
// Global workspace for the matrices of one launch when they do not fit.
constexpr std::size_t kSolveWorkspaceBytes = std::size_t{256} << 20;

// What a block needs to build its row's system; S: the factors' storage.
template <class S>
struct RowSystem {
  const float* G;           // implicit: Y^T Y + lambda I, f x f; explicit: null
  const S* Y;               // the other side's factors, n x f
  const float* other_bias;  // explicit: the other side's biases
  int f;
  int explicit_feedback;    // 1: explicit with biases, m = f + 1
  double mu, lambda;        // explicit: global mean, regularization
  const std::int64_t* indptr;
  const std::int32_t* indices;
  const float* values;      // confidences (implicit) or ratings (explicit)
};

template <class S>
SML_HD inline int solve_unknowns(const RowSystem<S>& s) {
  return s.f + (s.explicit_feedback ? 1 : 0);
}

// Whether storing v as S overflows: binary16 rounds a magnitude of 65520 or
// more (or a NaN) to a value that is not finite; float holds every value
// the solve produces.
template <class S>
SML_HD inline bool store_overflows(float v) {
  return !std::is_same<S, float>::value && !(v < 65520.0f && v > -65520.0f);
}

// Row stride of the m x m matrix: odd, so that a warp reading a column of
// doubles (stride 2 s words) meets no bank twice in one wavefront.
SML_HD inline int solve_stride(int m) { return m | 1; }

// Item vectors per tile: about 16 KiB of doubles, from 1 to 32.
SML_HD inline int solve_tile(int m) {
  const int k = 2048 / m;
  return k < 1 ? 1 : k > 32 ? 32 : k;
}

// Shared memory of a block: b, the tile and its coefficients, and the
// matrix when it is in shared memory.
inline std::size_t solve_shared_bytes(int m, bool matrix_in_shared) {
  const std::size_t k = static_cast<std::size_t>(solve_tile(m));
  const std::size_t mm = matrix_in_shared ? static_cast<std::size_t>(m) * solve_stride(m) : 0;
  return sizeof(double) * (mm + static_cast<std::size_t>(m) + k * m + 2 * k);
}

// Rows [first, first + grid) of X (and x_bias, explicit). work: null, or
// grid matrices of m rows of solve_stride(m) in global memory. failed[0]
// counts rows that could not be factored, failed[1] rows that overflow S.
template <class S>
SML_KERNEL void als_solve_kernel(RowSystem<S> s, std::int64_t first, S* X, float* x_bias, double* work,
                                 int* failed) {
  const int f = s.f, m = solve_unknowns(s), ld = solve_stride(m), t = dev::thread_index(), K = solve_tile(m);
  const std::int64_t row = first + dev::block_index();
  const std::int64_t p0 = s.indptr[row], nnz = s.indptr[row + 1] - p0;
  if (s.explicit_feedback && nnz == 0) {  // the same in every thread: no barrier skipped
    for (int j = t; j < f; j += kSolveThreads) X[row * f + j] = dev::from_float<S>(0.0f);
    if (t == 0) x_bias[row] = 0;
    return;
  }
  double* shared = dev::shared<double>();
  double* A = work != nullptr ? work + static_cast<std::size_t>(dev::block_index()) * m * ld : shared;  // A[i * ld + j]
  double* b = work != nullptr ? shared : A + static_cast<std::size_t>(m) * ld;
  double* tile = b + m;         // K vectors of m
  double* weight = tile + K * m;  // A's coefficient of each vector
  double* target = weight + K;    // b's coefficient of each vector
  for (int e = t; e < m * m; e += kSolveThreads) {
    const int i = e / m, j = e % m;
    if (j <= i) A[i * ld + j] = s.G != nullptr ? static_cast<double>(s.G[i * f + j]) : 0.0;
  }
  for (int i = t; i < m; i += kSolveThreads) b[i] = 0;
  for (std::int64_t k0 = 0; k0 < nnz; k0 += K) {
    const int kn = static_cast<int>(nnz - k0 < K ? nnz - k0 : K);
    for (int e = t; e < kn * m; e += kSolveThreads) {
      const int k = e / m, j = e % m;
      const std::int64_t item = s.indices[p0 + k0 + k];
      tile[e] = j < f ? static_cast<double>(dev::to_float(s.Y[item * f + j])) : 1.0;
    }
    for (int k = t; k < kn; k += kSolveThreads) {
      const float v = s.values[p0 + k0 + k];
      const als::RowTerm term =
          s.explicit_feedback ? als::explicit_term(v, s.mu, static_cast<double>(s.other_bias[s.indices[p0 + k0 + k]]))
                              : als::implicit_term(v);
      weight[k] = term.weight;
      target[k] = term.target;
    }
    dev::sync_block();
    for (int e = t; e < m * m; e += kSolveThreads) {
      const int i = e / m, j = e % m;
      if (j > i) continue;
      double a = A[i * ld + j];
      for (int k = 0; k < kn; ++k) a += weight[k] * tile[k * m + i] * tile[k * m + j];  // as the CPU: (w y_i) y_j
      A[i * ld + j] = a;
    }
    for (int i = t; i < m; i += kSolveThreads) {
      double v = b[i];
      for (int k = 0; k < kn; ++k) v += target[k] * tile[k * m + i];
      b[i] = v;
    }
    dev::sync_block();
  }
  if (s.explicit_feedback)
    for (int i = t; i < m; i += kSolveThreads) A[i * ld + i] += s.lambda * static_cast<double>(nnz);
  dev::sync_block();
  // Elimination: step j subtracts l_ij times row j from rows i > j, l_ij = A_ij / A_jj,
  // on the lower triangle and on b.
  bool singular = false;
  for (int j = 0; j < m; ++j) {
    const double d = A[j * ld + j];  // final since the last barrier, the same in every thread
    if (!(d > 0)) {
      singular = true;
      break;
    }
    const int r = m - 1 - j;
    for (int e = t; e < r * r + r; e += kSolveThreads) {
      if (e < r * r) {
        const int i = j + 1 + e / r, k = j + 1 + e % r;
        if (k <= i) A[i * ld + k] -= A[i * ld + j] / d * A[k * ld + j];
      } else {
        const int i = j + 1 + (e - r * r);
        b[i] -= A[i * ld + j] / d * b[j];
      }
    }
    dev::sync_block();
  }
  if (singular) {
    if (t == 0) dev::atomic_add(failed, 1);
    return;
  }
  // Back substitution, D L^T z = b: z_c = b_c / A_cc, then b_r -= A_cr z_c for r < c.
  for (int c = m - 1; c > 0; --c) {
    const double z = b[c] / A[c * ld + c];
    for (int r = t; r < c; r += kSolveThreads) b[r] -= A[c * ld + r] * z;
    dev::sync_block();
  }
  bool overflow = false;
  for (int i = t; i < m; i += kSolveThreads) {
    const auto z = static_cast<float>(b[i] / A[i * ld + i]);
    if (i < f) {
      X[row * f + i] = dev::from_float<S>(z);
      overflow = overflow || store_overflows<S>(z);
    } else {
      x_bias[row] = z;
    }
  }
  if (overflow) dev::atomic_add(failed + 1, 1);
}

// Where the matrices of a half-step go, sized once per training.
template <class S>
class SolveWork {
 public:
  // m unknowns, at most `rows` rows a half-step; shared_limit: the most shared
  // memory a block may take for its matrix (tests lower it to 0 to run the
  // global-memory form).
  int prepare(int m, std::int64_t rows, std::size_t shared_limit = kSolveSharedLimit) {
    m_ = m;
    in_shared_ = solve_shared_bytes(m, true) <= shared_limit;
    const std::size_t per_row = sizeof(double) * static_cast<std::size_t>(m) * solve_stride(m);
    batch_ = in_shared_ ? std::max<std::int64_t>(rows, 1)
                        : std::max<std::int64_t>(1, std::min<std::int64_t>(rows, static_cast<std::int64_t>(
                                                                                   kSolveWorkspaceBytes / per_row)));
    if (!in_shared_) SML_DEV_TRY(work_.alloc(static_cast<std::size_t>(batch_) * m * solve_stride(m)));
    SML_DEV_TRY(failed_.alloc(2));
    return dev::allow_shared(als_solve_kernel<S>, solve_shared_bytes(m, in_shared_));
  }

  // Solves rows [0, rows) of X; SML_CUDA_NOT_POSITIVE_DEFINITE when a row's
  // system could not be factored (as the CPU would fail), else
  // SML_CUDA_OUT_OF_RANGE when a row's solution overflows S.
  int half_step(const RowSystem<S>& s, std::int64_t rows, S* X, float* x_bias) {
    if (rows == 0) return 0;
    if (rows > 2147483647LL) return SML_CUDA_UNSUPPORTED;  // one block per row
    const int zero[2] = {0, 0};
    SML_DEV_TRY(dev::upload(failed_.get(), zero, sizeof zero));
    const std::size_t shared = solve_shared_bytes(m_, in_shared_);
    for (std::int64_t first = 0; first < rows; first += batch_) {
      const int grid = static_cast<int>(std::min(batch_, rows - first));
      SML_DEV_TRY(dev::launch(als_solve_kernel<S>, grid, kSolveThreads, shared, s, first, X, x_bias,
                              in_shared_ ? nullptr : work_.get(), failed_.get()));
    }
    int failed[2] = {0, 0};
    SML_DEV_TRY(failed_.download(failed, 2));
    if (failed[0] != 0) return SML_CUDA_NOT_POSITIVE_DEFINITE;
    return failed[1] != 0 ? SML_CUDA_OUT_OF_RANGE : 0;
  }

  bool in_shared() const { return in_shared_; }

 private:
  int m_ = 0;
  bool in_shared_ = true;
  std::int64_t batch_ = 1;
  DeviceArray<double> work_;
  DeviceArray<int> failed_;
};

}  // namespace gpu
}  // namespace supplyml
