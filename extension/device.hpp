// Device discovery and selection. The CUDA module is dlopened on first use
// in a backend (never in the postmaster); when it is absent or finds no GPU,
// the CPU serves and the reason is logged once.
#pragma once

#include <string>

#include "supplyml/cuda_api.h"

namespace supplyml::pg {

struct DeviceChoice {
  bool gpu = false;
  int index = 0;                     // GPU ordinal when gpu
  const sml_cuda_api* api = nullptr; // the CUDA table when gpu
  std::string label() const;         // "cpu" or "gpu:N", as results report it
};

// The CUDA table when at least one GPU is usable, else nullptr.
const sml_cuda_api* cuda();
int gpu_count();

// Picks the device for a computation of about `work` floating-point
// operations, honouring supplyml.device. Throws when gpu is required but none
// is usable.
DeviceChoice choose_device(double work);

}  // namespace supplyml::pg
