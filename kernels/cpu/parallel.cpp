#include "supplyml/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "supplyml/signal_block.hpp"

namespace supplyml {

int resolve_threads(int requested) {
  const unsigned hw = std::thread::hardware_concurrency();
  const int cores = hw == 0 ? 1 : static_cast<int>(hw);
  return requested > 0 ? std::min(requested, cores) : cores;
}

int parallel_workers(std::size_t n, int threads, std::size_t grain) {
  if (n == 0) return 1;
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t chunks = (n + grain - 1) / grain;
  return static_cast<int>(std::min<std::size_t>(resolve_threads(threads), chunks));
}


void parallel_for(std::size_t n, int threads, Interrupt& interrupt, const RangeFn& body,
                  std::size_t grain) {
  if (n == 0) return;
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t chunks = (n + grain - 1) / grain;
  const int workers = parallel_workers(n, threads, grain);

  std::atomic<std::size_t> next{0};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  // Runs chunks until none are left or the loop is stopped. Only the calling
  // thread (worker 0) polls the should_stop callback.
  auto run = [&](int worker) {
    try {
      for (;;) {
        if (worker == 0) {
          interrupt.check();
        }
        if (interrupt.stopped()) return;
        const std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
        if (c >= chunks) return;
        const std::size_t begin = c * grain;
        body(begin, std::min(n, begin + grain), worker);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      interrupt.stop();
    }
  };

  std::vector<std::thread> pool;
  std::atomic<int> running{0};  // workers started and not yet finished
  if (workers > 1) {
    SignalBlock block;
    pool.reserve(workers - 1);
    try {
      for (int w = 1; w < workers; ++w) {
        running.fetch_add(1);
        try {
          pool.emplace_back([&, w] {
            run(w);
            running.fetch_sub(1);
          });
        } catch (...) {
          running.fetch_sub(1);
          throw;
        }
      }
    } catch (...) {
      // Could not start every thread: the ones that started plus this one
      // still finish the loop.
    }
  }
  run(0);
  // While workers finish their last chunks, keep asking the callback, so that
  // a cancel raises the stop flag that long chunks check (Interrupt::stopped).
  while (running.load() > 0) {
    interrupt.check();
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  for (auto& t : pool) t.join();

  if (first_error) std::rethrow_exception(first_error);
  if (interrupt.stopped()) throw Cancelled();
}

}  // namespace supplyml
