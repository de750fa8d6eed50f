// Arithmetic of the CUDA smoke kernel, shared with its CPU reference.
#pragma once

#include "supplyml/hostdev.hpp"

namespace supplyml {

SML_HD inline float axpy_element(float a, float x, float y) { return a * x + y; }

}  // namespace supplyml
