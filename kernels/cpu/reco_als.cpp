#include "supplyml/reco_als.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>

#include "supplyml/error.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/reco_solve.hpp"

namespace supplyml {

Solver parse_solver(const std::string& s) {
  if (s == "cg") return Solver::kCg;
  if (s == "cholesky") return Solver::kCholesky;
  invalid_parameter("unknown solver \"" + s + "\"",
                    "The inner solver is \"cg\" (conjugate gradient, fast) or \"cholesky\" (exact).",
                    "Set \"solver\" to \"cg\" or \"cholesky\".");
}

Precision parse_precision(const std::string& s) {
  if (s == "fp32") return Precision::kFp32;
  if (s == "fp16") return Precision::kFp16;
  invalid_parameter("unknown precision \"" + s + "\"",
                    "Factors are stored on the GPU as \"fp32\" or \"fp16\" (half precision, fp32 arithmetic).",
                    "Set \"precision\" to \"fp32\" or \"fp16\".");
}

const char* precision_name(Precision p) { return p == Precision::kFp16 ? "fp16" : "fp32"; }

void validate(const AlsOptions& o) {
  auto need = [](bool ok, const std::string& msg, const std::string& detail, const std::string& hint) {
    if (!ok) invalid_parameter(msg, detail, hint);
  };
  need(o.factors >= 1 && o.factors <= 1024, "factors must be between 1 and 1024",
       "factors is " + std::to_string(o.factors) + ".", "Pass factors => 64 or another value in range.");
  need(o.iterations >= 1 && o.iterations <= 1000, "iterations must be between 1 and 1000",
       "iterations is " + std::to_string(o.iterations) + ".", "Pass iterations => 15 or another value in range.");
  need(std::isfinite(o.regularization) && o.regularization > 0, "regularization must be positive",
       "regularization is " + std::to_string(o.regularization) + "; without it the normal equations can be singular.",
       "Pass regularization => 0.01 or another positive value.");
  need(o.regularization <= kMaxRegularization, "regularization must be at most 1e6",
       "regularization is " + std::to_string(o.regularization) + "; beyond 1e6 every factor is driven to zero.",
       "Pass regularization => 0.01 or another value in range.");
  need(std::isfinite(o.alpha) && o.alpha > 0, "alpha must be positive",
       "alpha is " + std::to_string(o.alpha) + ".", "Pass alpha => 1 or another positive value.");
  need(o.alpha <= kMaxAlpha, "alpha must be at most 1e6",
       "alpha is " + std::to_string(o.alpha) + "; confidences that large overflow single precision.",
       "Pass alpha => 1 or another value in range, or use scaling \"log\".");
  need(std::isfinite(o.epsilon) && o.epsilon > 0, "epsilon must be positive",
       "epsilon is " + std::to_string(o.epsilon) + ".", "Set \"epsilon\" to a positive value.");
  need(o.cg_steps >= 1 && o.cg_steps <= 100, "cg_steps must be between 1 and 100",
       "cg_steps is " + std::to_string(o.cg_steps) + ".", "Set \"cg_steps\" to 3 or another value in range.");
}

void als_diverged(int iteration) {
  throw Error(sqlstate::kNumericOutOfRange, "matrix factorization diverged",
              "The loss is not finite after iteration " + std::to_string(iteration) +
                  ": weights, alpha or regularization overflow single-precision factors.",
              "Scale the weights down, lower alpha, or use scaling \"log\".");
}

void als_not_positive_definite() {
  invalid_parameter("the normal equations are not positive definite",
                    "A row's least-squares system could not be factored.",
                    "Increase regularization.");
}

namespace {

std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Small positive starting values, a pure function of (seed, side, row, column).
template <class T>
void init_factors(std::vector<T>& v, std::int64_t rows, int f, std::uint64_t seed, std::uint64_t side,
                  Interrupt& interrupt) {
  v.resize(static_cast<std::size_t>(rows) * f);
  const std::uint64_t base = splitmix64(seed ^ (side * 0x632be59bd9b4e019ULL));
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (k % (std::size_t{1} << 22) == 0) interrupt.poll();  // a large model is seconds of this
    const double u = static_cast<double>(splitmix64(base + k) >> 11) * 0x1.0p-53;
    v[k] = static_cast<T>(0.01 * u);
  }
}

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Y^T Y in double, row-major f x f: blocks of rows in parallel, their sums
// added in block order so the result does not depend on the thread count.
template <class T>
std::vector<double> gram(const std::vector<T>& Y, std::int64_t rows, int f, int threads,
                         Interrupt& interrupt) {
  Eigen::Map<const RowMat<T>> y(Y.data(), rows, f);
  // About 2^25 multiply-adds per block (2048 rows at f = 128, 32 at f = 1024),
  // so that the Interrupt is polled at least every few tens of milliseconds.
  const std::int64_t kBlock = std::clamp<std::int64_t>((std::int64_t{1} << 25) / (std::int64_t{f} * f), 16, 2048);
  const auto blocks = static_cast<std::size_t>((rows + kBlock - 1) / kBlock);
  std::vector<Eigen::MatrixXd> part(blocks);
  parallel_for(blocks, threads, interrupt, [&](std::size_t b0, std::size_t b1, int) {
    for (std::size_t b = b0; b < b1; ++b) {
      const auto r = static_cast<std::int64_t>(b) * kBlock;
      const Eigen::MatrixXd yd = y.middleRows(r, std::min(kBlock, rows - r)).template cast<double>();
      part[b] = Eigen::MatrixXd::Zero(f, f);
      part[b].template selfadjointView<Eigen::Lower>().rankUpdate(yd.transpose());
    }
  });
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(f, f);
  for (const auto& p : part) g += p;
  std::vector<double> out(static_cast<std::size_t>(f) * f);
  for (int i = 0; i < f; ++i)
    for (int j = 0; j <= i; ++j)
      out[static_cast<std::size_t>(i) * f + j] = out[static_cast<std::size_t>(j) * f + i] = g(i, j);
  return out;
}

std::vector<double> plus_diagonal(std::vector<double> g, int f, double lambda) {
  for (int i = 0; i < f; ++i) g[static_cast<std::size_t>(i) * f + i] += lambda;
  return g;
}

struct HalfStep {
  const Csr* m;
  int f;
  const AlsOptions* o;
  const std::vector<double>* G;  // implicit, Cholesky: Y^T Y + lambda I
  const void* Gt;                // implicit, CG: the same in the factor type
  std::vector<double>* scratch;  // one per worker
};

// Solves rows [begin, end). Always inlined into the clones below, so that the
// loops are compiled once per instruction set.
template <class T>
__attribute__((always_inline)) inline void solve_rows(const HalfStep& h, std::size_t begin, std::size_t end,
                                                      T* X, const T* Y, T* x_bias, const T* y_bias,
                                                      double mu, int w) {
  const Csr& m = *h.m;
  const int f = h.f;
  const AlsOptions& o = *h.o;
  double* s = h.scratch[w].data();
  for (std::size_t r = begin; r < end; ++r) {
    const auto p0 = m.indptr[r];
    const auto nnz = m.indptr[r + 1] - p0;
    T* x = X + r * f;
    const auto* idx = m.indices.data() + p0;
    const auto* val = m.values.data() + p0;
    if (o.feedback == Feedback::kImplicit) {
      if (o.solver == Solver::kCg)
        als::implicit_row_cg(static_cast<const T*>(h.Gt), Y, f, idx, val, nnz, x, o.cg_steps,
                             reinterpret_cast<T*>(s));
      else if (!als::implicit_row_cholesky(h.G->data(), Y, f, idx, val, nnz, x, s))
        als_not_positive_definite();
    } else if (nnz == 0) {
      std::fill(x, x + f, T(0));
      x_bias[r] = T(0);
    } else if (!als::explicit_row(Y, y_bias, mu, o.regularization, f, idx, val, nnz, x, &x_bias[r], s)) {
      als_not_positive_definite();
    }
  }
}

// One entry point per factor type, cloned for AVX-512, AVX2 and the baseline
// instruction set; the loader picks the best one the CPU has.
SML_ISA_CLONES void solve_rows_f32(const HalfStep& h, std::size_t b, std::size_t e, float* X, const float* Y,
                               float* xb, const float* yb, double mu, int w) {
  solve_rows<float>(h, b, e, X, Y, xb, yb, mu, w);
}
SML_ISA_CLONES void solve_rows_f64(const HalfStep& h, std::size_t b, std::size_t e, double* X, const double* Y,
                               double* xb, const double* yb, double mu, int w) {
  solve_rows<double>(h, b, e, X, Y, xb, yb, mu, w);
}

// Rows per chunk of a half-step.
std::size_t row_grain(const Csr& m, const AlsOptions& o) {
  const int f = o.factors;
  // Rows per chunk from the cost of an average row (its f x f system built
  // from its interactions, then f^3/3 for a factorization or cg_steps
  // products), about 2^24 multiply-adds a chunk: the Interrupt is polled
  // between chunks, so a large factor count must not mean seconds per chunk.
  const double avg_nnz = m.rows > 0 ? static_cast<double>(m.nnz()) / static_cast<double>(m.rows) : 0;
  const double row_cost = static_cast<double>(f) * f * (avg_nnz + (by_cg(o) ? o.cg_steps : f / 3.0)) + 1;
  return static_cast<std::size_t>(std::clamp(16777216.0 / row_cost, 1.0, 64.0));
}

// One half-step: solve every row of X given Y.
template <class T>
void half_step(const Csr& m, std::vector<T>& X, const std::vector<T>& Y, const std::vector<double>& gram_y,
               std::vector<T>* x_bias, const std::vector<T>* y_bias, double mu, const AlsOptions& o,
               Interrupt& interrupt) {
  const int f = o.factors;
  const int threads = resolve_threads(o.threads);
  std::vector<double> G;
  std::vector<T> Gt;
  if (o.feedback == Feedback::kImplicit) {
    G = plus_diagonal(gram_y, f, o.regularization);
    Gt.assign(G.begin(), G.end());
  }
  const std::size_t rows = static_cast<std::size_t>(m.rows);
  const auto grain = row_grain(m, o);
  // One scratch block per worker actually started (never more than chunks).
  const std::size_t scratch_size = static_cast<std::size_t>(f + 1) * (f + 1) + 4 * (f + 1);
  std::vector<std::vector<double>> scratch(static_cast<std::size_t>(parallel_workers(rows, threads, grain)),
                                           std::vector<double>(scratch_size));
  const HalfStep h{&m, f, &o, &G, Gt.data(), scratch.data()};
  T* xb = x_bias->empty() ? nullptr : x_bias->data();
  const T* yb = y_bias->empty() ? nullptr : y_bias->data();
  parallel_for(
      rows, threads, interrupt,
      [&](std::size_t begin, std::size_t end, int w) {
        if constexpr (std::is_same_v<T, float>)
          solve_rows_f32(h, begin, end, X.data(), Y.data(), xb, yb, mu, w);
        else
          solve_rows_f64(h, begin, end, X.data(), Y.data(), xb, yb, mu, w);
      },
      grain);
}

}  // namespace

namespace {

// The objective given the Gram matrices of the current factors (implicit).
template <class T>
double objective(const Csr& ui, const AlsFactors<T>& m, const AlsOptions& o, int threads,
                 Interrupt& interrupt, const std::vector<double>& gx, const std::vector<double>& gy) {
  const int f = m.factors;
  std::vector<double> per_row(static_cast<std::size_t>(ui.rows), 0.0);
  const bool impl = o.feedback == Feedback::kImplicit;
  parallel_for(
      static_cast<std::size_t>(ui.rows), threads, interrupt,
      [&](std::size_t begin, std::size_t end, int) {
        for (std::size_t u = begin; u < end; ++u) {
          const T* x = m.user.data() + u * f;
          double acc = 0;
          for (auto p = ui.indptr[u]; p < ui.indptr[u + 1]; ++p) {
            const std::int64_t i = ui.indices[p];
            const double s = als::dot16(x, m.item.data() + i * f, f);
            const double v = ui.values[p];
            if (impl) {
              acc += v * (1 - s) * (1 - s) - s * s;  // observed cell replaces its 1 * s^2 term
            } else {
              const double e = v - m.global_mean - m.user_bias[u] - m.item_bias[i] - s;
              acc += e * e;
            }
          }
          per_row[u] = acc;
        }
      },
      256);
  double J = 0;
  for (double v : per_row) J += v;  // fixed order: deterministic
  Eigen::Map<const RowMat<T>> X(m.user.data(), m.users, f), Y(m.item.data(), m.items, f);
  if (impl) {
    // sum over every cell of s^2 = trace((Y^T Y)(X^T X)).
    for (std::size_t k = 0; k < gy.size(); ++k) J += gy[k] * gx[k];
    J += o.regularization * (X.template cast<double>().squaredNorm() + Y.template cast<double>().squaredNorm());
  } else {
    double reg = 0;
    for (std::int64_t u = 0; u < m.users; ++u)
      reg += static_cast<double>(ui.row_size(u)) *
             (X.row(u).template cast<double>().squaredNorm() + double(m.user_bias[u]) * m.user_bias[u]);
    std::vector<std::int64_t> n_i(static_cast<std::size_t>(m.items), 0);
    for (auto i : ui.indices) ++n_i[i];
    for (std::int64_t i = 0; i < m.items; ++i)
      reg += static_cast<double>(n_i[i]) *
             (Y.row(i).template cast<double>().squaredNorm() + double(m.item_bias[i]) * m.item_bias[i]);
    J += o.regularization * reg;
  }
  return J;
}

}  // namespace

template <class T>
double als_objective(const Csr& ui, const AlsFactors<T>& m, const AlsOptions& o, int threads,
                     Interrupt& interrupt) {
  std::vector<double> gx, gy;
  if (o.feedback == Feedback::kImplicit) {
    gx = gram(m.user, m.users, m.factors, threads, interrupt);
    gy = gram(m.item, m.items, m.factors, threads, interrupt);
  }
  return objective(ui, m, o, threads, interrupt, gx, gy);
}

template <class T>
AlsFactors<T> als_start(const Csr& ui, const AlsOptions& o, Interrupt& interrupt, double* loss_norm) {
  validate(o);
  if (ui.nnz() == 0)
    data_error("no interactions to train on", "Every interaction was empty or had weight 0.",
               "Check the source query.");
  const int f = o.factors;
  AlsFactors<T> m;
  m.users = ui.rows;
  m.items = ui.cols;
  m.factors = f;
  init_factors(m.user, m.users, f, o.seed, 1, interrupt);
  init_factors(m.item, m.items, f, o.seed, 2, interrupt);
  if (o.feedback == Feedback::kImplicit) {
    *loss_norm = static_cast<double>(m.users) * static_cast<double>(m.items);
    for (float c : ui.values) *loss_norm += c - 1.0;
  } else {
    m.user_bias.assign(static_cast<std::size_t>(m.users), T(0));
    m.item_bias.assign(static_cast<std::size_t>(m.items), T(0));
    double sum = 0;
    for (float r : ui.values) sum += r;
    m.global_mean = sum / static_cast<double>(ui.nnz());
    *loss_norm = static_cast<double>(ui.nnz());
  }
  return m;
}

template <class T>
AlsFactors<T> als_train(const Csr& ui, const AlsOptions& o, Interrupt& interrupt) {
  double norm = 0;
  AlsFactors<T> m = als_start<T>(ui, o, interrupt, &norm);
  const int f = o.factors;
  const Csr iu = ui.transpose(o.threads);
  const bool impl = o.feedback == Feedback::kImplicit;
  const int threads = resolve_threads(o.threads);
  // Implicit: each Gram matrix serves one half-step and the loss.
  std::vector<double> gx, gy;
  if (impl) gy = gram(m.item, m.items, f, threads, interrupt);
  for (int it = 0; it < o.iterations; ++it) {
    interrupt.poll();
    half_step(ui, m.user, m.item, gy, &m.user_bias, &m.item_bias, m.global_mean, o, interrupt);
    interrupt.poll();
    if (impl) gx = gram(m.user, m.users, f, threads, interrupt);
    half_step(iu, m.item, m.user, gx, &m.item_bias, &m.user_bias, m.global_mean, o, interrupt);
    interrupt.poll();
    if (impl) gy = gram(m.item, m.items, f, threads, interrupt);
    const double loss = objective(ui, m, o, threads, interrupt, gx, gy) / norm;
    if (!std::isfinite(loss)) als_diverged(it + 1);
    m.loss.push_back(loss);
    if (o.on_iteration) o.on_iteration(it + 1, loss);
  }
  return m;
}

template AlsFactors<float> als_start<float>(const Csr&, const AlsOptions&, Interrupt&, double*);
template AlsFactors<float> als_train<float>(const Csr&, const AlsOptions&, Interrupt&);
template AlsFactors<double> als_train<double>(const Csr&, const AlsOptions&, Interrupt&);
template double als_objective<float>(const Csr&, const AlsFactors<float>&, const AlsOptions&, int, Interrupt&);
template double als_objective<double>(const Csr&, const AlsFactors<double>&, const AlsOptions&, int, Interrupt&);

}  // namespace supplyml
