// Dense linear algebra that kernels do not do themselves: cuBLAS on the GPU
// (kernels/cuda/blas_cublas.cu), Eigen on the CPU for the emulator
// (kernels/emu/blas_cpu.cpp). Pointers are device memory; matrices are
// row-major. Every call returns 0 or a CUDA status, out of memory as
// dev::kOutOfMemory.
#pragma once

#include <cstdint>
#include <memory>

#include "supplyml/device/half.hpp"

namespace supplyml {
namespace dev {

class Blas {
 public:
  virtual ~Blas() = default;
  // G (f x f, both triangles) = Y^T Y for Y (rows x f).
  virtual int gram(std::int64_t rows, int f, const float* Y, float* G) = 0;
  // C (m x n) = A (m x f) B^T for B (n x f): scores of m users on n items.
  virtual int gemm_nt(int m, int n, int f, const float* A, const float* B, float* C) = 0;
  // The same two with factors stored in binary16, products summed in float.
  virtual int gram(std::int64_t rows, int f, const half* Y, float* G) = 0;
  virtual int gemm_nt(int m, int n, int f, const half* A, const half* B, float* C) = 0;
  // C (m x n) = A (m x k) B (k x n), all column-major, in double.
  virtual int dgemm(int m, int n, int k, const double* A, const double* B, double* C) = 0;
  // Text of the last failure.
  virtual const char* error() const = 0;
};

// The implementation this module was built with; 0 or a status in *status.
std::unique_ptr<Blas> make_blas(int* status);

}  // namespace dev
}  // namespace supplyml
