// ALS by exact row solves on the device emulator (als_solve.cuh,
// als_solve_train.cuh) against the CPU path: each row's Cholesky solve,
// implicit and explicit with biases, with the matrix in shared memory and in
// the global workspace; whole trainings, loss of every iteration and factors;
// the failure of a system that is not positive definite. Seeded problems of
// two sizes, none a multiple of 32, with users and items that have no
// interactions, at 1, 7 and 64 factors.
//
// Stated tolerances. A row solve works in double from the same float inputs
// as the CPU's, so the factors agree to float rounding: 1e-5 of the largest.
// A training starts from the same factors; the device's Y^T Y is float
// (cuBLAS syrk), the CPU's double, so each half-step's systems differ by
// float rounding and the results drift a little: the loss of every iteration
// within 1e-4 relative and the factors within 1e-3 of the largest, after
// every iteration (after the last only at 64 factors, whose emulated runs
// are slow).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gpu/als_solve_train.cuh"
#include "problems.hpp"
#include "solve_run.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_gpu.hpp"
#include "supplyml/reco_solve.hpp"

using namespace supplyml;
using emu_test::max_abs;
using emu_test::max_diff;
using emu_test::random_interactions;
using emu_test::random_matrix;

namespace {

// One half-step of als_solve_kernel over every row of m: X (and bias).
int solve_rows(const Csr& m, const gpu::RowSystem<float>& s, std::vector<float>& X, std::vector<float>* bias,
               std::size_t shared_limit) {
  gpu::SolveWork<float> work;
  const int st = work.prepare(gpu::solve_unknowns(s), m.rows, shared_limit);
  if (st != 0) return st;
  EXPECT_EQ(work.in_shared(), shared_limit > 0) << "the matrix is where the test means it to be";
  return work.half_step(s, m.rows, X.data(), bias != nullptr ? bias->data() : nullptr);
}

void implicit_rows(int users, int items, int f, std::size_t shared_limit, unsigned seed) {
  const Csr m = random_interactions(users, items, 5, seed, 3);
  const auto Y = random_matrix(items, f, seed + 1, 0.3f);
  const auto G = emu_test::gram_plus(Y, items, f, 0.1);
  const std::vector<double> Gd(G.begin(), G.end());
  std::vector<float> cpu(static_cast<std::size_t>(users) * f), emu(cpu.size(), std::nanf(""));
  std::vector<double> scratch(static_cast<std::size_t>(f) * f + f);
  for (int u = 0; u < users; ++u)
    ASSERT_TRUE(als::implicit_row_cholesky(Gd.data(), Y.data(), f, m.indices.data() + m.indptr[u],
                                           m.values.data() + m.indptr[u], m.row_size(u), cpu.data() + u * f,
                                           scratch.data()));
  const gpu::RowSystem<float> s{G.data(), Y.data(), nullptr, f, 0, 0.0, 0.0, m.indptr.data(), m.indices.data(),
                         m.values.data()};
  ASSERT_EQ(solve_rows(m, s, emu, nullptr, shared_limit), 0);
  EXPECT_LE(max_diff(cpu, emu), 1e-5f * max_abs(cpu)) << "f = " << f << ", shared limit " << shared_limit;
}

void explicit_rows(int users, int items, int f, std::size_t shared_limit, unsigned seed) {
  const Csr m = random_interactions(users, items, 6, seed, 2, true);
  const auto Y = random_matrix(items, f, seed + 1, 0.5f);
  const auto other_bias = random_matrix(items, 1, seed + 2, 0.5f);
  const double mu = 4.2, lambda = 0.05;
  std::vector<float> cpu(static_cast<std::size_t>(users) * f), cpu_bias(static_cast<std::size_t>(users));
  std::vector<float> emu(cpu.size(), std::nanf("")), emu_bias(cpu_bias.size(), std::nanf(""));
  std::vector<double> scratch(static_cast<std::size_t>(f + 1) * (f + 1) + (f + 1));
  for (int u = 0; u < users; ++u) {
    if (m.row_size(u) == 0) {  // the CPU's half-step zeroes an empty row
      std::fill(cpu.begin() + u * f, cpu.begin() + (u + 1) * f, 0.0f);
      cpu_bias[u] = 0;
      continue;
    }
    ASSERT_TRUE(als::explicit_row(Y.data(), other_bias.data(), mu, lambda, f, m.indices.data() + m.indptr[u],
                                  m.values.data() + m.indptr[u], m.row_size(u), cpu.data() + u * f, &cpu_bias[u],
                                  scratch.data()));
  }
  const gpu::RowSystem<float> s{nullptr, Y.data(), other_bias.data(), f, 1, mu, lambda, m.indptr.data(), m.indices.data(),
                         m.values.data()};
  ASSERT_EQ(solve_rows(m, s, emu, &emu_bias, shared_limit), 0);
  EXPECT_LE(max_diff(cpu, emu), 1e-5f * max_abs(cpu)) << "f = " << f << ", shared limit " << shared_limit;
  EXPECT_LE(max_diff(cpu_bias, emu_bias), 1e-5f * max_abs(cpu_bias)) << "f = " << f;
  for (int u = 0; u < users; ++u) {
    if (m.row_size(u) == 0) {
      EXPECT_EQ(emu_bias[u], 0.0f) << "empty row " << u;
    }
  }
}

TEST(EmuSolve, ImplicitRowsMatchTheCpuCholesky) {
  for (int f : {1, 7, 64}) implicit_rows(37, 45, f, gpu::kSolveSharedLimit, 3u + f);
}

TEST(EmuSolve, ImplicitRowsWithTheMatrixInGlobalMemory) {
  for (int f : {7, 64}) implicit_rows(19, 33, f, 0, 5u + f);
}

TEST(EmuSolve, ExplicitRowsMatchTheCpuSolveWithBiases) {
  for (int f : {1, 7, 64}) explicit_rows(37, 45, f, gpu::kSolveSharedLimit, 7u + f);
}

TEST(EmuSolve, ExplicitRowsWithTheMatrixInGlobalMemory) {
  for (int f : {7, 64}) explicit_rows(19, 33, f, 0, 9u + f);
}

TEST(EmuSolve, LargeFactorCountsUseTheGlobalWorkspace) {
  gpu::SolveWork<float> work;
  ASSERT_EQ(work.prepare(64, 10), 0);
  EXPECT_TRUE(work.in_shared());
  ASSERT_EQ(work.prepare(200, 10), 0);
  EXPECT_FALSE(work.in_shared());
}

TEST(EmuSolve, ASystemThatIsNotPositiveDefiniteFails) {
  const int users = 9, items = 12, f = 5;
  const Csr m = random_interactions(users, items, 4, 17, 0);
  auto Y = random_matrix(items, f, 18, 0.3f);
  const auto G = emu_test::gram_plus(Y, items, f, 0.1);
  Y[static_cast<std::size_t>(m.indices[0]) * f + 2] = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> X(static_cast<std::size_t>(users) * f, 0.5f);
  const gpu::RowSystem<float> s{G.data(), Y.data(), nullptr, f, 0, 0.0, 0.0, m.indptr.data(), m.indices.data(),
                         m.values.data()};
  EXPECT_EQ(solve_rows(m, s, X, nullptr, gpu::kSolveSharedLimit), SML_CUDA_NOT_POSITIVE_DEFINITE);
  // The failing row keeps its values; no NaN is written.
  for (float v : X) EXPECT_FALSE(std::isnan(v));
}

// Trains on the CPU and the emulator for 1, 2, .. `iterations` iterations,
// comparing the factors after each (after the last only when not
// `every_iteration`) and the loss of every iteration.
void compare_training(Feedback feedback, int users, int items, int f, int iterations, double lambda, unsigned seed,
                      bool every_iteration = true) {
  const bool explicit_feedback = feedback == Feedback::kExplicit;
  const Csr ui = random_interactions(users, items, 5, seed, 3, explicit_feedback);
  AlsOptions o;
  o.feedback = feedback;
  o.solver = Solver::kCholesky;
  o.factors = f;
  o.regularization = lambda;
  o.threads = 1;
  for (int its = every_iteration ? 1 : iterations; its <= iterations; ++its) {
    o.iterations = its;
    const std::string where = "f = " + std::to_string(f) + ", " + std::to_string(its) + " iterations";
    Interrupt none;
    const auto cpu = als_train<float>(ui, o, none);
    const auto emu = emu_test::train_solve_emulated(ui, o);
    ASSERT_EQ(emu.status, 0) << where;
    for (int it = 0; it < its; ++it) {
      EXPECT_NEAR(emu.loss[it], cpu.loss[it], 1e-4 * cpu.loss[it]) << where << ", iteration " << it + 1;
      if (it > 0) {
        EXPECT_LE(emu.loss[it], emu.loss[it - 1] * (1 + 1e-9)) << where << ": the loss rose at " << it + 1;
      }
    }
    EXPECT_LE(max_diff(emu.user, cpu.user), 1e-3f * max_abs(cpu.user)) << where;
    EXPECT_LE(max_diff(emu.item, cpu.item), 1e-3f * max_abs(cpu.item)) << where;
    if (explicit_feedback) {
      EXPECT_LE(max_diff(emu.user_bias, cpu.user_bias), 1e-3f * max_abs(cpu.user_bias)) << where;
      EXPECT_LE(max_diff(emu.item_bias, cpu.item_bias), 1e-3f * max_abs(cpu.item_bias)) << where;
      for (std::int64_t i = items - 3; i < items; ++i) EXPECT_EQ(emu.item_bias[i], 0.0f) << "unrated item " << i;
    }
  }
}

TEST(EmuSolve, ImplicitCholeskyTrainingFollowsTheCpu) {
  compare_training(Feedback::kImplicit, 30, 23, 1, 3, 0.1, 21);
  compare_training(Feedback::kImplicit, 45, 37, 7, 3, 0.1, 22);
}

TEST(EmuSolve, ImplicitCholeskyTrainingAt64Factors) {
  compare_training(Feedback::kImplicit, 33, 29, 64, 2, 1.0, 23, false);
}

TEST(EmuSolve, ExplicitTrainingFollowsTheCpu) {
  compare_training(Feedback::kExplicit, 30, 23, 1, 3, 0.05, 24);
  compare_training(Feedback::kExplicit, 45, 37, 7, 3, 0.05, 25);
}

TEST(EmuSolve, ExplicitTrainingAt64Factors) {
  compare_training(Feedback::kExplicit, 33, 29, 64, 2, 0.05, 26, false);
}

int stop_now(void*) { return 1; }

TEST(EmuSolve, TrainingStopsOnRequestAndReportsOutOfMemory) {
  const Csr ui = random_interactions(20, 30, 4, 2, 0, true);
  AlsOptions o;
  o.feedback = Feedback::kExplicit;
  o.factors = 8;
  o.iterations = 2;
  Interrupt none;
  double norm = 0;
  AlsFactors<float> m = als_start<float>(ui, o, none, &norm);
  const Csr iu = ui.transpose();
  std::vector<double> loss(2);
  sml_als_problem p = als_problem(ui, iu, o, norm, m.global_mean);
  p.should_stop = stop_now;
  sml_als_out out{m.user.data(), m.item.data(), loss.data(), 0, m.user_bias.data(), m.item_bias.data()};
  int s = 0;
  auto blas = dev::make_blas(&s);
  EXPECT_EQ(gpu::als_solve(p, out, *blas), SML_CUDA_STOPPED);
  p.should_stop = nullptr;
  setenv("SML_EMU_FAIL", "oom", 1);
  EXPECT_EQ(gpu::als_solve(p, out, *blas), SML_CUDA_OUT_OF_MEMORY);
  unsetenv("SML_EMU_FAIL");
  out.item_bias = nullptr;  // explicit feedback needs both biases
  EXPECT_EQ(gpu::als_solve(p, out, *blas), dev::kInvalidValue);
  p.feedback = SML_FEEDBACK_IMPLICIT;
  p.solver = SML_SOLVER_CG;  // the cg solver is the als_train entry's
  EXPECT_EQ(gpu::als_solve(p, out, *blas), SML_CUDA_UNSUPPORTED);
}

}  // namespace
