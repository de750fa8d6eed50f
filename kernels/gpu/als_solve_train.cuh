// ALS trained by exact row solves on the device (the module's als_solve
// entry): implicit feedback with the cholesky solver (als_train_implicit,
// als_train.cuh) and explicit feedback with biases, driven here. As for the
// conjugate-gradient path, the data go to the device once and only the final
// factors and biases come back. Per iteration the explicit loss is the
// objective of reco_als.hpp,
//   sum over ratings e^2 + lambda (sum_u n_u (|x_u|^2 + b_u^2) + sum_i n_i (|y_i|^2 + b_i^2)),
// from per-row sums on the device added in a fixed order.
//
// Factors are stored as S, float or binary16 (precision fp16), as in the
// implicit path; the biases stay float on the device, where they are one
// value a row and cost nothing to keep exact.
#pragma once

#include <algorithm>
#include <cstdint>

#include "../gpu/als_solve.cuh"
#include "../gpu/als_train.cuh"
#include "supplyml/cuda_api.h"
#include "supplyml/device/blas.hpp"

namespace supplyml {
namespace gpu {

// out[r] = lambda n_r (|x_r|^2 + xb_r^2), plus, when y is not null, the
// squared errors of row r's ratings, r_k - mu - xb_r - yb_k - x_r . y_k.
template <class S>
SML_KERNEL void explicit_loss_kernel(const S* X, const float* xb, const S* Y, const float* yb, double mu, int f,
                                     const std::int64_t* indptr, const std::int32_t* indices, const float* ratings,
                                     double lambda, double* out) {
  const std::int64_t row = dev::block_index();
  double* red = dev::shared<double>();
  const S* x = X + row * f;
  double acc = 0;
  if (Y != nullptr) {
    for (std::int64_t k = indptr[row] + dev::warp(); k < indptr[row + 1]; k += kRowWarps) {
      const std::int64_t item = indices[k];
      const S* y = Y + item * f;
      double s = 0;
      for (int j = dev::lane(); j < f; j += dev::kWarp)
        s += static_cast<double>(dev::to_float(x[j])) * dev::to_float(y[j]);
      s = dev::warp_sum(s);
      const double e = static_cast<double>(ratings[k]) - mu - xb[row] - yb[item] - s;
      if (dev::lane() == 0) acc += e * e;  // every lane holds s
    }
  }
  double norm = 0;
  for (int j = dev::thread_index(); j < f; j += kRowThreads) {
    const double v = dev::to_float(x[j]);
    norm += v * v;
  }
  if (dev::thread_index() == 0) norm += static_cast<double>(xb[row]) * xb[row];
  const double n = static_cast<double>(indptr[row + 1] - indptr[row]);
  const double total = dev::block_sum(acc + lambda * n * norm, red);
  if (dev::thread_index() == 0) out[row] = total;
}

// Sum of explicit_loss_kernel over `rows` rows (errors when Y is not null).
template <class S>
int explicit_loss_part(const DeviceCsr& m, std::int64_t rows, int f, const S* X, const float* xb, const S* Y,
                       const float* yb, double mu, double lambda, DeviceArray<double>& part,
                       DeviceArray<double>& total, double* sum) {
  *sum = 0;
  if (rows == 0) return 0;
  SML_DEV_TRY(dev::launch(explicit_loss_kernel<S>, static_cast<int>(rows), kRowThreads, sizeof(double) * kRowWarps,
                          X, xb, Y, yb, mu, f, static_cast<const std::int64_t*>(m.indptr.get()),
                          static_cast<const std::int32_t*>(m.indices.get()),
                          static_cast<const float*>(m.values.get()), lambda, part.get()));
  SML_DEV_TRY(dev::launch(sum_kernel, 1, 1024, sizeof(double) * 32, static_cast<const double*>(part.get()), rows,
                          total.get()));
  return total.download(sum, 1);
}

template <class S>
int als_train_explicit(const sml_als_problem& p, sml_als_out& out) {
  const int f = p.factors;
  const std::int64_t users = p.ui.rows, items = p.ui.cols;
  if (users > 2147483647LL || items > 2147483647LL) return SML_CUDA_UNSUPPORTED;  // one block per row
  if (out.user_bias == nullptr || out.item_bias == nullptr) return dev::kInvalidValue;
  DeviceCsr ui, iu;
  DeviceArray<S> X, Y;
  DeviceArray<float> xb, yb;
  DeviceArray<double> part, total;
  SML_DEV_TRY(ui.upload(p.ui));
  SML_DEV_TRY(iu.upload(p.iu));
  SML_DEV_TRY(upload_as(X, out.user_factors, static_cast<std::size_t>(users) * f));
  SML_DEV_TRY(upload_as(Y, out.item_factors, static_cast<std::size_t>(items) * f));
  SML_DEV_TRY(xb.upload(out.user_bias, static_cast<std::size_t>(users)));
  SML_DEV_TRY(yb.upload(out.item_bias, static_cast<std::size_t>(items)));
  SML_DEV_TRY(part.alloc(static_cast<std::size_t>(std::max(users, items)) + 1));
  SML_DEV_TRY(total.alloc(1));
  SolveWork<S> work;
  SML_DEV_TRY(work.prepare(f + 1, std::max(users, items)));
  const double mu = p.global_mean, lambda = p.regularization;
  // Solves every row of X (and its bias) given the other side's Y and biases.
  auto half_step = [&](const DeviceCsr& m, std::int64_t rows, const S* Yside, const float* ybias, S* Xside,
                       float* xbias) {
    const RowSystem<S> s{nullptr, Yside, ybias, f, 1, mu, lambda, m.indptr.get(), m.indices.get(), m.values.get()};
    return work.half_step(s, rows, Xside, xbias);
  };
  out.iterations_done = 0;
  for (int it = 0; it < p.iterations; ++it) {
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    SML_DEV_TRY(half_step(ui, users, Y.get(), yb.get(), X.get(), xb.get()));
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    SML_DEV_TRY(half_step(iu, items, X.get(), xb.get(), Y.get(), yb.get()));
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    double by_user = 0, by_item = 0;
    SML_DEV_TRY(explicit_loss_part(ui, users, f, X.get(), xb.get(), Y.get(), yb.get(), mu, lambda, part, total,
                                   &by_user));
    SML_DEV_TRY(explicit_loss_part<S>(iu, items, f, Y.get(), yb.get(), nullptr, nullptr, mu, lambda, part, total,
                                      &by_item));
    out.loss[it] = (by_user + by_item) / p.loss_norm;
    out.iterations_done = it + 1;
  }
  SML_DEV_TRY(download_as(X, out.user_factors, static_cast<std::size_t>(users) * f));
  SML_DEV_TRY(download_as(Y, out.item_factors, static_cast<std::size_t>(items) * f));
  SML_DEV_TRY(xb.download(out.user_bias, static_cast<std::size_t>(users)));
  SML_DEV_TRY(yb.download(out.item_bias, static_cast<std::size_t>(items)));
  return dev::synchronize();
}

// The als_solve entry: implicit feedback with the cholesky solver, or
// explicit feedback (whose rows the CPU also solves exactly, whatever the
// solver option says), with fp32 or fp16 factor storage.
inline int als_solve(const sml_als_problem& p, sml_als_out& out, dev::Blas& blas) {
  if (p.factors < 1 || p.iterations < 0 || p.loss_norm <= 0) return dev::kInvalidValue;
  const bool fp16 = p.precision == SML_PRECISION_FP16;
  if (!fp16 && p.precision != SML_PRECISION_FP32) return SML_CUDA_UNSUPPORTED;
  if (p.feedback == SML_FEEDBACK_EXPLICIT)
    return fp16 ? als_train_explicit<dev::half>(p, out) : als_train_explicit<float>(p, out);
  if (p.feedback != SML_FEEDBACK_IMPLICIT || p.solver != SML_SOLVER_CHOLESKY) return SML_CUDA_UNSUPPORTED;
  return fp16 ? als_train_implicit<dev::half>(p, out, blas) : als_train_implicit<float>(p, out, blas);
}

}  // namespace gpu
}  // namespace supplyml
