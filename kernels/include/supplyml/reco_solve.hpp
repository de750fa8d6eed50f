// The per-row solves of alternating least squares, on raw pointers so that a
// CUDA kernel (one block per user or item) can run exactly this arithmetic.
//
// Notation: f factors; Y is the other side's factor matrix (row-major, n x f);
// a row has nnz entries idx[k] with value v[k]. G is f x f, row-major, double.
// Scratch space is caller-provided double storage.
#pragma once

#include <cmath>
#include <cstdint>

#include "supplyml/hostdev.hpp"

// Every function here is inlined by force on the host: the row loops in
// reco_als.cpp are compiled once per instruction set (target_clones), and only
// code inlined into a clone is compiled for its instruction set; an
// out-of-line copy would run the baseline SSE2 code on every CPU.
#if defined(__CUDACC__)
#define SML_SOLVE SML_HD __forceinline__
#else
#define SML_SOLVE __attribute__((always_inline)) inline
#endif

// Host entry points compiled for AVX-512, AVX2 and the baseline instruction
// set; the loader picks the best one the CPU has. Not under ThreadSanitizer
// or AddressSanitizer: the loader runs the (instrumented) choice before the
// sanitizer's runtime is up, and the program crashes at start. Not off x86-64,
// where these targets do not exist.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__) || !defined(__x86_64__)
#define SML_ISA_CLONES
#else
#define SML_ISA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

namespace supplyml {
namespace als {

template <class T>
SML_SOLVE double dot_row(const T* a, const double* b, int f) {
  double s = 0;
  for (int j = 0; j < f; ++j) s += static_cast<double>(a[j]) * b[j];
  return s;
}

template <class T>
SML_SOLVE double dot_rows(const T* a, const T* b, int f) {
  double s = 0;
  for (int j = 0; j < f; ++j) s += static_cast<double>(a[j]) * static_cast<double>(b[j]);
  return s;
}

// out = G x (G symmetric f x f).
SML_SOLVE void gemv_sym(const double* G, const double* x, double* out, int f) {
  for (int i = 0; i < f; ++i) {
    double s = 0;
    for (int j = 0; j < f; ++j) s += G[i * f + j] * x[j];
    out[i] = s;
  }
}

// Solves A z = b in place (A row-major n x n, symmetric positive definite;
// its lower triangle is overwritten by the Cholesky factor, b by z).
// Returns false when A is not positive definite.
SML_SOLVE bool cholesky_solve(double* A, double* b, int n) {
  for (int j = 0; j < n; ++j) {
    double d = A[j * n + j];
    for (int k = 0; k < j; ++k) d -= A[j * n + k] * A[j * n + k];
    if (!(d > 0)) return false;
    d = std::sqrt(d);
    A[j * n + j] = d;
    for (int i = j + 1; i < n; ++i) {
      double s = A[i * n + j];
      for (int k = 0; k < j; ++k) s -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = s / d;
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = b
    double s = b[i];
    for (int k = 0; k < i; ++k) s -= A[i * n + k] * b[k];
    b[i] = s / A[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {  // L^T z = y
    double s = b[i];
    for (int k = i + 1; k < n; ++k) s -= A[k * n + i] * b[k];
    b[i] = s / A[i * n + i];
  }
  return true;
}

// What one observed item adds to its row's system: A += weight z z^T and
// b += target z, z the item's factors (and a 1 for the bias, explicit).
// Shared with the GPU's exact solve (kernels/gpu/als_solve.cuh).
struct RowTerm {
  double weight, target;
};
// Implicit, confidence c: the observed cell's (c - 1) y y^T and c y.
SML_SOLVE RowTerm implicit_term(float c) { return {static_cast<double>(c) - 1, static_cast<double>(c)}; }
// Explicit, rating r: the residual after the global mean and the other side's bias.
SML_SOLVE RowTerm explicit_term(float r, double mu, double other_bias) {
  return {1.0, static_cast<double>(r) - mu - other_bias};
}

// Implicit feedback (Hu, Koren & Volinsky 2008), one row u with confidences
// c_k = conf[k] at items idx[k] and preference 1 there, 0 elsewhere:
//   (Y^T Y + lambda I + sum_k (c_k - 1) y_k y_k^T) x = sum_k c_k y_k.
// G = Y^T Y + lambda I is shared by every row.

// Exact solve by Cholesky. Scratch: f*f + f doubles. Returns false if the
// system is singular (lambda = 0 and too few items).
template <class T>
SML_SOLVE bool implicit_row_cholesky(const double* G, const T* Y, int f, const std::int32_t* idx,
                                         const float* conf, std::int64_t nnz, T* x, double* scratch) {
  double* A = scratch;
  double* b = scratch + f * f;
  for (int i = 0; i < f * f; ++i) A[i] = G[i];
  for (int i = 0; i < f; ++i) b[i] = 0;
  for (std::int64_t k = 0; k < nnz; ++k) {
    const T* y = Y + static_cast<std::int64_t>(idx[k]) * f;
    const RowTerm term = implicit_term(conf[k]);
    for (int i = 0; i < f; ++i) {
      const double yi = static_cast<double>(y[i]);
      b[i] += term.target * yi;
      const double w = term.weight * yi;
      for (int j = 0; j <= i; ++j) A[i * f + j] += w * static_cast<double>(y[j]);
    }
  }
  if (!cholesky_solve(A, b, f)) return false;  // reads the lower triangle only
  for (int i = 0; i < f; ++i) x[i] = static_cast<T>(b[i]);
  return true;
}

// Vector primitives of the CG solve, in the factor type T. Sixteen
// independent partial sums (one AVX-512 register of floats, or two AVX2 ones)
// let the compiler vectorize without reassociating floating point, so results
// are the same at every optimisation level and on every instruction set.
template <class T>
SML_SOLVE T dot16(const T* a, const T* b, int f) {
  T acc[16] = {};
  int j = 0;
  for (; j + 16 <= f; j += 16)
    for (int l = 0; l < 16; ++l) acc[l] += a[j + l] * b[j + l];
  for (; j + 8 <= f; j += 8)
    for (int l = 0; l < 8; ++l) acc[l] += a[j + l] * b[j + l];
  for (; j < f; ++j) acc[0] += a[j] * b[j];
  for (int l = 0; l < 8; ++l) acc[l] += acc[l + 8];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

template <class T>
SML_SOLVE void axpy(T a, const T* x, T* y, int f) {
  for (int j = 0; j < f; ++j) y[j] += a * x[j];
}

// out[c, c + L) of G v, G symmetric f x f row-major: row j of G is also its
// column j, so these outputs are a running sum over j of v[j] G[j, c + l],
// kept in L registers lanes with no horizontal sums.
template <int L, class T>
SML_SOLVE void symv_lanes(const T* G, const T* v, T* out, int f, int c) {
  T acc[L] = {};
  for (int j = 0; j < f; ++j) {
    const T vj = v[j];
    const T* g = G + j * f + c;
    for (int l = 0; l < L; ++l) acc[l] += vj * g[l];
  }
  for (int l = 0; l < L; ++l) out[c + l] = acc[l];
}

// out = G v for symmetric G: 64 outputs at a time, then 16, then one.
template <class T>
SML_SOLVE void symv(const T* G, const T* v, T* out, int f) {
  int c = 0;
  for (; c + 64 <= f; c += 64) symv_lanes<64>(G, v, out, f, c);
  for (; c + 16 <= f; c += 16) symv_lanes<16>(G, v, out, f, c);
  for (; c < f; ++c) symv_lanes<1>(G, v, out, f, c);
}

// Conjugate gradient started from the current x (warm start), `steps`
// iterations, the way the implicit package does it: the system matrix is
// never formed, each product costs f*f + 2*nnz*f. G (f x f, type T) already
// holds Y^T Y + lambda I. Scratch: 3*f values of T.
template <class T>
SML_SOLVE void implicit_row_cg(const T* G, const T* Y, int f, const std::int32_t* idx,
                                   const float* conf, std::int64_t nnz, T* x, int steps, T* scratch) {
  T* r = scratch;
  T* p = scratch + f;
  T* Ap = scratch + 2 * f;
  symv(G, x, r, f);
  for (int i = 0; i < f; ++i) r[i] = -r[i];
  for (std::int64_t k = 0; k < nnz; ++k) {  // r = b - A x
    const T* y = Y + static_cast<std::int64_t>(idx[k]) * f;
    const T c = static_cast<T>(conf[k]);
    axpy(c - (c - 1) * dot16(y, x, f), y, r, f);
  }
  T rsold = dot16(r, r, f);
  for (int i = 0; i < f; ++i) p[i] = r[i];
  for (int it = 0; it < steps && rsold > T(1e-20); ++it) {
    symv(G, p, Ap, f);
    for (std::int64_t k = 0; k < nnz; ++k) {
      const T* y = Y + static_cast<std::int64_t>(idx[k]) * f;
      axpy((static_cast<T>(conf[k]) - 1) * dot16(y, p, f), y, Ap, f);
    }
    const T pAp = dot16(p, Ap, f);
    if (!(pAp > 0)) break;
    const T a = rsold / pAp;
    axpy(a, p, x, f);
    axpy(-a, Ap, r, f);
    const T rsnew = dot16(r, r, f);
    const T beta = rsnew / rsold;
    for (int i = 0; i < f; ++i) p[i] = r[i] + beta * p[i];
    rsold = rsnew;
  }
}

// Explicit feedback with biases and weighted regularization (Zhou et al.
// 2008, ALS-WR): r_ui ~ mu + b_u + b_i + x_u . y_i. For row u the unknowns are
// z = (x_u, b_u) and the other side contributes features (y_i, 1) and targets
// r_ui - mu - b_i:
//   (sum_k z'_k z'_k^T + lambda n_u I) z = sum_k t_k z'_k.
// Scratch: (f+1)^2 + (f+1) doubles.
template <class T>
SML_SOLVE bool explicit_row(const T* Y, const T* other_bias, double mu, double lambda, int f,
                                const std::int32_t* idx, const float* rating, std::int64_t nnz,
                                T* x, T* bias, double* scratch) {
  const int n = f + 1;
  double* A = scratch;
  double* b = scratch + n * n;
  for (int i = 0; i < n * n; ++i) A[i] = 0;
  for (int i = 0; i < n; ++i) b[i] = 0;
  for (std::int64_t k = 0; k < nnz; ++k) {
    const std::int64_t item = idx[k];
    const T* y = Y + item * f;
    const RowTerm term = explicit_term(rating[k], mu, static_cast<double>(other_bias[item]));
    for (int i = 0; i < n; ++i) {
      const double yi = i < f ? static_cast<double>(y[i]) : 1.0;
      b[i] += term.target * yi;
      const double w = term.weight * yi;
      for (int j = 0; j <= i; ++j) A[i * n + j] += w * (j < f ? static_cast<double>(y[j]) : 1.0);
    }
  }
  const double reg = lambda * static_cast<double>(nnz);
  for (int i = 0; i < n; ++i) A[i * n + i] += reg;
  if (!cholesky_solve(A, b, n)) return false;
  for (int i = 0; i < f; ++i) x[i] = static_cast<T>(b[i]);
  *bias = static_cast<T>(b[f]);
  return true;
}

}  // namespace als
}  // namespace supplyml
