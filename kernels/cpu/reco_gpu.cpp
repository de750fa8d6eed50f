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
  validate(o);
  if (!gpu_can_train(api, o))
    throw Error(sqlstate::kFeatureNotSupported, "matrix factorization has no GPU path for these options",
                "The GPU trains implicit feedback with the \"cg\" solver only.",
                "Set supplyml.device to 'cpu' or 'auto', or use the \"cg\" solver.");
  if (ui.nnz() == 0)
    data_error("no interactions to train on", "Every interaction was empty or had weight 0.",
               "Check the source query.");
  const int f = o.factors;
  AlsFactors<float> m;
  m.users = ui.rows;
  m.items = ui.cols;
  m.factors = f;
  m.user = als_start<float>(m.users, f, o.seed, 1, interrupt);
  m.item = als_start<float>(m.items, f, o.seed, 2, interrupt);
  const Csr iu = ui.transpose();
  double norm = static_cast<double>(m.users) * static_cast<double>(m.items);
  for (float c : ui.values) norm += c - 1.0;
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
