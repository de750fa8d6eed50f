// Loads the CUDA module with dlopen and checks its ABI. Never throws: a module
// that is absent or fails to load yields nullptr and a reason, and the caller
// carries on with the CPU.
#pragma once

#include <string>

#include "supplyml/cuda_api.h"

namespace supplyml {

struct CudaLoad {
  const sml_cuda_api* api = nullptr;  // nullptr when the module is unusable
  bool file_missing = false;          // the module was simply not installed
  std::string reason;                 // why api is nullptr
};

CudaLoad load_cuda_module(const std::string& path) noexcept;

}  // namespace supplyml
