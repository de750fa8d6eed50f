#include "supplyml/bytes.hpp"

namespace supplyml {

std::uint64_t checksum64(const void* data, std::size_t len) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::uint64_t h = 0xCBF29CE484222325ULL ^ (len * kMul);
  std::size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h ^= w;
    h *= kMul;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < len; ++k) tail |= std::uint64_t(p[i + k]) << (8 * k);
  h ^= tail;
  h *= kMul;
  h ^= h >> 32;
  return h;
}

}  // namespace supplyml
