// supplyml_cuda.so: the GPU side of supplyml, reached only through the C table
// in cuda_api.h. The extension dlopens this module on first use; a server
// without a driver or CUDA libraries never loads it.
//
// The same source is also compiled as plain C++ (kernels/emu/module_emu.cpp)
// into supplyml_cuda_emu.so, whose kernels run on the device emulator and
// whose linear algebra is the CPU stand-in: only the device queries below
// differ between the two.
#include <cstdio>
#include <cstring>
#include <memory>

#include "../gpu/als_solve_train.cuh"
#include "../gpu/als_train.cuh"
#include "../gpu/topk_run.cuh"
#include "supplyml/cuda_api.h"
#include "supplyml/device/blas.hpp"
#include "supplyml/device/layer.hpp"
#include "supplyml/smoke.hpp"

namespace {

using namespace supplyml;

thread_local char last_error_text[512] = "";

int fail(const char* what, int status, const char* text) {
  std::snprintf(last_error_text, sizeof last_error_text, "%s: %s (status %d)", what, text, status);
  return status == 0 ? -1 : status;
}

// Runs one entry: selects the device, records the failure text if any.
template <class F>
int entry(const char* what, int device, F&& body) {
  int s = dev::select(device);
  if (s != 0) return fail(what, s, dev::describe(s));
  s = body();
  if (s == SML_CUDA_STOPPED) return fail(what, s, "stopped on request");
  if (s == SML_CUDA_UNSUPPORTED) return fail(what, s, "no GPU path for these options");
  if (s == SML_CUDA_NOT_POSITIVE_DEFINITE) return fail(what, s, "a row's normal equations are not positive definite");
  if (s != 0) return fail(what, s, dev::describe(s));
  return 0;
}

SML_KERNEL void axpy_kernel(std::size_t n, float a, const float* x, const float* y, float* out) {
  const std::size_t stride = static_cast<std::size_t>(dev::grid_size()) * dev::block_size();
  for (std::size_t i = static_cast<std::size_t>(dev::block_index()) * dev::block_size() + dev::thread_index();
       i < n; i += stride)
    out[i] = axpy_element(a, x[i], y[i]);
}

const char* last_error() { return last_error_text; }

#if defined(__CUDACC__)
int device_count() {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    fail("cudaGetDeviceCount", e, cudaGetErrorString(e));
    return -1;
  }
  return n;
}

int device_info(int device, sml_cuda_device_info* out) {
  cudaDeviceProp prop;
  cudaError_t e = cudaGetDeviceProperties(&prop, device);
  if (e != cudaSuccess) return fail("cudaGetDeviceProperties", e, cudaGetErrorString(e));
  std::memset(out, 0, sizeof *out);
  std::snprintf(out->name, sizeof out->name, "%s", prop.name);
  out->total_memory = prop.totalGlobalMem;
  out->cc_major = prop.major;
  out->cc_minor = prop.minor;
  out->multiprocessors = prop.multiProcessorCount;
  return 0;
}
#else
// The emulator: one device, compute capability 9.0 as the kernels target.
int device_count() { return 1; }

int device_info(int device, sml_cuda_device_info* out) {
  if (device != 0) return fail("device_info", 101, dev::describe(101));
  std::memset(out, 0, sizeof *out);
  std::snprintf(out->name, sizeof out->name, "emulated GPU");
  out->total_memory = 1ULL << 32;
  out->cc_major = 9;
  out->cc_minor = 0;
  out->multiprocessors = 1;
  return 0;
}
#endif

int axpy_f32(int device, size_t n, float a, const float* x, const float* y, float* out) {
  return entry("axpy_f32", device, [&]() -> int {
    gpu::DeviceArray<float> dx, dy, dout;
    SML_DEV_TRY(dx.upload(x, n));
    SML_DEV_TRY(dy.upload(y, n));
    SML_DEV_TRY(dout.alloc(n));
    const int threads = 256;
    const int blocks = static_cast<int>(n / threads + 1 < 65535 ? n / threads + 1 : 65535);
    SML_DEV_TRY(dev::launch(axpy_kernel, blocks, threads, 0, n, a, static_cast<const float*>(dx.get()),
                            static_cast<const float*>(dy.get()), dout.get()));
    return dout.download(out, n);
  });
}

int gemm_f64(int device, int m, int n, int k, const double* a, const double* b, double* c) {
  return entry("gemm_f64", device, [&]() -> int {
    int s = 0;
    auto blas = dev::make_blas(&s);
    SML_DEV_TRY(s);
    gpu::DeviceArray<double> da, db, dc;
    SML_DEV_TRY(da.upload(a, static_cast<std::size_t>(m) * k));
    SML_DEV_TRY(db.upload(b, static_cast<std::size_t>(k) * n));
    SML_DEV_TRY(dc.alloc(static_cast<std::size_t>(m) * n));
    SML_DEV_TRY(blas->dgemm(m, n, k, da.get(), db.get(), dc.get()));
    return dc.download(c, static_cast<std::size_t>(m) * n);
  });
}

int als_train(int device, const sml_als_problem* problem, sml_als_out* out) {
  return entry("als_train", device, [&]() -> int {
    int s = 0;
    auto blas = dev::make_blas(&s);
    SML_DEV_TRY(s);
    return gpu::als_train(*problem, *out, *blas);
  });
}

int topk(int device, const sml_topk_problem* problem, sml_topk_out* out) {
  return entry("topk", device, [&]() -> int {
    int s = 0;
    auto blas = dev::make_blas(&s);
    SML_DEV_TRY(s);
    return gpu::topk(*problem, *out, *blas);
  });
}

int als_solve(int device, const sml_als_problem* problem, sml_als_out* out) {
  return entry("als_solve", device, [&]() -> int {
    int s = 0;
    auto blas = dev::make_blas(&s);
    SML_DEV_TRY(s);
    return gpu::als_solve(*problem, *out, *blas);
  });
}

int host_alloc(std::size_t bytes, void** out) {
  if (out == nullptr) return dev::kInvalidValue;
  const int s = dev::host_alloc(out, bytes);
  return s == 0 ? 0 : fail("host_alloc", s, dev::describe(s));
}

void host_free(void* p) { dev::host_free(p); }

const sml_cuda_api api_table = {
    SML_CUDA_ABI_VERSION, last_error, device_count, device_info, axpy_f32, gemm_f64, als_train, topk,
    /* ABI 4: solves (ABI 5: with fp16 storage) */
    als_solve,
    /* ABI 6: page-locked host memory */
    host_alloc, host_free,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const sml_cuda_api* supplyml_cuda_api(void) {
  return &api_table;
}
