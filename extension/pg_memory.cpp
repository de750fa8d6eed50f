#include "pg_memory.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include "guard.hpp"
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

void* ContextResource::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (alignment > MAXIMUM_ALIGNOF) throw std::bad_alloc();
  return context_alloc(cxt_, bytes);
}

ContextResource* ContextResource::in(MemoryContext cxt) {
  return new (context_alloc(cxt, sizeof(ContextResource))) ContextResource(cxt);
}

bool ContextResource::do_is_equal(const std::pmr::memory_resource& o) const noexcept {
  const auto* c = dynamic_cast<const ContextResource*>(&o);
  return c != nullptr && c->cxt_ == cxt_;
}

namespace {

// The parent of every cached model's context, created on first use and kept
// for the life of the backend (empty, it holds no memory of its own).
MemoryContext model_cache_context() {
  static MemoryContext root = nullptr;
  if (!root)
    root = call([] { return AllocSetContextCreate(TopMemoryContext, "supplyml model cache", ALLOCSET_SMALL_SIZES); });
  return root;
}

}  // namespace

ModelContext::ModelContext(const std::string& model)
    : cxt_(call([parent = model_cache_context()] {
        return AllocSetContextCreate(parent, "supplyml model", ALLOCSET_DEFAULT_SIZES);
      })),
      resource_(cxt_) {
  try {
    call([&] { MemoryContextSetIdentifier(cxt_, MemoryContextStrdup(cxt_, model.c_str())); });
  } catch (...) {
    MemoryContextDelete(cxt_);
    throw;
  }
}

// MemoryContextDelete raises no error; a destructor must not throw.
ModelContext::~ModelContext() { MemoryContextDelete(cxt_); }

std::size_t ModelContext::bytes() const {
  return static_cast<std::size_t>(call([&] { return MemoryContextMemAllocated(cxt_, true); }));
}

}  // namespace supplyml::pg

// Compiles every member of a pg::vector once, here, so that a mistake in the
// allocator shows in this file rather than in its first user.
template class std::vector<double, supplyml::pg::ContextAllocator<double>>;
