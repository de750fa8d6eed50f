// A whole training by the als_solve entry's driver on the device emulator,
// from als_start's factors, as the extension runs it: shared by the exact
// solve tests of fp32 and fp16 storage.
#pragma once

#include <utility>
#include <vector>

#include "gpu/als_solve_train.cuh"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_gpu.hpp"

namespace supplyml {
namespace emu_test {

struct SolveRun {
  std::vector<float> user, item, user_bias, item_bias;
  std::vector<double> loss;
  int status = 0;
};

// start_scale multiplies the starting user factors (to make them overflow).
inline SolveRun train_solve_emulated(const Csr& ui, const AlsOptions& o, int precision = SML_PRECISION_FP32,
                                     float start_scale = 1) {
  const Csr iu = ui.transpose();
  Interrupt none;
  double norm = 0;
  AlsFactors<float> start = als_start<float>(ui, o, none, &norm);
  SolveRun r{std::move(start.user), std::move(start.item), std::move(start.user_bias), std::move(start.item_bias),
             {}, 0};
  for (auto& v : r.user) v *= start_scale;
  r.loss.assign(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_problem p = als_problem(ui, iu, o, norm, start.global_mean);
  p.precision = precision;
  sml_als_out out{r.user.data(), r.item.data(), r.loss.data(), 0, r.user_bias.data(), r.item_bias.data()};
  int s = 0;
  auto blas = dev::make_blas(&s);
  r.status = s != 0 ? s : gpu::als_solve(p, out, *blas);
  return r;
}

}  // namespace emu_test
}  // namespace supplyml
