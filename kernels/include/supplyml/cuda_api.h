/* The C table of functions that the CUDA module (supplyml_cuda.so) exports.
 * The extension dlopens the module on first use and calls only through this
 * table, so it never links a CUDA library. Every function returns 0 on
 * success and a CUDA or cuBLAS status otherwise; last_error() describes the
 * most recent failure of the calling thread. Matrices are column-major. */
#ifndef SUPPLYML_CUDA_API_H
#define SUPPLYML_CUDA_API_H

#include <stddef.h>

#define SML_CUDA_ABI_VERSION 1
#define SML_CUDA_ENTRY "supplyml_cuda_api"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sml_cuda_device_info {
  char name[256];
  unsigned long long total_memory;
  int cc_major;
  int cc_minor;
  int multiprocessors;
} sml_cuda_device_info;

typedef struct sml_cuda_api {
  int abi_version;
  const char* (*last_error)(void);
  /* Number of usable devices, or -1 when the driver cannot be used. */
  int (*device_count)(void);
  int (*device_info)(int device, sml_cuda_device_info* out);
  /* out[i] = a * x[i] + y[i] by a custom kernel (the smoke test). */
  int (*axpy_f32)(int device, size_t n, float a, const float* x, const float* y, float* out);
  /* C(m x n) = A(m x k) * B(k x n) by cuBLAS. */
  int (*gemm_f64)(int device, int m, int n, int k, const double* a, const double* b, double* c);
} sml_cuda_api;

typedef const sml_cuda_api* (*sml_cuda_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
