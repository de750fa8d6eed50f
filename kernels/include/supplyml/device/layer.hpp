// The device layer: the few primitives a supplyml kernel may use, so that one
// kernel source compiles with nvcc for the GPU and with a plain C++ compiler
// against the emulator (emu.hpp), which runs a grid on CPU threads.
//
// Kernels see a 1-D grid of 1-D blocks:
//   SML_KERNEL             marks a kernel (__global__ under nvcc)
//   SML_DEVICE             marks a device function called by kernels
//   dev::thread_index() block_index() block_size() grid_size() lane() warp()
//   dev::sync_block()      block barrier; every thread of the block must reach
//                          the same one (the emulator aborts otherwise)
//   dev::shfl_xor, shfl, any, all, ballot, warp_sum
//                          warp operations, full mask only;
//                          blocks that use them are a whole number of warps
//   dev::atomic_add        on global or shared memory
//   dev::shared<T>()       the block's dynamic shared memory
//   dev::half, to_float, from_float<S>
//                          factor storage types (half.hpp): read as float,
//                          computed in float, rounded only when stored
// Host side: dev::launch(kernel, grid, block, shared_bytes, args...), device
// memory (dev::alloc, dev::free, dev::upload, dev::download, dev::copy),
// page-locked host memory (dev::host_alloc, dev::host_free) and
// dev::synchronize. Every host call returns 0 or a CUDA status; out of memory
// is always kOutOfMemory.
#pragma once

#include <cstddef>

namespace supplyml {
namespace dev {

constexpr int kWarp = 32;
constexpr int kOutOfMemory = 2;          // cudaErrorMemoryAllocation
constexpr int kInvalidValue = 1;         // cudaErrorInvalidValue
constexpr int kInvalidConfiguration = 9; // cudaErrorInvalidConfiguration

}  // namespace dev
}  // namespace supplyml

#if defined(__CUDACC__)
#include "supplyml/device/cuda.hpp"
#else
#include "supplyml/device/emu.hpp"
#endif

namespace supplyml {
namespace dev {

// Sum over the block, returned to every thread; `scratch` holds one T per
// warp. Ends with a barrier, so scratch can be reused at once.
template <class T>
SML_DEVICE T block_sum(T v, T* scratch) {
  v = warp_sum(v);
  if (lane() == 0) scratch[warp()] = v;
  sync_block();
  T total = 0;
  const int warps = block_size() / kWarp;
  for (int w = 0; w < warps; ++w) total += scratch[w];  // fixed order: every thread agrees
  sync_block();
  return total;
}

}  // namespace dev
}  // namespace supplyml
