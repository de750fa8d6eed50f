// Page-locked ("pinned") host memory from the CUDA module, as a memory
// resource for the arrays a GPU call reads: the interaction matrix of a
// training that the GPU will run is built straight into it (build_csr's mr),
// so the driver copies it to the device without a staging copy through a
// pinned buffer of its own. Where the module cannot pin (no entry, as in a
// module older than ABI 6, or the allocation fails), the block comes from
// the heap instead: the memory is only ever faster, never an error.
#pragma once

#include <cstddef>
#include <memory_resource>
#include <mutex>
#include <unordered_set>

#include "supplyml/cuda_api.h"

namespace supplyml {

class PinnedMemory final : public std::pmr::memory_resource {
 public:
  explicit PinnedMemory(const sml_cuda_api* api) : api_(api) {}
  PinnedMemory(const PinnedMemory&) = delete;
  PinnedMemory& operator=(const PinnedMemory&) = delete;

  // Blocks live now, and how many of them the module pinned.
  std::size_t blocks() const;
  std::size_t pinned_blocks() const;

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override;
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }

  const sml_cuda_api* api_;
  mutable std::mutex lock_;
  std::unordered_set<void*> pinned_;  // blocks host_free releases
  std::size_t heap_blocks_ = 0;
};

}  // namespace supplyml
