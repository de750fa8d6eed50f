// The device layer under nvcc: thin names for CUDA built-ins. Included by
// layer.hpp only.
#pragma once

#include <cuda_runtime.h>

#include <utility>

#include "supplyml/device/half.hpp"

#define SML_KERNEL __global__
#define SML_DEVICE __device__ __forceinline__

namespace supplyml {
namespace dev {

SML_DEVICE float nan_float() { return __int_as_float(0x7fffffff); }
SML_DEVICE int thread_index() { return static_cast<int>(threadIdx.x); }
SML_DEVICE int block_index() { return static_cast<int>(blockIdx.x); }
SML_DEVICE int block_size() { return static_cast<int>(blockDim.x); }
SML_DEVICE int grid_size() { return static_cast<int>(gridDim.x); }
SML_DEVICE int lane() { return static_cast<int>(threadIdx.x) & (kWarp - 1); }
SML_DEVICE int warp() { return static_cast<int>(threadIdx.x) / kWarp; }
SML_DEVICE void sync_block() { __syncthreads(); }

constexpr unsigned kFullMask = 0xffffffffu;
template <class T>
SML_DEVICE T shfl_xor(T v, int mask) { return __shfl_xor_sync(kFullMask, v, mask); }
template <class T>
SML_DEVICE T shfl(T v, int src) { return __shfl_sync(kFullMask, v, src); }
SML_DEVICE bool any(bool p) { return __any_sync(kFullMask, p) != 0; }
SML_DEVICE bool all(bool p) { return __all_sync(kFullMask, p) != 0; }
SML_DEVICE unsigned ballot(bool p) { return __ballot_sync(kFullMask, p); }
// Sum over the warp by the xor butterfly, returned to every lane.
template <class T>
SML_DEVICE T warp_sum(T v) {
  for (int m = kWarp / 2; m > 0; m /= 2) v += shfl_xor(v, m);
  return v;
}
template <class T>
SML_DEVICE T atomic_add(T* p, T v) { return atomicAdd(p, v); }

template <class T>
SML_DEVICE T* shared() {
  extern __shared__ __align__(16) unsigned char sml_dynamic_shared[];
  return reinterpret_cast<T*>(sml_dynamic_shared);
}

inline int status(cudaError_t e) { return e == cudaSuccess ? 0 : static_cast<int>(e); }

template <class... P, class... A>
int launch(void (*kernel)(P...), int grid, int block, std::size_t shared_bytes, A&&... args) {
  if (grid <= 0 || block <= 0) return kInvalidConfiguration;
  kernel<<<grid, block, shared_bytes>>>(std::forward<A>(args)...);
  return status(cudaGetLastError());
}

// Kernels needing more than the default 48 KiB of dynamic shared memory.
template <class... P>
int allow_shared(void (*kernel)(P...), std::size_t bytes) {
  return status(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     static_cast<int>(bytes)));
}

inline int select(int device) { return status(cudaSetDevice(device)); }
inline int alloc(void** p, std::size_t bytes) { return status(cudaMalloc(p, bytes ? bytes : 1)); }
inline void free(void* p) { cudaFree(p); }
inline int upload(void* dst, const void* src, std::size_t bytes) {
  return status(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice));
}
inline int download(void* dst, const void* src, std::size_t bytes) {
  return status(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost));
}
inline int copy(void* dst, const void* src, std::size_t bytes) {
  return status(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice));
}
// Page-locked host memory, usable from every device (portable). A refusal
// is taken back from the runtime's last error, which launch() reads: callers
// fall back to the heap, and the next kernel must not report it.
inline int host_alloc(void** p, std::size_t bytes) {
  *p = nullptr;
  const cudaError_t e = cudaHostAlloc(p, bytes ? bytes : 1, cudaHostAllocPortable);
  if (e != cudaSuccess) cudaGetLastError();
  return status(e);
}
inline void host_free(void* p) {
  if (p != nullptr) cudaFreeHost(p);
}
inline int synchronize() { return status(cudaDeviceSynchronize()); }
inline const char* describe(int status) { return cudaGetErrorString(static_cast<cudaError_t>(status)); }

}  // namespace dev
}  // namespace supplyml
