// The recommendation kernels on the device emulator against the CPU path:
// the conjugate-gradient row solve, a whole implicit ALS training (loss per
// iteration and factors), and the fused top-k (same ids, same order, ties to
// the lower item, seen items masked). Sizes are not multiples of 32 and some
// rows are empty.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "gpu/als_train.cuh"
#include "gpu/topk_run.cuh"
#include "problems.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_gpu.hpp"
#include "supplyml/reco_rank.hpp"
#include "supplyml/reco_solve.hpp"

using namespace supplyml;

namespace {

using emu_test::gram_plus;
using emu_test::max_abs;
using emu_test::max_diff;
using emu_test::random_matrix;

Csr random_confidences(int users, int items, int per_row, unsigned seed) {
  return emu_test::random_interactions(users, items, per_row, seed);
}

void run_cg(const Csr& m, const std::vector<float>& G, const std::vector<float>& Y, int f, std::vector<float>& X,
            int steps) {
  ASSERT_EQ(dev::launch(gpu::als_cg_kernel<float>, static_cast<int>(m.rows), gpu::kRowThreads,
                        gpu::cg_shared_bytes(f), G.data(), Y.data(), f, m.indptr.data(), m.indices.data(),
                        m.values.data(), X.data(), steps),
            0);
}

TEST(EmuReco, CgKernelMatchesTheCpuRowSolve) {
  for (int f : {20, 70}) {
    const int users = 15, items = 33;
    const Csr m = random_confidences(users, items, 6, 7u + f);
    const auto Y = random_matrix(items, f, 11, 0.1f);
    const auto G = gram_plus(Y, items, f, 0.05);
    const auto X0 = random_matrix(users, f, 13, 0.01f);
    auto cpu = X0, emu = X0;
    std::vector<float> scratch(3 * static_cast<std::size_t>(f));
    for (int u = 0; u < users; ++u)
      als::implicit_row_cg(G.data(), Y.data(), f, m.indices.data() + m.indptr[u], m.values.data() + m.indptr[u],
                           m.row_size(u), cpu.data() + u * f, 3, scratch.data());
    run_cg(m, G, Y, f, emu, 3);
    EXPECT_LE(max_diff(cpu, emu), 1e-4f * max_abs(cpu)) << "f = " << f;
  }
}

TEST(EmuReco, CgKernelWithEnoughStepsSolvesTheNormalEquations) {
  // Against the exact solve of the same system by Cholesky in double.
  const int f = 24, users = 5, items = 37;
  const Csr m = random_confidences(users, items, 5, 3);
  const auto Y = random_matrix(items, f, 5, 0.3f);
  const double lambda = 0.5;
  const auto G = gram_plus(Y, items, f, lambda);
  std::vector<double> Gd(G.begin(), G.end());
  std::vector<float> emu(static_cast<std::size_t>(users) * f, 0.0f), exact(emu.size());
  std::vector<double> scratch(static_cast<std::size_t>(f) * f + f);
  for (int u = 0; u < users; ++u)
    ASSERT_TRUE(als::implicit_row_cholesky(Gd.data(), Y.data(), f, m.indices.data() + m.indptr[u],
                                           m.values.data() + m.indptr[u], m.row_size(u), exact.data() + u * f,
                                           scratch.data()));
  run_cg(m, G, Y, f, emu, 4 * f);
  EXPECT_LE(max_diff(exact, emu), 1e-3f * max_abs(exact));
}

struct GpuRun {
  std::vector<float> user, item;
  std::vector<double> loss;
  int status = 0;
};

GpuRun train_emulated(const Csr& ui, const AlsOptions& o, sml_should_stop_fn stop = nullptr,
                      int precision = SML_PRECISION_FP32, float start_scale = 1) {
  const Csr iu = ui.transpose();
  Interrupt none;
  GpuRun r;
  double norm = 0;
  AlsFactors<float> start = als_start<float>(ui, o, none, &norm);
  r.user = std::move(start.user);
  r.item = std::move(start.item);
  for (auto& v : r.user) v *= start_scale;
  r.loss.assign(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_problem p = als_problem(ui, iu, o, norm, 0);
  p.precision = precision;
  p.should_stop = stop;
  sml_als_out out{r.user.data(), r.item.data(), r.loss.data(), 0, nullptr, nullptr};
  int s = 0;
  auto blas = dev::make_blas(&s);
  r.status = s != 0 ? s : gpu::als_train(p, out, *blas);
  return r;
}

// The stated tolerance: factors within 1e-3 of their largest magnitude and
// the loss within 1e-4 relative, every iteration, where each row's solve is
// well determined (CG run to convergence, or strong regularization). With
// three CG steps on a weakly regularized problem the truncated solve
// amplifies rounding: there the CPU path's own float and double runs differ
// by up to 16% after four iterations, and so would any GPU.
void compare_training(int iterations, double lambda, int cg_steps) {
  const Csr ui = random_confidences(30, 23, 4, 21);
  AlsOptions o;
  o.factors = 12;
  o.iterations = iterations;
  o.regularization = lambda;
  o.cg_steps = cg_steps;
  o.threads = 1;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  const auto emu = train_emulated(ui, o);
  ASSERT_EQ(emu.status, 0);
  for (int it = 0; it < o.iterations; ++it) {
    EXPECT_NEAR(emu.loss[it], cpu.loss[it], 1e-4 * cpu.loss[it]) << "iteration " << it + 1;
    if (it > 0) {
      EXPECT_LE(emu.loss[it], emu.loss[it - 1] * (1 + 1e-6)) << "iteration " << it + 1;
    }
  }
  EXPECT_LE(max_diff(emu.user, cpu.user), 1e-3f * max_abs(cpu.user));
  EXPECT_LE(max_diff(emu.item, cpu.item), 1e-3f * max_abs(cpu.item));
}

TEST(EmuReco, ImplicitTrainingMatchesTheCpuAfterOneIteration) { compare_training(1, 0.1, 3); }
TEST(EmuReco, ImplicitTrainingFollowsTheCpuPathAndItsLossFalls) { compare_training(3, 10.0, 3); }

int stop_now(void*) { return 1; }

TEST(EmuReco, TrainingStopsOnRequestAndReportsOutOfMemory) {
  const Csr ui = random_confidences(20, 30, 4, 2);
  AlsOptions o;
  o.factors = 8;
  o.iterations = 2;
  EXPECT_EQ(train_emulated(ui, o, stop_now).status, SML_CUDA_STOPPED);
  setenv("SML_EMU_FAIL", "oom", 1);
  EXPECT_EQ(train_emulated(ui, o).status, SML_CUDA_OUT_OF_MEMORY);
  unsetenv("SML_EMU_FAIL");
}

// The top-k of every user on the emulator, checked against top_k of
// reco_rank.hpp on scores from score_items.
struct TopkRun {
  std::vector<int> ids, count;  // users x k, users
  std::vector<float> scores;
  int status = 0;
};

// gpu::topk on the emulator; seen may be null (mask nothing).
TopkRun topk_emulated(const std::vector<float>& X, const std::vector<float>& Y, const float* bias, const Csr* seen,
                      int users, int items, int f, int k, int precision) {
  TopkRun r;
  r.ids.resize(static_cast<std::size_t>(users) * k);
  r.count.resize(static_cast<std::size_t>(users));
  r.scores.resize(r.ids.size());
  sml_topk_problem p{};
  p.users = users;
  p.items = items;
  p.factors = f;
  p.k = k;
  p.user_factors = X.data();
  p.item_factors = Y.data();
  p.item_bias = bias;
  p.seen_indptr = seen ? reinterpret_cast<const long long*>(seen->indptr.data()) : nullptr;
  p.seen_indices = seen ? seen->indices.data() : nullptr;
  p.precision = precision;
  sml_topk_out out{r.ids.data(), r.scores.data(), r.count.data()};
  auto blas = dev::make_blas(&r.status);
  if (r.status == 0) r.status = gpu::topk(p, out, *blas);
  return r;
}

void check_topk(int users, int items, int f, int k, bool with_bias, bool integer_factors, unsigned seed,
                int precision = SML_PRECISION_FP32) {
  auto X = random_matrix(users, f, seed, 1.0f), Y = random_matrix(items, f, seed + 1, 1.0f);
  auto bias = random_matrix(items, 1, seed + 2, 0.5f);
  if (integer_factors) {  // small integers: exact scores, many ties
    for (auto& v : X) v = std::round(v * 2);
    for (auto& v : Y) v = std::round(v);
    for (auto& v : bias) v = 0;
  }
  if (precision == SML_PRECISION_FP16) {  // values fp16 stores exactly: the same scores as fp32
    for (auto& v : X) v = dev::half_value(dev::half_bits(v));
    for (auto& v : Y) v = dev::half_value(dev::half_bits(v));
  }
  const Csr seen = random_confidences(users, items, 4, seed + 3);
  const TopkRun run = topk_emulated(X, Y, with_bias ? bias.data() : nullptr, &seen, users, items, f, k, precision);
  ASSERT_EQ(run.status, 0);
  const auto &ids = run.ids, &count = run.count;
  const auto& scores = run.scores;
  std::vector<float> row(static_cast<std::size_t>(items));
  for (int u = 0; u < users; ++u) {
    score_items(Y.data(), items, f, X.data() + u * f, with_bias ? bias.data() : nullptr, row.data());
    const auto want = top_k(row.data(), items, k, seen.indices.data() + seen.indptr[u], seen.row_size(u));
    ASSERT_EQ(count[u], static_cast<int>(want.size())) << "user " << u;
    for (std::size_t r = 0; r < want.size(); ++r) {
      EXPECT_EQ(ids[u * k + r], want[r].item) << "user " << u << " rank " << r;
      EXPECT_NEAR(scores[u * k + r], want[r].score, 1e-5f * (1 + std::abs(want[r].score)));
    }
    for (int r = static_cast<int>(want.size()); r < k; ++r) EXPECT_EQ(ids[u * k + r], -1);
  }
}

TEST(EmuReco, TopkMatchesTheCpuRanking) { check_topk(15, 301, 13, 10, false, false, 31); }
TEST(EmuReco, TopkWithItemBias) { check_topk(11, 77, 9, 7, true, false, 41); }
TEST(EmuReco, TopkTiesGoToTheLowerItem) { check_topk(10, 150, 3, 12, false, true, 51); }
TEST(EmuReco, TopkWithKBeyondTheCatalogue) { check_topk(6, 20, 5, 30, true, false, 61); }
TEST(EmuReco, TopkFp16OnFp16ValuesMatchesTheCpuRanking) {
  check_topk(15, 301, 13, 10, true, false, 71, SML_PRECISION_FP16);
  check_topk(10, 150, 3, 12, false, true, 51, SML_PRECISION_FP16);
  check_topk(6, 20, 5, 30, true, false, 61, SML_PRECISION_FP16);
}

// fp16 storage against the CPU path (fp32). The stated tolerance: each
// stored factor is rounded to 11 significant bits (relative error at most
// 2^-11 = 4.9e-4 a store), and over four iterations of a well-determined
// problem the factors stay within 1e-2 of the largest fp32 factor and the
// loss within 1e-3 relative. The loss still falls every iteration, and what
// comes back is exactly the stored fp16 values.
TEST(EmuReco, Fp16TrainingStaysNearFp32AndItsLossFalls) {
  const Csr ui = random_confidences(30, 23, 4, 21);
  AlsOptions o;
  o.factors = 12;
  o.iterations = 4;
  o.regularization = 10.0;
  o.threads = 1;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  const auto h = train_emulated(ui, o, nullptr, SML_PRECISION_FP16);
  ASSERT_EQ(h.status, 0);
  for (int it = 0; it < o.iterations; ++it) {
    EXPECT_NEAR(h.loss[it], cpu.loss[it], 1e-3 * cpu.loss[it]) << "iteration " << it + 1;
    if (it > 0) {
      EXPECT_LT(h.loss[it], h.loss[it - 1]) << "iteration " << it + 1;
    }
  }
  EXPECT_LE(max_diff(h.user, cpu.user), 1e-2f * max_abs(cpu.user));
  EXPECT_LE(max_diff(h.item, cpu.item), 1e-2f * max_abs(cpu.item));
  std::printf("fp16 vs fp32: final loss %.3g relative, factors %.3g and %.3g of the largest\n",
              std::abs(h.loss.back() - cpu.loss.back()) / cpu.loss.back(),
              double(max_diff(h.user, cpu.user) / max_abs(cpu.user)), double(max_diff(h.item, cpu.item) / max_abs(cpu.item)));
  for (const auto* v : {&h.user, &h.item})
    for (float x : *v) ASSERT_EQ(dev::half_value(dev::half_bits(x)), x);
}

TEST(EmuReco, Fp16OverflowIsAnErrorNotAnInfinity) {
  const Csr ui = random_confidences(20, 30, 4, 2);
  AlsOptions o;
  o.factors = 8;
  o.iterations = 1;
  // Starting factors (about 0.01 to 0.1) scaled beyond 65504.
  EXPECT_EQ(train_emulated(ui, o, nullptr, SML_PRECISION_FP16, 1e7f).status, SML_CUDA_OUT_OF_RANGE);
  EXPECT_EQ(train_emulated(ui, o, nullptr, SML_PRECISION_FP32, 1e7f).status, 0);
  for (float big : {65504.0f, 65520.0f}) {
    std::vector<float> X(4, 1.0f), Y(6, 1.0f);  // 2 users, 3 items, f = 2
    Y[3] = big;
    const TopkRun run = topk_emulated(X, Y, nullptr, nullptr, 2, 3, 2, 1, SML_PRECISION_FP16);
    if (big == 65504.0f) {  // the largest fp16 value is stored as it is
      ASSERT_EQ(run.status, 0);
      EXPECT_EQ(run.ids[0], 1);
      EXPECT_EQ(run.scores[0], 65505.0f);
    } else {
      EXPECT_EQ(run.status, SML_CUDA_OUT_OF_RANGE);
    }
  }
}

// fp16 storage of factors that fp16 cannot hold exactly ranks almost as fp32
// does. Scores are sums of 32 products of values in [-1, 1], each factor off
// by at most 2^-12 of itself: a score moves by less than 32 * 2^-11 = 0.016,
// which reorders only near-ties. Stated tolerance: on average at least 95%
// of each fp32 top 10 is in the fp16 top 10, and never less than 80%.
TEST(EmuReco, TopkFp16OverlapsTheFp32Ranking) {
  const int users = 40, items = 500, f = 32, k = 10;
  const auto X = random_matrix(users, f, 81, 1.0f), Y = random_matrix(items, f, 82, 1.0f);
  const TopkRun run = topk_emulated(X, Y, nullptr, nullptr, users, items, f, k, SML_PRECISION_FP16);
  ASSERT_EQ(run.status, 0);
  const auto &ids = run.ids, &count = run.count;
  std::vector<float> row(static_cast<std::size_t>(items));
  double total = 0, least = 1;
  for (int u = 0; u < users; ++u) {
    score_items(Y.data(), items, f, X.data() + u * f, nullptr, row.data());
    const auto want = top_k(row.data(), items, k, nullptr, 0);
    ASSERT_EQ(count[u], k);
    int common = 0;
    for (const auto& w : want)
      common += static_cast<int>(std::count(ids.begin() + u * k, ids.begin() + (u + 1) * k, w.item));
    total += common / double(k);
    least = std::min(least, common / double(k));
  }
  std::printf("fp16 top-10 overlap with fp32: mean %.3f, least %.3f\n", total / users, least);
  EXPECT_GE(total / users, 0.95);
  EXPECT_GE(least, 0.8);
}

}  // namespace
