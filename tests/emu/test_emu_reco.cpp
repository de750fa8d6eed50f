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

GpuRun train_emulated(const Csr& ui, const AlsOptions& o, sml_should_stop_fn stop = nullptr) {
  const Csr iu = ui.transpose();
  Interrupt none;
  GpuRun r;
  double norm = 0;
  AlsFactors<float> start = als_start<float>(ui, o, none, &norm);
  r.user = std::move(start.user);
  r.item = std::move(start.item);
  r.loss.assign(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_problem p = als_problem(ui, iu, o, norm, 0);
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
void check_topk(int users, int items, int f, int k, bool with_bias, bool integer_factors, unsigned seed) {
  auto X = random_matrix(users, f, seed, 1.0f), Y = random_matrix(items, f, seed + 1, 1.0f);
  auto bias = random_matrix(items, 1, seed + 2, 0.5f);
  if (integer_factors) {  // small integers: exact scores, many ties
    for (auto& v : X) v = std::round(v * 2);
    for (auto& v : Y) v = std::round(v);
    for (auto& v : bias) v = 0;
  }
  const Csr seen = random_confidences(users, items, 4, seed + 3);
  std::vector<int> ids(static_cast<std::size_t>(users) * k), count(static_cast<std::size_t>(users));
  std::vector<float> scores(ids.size());
  sml_topk_problem p{};
  p.users = users;
  p.items = items;
  p.factors = f;
  p.k = k;
  p.user_factors = X.data();
  p.item_factors = Y.data();
  p.item_bias = with_bias ? bias.data() : nullptr;
  p.seen_indptr = reinterpret_cast<const long long*>(seen.indptr.data());
  p.seen_indices = seen.indices.data();
  sml_topk_out out{ids.data(), scores.data(), count.data()};
  int s = 0;
  auto blas = dev::make_blas(&s);
  ASSERT_EQ(gpu::topk(p, out, *blas), 0);
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

}  // namespace
