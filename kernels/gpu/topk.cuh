// Fused top-k over a tile of scores: one block per user of the tile. The
// block masks the user's seen items (NaN, which never ranks, as in
// top_k of reco_rank.hpp), then takes the k best in k rounds; round r finds,
// over the row, the best item strictly worse than round r - 1's, where
// "better" is a higher score, then a lower item index, exactly the order of
// the CPU path. A round is a per-thread scan and a block arg-max by warp
// shuffles, so nothing but the k winners leaves the block.
#pragma once

#include <cstddef>
#include <cstdint>

#include "supplyml/device/layer.hpp"

namespace supplyml {
namespace gpu {

constexpr int kTopkThreads = 64;
constexpr int kTopkWarps = kTopkThreads / dev::kWarp;

struct Candidate {
  float score;
  std::int32_t item;  // -1: none
};

SML_DEVICE bool better(float sa, std::int32_t ia, float sb, std::int32_t ib) {
  if (ib < 0) return ia >= 0;
  if (ia < 0) return false;
  return sa > sb || (sa == sb && ia < ib);
}

// Shared memory: one candidate per warp.
inline std::size_t topk_shared_bytes() { return sizeof(Candidate) * kTopkWarps; }

// scores: tile x items (row-major), users [first, first + tile) of the seen
// CSR. bias (items, may be null) is added to each score as on the CPU.
// Writes k ids and scores per user (-1 and 0 past the last one) and the count.
SML_KERNEL void topk_kernel(float* scores, std::int64_t items, const float* bias,
                            const std::int64_t* seen_indptr, const std::int32_t* seen, std::int64_t first,
                            int k, std::int32_t* out_items, float* out_scores, std::int32_t* out_count) {
  const std::int64_t b = dev::block_index();
  float* row = scores + b * items;
  Candidate* red = dev::shared<Candidate>();
  const int t = dev::thread_index();
  if (seen_indptr != nullptr) {
    const std::int64_t u = first + b;
    for (std::int64_t q = seen_indptr[u] + t; q < seen_indptr[u + 1]; q += kTopkThreads) {
      const std::int32_t i = seen[q];
      if (i >= 0 && i < items) row[i] = dev::nan_float();
    }
  }
  dev::sync_block();
  float last_score = 0;
  std::int32_t last_item = -1;  // none chosen yet
  int count = 0;
  for (; count < k; ++count) {
    float best_score = 0;
    std::int32_t best_item = -1;
    for (std::int64_t i = t; i < items; i += kTopkThreads) {
      const float s = bias != nullptr ? row[i] + bias[i] : row[i];
      if (s != s) continue;  // NaN: masked
      const auto ii = static_cast<std::int32_t>(i);
      if (last_item >= 0 && !better(last_score, last_item, s, ii)) continue;
      if (better(s, ii, best_score, best_item)) best_score = s, best_item = ii;
    }
    for (int m = dev::kWarp / 2; m > 0; m /= 2) {
      const float os = dev::shfl_xor(best_score, m);
      const std::int32_t oi = dev::shfl_xor(best_item, m);
      if (better(os, oi, best_score, best_item)) best_score = os, best_item = oi;
    }
    if (dev::lane() == 0) red[dev::warp()] = Candidate{best_score, best_item};
    dev::sync_block();
    best_score = red[0].score;
    best_item = red[0].item;
    for (int w = 1; w < kTopkWarps; ++w)
      if (better(red[w].score, red[w].item, best_score, best_item)) best_score = red[w].score, best_item = red[w].item;
    dev::sync_block();
    if (best_item < 0) break;  // the same in every thread
    if (t == 0) {
      out_items[b * k + count] = best_item;
      out_scores[b * k + count] = best_score;
    }
    last_score = best_score;
    last_item = best_item;
  }
  for (int r = count + t; r < k; r += kTopkThreads) {
    out_items[b * k + r] = -1;
    out_scores[b * k + r] = 0;
  }
  if (t == 0) out_count[b] = count;
}

}  // namespace gpu
}  // namespace supplyml
