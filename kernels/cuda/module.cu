// supplyml_cuda.so: the GPU side of supplyml, reached only through the C table
// in cuda_api.h. The extension dlopens this module on first use; a server
// without a driver or CUDA libraries never loads it.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>

#include "supplyml/cuda_api.h"
#include "supplyml/smoke.hpp"

namespace {

thread_local char last_error_text[512] = "";

int fail(const char* what, int status, const char* text) {
  std::snprintf(last_error_text, sizeof last_error_text, "%s: %s (status %d)", what, text, status);
  return status == 0 ? -1 : status;
}

#define SML_CUDA_TRY(expr)                                           \
  do {                                                               \
    cudaError_t e_ = (expr);                                         \
    if (e_ != cudaSuccess) return fail(#expr, e_, cudaGetErrorString(e_)); \
  } while (0)

// Owns device buffers for one call, freed on every path.
struct DeviceBuffers {
  void* p[4] = {nullptr, nullptr, nullptr, nullptr};
  ~DeviceBuffers() {
    for (void* q : p)
      if (q) cudaFree(q);
  }
};

__global__ void axpy_kernel(size_t n, float a, const float* x, const float* y, float* out) {
  size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (; i < n; i += stride) out[i] = supplyml::axpy_element(a, x[i], y[i]);
}

const char* last_error() { return last_error_text; }

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
  SML_CUDA_TRY(cudaGetDeviceProperties(&prop, device));
  std::memset(out, 0, sizeof *out);
  std::snprintf(out->name, sizeof out->name, "%s", prop.name);
  out->total_memory = prop.totalGlobalMem;
  out->cc_major = prop.major;
  out->cc_minor = prop.minor;
  out->multiprocessors = prop.multiProcessorCount;
  return 0;
}

int axpy_f32(int device, size_t n, float a, const float* x, const float* y, float* out) {
  SML_CUDA_TRY(cudaSetDevice(device));
  DeviceBuffers b;
  const size_t bytes = n * sizeof(float);
  for (int i = 0; i < 3; ++i) SML_CUDA_TRY(cudaMalloc(&b.p[i], bytes ? bytes : 1));
  SML_CUDA_TRY(cudaMemcpy(b.p[0], x, bytes, cudaMemcpyHostToDevice));
  SML_CUDA_TRY(cudaMemcpy(b.p[1], y, bytes, cudaMemcpyHostToDevice));
  const int threads = 256;
  const int blocks = static_cast<int>(n / threads + 1 < 65535 ? n / threads + 1 : 65535);
  axpy_kernel<<<blocks, threads>>>(n, a, static_cast<const float*>(b.p[0]),
                                   static_cast<const float*>(b.p[1]), static_cast<float*>(b.p[2]));
  SML_CUDA_TRY(cudaGetLastError());
  SML_CUDA_TRY(cudaMemcpy(out, b.p[2], bytes, cudaMemcpyDeviceToHost));
  return 0;
}

int gemm_f64(int device, int m, int n, int k, const double* a, const double* b, double* c) {
  SML_CUDA_TRY(cudaSetDevice(device));
  DeviceBuffers d;
  const size_t sa = sizeof(double) * m * k, sb = sizeof(double) * k * n, sc = sizeof(double) * m * n;
  SML_CUDA_TRY(cudaMalloc(&d.p[0], sa ? sa : 1));
  SML_CUDA_TRY(cudaMalloc(&d.p[1], sb ? sb : 1));
  SML_CUDA_TRY(cudaMalloc(&d.p[2], sc ? sc : 1));
  SML_CUDA_TRY(cudaMemcpy(d.p[0], a, sa, cudaMemcpyHostToDevice));
  SML_CUDA_TRY(cudaMemcpy(d.p[1], b, sb, cudaMemcpyHostToDevice));
  cublasHandle_t h;
  cublasStatus_t s = cublasCreate(&h);
  if (s != CUBLAS_STATUS_SUCCESS) return fail("cublasCreate", s, cublasGetStatusString(s));
  const double one = 1.0, zero = 0.0;
  s = cublasDgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, static_cast<const double*>(d.p[0]),
                  m, static_cast<const double*>(d.p[1]), k, &zero, static_cast<double*>(d.p[2]), m);
  cublasDestroy(h);
  if (s != CUBLAS_STATUS_SUCCESS) return fail("cublasDgemm", s, cublasGetStatusString(s));
  SML_CUDA_TRY(cudaMemcpy(c, d.p[2], sc, cudaMemcpyDeviceToHost));
  return 0;
}

const sml_cuda_api api_table = {
    SML_CUDA_ABI_VERSION, last_error, device_count, device_info, axpy_f32, gemm_f64,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const sml_cuda_api* supplyml_cuda_api(void) {
  return &api_table;
}
