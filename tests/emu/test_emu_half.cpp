// The binary16 storage type of the device layer as the emulator compiles it
// (dev::half_bits, dev::half_value), against the exact binary16 encodings of
// IEEE 754-2008 (the table of the half-precision format: smallest and
// largest subnormal, smallest normal, largest finite value, nearest values
// to 1/3 and pi) and its rounding rule, round to nearest with ties to even,
// including ties that round up into the next binade, out of the subnormals,
// and to infinity.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "supplyml/device/half.hpp"

using supplyml::dev::half_bits;
using supplyml::dev::half_value;

namespace {

float p2(int e) { return std::ldexp(1.0f, e); }

TEST(EmuHalf, ExactValuesEncode) {
  EXPECT_EQ(half_bits(0.0f), 0x0000);
  EXPECT_EQ(half_bits(-0.0f), 0x8000);
  EXPECT_EQ(half_bits(p2(-24)), 0x0001);             // smallest subnormal
  EXPECT_EQ(half_bits(1023 * p2(-24)), 0x03ff);      // largest subnormal
  EXPECT_EQ(half_bits(p2(-14)), 0x0400);             // smallest normal
  EXPECT_EQ(half_bits(0.99951171875f), 0x3bff);      // largest below one
  EXPECT_EQ(half_bits(1.0f), 0x3c00);
  EXPECT_EQ(half_bits(1.0009765625f), 0x3c01);       // smallest above one
  EXPECT_EQ(half_bits(-2.0f), 0xc000);
  EXPECT_EQ(half_bits(65504.0f), 0x7bff);            // largest finite
  EXPECT_EQ(half_bits(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(half_bits(-std::numeric_limits<float>::infinity()), 0xfc00);
}

TEST(EmuHalf, InexactValuesRoundToNearest) {
  EXPECT_EQ(half_bits(1.0f / 3.0f), 0x3555);         // 0.333251953125
  EXPECT_EQ(half_bits(3.14159265f), 0x4248);         // 3.140625
  EXPECT_EQ(half_bits(0.1f), 0x2e66);                // 0.0999755859375
  EXPECT_EQ(half_bits(65519.0f), 0x7bff);            // below the midpoint to 65536
  EXPECT_EQ(half_bits(1 + p2(-11) + p2(-20)), 0x3c01);  // above a midpoint
  EXPECT_EQ(half_bits(p2(-25) + p2(-40)), 0x0001);   // above half the smallest subnormal
  EXPECT_EQ(half_bits(1e-10f), 0x0000);
  EXPECT_EQ(half_bits(-1e-10f), 0x8000);
}

TEST(EmuHalf, TiesGoToEven) {
  EXPECT_EQ(half_bits(1 + p2(-11)), 0x3c00);         // between 0x3c00 and 0x3c01
  EXPECT_EQ(half_bits(1 + 3 * p2(-11)), 0x3c02);     // between 0x3c01 and 0x3c02
  EXPECT_EQ(half_bits(p2(-25)), 0x0000);             // between 0 and 0x0001
  EXPECT_EQ(half_bits(3 * p2(-25)), 0x0002);         // between 0x0001 and 0x0002
  EXPECT_EQ(half_bits(1023.5f * p2(-24)), 0x0400);   // largest subnormal rounds up to the smallest normal
  EXPECT_EQ(half_bits(2047.5f), 0x6800);             // 2047.5 lies between 2047 (0x67ff) and 2048
}

TEST(EmuHalf, OverflowIsInfinite) {
  EXPECT_EQ(half_bits(65520.0f), 0x7c00);            // the midpoint to 2^16 rounds to even: infinity
  EXPECT_EQ(half_bits(-65520.0f), 0xfc00);
  EXPECT_EQ(half_bits(1e5f), 0x7c00);
  EXPECT_EQ(half_bits(std::numeric_limits<float>::max()), 0x7c00);
  EXPECT_TRUE(std::isinf(half_value(half_bits(70000.0f))));
}

TEST(EmuHalf, NanStaysNan) {
  const std::uint16_t h = half_bits(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(h & 0x7c00, 0x7c00);
  EXPECT_NE(h & 0x03ff, 0);
  EXPECT_TRUE(std::isnan(half_value(h)));
}

TEST(EmuHalf, DecodesExactly) {
  EXPECT_EQ(half_value(0x0001), p2(-24));
  EXPECT_EQ(half_value(0x03ff), 1023 * p2(-24));
  EXPECT_EQ(half_value(0x0400), p2(-14));
  EXPECT_EQ(half_value(0x3555), 0.333251953125f);
  EXPECT_EQ(half_value(0x4248), 3.140625f);
  EXPECT_EQ(half_value(0x7bff), 65504.0f);
  EXPECT_EQ(half_value(0xc000), -2.0f);
  EXPECT_TRUE(std::signbit(half_value(0x8000)) && half_value(0x8000) == 0);
  EXPECT_EQ(half_value(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(half_value(0xfc00), -std::numeric_limits<float>::infinity());
}

TEST(EmuHalf, EveryValueSurvivesARoundTrip) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto b = static_cast<std::uint16_t>(h);
    if ((b & 0x7c00) == 0x7c00 && (b & 0x03ff) != 0) continue;  // NaN
    ASSERT_EQ(half_bits(half_value(b)), b) << std::hex << h;
  }
}

}  // namespace
