// Alternating least squares for implicit and explicit feedback.
//
// Each iteration solves every user's row given the item factors, then every
// item's row given the user factors (parallel_for over rows; the per-row
// arithmetic is in reco_solve.hpp). Rows are independent and initialised from
// a hash of (seed, row, column), so the result depends on the seed only, never
// on the thread count. The Interrupt is polled between half-iterations and by
// parallel_for between chunks of rows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "supplyml/interrupt.hpp"
#include "supplyml/reco_csr.hpp"

namespace supplyml {

enum class Solver { kCg, kCholesky };
Solver parse_solver(const std::string& s);

// How the GPU path stores factors on the device: fp32, or fp16 (binary16
// storage, fp32 arithmetic). The CPU path always computes in fp32.
enum class Precision { kFp32, kFp16 };
Precision parse_precision(const std::string& s);
const char* precision_name(Precision p);

struct AlsOptions {
  Feedback feedback = Feedback::kImplicit;
  int factors = 64;
  int iterations = 15;
  double regularization = 0.01;
  double alpha = 1.0;  // implicit: confidence 1 + alpha * w
  Scaling scaling = Scaling::kLinear;
  double epsilon = 1.0;  // log scaling: 1 + alpha * log(1 + w / epsilon)
  Solver solver = Solver::kCg;
  int cg_steps = 3;
  Precision precision = Precision::kFp32;  // requested; the GPU path honours it
  std::uint64_t seed = 42;
  int threads = 0;  // 0 = every core
  // Called on the calling thread after each iteration with its loss.
  std::function<void(int iteration, double loss)> on_iteration;
};

// Whether a training solves each row by conjugate gradient (implicit
// feedback with the cg solver); otherwise every row's system is factored
// exactly (the cholesky solver, and explicit feedback, whose rows are always
// solved exactly).
inline bool by_cg(const AlsOptions& o) { return o.feedback == Feedback::kImplicit && o.solver == Solver::kCg; }

// Upper limits of regularization and alpha (validate enforces them).
inline constexpr double kMaxRegularization = 1e6;
inline constexpr double kMaxAlpha = 1e6;

// Rejects out-of-range options with invalid_parameter errors.
void validate(const AlsOptions& o);

// The errors of a training, on the CPU or a GPU: a loss that is not finite
// after `iteration` (22003), and a row whose normal equations could not be
// factored (22023).
[[noreturn]] void als_diverged(int iteration);
[[noreturn]] void als_not_positive_definite();

template <class T>
struct AlsFactors {
  std::int64_t users = 0, items = 0;
  int factors = 0;
  std::vector<T> user;  // users x factors, row-major
  std::vector<T> item;  // items x factors, row-major
  std::vector<T> user_bias, item_bias;  // explicit only
  double global_mean = 0;               // explicit only
  std::vector<double> loss;             // one per iteration
};

// The starting point of als_train, shared with the GPU path so that both follow
// one path: validates the options, refuses a matrix without interactions, and
// returns the shape, the starting factors (small positive values, a pure
// function of seed, side, row and column), and for explicit feedback zero
// biases and the global mean. *loss_norm receives the divisor of the reported
// loss: users * items + sum (c_ui - 1) (implicit) or the number of ratings.
template <class T>
AlsFactors<T> als_start(const Csr& ui, const AlsOptions& o, Interrupt& interrupt, double* loss_norm);

// ui holds confidences (implicit, after to_confidence) or ratings (explicit).
template <class T>
AlsFactors<T> als_train(const Csr& ui, const AlsOptions& o, Interrupt& interrupt);

// The objective ALS minimises, not normalised:
//  implicit: sum over all cells c_ui (p_ui - x_u.y_i)^2 + lambda (|X|^2 + |Y|^2)
//  explicit: sum over ratings (r_ui - mu - b_u - b_i - x_u.y_i)^2
//            + lambda (sum_u n_u (|x_u|^2 + b_u^2) + sum_i n_i (|y_i|^2 + b_i^2))
// The loss reported per iteration divides it by the total confidence
// (implicit: users * items + sum (c_ui - 1)) or by the number of ratings.
template <class T>
double als_objective(const Csr& ui, const AlsFactors<T>& m, const AlsOptions& o, int threads,
                     Interrupt& interrupt);

}  // namespace supplyml
