// ALS against independent references: every row of the Cholesky solver equals
// an Eigen solve of that row's normal equations; CG reaches the Cholesky
// objective; the objective never increases; results depend on the seed only.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "supplyml/error.hpp"
#include "supplyml/reco_als.hpp"

namespace {

using supplyml::AlsFactors;
using supplyml::AlsOptions;
using supplyml::Csr;
using supplyml::Feedback;
using supplyml::Interrupt;
using supplyml::Solver;

// A random users x items matrix with about `density` of the cells set to
// weights 1..5, every row and column non-empty.
Csr random_matrix(int users, int items, double density, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u01(0, 1);
  std::uniform_int_distribution<int> w(1, 5);
  std::vector<std::int32_t> r, c;
  std::vector<double> v;
  for (int a = 0; a < users; ++a)
    for (int b = 0; b < items; ++b)
      if (u01(gen) < density || a % items == b || b % users == a) {
        r.push_back(a);
        c.push_back(b);
        v.push_back(w(gen));
      }
  return supplyml::build_csr(users, items, r, c, v);
}

Eigen::MatrixXd as_matrix(const std::vector<double>& v, std::int64_t rows, int f) {
  Eigen::MatrixXd m(rows, f);
  for (std::int64_t i = 0; i < rows; ++i)
    for (int j = 0; j < f; ++j) m(i, j) = v[i * f + j];
  return m;
}

// Each row of `solved` against (X^T X + lambda I + sum (c-1) x x^T) y = sum c x,
// where m is the transposed (item x user) matrix of confidences.
double implicit_row_error(const Csr& m, const Eigen::MatrixXd& X, const Eigen::MatrixXd& solved,
                          double lambda) {
  const int f = static_cast<int>(X.cols());
  double worst = 0;
  for (std::int64_t i = 0; i < m.rows; ++i) {
    Eigen::MatrixXd A = X.transpose() * X + lambda * Eigen::MatrixXd::Identity(f, f);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(f);
    for (auto p = m.indptr[i]; p < m.indptr[i + 1]; ++p) {
      const Eigen::VectorXd x = X.row(m.indices[p]).transpose();
      const double c = m.values[p];
      A += (c - 1) * x * x.transpose();
      b += c * x;
    }
    const Eigen::VectorXd y = A.ldlt().solve(b);
    worst = std::max(worst, (y - solved.row(i).transpose()).cwiseAbs().maxCoeff());
  }
  return worst;
}

AlsOptions small_options(Feedback fb, Solver s) {
  AlsOptions o;
  o.feedback = fb;
  o.solver = s;
  o.factors = 4;
  o.iterations = 8;
  o.regularization = 0.1;
  o.alpha = 2.0;
  o.threads = 2;
  return o;
}

TEST(RecoAls, CholeskyRowsEqualEigenSolveOfNormalEquations) {
  Csr ui = random_matrix(30, 20, 0.2, 7);
  supplyml::to_confidence(ui, 2.0, supplyml::Scaling::kLinear, 1.0);
  const auto o = small_options(Feedback::kImplicit, Solver::kCholesky);
  Interrupt intr;
  // The last half-step solves items given the final user factors; training the
  // transposed matrix makes the users the last-solved side.
  for (int side = 0; side < 2; ++side) {
    const Csr m = side == 0 ? ui : ui.transpose();
    const auto fit = supplyml::als_train<double>(m, o, intr);
    const auto X = as_matrix(fit.user, fit.users, o.factors);
    const auto Y = as_matrix(fit.item, fit.items, o.factors);
    EXPECT_LT(implicit_row_error(m.transpose(), X, Y, o.regularization), 1e-8) << "side " << side;
  }
}

TEST(RecoAls, ExplicitRowsEqualEigenSolveWithBiasesAndWeightedRegularization) {
  const Csr ui = random_matrix(25, 15, 0.3, 11);
  const auto o = small_options(Feedback::kExplicit, Solver::kCholesky);
  Interrupt intr;
  const auto fit = supplyml::als_train<double>(ui, o, intr);
  const int f = o.factors;
  const auto X = as_matrix(fit.user, fit.users, f);
  const Csr iu = ui.transpose();
  double worst = 0;
  for (std::int64_t i = 0; i < iu.rows; ++i) {
    const auto n = iu.row_size(i);
    Eigen::MatrixXd A = o.regularization * n * Eigen::MatrixXd::Identity(f + 1, f + 1);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(f + 1);
    for (auto p = iu.indptr[i]; p < iu.indptr[i + 1]; ++p) {
      const auto u = iu.indices[p];
      Eigen::VectorXd z(f + 1);
      z << X.row(u).transpose(), 1.0;
      A += z * z.transpose();
      b += (iu.values[p] - fit.global_mean - fit.user_bias[u]) * z;
    }
    const Eigen::VectorXd sol = A.ldlt().solve(b);
    for (int j = 0; j < f; ++j) worst = std::max(worst, std::abs(sol(j) - fit.item[i * f + j]));
    worst = std::max(worst, std::abs(sol(f) - fit.item_bias[i]));
  }
  EXPECT_LT(worst, 1e-8);
  double mean = 0;
  for (float v : ui.values) mean += v;
  EXPECT_NEAR(fit.global_mean, mean / ui.nnz(), 1e-12);
}

TEST(RecoAls, ConjugateGradientReachesCholeskyObjective) {
  Csr ui = random_matrix(40, 30, 0.15, 3);
  supplyml::to_confidence(ui, 2.0, supplyml::Scaling::kLinear, 1.0);
  auto o = small_options(Feedback::kImplicit, Solver::kCholesky);
  o.iterations = 200;
  Interrupt intr;
  const auto exact = supplyml::als_train<double>(ui, o, intr);
  o.solver = Solver::kCg;
  o.cg_steps = 3;
  const auto cg = supplyml::als_train<double>(ui, o, intr);
  const double je = supplyml::als_objective(ui, exact, o, 1, intr);
  const double jc = supplyml::als_objective(ui, cg, o, 1, intr);
  EXPECT_LT(std::abs(jc - je) / je, 1e-4) << "cholesky " << je << " cg " << jc;
}

TEST(RecoAls, ObjectiveNeverIncreases) {
  Csr ui = random_matrix(50, 40, 0.1, 5);
  Csr conf = ui;
  supplyml::to_confidence(conf, 5.0, supplyml::Scaling::kLog, 1.0);
  Interrupt intr;
  for (auto fb : {Feedback::kImplicit, Feedback::kExplicit}) {
    for (auto s : {Solver::kCholesky, Solver::kCg}) {
      if (fb == Feedback::kExplicit && s == Solver::kCg) continue;
      auto o = small_options(fb, s);
      o.iterations = 20;
      o.factors = 6;
      const auto fit = supplyml::als_train<float>(fb == Feedback::kImplicit ? conf : ui, o, intr);
      ASSERT_EQ(fit.loss.size(), 20u);
      for (std::size_t k = 1; k < fit.loss.size(); ++k)
        EXPECT_LE(fit.loss[k], fit.loss[k - 1] * (1 + 1e-6)) << "iteration " << k + 1;
      EXPECT_LT(fit.loss.back(), fit.loss.front());
    }
  }
}

TEST(RecoAls, SameSeedSameFactorsWhateverTheThreadCount) {
  Csr ui = random_matrix(300, 120, 0.05, 9);
  supplyml::to_confidence(ui, 1.0, supplyml::Scaling::kLinear, 1.0);
  auto o = small_options(Feedback::kImplicit, Solver::kCg);
  Interrupt intr;
  o.threads = 1;
  const auto a = supplyml::als_train<float>(ui, o, intr);
  o.threads = 3;
  const auto b = supplyml::als_train<float>(ui, o, intr);
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.loss, b.loss);
  o.seed = 43;
  const auto c = supplyml::als_train<float>(ui, o, intr);
  EXPECT_NE(a.user, c.user);
}

TEST(RecoAls, CancelStopsTraining) {
  Csr ui = random_matrix(50, 40, 0.1, 5);
  supplyml::to_confidence(ui, 1.0, supplyml::Scaling::kLinear, 1.0);
  int calls = 0;
  Interrupt intr([&] { return ++calls > 3; });
  auto o = small_options(Feedback::kImplicit, Solver::kCg);
  o.iterations = 100;
  EXPECT_THROW(supplyml::als_train<float>(ui, o, intr), supplyml::Cancelled);
}

TEST(RecoAls, RejectsBadOptions) {
  const Csr ui = random_matrix(5, 5, 0.5, 1);
  Interrupt intr;
  auto o = small_options(Feedback::kImplicit, Solver::kCg);
  o.factors = 0;
  EXPECT_THROW(supplyml::als_train<float>(ui, o, intr), supplyml::Error);
  o = small_options(Feedback::kImplicit, Solver::kCg);
  o.regularization = 0;
  EXPECT_THROW(supplyml::als_train<float>(ui, o, intr), supplyml::Error);
  EXPECT_THROW(supplyml::parse_solver("lu"), supplyml::Error);
}

}  // namespace
