// Standard normal loss functions, shared by the CPU policies and (later) a
// CUDA kernel. Notation of Snyder & Shen, Fundamentals of Supply Chain Theory,
// appendix C: L(z) = E[(Z-z)+], L2(z) = 1/2 E[((Z-z)+)^2] for Z ~ N(0,1).
#pragma once

#include <cmath>

#include "supplyml/hostdev.hpp"

namespace supplyml {
namespace inv {

SML_HD inline double std_normal_pdf(double z) { return 0.39894228040143267794 * ::exp(-0.5 * z * z); }

// 1 - Phi(z), accurate in the upper tail.
SML_HD inline double std_normal_sf(double z) { return 0.5 * ::erfc(z * 0.70710678118654752440); }

SML_HD inline double std_normal_cdf(double z) { return 0.5 * ::erfc(-z * 0.70710678118654752440); }

// First-order loss L(z) = phi(z) - z (1 - Phi(z)).
SML_HD inline double std_normal_loss(double z) { return std_normal_pdf(z) - z * std_normal_sf(z); }

// Second-order loss L2(z) = 1/2 [(z^2 + 1)(1 - Phi(z)) - z phi(z)].
SML_HD inline double std_normal_loss2(double z) {
  return 0.5 * ((z * z + 1.0) * std_normal_sf(z) - z * std_normal_pdf(z));
}

}  // namespace inv
}  // namespace supplyml
