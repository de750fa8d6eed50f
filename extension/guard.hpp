// The C++ / PostgreSQL error boundary. Every SQL-callable function of supplyml
// is defined with SML_FUNCTION, which runs its body inside guarded():
//
//  * a supplyml::Error becomes ereport(ERROR) with its SQLSTATE, message,
//    detail and hint;
//  * a PostgreSQL error caught by pg::call() (as PgError) is re-thrown
//    unchanged, so its SQLSTATE, message, detail and context survive;
//  * Cancelled lets PostgreSQL raise its own cancel error (statement timeout,
//    pg_cancel_backend);
//  * std::bad_alloc becomes out_of_memory, anything else internal_error.
//
// ereport is only reached after every C++ object of the body has been
// destroyed: the catch blocks copy what they need into plain buffers on the
// stack, and the error is raised after the try/catch has ended.
//
// Inside a body, PostgreSQL functions that may raise an error are called
// through pg::call(), which turns the longjmp into a C++ exception so that
// destructors run. call() itself longjmps over the frame of the function it
// runs, so that function holds no C++ object with a destructor (see call()).
#pragma once

#include <exception>
#include <optional>
#include <type_traits>

#include "pg.hpp"
#include "supplyml/error.hpp"
#include "supplyml/interrupt.hpp"

namespace supplyml::pg {

// A PostgreSQL error captured by call(); carries the copied ErrorData.
class PgError : public std::exception {
 public:
  explicit PgError(ErrorData* edata) : edata_(edata) {}
  ErrorData* data() const noexcept { return edata_; }
  const char* what() const noexcept override {
    return edata_ && edata_->message ? edata_->message : "PostgreSQL error";
  }

 private:
  ErrorData* edata_;
};

// Runs f, which calls PostgreSQL, converting an ereport(ERROR) into PgError.
// C++ exceptions thrown by f are carried across the PG_TRY block and
// re-thrown after it, so PostgreSQL's exception stack is always restored.
//
// The rule: an ereport inside f longjmps over f's frame without running
// destructors, so nothing with a non-trivial destructor may be alive in f
// while it calls PostgreSQL. f is a small lambda that calls PostgreSQL and
// stores results in plain outputs (pointers, Datums, numbers, captured by
// reference); strings, vectors and maps are built outside, after call()
// returns. The compiler checks what it can: f's captures and its result must
// be trivially destructible (so `return std::string(...)` does not compile:
// return the char* and build the string after the call).
template <class F>
auto call(F&& f) -> decltype(f()) {
  using R = decltype(f());
  static_assert(std::is_trivially_destructible_v<std::remove_reference_t<F>>,
                "pg::call: capture by reference or plain values only (see guard.hpp)");
  static_assert(std::is_void_v<R> || std::is_trivially_destructible_v<R>,
                "pg::call: return plain data; build C++ objects after the call (see guard.hpp)");
  MemoryContext oldcxt = CurrentMemoryContext;
  ErrorData* volatile edata = nullptr;
  std::exception_ptr cxx;
  std::conditional_t<std::is_void_v<R>, int, std::optional<R>> result{};
  PG_TRY();
  {
    try {
      if constexpr (std::is_void_v<R>) {
        f();
      } else {
        result.emplace(f());
      }
    } catch (...) {
      cxx = std::current_exception();
    }
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(oldcxt);
    edata = CopyErrorData();
    FlushErrorState();
  }
  PG_END_TRY();
  if (edata) throw PgError(edata);
  if (cxx) std::rethrow_exception(cxx);
  if constexpr (!std::is_void_v<R>) return std::move(*result);
}

// True when PostgreSQL has a cancel or termination request pending. Reads the
// flags only; never services them (that would longjmp).
bool interrupt_pending() noexcept;

// An Interrupt whose should_stop callback is interrupt_pending(); kernels poll
// it from the backend's thread only.
Interrupt interrupt();

using Impl = Datum (*)(FunctionCallInfo);
Datum guarded(Impl impl, FunctionCallInfo fcinfo);

}  // namespace supplyml::pg

// Defines a SQL-callable C function `name` (which must start with sml_, the
// prefix the linker script exports) whose body runs inside the guard.
#define SML_FUNCTION(name)                                                          \
  static Datum name##_impl(FunctionCallInfo fcinfo);                                \
  extern "C" {                                                                      \
  PG_FUNCTION_INFO_V1(name);                                                        \
  Datum name(PG_FUNCTION_ARGS) { return ::supplyml::pg::guarded(name##_impl, fcinfo); } \
  }                                                                                 \
  static Datum name##_impl(FunctionCallInfo fcinfo)
