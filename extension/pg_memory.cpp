#include "pg_memory.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include "supplyml/error.hpp"

namespace supplyml::pg {

// A backend is a forked process: its main thread's id equals the process id.
// Worker threads (kernels/cpu/parallel.cpp, driver threads) have other ids.
bool on_backend_thread() noexcept {
  thread_local const bool main_thread = syscall(SYS_gettid) == getpid();
  return main_thread;
}

void* context_alloc(MemoryContext cxt, std::size_t n) {
  if (!on_backend_thread())
    throw Error(sqlstate::kInternalError, "memory context allocation off the backend thread",
                "PostgreSQL memory contexts may only be used by the backend's own thread.",
                "Report this as a bug in supplyml.");
  // MemoryContextAllocExtended raises an error for a size it considers
  // invalid, even with MCXT_ALLOC_NO_OOM; refuse those sizes first.
  if (n > MaxAllocHugeSize) throw std::bad_alloc();
  void* p = MemoryContextAllocExtended(cxt, n == 0 ? 1 : n, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (!p) throw std::bad_alloc();
  return p;
}

void context_free(void* p) noexcept {
  if (p) pfree(p);
}

}  // namespace supplyml::pg

// Compiles every member of a pg::vector once, here, so that a mistake in the
// allocator shows in this file rather than in its first user.
template class std::vector<double, supplyml::pg::ContextAllocator<double>>;
