// Implicit ALS on the device: the conjugate-gradient row solve, one block per
// row, and the per-row part of the loss. The arithmetic is that of
// als::implicit_row_cg (reco_solve.hpp): the same warm start, the same
// cg_steps and stopping rules, and the system matrix
//   A = G + sum_k (c_k - 1) y_k y_k^T,  G = Y^T Y + lambda I
// is never formed: each product A p costs G p plus one pass over the row's
// items. Within a block, warp w takes items w, w + warps, ...: a warp-wide
// dot product, then each lane adds its share of y_k into the warp's own row
// of `part`, so sums come in a fixed order and no atomics are needed.
//
// Factors are stored as S (float or half) and computed in float.
#pragma once

#include <cstddef>
#include <cstdint>

#include "supplyml/device/layer.hpp"

namespace supplyml {
namespace gpu {

constexpr int kRowThreads = 64;  // two warps per row
constexpr int kRowWarps = kRowThreads / dev::kWarp;

// Shared memory of als_cg_kernel: x, r, p, Ap (f each), part (warps x f),
// one reduction slot per warp.
inline std::size_t cg_shared_bytes(int f) {
  return sizeof(float) * (static_cast<std::size_t>(4 + kRowWarps) * f + kRowWarps);
}

// v . y over the warp, every lane gets the sum.
template <class S>
SML_DEVICE float warp_dot(const S* y, const float* v, int f) {
  float s = 0;
  for (int j = dev::lane(); j < f; j += dev::kWarp) s += dev::to_float(y[j]) * v[j];
  return dev::warp_sum(s);
}

// part[w] = sum over this warp's items k of coef(c_k, y_k . v) y_k, with
// coef = c - (c - 1) d for the residual and (c - 1) d for a product.
template <class S>
SML_DEVICE void add_items(const S* Y, int f, const std::int32_t* idx, const float* conf, std::int64_t nnz,
                          const float* v, bool residual, float* part) {
  float* mine = part + static_cast<std::size_t>(dev::warp()) * f;
  for (int j = dev::lane(); j < f; j += dev::kWarp) mine[j] = 0;
  for (std::int64_t k = dev::warp(); k < nnz; k += kRowWarps) {
    const S* y = Y + static_cast<std::int64_t>(idx[k]) * f;
    const float c = conf[k];
    const float d = warp_dot(y, v, f);
    const float coef = residual ? c - (c - 1) * d : (c - 1) * d;
    for (int j = dev::lane(); j < f; j += dev::kWarp) mine[j] += coef * dev::to_float(y[j]);
  }
}

// out[j] = sign * (G v)[j] + sum over warps of part[w][j], for this thread's j.
SML_DEVICE void combine(const float* G, const float* v, const float* part, float sign, float* out, int f) {
  for (int j = dev::thread_index(); j < f; j += kRowThreads) {
    float s = 0;
    for (int i = 0; i < f; ++i) s += G[static_cast<std::size_t>(i) * f + j] * v[i];
    float items = 0;
    for (int w = 0; w < kRowWarps; ++w) items += part[static_cast<std::size_t>(w) * f + j];
    out[j] = sign * s + items;
  }
}

SML_DEVICE float block_dot(const float* a, const float* b, int f, float* red) {
  float s = 0;
  for (int j = dev::thread_index(); j < f; j += kRowThreads) s += a[j] * b[j];
  return dev::block_sum(s, red);
}

// One block of kRowThreads per row of X; G = Y^T Y + lambda I (f x f).
template <class S>
SML_KERNEL void als_cg_kernel(const float* G, const S* Y, int f, const std::int64_t* indptr,
                              const std::int32_t* indices, const float* conf, S* X, int steps) {
  const std::int64_t row = dev::block_index();
  float* x = dev::shared<float>();
  float* r = x + f;
  float* p = r + f;
  float* Ap = p + f;
  float* part = Ap + f;
  float* red = part + static_cast<std::size_t>(kRowWarps) * f;
  const std::int64_t p0 = indptr[row], nnz = indptr[row + 1] - p0;
  const std::int32_t* idx = indices + p0;
  const float* c = conf + p0;
  S* xg = X + row * f;
  const int t = dev::thread_index();
  for (int j = t; j < f; j += kRowThreads) x[j] = dev::to_float(xg[j]);
  dev::sync_block();
  add_items(Y, f, idx, c, nnz, x, true, part);  // r = b - A x
  dev::sync_block();
  combine(G, x, part, -1.0f, r, f);
  dev::sync_block();
  float rsold = block_dot(r, r, f, red);
  for (int j = t; j < f; j += kRowThreads) p[j] = r[j];
  dev::sync_block();
  for (int it = 0; it < steps && rsold > 1e-20f; ++it) {  // rsold is the same in every thread
    add_items(Y, f, idx, c, nnz, p, false, part);
    dev::sync_block();
    combine(G, p, part, 1.0f, Ap, f);
    dev::sync_block();
    const float pAp = block_dot(p, Ap, f, red);
    if (!(pAp > 0)) break;
    const float a = rsold / pAp;
    for (int j = t; j < f; j += kRowThreads) {
      x[j] += a * p[j];
      r[j] -= a * Ap[j];
    }
    dev::sync_block();
    const float rsnew = block_dot(r, r, f, red);
    const float beta = rsnew / rsold;
    for (int j = t; j < f; j += kRowThreads) p[j] = r[j] + beta * p[j];
    dev::sync_block();
    rsold = rsnew;
  }
  for (int j = t; j < f; j += kRowThreads) xg[j] = dev::from_float<S>(x[j]);
}

// out[u] = sum over u's observed items of c (1 - s)^2 - s^2, s = x_u . y_i:
// the observed part of the implicit objective (see reco_als.hpp).
template <class S>
SML_KERNEL void implicit_loss_kernel(const S* X, const S* Y, int f, const std::int64_t* indptr,
                                     const std::int32_t* indices, const float* conf, double* out) {
  const std::int64_t row = dev::block_index();
  double* red = dev::shared<double>();
  const S* x = X + row * f;
  double acc = 0;
  for (std::int64_t k = indptr[row] + dev::warp(); k < indptr[row + 1]; k += kRowWarps) {
    const S* y = Y + static_cast<std::int64_t>(indices[k]) * f;
    double s = 0;
    for (int j = dev::lane(); j < f; j += dev::kWarp) s += static_cast<double>(dev::to_float(x[j])) * dev::to_float(y[j]);
    s = dev::warp_sum(s);
    const double v = conf[k];
    acc += v * (1 - s) * (1 - s) - s * s;
  }
  if (dev::lane() != 0) acc = 0;  // every lane holds the warp's sum
  const double total = dev::block_sum(acc, red);
  if (dev::thread_index() == 0) out[row] = total;
}

// out[0] = sum of v[0..n), one block, in a fixed order.
SML_KERNEL void sum_kernel(const double* v, std::int64_t n, double* out) {
  double* red = dev::shared<double>();
  double s = 0;
  for (std::int64_t i = dev::thread_index(); i < n; i += dev::block_size()) s += v[i];
  const double total = dev::block_sum(s, red);
  if (dev::thread_index() == 0) out[0] = total;
}

// G[i][i] += lambda.
SML_KERNEL void add_diagonal_kernel(float* G, int f, float lambda) {
  for (int i = dev::block_index() * dev::block_size() + dev::thread_index(); i < f;
       i += dev::grid_size() * dev::block_size())
    G[static_cast<std::size_t>(i) * f + i] += lambda;
}

}  // namespace gpu
}  // namespace supplyml
