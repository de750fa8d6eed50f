// Bracketed root finding used by the inventory policies. Bisection to the
// last representable double: every function it serves is monotone on the
// bracket, and exact agreement with published values matters more than speed.
#pragma once

#include <cmath>

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

}  // namespace inv
}  // namespace supplyml
