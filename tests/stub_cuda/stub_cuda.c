/* A stand-in for supplyml_cuda.so, for tests on machines without a GPU: it
 * implements the C table of kernels/include/supplyml/cuda_api.h on the CPU
 * and reports one GPU, so that the extension's device choice, fallback and
 * error paths run as they would on a server with one. It has the smoke
 * entries and top-k (ranked on the CPU, any precision read as fp32); the
 * other entries stay NULL, which the extension reads as "no GPU path".
 *
 * SML_STUB_FAIL, read at every call, makes the computing entries fail:
 *   oom     return 2 (cudaErrorMemoryAllocation)
 *   error   return 1 with a message
 * SML_STUB_DEVICES sets the number of devices reported (default 1).
 * Built by the test harness only, never installed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supplyml/cuda_api.h"

static __thread char last_message[256] = "";

static const char* stub_last_error(void) { return last_message; }

static int stub_device_count(void) {
  const char* v = getenv("SML_STUB_DEVICES");
  return v ? atoi(v) : 1;
}

static int stub_device_info(int device, sml_cuda_device_info* out) {
  if (device < 0 || device >= stub_device_count()) {
    snprintf(last_message, sizeof last_message, "stub: no device %d", device);
    return 101; /* cudaErrorInvalidDevice */
  }
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "supplyml stub GPU");
  out->total_memory = 1ull << 30;
  out->cc_major = 9;
  out->cc_minor = 0;
  out->multiprocessors = 4;
  return 0;
}

/* 0, or the failure that SML_STUB_FAIL asks for. */
static int stub_failure(void) {
  const char* v = getenv("SML_STUB_FAIL");
  if (!v || !*v) return 0;
  if (strcmp(v, "oom") == 0) {
    snprintf(last_message, sizeof last_message, "stub: out of memory");
    return 2;
  }
  snprintf(last_message, sizeof last_message, "stub: failure requested (%s)", v);
  return 1;
}

static int stub_axpy_f32(int device, size_t n, float a, const float* x, const float* y, float* out) {
  (void)device;
  const int rc = stub_failure();
  if (rc) return rc;
  for (size_t i = 0; i < n; ++i) out[i] = a * x[i] + y[i];
  return 0;
}

static int stub_gemm_f64(int device, int m, int n, int k, const double* a, const double* b, double* c) {
  (void)device;
  const int rc = stub_failure();
  if (rc) return rc;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double s = 0;
      for (int q = 0; q < k; ++q) s += a[i + (size_t)q * m] * b[q + (size_t)j * k];
      c[i + (size_t)j * m] = s;
    }
  return 0;
}

/* The k best items per user, higher score then lower index first, seen
 * items skipped: k rounds of a scan, as the GPU kernel ranks. */
static int stub_topk(int device, const sml_topk_problem* p, sml_topk_out* out) {
  (void)device;
  const int rc = stub_failure();
  if (rc) return rc;
  if (p->k < 1 || p->factors < 1 || p->users < 0 || p->items < 0) return 1;
  float* scores = malloc(sizeof(float) * (size_t)(p->items > 0 ? p->items : 1));
  if (!scores) {
    snprintf(last_message, sizeof last_message, "stub: out of host memory");
    return 2;
  }
  for (long long u = 0; u < p->users; ++u) {
    const float* x = p->user_factors + u * p->factors;
    for (long long i = 0; i < p->items; ++i) {
      const float* y = p->item_factors + i * p->factors;
      float s = 0;
      for (int j = 0; j < p->factors; ++j) s += x[j] * y[j];
      scores[i] = p->item_bias ? s + p->item_bias[i] : s;
    }
    if (p->seen_indptr)
      for (long long q = p->seen_indptr[u]; q < p->seen_indptr[u + 1]; ++q) scores[p->seen_indices[q]] = NAN;
    int n = 0;
    for (; n < p->k; ++n) {
      long long best = -1;
      for (long long i = 0; i < p->items; ++i) {
        if (isnan(scores[i])) continue;
        if (best < 0 || scores[i] > scores[best]) best = i;
      }
      if (best < 0) break;
      out->items[u * p->k + n] = (int)best;
      out->scores[u * p->k + n] = scores[best];
      scores[best] = NAN;
    }
    out->count[u] = n;
    for (int r = n; r < p->k; ++r) {
      out->items[u * p->k + r] = -1;
      out->scores[u * p->k + r] = 0;
    }
  }
  free(scores);
  return 0;
}

static const sml_cuda_api stub_api = {
    .abi_version = SML_CUDA_ABI_VERSION,
    .last_error = stub_last_error,
    .device_count = stub_device_count,
    .device_info = stub_device_info,
    .axpy_f32 = stub_axpy_f32,
    .gemm_f64 = stub_gemm_f64,
    .topk = stub_topk,
};

__attribute__((visibility("default"))) const sml_cuda_api* supplyml_cuda_api(void) { return &stub_api; }
