// Bracketed root finding used by the inventory policies. Bisection to the
// last representable double: every function it serves is monotone on the
// bracket, and exact agreement with published values matters more than speed.
#pragma once

#include <cmath>
#include <string>

#include "supplyml/error.hpp"

namespace supplyml {
namespace inv {

// Root of a monotone f on [lo, hi] where f(lo) and f(hi) differ in sign (or
// one is zero). Returns the midpoint of the final bracket.
template <class F>
double bisect(F f, double lo, double hi) {
  double flo = f(lo);
  if (flo == 0.0) return lo;
  const bool neg_lo = flo < 0.0;
  for (int i = 0; i < 2100; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const double fm = f(mid);
    if (fm == 0.0) return mid;
    if ((fm < 0.0) == neg_lo)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

// Smallest integer k with pred(k) true, for a pred that is false below some
// integer and true from it on. Starts at `guess`, brackets by doubling steps
// and bisects, so it costs O(log |k - guess|) calls whatever the scale. Levels
// beyond 2^52 (where doubles stop being exact integers) are refused.
template <class Pred>
double smallest_integer(Pred pred, double guess) {
  constexpr double kLimit = 4503599627370496.0;  // 2^52
  auto refuse = [] {
    throw Error(sqlstate::kNumericOutOfRange, "inventory level out of range",
                "The search for an integer level left the range of exactly representable integers.",
                "Express demand in larger units, or use a continuous distribution.");
  };
  if (!std::isfinite(guess)) refuse();
  double lo, hi;  // pred(lo) false, pred(hi) true
  guess = std::floor(guess);
  if (pred(guess)) {
    hi = guess;
    for (double step = 1.0;; step *= 2.0) {
      lo = hi - step;
      if (lo < -kLimit) refuse();
      if (!pred(lo)) break;
      hi = lo;
    }
  } else {
    lo = guess;
    for (double step = 1.0;; step *= 2.0) {
      hi = lo + step;
      if (hi > kLimit) refuse();
      if (pred(hi)) break;
      lo = hi;
    }
  }
  while (hi - lo > 1.0) {
    const double mid = std::floor(lo + (hi - lo) / 2.0);
    if (pred(mid))
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

}  // namespace inv
}  // namespace supplyml
