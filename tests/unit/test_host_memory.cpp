// PinnedMemory (host_memory.hpp): page-locked blocks from the CUDA module's
// table where it can give them, the heap otherwise, and the interaction
// matrix built into it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory_resource>
#include <vector>

#include "supplyml/cuda_api.h"
#include "supplyml/host_memory.hpp"
#include "supplyml/reco_csr.hpp"

using namespace supplyml;

namespace {
// A module whose host_alloc pins every other block (the others fail, as
// when the driver cannot lock more memory) and remembers what it handed out.
std::vector<void*> module_blocks;
int every_other_block(size_t bytes, void** out) {
  static int calls = 0;
  if (calls++ % 2 == 1) return SML_CUDA_OUT_OF_MEMORY;
  *out = std::malloc(bytes ? bytes : 1);
  module_blocks.push_back(*out);
  return 0;
}
void release_block(void* p) {
  const auto at = std::find(module_blocks.begin(), module_blocks.end(), p);
  ASSERT_NE(at, module_blocks.end()) << "host_free of a block the module did not allocate";
  module_blocks.erase(at);
  std::free(p);
}
}  // namespace

TEST(PinnedMemory, PinsWhatTheModuleCanAndTakesTheHeapOtherwise) {
  sml_cuda_api table{};
  table.abi_version = SML_CUDA_ABI_VERSION;
  table.host_alloc = every_other_block;
  table.host_free = release_block;
  PinnedMemory pinned(&table);
  {
    std::pmr::vector<double> a(100, 1.0, &pinned), b(200, 2.0, &pinned), c(300, 3.0, &pinned);
    EXPECT_EQ(pinned.blocks(), 3u);
    EXPECT_EQ(pinned.pinned_blocks(), 2u);
    EXPECT_EQ(module_blocks.size(), 2u);
    EXPECT_EQ(a[99] + b[199] + c[299], 6.0);
  }
  EXPECT_EQ(pinned.blocks(), 0u);
  EXPECT_TRUE(module_blocks.empty());
  // The interaction matrix built into it: its arrays, and a transpose's, are
  // the resource's; the values are the heap's to the bit.
  const std::vector<std::int32_t> r = {2, 0, 2, 0, 1}, c = {1, 3, 1, 0, 2};
  const std::vector<double> w = {1.0, 2.0, 4.0, 3.0, 5.0};
  const Csr heap = build_csr(3, 4, r, c, w);
  {
    const Csr m = build_csr(3, 4, r.data(), c.data(), w.data(), r.size(), 2, &pinned);
    EXPECT_EQ(m.resource(), &pinned);
    EXPECT_EQ(pinned.blocks(), 3u);
    EXPECT_EQ(m.indptr, heap.indptr);
    EXPECT_EQ(m.indices, heap.indices);
    EXPECT_EQ(m.values, heap.values);
    EXPECT_EQ(m.transpose().resource(), &pinned);
    EXPECT_EQ(m.transpose(1, std::pmr::get_default_resource()).resource(), std::pmr::get_default_resource());
  }
  EXPECT_EQ(pinned.blocks(), 0u);
  EXPECT_TRUE(module_blocks.empty());
  // A module without the entries (older than ABI 6): the heap only.
  PinnedMemory none(nullptr);
  std::pmr::vector<int> v(10, 1, &none);
  EXPECT_EQ(none.blocks(), 1u);
  EXPECT_EQ(none.pinned_blocks(), 0u);
}
