// ALS training through the CUDA module's table (cuda_api.h): the same
// problem, starting factors and loss as als_train, with the module's status
// turned into the project's errors. The module may be the real one or the
// emulated one; nothing here depends on which.
#pragma once

#include "supplyml/cuda_api.h"
#include "supplyml/interrupt.hpp"
#include "supplyml/reco_als.hpp"

namespace supplyml {

// Whether the module has a GPU path for these options (implicit feedback,
// conjugate-gradient solver); the others train on the CPU.
bool gpu_can_train(const sml_cuda_api* api, const AlsOptions& o);

// als_train on GPU `device`. Errors: out of GPU memory is 53200 (the caller
// may fall back to the CPU), a stop request is Cancelled, a loss that is not
// finite is 22003 as on the CPU, any other failure XX000 with the module's
// text. on_iteration is called for every iteration once training returns.
AlsFactors<float> als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o,
                                Interrupt& interrupt);

}  // namespace supplyml
