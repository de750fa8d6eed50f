// Top-k for every user, driven from the host: factors, biases and the seen
// items go to the device once; users are scored a tile at a time by
// Blas::gemm_nt into one tile-sized buffer, which topk_kernel masks and
// ranks in place. Only k ids and scores per user come back, into page-locked
// host buffers (HostArray); the full user x item matrix never exists.
// Factors are stored as S (float, or binary16 for precision fp16, read by the
// GEMM and summed in float); scores are float.
#pragma once

#include <algorithm>
#include <cstdint>

#include "../gpu/buffer.cuh"
#include "../gpu/topk.cuh"
#include "supplyml/cuda_api.h"
#include "supplyml/device/blas.hpp"

namespace supplyml {
namespace gpu {

// Users per tile: the score buffer stays near 64 MiB.
inline std::int64_t topk_tile(std::int64_t users, std::int64_t items) {
  const std::int64_t by_memory = (std::int64_t{64} << 20) / (4 * std::max<std::int64_t>(items, 1));
  return std::max<std::int64_t>(1, std::min({users, by_memory, std::int64_t{65535}}));
}

template <class S>
int topk_stored(const sml_topk_problem& p, sml_topk_out& out, dev::Blas& blas) {
  const int f = p.factors, k = p.k;
  const int kk = static_cast<int>(std::min<std::int64_t>(k, p.items));  // ranks the kernel can fill
  for (std::int64_t u = 0; u < p.users; ++u) {
    out.count[u] = 0;
    for (int r = 0; r < k; ++r) out.items[u * k + r] = -1, out.scores[u * k + r] = 0;
  }
  if (p.users == 0 || kk == 0) return 0;
  DeviceArray<S> X, Y;
  DeviceArray<float> bias, scores, best_scores;
  DeviceArray<std::int64_t> seen_indptr;
  DeviceArray<std::int32_t> seen, best_items, counts;
  SML_DEV_TRY(upload_as(X, p.user_factors, static_cast<std::size_t>(p.users) * f));
  SML_DEV_TRY(upload_as(Y, p.item_factors, static_cast<std::size_t>(p.items) * f));
  if (p.item_bias != nullptr) SML_DEV_TRY(bias.upload(p.item_bias, static_cast<std::size_t>(p.items)));
  if (p.seen_indptr != nullptr) {
    SML_DEV_TRY(seen_indptr.upload(reinterpret_cast<const std::int64_t*>(p.seen_indptr),
                                   static_cast<std::size_t>(p.users) + 1));
    SML_DEV_TRY(seen.upload(p.seen_indices, static_cast<std::size_t>(p.seen_indptr[p.users])));
  }
  const std::int64_t tile = topk_tile(p.users, p.items);
  SML_DEV_TRY(scores.alloc(static_cast<std::size_t>(tile * p.items)));
  SML_DEV_TRY(best_items.alloc(static_cast<std::size_t>(tile) * kk));
  SML_DEV_TRY(best_scores.alloc(static_cast<std::size_t>(tile) * kk));
  SML_DEV_TRY(counts.alloc(static_cast<std::size_t>(tile)));
  HostArray<std::int32_t> ids, n;
  HostArray<float> sc;
  SML_DEV_TRY(ids.alloc(static_cast<std::size_t>(tile) * kk));
  SML_DEV_TRY(n.alloc(static_cast<std::size_t>(tile)));
  SML_DEV_TRY(sc.alloc(static_cast<std::size_t>(tile) * kk));
  for (std::int64_t u0 = 0; u0 < p.users; u0 += tile) {
    if (stop_requested(p.should_stop, p.stop_ctx)) return SML_CUDA_STOPPED;
    const auto m = static_cast<int>(std::min<std::int64_t>(tile, p.users - u0));
    SML_DEV_TRY(blas.gemm_nt(m, static_cast<int>(p.items), f, static_cast<const S*>(X.get() + u0 * f),
                             static_cast<const S*>(Y.get()), scores.get()));
    SML_DEV_TRY(dev::launch(topk_kernel, m, kTopkThreads, topk_shared_bytes(), scores.get(), p.items,
                            static_cast<const float*>(bias.get()),
                            static_cast<const std::int64_t*>(seen_indptr.get()),
                            static_cast<const std::int32_t*>(seen.get()), u0, kk, best_items.get(),
                            best_scores.get(), counts.get()));
    SML_DEV_TRY(best_items.download(ids.data(), static_cast<std::size_t>(m) * kk));
    SML_DEV_TRY(best_scores.download(sc.data(), static_cast<std::size_t>(m) * kk));
    SML_DEV_TRY(counts.download(n.data(), static_cast<std::size_t>(m)));
    for (int b = 0; b < m; ++b) {
      const std::int64_t u = u0 + b;
      out.count[u] = n[static_cast<std::size_t>(b)];
      for (int r = 0; r < n[static_cast<std::size_t>(b)]; ++r) {
        out.items[u * k + r] = ids[static_cast<std::size_t>(b) * kk + r];
        out.scores[u * k + r] = sc[static_cast<std::size_t>(b) * kk + r];
      }
    }
  }
  return 0;
}

inline int topk(const sml_topk_problem& p, sml_topk_out& out, dev::Blas& blas) {
  if (p.k < 1 || p.factors < 1 || p.users < 0 || p.items < 0) return dev::kInvalidValue;
  if (p.items > 2147483647LL) return SML_CUDA_UNSUPPORTED;
  if (p.precision == SML_PRECISION_FP32) return topk_stored<float>(p, out, blas);
  if (p.precision == SML_PRECISION_FP16) return topk_stored<dev::half>(p, out, blas);
  return SML_CUDA_UNSUPPORTED;
}

}  // namespace gpu
}  // namespace supplyml
