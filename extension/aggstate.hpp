// C++ objects as aggregate transition states (type `internal`).
//
// A state is constructed with placement new in the aggregate's memory context
// and destroyed by a reset callback on that context. Members that grow with
// the input are pg::vector (pg_memory.hpp), bound to that same context, so
// work_mem and HashAgg spilling see them; they are freed whenever PostgreSQL
// frees the context, on success and on error alike. serialize()/deserialize() carry a state across
// parallel workers as bytea, through ByteWriter/ByteReader, whose reader
// rejects malformed bytes instead of trusting them.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "guard.hpp"
#include "pg_memory.hpp"
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
  // Built with the aggregate context current, so that the state's pg::vector
  // members (pg_memory.hpp) allocate there and HashAgg accounts for them.
  MemoryContext old = MemoryContextSwitchTo(cxt);
  T* state;
  try {
    state = new (mem) T(std::forward<Args>(args)...);
  } catch (...) {
    MemoryContextSwitchTo(old);
    throw;
  }
  MemoryContextSwitchTo(old);
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

// ---------------------------------------------------------------------------
// One implementation of combine / serialize / deserialize for every aggregate.
//
// A state type S provides:
//   static constexpr const char* kName;       the aggregate, for messages
//   template <class V> void fields(V& v);     v(field) for every field, in order
//   void merge(const S& other);               combine: adds other's rows to *this
//                                             (*this may be fresh, unconfigured)
//   bool consistent() const;                  after deserialize: lengths agree, ...
//
// fields() is the single description of the state: StateWriter serializes it,
// StateReader reads it back, each field by its type: bool, arithmetic and enum
// values, std::string, std::vector / pg::vector of plain values, and any other
// type through an overload visit_fields(V&, T&) found next to that type (the
// visitor says which way it goes in V::kReading).

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

class StateWriter {
 public:
  static constexpr bool kReading = false;
  StateWriter() { w_.bytes().reserve(256); }
  template <class T>
  void operator()(const T& x) {
    if constexpr (std::is_same_v<T, bool>) {
      w_.put<std::uint8_t>(x ? 1 : 0);
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      w_.put(x);
    } else if constexpr (std::is_same_v<T, std::string>) {
      w_.put_string(x);
    } else if constexpr (is_vector<T>::value) {
      w_.put_vector(x);
    } else {
      visit_fields(*this, const_cast<T&>(x));
    }
  }
  ByteWriter& bytes() { return w_; }

 private:
  ByteWriter w_;
};

class StateReader {
 public:
  static constexpr bool kReading = true;
  explicit StateReader(ByteReader& r) : r_(r) {}
  template <class T>
  void operator()(T& x) {
    if constexpr (std::is_same_v<T, bool>) {
      const auto b = r_.get<std::uint8_t>();
      if (b > 1) r_.fail();
      x = b != 0;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      x = r_.get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      x = r_.get_string();
    } else if constexpr (is_vector<T>::value) {
      r_.get_vector_into(x);
    } else {
      visit_fields(*this, x);
    }
  }
  ByteReader& bytes() { return r_; }

 private:
  ByteReader& r_;
};

template <class S>
struct AggregateSupport {
  // Both NULL: NULL. One NULL: the other (a copy in the aggregate context
  // when only the first is NULL, since the second may live elsewhere).
  static Datum combine(FunctionCallInfo fcinfo) {
    S* a = state_arg<S>(fcinfo, 0);
    const S* b = state_arg<S>(fcinfo, 1);
    if (!b) {
      if (!a) PG_RETURN_NULL();
      PG_RETURN_POINTER(a);
    }
    if (!a) a = new_state<S>(fcinfo, S::kName);
    a->merge(*b);
    PG_RETURN_POINTER(a);
  }

  static Datum serialize(FunctionCallInfo fcinfo) {
    S* s = state_arg<S>(fcinfo, 0);
    if (!s) PG_RETURN_NULL();
    StateWriter w;
    s->fields(w);
    return bytes_to_bytea(w.bytes());
  }

  static Datum deserialize(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    ByteReader bytes = bytea_reader(fcinfo, 0, S::kName);
    S* s = new_state<S>(fcinfo, S::kName);
    // Fields read into the state allocate in the aggregate context too.
    StateReader r(bytes);
    s->fields(r);
    bytes.expect_end();
    if (!s->consistent()) bytes.fail();
    PG_RETURN_POINTER(s);
  }
};

}  // namespace supplyml::pg

// Defines the combine, serial and deserial functions sml_<prefix>_combinefn,
// sml_<prefix>_serialfn and sml_<prefix>_deserialfn of state type State.
#define SML_AGGREGATE_SUPPORT(prefix, State)                                                   \
  SML_FUNCTION(sml_##prefix##_combinefn) {                                                    \
    return ::supplyml::pg::AggregateSupport<State>::combine(fcinfo);                          \
  }                                                                                            \
  SML_FUNCTION(sml_##prefix##_serialfn) {                                                     \
    return ::supplyml::pg::AggregateSupport<State>::serialize(fcinfo);                        \
  }                                                                                            \
  SML_FUNCTION(sml_##prefix##_deserialfn) {                                                   \
    return ::supplyml::pg::AggregateSupport<State>::deserialize(fcinfo);                      \
  }
