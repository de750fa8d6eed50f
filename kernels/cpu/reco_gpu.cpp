#include "supplyml/reco_gpu.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "supplyml/error.hpp"

namespace supplyml {

namespace {

// Implicit feedback with the cg solver trains through als_train; the exact
// solves (the cholesky solver, and explicit feedback, whose rows are always
// solved exactly) through als_solve.
bool by_cg(const AlsOptions& o) { return o.feedback == Feedback::kImplicit && o.solver == Solver::kCg; }

sml_csr view(const Csr& m) {
  return {m.rows, m.cols, reinterpret_cast<const long long*>(m.indptr.data()), m.indices.data(), m.values.data()};
}

// Polled by the module between half-iterations; never throws across it.
int should_stop(void* ctx) { return static_cast<Interrupt*>(ctx)->check() ? 1 : 0; }

}  // namespace

sml_als_problem als_problem(const Csr& ui, const Csr& iu, const AlsOptions& o, double loss_norm,
                            double global_mean) {
  sml_als_problem p{};
  p.ui = view(ui);
  p.iu = view(iu);
  p.factors = o.factors;
  p.iterations = o.iterations;
  p.cg_steps = o.cg_steps;
  p.feedback = o.feedback == Feedback::kExplicit ? SML_FEEDBACK_EXPLICIT : SML_FEEDBACK_IMPLICIT;
  p.solver = o.solver == Solver::kCholesky ? SML_SOLVER_CHOLESKY : SML_SOLVER_CG;
  p.precision = SML_PRECISION_FP32;
  p.regularization = o.regularization;
  p.loss_norm = loss_norm;
  p.global_mean = global_mean;
  return p;
}

bool gpu_can_train(const sml_cuda_api* api, const AlsOptions& o) {
  if (api == nullptr) return false;
  return by_cg(o) ? api->als_train != nullptr : api->als_solve != nullptr;
}

int als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o, Interrupt& interrupt,
                  AlsFactors<float>* out_factors) {
  validate(o);  // option errors first, as on the CPU
  if (!gpu_can_train(api, o))
    throw Error(sqlstate::kFeatureNotSupported, "matrix factorization has no GPU path for these options",
                "The CUDA module has no GPU path for " +
                    std::string(by_cg(o) ? "the \"cg\" solver." : "exact solves (explicit feedback or the \"cholesky\" solver)."),
                "Set supplyml.device to 'cpu' or 'auto', or install the CUDA module of this version of supplyml.");
  double norm = 0;
  AlsFactors<float> m = als_start<float>(ui, o, interrupt, &norm);
  const Csr iu = ui.transpose();
  sml_als_problem p = als_problem(ui, iu, o, norm, m.global_mean);
  p.should_stop = should_stop;
  p.stop_ctx = &interrupt;
  std::vector<double> loss(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_out out{m.user.data(), m.item.data(), loss.data(), 0, nullptr, nullptr};
  if (o.feedback == Feedback::kExplicit) {
    out.user_bias = m.user_bias.data();
    out.item_bias = m.item_bias.data();
  }
  const int status = by_cg(o) ? api->als_train(device, &p, &out) : api->als_solve(device, &p, &out);
  if (status == SML_CUDA_STOPPED) {
    interrupt.poll();
    throw Cancelled();
  }
  if (status == SML_CUDA_NOT_POSITIVE_DEFINITE) als_not_positive_definite();  // as the CPU would say
  if (status != 0) return status;
  for (int it = 0; it < out.iterations_done; ++it) {
    if (!std::isfinite(loss[static_cast<std::size_t>(it)])) als_diverged(it + 1);
    m.loss.push_back(loss[static_cast<std::size_t>(it)]);
    if (o.on_iteration) o.on_iteration(it + 1, loss[static_cast<std::size_t>(it)]);
  }
  *out_factors = std::move(m);
  return 0;
}

}  // namespace supplyml
