// Progress lines of long calls: rows read, series fitted of the total,
// iteration and loss (docs/operations.md). supplyml.progress says where they
// go: off, notice (to the client) or log (the server log, for jobs);
// supplyml.progress_interval is the least time between two lines of a loop.
//
// Only the backend's own thread emits. A parallel loop counts finished items
// in an atomic, and the loop's Interrupt (counting()), whose callback
// parallel_for runs on the calling thread only, reports the count where it
// polls for cancellation. Emitting never raises: interrupts are held while the
// message goes out (errfinish would otherwise service a pending cancel inside
// it, and the poll that follows must see it), and an error while emitting
// turns the call's progress off.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "supplyml/interrupt.hpp"

namespace supplyml::pg {

class Progress {
 public:
  // fn: the SQL function's name, which starts each line. verbose: the call
  // asked for lines (mf_train's option): NOTICE when the setting is off.
  explicit Progress(const char* fn, bool verbose = false);

  bool on() const { return level_ != 0; }
  // On, and the interval has passed since the last line.
  bool due() const;
  // Emits "supplyml.<fn>: <text>" now, when on.
  void line(const char* fmt, ...) noexcept __attribute__((format(printf, 2, 3)));
  // "<verb> <done> of <total> <unit> (p%), <s> s" when done has moved since
  // the last such line and the line is due, or when done reaches total (once).
  void count(const char* verb, std::int64_t done, std::int64_t total, const char* unit) noexcept;
  // Seconds since construction.
  double seconds() const;

  // An Interrupt for a parallel loop over `total` items: it polls for
  // cancellation like pg::interrupt() and reports `done` through count().
  // `done`, the Progress and the strings must outlive it.
  Interrupt counting(const std::atomic<std::int64_t>& done, std::int64_t total, const char* verb,
                     const char* unit);

 private:
  int level_ = 0;  // 0 (off), NOTICE or LOG
  double interval_ = 5;
  std::int64_t reported_ = 0;  // done, as the last count line said
  char fn_[64] = {0};
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace supplyml::pg
