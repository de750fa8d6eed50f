#include "supplyml/reco_gpu.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "supplyml/error.hpp"

namespace supplyml {

bool gpu_can_train(const sml_cuda_api* api, const AlsOptions& o) {
  return api != nullptr && api->als_train != nullptr && o.feedback == Feedback::kImplicit &&
         o.solver == Solver::kCg;
}

namespace {

sml_csr view(const Csr& m) {
  return {m.rows, m.cols, reinterpret_cast<const long long*>(m.indptr.data()), m.indices.data(), m.values.data()};
}

// Polled by the module between half-iterations; never throws across it.
int should_stop(void* ctx) { return static_cast<Interrupt*>(ctx)->check() ? 1 : 0; }

}  // namespace

int als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o, Interrupt& interrupt,
                  AlsFactors<float>* out_factors) {
  validate(o);  // option errors first, as on the CPU
  if (!gpu_can_train(api, o))
    throw Error(sqlstate::kFeatureNotSupported, "matrix factorization has no GPU path for these options",
                "The GPU trains implicit feedback with the \"cg\" solver only.",
                "Set supplyml.device to 'cpu' or 'auto', or use the \"cg\" solver.");
  double norm = 0;
  AlsFactors<float> m = als_start<float>(ui, o, interrupt, &norm);
  const int f = o.factors;
  const Csr iu = ui.transpose();
  sml_als_problem p{};
  p.ui = view(ui);
  p.iu = view(iu);
  p.factors = f;
  p.iterations = o.iterations;
  p.cg_steps = o.cg_steps;
  p.feedback = SML_FEEDBACK_IMPLICIT;
  p.solver = SML_SOLVER_CG;
  p.precision = SML_PRECISION_FP32;
  p.regularization = o.regularization;
  p.loss_norm = norm;
  p.should_stop = should_stop;
  p.stop_ctx = &interrupt;
  std::vector<double> loss(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_out out{m.user.data(), m.item.data(), loss.data(), 0};
  const int status = api->als_train(device, &p, &out);
  if (status == SML_CUDA_STOPPED) {
    interrupt.poll();
    throw Cancelled();
  }
  if (status != 0) return status;
  for (int it = 0; it < out.iterations_done; ++it) {
    if (!std::isfinite(loss[static_cast<std::size_t>(it)]))
      throw Error(sqlstate::kNumericOutOfRange, "matrix factorization diverged",
                  "The loss is not finite after iteration " + std::to_string(it + 1) +
                      ": weights, alpha or regularization overflow single-precision factors.",
                  "Scale the weights down, lower alpha, or use scaling \"log\".");
    m.loss.push_back(loss[static_cast<std::size_t>(it)]);
    if (o.on_iteration) o.on_iteration(it + 1, loss[static_cast<std::size_t>(it)]);
  }
  *out_factors = std::move(m);
  return 0;
}

}  // namespace supplyml
