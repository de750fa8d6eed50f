// The Blas interface on cuBLAS. Row-major matrices are passed to cuBLAS
// (column-major) as their transposes. Every allocation failure, CUDA's or
// cuBLAS's, comes back as dev::kOutOfMemory.
#include <cublas_v2.h>

#include <cstdio>

#include "supplyml/device/blas.hpp"
#include "supplyml/device/layer.hpp"

namespace supplyml {
namespace dev {

namespace {

// cuBLAS failures other than allocation come back as 1000 + the cuBLAS status.
#define SML_TRY_BLAS(expr, what)                                                       \
  do {                                                                                 \
    const cublasStatus_t s_ = (expr);                                                  \
    if (s_ != CUBLAS_STATUS_SUCCESS) {                                                 \
      std::snprintf(error_, sizeof error_, "%s: %s", what, cublasGetStatusString(s_)); \
      return code(s_);                                                                 \
    }                                                                                  \
  } while (0)

SML_KERNEL void mirror_lower_kernel(float* G, int f) {
  // Column-major lower triangle (i >= j at G[i + j f]) into the upper one.
  const int j = block_index();
  for (int i = j + 1 + thread_index(); i < f; i += block_size())
    G[static_cast<std::size_t>(i) * f + j] = G[i + static_cast<std::size_t>(j) * f];
}

class CublasBlas final : public Blas {
 public:
  explicit CublasBlas(cublasHandle_t h) : h_(h) {}
  ~CublasBlas() override { cublasDestroy(h_); }

  int gram(std::int64_t rows, int f, const float* Y, float* G) override {
    // Y row-major (rows x f) is Y^T column-major (f x rows, ld f): G = Y^T (Y^T)^T.
    const float one = 1, zero = 0;
    if (rows == 0) return status(cudaMemset(G, 0, sizeof(float) * f * f), "cudaMemset");
    SML_TRY_BLAS(cublasSsyrk(h_, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_N, f, static_cast<int>(rows), &one, Y, f,
                             &zero, G, f), "cublasSsyrk");
    return launch(mirror_lower_kernel, f, 128, 0, G, f);
  }
  int gemm_nt(int m, int n, int f, const float* A, const float* B, float* C) override {
    // C row-major (m x n) is C^T column-major (n x m) = B A^T: op(B^T as stored) = T.
    const float one = 1, zero = 0;
    SML_TRY_BLAS(cublasSgemm(h_, CUBLAS_OP_T, CUBLAS_OP_N, n, m, f, &one, B, f, A, f, &zero, C, n),
                 "cublasSgemm");
    return 0;
  }
  // The half versions: cublasSgemmEx reads binary16 and accumulates in float
  // (products of two binary16 values are exact in float).
  int gram(std::int64_t rows, int f, const half* Y, float* G) override {
    // Y^T column-major (f x rows, ld f) times its transpose; G is symmetric.
    const float one = 1, zero = 0;
    if (rows == 0) return status(cudaMemset(G, 0, sizeof(float) * f * f), "cudaMemset");
    SML_TRY_BLAS(cublasSgemmEx(h_, CUBLAS_OP_N, CUBLAS_OP_T, f, f, static_cast<int>(rows), &one, Y, CUDA_R_16F, f, Y,
                               CUDA_R_16F, f, &zero, G, CUDA_R_32F, f),
                 "cublasSgemmEx");
    return 0;
  }
  int gemm_nt(int m, int n, int f, const half* A, const half* B, float* C) override {
    const float one = 1, zero = 0;
    SML_TRY_BLAS(cublasSgemmEx(h_, CUBLAS_OP_T, CUBLAS_OP_N, n, m, f, &one, B, CUDA_R_16F, f, A, CUDA_R_16F, f, &zero,
                               C, CUDA_R_32F, n),
                 "cublasSgemmEx");
    return 0;
  }
  int dgemm(int m, int n, int k, const double* A, const double* B, double* C) override {
    const double one = 1, zero = 0;
    SML_TRY_BLAS(cublasDgemm(h_, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, A, m, B, k, &zero, C, m), "cublasDgemm");
    return 0;
  }
  const char* error() const override { return error_; }

 private:
  int status(cudaError_t e, const char* what) {
    if (e == cudaSuccess) return 0;
    std::snprintf(error_, sizeof error_, "%s: %s", what, cudaGetErrorString(e));
    return static_cast<int>(e);
  }
  static int code(cublasStatus_t s) {
    return s == CUBLAS_STATUS_ALLOC_FAILED ? kOutOfMemory : static_cast<int>(s) + 1000;
  }
  cublasHandle_t h_;
  char error_[256] = "";
};

}  // namespace

std::unique_ptr<Blas> make_blas(int* status) {
  cublasHandle_t h;
  const cublasStatus_t s = cublasCreate(&h);
  if (s != CUBLAS_STATUS_SUCCESS) {
    *status = s == CUBLAS_STATUS_ALLOC_FAILED ? kOutOfMemory : static_cast<int>(s) + 1000;
    return nullptr;
  }
  *status = 0;
  return std::make_unique<CublasBlas>(h);
}

}  // namespace dev
}  // namespace supplyml
