// Device discovery and selection. The CUDA module is dlopened on first use
// in a backend (never in the postmaster); when it is absent or finds no GPU,
// the CPU serves and the reason is logged once.
//
// Every entry point that computes asks choose_device() with the kind of its
// computation. `auto` picks a GPU only for a kind that has a GPU path (the
// module's table holds its entries) and enough work; `gpu` is an error for a
// kind without one. A GPU call that fails goes through gpu_failed(), which
// either switches the choice to the CPU (auto, or supplyml.gpu_fallback) or
// raises, so a default setting never turns a working query into an error.
#pragma once

#include <memory_resource>
#include <string>

#include "supplyml/cuda_api.h"

namespace supplyml::pg {

enum class Computation {
  kAlsTraining,  // mf_train, the mf_fit aggregate
  kTopK,         // recommend_all, mf_evaluate: top-k lists of many users
  kScoring,      // recommend, similar_items, mf_score: one user or item (CPU only)
  kForecast,     // forecast aggregate, forecast_batch, forecast_backtest
  kInventory,    // closed forms, reorder_policy, simulate_policy
  kRouting,      // route_score, route_optimize, their batches, route_plan_optimize
  kSelfTest,     // gpu_selftest: the smoke kernel (axpy) and a cuBLAS product
};

// As messages name it, e.g. "forecasting".
const char* computation_name(Computation what);

// Whether the module's table has the entries a computation needs on a GPU.
bool has_gpu_path(const sml_cuda_api* api, Computation what);

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
// operations, honouring supplyml.device. Throws object_not_in_prerequisite_state
// when gpu is required but the computation has no GPU path or no GPU is usable.
DeviceChoice choose_device(Computation what, double work);

// Whether choose_device would pick a GPU for `what` and `work`, without
// raising (choose_device's own rule): for host memory that a GPU would read,
// allocated before the choice itself is made.
bool gpu_may_compute(Computation what, double work);

// Page-locked host memory from the CUDA module (host_memory.hpp), for the
// arrays a GPU call will read; the heap where no module is usable.
std::pmr::memory_resource* gpu_host_memory();

// After a GPU call of `choice` returned `status` (nonzero). Under auto, or
// with supplyml.gpu_fallback = on, notes the failure in a NOTICE and turns
// `choice` into the CPU, whose path the caller then runs from the start (so
// results report the device that computed them). Otherwise throws, like
// gpu_error().
void gpu_failed(DeviceChoice& choice, int status, Computation what);

// Throws the error for a failed GPU call: out_of_memory (53200) when the
// module reports cudaErrorMemoryAllocation, numeric_value_out_of_range
// (22003) when a value overflowed fp16 storage (SML_CUDA_OUT_OF_RANGE),
// internal_error otherwise.
[[noreturn]] void gpu_error(const sml_cuda_api* api, int status, Computation what);

}  // namespace supplyml::pg
