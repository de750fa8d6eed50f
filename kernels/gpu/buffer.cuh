// Device arrays owned for the length of one call, freed on every path.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <vector>

#include "supplyml/cuda_api.h"
#include "supplyml/device/layer.hpp"

#define SML_DEV_TRY(expr)      \
  do {                         \
    const int s_ = (expr);     \
    if (s_ != 0) return s_;    \
  } while (0)

namespace supplyml {
namespace gpu {

template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() {
    if (p_ != nullptr) dev::free(p_);
  }
  // Allocates n values, freeing what the array held.
  int alloc(std::size_t n) {
    if (p_ != nullptr) dev::free(p_);
    p_ = nullptr;
    n_ = n;
    return dev::alloc(reinterpret_cast<void**>(&p_), n * sizeof(T));
  }
  // Allocates and copies n values from the host (nothing when src is null).
  int upload(const T* src, std::size_t n) {
    SML_DEV_TRY(alloc(n));
    return src != nullptr && n > 0 ? dev::upload(p_, src, n * sizeof(T)) : 0;
  }
  int download(T* dst, std::size_t n) const { return n > 0 ? dev::download(dst, p_, n * sizeof(T)) : 0; }
  T* get() const { return p_; }
  std::size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

// Host memory for what a call copies back from the device again and again
// (top-k's tiles): page-locked when the driver gives it, so that each copy
// goes straight to it; the heap otherwise.
template <class T>
class HostArray {
 public:
  HostArray() = default;
  HostArray(const HostArray&) = delete;
  HostArray& operator=(const HostArray&) = delete;
  ~HostArray() { release(); }
  int alloc(std::size_t n) {
    release();
    void* p = nullptr;
    if (dev::host_alloc(&p, n * sizeof(T)) == 0) {
      p_ = static_cast<T*>(p);
      pinned_ = true;
      return 0;
    }
    p_ = static_cast<T*>(std::malloc(n ? n * sizeof(T) : 1));
    return p_ != nullptr ? 0 : dev::kOutOfMemory;
  }
  T* data() const { return p_; }
  T& operator[](std::size_t i) const { return p_[i]; }

 private:
  void release() {
    if (pinned_)
      dev::host_free(p_);
    else
      std::free(p_);
    p_ = nullptr;
    pinned_ = false;
  }
  T* p_ = nullptr;
  bool pinned_ = false;
};

// Uploads n floats from the host into S storage: as they are for float,
// rounded to binary16 for half, where a finite value that overflows is
// SML_CUDA_OUT_OF_RANGE (allocates d).
inline int upload_as(DeviceArray<float>& d, const float* src, std::size_t n) { return d.upload(src, n); }
inline int upload_as(DeviceArray<dev::half>& d, const float* src, std::size_t n) {
  std::vector<dev::half> h(n);
  for (std::size_t i = 0; i < n; ++i) {
    h[i] = dev::from_float<dev::half>(src[i]);
    if (std::isfinite(src[i]) && !std::isfinite(dev::to_float(h[i]))) return SML_CUDA_OUT_OF_RANGE;
  }
  return d.upload(h.data(), n);
}

// Downloads n values of S storage as floats; a half value that is not
// finite (an overflow during the computation, or what followed from one) is
// SML_CUDA_OUT_OF_RANGE.
inline int download_as(const DeviceArray<float>& d, float* dst, std::size_t n) { return d.download(dst, n); }
inline int download_as(const DeviceArray<dev::half>& d, float* dst, std::size_t n) {
  std::vector<dev::half> h(n);
  SML_DEV_TRY(d.download(h.data(), n));
  for (std::size_t i = 0; i < n; ++i) {
    dst[i] = dev::to_float(h[i]);
    if (!std::isfinite(dst[i])) return SML_CUDA_OUT_OF_RANGE;
  }
  return 0;
}

inline bool stop_requested(sml_should_stop_fn fn, void* ctx) { return fn != nullptr && fn(ctx) != 0; }

}  // namespace gpu
}  // namespace supplyml
