#include "progress.hpp"

#include <cstdarg>
#include <cstdio>

#include "guard.hpp"
#include "pg_memory.hpp"
#include "settings.hpp"

namespace supplyml::pg {

Progress::Progress(const char* fn, bool verbose)
    : start_(std::chrono::steady_clock::now()), last_(start_) {
  snprintf(fn_, sizeof fn_, "%s", fn);
  switch (progress_setting()) {
    case ProgressSetting::kOff: level_ = verbose ? NOTICE : 0; break;
    case ProgressSetting::kNotice: level_ = NOTICE; break;
    case ProgressSetting::kLog: level_ = LOG; break;
  }
  interval_ = progress_interval_setting();
}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool Progress::due() const {
  return on() && std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count() >= interval_;
}

void Progress::line(const char* fmt, ...) noexcept {
  if (!on() || !on_backend_thread()) return;
  char text[512];
  va_list args;
  va_start(args, fmt);
  vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  last_ = std::chrono::steady_clock::now();
  const int level = level_;
  const char* fn = fn_;
  const uint32 held = InterruptHoldoffCount;
  try {
    call([&] {
      HOLD_INTERRUPTS();
      ereport(level, (errmsg("supplyml.%s: %s", fn, text)));
      RESUME_INTERRUPTS();
    });
  } catch (...) {
    // Could not report (out of memory, a lost client): the call goes on without.
    InterruptHoldoffCount = held;
    level_ = 0;
  }
}

void Progress::count(const char* verb, std::int64_t done, std::int64_t total, const char* unit) noexcept {
  if (!on() || done <= reported_ || (done < total && !due())) return;
  reported_ = done;
  const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  line("%s %lld of %lld %s (%.0f%%), %.1f s", verb, static_cast<long long>(done), static_cast<long long>(total),
       unit, pct, seconds());
}

Interrupt Progress::counting(const std::atomic<std::int64_t>& done, std::int64_t total, const char* verb,
                             const char* unit) {
  if (!on()) return interrupt();
  return Interrupt([this, &done, total, verb, unit] {
    count(verb, done.load(std::memory_order_relaxed), total, unit);
    return interrupt_pending();
  });
}

}  // namespace supplyml::pg
