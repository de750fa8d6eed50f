// Implicit ALS, driven from the host: the interaction matrix (both
// orientations) and both factor matrices go to the device once, stay there
// for every iteration, and only the final factors come back. Per half-step:
// G = Y^T Y by Blas::gram, lambda on its diagonal, then als_cg_kernel over
// the rows (solver cg) or their exact solves by als_solve_kernel (cholesky,
// als_solve.cuh). Per iteration the loss is the objective
// of reco_als.hpp, assembled on the host from the device's per-row sums and
// the two f x f Gram matrices:
//   sum_u obs_u + sum(Gy o Gx) + lambda (trace Gx + trace Gy).
// Factors are stored as S: float, or binary16 (precision fp16), which halves
// the bytes each CG step or exact solve reads; all arithmetic is in float
// (the exact solves: double) either way.
#pragma once

#include <cstdint>
#include <vector>

#include "../gpu/als_cg.cuh"
#include "../gpu/als_solve.cuh"
#include "../gpu/buffer.cuh"
#include "supplyml/cuda_api.h"
#include "supplyml/device/blas.hpp"

namespace supplyml {
namespace gpu {

struct DeviceCsr {
  DeviceArray<std::int64_t> indptr;
  DeviceArray<std::int32_t> indices;
  DeviceArray<float> values;
  int upload(const sml_csr& m) {
    const auto nnz = static_cast<std::size_t>(m.indptr[m.rows]);
    SML_DEV_TRY(indptr.upload(reinterpret_cast<const std::int64_t*>(m.indptr), static_cast<std::size_t>(m.rows) + 1));
    SML_DEV_TRY(indices.upload(m.indices, nnz));
    return values.upload(m.values, nnz);
  }
};

// Gram matrix of `rows` x f factors into G, and a host copy of it.
template <class S>
int gram_to_host(dev::Blas& blas, std::int64_t rows, int f, const S* Y, float* G,
                        std::vector<float>& host) {
  SML_DEV_TRY(blas.gram(rows, f, Y, G));
  return dev::download(host.data(), G, host.size() * sizeof(float));
}

// Solves every row of X given Y (the CSR m rows against Y's rows).
template <class S>
int cg_half_step(const DeviceCsr& m, std::int64_t rows, int f, float* G, const S* Y, S* X, float lambda,
                 int steps) {
  SML_DEV_TRY(dev::launch(add_diagonal_kernel, (f + 255) / 256, 256, 0, G, f, lambda));
  if (rows == 0) return 0;
  const std::size_t shared = cg_shared_bytes(f);
  SML_DEV_TRY(dev::allow_shared(als_cg_kernel<S>, shared));
  return dev::launch(als_cg_kernel<S>, static_cast<int>(rows), kRowThreads, shared,
                     static_cast<const float*>(G), Y, f, static_cast<const std::int64_t*>(m.indptr.get()),
                     static_cast<const std::int32_t*>(m.indices.get()), static_cast<const float*>(m.values.get()),
                     X, steps);
}

// The implicit exact half-step: lambda on G's diagonal, then every row solved.
template <class S>
int cholesky_half_step(SolveWork<S>& work, const DeviceCsr& m, std::int64_t rows, int f, float* G, const S* Y,
                       S* X, float lambda) {
  SML_DEV_TRY(dev::launch(add_diagonal_kernel, (f + 255) / 256, 256, 0, G, f, lambda));
  const RowSystem<S> s{G, Y, nullptr, f, 0, 0.0, 0.0, m.indptr.get(), m.indices.get(), m.values.get()};
  return work.half_step(s, rows, X, nullptr);
}

template <class S>
int als_train_implicit(const sml_als_problem& p, sml_als_out& out, dev::Blas& blas) {
  const int f = p.factors;
  const std::int64_t users = p.ui.rows, items = p.ui.cols;
  if (users > 2147483647LL || items > 2147483647LL) return SML_CUDA_UNSUPPORTED;  // one block per row
  const auto fsq = static_cast<std::size_t>(f) * f;
  DeviceCsr ui, iu;
  DeviceArray<S> X, Y;
  DeviceArray<float> G;
  DeviceArray<double> obs, total;
  SML_DEV_TRY(ui.upload(p.ui));
  SML_DEV_TRY(iu.upload(p.iu));
  SML_DEV_TRY(upload_as(X, out.user_factors, static_cast<std::size_t>(users) * f));
  SML_DEV_TRY(upload_as(Y, out.item_factors, static_cast<std::size_t>(items) * f));
  SML_DEV_TRY(G.alloc(fsq));
  SML_DEV_TRY(obs.alloc(static_cast<std::size_t>(users) + 1));
  SML_DEV_TRY(total.alloc(1));
  std::vector<float> gx(fsq), gy(fsq);
  const auto lambda = static_cast<float>(p.regularization);
  const bool exact = p.solver == SML_SOLVER_CHOLESKY;
  SolveWork<S> work;
  if (exact) SML_DEV_TRY(work.prepare(f, std::max(users, items)));
  // Solves every row of X given Y and G = Y^T Y.
  auto half_step = [&](const DeviceCsr& m, std::int64_t rows, const S* Yside, S* Xside) -> int {
    if (exact) return cholesky_half_step(work, m, rows, f, G.get(), Yside, Xside, lambda);
    return cg_half_step(m, rows, f, G.get(), Yside, Xside, lambda, p.cg_steps);
  };
  out.iterations_done = 0;
  SML_DEV_TRY(gram_to_host(blas, items, f, Y.get(), G.get(), gy));
  for (int it = 0; it < p.iterations; ++it) {
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    SML_DEV_TRY(half_step(ui, users, Y.get(), X.get()));
    SML_DEV_TRY(gram_to_host(blas, users, f, X.get(), G.get(), gx));
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    SML_DEV_TRY(half_step(iu, items, X.get(), Y.get()));
    SML_DEV_TRY(gram_to_host(blas, items, f, Y.get(), G.get(), gy));
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    double observed = 0;
    if (users > 0) {
      SML_DEV_TRY(dev::launch(implicit_loss_kernel<S>, static_cast<int>(users), kRowThreads,
                              sizeof(double) * kRowWarps, static_cast<const S*>(X.get()),
                              static_cast<const S*>(Y.get()), f,
                              static_cast<const std::int64_t*>(ui.indptr.get()),
                              static_cast<const std::int32_t*>(ui.indices.get()),
                              static_cast<const float*>(ui.values.get()), obs.get()));
      SML_DEV_TRY(dev::launch(sum_kernel, 1, 1024, sizeof(double) * 32, static_cast<const double*>(obs.get()),
                              users, total.get()));
      SML_DEV_TRY(total.download(&observed, 1));
    }
    double cross = 0, trace = 0;
    for (std::size_t q = 0; q < fsq; ++q) cross += static_cast<double>(gy[q]) * gx[q];
    for (int i = 0; i < f; ++i) trace += static_cast<double>(gx[static_cast<std::size_t>(i) * f + i]) + gy[static_cast<std::size_t>(i) * f + i];
    out.loss[it] = (observed + cross + p.regularization * trace) / p.loss_norm;
    out.iterations_done = it + 1;
  }
  SML_DEV_TRY(download_as(X, out.user_factors, static_cast<std::size_t>(users) * f));
  SML_DEV_TRY(download_as(Y, out.item_factors, static_cast<std::size_t>(items) * f));
  return dev::synchronize();
}

inline int als_train(const sml_als_problem& p, sml_als_out& out, dev::Blas& blas) {
  if (p.factors < 1 || p.iterations < 0 || p.cg_steps < 1 || p.loss_norm <= 0) return dev::kInvalidValue;
  if (p.feedback != SML_FEEDBACK_IMPLICIT || p.solver != SML_SOLVER_CG) return SML_CUDA_UNSUPPORTED;
  if (p.precision == SML_PRECISION_FP32) return als_train_implicit<float>(p, out, blas);
  if (p.precision == SML_PRECISION_FP16) return als_train_implicit<dev::half>(p, out, blas);
  return SML_CUDA_UNSUPPORTED;
}

}  // namespace gpu
}  // namespace supplyml
