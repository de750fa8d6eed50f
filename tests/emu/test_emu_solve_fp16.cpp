// The exact solves (als_solve.cuh, als_solve_train.cuh) with fp16 factor
// storage on the device emulator, against the CPU path (fp32) and against
// the same solves with fp32 storage. Seeded problems whose sizes are not
// multiples of 32, with users and items that have no interactions, at 1, 7
// and 64 factors.
//
// Stated tolerances. A row's solve reads binary16 factors into double and
// rounds its solution to binary16 once, so from the same binary16 inputs
// each stored value is the CPU's solution rounded once: within 2^-11 of
// itself (plus half the smallest subnormal). Over a training every stored
// factor carries that rounding into the next half-step: the loss of every
// iteration within 1e-3 relative and the factors and biases within 1e-2 of
// their largest, of the CPU's and of the fp32 device run's, and the loss
// still never rises. What comes back is exactly the stored binary16 values;
// a solution beyond binary16's range is SML_CUDA_OUT_OF_RANGE, never an
// infinity.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gpu/als_solve_train.cuh"
#include "problems.hpp"
#include "solve_run.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_solve.hpp"

using namespace supplyml;
using emu_test::max_abs;
using emu_test::max_diff;
using emu_test::random_interactions;
using emu_test::random_matrix;

namespace {

std::vector<dev::half> to_half(const std::vector<float>& v) {
  std::vector<dev::half> h(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) h[i] = dev::from_float<dev::half>(v[i]);
  return h;
}

std::vector<float> to_floats(const std::vector<dev::half>& h) {
  std::vector<float> v(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) v[i] = dev::to_float(h[i]);
  return v;
}

// Values rounded to binary16 and back: the inputs both sides see.
std::vector<float> rounded(const std::vector<float>& v) { return to_floats(to_half(v)); }

// One half-step of als_solve_kernel<half> over every row of m against the
// CPU's double solve of the same binary16 inputs.
void fp16_rows(bool explicit_feedback, int users, int items, int f, std::size_t shared_limit, unsigned seed) {
  const Csr m = random_interactions(users, items, explicit_feedback ? 6 : 5, seed, 3, explicit_feedback);
  const auto Y = rounded(random_matrix(items, f, seed + 1, 0.3f));
  const auto other_bias = random_matrix(items, 1, seed + 2, 0.5f);
  const double mu = 4.2, lambda = explicit_feedback ? 0.05 : 0.1;
  const auto G = emu_test::gram_plus(Y, items, f, lambda);
  const std::vector<double> Gd(G.begin(), G.end());
  std::vector<float> cpu(static_cast<std::size_t>(users) * f, 0.0f), cpu_bias(static_cast<std::size_t>(users), 0.0f);
  std::vector<double> scratch(static_cast<std::size_t>(f + 1) * (f + 1) + (f + 1));
  for (int u = 0; u < users; ++u) {
    const auto* idx = m.indices.data() + m.indptr[u];
    const auto* val = m.values.data() + m.indptr[u];
    if (!explicit_feedback) {
      ASSERT_TRUE(als::implicit_row_cholesky(Gd.data(), Y.data(), f, idx, val, m.row_size(u), cpu.data() + u * f,
                                             scratch.data()));
    } else if (m.row_size(u) > 0) {  // an empty row is zero, as the CPU's half-step leaves it
      ASSERT_TRUE(als::explicit_row(Y.data(), other_bias.data(), mu, lambda, f, idx, val, m.row_size(u),
                                    cpu.data() + u * f, &cpu_bias[u], scratch.data()));
    }
  }
  const auto Yh = to_half(Y);
  std::vector<dev::half> X(cpu.size(), dev::half{0x7e00});  // NaN: every element must be written
  std::vector<float> bias(cpu_bias.size(), std::nanf(""));
  const gpu::RowSystem<dev::half> s{explicit_feedback ? nullptr : G.data(), Yh.data(), other_bias.data(), f,
                                    explicit_feedback ? 1 : 0, mu, lambda, m.indptr.data(), m.indices.data(),
                                    m.values.data()};
  gpu::SolveWork<dev::half> work;
  ASSERT_EQ(work.prepare(gpu::solve_unknowns(s), m.rows, shared_limit), 0);
  EXPECT_EQ(work.in_shared(), shared_limit > 0);
  ASSERT_EQ(work.half_step(s, m.rows, X.data(), explicit_feedback ? bias.data() : nullptr), 0);
  const auto got = to_floats(X);
  const std::string where = std::string(explicit_feedback ? "explicit" : "implicit") + ", f = " + std::to_string(f);
  int off = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!(std::abs(got[i] - cpu[i]) <= 0x1p-11f * std::abs(cpu[i]) + 0x1p-25f)) ++off;
  EXPECT_EQ(off, 0) << where << ": values that are not the CPU's solution rounded once to binary16";
  if (explicit_feedback) {  // fp32 biases: as close as with fp32 storage
    EXPECT_LE(max_diff(bias, cpu_bias), 1e-5f * max_abs(cpu_bias)) << where;
  }
}

TEST(EmuSolveFp16, ImplicitRowsAreTheCpuSolveRoundedOnce) {
  for (int f : {1, 7, 64}) fp16_rows(false, 37, 45, f, gpu::kSolveSharedLimit, 60u + f);
  fp16_rows(false, 19, 33, 64, 0, 61);  // the matrix in the global workspace
}

TEST(EmuSolveFp16, ExplicitRowsAreTheCpuSolveRoundedOnce) {
  for (int f : {1, 7, 64}) fp16_rows(true, 37, 45, f, gpu::kSolveSharedLimit, 70u + f);
  fp16_rows(true, 19, 33, 64, 0, 71);
}

// Ratings around 1e9 over item factors of about 0.01: the solutions are
// about 1e8, which fp32 holds and binary16 does not.
TEST(EmuSolveFp16, ASolutionBeyondBinary16IsOutOfRange) {
  const int users = 13, items = 17, f = 3;
  Csr m = random_interactions(users, items, 4, 80, 0, true);
  for (auto& v : m.values) v *= 1e9f;
  const auto Y = rounded(random_matrix(items, f, 81, 0.01f));
  const std::vector<float> other_bias(items, 0.0f);
  const gpu::RowSystem<float> s32{nullptr, Y.data(), other_bias.data(), f, 1, 0.0, 0.05, m.indptr.data(),
                                  m.indices.data(), m.values.data()};
  std::vector<float> X32(static_cast<std::size_t>(users) * f), bias(users);
  gpu::SolveWork<float> w32;
  ASSERT_EQ(w32.prepare(f + 1, users), 0);
  ASSERT_EQ(w32.half_step(s32, users, X32.data(), bias.data()), 0);
  EXPECT_GE(max_abs(X32), 65520.0f) << "the problem must overflow binary16";
  const auto Yh = to_half(Y);
  const gpu::RowSystem<dev::half> s16{nullptr, Yh.data(), other_bias.data(), f, 1, 0.0, 0.05, m.indptr.data(),
                                      m.indices.data(), m.values.data()};
  std::vector<dev::half> X16(X32.size());
  gpu::SolveWork<dev::half> w16;
  ASSERT_EQ(w16.prepare(f + 1, users), 0);
  EXPECT_EQ(w16.half_step(s16, users, X16.data(), bias.data()), SML_CUDA_OUT_OF_RANGE);
}

// CPU (fp32), device fp32 and device fp16 trainings from the same start.
void compare_training(Feedback feedback, int users, int items, int f, int iterations, double lambda,
                      unsigned seed) {
  const bool explicit_feedback = feedback == Feedback::kExplicit;
  const Csr ui = random_interactions(users, items, 5, seed, 3, explicit_feedback);
  AlsOptions o;
  o.feedback = feedback;
  o.solver = Solver::kCholesky;
  o.factors = f;
  o.iterations = iterations;
  o.regularization = lambda;
  o.threads = 1;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  const auto d32 = emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP32);
  const auto d16 = emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP16);
  const std::string where = std::string(explicit_feedback ? "explicit" : "implicit cholesky") +
                            ", f = " + std::to_string(f);
  ASSERT_EQ(d32.status, 0) << where;
  ASSERT_EQ(d16.status, 0) << where;
  double loss_gap = 0;
  for (int it = 0; it < iterations; ++it) {
    EXPECT_NEAR(d16.loss[it], cpu.loss[it], 1e-3 * cpu.loss[it]) << where << ", iteration " << it + 1;
    EXPECT_NEAR(d16.loss[it], d32.loss[it], 1e-3 * d32.loss[it]) << where << ", iteration " << it + 1;
    loss_gap = std::max(loss_gap, std::abs(d16.loss[it] - cpu.loss[it]) / cpu.loss[it]);
    if (it > 0) {
      EXPECT_LE(d16.loss[it], d16.loss[it - 1]) << where << ": the loss rose at " << it + 1;
    }
  }
  struct Pair {
    const char* name;
    const std::vector<float>& h;
    const std::vector<float>& cpu;
    const std::vector<float>& d32;
  };
  std::vector<Pair> pairs{{"user factors", d16.user, cpu.user, d32.user}, {"item factors", d16.item, cpu.item, d32.item}};
  if (explicit_feedback) {
    pairs.push_back({"user biases", d16.user_bias, cpu.user_bias, d32.user_bias});
    pairs.push_back({"item biases", d16.item_bias, cpu.item_bias, d32.item_bias});
  }
  std::printf("%s fp16: loss within %.2g relative of the CPU's;", where.c_str(), loss_gap);
  for (const Pair& p : pairs) {
    const float vs_cpu = max_diff(p.h, p.cpu) / max_abs(p.cpu), vs_d32 = max_diff(p.h, p.d32) / max_abs(p.d32);
    EXPECT_LE(vs_cpu, 1e-2f) << where << ": " << p.name << " against the CPU";
    EXPECT_LE(vs_d32, 1e-2f) << where << ": " << p.name << " against fp32 storage";
    std::printf(" %s %.2g (CPU) %.2g (fp32)", p.name, double(vs_cpu), double(vs_d32));
  }
  std::printf("\n");
  for (const auto* v : {&d16.user, &d16.item})
    for (float x : *v) ASSERT_EQ(dev::half_value(dev::half_bits(x)), x) << where << ": not a binary16 value";
  for (std::int64_t i = items - 3; i < items; ++i) {  // items nobody chose: an empty row solves to zero
    for (int j = 0; j < f; ++j) EXPECT_EQ(d16.item[i * f + j], 0.0f) << where << ", unchosen item " << i;
    if (explicit_feedback) {
      EXPECT_EQ(d16.item_bias[i], 0.0f) << where << ", unrated item " << i;
    }
  }
}

TEST(EmuSolveFp16, ImplicitCholeskyTrainingStaysNearFp32) {
  compare_training(Feedback::kImplicit, 30, 23, 1, 3, 0.1, 91);
  compare_training(Feedback::kImplicit, 45, 37, 7, 3, 0.1, 92);
}

TEST(EmuSolveFp16, ImplicitCholeskyTrainingAt64Factors) {
  compare_training(Feedback::kImplicit, 21, 19, 64, 2, 1.0, 93);
}

TEST(EmuSolveFp16, ExplicitTrainingStaysNearFp32) {
  compare_training(Feedback::kExplicit, 30, 23, 1, 3, 0.05, 94);
  compare_training(Feedback::kExplicit, 45, 37, 7, 3, 0.05, 95);
}

TEST(EmuSolveFp16, ExplicitTrainingAt64Factors) {
  compare_training(Feedback::kExplicit, 21, 19, 64, 2, 0.05, 96);
}

TEST(EmuSolveFp16, OverflowInTrainingIsOutOfRange) {
  AlsOptions o;
  o.feedback = Feedback::kExplicit;
  o.factors = 4;
  o.iterations = 2;
  o.regularization = 0.05;
  o.threads = 1;
  Csr ui = random_interactions(20, 30, 4, 97, 0, true);
  // Starting factors beyond binary16: refused at upload.
  EXPECT_EQ(emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP16, 1e7f).status, SML_CUDA_OUT_OF_RANGE);
  // Ratings a million times larger: user factors reach about 5e5, which fp32
  // storage trains and binary16 cannot hold.
  for (auto& v : ui.values) v *= 1e6f;
  EXPECT_EQ(emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP16).status, SML_CUDA_OUT_OF_RANGE);
  const auto d32 = emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP32);
  ASSERT_EQ(d32.status, 0);
  EXPECT_GE(max_abs(d32.user), 65520.0f) << "the problem must overflow binary16";
  o.feedback = Feedback::kImplicit;
  o.solver = Solver::kCholesky;
  ui = random_interactions(20, 30, 4, 98, 0);
  EXPECT_EQ(emu_test::train_solve_emulated(ui, o, SML_PRECISION_FP16, 1e7f).status, SML_CUDA_OUT_OF_RANGE);
}

}  // namespace
