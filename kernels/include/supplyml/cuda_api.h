/* The C table of functions that the CUDA module (supplyml_cuda.so) exports.
 * The extension dlopens the module on first use and calls only through this
 * table, so it never links a CUDA library. Every function returns 0 on
 * success and a CUDA or cuBLAS status otherwise, any out-of-memory (CUDA or
 * cuBLAS) as SML_CUDA_OUT_OF_MEMORY; last_error() describes the most recent
 * failure of the calling thread. An entry is NULL where the module has no GPU
 * path for that computation. gemm_f64 is column-major; every other matrix is
 * row-major. */
#ifndef SUPPLYML_CUDA_API_H
#define SUPPLYML_CUDA_API_H

#include <stddef.h>

#define SML_CUDA_ABI_VERSION 6
/* The oldest module the extension still loads; entries added after its
 * version read as NULL (no GPU path). */
#define SML_CUDA_ABI_MIN_VERSION 3
/* ABI 5 adds no entry: from it on, als_solve also takes
 * SML_PRECISION_FP16 (a module of ABI 4 returns SML_CUDA_UNSUPPORTED). */
#define SML_CUDA_ABI_FP16_SOLVES 5
#define SML_CUDA_ENTRY "supplyml_cuda_api"

#define SML_CUDA_OUT_OF_MEMORY 2 /* cudaErrorMemoryAllocation */
#define SML_CUDA_STOPPED (-2)    /* should_stop returned nonzero */
#define SML_CUDA_UNSUPPORTED (-3) /* options this module has no GPU path for */
/* ABI 3: precision */
#define SML_CUDA_OUT_OF_RANGE (-4) /* a value overflows the storage precision */
/* ABI 4: solves */
#define SML_CUDA_NOT_POSITIVE_DEFINITE (-5) /* a row's normal equations could not be factored */

#ifdef __cplusplus
extern "C" {
#endif

/* Polled between half-iterations (training) or tiles (top-k); nonzero stops
 * the call, which then returns SML_CUDA_STOPPED. May be NULL. */
typedef int (*sml_should_stop_fn)(void* ctx);

/* A sparse matrix in compressed sparse row form, column indices sorted within
 * a row. */
typedef struct sml_csr {
  long long rows, cols;
  const long long* indptr; /* rows + 1 */
  const int* indices;
  const float* values;
} sml_csr;

enum { SML_FEEDBACK_IMPLICIT = 0, SML_FEEDBACK_EXPLICIT = 1 };
enum { SML_SOLVER_CG = 0, SML_SOLVER_CHOLESKY = 1 };
enum { SML_PRECISION_FP32 = 0, SML_PRECISION_FP16 = 1 };

/* One ALS training, the same algorithm as the CPU path (reco_als.hpp).
 * precision SML_PRECISION_FP16 stores both factor matrices in binary16 on
 * the device (arithmetic in fp32); the factors come back as fp32 copies of
 * the stored values, and a factor that overflows binary16, at upload or in
 * training, makes the call return SML_CUDA_OUT_OF_RANGE. */
typedef struct sml_als_problem {
  sml_csr ui; /* users x items: confidences (implicit) or ratings (explicit) */
  sml_csr iu; /* its transpose */
  int factors, iterations, cg_steps;
  int feedback, solver, precision;
  double regularization;
  double loss_norm; /* the reported loss is the objective divided by this */
  sml_should_stop_fn should_stop;
  void* stop_ctx;
  /* ABI 4: solves */
  double global_mean; /* explicit: the mean rating mu */
} sml_als_problem;

typedef struct sml_als_out {
  /* In: the starting factors; out: the fitted ones (users x f, items x f). */
  float* user_factors;
  float* item_factors;
  double* loss; /* iterations entries */
  int iterations_done;
  /* ABI 4: solves. Explicit: in, the starting biases; out, the fitted ones
   * (users, items). */
  float* user_bias;
  float* item_bias;
} sml_als_out;

/* The k best items per user by x_u . y_i (+ item_bias[i] when not NULL),
 * ties to the lower item index, skipping each user's seen items. */
typedef struct sml_topk_problem {
  long long users, items;
  int factors, k;
  const float* user_factors; /* users x f */
  const float* item_factors; /* items x f */
  const float* item_bias;    /* items, or NULL */
  const long long* seen_indptr; /* users + 1, or NULL: mask nothing */
  const int* seen_indices;
  sml_should_stop_fn should_stop;
  void* stop_ctx;
  /* ABI 3: precision */
  int precision; /* SML_PRECISION_*: storage of both factor matrices on the
                    device; FP16 returns SML_CUDA_OUT_OF_RANGE for a factor
                    beyond binary16's range */
} sml_topk_problem;

typedef struct sml_topk_out {
  int* items;    /* users x k, -1 past the user's count */
  float* scores; /* users x k */
  int* count;    /* users */
} sml_topk_out;

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
  /* ABI 2 */
  int (*als_train)(int device, const sml_als_problem* problem, sml_als_out* out);
  int (*topk)(int device, const sml_topk_problem* problem, sml_topk_out* out);
  /* ABI 4: solves */
  /* ALS by exact row solves (batched Cholesky): implicit feedback with
   * SML_SOLVER_CHOLESKY, and explicit feedback with biases (kept fp32 on the
   * device whatever the precision); fp32 factor storage, and fp16 from ABI 5
   * on. als_train covers implicit feedback with SML_SOLVER_CG. */
  int (*als_solve)(int device, const sml_als_problem* problem, sml_als_out* out);
  /* ABI 6: page-locked host memory */
  /* bytes of page-locked ("pinned") host memory, for arrays that a GPU call
   * reads or writes: the copies to and from the device then run at the full
   * speed of the bus, with no staging copy. host_free(NULL) does nothing. */
  int (*host_alloc)(size_t bytes, void** out);
  void (*host_free)(void* p);
} sml_cuda_api;

typedef const sml_cuda_api* (*sml_cuda_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
