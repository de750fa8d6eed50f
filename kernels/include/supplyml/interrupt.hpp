// Cooperative cancellation for long computations.
//
// The extension passes a should_stop callback that reads PostgreSQL's pending
// interrupt flags without longjmp. Kernels call Interrupt::poll() between units
// of work; it throws Cancelled once the callback says stop.
//
// poll() and check() run the callback on the thread that calls them, so the
// callback must be safe there. The extension's callback reads PostgreSQL state
// and only the backend's own thread runs it; a worker thread polls an
// Interrupt of its own whose callback only reads the stop flag that the
// backend's thread sets (parallel_for in parallel.hpp, the per-worker
// Interrupt of forecast_batch), so no PostgreSQL state is touched off the
// backend's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "supplyml/error.hpp"

namespace supplyml {

using StopFn = std::function<bool()>;

class Interrupt {
 public:
  Interrupt() = default;
  explicit Interrupt(StopFn should_stop) : should_stop_(std::move(should_stop)) {}

  // Asks the callback (on this thread) and throws Cancelled if it says stop.
  void poll() {
    if (stopped_.load(std::memory_order_relaxed) || (should_stop_ && should_stop_())) {
      stopped_.store(true, std::memory_order_relaxed);
      throw Cancelled();
    }
  }
  // Like poll() but returns instead of throwing.
  bool check() {
    if (!stopped_.load(std::memory_order_relaxed) && should_stop_ && should_stop_())
      stopped_.store(true, std::memory_order_relaxed);
    return stopped_.load(std::memory_order_relaxed);
  }
  // Any thread: has a stop been seen (or requested by stop())?
  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }
  void stop() { stopped_.store(true, std::memory_order_relaxed); }

 private:
  StopFn should_stop_;
  std::atomic<bool> stopped_{false};
};

}  // namespace supplyml
