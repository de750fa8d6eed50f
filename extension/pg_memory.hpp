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
// ContextResource is the same allocation path as a std::pmr::memory_resource,
// for structures that take one (MfModel, KeyDictionary); ModelContext is the context
// of one cached model (see registry.cpp).
//
// A container must not outlive its context. For aggregate states that is
// arranged by new_state() (aggstate.hpp), which builds the state in the
// aggregate context and destroys it from that context's reset callback.
#pragma once

#include <cstddef>
#include <memory_resource>
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

// A std::pmr::memory_resource over one MemoryContext (context_alloc and
// context_free): the same rules as ContextAllocator.
class ContextResource final : public std::pmr::memory_resource {
 public:
  explicit ContextResource(MemoryContext cxt) noexcept : cxt_(cxt) {}
  MemoryContext context() const noexcept { return cxt_; }
  // A resource over cxt that is itself allocated in cxt, so that it lives
  // exactly as long as the memory it hands out (containers keep a pointer to
  // their resource). Never destroyed: it owns nothing but its place in cxt.
  static ContextResource* in(MemoryContext cxt);

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t, std::size_t) noexcept override { context_free(p); }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override;

  MemoryContext cxt_;
};

// The context of one cached model: a child, named "supplyml model" with the
// model's name as identifier, of the backend's "supplyml model cache" context
// (a child of TopMemoryContext), so pg_backend_memory_contexts shows what each
// model holds. Deleting the object deletes the context and all in it:
// whatever was built from resource() must be destroyed first.
class ModelContext {
 public:
  explicit ModelContext(const std::string& model);
  ~ModelContext();
  ModelContext(const ModelContext&) = delete;
  ModelContext& operator=(const ModelContext&) = delete;

  std::pmr::memory_resource* resource() noexcept { return &resource_; }
  // Bytes the context has taken from the system (MemoryContextMemAllocated).
  std::size_t bytes() const;

 private:
  MemoryContext cxt_;
  ContextResource resource_;
};

}  // namespace supplyml::pg
