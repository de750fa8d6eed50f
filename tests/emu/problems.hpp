// Seeded random problems and comparisons shared by the emulated kernel tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "supplyml/reco_csr.hpp"

namespace supplyml {
namespace emu_test {

// users x items, `per_row` interactions a row with weights 1..9 as
// confidences 1 + 10 w (or as ratings when `ratings`), every 7th user empty,
// and the last `unused_items` items never chosen.
inline Csr random_interactions(int users, int items, int per_row, unsigned seed, int unused_items = 0,
                               bool ratings = false) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> item(0, items - 1 - unused_items), count(1, 9);
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  for (int u = 0; u < users; ++u) {
    if (u % 7 == 3) continue;
    for (int k = 0; k < per_row; ++k) {
      r.push_back(u);
      c.push_back(item(rng));
      w.push_back(count(rng));
    }
  }
  Csr m = build_csr(users, items, r, c, w);
  if (!ratings) to_confidence(m, 10.0, Scaling::kLinear, 1.0);
  return m;
}

inline std::vector<float> random_matrix(std::int64_t rows, int f, unsigned seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(static_cast<std::size_t>(rows) * f);
  for (auto& x : v) x = d(rng);
  return v;
}

inline float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::abs(x));
  return m;
}

inline float max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

// G = Y^T Y + lambda I in double, then float, as the device holds it.
inline std::vector<float> gram_plus(const std::vector<float>& Y, std::int64_t rows, int f, double lambda) {
  std::vector<double> g(static_cast<std::size_t>(f) * f, 0.0);
  for (std::int64_t r = 0; r < rows; ++r)
    for (int i = 0; i < f; ++i)
      for (int j = 0; j < f; ++j) g[i * f + j] += double(Y[r * f + i]) * Y[r * f + j];
  for (int i = 0; i < f; ++i) g[i * f + i] += lambda;
  return std::vector<float>(g.begin(), g.end());
}

}  // namespace emu_test
}  // namespace supplyml
