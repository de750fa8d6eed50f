// C++ objects as aggregate transition states (type `internal`).
//
// A state is constructed with placement new in the aggregate's memory context
// and destroyed by a reset callback on that context, so std::vector and
// friends inside it are freed whenever PostgreSQL frees the context, on
// success and on error alike. serialize()/deserialize() carry a state across
// parallel workers as bytea, through ByteWriter/ByteReader, whose reader
// rejects malformed bytes instead of trusting them.
#pragma once

#include <new>
#include <utility>

#include "guard.hpp"
#include "supplyml/bytes.hpp"

namespace supplyml::pg {

// The aggregate's memory context; throws if not called as an aggregate.
MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* function);

template <class T, class... Args>
T* new_state(FunctionCallInfo fcinfo, const char* function, Args&&... args) {
  MemoryContext cxt = aggregate_context(fcinfo, function);
  static_assert(alignof(T) <= MAXIMUM_ALIGNOF, "state needs more alignment than palloc gives");
  const std::size_t offset = MAXALIGN(sizeof(T));  // the callback record follows the state
  void* mem = call([&] { return MemoryContextAllocZero(cxt, offset + sizeof(MemoryContextCallback)); });
  T* state = new (mem) T(std::forward<Args>(args)...);
  auto* cb = reinterpret_cast<MemoryContextCallback*>(static_cast<char*>(mem) + offset);
  cb->func = [](void* p) { static_cast<T*>(p)->~T(); };
  cb->arg = state;
  call([&] { MemoryContextRegisterResetCallback(cxt, cb); });
  return state;
}

// The state in argument argno, or nullptr when it is NULL (no row yet).
template <class T>
T* state_arg(FunctionCallInfo fcinfo, int argno) {
  return PG_ARGISNULL(argno) ? nullptr : reinterpret_cast<T*>(PG_GETARG_POINTER(argno));
}

// bytea for a serial function, and a reader over one for deserial.
Datum bytes_to_bytea(const ByteWriter& w);
ByteReader bytea_reader(FunctionCallInfo fcinfo, int argno, const char* what);

}  // namespace supplyml::pg
