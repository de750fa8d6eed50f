#include "device.hpp"

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <thread>
#include <vector>

#include "datum.hpp"
#include "settings.hpp"
#include "supplyml/cuda_loader.hpp"
#include "supplyml/host_memory.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/signal_block.hpp"
#include "supplyml/smoke.hpp"

namespace supplyml::pg {

namespace {

struct Probe {
  bool done = false;
  const sml_cuda_api* api = nullptr;
  int count = 0;
};
Probe probe;

void run_probe() {
  if (probe.done) return;
  probe.done = true;
  std::string path = std::string(pkglib_path) + "/supplyml_cuda.so";
  // dlopen and the first driver calls start the driver's threads: they must
  // start with every signal blocked, as the worker pool's do (signal_block.hpp).
  CudaLoad load;
  int n = 0;
  {
    SignalBlock block;
    load = load_cuda_module(path);
    if (load.api) n = load.api->device_count();
  }
  if (!load.api) {
    // A CPU-only install is normal: say so quietly. A module that exists but
    // cannot load (no driver, no libraries) deserves a line in the log.
    call([&] {
      ereport(load.file_missing ? DEBUG1 : LOG,
              (errmsg("supplyml: using the CPU only: %s", load.reason.c_str())));
    });
    return;
  }
  if (n <= 0) {
    std::string why = n < 0 ? load.api->last_error() : "no CUDA device was found";
    call([&] { ereport(LOG, (errmsg("supplyml: using the CPU only: %s", why.c_str()))); });
    return;
  }
  probe.api = load.api;
  probe.count = n;
}

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto pos = line.find(':');
      if (pos != std::string::npos) return line.substr(line.find_first_not_of(' ', pos + 1));
    }
  }
  return "CPU";
}

[[noreturn]] void no_gpu() {
  throw Error(sqlstate::kObjectNotInPrerequisiteState, "no GPU is available to supplyml",
              "supplyml.device is set to gpu, but the CUDA module found no usable device.",
              "SET supplyml.device = 'auto' (or 'cpu') to compute on the CPU; "
              "supplyml.devices() lists what was found.");
}

[[noreturn]] void no_gpu_path(Computation what) {
  throw Error(sqlstate::kObjectNotInPrerequisiteState,
              std::string(computation_name(what)) + " has no GPU implementation",
              "supplyml.device is set to gpu, but " + std::string(computation_name(what)) +
                  " runs only on the CPU.",
              "SET supplyml.device = 'auto' (or 'cpu'); auto uses a GPU only for computations "
              "that have a GPU path.");
}

// The status the CUDA module returns when device memory runs out.
constexpr int kCudaOutOfMemory = 2;  // cudaErrorMemoryAllocation

}  // namespace

const char* computation_name(Computation what) {
  switch (what) {
    case Computation::kAlsTraining: return "ALS training";
    case Computation::kTopK: return "top-k scoring";
    case Computation::kScoring: return "scoring of one user or item";
    case Computation::kForecast: return "forecasting";
    case Computation::kInventory: return "inventory policy computation";
    case Computation::kRouting: return "routing";
    case Computation::kSelfTest: return "the GPU self-test";
  }
  return "this computation";
}

bool has_gpu_path(const sml_cuda_api* api, Computation what) {
  if (!api) return false;
  // A computation has a GPU path when the table holds every entry it calls;
  // ALS training has one through als_train (implicit feedback, cg solver)
  // or als_solve (exact solves: cholesky, explicit feedback); the caller
  // checks its options with gpu_can_train. One user's or item's scores are
  // too little work to be worth a transfer.
  switch (what) {
    case Computation::kSelfTest: return api->axpy_f32 && api->gemm_f64;
    case Computation::kAlsTraining: return api->als_train != nullptr || api->als_solve != nullptr;
    case Computation::kTopK: return api->topk != nullptr;
    case Computation::kScoring:
    case Computation::kForecast:
    case Computation::kInventory:
    case Computation::kRouting:
      return false;
  }
  return false;
}

const sml_cuda_api* cuda() {
  run_probe();
  return probe.api;
}

int gpu_count() {
  run_probe();
  return probe.count;
}

std::string DeviceChoice::label() const { return gpu ? "gpu:" + std::to_string(index) : "cpu"; }

bool gpu_may_compute(Computation what, double work) {
  switch (device_setting()) {
    case DeviceSetting::kCpu: return false;
    case DeviceSetting::kGpu: return cuda() && has_gpu_path(cuda(), what);
    // Small work stays on the CPU without even probing for a GPU.
    case DeviceSetting::kAuto: return work >= gpu_min_work_setting() && cuda() && has_gpu_path(cuda(), what);
  }
  return false;
}

DeviceChoice choose_device(Computation what, double work) {
  if (device_setting() == DeviceSetting::kGpu) {
    if (!cuda()) no_gpu();
    if (!has_gpu_path(cuda(), what)) no_gpu_path(what);
  }
  DeviceChoice c;
  if (!gpu_may_compute(what, work)) return c;
  c.gpu = true;
  c.api = cuda();
  return c;
}

std::pmr::memory_resource* gpu_host_memory() {
  if (!cuda()) return std::pmr::get_default_resource();
  static PinnedMemory pinned(cuda());  // the module stays loaded for the life of the process
  return &pinned;
}

void gpu_error(const sml_cuda_api* api, int status, Computation what) {
  const std::string name = computation_name(what);
  const std::string reason = api && api->last_error ? api->last_error() : "";
  if (status == SML_CUDA_OUT_OF_RANGE)
    throw Error(sqlstate::kNumericOutOfRange, name + " overflowed half precision",
                "A value reached 65520 or more in magnitude, beyond what fp16 storage holds (65504), so the "
                "results would not be finite.",
                "Use \"precision\": \"fp32\" (for a model trained in fp16, train it again), scale the data "
                "down, or SET supplyml.gpu_fallback = on to compute on the CPU, in fp32, when this happens.");
  if (status == kCudaOutOfMemory)
    throw Error(sqlstate::kOutOfMemory, "the GPU ran out of memory for " + name,
                "The CUDA module could not allocate device memory" +
                    (reason.empty() ? std::string(".") : ": " + reason + "."),
                "Make the problem smaller, SET supplyml.gpu_fallback = on to compute on the CPU "
                "when this happens, or SET supplyml.device = 'auto'.");
  throw Error(sqlstate::kInternalError, "the GPU computation of " + name + " failed",
              "The CUDA module returned status " + std::to_string(status) +
                  (reason.empty() ? std::string(".") : ": " + reason + "."),
              "SET supplyml.device = 'cpu' to compute on the CPU, and check the server log and "
              "supplyml.gpu_selftest().");
}

void gpu_failed(DeviceChoice& choice, int status, Computation what) {
  if (!choice.gpu) return;
  if (device_setting() != DeviceSetting::kAuto && !gpu_fallback_setting())
    gpu_error(choice.api, status, what);
  const std::string name = computation_name(what);
  const std::string why = status == kCudaOutOfMemory      ? "ran out of memory"
                          : status == SML_CUDA_OUT_OF_RANGE ? "overflowed half precision"
                                                            : "failed";
  const std::string reason = choice.api && choice.api->last_error ? choice.api->last_error() : "";
  call([&] {
    ereport(NOTICE, (errmsg("supplyml: the GPU %s for %s; computing on the CPU instead", why.c_str(),
                            name.c_str()),
                     reason.empty() ? 0 : errdetail("%s", reason.c_str())));
  });
  choice = DeviceChoice();
}

}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

// supplyml.devices(): one row per device, the CPU first.
SML_FUNCTION(sml_devices) {
  RowWriter out(fcinfo);
  const DeviceSetting setting = device_setting();
  const int gpus = gpu_count();
  {
    Datum v[7];
    bool n[7] = {false, false, false, false, true, false, false};
    v[0] = text_datum("cpu");
    v[1] = Int32GetDatum(0);
    v[2] = text_datum(cpu_name());
    v[3] = Int64GetDatum(static_cast<std::int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE));
    v[5] = Int32GetDatum(resolve_threads(threads_setting()));
    v[6] = BoolGetDatum(setting == DeviceSetting::kCpu || (setting == DeviceSetting::kAuto));
    out.put(v, n);
  }
  for (int i = 0; i < gpus; ++i) {
    sml_cuda_device_info info;
    if (cuda()->device_info(i, &info) != 0) continue;
    Datum v[7];
    bool n[7] = {false, false, false, false, false, false, false};
    v[0] = text_datum("gpu");
    v[1] = Int32GetDatum(i);
    v[2] = text_datum(info.name);
    v[3] = Int64GetDatum(static_cast<std::int64_t>(info.total_memory));
    v[4] = text_datum(std::to_string(info.cc_major) + "." + std::to_string(info.cc_minor));
    v[5] = Int32GetDatum(info.multiprocessors);
    v[6] = BoolGetDatum(setting != DeviceSetting::kCpu);
    out.put(v, n);
  }
  return (Datum)0;
}

// supplyml.gpu_selftest(): runs the smoke kernel and a cuBLAS product on the
// chosen GPU and compares both with the CPU.
SML_FUNCTION(sml_gpu_selftest) {
  if (!cuda())
    throw Error(sqlstate::kObjectNotInPrerequisiteState, "no GPU is available to supplyml",
                "The CUDA module is not installed or found no usable device.",
                "Run supplyml.devices() to see what was found; the CPU serves every function.");
  const int device = 0;
  const std::size_t n = 1 << 20;
  std::vector<float> x(n), y(n), gpu_out(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(std::sin(0.001 * i));
    y[i] = static_cast<float>(std::cos(0.002 * i));
  }
  const float a = 1.5f;
  if (const int rc = cuda()->axpy_f32(device, n, a, x.data(), y.data(), gpu_out.data()))
    gpu_error(cuda(), rc, Computation::kSelfTest);
  double axpy_err = 0;
  for (std::size_t i = 0; i < n; ++i)
    axpy_err = std::max(axpy_err, std::fabs(double(gpu_out[i]) - axpy_element(a, x[i], y[i])));

  const int m = 64, k = 48, p = 32;
  std::vector<double> A(m * k), B(k * p), C(m * p);
  for (int i = 0; i < m * k; ++i) A[i] = std::sin(0.1 * i);
  for (int i = 0; i < k * p; ++i) B[i] = std::cos(0.07 * i);
  if (const int rc = cuda()->gemm_f64(device, m, p, k, A.data(), B.data(), C.data()))
    gpu_error(cuda(), rc, Computation::kSelfTest);
  double gemm_err = 0;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < p; ++j) {
      double s = 0;
      for (int q = 0; q < k; ++q) s += A[i + q * m] * B[q + j * k];
      gemm_err = std::max(gemm_err, std::fabs(s - C[i + j * m]));
    }

  sml_cuda_device_info info;
  cuda()->device_info(device, &info);
  Datum v[4];
  bool nulls[4] = {false, false, false, false};
  v[0] = text_datum(std::string("gpu:0 ") + info.name);
  v[1] = Float8GetDatum(axpy_err);
  v[2] = Float8GetDatum(gemm_err);
  v[3] = BoolGetDatum(axpy_err < 1e-6 && gemm_err < 1e-9);
  return composite_result(fcinfo, v, nulls);
}
