// A small fork-join loop for the numerical core.
//
// parallel_for splits [0, n) into chunks handed out dynamically to `threads`
// workers (0 = every core). The calling thread works too and, between chunks
// and while waiting for the workers' last chunks, polls the Interrupt (the
// only place the should_stop callback runs); workers only read the atomic stop
// flag, which long chunks should check through Interrupt::stopped(). Threads are created with every signal
// blocked, so PostgreSQL's signal handlers only ever run on the backend's own
// thread. The first exception thrown by any chunk stops the loop and is
// rethrown on the calling thread after all workers have joined.
#pragma once

#include <cstddef>
#include <functional>

#include "supplyml/interrupt.hpp"

namespace supplyml {

// Resolves a requested thread count: <= 0 means all hardware threads, and
// no request gets more threads than the machine has (more would only add
// context switches and per-thread scratch memory).
int resolve_threads(int requested);

// The workers parallel_for(n, threads, ..., grain) starts, the calling thread
// included: never more than its chunks of work. Size per-worker scratch by
// this, not by the thread setting.
int parallel_workers(std::size_t n, int threads, std::size_t grain = 1);

// body(begin, end, worker) processes items [begin, end); worker is in
// [0, threads) and may index per-thread scratch space.
using RangeFn = std::function<void(std::size_t begin, std::size_t end, int worker)>;

void parallel_for(std::size_t n, int threads, Interrupt& interrupt, const RangeFn& body,
                  std::size_t grain = 1);

}  // namespace supplyml
