// A kernel with a data race on purpose: every thread of the block increments
// one shared counter without an atomic or a barrier. Built only for the
// ThreadSanitizer run of `make gpu-emu`, which must report it; a sanitizer
// that stays silent here would not be worth running over the real kernels.
#include <cstdio>

#include "supplyml/device/layer.hpp"

using namespace supplyml;

SML_KERNEL void racy_kernel(int* counter) {
  int* s = dev::shared<int>();
  if (dev::thread_index() == 0) s[0] = 0;
  dev::sync_block();
  s[0] += 1;  // the race
  dev::sync_block();
  if (dev::thread_index() == 0) *counter = s[0];
}

int main() {
  int counter = 0;
  const int rc = dev::launch(racy_kernel, 1, 64, sizeof(int), &counter);
  std::printf("launch %d, counter %d of 64\n", rc, counter);
  return rc;
}
