// C++ containers in PostgreSQL memory contexts.
//
// State that grows with the input (aggregate transition states, source
// columns) must be allocated where PostgreSQL can see it: memory-context
// accounting is what makes work_mem, HashAgg spilling and
// pg_backend_memory_contexts mean something. ContextAllocator<T> is a
// standard allocator over one MemoryContext:
//
//   pg::vector<double> v{pg::ContextAllocator<double>(cxt)};
//   pg::vector<double> w;   // binds to CurrentMemoryContext, as palloc would
//
// Allocation goes through MemoryContextAllocExtended with MCXT_ALLOC_NO_OOM
// (and MCXT_ALLOC_HUGE after checking the size ourselves), a path that never
// raises a PostgreSQL error: a failure throws std::bad_alloc, which unwinds
// like any C++ exception and reaches the guard as out_of_memory. No longjmp.
//
// Memory contexts are not thread-safe: allocating or freeing is allowed only
// on the backend's own thread. Worker threads that fill a container must be
// handed storage that was sized beforehand (resize on the backend thread,
// then write through data()). An allocation from another thread throws an
// internal error rather than corrupting the context.
//
// A container must not outlive its context. For aggregate states that is
// arranged by new_state() (aggstate.hpp), which builds the state in the
// aggregate context and destroys it from that context's reset callback.
#pragma once

#include <cstddef>
#include <new>
#include <string>
#include <vector>

#include "pg.hpp"

namespace supplyml::pg {

// True on the backend's main thread (the only one that may touch PostgreSQL).
bool on_backend_thread() noexcept;

// Allocates n bytes in cxt, MAXALIGNed; throws std::bad_alloc on failure and
// supplyml::Error (internal) off the backend thread. Never longjmps.
void* context_alloc(MemoryContext cxt, std::size_t n);
// Frees memory from context_alloc. Never longjmps.
void context_free(void* p) noexcept;

template <class T>
class ContextAllocator {
 public:
  using value_type = T;
  // A container keeps the context it was built with: assigning (even by move)
  // from a container of another context copies the elements into its own, so
  // an aggregate state never ends up pointing into a shorter-lived context.
  // Do not swap containers of different contexts.
  using propagate_on_container_move_assignment = std::false_type;
  using propagate_on_container_swap = std::false_type;
  using propagate_on_container_copy_assignment = std::false_type;
  using is_always_equal = std::false_type;

  // Binds to CurrentMemoryContext at construction, like palloc.
  ContextAllocator() noexcept : cxt_(CurrentMemoryContext) {}
  explicit ContextAllocator(MemoryContext cxt) noexcept : cxt_(cxt) {}
  template <class U>
  ContextAllocator(const ContextAllocator<U>& o) noexcept : cxt_(o.context()) {}

  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= MAXIMUM_ALIGNOF, "type needs more alignment than palloc gives");
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(context_alloc(cxt_, n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { context_free(p); }

  MemoryContext context() const noexcept { return cxt_; }

  template <class U>
  bool operator==(const ContextAllocator<U>& o) const noexcept { return cxt_ == o.context(); }
  template <class U>
  bool operator!=(const ContextAllocator<U>& o) const noexcept { return cxt_ != o.context(); }

 private:
  MemoryContext cxt_;
};

template <class T>
using vector = std::vector<T, ContextAllocator<T>>;
using string = std::basic_string<char, std::char_traits<char>, ContextAllocator<char>>;

// A vector of n value-initialised elements in cxt.
template <class T>
vector<T> make_vector(MemoryContext cxt, std::size_t n = 0) {
  return vector<T>(n, T(), ContextAllocator<T>(cxt));
}

}  // namespace supplyml::pg
