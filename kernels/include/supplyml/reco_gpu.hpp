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

// als_train on GPU `device` into *out. Returns 0, or the module's status
// when the GPU call failed (out of memory is SML_CUDA_OUT_OF_MEMORY; the
// caller falls back to the CPU or raises). Throws as the CPU path does for
// bad options, no interactions and a loss that is not finite (22003), and
// Cancelled on a stop request. on_iteration is called for every iteration
// once training returns.
int als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o, Interrupt& interrupt,
                  AlsFactors<float>* out);

}  // namespace supplyml
