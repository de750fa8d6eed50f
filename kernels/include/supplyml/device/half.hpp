// Storage types of factors on the device: float, or IEEE 754 binary16
// ("half"), whose values kernels convert to float before any arithmetic and
// round back only to store. Under nvcc dev::half is CUDA's __half; compiled
// as plain C++ (the emulator, the CPU stand-in of cuBLAS) it is a 16-bit
// value converted by half_bits / half_value below, which round to nearest,
// ties to even, as __float2half_rn does, with binary16's subnormals,
// infinities (any value of magnitude 65520 or more overflows) and NaN.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#include <cuda_fp16.h>
#define SML_HALF_FN __host__ __device__ __forceinline__
#else
#define SML_HALF_FN inline
#endif

namespace supplyml {
namespace dev {

constexpr float kHalfMax = 65504.0f;  // the largest finite binary16 value

// The binary16 bits nearest to v (ties to even).
SML_HALF_FN std::uint16_t half_bits(float v) {
  std::uint32_t x;
  std::memcpy(&x, &v, sizeof x);
  const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  const std::uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u)  // infinity, or NaN kept quiet with its top payload bits
    return static_cast<std::uint16_t>(sign | 0x7c00u | (ax > 0x7f800000u ? 0x0200u | ((ax >> 13) & 0x3ffu) : 0u));
  if (ax >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // >= 65520: overflow
  if (ax >= 0x38800000u) {  // normal in binary16 (>= 2^-14): rebias the exponent, round 13 bits off
    const std::uint32_t r = ax - 0x38000000u;
    return static_cast<std::uint16_t>(sign | ((r + 0x0fffu + ((r >> 13) & 1u)) >> 13));
  }
  if (ax < 0x33000000u) return sign;  // below 2^-25, half the smallest subnormal: zero
  // Subnormal: the significand in units of 2^-24, rounded; may round up to 2^-14.
  const std::uint32_t mant = (ax & 0x7fffffu) | 0x800000u;
  const int shift = 126 - static_cast<int>(ax >> 23);  // 14 .. 24
  std::uint32_t q = mant >> shift;
  const std::uint32_t rem = mant & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
  if (rem > halfway || (rem == halfway && (q & 1u))) ++q;
  return static_cast<std::uint16_t>(sign | q);
}

// The value of binary16 bits h (exact: every binary16 value is a float).
SML_HALF_FN float half_value(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  std::uint32_t x;
  if (e == 0x1fu) {
    x = sign | 0x7f800000u | (m << 13);
  } else if (e != 0) {
    x = sign | ((e + 112u) << 23) | (m << 13);
  } else {
    const float v = static_cast<float>(m) * 5.9604644775390625e-8f;  // m * 2^-24
    std::memcpy(&x, &v, sizeof x);
    x |= sign;
  }
  float v;
  std::memcpy(&v, &x, sizeof v);
  return v;
}

#if defined(__CUDACC__)
using half = __half;
__host__ __device__ __forceinline__ float to_float(half v) { return __half2float(v); }
#else
struct half {
  std::uint16_t bits;
};
inline float to_float(half v) { return half_value(v.bits); }
#endif

SML_HALF_FN float to_float(float v) { return v; }
template <class S>
SML_HALF_FN S from_float(float v);
template <>
SML_HALF_FN float from_float<float>(float v) {
  return v;
}
#if defined(__CUDACC__)
template <>
__host__ __device__ __forceinline__ half from_float<half>(float v) {
  return __float2half_rn(v);
}
#else
template <>
inline half from_float<half>(float v) {
  return half{half_bits(v)};
}
#endif

}  // namespace dev
}  // namespace supplyml
