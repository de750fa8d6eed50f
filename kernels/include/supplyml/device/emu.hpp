// The device layer in plain C++: an emulator that runs a kernel's grid on CPU
// threads, one std::thread per CUDA thread of a block, blocks one after
// another. It exists so that kernels are tested here, under ThreadSanitizer
// and AddressSanitizer, with the same source nvcc compiles. Included by
// layer.hpp only; the implementation is kernels/emu/emu.cpp.
//
// What it checks, aborting with a message that names the source line:
//  - a block barrier or warp operation that some threads of the block (warp)
//    skip, leave by returning, or meet at a different line;
//  - warp operations in a block that is not a whole number of warps.
// Shared memory and fresh device allocations are filled with 0xff bytes (NaN
// as float or double, -1 as integers) so that reads of unwritten memory show.
// SML_EMU_FAIL=oom in the environment makes every device allocation fail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "supplyml/device/half.hpp"

// inline: a kernel defined in a header may be compiled into several test files.
#define SML_KERNEL inline
#define SML_DEVICE inline

namespace supplyml {
namespace dev {

namespace emu {

struct Site {
  const char* file;
  int line;
};

// Where the calling thread is: its block's state and its index.
struct Thread;
Thread& self();
int thread_index(const Thread& t);
int block_index(const Thread& t);
int block_size(const Thread& t);
int grid_size(const Thread& t);
unsigned char* shared_memory(const Thread& t);

void block_barrier(Site s);
// Publishes `bytes` of `value` for the calling lane, waits for the whole
// warp, and copies every lane's value to out[0 .. 32).
void warp_gather(const void* value, std::size_t bytes, void* out, Site s);

template <class T>
void gather(T v, T* all, Site s) {
  static_assert(std::is_trivially_copyable<T>::value && sizeof(T) <= 8, "warp values of at most 8 bytes");
  warp_gather(&v, sizeof v, all, s);
}

// Runs body on grid x block threads; returns 0 or a CUDA status.
int run(int grid, int block, std::size_t shared_bytes, const std::function<void()>& body);

}  // namespace emu

inline float nan_float() { return std::numeric_limits<float>::quiet_NaN(); }
inline int thread_index() { return emu::thread_index(emu::self()); }
inline int block_index() { return emu::block_index(emu::self()); }
inline int block_size() { return emu::block_size(emu::self()); }
inline int grid_size() { return emu::grid_size(emu::self()); }
inline int lane() { return thread_index() % kWarp; }
inline int warp() { return thread_index() / kWarp; }

inline void sync_block(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  emu::block_barrier({file, line});
}

template <class T>
T shfl(T v, int src, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  T all[kWarp];
  emu::gather(v, all, {file, line});
  return all[src & (kWarp - 1)];
}
template <class T>
T shfl_xor(T v, int mask, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  return shfl(v, lane() ^ mask, file, line);
}
inline unsigned ballot(bool p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  int all[kWarp];
  emu::gather(static_cast<int>(p), all, {file, line});
  unsigned bits = 0;
  for (int l = 0; l < kWarp; ++l)
    if (all[l]) bits |= 1u << l;
  return bits;
}
// The butterfly of shfl_xor with masks 16, 8, 4, 2, 1, replayed on the
// gathered values with the GPU's order of additions: the same bits, one
// barrier instead of five.
template <class T>
T warp_sum(T v, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  T all[kWarp];
  emu::gather(v, all, {file, line});
  for (int m = kWarp / 2; m > 0; m /= 2) {
    T next[kWarp];
    for (int l = 0; l < kWarp; ++l) next[l] = all[l] + all[l ^ m];
    for (int l = 0; l < kWarp; ++l) all[l] = next[l];
  }
  return all[lane()];
}
inline bool any(bool p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  return ballot(p, file, line) != 0;
}
inline bool all(bool p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  return ballot(p, file, line) == 0xffffffffu;
}

// Compare-and-swap on the bit pattern, so floating point adds are atomic too.
template <class T>
T atomic_add(T* p, T v) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "atomics on 4- or 8-byte values");
  using Bits = typename std::conditional<sizeof(T) == 4, std::uint32_t, std::uint64_t>::type;
  Bits* q = reinterpret_cast<Bits*>(p);
  Bits old_bits = __atomic_load_n(q, __ATOMIC_RELAXED);
  for (;;) {
    T old;
    std::memcpy(&old, &old_bits, sizeof old);
    const T sum = old + v;
    Bits new_bits;
    std::memcpy(&new_bits, &sum, sizeof sum);
    if (__atomic_compare_exchange_n(q, &old_bits, new_bits, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
      return old;
  }
}

template <class T>
T* shared() {
  return reinterpret_cast<T*>(emu::shared_memory(emu::self()));
}

template <class... P, class... A>
int launch(void (*kernel)(P...), int grid, int block, std::size_t shared_bytes, A&&... args) {
  const std::tuple<typename std::decay<P>::type...> params(std::forward<A>(args)...);
  return emu::run(grid, block, shared_bytes, [&] { std::apply(kernel, params); });
}

template <class... P>
int allow_shared(void (*)(P...), std::size_t) {
  return 0;
}

int select(int device);
int alloc(void** p, std::size_t bytes);
void free(void* p);
int upload(void* dst, const void* src, std::size_t bytes);
int download(void* dst, const void* src, std::size_t bytes);
int copy(void* dst, const void* src, std::size_t bytes);
// "Page-locked" host memory: the heap, filled with 0xff bytes like device
// memory and counted, so that tests see every block freed;
// SML_EMU_FAIL=host makes these allocations fail.
int host_alloc(void** p, std::size_t bytes);
void host_free(void* p);
namespace emu {
long long live_host_allocations();
}  // namespace emu
inline int synchronize() { return 0; }
const char* describe(int status);

}  // namespace dev
}  // namespace supplyml
