// Loads the CUDA module with dlopen and checks its ABI. Never throws: a module
// that is absent or fails to load yields nullptr and a reason, and the caller
// carries on with the CPU.
#pragma once

#include <cstddef>
#include <string>

#include "supplyml/cuda_api.h"

namespace supplyml {

struct CudaLoad {
  const sml_cuda_api* api = nullptr;  // nullptr when the module is unusable
  bool file_missing = false;          // the module was simply not installed
  std::string reason;                 // why api is nullptr
};

CudaLoad load_cuda_module(const std::string& path) noexcept;

// Bytes of the C table a module of this ABI version exports (0: a version
// this extension cannot use). Versions from SML_CUDA_ABI_MIN_VERSION on load.
std::size_t cuda_table_size(int abi_version);

// The table to use for a module's exported one: itself when it is of the
// current version, a full-size copy whose later entries are NULL when it is
// older but still accepted, nullptr otherwise.
const sml_cuda_api* accept_cuda_table(const sml_cuda_api* table);

}  // namespace supplyml
