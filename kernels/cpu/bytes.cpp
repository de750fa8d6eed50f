#include "supplyml/bytes.hpp"

#include <algorithm>

namespace supplyml {

namespace {
constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;

inline std::uint64_t mix_word(std::uint64_t h, std::uint64_t w) {
  h ^= w;
  h *= kMul;
  return h ^ (h >> 29);
}
}  // namespace

Checksum64::Checksum64(std::size_t len) : h_(0xCBF29CE484222325ULL ^ (len * kMul)) {}

void Checksum64::update(const void* data, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  if (ncarry_ > 0) {  // complete the word a previous piece began
    const std::size_t take = std::min(n, 8 - ncarry_);
    std::memcpy(carry_ + ncarry_, p, take);
    ncarry_ += take;
    p += take;
    n -= take;
    if (ncarry_ < 8) return;
    std::uint64_t w;
    std::memcpy(&w, carry_, 8);
    h_ = mix_word(h_, w);
    ncarry_ = 0;
  }
  std::uint64_t h = h_;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = mix_word(h, w);
  }
  h_ = h;
  ncarry_ = n - i;
  std::memcpy(carry_, p + i, ncarry_);
}

std::uint64_t Checksum64::finish() const {
  // The last 0-7 bytes, little-endian in one word, then a final mix.
  std::uint64_t tail = 0;
  for (std::size_t k = 0; k < ncarry_; ++k) tail |= std::uint64_t(carry_[k]) << (8 * k);
  std::uint64_t h = h_ ^ tail;
  h *= kMul;
  return h ^ (h >> 32);
}

std::uint64_t checksum64(const void* data, std::size_t len) {
  Checksum64 c(len);
  c.update(data, len);
  return c.finish();
}

}  // namespace supplyml
