// supplyml_cuda_emu.so through the C table, as the extension uses the CUDA
// module: one emulated device, als_train_gpu against the CPU training, the
// top-k entry, recommend_many_gpu against recommend_many, and the statuses
// (out of memory, stop, fp16 overflow) turned into errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "supplyml/cuda_loader.hpp"
#include "supplyml/device/half.hpp"
#include "supplyml/error.hpp"
#include "supplyml/host_memory.hpp"
#include "supplyml/reco_batch.hpp"
#include "supplyml/reco_gpu.hpp"

using namespace supplyml;

namespace {

const sml_cuda_api* emulated() {
  static const CudaLoad load = load_cuda_module(SML_EMU_MODULE);
  return load.api;
}

Csr small_problem(std::pmr::memory_resource* mr = std::pmr::get_default_resource()) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> item(0, 16), count(1, 5);
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  for (int u = 0; u < 21; ++u)
    for (int k = 0; k < (u % 5 == 2 ? 0 : 3); ++k) r.push_back(u), c.push_back(item(rng)), w.push_back(count(rng));
  Csr m = build_csr(21, 17, r.data(), c.data(), w.data(), r.size(), 1, mr);
  to_confidence(m, 5.0, Scaling::kLinear, 1.0);
  return m;
}

AlsOptions small_options() {
  AlsOptions o;
  o.factors = 8;
  o.iterations = 2;
  o.regularization = 10;
  o.threads = 1;
  return o;
}

TEST(EmuModule, ReportsOneEmulatedDevice) {
  const sml_cuda_api* api = emulated();
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->abi_version, SML_CUDA_ABI_VERSION);
  EXPECT_NE(api->als_solve, nullptr);
  EXPECT_EQ(api->device_count(), 1);
  sml_cuda_device_info info;
  ASSERT_EQ(api->device_info(0, &info), 0);
  EXPECT_STREQ(info.name, "emulated GPU");
  EXPECT_NE(api->device_info(1, &info), 0);
}

// The GPU run's loss, iteration by iteration, within `rel` of the CPU's.
void expect_loss_near(const AlsFactors<float>& gpu, const AlsFactors<float>& cpu, double rel) {
  ASSERT_EQ(gpu.loss.size(), cpu.loss.size());
  for (std::size_t i = 0; i < cpu.loss.size(); ++i) EXPECT_NEAR(gpu.loss[i], cpu.loss[i], rel * cpu.loss[i]);
}

TEST(EmuModule, TrainsLikeTheCpu) {
  const Csr ui = small_problem();
  const AlsOptions o = small_options();
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  AlsFactors<float> gpu;
  ASSERT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &gpu), 0);
  expect_loss_near(gpu, cpu, 1e-4);
  float diff = 0, big = 0;
  for (std::size_t i = 0; i < cpu.user.size(); ++i) {
    diff = std::max(diff, std::abs(gpu.user[i] - cpu.user[i]));
    big = std::max(big, std::abs(cpu.user[i]));
  }
  EXPECT_LE(diff, 1e-3f * big);
}

// The training's matrix built straight into the module's page-locked host
// memory: every array of it (and of the transpose the training makes) is a
// pinned block, freed with the matrix; the factors are those of the same
// matrix on the heap, to the bit.
TEST(EmuModule, TrainsOnAMatrixInPageLockedMemory) {
  const Csr heap = small_problem();
  PinnedMemory pinned(emulated());
  {
    const Csr ui = small_problem(&pinned);
    EXPECT_EQ(pinned.pinned_blocks(), 3u);
    EXPECT_EQ(ui.resource(), &pinned);
    EXPECT_EQ(ui.indptr, heap.indptr);
    EXPECT_EQ(ui.indices, heap.indices);
    EXPECT_EQ(ui.values, heap.values);
    EXPECT_EQ(ui.transpose().resource(), &pinned);
    const AlsOptions o = small_options();
    Interrupt none;
    AlsFactors<float> a, b;
    ASSERT_EQ(als_train_gpu(emulated(), 0, heap, o, none, &a), 0);
    ASSERT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &b), 0);
    EXPECT_EQ(a.user, b.user);
    EXPECT_EQ(a.item, b.item);
    EXPECT_EQ(a.loss, b.loss);
  }
  EXPECT_EQ(pinned.blocks(), 0u);
  // When the module cannot pin, the blocks come from the heap: no error.
  setenv("SML_EMU_FAIL", "host", 1);
  {
    std::pmr::vector<float> v(1000, 1.0f, &pinned);
    EXPECT_EQ(pinned.blocks(), 1u);
    EXPECT_EQ(pinned.pinned_blocks(), 0u);
  }
  unsetenv("SML_EMU_FAIL");
  EXPECT_EQ(pinned.blocks(), 0u);
}

TEST(EmuModule, OutOfMemoryIsStatusTwoAndStopIsCancelled) {
  const Csr ui = small_problem();
  AlsOptions o = small_options();
  Interrupt none;
  AlsFactors<float> fit;
  setenv("SML_EMU_FAIL", "oom", 1);
  EXPECT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &fit), SML_CUDA_OUT_OF_MEMORY);
  unsetenv("SML_EMU_FAIL");
  EXPECT_NE(std::string(emulated()->last_error()).find("out of memory"), std::string::npos);
  Interrupt stop([] { return true; });
  EXPECT_THROW(als_train_gpu(emulated(), 0, ui, o, stop, &fit), Cancelled);
}

TEST(EmuModule, ExactSolvesNeedTheAlsSolveEntry) {
  AlsOptions o = small_options();
  EXPECT_TRUE(gpu_can_train(emulated(), o));
  o.solver = Solver::kCholesky;
  EXPECT_TRUE(gpu_can_train(emulated(), o));
  o.precision = Precision::kFp16;
  EXPECT_TRUE(gpu_can_train(emulated(), o));
  // A module built for ABI 4 has als_solve, for fp32 storage only.
  sml_cuda_api abi4 = *emulated();
  abi4.abi_version = SML_CUDA_ABI_FP16_SOLVES - 1;
  EXPECT_FALSE(gpu_can_train(accept_cuda_table(&abi4), o));
  o.feedback = Feedback::kExplicit;
  EXPECT_FALSE(gpu_can_train(accept_cuda_table(&abi4), o));
  EXPECT_TRUE(gpu_can_train(emulated(), o));
  o.precision = Precision::kFp32;
  EXPECT_TRUE(gpu_can_train(accept_cuda_table(&abi4), o));
  o.feedback = Feedback::kImplicit;
  // A module built for ABI 3 has als_train but no als_solve.
  sml_cuda_api older = *emulated();
  older.abi_version = SML_CUDA_ABI_MIN_VERSION;
  const sml_cuda_api* old = accept_cuda_table(&older);
  ASSERT_NE(old, nullptr);
  EXPECT_FALSE(gpu_can_train(old, o));
  o.solver = Solver::kCg;
  EXPECT_TRUE(gpu_can_train(old, o));
  o.feedback = Feedback::kExplicit;
  EXPECT_FALSE(gpu_can_train(old, o));
  Interrupt none;
  AlsFactors<float> fit;
  try {
    als_train_gpu(old, 0, small_problem(), o, none, &fit);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), sqlstate::kFeatureNotSupported);
  }
}

int not_positive_definite(int, const sml_als_problem*, sml_als_out*) { return SML_CUDA_NOT_POSITIVE_DEFINITE; }

TEST(EmuModule, ARowThatCannotBeFactoredIsTheCpusError) {
  sml_cuda_api failing = *emulated();
  failing.als_solve = not_positive_definite;
  AlsOptions o = small_options();
  o.solver = Solver::kCholesky;
  Interrupt none;
  AlsFactors<float> fit;
  try {
    als_train_gpu(&failing, 0, small_problem(), o, none, &fit);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), sqlstate::kInvalidParameterValue);
    EXPECT_STREQ(e.what(), "the normal equations are not positive definite");
  }
}

TEST(EmuModule, TrainsExplicitFeedbackWithBiasesLikeTheCpu) {
  Csr ui = small_problem();
  for (auto& v : ui.values) v = 1 + std::fmod(v, 4.0f);  // ratings 1..4 from confidences 6, 11, .., 26
  AlsOptions o = small_options();
  o.feedback = Feedback::kExplicit;
  o.regularization = 0.1;
  o.iterations = 3;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  AlsFactors<float> gpu;
  ASSERT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &gpu), 0);
  expect_loss_near(gpu, cpu, 1e-4);
  EXPECT_DOUBLE_EQ(gpu.global_mean, cpu.global_mean);
  ASSERT_EQ(gpu.user_bias.size(), cpu.user_bias.size());
  ASSERT_EQ(gpu.item_bias.size(), cpu.item_bias.size());
  float diff = 0, big = 0;
  for (std::size_t i = 0; i < cpu.user_bias.size(); ++i) {
    diff = std::max(diff, std::abs(gpu.user_bias[i] - cpu.user_bias[i]));
    big = std::max(big, std::abs(cpu.user_bias[i]));
  }
  for (std::size_t i = 0; i < cpu.item_bias.size(); ++i) {
    diff = std::max(diff, std::abs(gpu.item_bias[i] - cpu.item_bias[i]));
    big = std::max(big, std::abs(cpu.item_bias[i]));
  }
  EXPECT_GT(big, 0.01f);
  EXPECT_LE(diff, 1e-3f * big);
}

// Exact solves with fp16 storage through the entry: the CPU's loss within
// the stated 1e-3 (tests/emu/test_emu_solve_fp16.cpp), the precision the
// factors were stored in kept, and a factor beyond binary16 the status
// SML_CUDA_OUT_OF_RANGE.
TEST(EmuModule, ExactSolvesWithFp16StorageAndTheirOverflow) {
  Csr ui = small_problem();
  for (auto& v : ui.values) v = 1 + std::fmod(v, 4.0f);
  AlsOptions o = small_options();
  o.feedback = Feedback::kExplicit;
  o.regularization = 0.1;
  o.precision = Precision::kFp16;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  AlsFactors<float> gpu;
  ASSERT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &gpu), 0);
  expect_loss_near(gpu, cpu, 1e-3);
  for (float x : gpu.user) EXPECT_EQ(dev::half_value(dev::half_bits(x)), x);
  for (auto& v : ui.values) v *= 1e6f;  // user factors of about 1e5 (fp32 trains them)
  // The status, not an error: the caller falls back to the CPU (fp32) or
  // raises 22003 (extension/device.cpp gpu_failed).
  EXPECT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &gpu), SML_CUDA_OUT_OF_RANGE);
  o.precision = Precision::kFp32;
  EXPECT_EQ(als_train_gpu(emulated(), 0, ui, o, none, &gpu), 0);
}

TEST(EmuModule, TopkEntryRanksWithTiesToTheLowerItem) {
  // Two users, four items, f = 1: user 0 scores 2, 1, 2, 0 and has seen item 0;
  // user 1 scores -2, -1, -2, 0 and has seen nothing.
  const float X[] = {1, -1}, Y[] = {2, 1, 2, 0};
  const long long seen_ptr[] = {0, 1, 1};
  const int seen[] = {0};
  sml_topk_problem p{};
  p.users = 2;
  p.items = 4;
  p.factors = 1;
  p.k = 3;
  p.user_factors = X;
  p.item_factors = Y;
  p.seen_indptr = seen_ptr;
  p.seen_indices = seen;
  int ids[6], count[2];
  float scores[6];
  sml_topk_out out{ids, scores, count};
  ASSERT_EQ(emulated()->topk(0, &p, &out), 0);
  EXPECT_EQ(count[0], 3);
  EXPECT_EQ(ids[0], 2);
  EXPECT_EQ(ids[1], 1);
  EXPECT_EQ(ids[2], 3);
  EXPECT_EQ(count[1], 3);
  EXPECT_EQ(ids[3], 3);  // 0
  EXPECT_EQ(ids[4], 1);  // -1
  EXPECT_EQ(ids[5], 0);  // -2, tied with item 2: the lower index
  EXPECT_EQ(scores[5], -2.0f);
}

// The lists of recommend_many (CPU) and recommend_many_gpu for the same users.
void expect_same_lists(const MfModel& m, const std::vector<std::int64_t>& users, int k, Precision precision) {
  Interrupt none;
  const auto cpu = recommend_many(m, users, k, true, 1, none);
  std::vector<std::vector<Scored>> gpu;
  ASSERT_EQ(recommend_many_gpu(emulated(), 0, m, users, k, precision, none, &gpu), 0);
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t j = 0; j < cpu.size(); ++j) {
    ASSERT_EQ(gpu[j].size(), cpu[j].size()) << "user " << users[j];
    for (std::size_t r = 0; r < cpu[j].size(); ++r) {
      EXPECT_EQ(gpu[j][r].item, cpu[j][r].item) << "user " << users[j] << " rank " << r;
      EXPECT_NEAR(gpu[j][r].score, cpu[j][r].score, 1e-5f * (1 + std::abs(cpu[j][r].score)));
    }
  }
}

TEST(EmuModule, RecommendManyOnTheGpuGivesTheCpuLists) {
  const Csr ui = small_problem();
  AlsOptions o = small_options();
  Interrupt none;
  const MfModel imp = MfModel::from_fit(ui, als_train<float>(ui, o, none), Feedback::kImplicit);
  std::vector<std::int64_t> all(21);
  for (int u = 0; u < 21; ++u) all[u] = u;
  expect_same_lists(imp, all, 4, Precision::kFp32);
  expect_same_lists(imp, {5, 2, 5, 20}, 30, Precision::kFp32);  // a subset, a repeat, k beyond 17 items
  expect_same_lists(imp, {}, 3, Precision::kFp32);
  o.feedback = Feedback::kExplicit;
  Csr ratings = small_problem();
  const MfModel expl = MfModel::from_fit(ratings, als_train<float>(ratings, o, none), Feedback::kExplicit);
  expect_same_lists(expl, all, 5, Precision::kFp32);  // item biases, predicted ratings
  // fp16 storage of factors that are fp16 values already: the same lists.
  MfModel h = imp;
  for (auto* a : {&h.user_factors, &h.item_factors})
    for (auto& v : *a) v = dev::half_value(dev::half_bits(v));
  h.derive();
  expect_same_lists(h, all, 4, Precision::kFp16);
}

TEST(EmuModule, RecommendManyOnTheGpuReportsFp16OverflowAndOutOfMemory) {
  const Csr ui = small_problem();
  Interrupt none;
  MfModel m = MfModel::from_fit(ui, als_train<float>(ui, small_options(), none), Feedback::kImplicit);
  std::vector<std::vector<Scored>> lists;
  setenv("SML_EMU_FAIL", "oom", 1);
  EXPECT_EQ(recommend_many_gpu(emulated(), 0, m, {0, 1}, 3, Precision::kFp32, none, &lists), SML_CUDA_OUT_OF_MEMORY);
  unsetenv("SML_EMU_FAIL");
  m.item_factors[3] = 1e5f;
  EXPECT_EQ(recommend_many_gpu(emulated(), 0, m, {0, 1}, 3, Precision::kFp16, none, &lists), SML_CUDA_OUT_OF_RANGE);
  EXPECT_EQ(recommend_many_gpu(emulated(), 0, m, {0, 1}, 3, Precision::kFp32, none, &lists), 0);
  Interrupt stop([] { return true; });
  EXPECT_THROW(recommend_many_gpu(emulated(), 0, m, {0, 1}, 3, Precision::kFp32, stop, &lists), Cancelled);
}

}  // namespace
