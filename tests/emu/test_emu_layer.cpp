// The device emulator's own tests: reductions, a scan and warp votes give the
// exact integer answers, shared and fresh device memory are poisoned, and a
// block whose threads diverge on a barrier aborts with a message.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

#include "supplyml/device/layer.hpp"

using namespace supplyml;

namespace {

SML_KERNEL void block_sum_kernel(const long long* in, long long n, long long* out) {
  long long* scratch = dev::shared<long long>();
  long long s = 0;
  const long long per = (n + dev::grid_size() - 1) / dev::grid_size();
  const long long lo = dev::block_index() * per, hi = lo + per < n ? lo + per : n;
  for (long long i = lo + dev::thread_index(); i < hi; i += dev::block_size()) s += in[i];
  const long long total = dev::block_sum(s, scratch);
  if (dev::thread_index() == 0) out[dev::block_index()] = total;
}

TEST(EmuLayer, BlockReductionSumsEveryBlock) {
  for (int threads : {32, 96, 256}) {
    const long long n = 1000;
    std::vector<long long> in(n), out(3, -1);
    std::iota(in.begin(), in.end(), 1);
    ASSERT_EQ(dev::launch(block_sum_kernel, 3, threads, sizeof(long long) * 32, in.data(), n, out.data()), 0);
    // Blocks of ceil(1000 / 3) = 334 values: 1..334, 335..668, 669..1000.
    EXPECT_EQ(out[0], 334LL * 335 / 2) << threads;
    EXPECT_EQ(out[1], 668LL * 669 / 2 - 334LL * 335 / 2) << threads;
    EXPECT_EQ(out[2], 1000LL * 1001 / 2 - 668LL * 669 / 2) << threads;
  }
}

SML_KERNEL void warp_ops_kernel(int* sums, int* broadcast, unsigned* ballots, int* votes) {
  const int t = dev::thread_index();
  const int w = dev::warp();
  const int s = dev::warp_sum(t);
  const int b = dev::shfl(t * 10, 5);
  const unsigned bal = dev::ballot(t % 3 == 0);
  const bool any_big = dev::any(t == 40), all_small = dev::all(t < 64);
  sums[t] = s;
  broadcast[t] = b;
  if (dev::lane() == 0) {
    ballots[w] = bal;
    votes[2 * w] = any_big;
    votes[2 * w + 1] = all_small;
  }
}

TEST(EmuLayer, ShuffleReductionAndVotes) {
  std::vector<int> sums(64), broadcast(64), votes(4);
  std::vector<unsigned> ballots(2);
  ASSERT_EQ(dev::launch(warp_ops_kernel, 1, 64, 0, sums.data(), broadcast.data(), ballots.data(), votes.data()), 0);
  for (int t = 0; t < 64; ++t) {
    const int w = t / 32;
    EXPECT_EQ(sums[t], 32 * 31 / 2 + 32 * 32 * w) << t;  // sum of 32w .. 32w + 31
    EXPECT_EQ(broadcast[t], (32 * w + 5) * 10) << t;
  }
  // Lanes l with (32w + l) % 3 == 0.
  unsigned expect0 = 0, expect1 = 0;
  for (int l = 0; l < 32; ++l) {
    if (l % 3 == 0) expect0 |= 1u << l;
    if ((32 + l) % 3 == 0) expect1 |= 1u << l;
  }
  EXPECT_EQ(ballots[0], expect0);
  EXPECT_EQ(ballots[1], expect1);
  EXPECT_EQ(votes[0], 0);  // warp 0 has no thread 40
  EXPECT_EQ(votes[2], 1);
  EXPECT_EQ(votes[1], 1);
  EXPECT_EQ(votes[3], 1);
}

// Inclusive scan of one block, Hillis-Steele over shared memory.
SML_KERNEL void scan_kernel(const int* in, int* out) {
  int* s = dev::shared<int>();
  const int t = dev::thread_index();
  s[t] = in[t];
  dev::sync_block();
  for (int d = 1; d < dev::block_size(); d *= 2) {
    const int v = t >= d ? s[t - d] : 0;
    dev::sync_block();
    s[t] += v;
    dev::sync_block();
  }
  out[t] = s[t];
}

TEST(EmuLayer, BlockScanIsThePrefixSum) {
  for (int n : {32, 100, 256}) {
    std::vector<int> in(n), out(n), expect(n);
    for (int i = 0; i < n; ++i) in[i] = (i * 7919) % 23 - 11;
    std::partial_sum(in.begin(), in.end(), expect.begin());
    ASSERT_EQ(dev::launch(scan_kernel, 1, n, sizeof(int) * n, in.data(), out.data()), 0);
    EXPECT_EQ(out, expect) << n;
  }
}

SML_KERNEL void atomic_kernel(float* total, int* count) {
  dev::atomic_add(total, 0.5f);
  dev::atomic_add(count, 1);
}

TEST(EmuLayer, AtomicsCountEveryThread) {
  float total = 0;
  int count = 0;
  ASSERT_EQ(dev::launch(atomic_kernel, 4, 96, 0, &total, &count), 0);
  EXPECT_EQ(count, 384);
  EXPECT_EQ(total, 192.0f);  // halves are exact in float
}

// Each block reads its shared memory before writing it.
SML_KERNEL void shared_reuse_kernel(std::uint32_t* seen) {
  std::uint32_t* s = dev::shared<std::uint32_t>();
  if (dev::thread_index() == 0) {
    seen[dev::block_index()] = s[0];
    s[0] = 7;
  }
}

TEST(EmuLayer, SharedMemoryIsPoisonedBetweenBlocks) {
  std::vector<std::uint32_t> seen(3, 0);
  ASSERT_EQ(dev::launch(shared_reuse_kernel, 3, 32, 64, seen.data()), 0);
  for (auto v : seen) EXPECT_EQ(v, 0xffffffffu);
}

TEST(EmuLayer, FreshDeviceMemoryIsPoisonedAndOomIsStatusTwo) {
  void* p = nullptr;
  ASSERT_EQ(dev::alloc(&p, 16), 0);
  float f;
  std::memcpy(&f, p, sizeof f);
  EXPECT_TRUE(f != f);  // NaN
  dev::free(p);
  setenv("SML_EMU_FAIL", "oom", 1);
  EXPECT_EQ(dev::alloc(&p, 16), dev::kOutOfMemory);
  unsetenv("SML_EMU_FAIL");
}

SML_KERNEL void nothing_kernel() {}

TEST(EmuLayer, BadLaunchConfigurationIsAnError) {
  EXPECT_EQ(dev::launch(nothing_kernel, 0, 32, 0), dev::kInvalidConfiguration);
  EXPECT_EQ(dev::launch(nothing_kernel, 1, 1025, 0), dev::kInvalidConfiguration);
}

SML_KERNEL void barrier_in_branch_kernel() {
  if (dev::thread_index() < 16) dev::sync_block();
}
SML_KERNEL void two_barriers_kernel() {
  if (dev::thread_index() % 2)
    dev::sync_block();
  else
    dev::sync_block();
}
SML_KERNEL void return_then_barrier_kernel() {
  if (dev::thread_index() == 3) return;
  dev::sync_block();
}
SML_KERNEL void shuffle_in_branch_kernel(int* out) {
  if (dev::lane() < 8) out[dev::thread_index()] = dev::shfl(1, 0);
}
SML_KERNEL void partial_warp_shuffle_kernel(int* out) { out[dev::thread_index()] = dev::shfl(1, 0); }

class EmuDivergence : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(EmuDivergence, BarrierSkippedByPartOfTheBlockAborts) {
  EXPECT_DEATH(dev::launch(barrier_in_branch_kernel, 1, 32, 0), "returned while others of its block wait");
}

TEST_F(EmuDivergence, DifferentBarriersAbort) {
  EXPECT_DEATH(dev::launch(two_barriers_kernel, 1, 32, 0), "wait at different barriers");
}

TEST_F(EmuDivergence, BarrierAfterAnEarlyReturnAborts) {
  EXPECT_DEATH(dev::launch(return_then_barrier_kernel, 1, 64, 0), "left by returning|returned while others");
}

TEST_F(EmuDivergence, ShuffleInADivergentBranchAborts) {
  std::vector<int> out(32);
  EXPECT_DEATH(dev::launch(shuffle_in_branch_kernel, 1, 32, 0, out.data()), "lane returned|left by returning");
}

TEST_F(EmuDivergence, ShuffleInAPartialWarpAborts) {
  std::vector<int> out(40);
  EXPECT_DEATH(dev::launch(partial_warp_shuffle_kernel, 1, 40, 0, out.data()), "not a whole number of warps");
}

}  // namespace
